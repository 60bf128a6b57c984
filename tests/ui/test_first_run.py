"""The first start on an empty database: create the first administrator, or restore a backup."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from digcomp_app.services import accounts, backup
from digcomp_app.services.database import Database
from digcomp_app.ui.main_window import MainWindow
from tests.services.conftest import FAST_HASHER

LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def empty_window(qtbot, tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}", password_hasher=FAST_HASHER)
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.sign_in is not None, timeout=10_000)
    yield win
    db.close()


def test_the_first_administrator_is_created_and_signed_in(qtbot, empty_window):
    page = empty_window.sign_in
    assert "no users yet" in page.note.text() and page.restore_button.isVisible()
    qtbot.keyClicks(page.username, "rector")
    page.display_name.setText("Rūta Ozola")  # keyClicks types ASCII only
    qtbot.keyClicks(page.password, "first admin pw")
    qtbot.keyClicks(page.repeat, "first admin pw")
    qtbot.mouseClick(page.button, LEFT)
    qtbot.waitUntil(lambda: empty_window.workspace is not None, timeout=10_000)
    assert empty_window.actor.username == "rector"


def test_an_empty_database_is_filled_from_a_backup_on_the_first_run(
    qtbot, empty_window, demo_db, tmp_path
):
    admin = accounts.authenticate(demo_db, None, "admin", "demo")
    saved = backup.create(demo_db, admin, tmp_path / "skolas kopija.sqlite3")
    page = empty_window.sign_in
    qtbot.mouseClick(page.restore_button, LEFT)
    dialog = page.restore_dialog
    assert dialog.isVisible() and not dialog.target.isVisible()
    assert "still empty" in dialog.intro.text()
    dialog.source.setText(str(saved.path))
    dialog.admin.setText("admin")
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=30_000)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=30_000)
    assert dialog.restored_url is None
    assert accounts.needs_first_administrator(empty_window.db, None)  # still empty
    dialog.password.setText("demo")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: dialog.restored_url is not None, timeout=60_000)
    dialog.close()
    qtbot.waitUntil(lambda: not page.restore_button.isVisible(), timeout=5_000)
    assert page.username.text() == "admin" and page.note.text().startswith("Restored ")
    qtbot.keyClicks(page.password, "demo")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: empty_window.workspace is not None, timeout=10_000)
    restored_users = accounts.list_users(empty_window.db, empty_window.actor)
    assert len(restored_users) == len(accounts.list_users(demo_db, admin))
