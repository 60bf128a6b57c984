"""The Restore dialog with sealed backups: another school's backup must be confirmed, and
an old, unsealed backup restores with its warning shown (docs/decisions/0023)."""

from __future__ import annotations

from PySide6.QtCore import Qt

from digcomp_app.services import accounts, backup
from digcomp_app.services.backup import sealed as sealed_file
from digcomp_app.services.database import Database
from tests.services.conftest import FAST_HASHER
from tests.ui.test_admin import open_screen, replace_text

LEFT = Qt.MouseButton.LeftButton
PHRASE = "citas skolas frāze"


def test_restore_dialog_names_another_school_and_warns_about_unsealed_backups(
    qtbot, window, tmp_path
):
    other = Database(f"sqlite:///{tmp_path / 'other.sqlite3'}", password_hasher=FAST_HASHER)
    try:
        accounts.create_first_administrator(other, None, "admin", "Cita", "demo-demo-1")
        admin = accounts.authenticate(other, None, "admin", "demo-demo-1")
        theirs = backup.create(other, admin, tmp_path / "cita.digcomp", PHRASE)
    finally:
        other.close()
    found = sealed_file.read_sealed_header(theirs.path)
    assert found is not None
    old = tmp_path / "old.sqlite3"
    sealed_file.open_sealed(theirs.path, found, PHRASE, old)  # as old versions wrote them

    screen = open_screen(qtbot, window, "database")
    qtbot.mouseClick(screen.backup.restore_button, LEFT)
    dialog = screen.backup.restore_dialog
    replace_text(qtbot, dialog.source, str(theirs.path))
    replace_text(qtbot, dialog.target, str(tmp_path / "new.sqlite3"))
    replace_text(qtbot, dialog.password, "demo-demo-1")
    replace_text(qtbot, dialog.passphrase, PHRASE)
    qtbot.mouseClick(dialog.restore_button, LEFT)
    assert "another school" in dialog.message.text() and dialog.task is None
    assert theirs.school is not None and theirs.school.short_id in dialog.message.text()
    qtbot.mouseClick(dialog.restore_button, LEFT)  # confirmed
    qtbot.waitUntil(lambda: dialog.restored_url is not None, timeout=60_000)
    assert dialog.message.text().startswith("Restored ")

    replace_text(qtbot, dialog.source, str(old))
    replace_text(qtbot, dialog.target, str(tmp_path / "new2.sqlite3"))
    dialog.passphrase.clear()
    dialog.restored_url = None
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: dialog.restored_url is not None, timeout=60_000)
    assert "Warning:" in dialog.message.text() and "not encrypted" in dialog.message.text()
