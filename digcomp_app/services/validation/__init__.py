"""Validation cases through the four Cedefop stages: identification → documentation →
assessment → certification (→ certified, when a coordinator issues the certificate).

A case moves one stage at a time; it may go back one stage with a reason, never skip one.

The parts: :mod:`.model` (stages, methods, what the services take and return), :mod:`.rows`
(rows inside a caller's transaction), :mod:`.cases`, :mod:`.targets`, :mod:`.stages` and
:mod:`.assessments` (the services).
"""

from digcomp_app.services.validation.assessments import record_assessment, self_vs_assessed
from digcomp_app.services.validation.cases import case_marks, get_case, list_cases, open_case
from digcomp_app.services.validation.model import (
    FLAG_GAP,
    MAX_ASSESSMENT_TEXT,
    MAX_REASON,
    METHOD_NAMES,
    METHODS,
    STAGE_NAMES,
    STAGES,
    AssessmentInfo,
    CaseInfo,
    CaseMark,
    GapRow,
    StageStep,
    TargetDraft,
)
from digcomp_app.services.validation.rows import case_info, load_case
from digcomp_app.services.validation.stages import advance, go_back
from digcomp_app.services.validation.targets import set_targets

__all__ = [
    "FLAG_GAP",
    "MAX_ASSESSMENT_TEXT",
    "MAX_REASON",
    "METHODS",
    "METHOD_NAMES",
    "STAGES",
    "STAGE_NAMES",
    "AssessmentInfo",
    "CaseInfo",
    "CaseMark",
    "GapRow",
    "StageStep",
    "TargetDraft",
    "advance",
    "case_info",
    "case_marks",
    "get_case",
    "go_back",
    "list_cases",
    "load_case",
    "open_case",
    "record_assessment",
    "self_vs_assessed",
    "set_targets",
]
