"""Names shown for the test's bands, types, scores and items (no widgets)."""

from __future__ import annotations

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.framework.digcompsat import Band, Score
from digcomp_app.i18n import _, current_language, format_percent


def band_name(band: Band | None) -> str:
    if band is None:
        return _("no answer on the scale")
    names = {
        "low": _("Below Foundation"),
        "foundation": _("Foundation (levels 1–2)"),
        "intermediate": _("Intermediate (levels 3–4)"),
        "advanced": _("Advanced (levels 5–6)"),
    }
    return names[band.id]


def short_band_name(band: Band | None) -> str:
    if band is None:
        return "–"
    names = {
        "low": _("Below Foundation"),
        "foundation": _("Foundation"),
        "intermediate": _("Intermediate"),
        "advanced": _("Advanced"),
    }
    return names[band.id]


def type_name(kind: str) -> str:
    return {"knowledge": _("Knowledge"), "skills": _("Skills"), "attitudes": _("Attitudes")}[kind]


def percent_text(percent: int | None) -> str:
    return "–" if percent is None else format_percent(percent / 100)


def score_text(score: Score) -> str:
    """ "67 % Intermediate", "–" when no item was answered, "no item" when the bank has none."""
    if score.empty:
        return _("no item")
    if score.percent is None:
        return "–"
    return _("{percent} {band}").format(
        percent=percent_text(score.percent), band=short_band_name(score.band)
    )


def competence_title(library: FrameworkLibrary, competence_id: str) -> str:
    framework = library.get("digcomp", "2.2")
    return _("{id} {title}").format(
        id=competence_id,
        title=framework.competence(competence_id).title.get(current_language()),
    )


def area_title(library: FrameworkLibrary, area_id: str) -> str:
    framework = library.get("digcomp", "2.2")
    area = next(a for a in framework.areas if a.id == area_id)
    return _("{id} {title}").format(id=area_id, title=area.title.get(current_language()))


def test_language_name(language: str) -> str:
    return {"lv": _("Latvian"), "en": _("English")}[language]
