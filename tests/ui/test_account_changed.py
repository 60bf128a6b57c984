"""A person deactivated or demoted by an administrator on another PC is signed out at their
next action, with a message on the sign-in page (issue 11)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from digcomp_app.services import accounts
from digcomp_app.services.database import Database
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in


def other_pc(demo_db: Database) -> Database:
    """The same school database opened by another PC (its own engine and connections)."""
    return Database(demo_db.url, password_hasher=FAST_HASHER)


def click_screen(qtbot, window, screen_id: str) -> None:
    navigation = window.workspace.navigation
    row = [spec.id for spec in window.workspace.specs].index(screen_id)
    item = navigation.item(row)
    navigation.scrollToItem(item)
    qtbot.mouseClick(
        navigation.viewport(),
        Qt.MouseButton.LeftButton,
        pos=navigation.visualItemRect(item).center(),
    )


def test_a_teacher_deactivated_on_another_pc_is_signed_out_at_the_next_click(
    qtbot, window, demo_db
):
    sign_in(qtbot, window, "teacher1")
    assert window.workspace is not None
    elsewhere = other_pc(demo_db)
    try:
        admin = accounts.authenticate(elsewhere, None, "admin", "demo")
        teacher = next(u for u in accounts.list_users(elsewhere, admin) if u.username == "teacher1")
        accounts.set_active(elsewhere, admin, teacher.id, False)
    finally:
        elsewhere.close()
    click_screen(qtbot, window, "cases")  # the cases screen asks the services for its list
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in, timeout=3000)
    assert window.actor is None and window.workspace is None
    assert "changed by an administrator" in window.sign_in.note.text()
    assert window.sign_in.username.text() == ""
    sign_in(qtbot, window, "teacher1")  # deactivated: no way back in
    assert window.workspace is None


def test_a_demoted_coordinator_is_signed_out_and_signs_in_with_the_new_roles(
    qtbot, window, demo_db
):
    sign_in(qtbot, window, "coordinator")
    elsewhere = other_pc(demo_db)
    try:
        admin = accounts.authenticate(elsewhere, None, "admin", "demo")
        user = next(u for u in accounts.list_users(elsewhere, admin) if u.username == "coordinator")
        accounts.set_roles(elsewhere, admin, user.id, ["teacher"])
    finally:
        elsewhere.close()
    click_screen(qtbot, window, "mobilities")  # lists mobilities
    qtbot.waitUntil(lambda: window.pages.currentWidget() is window.sign_in, timeout=3000)
    assert "changed by an administrator" in window.sign_in.note.text()
    sign_in(qtbot, window, "coordinator")
    assert window.workspace is not None
    assert window.actor.roles == {"teacher"}
    home = window.workspace.screen("home")
    assert "roles: teacher." in home.greeting.text()
