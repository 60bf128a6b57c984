"""The window fits the screen and remembers its place; text size; the keyboard is ready at
start; status messages belong to one session and one language; dates are day first."""

from __future__ import annotations

import re

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QTableWidget, QTreeWidget

from digcomp_app.i18n import set_language
from digcomp_app.settings import load_settings
from digcomp_app.ui.main_window import MainWindow
from digcomp_app.ui.qt_i18n import apply_qt_language
from tests.ui.conftest import sign_in

US_DATES = re.compile(r"\b[A-Z][a-z]{2,8} \d{1,2}, \d{4}\b|\b\d{1,2}/\d{1,2}/\d{2}\b")
DAY_FIRST = re.compile(r"\b\d{1,2} [A-Z][a-z]{2,8} \d{4}\b|\b\d{2}/\d{2}/\d{4}\b")


def test_the_window_opens_within_the_screens_room_and_maximised_on_a_small_one(qtbot, window):
    room = window.screen().availableGeometry()
    assert room.width() < 1440  # the offscreen screen is small, like a school laptop's
    assert window.isMaximized()
    assert room.contains(window.geometry())


def test_the_window_remembers_where_it_was(qtbot, demo_db):
    first = MainWindow(demo_db)
    qtbot.addWidget(first)
    first.show()
    qtbot.waitExposed(first)
    first.showNormal()
    first.setGeometry(0, 40, 800, 600)
    first.close()
    assert load_settings().window_geometry
    second = MainWindow(demo_db)
    qtbot.addWidget(second)
    second.show()
    qtbot.waitExposed(second)
    assert not second.isMaximized() and second.height() == 600


def test_text_size_grows_every_text_and_is_remembered(qtbot, window):
    app = QApplication.instance()
    before = app.font().pointSizeF()
    try:
        window.text_size_actions[150].trigger()
        assert abs(app.font().pointSizeF() - before * 1.5) < 0.1
        assert load_settings().text_size == 150
        assert window.text_size_actions[150].isChecked()
        window.language_actions["lv"].trigger()
        assert window.text_size_menu.title() == "&Teksta lielums"
    finally:
        window.language_actions["en"].trigger()
        window.text_size_actions[100].trigger()
    assert abs(app.font().pointSizeF() - before) < 0.1


def test_typing_at_start_goes_into_the_user_name(qtbot, window):
    window.activateWindow()
    qtbot.waitActive(window)
    handle = window.windowHandle()
    for char in "teacher":  # typed at the window, as on a keyboard: to the focused field
        QTest.keyClick(handle, getattr(Qt.Key, f"Key_{char.upper()}"))
    assert window.sign_in.username.text() == "teacher"


def test_a_status_message_does_not_reach_the_next_session(qtbot, window):
    sign_in(qtbot, window, "admin")
    window.workspace.context.notify("Backup written to /tmp/x")
    assert window.statusBar().currentMessage() == "Backup written to /tmp/x"
    window.sign_out_action.trigger()
    assert window.statusBar().currentMessage() == ""
    sign_in(qtbot, window, "teacher1")
    assert window.statusBar().currentMessage() == ""


def test_a_status_message_does_not_stay_in_the_old_language(qtbot, window):
    sign_in(qtbot, window, "admin")
    window.workspace.context.notify("Backup written to /tmp/x")
    window.language_actions["lv"].trigger()
    try:
        assert window.statusBar().currentMessage() == ""
    finally:
        window.language_actions["en"].trigger()


def _texts(widget) -> list[str]:
    texts = [label.text() for label in widget.findChildren(QLabel)]
    for table in widget.findChildren(QTableWidget):
        for row in range(table.rowCount()):
            for column in range(table.columnCount()):
                item = table.item(row, column)
                if item is not None:
                    texts.append(item.text())
    for tree in widget.findChildren(QTreeWidget):
        stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
        while stack:
            item = stack.pop()
            texts.extend(item.text(c) for c in range(tree.columnCount()))
            stack.extend(item.child(i) for i in range(item.childCount()))
    return texts


def test_english_dates_are_day_first_in_the_learners_register_and_history(qtbot, window):
    shown: list[str] = []
    sign_in(qtbot, window, "admin")
    for screen_id in ("learners", "users"):
        window.workspace.show_screen(screen_id)
        shown += _texts(window.workspace.screen(screen_id))
    window.sign_out()
    sign_in(qtbot, window, "coordinator")
    for screen_id in ("certification", "mobilities"):
        window.workspace.show_screen(screen_id)
        screen = window.workspace.screen(screen_id)
        for tab in (
            getattr(screen, "tabs", None)
            and [screen.tabs.widget(i) for i in range(screen.tabs.count())]
        ) or []:
            shown += _texts(tab)
        shown += _texts(screen)
    text = "\n".join(shown)
    assert DAY_FIRST.search(text), "no date shown at all"
    assert not US_DATES.search(text), US_DATES.search(text).group(0)


def test_qt_file_dialogs_speak_latvian(qtbot, qapp):
    set_language("lv")
    apply_qt_language("lv")
    try:
        dialog = QFileDialog()
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        qtbot.addWidget(dialog)
        labels = [label.text() for label in dialog.findChildren(QLabel)]
        # Qt's own Latvian catalogue is loaded ("&Look in:" is missing from it in Qt 6.11)
        assert "Datnes &nosaukums:" in labels, labels
    finally:
        set_language("en")
        apply_qt_language("en")
