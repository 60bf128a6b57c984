"""The stages and assessment methods of a validation case, and what the services take and
return (targets, assessments, cases, gaps between self-rating and assessment)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digcomp_app.i18n import N_

STAGES = ("identification", "documentation", "assessment", "certification", "certified")
STAGE_NAMES = {
    "identification": N_("Identification"),
    "documentation": N_("Documentation"),
    "assessment": N_("Assessment"),
    "certification": N_("Certification"),
    "certified": N_("Certified"),
}
METHODS = ("observation", "practical_task", "portfolio_review", "interview", "test")
METHOD_NAMES = {
    "observation": N_("Observation"),
    "practical_task": N_("Practical task"),
    "portfolio_review": N_("Portfolio review"),
    "interview": N_("Interview"),
    "test": N_("Test"),
}
FLAG_GAP = 2


#: the longest assessment criteria or comment, and stage-change reason (free text)
MAX_ASSESSMENT_TEXT = 4000
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class TargetDraft:
    competence_id: str
    level: int
    outcome_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AssessmentInfo:
    id: int
    competence_id: str
    level: int
    method: str
    criteria: str
    comment: str
    assessor: str
    assessed_on: dt.date
    version: int


@dataclass(frozen=True, slots=True)
class StageStep:
    from_stage: str
    to_stage: str
    reason: str
    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class CaseInfo:
    id: int
    learner_id: int
    learner_name: str
    mobility_id: int | None
    framework_id: str
    framework_version: str
    stage: str
    targets: tuple[TargetDraft, ...]
    assessments: tuple[AssessmentInfo, ...]
    evidence_count: int
    history: tuple[StageStep, ...]
    version: int
    #: the learner's group when the case was opened ("" when none)
    group: str = ""

    def assessment_for(self, competence_id: str) -> AssessmentInfo | None:
        return next((a for a in self.assessments if a.competence_id == competence_id), None)

    @property
    def unassessed(self) -> tuple[str, ...]:
        done = {a.competence_id for a in self.assessments}
        return tuple(t.competence_id for t in self.targets if t.competence_id not in done)


@dataclass(frozen=True, slots=True)
class GapRow:
    competence_id: str
    self_level: int | None
    assessed_level: int | None

    @property
    def gap(self) -> int | None:
        if self.self_level is None or self.assessed_level is None:
            return None
        return self.self_level - self.assessed_level

    @property
    def flagged(self) -> bool:
        return self.gap is not None and abs(self.gap) >= FLAG_GAP


@dataclass(frozen=True, slots=True)
class CaseMark:
    """What a list shows of a case: its stage, and the competences marked ⚑ (the
    learner's own rating two or more levels from the level assessed or, until assessed,
    from the target - the case screen's rule)."""

    case_id: int
    learner_id: int
    mobility_id: int | None
    stage: str
    flagged: tuple[str, ...] = ()

    @property
    def gap(self) -> bool:
        return bool(self.flagged)
