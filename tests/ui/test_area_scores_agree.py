"""The results screen and the profile report show the same area averages and counts for the
same learner (one computation in services.self_assessment.scores)."""

from __future__ import annotations

import re

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.services import reports
from tests.documents.conftest import flat, pdf_text
from tests.ui.test_learner import go_to_screen, signed_in


def screen_areas(results) -> list[tuple[str, str]]:
    """(average, "n of m rated") of each area row of the Numbers tab, latest series."""
    table = results.table
    found = []
    for row in range(table.rowCount()):
        label = table.item(row, 0).text()
        match = re.search(r"\((?:average|vidēji); (.*)\)$", label)
        if match:
            counts = match.group(1).split(" / ")[-1]
            found.append(
                (table.item(row, table.columnCount() - 1 - results.result.comparing).text(), counts)
            )
    return found


def paper_areas(text: str, language: str) -> list[tuple[str, str]]:
    word = "average" if language == "en" else "vidēji"
    rated = r"(\d+ of \d+ rated)" if language == "en" else r"(novērtētas \d+ no \d+)"
    return re.findall(rf"{word} (\S+) {rated}", text)


@pytest.mark.parametrize(("username", "language"), [("learner01", "en"), ("learner05", "lv")])
def test_screen_and_profile_report_agree(qtbot, window, demo_db, tmp_path, username, language):
    set_language(language)
    actor = signed_in(qtbot, window, username)
    go_to_screen(qtbot, window, "results")
    results = window.workspace.screen("results")
    assert results.result is not None
    on_screen = screen_areas(results)
    pdf = reports.profile(demo_db, actor, actor.learner_id, language).pdf
    on_paper = paper_areas(flat(pdf_text(pdf, tmp_path)), language)
    assert len(on_screen) == 5
    assert on_screen == on_paper
    if username == "learner01":
        # areas 3, 4 and 5 each have one "not yet": left out, and said so
        assert on_screen[2:] == [
            ("1.7", "3 of 4 rated"),
            ("2.3", "3 of 4 rated"),
            ("2.7", "3 of 4 rated"),
        ]
