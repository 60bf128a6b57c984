"""The window as people meet it: sign in, the home screen per role, language, lock, sign out."""

from __future__ import annotations

import time

from PySide6.QtCore import QPoint, QPointF, Qt, QTimer
from PySide6.QtGui import QWheelEvent
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from digcomp_app.i18n import current_language
from digcomp_app.settings import load_settings
from tests.ui.conftest import sign_in


def test_wrong_password_is_explained_and_nothing_opens(qtbot, window):
    sign_in(qtbot, window, "teacher1", "wrong")
    assert window.workspace is None
    assert "wrong" in window.sign_in.error.text()


def test_every_role_sees_its_own_home_screen(qtbot, window):
    expected = {
        "learner01": "learner",
        "teacher1": "teacher",
        "coordinator": "coordinator",
        "admin": "administrator",
    }
    for username, role in expected.items():
        sign_in(qtbot, window, username)
        assert window.workspace is not None, username
        home = window.workspace.screen("home")
        assert f"roles: {role}." in home.greeting.text()
        window.sign_out()
        assert window.workspace is None and window.pages.currentWidget() is window.sign_in


def test_frameworks_screen_shows_levels_and_statements(qtbot, window):
    sign_in(qtbot, window, "learner01")
    window.workspace.show_screen("frameworks")
    browser = window.workspace.screen("frameworks")
    browser.select_competence("1.1")
    text = browser.details.toPlainText()
    assert "1.1 Browsing, searching and filtering information" in text
    assert "Competence statements" in text
    browser.picker.setCurrentIndex(0)  # DigComp 2.2
    browser.select_competence("2.5")
    assert "Autonomy: On my own" in browser.details.toPlainText()


def test_language_menu_switches_every_text_at_once_and_remembers_it(qtbot, window):
    sign_in(qtbot, window, "teacher1")
    window.workspace.show_screen("frameworks")
    browser = window.workspace.screen("frameworks")
    browser.select_competence("4.2")
    window.language_actions["lv"].trigger()
    assert current_language() == "lv"
    assert window.windowTitle() == "DigComp atzīšana"
    assert window.file_menu.title() == "&Fails"
    assert browser.tree.topLevelItem(3).text(0).startswith("4  Drošība")
    assert "Personas datu un privātuma aizsardzība" in browser.details.toPlainText()
    assert window.workspace.navigation.item(0).text() == "Sākums"
    assert load_settings().language == "lv"
    window.language_actions["en"].trigger()
    assert window.file_menu.title() == "&File"
    assert window.workspace.navigation.item(0).text() == "Home"


def test_the_screen_locks_after_idle_time_and_the_same_user_carries_on(qtbot, window):
    sign_in(qtbot, window, "teacher1")
    workspace = window.workspace
    window.idle_timer.setInterval(50)
    window.idle_timer.start()
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in, timeout=2000)
    assert window.sign_in.username.text() == "teacher1"
    assert "locked" in window.sign_in.note.text()
    qtbot.keyClicks(window.sign_in.password, "demo")
    qtbot.keyClick(window.sign_in.password, Qt.Key.Key_Return)
    assert window.workspace is workspace  # the open work is still there


def test_typing_clicking_and_the_wheel_restart_the_idle_time_and_nothing_else_does(qtbot, window):
    """The input as the system delivers it: to a window of the program (the main window,
    and a dialog that opened after the sign-in), whose widget under it then gets it."""
    sign_in(qtbot, window, "teacher1")
    interval = 100_000
    window.idle_timer.setInterval(interval)
    window.idle_timer.setTimerType(Qt.TimerType.PreciseTimer)  # (a coarse one rounds 5 %)
    navigation = window.workspace.navigation
    handle = window.windowHandle()
    at = navigation.viewport().mapTo(window, QPoint(5, 5))
    qtbot.mouseMove(handle, at)  # the click below then moves nothing: a press, a release
    dialog = QDialog(window)
    dialog.resize(200, 100)
    inputs = {
        "key": lambda: qtbot.keyClick(handle, Qt.Key.Key_Shift),
        "click": lambda: qtbot.mouseClick(handle, Qt.MouseButton.LeftButton, pos=at),
        "move": lambda: qtbot.mouseMove(handle, at + QPoint(3, 3)),
        "wheel": lambda: QApplication.sendEvent(
            handle,
            QWheelEvent(
                QPointF(at),
                QPointF(window.mapToGlobal(at)),
                QPoint(0, 0),
                QPoint(0, -120),
                Qt.MouseButton.NoButton,
                Qt.KeyboardModifier.NoModifier,
                Qt.ScrollPhase.NoScrollPhase,
                False,
            ),
        ),
        "paint and layout (not input)": lambda: (navigation.update(), window.adjustSize()),
        "key in a dialog opened since": lambda: (
            dialog.show(),
            qtbot.waitUntil(lambda: QApplication.focusWindow() is dialog.windowHandle()),
            qtbot.keyClick(dialog.windowHandle(), Qt.Key.Key_Shift),
        ),
    }
    for name, act in inputs.items():
        window.idle_timer.start()
        time.sleep(0.5)  # some of the idle time passes
        act()
        QApplication.processEvents()
        restarted = window.idle_timer.remainingTime() > interval - 350
        assert restarted == (name != "paint and layout (not input)"), name
        assert window.pages.currentWidget() is window.workspace
    dialog.close()


def test_keyboard_moves_between_screens(qtbot, window):
    sign_in(qtbot, window, "coordinator")
    first = window.workspace.current_id()
    window.next_action.trigger()
    assert window.workspace.current_id() != first
    window.previous_action.trigger()
    assert window.workspace.current_id() == first


def test_about_box_shows_the_jrc_attribution_and_licence(qtbot, window):
    html = window.about_html()
    assert "Cosgrove, J. and Cachia, R." in html and "Vuorikari" in html
    assert "CC-BY-4.0" in html and "creativecommons.org/licenses/by/4.0" in html

    def close_box():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "JRC144121" in box.text()
        box.accept()

    QTimer.singleShot(0, close_box)
    window.about_action.trigger()


def test_sign_in_controls_have_accessible_names(window):
    page = window.sign_in
    for widget in (page.username, page.password, page.button):
        assert widget.accessibleName()
