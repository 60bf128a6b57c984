"""A framework as plain JSON-ready data in one language (``frameworks export``).

Other tools read this, so its shape is stable; fields may be added, never renamed.
``untranslated`` lists the keys of texts that fell back to another language.
"""

from __future__ import annotations

from typing import Any

from digcomp_app.framework.model import Framework, ProficiencyLevel, Text


class _Localiser:
    def __init__(self, language: str) -> None:
        self.language = language
        self.untranslated: list[str] = []

    def __call__(self, text: Text) -> str:
        value, used = text.resolve(self.language)
        if text and used != self.language:
            self.untranslated.append(text.key)
        return value


def level_description(
    framework: Framework, level: ProficiencyLevel, language: str, localise: Any = None
) -> str:
    """The level's own description, or its dimensions ("Autonomy: With guidance. ...")."""
    text = localise or (lambda t: t.get(language))
    if level.description:
        return str(text(level.description))
    parts = [
        f"{text(dimension.label)}: {text(level.dimensions[dimension.id])}"
        for dimension in framework.dimensions
        if dimension.id in level.dimensions
    ]
    return ". ".join(parts) + ("." if parts else "")


def export_framework(framework: Framework, language: str) -> dict[str, Any]:
    text = _Localiser(language)
    bands = {band.id: band for band in framework.bands}
    levels = []
    for level in framework.levels:
        band = bands.get(level.band_id or "")
        band_name = text(band.name) if band else ""
        levels.append(
            {
                "number": level.number,
                "band": band_name,
                "band_id": level.band_id,
                "name": text(level.name) if level.name else band_name,
                "description": level_description(framework, level, language, text),
                "dimensions": {d: text(t) for d, t in level.dimensions.items()},
                "mappings": dict(level.mappings),
            }
        )
    areas = []
    for area in framework.areas:
        competences = []
        for competence in area.competences:
            competences.append(
                {
                    "id": competence.id,
                    "title": text(competence.title),
                    "description": text(competence.description),
                    **({"esco": competence.esco} if competence.esco else {}),
                    "statements": [
                        {
                            "id": s.id,
                            "level_band": s.band_id,
                            "levels": list(s.levels),
                            "ai_label": s.ai_label.value if s.ai_label else None,
                            "text": text(s.text),
                        }
                        for s in competence.statements
                    ],
                    "learning_outcomes": [
                        {
                            "id": o.id,
                            "level_band": o.band_id,
                            "levels": list(o.levels),
                            "type": o.type.value,
                            "ai_label": o.ai_label.value if o.ai_label else None,
                            "text": text(o.text),
                        }
                        for o in competence.learning_outcomes
                    ],
                }
            )
        areas.append(
            {
                "id": area.id,
                "title": text(area.title),
                "description": text(area.description) if area.description else "",
                "competences": competences,
            }
        )
    glossary = [
        {"id": g.id, "term": text(g.term), "text": text(g.text)} for g in framework.glossary
    ]
    info = framework.languages.get(language)
    return {
        "framework": {
            "id": framework.id,
            "version": framework.version,
            "title": text(framework.title),
            "licence": framework.licence.spdx,
            "licence_url": framework.licence.url,
            "attribution": text(framework.attribution),
            "language": language,
            "translation_status": info.status.value if info else None,
        },
        "levels": levels,
        "areas": areas,
        "glossary": glossary,
        "untranslated": text.untranslated,
    }
