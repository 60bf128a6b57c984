"""Every configured language has a text file in every built-in framework, and that file either
covers every text the English one has or declares, with no texts and a note, that the
framework falls back to English in that language (shown with a marker in the window)."""

from __future__ import annotations

import pytest

from digcomp_app.framework import builtin_library
from digcomp_app.framework.model import Framework, Text
from digcomp_app.i18n import SOURCE_LANGUAGE, UI_LANGUAGES
from tests.conftest import ROOT

TRANSLATED = [code for code in UI_LANGUAGES if code != SOURCE_LANGUAGE]
FRAMEWORKS = sorted(p.name for p in (ROOT / "resources" / "frameworks").iterdir() if p.is_dir())


def all_texts(framework: Framework) -> list[Text]:
    """Every text slot of the framework that has an English text."""
    texts: list[Text] = [framework.title, framework.attribution]
    for band in framework.bands:
        texts += [band.name, band.description, band.purpose]
    for level in framework.levels:
        texts += [level.name, level.description, *level.dimensions.values()]
    for dimension in framework.dimensions:
        texts.append(dimension.label)
    for area in framework.areas:
        texts += [area.title, area.description]
        for competence in area.competences:
            texts += [competence.title, competence.description]
            texts += [s.text for s in competence.statements]
            texts += [o.text for o in competence.learning_outcomes]
    for term in framework.glossary:
        texts += [term.term, term.text]
    return [text for text in texts if text.has(SOURCE_LANGUAGE)]


def coverage(framework: Framework, language: str) -> tuple[int, int]:
    texts = all_texts(framework)
    return sum(1 for text in texts if text.has(language)), len(texts)


@pytest.fixture(scope="module")
def library():
    return {f"{f.id}-{f.version}": f for f in builtin_library()}


def test_the_framework_folders_are_the_library(library):
    assert sorted(library) == FRAMEWORKS == ["digcomp-2.2", "digcomp-3.0"]


@pytest.mark.parametrize("language", TRANSLATED)
@pytest.mark.parametrize("name", FRAMEWORKS)
def test_each_language_is_complete_or_declares_its_fallback(library, name, language):
    framework = library[name]
    assert (ROOT / "resources" / "frameworks" / name / f"texts.{language}.yaml").is_file()
    assert language in framework.languages, f"{name}: '{language}' is not in its languages"
    translated, total = coverage(framework, language)
    assert total > 50
    if translated:
        assert translated == total, f"{name}.{language}: {total - translated} texts missing"
    else:  # a declared fallback: no texts at all, and a note saying so
        note = framework.languages[language].note
        assert "English" in note, f"{name}.{language}: an empty text file must say why"


def test_dutch_digcomp_30_is_the_open_translation(library):
    framework = library["digcomp-3.0"]
    assert coverage(framework, "nl")[0] == coverage(framework, "nl")[1] == 1211
    title = framework.competence("1.1").title.get("nl")
    assert title == "Browsen, zoeken en filteren van informatie"
    assert framework.band("basic").name.get("nl") == "Basis"
    assert {term.term.get("nl") for term in framework.glossary} >= {"Toegankelijkheid"}
    statement = next(framework.statements())
    assert statement.text.resolve("nl") == (
        "De voordelen inzien van het gebruik van verschillende digitale zoekmachines en "
        "-methoden, afhankelijk van het doel.",
        "nl",
    )
    assert "PiAir/digcomp3-l10n" in framework.languages["nl"].note
    assert "Apache-2.0" in framework.attribution.get("nl")


def test_dutch_digcomp_22_falls_back_to_english_and_says_so(library):
    framework = library["digcomp-2.2"]
    assert coverage(framework, "nl")[0] == 0
    title, shown = framework.competence("1.1").title.resolve("nl")
    assert shown == "en" and title == framework.competence("1.1").title.get("en")
    assert "no Dutch translation" in framework.languages["nl"].note
