"""Wording shared by the printed documents, in the language a document is printed in
(which need not be the language of the interface)."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable

from digcomp_app.framework import Framework
from digcomp_app.i18n import N_, format_date, translations_for

#: how a competence was assessed (the same words as the assessment form)
METHOD_NAMES = {
    "observation": N_("Observation"),
    "practical_task": N_("Practical task"),
    "portfolio_review": N_("Portfolio review"),
    "interview": N_("Interview"),
    "test": N_("Test"),
}


def gettext_for(language: str) -> Callable[[str], str]:
    """``gettext`` of one language, whatever language the interface is in."""
    return translations_for(language).gettext


def document_date(value: dt.date, language: str) -> str:
    """A date as written in a document: "2026. gada 1. marts", "1 March 2026"."""
    # British English writes the day first, as the rest of Europe reads it.
    return format_date(value, "long", language="en_GB" if language == "en" else language)


def iso_date(text: str | None) -> dt.date | None:
    """A snapshot's ISO date or date-time as a date (None when missing)."""
    if not text:
        return None
    return dt.date.fromisoformat(text[:10])


@functools.cache
def _territories(language: str) -> dict[str, str]:
    from babel import Locale

    return dict(Locale.parse(language).territories)


def country_name(code: str, language: str) -> str:
    """``DE`` as "Germany" / "Vācija"; an unknown code as written."""
    if not code:
        return ""
    return _territories(language).get(code.upper(), code)


def method_name(method: str, language: str) -> str:
    message = METHOD_NAMES.get(method)
    return gettext_for(language)(message) if message else method


def level_name(framework: Framework, number: int, language: str) -> str:
    """The level's own name and/or its band's: "Intermediate" (DigComp 3.0 levels have
    only their band's name)."""
    try:
        level = framework.level(number)
    except KeyError:
        return ""
    band = framework.band_of(number)
    band_name = band.name.get(language) if band else ""
    own = level.name.get(language)
    if own and band_name and own != band_name:
        return f"{band_name}, {own}"
    return own or band_name


def level_description(framework: Framework, number: int, language: str) -> str:
    """What the level means; for frameworks that describe levels by dimensions only
    (DigComp 2.2: complexity, autonomy, cognitive domain), those joined."""
    try:
        level = framework.level(number)
    except KeyError:
        return ""
    text = level.description.get(language)
    if text:
        return text
    parts = [
        level.dimensions[d.id].get(language)
        for d in framework.dimensions
        if d.id in level.dimensions
    ]
    return "; ".join(p for p in parts if p)


def competence_title(framework: Framework, competence_id: str, language: str) -> str:
    try:
        return framework.competence(competence_id).title.get(language)
    except KeyError:
        return ""


def outcome_text(framework: Framework, competence_id: str, outcome_id: str, language: str) -> str:
    try:
        competence = framework.competence(competence_id)
    except KeyError:
        return outcome_id
    for outcome in competence.learning_outcomes:
        if outcome.id == outcome_id:
            return outcome.text.get(language) or outcome_id
    return outcome_id


def framework_title(framework: Framework, language: str) -> str:
    return framework.title.get(language) or framework.label


def framework_short(framework: Framework) -> str:
    """ "DigComp 3.0": the part of the title before its colon when it names the version."""
    title = framework.title.get(framework.source_language)
    head = title.split(":", 1)[0].strip()
    return head if ":" in title and framework.version in head else framework.label
