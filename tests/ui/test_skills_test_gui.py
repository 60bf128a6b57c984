"""The digital skills test taken with the keyboard only, from the learner's navigation to the
result: number keys and arrows choose, Enter goes on, Backspace and Alt+Left go back."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from digcomp_app.framework.digcompsat import builtin_bank, score
from digcomp_app.services import skills_test
from tests.ui.test_learner import ALT, go_to_screen, press, signed_in

KEYS = [Qt.Key.Key_1, Qt.Key.Key_2, Qt.Key.Key_3, Qt.Key.Key_4, Qt.Key.Key_5]


def shown(qtbot, window, condition) -> None:
    """Wait for ``condition`` (a mnemonic clicks its button shortly after the key), then make
    sure the window has the keyboard again (the offscreen platform may drop it meanwhile)."""
    qtbot.waitUntil(condition)
    if not window.isActiveWindow():
        window.activateWindow()
        qtbot.waitUntil(window.isActiveWindow)


def planned(number: int) -> int:
    """The key pressed for item ``number`` (1-based): 1-5 in turn, 5 being "unclear"."""
    return number % 5


def test_the_whole_test_by_keyboard_then_the_result(qtbot, window, demo_db):
    actor = signed_in(qtbot, window, "learner02")
    go_to_screen(qtbot, window, "skills_test")
    screen = window.workspace.screen("skills_test")
    start = screen.start_page

    # Latvian items (they offer "unclear to me"), for the first purpose in the list
    press(qtbot, window, Qt.Key.Key_G, ALT)
    assert QApplication.focusWidget() is start.language
    press(qtbot, window, Qt.Key.Key_Home)
    assert start.language.currentData() == "lv"
    press(qtbot, window, Qt.Key.Key_P, ALT)
    press(qtbot, window, Qt.Key.Key_Home)
    purpose = start.chosen_purpose()
    press(qtbot, window, Qt.Key.Key_S, ALT)  # &Start the test (a mnemonic clicks shortly after)
    page = screen.test_page
    shown(qtbot, window, lambda: screen.pages.currentWidget() is page)
    assert page.progress_label.text() == "Item 1 of 82"
    assert not page.choices[4].isHidden()  # "unclear to me"

    # Enter without an answer says what to do and stays
    press(qtbot, window, Qt.Key.Key_Return)
    assert page.index == 0 and page.message.isVisible()

    # arrows choose, Backspace and Alt+Left go back, the answer is kept
    press(qtbot, window, Qt.Key.Key_Down)  # the first answer
    press(qtbot, window, Qt.Key.Key_Down)  # the second
    assert page.group.checkedId() == 1
    press(qtbot, window, Qt.Key.Key_Return)
    assert page.index == 1 and page.progress_label.text() == "Item 2 of 82"
    press(qtbot, window, Qt.Key.Key_Backspace)
    assert page.index == 0 and page.group.checkedId() == 1
    press(qtbot, window, Qt.Key.Key_Up)  # back to the first answer
    press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_3)
    press(qtbot, window, Qt.Key.Key_Left, ALT)
    assert page.index == 0 and page.group.checkedId() == 0
    press(qtbot, window, Qt.Key.Key_Right, ALT)
    assert page.index == 1 and page.group.checkedId() == 2
    press(qtbot, window, Qt.Key.Key_Backspace)

    # every item by its number key and Enter (the last Enter finishes)
    for number in range(1, 83):
        assert page.progress_label.text() == f"Item {number} of 82"
        press(qtbot, window, KEYS[planned(number)])
        press(qtbot, window, Qt.Key.Key_Return)
    assert screen.pages.currentWidget() is screen.result_page

    # what is stored is what was pressed
    tests = skills_test.history(demo_db, actor, actor.learner_id)
    assert len(tests) == 1 and tests[0].completed_at is not None
    assert tests[0].language == "lv"
    assert (tests[0].mobility_id, tests[0].moment) == purpose.key
    expected = {f"Q{n}": (None if planned(n) == 4 else planned(n)) for n in range(1, 83)}
    assert dict(tests[0].answers) == expected

    # the result shown is the score of those answers
    result = score(builtin_bank(), expected)
    table = screen.result_page.competences
    first = result.competence("1.1")
    assert table.item(0, 0).text().startswith("1.1 ")
    assert f"{first.overall.percent}" in table.item(0, 1).text()
    assert table.item(0, 2).text().startswith(f"{first.by_type['knowledge'].percent}")
    assert table.item(0, 4).text() == "no item"  # 1.1 has no attitude item
    # learner02 rated themself before the mobility: their level is beside the band
    assert table.item(0, 5).text().startswith(("level", "not yet"))
    assert screen.result_page.areas.rowCount() == 5


def test_a_test_left_half_way_continues_at_the_first_open_item(qtbot, window, demo_db):
    actor = signed_in(qtbot, window, "learner14")
    go_to_screen(qtbot, window, "skills_test")
    screen = window.workspace.screen("skills_test")
    press(qtbot, window, Qt.Key.Key_S, ALT)
    page = screen.test_page
    shown(qtbot, window, lambda: screen.pages.currentWidget() is page)
    for _ in range(3):
        press(qtbot, window, Qt.Key.Key_2)
        press(qtbot, window, Qt.Key.Key_Return)
    press(qtbot, window, Qt.Key.Key_L, ALT)  # continue later
    shown(qtbot, window, lambda: screen.pages.currentWidget() is screen.start_page)
    assert "3 of 82" in screen.start_page.state.text()
    press(qtbot, window, Qt.Key.Key_C, ALT)
    shown(qtbot, window, lambda: screen.pages.currentWidget() is page)
    assert page.index == 3 and page.progress_label.text() == "Item 4 of 82"
    stored = skills_test.history(demo_db, actor, actor.learner_id)
    assert len(stored) == 1 and stored[0].answers == {"Q1": 1, "Q2": 1, "Q3": 1}


def test_the_teacher_sees_the_test_as_a_suggestion_at_identification(qtbot, window, demo_db):
    from digcomp_app.services import accounts, validation
    from tests.ui.test_teacher import find_learner, open_cases

    admin = accounts.authenticate(demo_db, None, "admin", "demo")
    teacher = accounts.authenticate(demo_db, None, "teacher1", "demo")
    case = next(c for c in validation.list_cases(demo_db, teacher) if c.stage == "identification")
    username = next(
        u.username for u in accounts.list_users(demo_db, admin) if u.learner_id == case.learner_id
    )
    learner = accounts.authenticate(demo_db, None, username, "demo")
    moment = "before" if case.mobility_id is not None else "other"
    started = skills_test.start(demo_db, learner, "en", case.mobility_id, moment)
    for item in builtin_bank().items:  # 1.1 all "on my own" (2), the rest "with help" (1)
        skills_test.answer(
            demo_db, learner, started.id, item.id, 2 if item.competence == "1.1" else 1
        )
    skills_test.complete(demo_db, learner, started.id)

    screen = open_cases(qtbot, window, "teacher1")
    find_learner(qtbot, screen, case.learner_name)
    targets = screen.case.targets
    assert targets.tree.headerItem().text(3) == "Skills test suggests"
    first, other = targets._items["1.1"], targets._items["2.1"]
    assert first.text(3) == "Intermediate (levels 3–4)"  # 67 %
    assert other.text(3) == "Foundation (levels 1–2)"  # 33 %
    assert first.toolTip(3).startswith(
        "Skills test suggests band Intermediate (levels 3–4) for 1.1"
    )
    assert "not an assessment" in first.toolTip(3)
    # a suggestion only: nothing was ticked or recorded because of it
    assert validation.get_case(demo_db, teacher, case.id).targets == case.targets
