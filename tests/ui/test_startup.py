"""The sign-in form can be typed into as soon as the window shows; the database opens in the
background, and signing in before it is open waits for it, keeping what was typed."""

from __future__ import annotations

import shutil
import threading

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from digcomp_app.ui import main_window
from digcomp_app.ui.main_window import MainWindow


@pytest.fixture
def demo_url(demo_template, tmp_path) -> str:
    path = tmp_path / "school.sqlite3"
    shutil.copy(demo_template, path)
    return f"sqlite:///{path}"


@pytest.fixture
def held(monkeypatch):
    """The database opens only when the test lets it (``held.set()``): a slow school PC."""
    gate = threading.Event()
    load = main_window.load_database

    def slow_load(database, url):
        assert gate.wait(30), "the test never let the database open"
        return load(database, url)

    monkeypatch.setattr(main_window, "load_database", slow_load)
    yield gate
    gate.set()


def shown_window(qtbot, url: str) -> MainWindow:
    window = MainWindow(database_url=url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def test_keys_typed_at_once_land_in_the_user_name_and_signing_in_waits(qtbot, demo_url, held):
    window = shown_window(qtbot, demo_url)
    page = window.sign_in
    assert page is not None and window.db is None  # the database is still opening
    assert QApplication.focusWidget() is page.username

    # typed as soon as the window shows, into whatever has the keyboard
    qtbot.keyClicks(QApplication.focusWidget(), "teacher1")
    assert page.username.text() == "teacher1"
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    assert QApplication.focusWidget() is page.password
    qtbot.keyClicks(QApplication.focusWidget(), "demo")
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)  # Sign in, before it is open

    # it waits, busy, with what was typed
    assert page.waiting and page.busy is not None and page.busy.isVisible()
    assert page.busy_note.isVisible() and not page.button.isEnabled()
    assert (page.username.text(), page.password.text()) == ("teacher1", "demo")
    assert window.workspace is None and window.pages.currentWidget() is page
    qtbot.wait(100)
    assert window.db is None and window.workspace is None

    held.set()  # the database opens: the sign-in goes on by itself
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=30_000)
    assert window.actor.username == "teacher1"
    assert not page.busy.isVisible() and page.button.isEnabled()
    assert window.quit_action.shortcut().toString() == "Ctrl+Q"


def test_a_wrong_password_typed_while_it_opens_is_said_once_it_is_open(qtbot, demo_url, held):
    window = shown_window(qtbot, demo_url)
    page = window.sign_in
    qtbot.keyClicks(page.username, "teacher1")
    qtbot.keyClicks(page.password, "wrong")
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert page.waiting
    held.set()
    qtbot.waitUntil(lambda: page.error.text() != "", timeout=30_000)
    assert window.workspace is None and page.username.text() == "teacher1"
    assert page.password.text() == "" and QApplication.focusWidget() is page.password


def test_without_a_hurry_the_form_is_the_same(qtbot, demo_url):
    window = shown_window(qtbot, demo_url)
    qtbot.waitUntil(lambda: window.db is not None and window.loader is None, timeout=30_000)
    assert window.sign_in.busy is None  # never needed
    page = window.sign_in
    qtbot.keyClicks(page.username, "admin")
    qtbot.keyClicks(page.password, "demo")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    assert window.workspace is not None and window.actor.username == "admin"


def test_a_database_that_cannot_be_opened_is_said_instead_of_the_form(qtbot, tmp_path):
    broken = tmp_path / "broken.sqlite3"
    broken.write_bytes(b"this is not a database file" * 100)
    window = shown_window(qtbot, f"sqlite:///{broken}")
    qtbot.waitUntil(lambda: window.loader is None and window._problem != "", timeout=30_000)
    assert window.pages.currentWidget() is window.problem_label
    assert "could not be opened" in window.problem_label.text()


def test_closing_while_the_database_opens_waits_for_it(qtbot, demo_url, held):
    window = shown_window(qtbot, demo_url)
    qtbot.waitUntil(lambda: window.loader is not None)  # started after the first paint
    loader = window.loader
    assert loader.thread.isRunning()
    threading.Timer(0.3, held.set).start()  # it finishes while the window closes
    window.close()
    assert not loader.thread.isRunning()
