"""The case panel's rules, without Qt (presenters/validation.py)."""

from __future__ import annotations

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.presenters import validation as presenter
from digcomp_app.services.validation import CaseInfo


@pytest.fixture(autouse=True)
def english():
    set_language("en")


def case(id: int, stage: str, mobility_id: int | None = None, name: str = "Anna") -> CaseInfo:
    return CaseInfo(id, 1, name, mobility_id, "digcomp", "2.2", stage, (), (), 0, (), 1)


@pytest.mark.parametrize(
    ("stage", "back", "advance", "text", "tip"),
    [
        ("identification", False, True, "&Advance to Documentation ▶", ""),
        ("documentation", True, True, "&Advance to Assessment ▶", ""),
        ("assessment", True, True, "Sen&d to certification ▶", ""),
        ("certification", True, False, "&Advance ▶", "Only issuing"),
        ("certified", False, False, "&Advance ▶", "Only issuing"),
    ],
)
def test_the_moves_a_stage_allows(stage, back, advance, text, tip):
    moves = presenter.moves(case(1, stage))
    assert (moves.can_go_back, moves.can_advance, moves.advance_text) == (back, advance, text)
    assert moves.advance_tip.startswith(tip)
    assert "&" not in moves.advance_name


def test_no_case_allows_no_move():
    moves = presenter.moves(None)
    assert not moves.can_go_back
    assert not moves.can_advance


def test_going_back_and_the_step_shown():
    assert presenter.previous_stage("assessment") == "documentation"
    assert presenter.previous_stage("identification") == "identification"
    assert presenter.step_of("certified") == "certification"
    assert presenter.step_of("documentation") == "documentation"


def test_the_first_case_shown_prefers_an_open_case_of_the_mobility_hinted():
    cases = [case(1, "certified", 7), case(2, "documentation", 8), case(3, "assessment", 7)]
    assert presenter.first_case(cases, 7) == 3
    assert presenter.first_case(cases, 9) == 2  # no open case of 9: the first open one
    assert presenter.first_case(cases[:1], 8) == 1  # all certified: the latest
    assert presenter.first_case([], None) is None


def test_the_case_list_names_number_mobility_and_stage():
    assert presenter.case_text(case(4, "assessment", 7), lambda m: f"Munich {m}") == (
        "No. 4 · Munich 7 · Assessment"
    )
    assert presenter.no_mobility_title(None) == "without a mobility"
    assert presenter.no_mobility_title(5) == "mobility no. 5"


def test_the_panel_without_a_learner_with_no_case_and_with_cases():
    nobody = presenter.panel(None, [], None)
    assert nobody.title == "Validation cases"
    assert not (nobody.offers_report or nobody.offers_first_case or nobody.shows_case)
    new = presenter.panel("Anna Bērziņa", [], None)
    assert new.note.startswith("Anna Bērziņa has no validation case yet.")
    assert new.offers_first_case and new.offers_report and not new.offers_new_case
    shown = presenter.panel("Anna", [case(1, "assessment")], case(1, "assessment"))
    assert shown.shows_case and shown.shows_case_list and shown.offers_new_case
    assert not shown.offers_first_case


def test_unsaved_assessments_stop_the_case_only_at_assessment():
    assert presenter.unsaved_before_advance("assessment", ["1.1", "2.3"]).startswith(
        "Save or revert the assessments you changed first: 1.1, 2.3."
    )
    assert presenter.unsaved_before_advance("assessment", []) == ""
    assert presenter.unsaved_before_advance("documentation", ["1.1"]) == ""


def test_what_is_said_after_a_move():
    assert presenter.moved_text(case(1, "certification", name="Ēriks"), True).endswith(
        "certificate for Ēriks."
    )
    assert presenter.moved_text(case(1, "assessment"), True) == "The case moved on to Assessment."
    assert presenter.moved_text(case(1, "documentation"), False) == (
        "The case went back to Documentation."
    )


def test_pages_to_load():
    assert presenter.pages_to_load(None) == set(presenter.STEPS)
    assert presenter.pages_to_load(()) == set()
    assert presenter.pages_to_load(("assessment",)) == {"assessment"}
    with pytest.raises(ValueError, match="no such page: results"):
        presenter.pages_to_load(("results",))


def test_the_report_intro_names_the_mobility_when_a_case_is_shown():
    assert "It covers the mobility Munich." in presenter.report_intro("Anna", "Munich")
    assert "covers" not in presenter.report_intro("Anna", None)
