"""Signing in with a one-time password: the window asks for the person's own password first."""

from __future__ import annotations

from PySide6.QtCore import Qt

from digcomp_app.services import accounts
from tests.ui.conftest import sign_in

LEFT = Qt.MouseButton.LeftButton


def one_time_password(db, username: str) -> str:
    admin = accounts.authenticate(db, None, "admin", "demo")
    user = next(u for u in accounts.list_users(db, admin) if u.username == username)
    return accounts.reset_password(db, admin, user.id).password


def test_a_one_time_password_leads_to_choosing_ones_own_then_the_workspace(qtbot, window, demo_db):
    password = one_time_password(demo_db, "teacher1")
    sign_in(qtbot, window, "teacher1", password)
    page = window.password_page
    assert page is not None and window.pages.currentWidget() is page
    assert window.workspace is None
    assert "Choose your password" in page.heading.text()
    qtbot.keyClicks(page.current, password)
    qtbot.keyClicks(page.new, "short")
    qtbot.keyClicks(page.repeat, "short")
    qtbot.mouseClick(page.save_button, LEFT)
    assert "at least 8 characters" in page.error.text()
    page.current.setText("wrong one")
    page.new.setText("my own password")
    page.repeat.setText("my own password")
    qtbot.mouseClick(page.save_button, LEFT)
    assert page.error.text() == "The current password is wrong."
    page.current.setText(password)
    page.repeat.setText("my own passwort")
    qtbot.mouseClick(page.save_button, LEFT)
    assert page.error.text() == "The two new passwords differ."
    qtbot.keyClicks(page.repeat, "my own password")
    qtbot.keyClick(page.repeat, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    assert window.password_page is None
    assert not window.actor.must_change_password
    assert window.pages.currentWidget() is window.workspace
    assert not accounts.authenticate(
        demo_db, None, "teacher1", "my own password"
    ).must_change_password


def test_cancel_on_the_password_page_signs_out(qtbot, window, demo_db):
    password = one_time_password(demo_db, "coordinator")
    sign_in(qtbot, window, "coordinator", password)
    page = window.password_page
    assert page is not None
    qtbot.mouseClick(page.cancel_button, LEFT)
    assert window.actor is None and window.workspace is None
    assert window.password_page is None
    assert window.pages.currentWidget() is window.sign_in
    assert accounts.authenticate(demo_db, None, "coordinator", password).must_change_password
