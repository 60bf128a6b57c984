"""The DigCompSAT item bank: the converted data, the mapping to competences, the scoring."""

from __future__ import annotations

import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from digcomp_app.framework import builtin_library
from digcomp_app.framework.digcompsat import (
    BANDS,
    TYPES,
    band,
    band_of,
    builtin_bank,
    large_difference,
    level_difference,
    percent_of,
    score,
)

ROOT = Path(__file__).resolve().parents[2]
SOURCE = ROOT.parent / "shared" / "reference" / "digcompsat"


@pytest.fixture(scope="module")
def bank():
    return builtin_bank()


# --- the data -------------------------------------------------------------------------


def test_the_bank_has_82_items_of_the_three_types_in_five_areas(bank):
    assert len(bank) == 82
    assert Counter(i.type for i in bank.items) == {"knowledge": 25, "skills": 41, "attitudes": 16}
    # the areas of the LimeSurvey groups: CA1 Q1-12, CA2 Q13-35, CA3 Q36-51, CA4 Q52-67, CA5 Q68-82
    firsts = {a: min(i.number for i in bank.items if i.area == a) for a in "12345"}
    assert firsts == {"1": 1, "2": 13, "3": 36, "4": 52, "5": 68}
    assert [i.id for i in bank.items] == [f"Q{n}" for n in range(1, 83)]


def test_every_item_has_both_texts_and_latvian_offers_unclear(bank):
    for item in bank.items:
        assert item.texts["en"] and item.texts["lv"]
        assert "<" not in item.texts["lv"]  # the HTML of the export is gone
        assert item.unclear == {"lv"}
    q1 = bank.item("Q1")
    assert bank.unclear_text(q1, "lv") == "Šis jautājums man ir neskaidrs"
    assert bank.unclear_text(q1, "en") is None


def test_scales_per_type_and_language(bank):
    q3 = bank.item("Q3")  # skills
    assert bank.answers(q3, "en")[0] == "I don’t know how to do it"
    assert bank.answers(q3, "lv")[3].startswith("Es to spēju izdarīt ar pārliecību")
    assert bank.answers(bank.item("Q7"), "en")[-1] == "Very much!"
    assert bank.answers(bank.item("Q1"), "lv")[0].startswith("Man nav nekādu zināšanu")


def test_dutch_falls_back_to_english(bank):
    q1 = bank.item("Q1")
    assert bank.shown_language("nl") == "en"
    assert bank.text(q1, "nl") == q1.texts["en"]
    assert bank.answers(q1, "nl") == bank.answers(q1, "en")


def test_the_repeated_english_q30_is_repaired_and_named(bank):
    q30, q31 = bank.item("Q30"), bank.item("Q31")
    assert q30.texts["en"] != q31.texts["en"]
    assert "offensive" in q30.texts["en"]  # the Latvian Q30: "aizskarošus komentārus"
    assert q30.type == "skills" and q31.type == "knowledge"


def test_licence_and_source_are_recorded_beside_the_data(bank):
    assert bank.licence["spdx"] == "CC-BY-4.0"
    assert bank.source["doi"] == "10.2760/77437"
    licence = (ROOT / "resources" / "digcompsat" / "LICENCE.md").read_text(encoding="utf-8")
    assert "CC BY 4.0" in licence and "JRC123226" in licence and "Changes" in licence


@pytest.mark.skipif(not SOURCE.is_dir(), reason="the reference item bank is not beside the project")
def test_items_yaml_is_what_the_conversion_script_makes():
    done = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_digcompsat.py"), "--check"],
        check=False,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stdout + done.stderr


# --- the mapping ----------------------------------------------------------------------


def test_the_mapping_covers_all_82_items_within_their_areas(bank):
    framework = builtin_library().get("digcomp", "2.2")
    competences = {c.id: c.area_id for c in framework.competences()}
    assert {i.competence for i in bank.items} == set(competences)
    for item in bank.items:
        assert competences[item.competence] == item.area, item.id
        assert len(item.why) > 20, item.id


def test_every_competence_has_each_type_unless_a_gap_says_why(bank):
    """Empty competence x type combinations are exactly the declared gaps, each with a
    reason; an area's items of a type reach as many of its competences as they can only
    when the gap list says otherwise."""
    empty = {
        (c, kind)
        for c in {i.competence for i in bank.items}
        for kind in TYPES
        if not any(i.type == kind for i in bank.items_of(c))
    }
    declared = {(g.competence, g.type) for g in bank.gaps}
    assert empty == declared
    assert all(len(g.why) > 20 for g in bank.gaps)
    # no gap where the area has a spare item of that type (a competence holding two or
    # more while another has none) - except where the gap says the items belong elsewhere
    assert len(declared) == 10
    for competence in {i.competence for i in bank.items}:
        assert bank.items_of(competence), competence
        assert any(i.type != "attitudes" for i in bank.items_of(competence))


