"""The learner's screens as people use them: a whole self-assessment with the keyboard only,
resuming one left half-way, and the results as a chart, a comparison and a table.

Demo school (see showcase/demo/__init__.py): learner02 took part in the current mobility and has
finished only its "before" self-assessment; learner03 has an unfinished one (7 of 21
answered, no mobility); learner05 has "before" and "after" of the finished mobility;
learner14 has none.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from digcomp_app.services import self_assessment
from tests.ui.conftest import sign_in

ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def press(qtbot, window, key, modifier=Qt.KeyboardModifier.NoModifier, times: int = 1) -> None:
    """A key as the person presses it: it goes to whatever has the keyboard focus, once
    what happened before it is done (a person's key waits in the queue behind the layout
    work a screen posted; a test's is sent at once)."""
    for _ in range(times):
        QApplication.sendPostedEvents()
        qtbot.keyClick(QApplication.focusWidget() or window, key, modifier)


def focused_name() -> str:
    widget = QApplication.focusWidget()
    return widget.accessibleName() if widget is not None else ""


def go_to_screen(qtbot, window, screen_id: str) -> None:
    """Ctrl+PgDown through the screens until ``screen_id`` is shown."""
    for _ in range(len(window.workspace.specs)):
        if window.workspace.current_id() == screen_id:
            return
        press(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    assert window.workspace.current_id() == screen_id


def signed_in(qtbot, window, username: str):
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    sign_in(qtbot, window, username)
    assert window.workspace is not None
    return window.actor


def test_a_learner_completes_a_self_assessment_with_the_keyboard_only(qtbot, window, demo_db):
    actor = signed_in(qtbot, window, "learner02")
    go_to_screen(qtbot, window, "self_assessment")
    screen = window.workspace.screen("self_assessment")
    start = screen.start_page

    # The purpose: after the mobility (its "before" is already done).
    press(qtbot, window, Qt.Key.Key_P, ALT)
    assert QApplication.focusWidget() is start.purpose
    press(qtbot, window, Qt.Key.Key_Home)
    assert start.purpose.currentText().startswith("Before the mobility")
    assert "finished a self-assessment for this" in start.hint.text()
    press(qtbot, window, Qt.Key.Key_Down)
    assert start.purpose.currentText().startswith("After the mobility")
    press(qtbot, window, Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is start.framework
    assert start.framework.currentText().startswith("DigComp 3.0")  # the mobility's
    press(qtbot, window, Qt.Key.Key_S, ALT)  # &Start
    questionnaire = screen.questionnaire
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is questionnaire)
    assert questionnaire.progress_label.text() == "Answered: 0 / 21"
    assert focused_name() == "Not yet"  # the focus waits in the level group

    expected: dict[str, int | None] = {}
    competences = [c.id for c in window.library.default().competences()]
    for number, competence_id in enumerate(competences):
        assert questionnaire.competence.id == competence_id
        if number == 5:
            press(qtbot, window, Qt.Key.Key_T, ALT)  # No&t yet, by its mnemonic
            qtbot.waitUntil(
                lambda cid=competence_id: questionnaire.info.answer_for(cid) is not None
            )
            expected[competence_id] = None
        elif number % 4 == 1:
            press(qtbot, window, Qt.Key.Key_Space)  # "Not yet" has the focus
            expected[competence_id] = None
        else:
            level = 1 + number % 6
            press(qtbot, window, Qt.Key.Key_Down, times=level)
            assert focused_name() == f"Level {level}"
            press(qtbot, window, Qt.Key.Key_Space)
            expected[competence_id] = level
        if number == 0:
            # Up changes the chosen level at once; Down goes back to it.
            press(qtbot, window, Qt.Key.Key_Up)
            assert focused_name() == "Not yet"
            assert questionnaire.info.answer_for("1.1").level is None
            press(qtbot, window, Qt.Key.Key_Down)
            assert questionnaire.info.answer_for("1.1").level == 1
            press(qtbot, window, Qt.Key.Key_Tab)  # into the statements of the Basic band
            statement = window.library.default().competence("1.1").statements[0]
            assert focused_name() == statement.text.get("en")
            press(qtbot, window, Qt.Key.Key_Space)
            assert questionnaire.info.answer_for("1.1").ticked == (statement.id,)
            press(qtbot, window, Qt.Key.Key_O, ALT)  # N&ote
            assert focused_name() == "Note"
            qtbot.keyClicks(QApplication.focusWidget(), "Searched suppliers' catalogues")
        shown = "not yet" if expected[competence_id] is None else str(expected[competence_id])
        assert questionnaire.navigator.answer_shown(competence_id) == shown
        assert questionnaire.info.answer_for(competence_id) is not None  # saved at once
        if number < len(competences) - 1:
            press(qtbot, window, Qt.Key.Key_Right, ALT)
    assert questionnaire.progress_label.text() == "Answered: 21 / 21"
    assert not questionnaire.next_button.isEnabled()  # the last one

    press(qtbot, window, Qt.Key.Key_I, ALT)  # F&inish
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is start)
    assert start.done.isVisible() and "finished and saved" in start.done.text()

    history = self_assessment.history(demo_db, actor, actor.learner_id)
    mine = history[-1]
    assert (mine.moment, mine.mobility_id) == ("after", history[0].mobility_id)
    assert mine.completed_at is not None
    assert {a.competence_id: a.level for a in mine.answers} == expected
    first = mine.answer_for("1.1")
    assert first.note == "Searched suppliers' catalogues"
    assert first.ticked == (window.library.default().competence("1.1").statements[0].id,)

    # "See my results" (Alt+R) shows the mobility's before and after side by side.
    press(qtbot, window, Qt.Key.Key_R, ALT)
    qtbot.waitUntil(lambda: window.workspace.current_id() == "results")
    results = window.workspace.screen("results")
    assert results.picker.currentText().startswith("Before and after the mobility")
    assert len(results.competence_chart.series) == 2
    after_levels = [row.values[1] for row in results.competence_chart.rows]
    assert after_levels == [expected[c] for c in competences]


def test_leaving_half_way_and_coming_back_resumes_where_the_learner_was(qtbot, window, demo_db):
    actor = signed_in(qtbot, window, "learner03")
    go_to_screen(qtbot, window, "self_assessment")
    screen = window.workspace.screen("self_assessment")
    start = screen.start_page
    assert start.start_button.text() == "&Continue"
    assert "answered 7 of 21" in start.hint.text()
    press(qtbot, window, Qt.Key.Key_C, ALT)  # &Continue
    questionnaire = screen.questionnaire
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is questionnaire)
    assert questionnaire.competence.id == "2.5"  # the first one without an answer
    assert questionnaire.progress_label.text() == "Answered: 7 / 21"
    assert questionnaire.navigator.answer_shown("2.4") != "–"

    press(qtbot, window, Qt.Key.Key_Down, times=2)
    press(qtbot, window, Qt.Key.Key_Space)  # level 2 for 2.5
    press(qtbot, window, Qt.Key.Key_Right, ALT)
    press(qtbot, window, Qt.Key.Key_Space)  # "not yet" for 2.6
    press(qtbot, window, Qt.Key.Key_Right, ALT)
    assert questionnaire.competence.id == "3.1"

    # Finishing now says what is missing and shows the first of it.
    press(qtbot, window, Qt.Key.Key_Right, ALT)
    press(qtbot, window, Qt.Key.Key_I, ALT)
    qtbot.waitUntil(questionnaire.message.isVisible)
    assert "12 competences have no answer yet: 3.1, 3.2" in questionnaire.message.text()
    assert questionnaire.competence.id == "3.1"

    # To another screen and back: the same competence, the same answers.
    press(qtbot, window, Qt.Key.Key_PageDown, CTRL)
    assert window.workspace.current_id() != "self_assessment"
    press(qtbot, window, Qt.Key.Key_PageUp, CTRL)
    assert window.workspace.current_id() == "self_assessment"
    assert screen.pages.currentWidget() is questionnaire
    assert questionnaire.competence.id == "3.1"
    assert questionnaire.progress_label.text() == "Answered: 9 / 21"

    # Signed out and in again: it continues at the first competence still open.
    press(qtbot, window, Qt.Key.Key_L, CTRL | Qt.KeyboardModifier.ShiftModifier)
    assert window.workspace is None
    signed_in(qtbot, window, "learner03")
    go_to_screen(qtbot, window, "self_assessment")
    screen = window.workspace.screen("self_assessment")
    assert "answered 9 of 21" in screen.start_page.hint.text()
    press(qtbot, window, Qt.Key.Key_C, ALT)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.questionnaire)
    assert screen.questionnaire.competence.id == "3.1"
    saved = self_assessment.history(demo_db, actor, actor.learner_id)[-1]
    assert saved.completed_at is None
    assert saved.answer_for("2.5").level == 2 and saved.answer_for("2.6").level is None


