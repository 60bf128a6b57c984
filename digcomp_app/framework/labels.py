"""How a level and a competence are named on screen and on paper, in any language."""

from __future__ import annotations

from digcomp_app.framework.model import Framework
from digcomp_app.i18n import N_, current_language, translations_for

LEVEL = N_("{number} – {name}")
COMPETENCE = N_("{id} {title}")


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