def test_a_mapping_to_another_area_is_refused(tmp_path):
    from digcomp_app.framework.digcompsat import BankError, bank_dir, load_bank

    for name in ("items.yaml", "mapping.yaml"):
        (tmp_path / name).write_text((bank_dir() / name).read_text(encoding="utf-8"))
    mapping = tmp_path / "mapping.yaml"
    mapping.write_text(
        mapping.read_text(encoding="utf-8").replace(
            "Q1: {competence: '1.1'", "Q1: {competence: '2.1'"
        )
    )
    with pytest.raises(BankError, match="Q1 is in area 1"):
        load_bank(tmp_path)


# --- scoring --------------------------------------------------------------------------


def test_band_thresholds_of_the_report():
    assert [(b.id, b.lowest) for b in BANDS] == [
        ("low", 0),
        ("foundation", 30),
        ("intermediate", 48),
        ("advanced", 81),
    ]
    assert band_of(29).id == "low" and band_of(30).id == "foundation"
    assert band_of(47).id == "foundation" and band_of(48).id == "intermediate"
    assert band_of(80).id == "intermediate" and band_of(81).id == "advanced"
    assert band_of(100).id == "advanced" and band_of(0).id == "low"


def test_percent_rounds_halves_up_without_float_error():
    assert percent_of([]) is None
    assert percent_of([3]) == 100
    assert percent_of([2]) == 67  # 66.67
    assert percent_of([1]) == 33  # 33.33
    assert percent_of([1, 2, 2, 2]) == 58  # 7/12 = 58.33
    assert percent_of([0, 1, 1, 1, 1, 1]) == 28  # 5/18 = 27.78
    assert percent_of([1, 1, 0, 1, 1, 1, 0, 0]) == 21  # 5/24 = 20.83
    assert percent_of([1, 2]) == 50  # 3/6 exactly
    assert percent_of([0, 0, 1, 2, 2, 2, 2, 2]) == 46  # 11/24 = 45.83


def test_worked_example_competence_1_1(bank):
    """docs/digcompsat-scoring.md, example 1: competence 1.1 has Q1, Q2 (knowledge) and Q3,
    Q4 (skills). Answers 2, 1 / 3, "unclear": points 2 + 1 + 3 over 3 items = 2.0 of 3 =
    67 % -> Intermediate (levels 3-4). Knowledge 3 of 6 = 50 % (Intermediate), skills 3 of
    3 = 100 % (Advanced), no attitude item."""
    result = score(bank, {"Q1": 2, "Q2": 1, "Q3": 3, "Q4": None})
    c = result.competence("1.1")
    assert c.overall.percent == 67 and c.band.id == "intermediate"
    assert (c.overall.answered, c.overall.unclear, c.overall.unanswered) == (3, 1, 0)
    assert c.by_type["knowledge"].percent == 50
    assert c.by_type["knowledge"].band.id == "intermediate"
    assert c.by_type["skills"].percent == 100
    assert c.by_type["skills"].band.id == "advanced"
    assert c.by_type["attitudes"].empty and c.by_type["attitudes"].percent is None
    # the area counts all its items: the eight not answered are left out, not zero
    area = result.area("1")
    assert area.overall.percent == 67 and area.overall.unanswered == 8


def test_worked_example_area_2_profile(bank):
    """Example 2: every item of area 2 answered 1 ("with help"), except the three attitude
    items answered 3: (20 x 1 + 3 x 3) / 23 items = 29/69 = 42.03 % -> Foundation; knowledge
    and skills 33 % (Foundation), attitudes 100 % (Advanced)."""
    answers = {i.id: (3 if i.type == "attitudes" else 1) for i in bank.items if i.area == "2"}
    area = score(bank, answers).area("2")
    assert area.overall.percent == 42 and area.band.id == "foundation"
    assert area.by_type["knowledge"].percent == 33
    assert area.by_type["skills"].percent == 33
    assert area.by_type["attitudes"].percent == 100
    assert area.by_type["attitudes"].band.id == "advanced"


def test_nothing_answered_on_the_scale_gives_no_band(bank):
    result = score(bank, {"Q1": None, "Q2": None})
    assert result.competence("1.1").band is None
    assert result.competence("1.2").overall.unanswered == 4
    assert result.unclear == 2 and result.answered == 0


def test_an_answer_outside_the_scale_is_refused(bank):
    with pytest.raises(ValueError, match="not an answer"):
        score(bank, {"Q1": 4})


def test_large_differences_from_the_own_level():
    intermediate = band("intermediate")  # levels 3-4
    assert level_difference(intermediate, 3) == 0
    assert level_difference(intermediate, 4) == 0
    assert level_difference(intermediate, 5) == 1
    assert level_difference(intermediate, 6) == 2 and large_difference(intermediate, 6)
    assert level_difference(intermediate, 1) == 2 and large_difference(intermediate, 1)
    assert level_difference(intermediate, 2) == 1 and not large_difference(intermediate, 2)
    # "not yet" counts as 0 and a Low result stands for level 0
    assert level_difference(intermediate, None) == 3
    assert level_difference(band("low"), None) == 0
    assert large_difference(band("low"), 2)
    assert level_difference(None, 4) is None and not large_difference(None, 4)