def test_results_show_before_and_after_per_competence_and_area(qtbot, window, demo_db):
    actor = signed_in(qtbot, window, "learner05")
    go_to_screen(qtbot, window, "results")
    results = window.workspace.screen("results")
    assert results.pages.currentWidget() is results.content
    comparison = self_assessment.compare(demo_db, actor, actor.learner_id)
    chart = results.competence_chart
    assert chart.series[0].startswith("Before, ") and chart.series[1].startswith("After, ")
    assert [row.values for row in chart.rows] == [(r.before, r.after) for r in comparison.rows]
    assert chart.rows[0].label.startswith("1.1 Browsing")
    assert len(results.area_chart.rows) == 5
    assert "rated both times" in results.summary.text()

    # The table holds the same numbers: 5 area averages and 21 competences.
    table = results.table
    assert table.rowCount() == 26 and table.columnCount() == 4
    row_11 = next(r for r in range(table.rowCount()) if table.item(r, 0).text().startswith("1.1"))
    first = comparison.rows[0]
    assert table.item(row_11, 1).text() == (str(first.before) if first.before else "not yet")
    assert table.item(row_11, 2).text() == (str(first.after) if first.after else "not yet")

    # The keyboard switches to one self-assessment on its own, and to the area chart.
    press(qtbot, window, Qt.Key.Key_S, ALT)
    assert QApplication.focusWidget() is results.picker
    press(qtbot, window, Qt.Key.Key_Down)
    assert results.picker.currentText().startswith("After the mobility")
    assert len(results.competence_chart.series) == 1
    assert results.table.columnCount() == 2
    press(qtbot, window, Qt.Key.Key_A, ALT)
    assert results.tabs.currentIndex() == 1
    chart_png = results.area_chart.grab()
    assert not chart_png.isNull() and chart_png.height() > 100


