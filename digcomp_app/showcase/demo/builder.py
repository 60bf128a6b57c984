"""Building the demo school, step by step, in the order a school would take them."""

from __future__ import annotations

from digcomp_app.services import organisations, seeding, signing
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor
from digcomp_app.showcase.demo.content import HOME, HOSTS, SIGNING_PASSPHRASE, DemoSummary, DemoUser
from digcomp_app.showcase.demo.mobility_work import MobilityWork
from digcomp_app.showcase.demo.people import SchoolPeople
from digcomp_app.showcase.demo.steps import STEP_SCHOOL, Progress


def create_school(
    db: Database, actor: Actor | None, progress: Progress | None = None
) -> DemoSummary:
    """Fill an empty database (no user at all) with the demo school; refuse otherwise.
    ``progress`` hears each step and its count as the work goes on."""
    return _DemoBuilder(db, actor, progress).build()


class _DemoBuilder(SchoolPeople, MobilityWork):
    def build(self) -> DemoSummary:
        self._create_staff()
        admin, coordinator = self.staff["admin"], self.staff["coordinator"]
        self.progress(STEP_SCHOOL, 0, 1)
        home = organisations.update_home(self.db, admin, keep_birth_date=True, **HOME)
        signing.create_key(self.db, admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
        self.signer = signing.unlock(self.db, coordinator, SIGNING_PASSPHRASE)
        hosts = [organisations.create(self.db, coordinator, "host", **h) for h in HOSTS]
        self.progress(STEP_SCHOOL, 1, 1)
        self._create_learners()
        self._create_groups()
        finished, current = self._create_mobilities(home.id, [h.id for h in hosts])
        self._run_finished_mobility(finished)
        self._run_current_mobility(current)
        self._other_self_assessments(finished, current)
        return self._summary(home.name)

    def _summary(self, school: str) -> DemoSummary:
        with self.db.transaction() as session:
            held = seeding.counts(session)
            stages = held.cases_by_stage
            summary = DemoSummary(
                school=school,
                users=held.users,
                learners=held.learners,
                groups=held.groups,
                mobilities=held.mobilities,
                cases_by_stage=stages,
                self_assessments=held.self_assessments,
                evidence_items=held.evidence_items,
                certificates=held.certificates,
                revoked_certificates=held.revoked_certificates,
                users_created=tuple(DemoUser(*user) for user in held.users_created),
            )
            append(
                session,
                self.who,
                "demo.create_school",
                "ok",
                details={
                    "users": summary.users,
                    "learners": summary.learners,
                    "mobilities": summary.mobilities,
                    "cases": stages,
                    "certificates": summary.certificates,
                    "evidence": summary.evidence_items,
                },
            )
        return summary
