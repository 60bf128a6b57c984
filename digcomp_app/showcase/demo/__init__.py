"""The demo school: realistic sample data to try the application with, in an empty database.

Everything is done through the public services, acting as the demo users, so the audit log
records every step as if people had done the work, and its chain stays intact. Only the
accounts are added directly, with :func:`accounts.add_user` (audited as
``accounts.create_user`` would be), because every demo user's password is :data:`PASSWORD`
("demo"), shorter than the policy allows: demo data only.

The content is deterministic (``random.Random(SEED)``, drawn the same way whatever the
date); the dates are relative to today, so one mobility has always finished and the other
is under way. The work is many small transactions, as a school's would be: if it fails
half-way, what was made stays, and the database is no longer empty.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Sequence

from digcomp_app.framework import Framework, builtin_library
from digcomp_app.i18n import N_, _
from digcomp_app.services import (
    accounts,
    certificates,
    learners,
    mobilities,
    organisations,
    seeding,
    self_assessment,
    signing,
    validation,
)
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor, Role
from digcomp_app.showcase.demo.content import (
    AREA_METHODS,
    COMMENTS,
    CURRENT_STAGES,
    FEMALE_NAMES,
    FRAMEWORK,
    GROUPS,
    HOME,
    HOSTS,
    LEARNERS_PER_GROUP,
    MALE_NAMES,
    PASSWORD,
    PLANS,
    SEED,
    SELF_NOTES,
    SIGNING_PASSPHRASE,
    STAFF,
    SURNAMES,
    DemoSummary,
    DemoUser,
    Person,
)
from digcomp_app.showcase.demo.evidence import DemoMobility as _Mobility
from digcomp_app.showcase.demo.evidence import add_evidence
from digcomp_app.showcase.demo.files import (
    ascii_name,
)

#: ``progress(step, done, total)``: the step (in the current language) and how far it is;
#: called before the first item of each step and after each item
Progress = Callable[[str, int, int], None]

STEP_STAFF = N_("Creating staff accounts")
STEP_SCHOOL = N_("Setting up the school, its signing key and host companies")
STEP_LEARNERS = N_("Creating learners")
STEP_ACCOUNTS = N_("Creating learner accounts")
STEP_GROUPS = N_("Creating groups")
STEP_MOBILITIES = N_("Creating mobilities")
STEP_FINISHED = N_("Finished mobility: self-assessments, cases and attestations")
STEP_CURRENT = N_("Current mobility: cases at every stage")
STEP_OTHERS = N_("Self-assessments of learners without a mobility")


def create_school(
    db: Database, actor: Actor | None, progress: Progress | None = None
) -> DemoSummary:
    """Fill an empty database (no user at all) with the demo school; refuse otherwise.
    ``progress`` hears each step and its count as the work goes on."""
    return _DemoBuilder(db, actor, progress).build()


class _DemoBuilder:
    def __init__(self, db: Database, actor: Actor | None, progress: Progress | None = None) -> None:
        self.db = db
        self._progress = progress
        self.actor = actor
        self.who = actor.username if actor else "(not signed in)"
        self.rng = random.Random(SEED)
        self.today = dt.date.today()
        self.framework: Framework = builtin_library().get(*FRAMEWORK)
        self.staff: dict[str, Actor] = {}
        self.people: list[Person] = []

    def progress(self, step: str, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(_(step), done, total)

    # --- the steps, in the order a school would take them --------------------------------

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

    def _create_staff(self) -> None:
        with seeding.empty_school(self.db, self.actor, _refusal()) as session:
            append(session, self.who, "demo.create_school", "ok", details={"seed": SEED})
            self.progress(STEP_STAFF, 0, len(STAFF))
            for number, (username, name, role) in enumerate(STAFF, start=1):
                user = accounts.add_user(session, self.db, username, name, PASSWORD, [role])
                self.progress(STEP_STAFF, number, len(STAFF))
                self.staff[username] = accounts.actor_for(user)
                if role is Role.ADMINISTRATOR:
                    append(
                        session,
                        username,
                        "accounts.create_first_administrator",
                        "ok",
                        "user",
                        user.id,
                    )
                else:
                    append(
                        session,
                        "admin",
                        "accounts.create_user",
                        "ok",
                        "user",
                        user.id,
                        {"username": username, "roles": [role.value]},
                    )

    def _create_learners(self) -> None:
        rng, coordinator = self.rng, self.staff["coordinator"]
        count = LEARNERS_PER_GROUP * len(GROUPS)
        # The first two as in every example; the others drawn from the lists.
        surnames = list(SURNAMES[:2]) + rng.sample(SURNAMES[2:], count - 2)
        men, women = list(MALE_NAMES[1:]), list(FEMALE_NAMES[1:])
        rng.shuffle(men)
        rng.shuffle(women)
        men.append(MALE_NAMES[0])
        women.append(FEMALE_NAMES[0])
        records = []
        self.progress(STEP_LEARNERS, 0, count)
        for index in range(count):
            male = index == 0 or (index > 1 and rng.random() < 0.5)
            if not (men if male else women):
                male = not male
            given = (men if male else women).pop()
            surname = surnames[index][0 if male else 1]
            born = dt.date(2006, 1, 1) + dt.timedelta(days=rng.randrange(4 * 365))
            email = f"{ascii_name(given).lower()}.{ascii_name(surname).lower()}@audzekni.example"
            records.append(
                learners.create(
                    self.db,
                    coordinator,
                    given,
                    surname,
                    born,
                    email,
                    learner_number=f"DK-{index + 1:04d}",
                )
            )
            self.progress(STEP_LEARNERS, index + 1, count)
        self.progress(STEP_ACCOUNTS, 0, count)
        with self.db.transaction() as session:
            for index, record in enumerate(records):
                username = f"learner{index + 1:02d}"
                user = accounts.add_user(
                    session,
                    self.db,
                    username,
                    record.full_name,
                    PASSWORD,
                    [Role.LEARNER],
                    learner_id=record.id,
                )
                append(
                    session,
                    "admin",
                    "accounts.create_user",
                    "ok",
                    "user",
                    user.id,
                    {"username": username, "roles": [Role.LEARNER.value]},
                )
                self.people.append(
                    Person(
                        record.id,
                        record.given_names,
                        record.surname,
                        accounts.actor_for(user),
                        GROUPS[index // LEARNERS_PER_GROUP],
                    )
                )
                self.progress(STEP_ACCOUNTS, index + 1, count)

    def _create_groups(self) -> None:
        coordinator = self.staff["coordinator"]
        year = self.today.year if self.today.month >= 9 else self.today.year - 1
        self.progress(STEP_GROUPS, 0, len(GROUPS))
        for index, name in enumerate(GROUPS):
            group = learners.create_group(self.db, coordinator, name, f"{year}/{year + 1}")
            members = [p.learner_id for p in self.people if p.group == name]
            learners.add_to_group(self.db, coordinator, group.id, members)
            teacher = self.staff[f"teacher{index + 1}"]
            learners.assign_group_teacher(self.db, coordinator, group.id, teacher.user_id)
            self.progress(STEP_GROUPS, index + 1, len(GROUPS))

    def _create_mobilities(self, home_id: int, host_ids: list[int]) -> tuple[_Mobility, _Mobility]:
        rng, coordinator = self.rng, self.staff["coordinator"]
        first = _monday(self.today - dt.timedelta(days=200))
        second = _monday(self.today - dt.timedelta(days=18))
        project = f"{first.year}-1-LV01-KA121-VET-000{rng.randrange(100000, 999999)}"
        by_group = [[p for p in self.people if p.group == g] for g in GROUPS]
        for members in by_group:
            rng.shuffle(members)
        finished_people = by_group[0][:5] + by_group[1][:3]
        current_people = by_group[0][5:10] + by_group[1][3:8]
        made: list[_Mobility] = []
        self.progress(STEP_MOBILITIES, 0, 2)
        for plan, start, host_id, host, people, teachers in (
            (PLANS[0], first, host_ids[0], HOSTS[0], finished_people, ("teacher1", "teacher3")),
            (PLANS[1], second, host_ids[1], HOSTS[1], current_people, ("teacher2", "teacher3")),
        ):
            draft = mobilities.MobilityDraft(
                code=f"{project}-{host['country']}",
                title=plan.title,
                sending_organisation_id=home_id,
                host_organisation_id=host_id,
                host_country=host["country"],
                start_date=start,
                end_date=start + dt.timedelta(days=25),
                host_mentor=host["contact_person"],
                objective=plan.objective,
                texts={
                    "lv": {"title": plan.title, "objective": plan.objective},
                    "en": {"title": plan.title_en, "objective": plan.objective_en},
                },
                framework_id=FRAMEWORK[0],
                framework_version=FRAMEWORK[1],
            )
            info = mobilities.create(self.db, coordinator, draft)
            people.sort(key=lambda p: p.learner_id)
            mobilities.add_participants(
                self.db, coordinator, info.id, [p.learner_id for p in people]
            )
            for teacher in teachers:
                mobilities.assign_teacher(
                    self.db, coordinator, info.id, self.staff[teacher].user_id
                )
            made.append(_Mobility(info, plan, host, people))
            self.progress(STEP_MOBILITIES, len(made), 2)
        for number, person in enumerate(made[0].people, start=1):
            mobilities.set_europass_number(
                self.db,
                coordinator,
                made[0].info.id,
                person.learner_id,
                f"LV-{first.year}-{number + 140:05d}",
            )
        return made[0], made[1]

    def _run_finished_mobility(self, mobility: _Mobility) -> None:
        """Before and after self-assessments; every case assessed and certified; one
        certificate revoked, the assessment corrected and a new certificate issued."""
        rng, coordinator = self.rng, self.staff["coordinator"]
        ends = mobility.info.end_date
        gaps = dict(zip(rng.sample(range(len(mobility.people)), 2), (-2, 2), strict=True))
        case_ids = []
        total = len(mobility.people)
        self.progress(STEP_FINISHED, 0, total)
        for index, person in enumerate(mobility.people):
            before = self._self_assess(person, mobility, "before")
            after = self._after_levels(before, mobility.plan.focus)
            self._self_assess(person, mobility, "after", after)
            teacher = self.staff["teacher1"]
            assessor = self.staff["teacher1" if index % 2 == 0 else "teacher3"]
            case = self._open_case(teacher, person, mobility, before)
            validation.advance(self.db, teacher, case.id)
            add_evidence(
                self.db, self.rng, self.framework, person, teacher, mobility, case, full=True
            )
            validation.advance(self.db, teacher, case.id)
            targets = [t.competence_id for t in case.targets]
            forced = rng.choice([c for c in targets if (after[c] or 0) >= 3] or targets)
            for competence_id in targets:
                gap = gaps.get(index) if competence_id == forced else None
                self._assess(
                    assessor,
                    case.id,
                    competence_id,
                    after[competence_id],
                    ends + dt.timedelta(days=rng.randrange(1, 8)),
                    gap,
                )
            validation.advance(self.db, assessor, case.id)
            case_ids.append(case.id)
            if index + 1 < total:  # the last one after the attestations
                self.progress(STEP_FINISHED, index + 1, total)
        issued = [
            certificates.issue(self.db, coordinator, case_id, self.signer) for case_id in case_ids
        ]
        self._correct_certificate(issued[rng.randrange(len(issued))])
        self.progress(STEP_FINISHED, total, total)

    def _correct_certificate(self, wrong: certificates.CertificateInfo) -> None:
        coordinator = self.staff["coordinator"]
        item = wrong.snapshot["competences"][-1]
        competence_id, old = item["competence"], item["level"]
        new = old + 1 if old < 8 else old - 1
        certificates.revoke(
            self.db,
            coordinator,
            wrong.serial,
            f"Kompetencei {competence_id} kļūdaini ierakstīts {old}. līmenis; pēc prakses "
            f"vadītāja vērtēšanas lapas pareizais ir {new}. līmenis.",
        )
        validation.go_back(
            self.db, coordinator, wrong.case_id, f"Jālabo kompetences {competence_id} vērtējums."
        )
        assessor = self.staff["teacher1"]
        current = validation.get_case(self.db, assessor, wrong.case_id)
        previous = current.assessment_for(competence_id)
        assert previous is not None
        validation.record_assessment(
            self.db,
            assessor,
            wrong.case_id,
            competence_id,
            new,
            previous.method,
            f"{previous.comment} (Labots: vērtēšanas lapā bija norādīts {new}. līmenis.)",
            previous.criteria,
            previous.assessed_on,
            expected_version=previous.version,
        )
        validation.advance(self.db, assessor, wrong.case_id)
        certificates.issue(self.db, coordinator, wrong.case_id, self.signer)

    def _run_current_mobility(self, mobility: _Mobility) -> None:
        """Before self-assessments; cases left at every stage of the workflow."""
        rng = self.rng
        stages = list(CURRENT_STAGES)
        rng.shuffle(stages)
        started = mobility.info.start_date
        total = len(mobility.people)
        self.progress(STEP_CURRENT, 0, total)
        for number, (person, stage) in enumerate(zip(mobility.people, stages, strict=True)):
            if number:
                self.progress(STEP_CURRENT, number, total)
            before = self._self_assess(person, mobility, "before")
            teacher = self.staff["teacher2" if person.group == GROUPS[1] else "teacher3"]
            case = self._open_case(teacher, person, mobility, before)
            if stage == "identification":
                if rng.random() < 0.5:
                    add_evidence(
                        self.db,
                        self.rng,
                        self.framework,
                        person,
                        teacher,
                        mobility,
                        case,
                        full=False,
                    )
                continue
            validation.advance(self.db, teacher, case.id)
            self._evidence(person, teacher, mobility, case, full=stage != "documentation")
            if stage == "documentation":
                continue
            validation.advance(self.db, teacher, case.id)
            targets = [t.competence_id for t in case.targets]
            if stage == "assessment":
                targets = targets[: rng.randrange(1, len(targets))]
            latest = min(self.today - dt.timedelta(days=1), mobility.info.end_date)
            span = (latest - started).days - 5  # from the sixth day until yesterday
            for competence_id in targets:
                # rng.random(), not randrange: the same draws whatever the date is
                day = started + dt.timedelta(days=5 + int(rng.random() * (span + 1)))
                self._assess(teacher, case.id, competence_id, before[competence_id], day)
            if stage == "certification":
                validation.advance(self.db, teacher, case.id)
        self.progress(STEP_CURRENT, total, total)

    def _other_self_assessments(self, *taken: _Mobility) -> None:
        """Learners without a mobility: some finished a self-assessment, some are at it."""
        busy = {p.learner_id for m in taken for p in m.people}
        others = [p for p in self.people if p.learner_id not in busy]
        self.progress(STEP_OTHERS, 0, len(others))
        for index, person in enumerate(others):
            if index % 3 == 1:
                self._self_assess(person, None, "other", partial=True)
            elif index % 3 == 0:
                self._self_assess(person, None, "other")
            # (index % 3 == 2: has not started one yet)
            self.progress(STEP_OTHERS, index + 1, len(others))

    # --- the pieces ------------------------------------------------------------------------

    def _self_assess(
        self,
        person: Person,
        mobility: _Mobility | None,
        moment: str,
        levels: dict[str, int | None] | None = None,
        *,
        partial: bool = False,
    ) -> dict[str, int | None]:
        """Answer every competence (or the first few, left unfinished); returns the levels."""
        rng = self.rng
        levels = levels or self._before_levels()
        started = self_assessment.start(
            self.db,
            person.actor,
            *FRAMEWORK,
            mobility_id=mobility.info.id if mobility else None,
            moment=moment,
        )
        competences = list(self.framework.competences())
        if partial:
            competences = competences[: rng.randrange(4, 12)]
        for competence in competences:
            level = levels[competence.id]
            ticked: tuple[str, ...] = ()
            if level is not None and rng.random() < 0.45:
                fitting = [s.id for s in competence.statements if min(s.levels) <= level]
                ticked = tuple(sorted(rng.sample(fitting, min(len(fitting), rng.randint(1, 3)))))
            note = ""
            if moment == "after" and competence.id in SELF_NOTES and rng.random() < 0.4:
                note = SELF_NOTES[competence.id]
            self_assessment.answer(
                self.db, person.actor, started.id, competence.id, level, ticked, note
            )
        if not partial:
            self_assessment.complete(self.db, person.actor, started.id)
        return levels

    def _before_levels(self) -> dict[str, int | None]:
        rng = self.rng
        base = rng.choice((2, 3, 3, 4))
        levels: dict[str, int | None] = {}
        for competence in self.framework.competences():
            unfamiliar = competence.id in ("2.3", "3.4", "4.4", "5.3")
            if rng.random() < (0.3 if unfamiliar else 0.04):
                levels[competence.id] = None  # "not yet"
            else:
                levels[competence.id] = _clamp(base + rng.choice((-1, 0, 0, 1)), 1, 6)
        return levels

    def _after_levels(
        self, before: dict[str, int | None], focus: Sequence[str]
    ) -> dict[str, int | None]:
        rng = self.rng
        after: dict[str, int | None] = {}
        for competence_id, level in before.items():
            if level is None:
                after[competence_id] = rng.choice((None, 1, 2)) if competence_id in focus else None
            elif competence_id in focus:
                after[competence_id] = _clamp(level + rng.choice((1, 1, 2)), 1, 8)
            else:
                after[competence_id] = _clamp(level + rng.choice((0, 0, 1)), 1, 8)
        return after

    def _open_case(
        self,
        teacher: Actor,
        person: Person,
        mobility: _Mobility,
        before: dict[str, int | None],
    ) -> validation.CaseInfo:
        """Open the case (seeded from the self-assessment) and narrow it to the placement."""
        rng = self.rng
        case = validation.open_case(
            self.db, teacher, person.learner_id, mobility.info.id, *FRAMEWORK
        )
        chosen = sorted(rng.sample(mobility.plan.focus, rng.choice((3, 4))))
        targets = []
        for competence_id in chosen:
            level = _clamp((before[competence_id] or 1) + 1, 1, 8)
            outcomes = [
                o.id
                for o in self.framework.competence(competence_id).learning_outcomes
                if level in o.levels
            ]
            picked = tuple(sorted(rng.sample(outcomes, min(len(outcomes), 2))))
            targets.append(validation.TargetDraft(competence_id, level, picked))
        return validation.set_targets(self.db, teacher, case.id, targets)

    def _evidence(
        self,
        person: Person,
        teacher: Actor,
        mobility: _Mobility,
        case: validation.CaseInfo,
        *,
        full: bool,
    ) -> None:
        add_evidence(self.db, self.rng, self.framework, person, teacher, mobility, case, full=full)

    def _assess(
        self,
        assessor: Actor,
        case_id: int,
        competence_id: str,
        own_level: int | None,
        on: dt.date,
        gap: int | None = None,
    ) -> None:
        """Record a level near the learner's own (``gap`` forces a given difference)."""
        rng = self.rng
        own = own_level or 1
        if gap is not None:
            level = _clamp(own + gap, 1, 8)
        else:
            level = _clamp(own + rng.choice((-1, 0, 0, 0, 1)), 1, 8)
        difference = level - own
        near = {-1: "slightly_lower", 0: "same", 1: "slightly_higher"}
        key = near.get(difference, "lower" if difference < 0 else "higher")
        validation.record_assessment(
            self.db,
            assessor,
            case_id,
            competence_id,
            level,
            rng.choice(AREA_METHODS[competence_id.split(".", maxsplit=1)[0]]),
            rng.choice(COMMENTS[key]),
            f"DigComp 3.0 {level}. līmeņa apraksts; prakses uzdevumu vērtēšanas lapa.",
            on,
        )

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


def _refusal() -> str:
    return _(
        "The demo school can be created only in an empty database, and this one already "
        "has users. Use a new database for the demo."
    )


def _clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