def test_results_without_a_finished_self_assessment_say_what_to_do(qtbot, window, demo_db):
    signed_in(qtbot, window, "learner14")
    go_to_screen(qtbot, window, "results")
    results = window.workspace.screen("results")
    assert results.pages.currentWidget() is results.empty
    assert "no results yet" in results.empty_text.text()
    press(qtbot, window, Qt.Key.Key_S, ALT)  # Go to the &self-assessment
    qtbot.waitUntil(lambda: window.workspace.current_id() == "self_assessment")
    start = window.workspace.screen("self_assessment").start_page
    assert start.purpose.count() == 1  # no mobility: "other" only
    assert start.start_button.text() == "&Start"


def test_every_control_of_the_learner_screens_has_an_accessible_name(qtbot, window):
    signed_in(qtbot, window, "learner24")
    go_to_screen(qtbot, window, "self_assessment")
    screen = window.workspace.screen("self_assessment")
    assert_named(screen)
    press(qtbot, window, Qt.Key.Key_S, ALT)
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is screen.questionnaire)
    press(qtbot, window, Qt.Key.Key_Down, times=3)
    press(qtbot, window, Qt.Key.Key_Space)  # level 3: the statements appear
    assert screen.questionnaire.panel.statement_rows
    assert_named(screen)
    window.sign_out()
    signed_in(qtbot, window, "learner05")
    go_to_screen(qtbot, window, "results")
    assert_named(window.workspace.screen("results"))


def assert_named(screen) -> None:
    """Every control one can reach with the keyboard has a name for screen readers."""
    from PySide6.QtWidgets import QWidget

    unnamed = [
        widget
        for widget in screen.findChildren(QWidget)
        if widget.isVisibleTo(screen)
        and widget.focusPolicy() != Qt.FocusPolicy.NoFocus
        and not widget.accessibleName()
    ]
    assert unnamed == []
