"""The digital-skills text for the official Europass Mobility document."""

from __future__ import annotations

from digcomp_app.documents.europass_text import europass_text
from digcomp_app.framework import builtin_library
from tests.documents.conftest import make_snapshot

FRAMEWORK = builtin_library().get("digcomp", "3.0")


def test_one_line_per_competence_in_english():
    text = europass_text(make_snapshot(), FRAMEWORK, "en")
    lines = text.splitlines()
    assert lines[0].startswith("Digital competences assessed against the European Digital")
    assert "DigComp 3.0" in lines[0]
    assert lines[1] == (
        "- 1.1 Browsing, searching and filtering information: level 4 (Intermediate), "
        "assessed by practical task."
    )
    assert lines[2] == (
        "- 3.1 Developing digital content: level 5 (Advanced), assessed by portfolio review."
    )
    assert "DC-ABCD-EFGH-IJKL-MNOP" in lines[-1] and "Daugavkrastu tehnikums" in lines[-1]
    assert len(lines) == 4


def test_latvian_uses_the_latvian_titles_levels_and_methods():
    text = europass_text(make_snapshot(), FRAMEWORK, "lv")
    assert "Informācijas pārlūkošana, meklēšana un filtrēšana" in text
    assert "(vidējs)" in text and "(augsts)" in text
    assert "praktisks uzdevums" in text and "portfolio izvērtēšana" in text
    assert "Browsing" not in text


def test_digcomp_2_2_levels_use_its_band_names():
    snapshot = make_snapshot(framework={"id": "digcomp", "version": "2.2"})
    snapshot["competences"][0]["level"] = 2
    text = europass_text(snapshot, builtin_library().get("digcomp", "2.2"), "en")
    assert "level 2 (Foundation)" in text and "DigComp 2.2" in text
