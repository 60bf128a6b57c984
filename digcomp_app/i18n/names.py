"""Display names for values that are stored as codes."""

from __future__ import annotations

from digcomp_app.framework.model import OutcomeType, TranslationStatus
from digcomp_app.i18n import N_, _

_STATUS_NAMES = {
    TranslationStatus.OFFICIAL: N_("official"),
    TranslationStatus.REVIEWED: N_("reviewed"),
    TranslationStatus.DRAFT: N_("draft"),
}
_OUTCOME_TYPE_NAMES = {
    OutcomeType.KNOWLEDGE: N_("Knowledge"),
    OutcomeType.SKILL: N_("Skill"),
    OutcomeType.ATTITUDE: N_("Attitude"),
}


def status_name(status: TranslationStatus) -> str:
    return _(_STATUS_NAMES[status])


def outcome_type_name(kind: OutcomeType) -> str:
    return _(_OUTCOME_TYPE_NAMES[kind])
