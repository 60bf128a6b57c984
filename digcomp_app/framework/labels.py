"""How a level, a competence and the framework's coded values are named on screen and on
paper, in any language."""

from __future__ import annotations

from digcomp_app.framework.model import Framework, OutcomeType, TranslationStatus
from digcomp_app.i18n import N_, _, current_language, translations_for

LEVEL = N_("{number} – {name}")
COMPETENCE = N_("{id} {title}")
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
    """A language's translation status, in the current language."""
    return _(_STATUS_NAMES[status])


def outcome_type_name(kind: OutcomeType) -> str:
    """Knowledge, skill or attitude, in the current language."""
    return _(_OUTCOME_TYPE_NAMES[kind])


def level_label(framework: Framework, number: int, language: str | None = None) -> str:
    """ "4 – Intermediate": the level's own name, else its band's (just the number if unknown)."""
    language = language or current_language()
    try:
        level = framework.level(number)
    except KeyError:
        return str(number)
    band = framework.band_of(number)
    name = level.name.get(language) or (band.name.get(language) if band else "")
    if not name:
        return str(number)
    return translations_for(language).gettext(LEVEL).format(number=number, name=name)


def competence_label(framework: Framework, competence_id: str, language: str | None = None) -> str:
    """ "1.3 Managing data, information and digital content" (just the id if unknown)."""
    language = language or current_language()
    try:
        competence = framework.competence(competence_id)
    except KeyError:
        return competence_id
    return (
        translations_for(language)
        .gettext(COMPETENCE)
        .format(id=competence.id, title=competence.title.get(language))
    )
