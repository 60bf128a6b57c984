"""The shipped DigComp 2.2 and 3.0 frameworks, as a caller of the library sees them."""

from __future__ import annotations

import pytest

from digcomp_app.framework import OutcomeType, TranslationStatus, builtin_library


@pytest.fixture(scope="module")
def library():
    return builtin_library()


def test_both_digcomp_versions_are_installed(library):
    assert [f.label for f in library] == ["digcomp 2.2", "digcomp 3.0"]
    assert library.default().version == "3.0"


def test_digcomp_30_has_everything_of_the_jrc_data_supplement(library):
    framework = library.get("digcomp", "3.0")
    assert len(framework.areas) == 5
    assert len(list(framework.competences())) == 21
    assert [level.number for level in framework.levels] == list(range(1, 9))
    assert [band.name.get("en") for band in framework.bands] == [
        "Basic",
        "Intermediate",
        "Advanced",
        "Highly advanced",
    ]
    assert [level.mappings["six_levels"] for level in framework.levels] == [
        "A1",
        "A2",
        "B1",
        "B2",
        "C1",
        "C1",
        "C2",
        "C2",
    ]
    assert len(list(framework.statements())) == 362
    outcomes = list(framework.learning_outcomes())
    assert len(outcomes) == 523
    assert {o.type for o in outcomes} == set(OutcomeType)
    assert len(framework.glossary) == 126
    statement = framework.competence("1.1").statements[0]
    assert statement.id == "CS1.1.01"
    assert statement.band_id == "basic" and statement.levels == (1, 2)
    assert statement.text.get("en").startswith("Acknowledge the benefits of using different")


def test_digcomp_22_levels_carry_three_dimensions(library):
    framework = library.get("digcomp", "2.2")
    assert len(framework.areas) == 5 and len(list(framework.competences())) == 21
    level = framework.level(3)
    assert framework.band_of(3).name.get("en") == "Intermediate"
    assert level.dimensions["autonomy"].get("en") == "On my own"
    assert level.dimensions["cognitive"].get("en") == "Understanding"
    # Title fixes from the reference README, in sentence case.
    assert framework.competence("2.3").title.get("en") == (
        "Engaging in citizenship through digital technologies"
    )
    assert framework.competence("5.3").title.get("en") == "Creatively using digital technologies"


def test_latvian_22_titles_are_the_official_wording(library):
    framework = library.get("digcomp", "2.2")
    assert framework.competence("2.5").title.get("lv") == "Tīkla etiķete"
    assert framework.competence("4.3").title.get("lv") == "Veselības un labbūtības aizsardzība"
    assert framework.areas[0].title.get("lv") == "Informācijas un datu lietpratība"
    title = framework.competence("2.5").title
    assert framework.status_of(title, "lv") is TranslationStatus.OFFICIAL
    assert framework.languages["lv"].status is TranslationStatus.DRAFT


def test_latvian_30_is_a_draft_and_falls_back_to_english_only_where_missing(library):
    framework = library.get("digcomp", "3.0")
    assert framework.languages["lv"].status is TranslationStatus.DRAFT
    competence = framework.competence("4.2")
    text, used = competence.title.resolve("lv")
    assert used == "lv" and text != competence.title.get("en")
    # A language the framework does not have falls back to English.
    assert competence.title.resolve("de") == (competence.title.get("en"), "en")


def test_related_versions_share_competence_codes_and_levels(library):
    new, old = library.get("digcomp", "3.0"), library.get("digcomp", "2.2")
    assert new.is_related_to(old)
    for competence in new.competences():
        match = library.equivalent_competence(competence, new, old)
        assert match is not None and match.id == competence.id
    assert library.equivalent_level(new.level(4), new, old).number == 4
