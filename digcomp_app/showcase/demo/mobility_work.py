"""The demo school's mobilities and the work done in them: a finished one (assessed,
certified, one attestation corrected), a current one (cases at every stage), and
self-assessments of learners without a mobility."""

from __future__ import annotations

import datetime as dt

from digcomp_app.services import certificates, mobilities, validation
from digcomp_app.showcase.demo.content import CURRENT_STAGES, FRAMEWORK, GROUPS, HOSTS, PLANS
from digcomp_app.showcase.demo.evidence import DemoMobility as _Mobility
from digcomp_app.showcase.demo.evidence import add_evidence
from digcomp_app.showcase.demo.pieces import Pieces
from digcomp_app.showcase.demo.steps import (
    STEP_CURRENT,
    STEP_FINISHED,
    STEP_MOBILITIES,
    STEP_OTHERS,
)


class MobilityWork(Pieces):
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


def _monday(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())
