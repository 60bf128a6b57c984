"""The pieces the demo school is made of: a self-assessment, the levels before and after a
placement, a case with its targets, evidence, an assessment."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from digcomp_app.services import self_assessment, validation
from digcomp_app.services.permissions import Actor
from digcomp_app.showcase.demo.content import AREA_METHODS, COMMENTS, FRAMEWORK, SELF_NOTES, Person
from digcomp_app.showcase.demo.evidence import DemoMobility as _Mobility
from digcomp_app.showcase.demo.evidence import add_evidence
from digcomp_app.showcase.demo.state import DemoState


class Pieces(DemoState):
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
        answers = []
        for competence in competences:
            level = levels[competence.id]
            ticked: tuple[str, ...] = ()
            if level is not None and rng.random() < 0.45:
                fitting = [s.id for s in competence.statements if min(s.levels) <= level]
                ticked = tuple(sorted(rng.sample(fitting, min(len(fitting), rng.randint(1, 3)))))
            note = ""
            if moment == "after" and competence.id in SELF_NOTES and rng.random() < 0.4:
                note = SELF_NOTES[competence.id]
            answers.append(self_assessment.Answer(competence.id, level, ticked, note))
        self_assessment.answer_many(self.db, person.actor, started.id, answers)
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
                levels[competence.id] = clamp(base + rng.choice((-1, 0, 0, 1)), 1, 6)
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
                after[competence_id] = clamp(level + rng.choice((1, 1, 2)), 1, 8)
            else:
                after[competence_id] = clamp(level + rng.choice((0, 0, 1)), 1, 8)
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
            level = clamp((before[competence_id] or 1) + 1, 1, 8)
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
            level = clamp(own + gap, 1, 8)
        else:
            level = clamp(own + rng.choice((-1, 0, 0, 0, 1)), 1, 8)
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


def clamp(value: int, low: int, high: int) -> int:
    return max(low, min(high, value))
