"""The administrator's screens as people use them: users and roles, the school, the database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QColor, QImage, QKeyEvent
from PySide6.QtWidgets import QApplication, QLineEdit, QPushButton

from digcomp_app.services import (
    accounts,
    backup_checks,
    evidence,
    learners,
    organisations,
    validation,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import AuthenticationFailed
from digcomp_app.services.permissions import Role
from digcomp_app.settings import load_settings
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in

LEFT = Qt.MouseButton.LeftButton


def open_screen(qtbot, window, screen_id: str):
    sign_in(qtbot, window, "admin")
    window.workspace.show_screen(screen_id)
    assert window.workspace.current_id() == screen_id
    return window.workspace.screen(screen_id)


def admin_actor(window):
    return window.workspace.context.actor


def users_by_name(window) -> dict[str, accounts.UserInfo]:
    return {u.username: u for u in accounts.list_users(window.db, admin_actor(window))}


def type_text(qtbot, widget, text: str) -> None:
    """Type like a keyboard with a Latvian layout (QTest itself types only ASCII)."""
    for char in text:
        if char.isascii():
            qtbot.keyClicks(widget, char)
            continue
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                widget, QKeyEvent(kind, Qt.Key.Key_unknown, Qt.KeyboardModifier.NoModifier, char)
            )


def type_file_name(qtbot, chooser, path: Path) -> None:
    """Type a file name into an open file dialog and press Enter."""
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    # the dialog fills in the proposed name once it has read the folder
    qtbot.waitUntil(lambda: bool(name_field.text()), timeout=5_000)
    qtbot.wait(50)
    replace_text(qtbot, name_field, str(path))
    assert name_field.text() == str(path)
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert not chooser.isVisible()


def open_file_named(qtbot, chooser, path: Path) -> None:
    """Type the name of a file to open into an open file dialog and press Enter."""
    assert chooser is not None and chooser.isVisible()
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    qtbot.wait(100)  # the dialog reads its folder first
    replace_text(qtbot, name_field, str(path))
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert not chooser.isVisible()


def replace_text(qtbot, field: QLineEdit, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    type_text(qtbot, field, text)


# --------------------------------------------------------------------------- users


def test_admin_adds_a_user_with_roles_changes_roles_and_deactivates(qtbot, window):
    screen = open_screen(qtbot, window, "users")
    assert "teacher1" in screen.row_texts("teacher1")
    qtbot.mouseClick(screen.add_button, LEFT)
    dialog = screen.dialog
    assert dialog is not None and dialog.isVisible()
    for widget in (dialog.username, dialog.display_name, dialog.password, dialog.repeat):
        assert widget.accessibleName()
    qtbot.keyClicks(dialog.username, "teacher1")
    type_text(qtbot, dialog.display_name, "Jānis Bērziņš")
    qtbot.keyClicks(dialog.password, "labs-parole-1")
    qtbot.keyClicks(dialog.repeat, "labs-parole-2")
    qtbot.keyClick(dialog.roles.boxes[Role.TEACHER], Qt.Key.Key_Space)
    qtbot.keyClick(dialog.roles.boxes[Role.COORDINATOR], Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "passwords differ" in dialog.error.text()
    replace_text(qtbot, dialog.repeat, "labs-parole-1")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "already taken" in dialog.error.text()  # the service's own words
    assert dialog.isVisible()
    replace_text(qtbot, dialog.username, "jberzins")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert screen.dialog is None
    assert screen.row_texts("jberzins") == [
        "jberzins",
        "Jānis Bērziņš",
        "coordinator, teacher",
        "yes",
        "",
    ]
    assert "jberzins was added" in screen.message.text()
    created = users_by_name(window)["jberzins"]
    assert created.roles == {Role.TEACHER, Role.COORDINATOR} and created.active
    assert screen.selected_user().username == "jberzins"

    # change roles: no longer a coordinator
    qtbot.mouseClick(screen.roles_button, LEFT)
    roles_dialog = screen.dialog
    assert not roles_dialog.roles.boxes[Role.LEARNER].isEnabled()  # not linked to a learner
    qtbot.keyClick(roles_dialog.roles.boxes[Role.COORDINATOR], Qt.Key.Key_Space)
    qtbot.mouseClick(roles_dialog.ok_button, LEFT)
    assert screen.row_texts("jberzins")[2] == "teacher"
    assert users_by_name(window)["jberzins"].roles == {Role.TEACHER}

    # deactivate: the account can no longer sign in
    assert screen.active_button.text() == "&Deactivate"
    qtbot.mouseClick(screen.active_button, LEFT)
    assert screen.row_texts("jberzins")[3] == "no"
    assert users_by_name(window)["jberzins"].active is False
    assert screen.active_button.text() == "Ac&tivate"
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(window.db, None, "jberzins", "labs-parole-1")

    # the administrator cannot deactivate themself: said in plain words
    screen.select_user("admin")
    qtbot.mouseClick(screen.active_button, LEFT)
    assert "cannot deactivate your own account" in screen.message.text()
    assert users_by_name(window)["admin"].active


def test_a_learner_account_needs_the_learner_number(qtbot, window):
    screen = open_screen(qtbot, window, "users")
    qtbot.mouseClick(screen.add_button, LEFT)
    dialog = screen.dialog
    assert not dialog.learner_number.isEnabled()
    qtbot.keyClicks(dialog.username, "jauns")
    qtbot.keyClicks(dialog.password, "parole-123")
    qtbot.keyClicks(dialog.repeat, "parole-123")
    qtbot.keyClick(dialog.roles.boxes[Role.LEARNER], Qt.Key.Key_Space)
    assert dialog.learner_number.isEnabled()
    # administrators now see the roster too, so they find the learner by name
    assert dialog.can_search and "learner's name" in dialog.learner_note.text()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "learner's number" in dialog.error.text()
    qtbot.keyClicks(dialog.learner_number, "999999")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "no learner with the number 999999" in dialog.error.text()
    qtbot.mouseClick(dialog.cancel_button, LEFT)
    assert screen.dialog is None
    assert "jauns" not in users_by_name(window)


def test_reset_password_and_unlock_lift_a_lock(qtbot, window, tmp_path):
    for username in ("teacher2", "teacher3"):
        for _attempt in range(accounts.MAX_FAILURES):
            with pytest.raises(AuthenticationFailed):
                accounts.authenticate(window.db, None, username, "wrong")
    screen = open_screen(qtbot, window, "users")
    assert screen.row_texts("teacher2")[4].startswith("until ")
    assert screen.select_user("teacher2")
    assert screen.unlock_button.isEnabled()

    qtbot.mouseClick(screen.password_button, LEFT)
    dialog = screen.dialog
    assert "one-time password" in dialog.heading.text()  # the administrator types none
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert screen.dialog is None
    assert "teacher2 has a new one-time password" in screen.message.text()
    assert screen.row_texts("teacher2")[4] == ""
    assert users_by_name(window)["teacher2"].locked_until is None
    slips = screen.slips
    assert slips is not None and "cannot be shown again" in slips.warning.text()
    assert slips.credentials[0].username == "teacher2"
    password = slips.credentials[0].password
    slips.save_slips(tmp_path / "slip.pdf", "lv")
    assert (tmp_path / "slip.pdf").read_bytes().startswith(b"%PDF")
    slips.accept()
    signed_in = accounts.authenticate(window.db, None, "teacher2", password)
    assert signed_in.must_change_password  # they choose their own at once

    assert screen.select_user("teacher3")
    qtbot.mouseClick(screen.unlock_button, LEFT)
    assert screen.row_texts("teacher3")[4] == ""
    assert users_by_name(window)["teacher3"].locked_until is None
    assert not screen.unlock_button.isEnabled()
    assert accounts.authenticate(window.db, None, "teacher3", "demo").username == "teacher3"


# --------------------------------------------------------------------------- organisation


def test_admin_edits_the_schools_name_in_latvian(qtbot, window):
    screen = open_screen(qtbot, window, "organisation")
    name = screen.fields["name"]
    assert name.text()  # the demo school
    assert not screen.save_button.isEnabled()
    replace_text(qtbot, name, "Rīgas Valsts tehnikums — Ķekavas nodaļa")
    replace_text(qtbot, screen.fields["country"], "L")
    qtbot.mouseClick(screen.save_button, LEFT)
    assert "two-letter code" in screen.message.text()
    assert screen.fields["country"].hasFocus()
    qtbot.keyClicks(screen.fields["country"], "v")
    qtbot.mouseClick(screen.save_button, LEFT)
    assert "saved" in screen.message.text()
    home = organisations.get_home(window.db, admin_actor(window))
    assert home.name == "Rīgas Valsts tehnikums — Ķekavas nodaļa"
    assert home.country == "LV"
    assert screen.fields["country"].text() == "LV"
    assert not screen.save_button.isEnabled()


def test_admin_chooses_the_logo_and_it_is_shown_after_signing_in_again(qtbot, window, tmp_path):
    screen = open_screen(qtbot, window, "organisation")
    assert screen.logo_preview.pixmap().isNull() and screen.logo_preview.text() == "No logo"
    assert screen.logo_button.isEnabled() and not screen.remove_logo_button.isEnabled()

    # A file that only calls itself a picture is refused, and nothing is stored.
    fake = tmp_path / "logo.png"
    fake.write_text("not a picture")
    qtbot.mouseClick(screen.logo_button, LEFT)
    open_file_named(qtbot, screen.file_dialog, fake)
    assert screen.message.text() == "logo.png: A logo must be a PNG or JPEG picture."
    assert organisations.home_logo(window.db, admin_actor(window)) is None

    picture = QImage(400, 100, QImage.Format.Format_RGB32)
    picture.fill(QColor("navy"))
    path = tmp_path / "skolas logo.png"
    assert picture.save(str(path))
    qtbot.mouseClick(screen.logo_button, LEFT)
    chooser = screen.file_dialog
    assert chooser is not None and chooser.isVisible()
    assert chooser.directory().absolutePath() == str(tmp_path)  # where the last one was
    open_file_named(qtbot, chooser, path)
    assert "logo was saved" in screen.message.text()
    assert organisations.home_logo(window.db, admin_actor(window)) == path.read_bytes()
    shown = screen.logo_preview.pixmap()
    assert not shown.isNull()
    assert shown.width() / shown.devicePixelRatio() == 240  # scaled down to fit, 4:1 kept
    assert shown.height() / shown.devicePixelRatio() == 60
    assert screen.remove_logo_button.isEnabled()

    # Signed out and in again: a new screen reads the logo from the database.
    window.sign_out()
    again = open_screen(qtbot, window, "organisation")
    assert again is not screen
    assert again.logo_preview.pixmap().toImage().pixelColor(10, 10) == QColor("navy")

    qtbot.mouseClick(again.remove_logo_button, LEFT)
    assert "logo was removed" in again.message.text()
    assert again.logo_preview.pixmap().isNull() and again.logo_preview.text() == "No logo"
    assert organisations.home_logo(window.db, admin_actor(window)) is None
    assert not again.remove_logo_button.isEnabled()


def test_the_date_of_birth_choice_is_saved_with_the_details(qtbot, window):
    screen = open_screen(qtbot, window, "organisation")
    box = screen.print_birth_date
    assert not box.isChecked() and not screen.save_button.isEnabled()
    box.setFocus()
    qtbot.keyClick(box, Qt.Key.Key_Space)
    assert box.isChecked() and screen.save_button.isEnabled()
    qtbot.mouseClick(screen.save_button, LEFT)
    assert "saved" in screen.message.text()
    assert organisations.get_home(window.db, admin_actor(window)).print_birth_date is True
    window.sign_out()
    assert open_screen(qtbot, window, "organisation").print_birth_date.isChecked()


# --------------------------------------------------------------------------- database


def wait_for_result(qtbot, box) -> str:
    qtbot.waitUntil(lambda: bool(box.result.text()), timeout=20_000)
    return box.result.text()


def test_test_connection_succeeds_for_a_new_sqlite_file(qtbot, window, tmp_path):
    screen = open_screen(qtbot, window, "database")
    assert "school.sqlite3" in screen.in_use.text()
    box = screen.connection
    target = tmp_path / "uus" / "new.sqlite3"
    qtbot.mouseClick(box.sqlite_choice, LEFT)
    replace_text(qtbot, box.file, str(target))
    qtbot.mouseClick(box.test_button, LEFT)
    assert "connection works" in wait_for_result(qtbot, box)
    assert target.exists()  # prepared, ready for use


def test_test_connection_explains_a_wrong_postgresql_address(qtbot, window):
    screen = open_screen(qtbot, window, "database")
    box = screen.connection
    box.postgresql_choice.setFocus()
    qtbot.keyClick(box.postgresql_choice, Qt.Key.Key_Space)
    assert box.url.isEnabled() and not box.file.isEnabled()
    replace_text(qtbot, box.url, "postgresql://nobody@127.0.0.1:1/none")
    qtbot.mouseClick(box.test_button, LEFT)
    text = wait_for_result(qtbot, box)
    assert text.startswith("The database could not be opened")
    assert "Check the server's name" in text
    assert "(psycopg" not in text and "sqlalche.me" not in text
    assert box.test_button.isEnabled()


def test_save_writes_the_database_setting(qtbot, window, tmp_path):
    screen = open_screen(qtbot, window, "database")
    box = screen.connection
    qtbot.mouseClick(box.browse_button, LEFT)
    chooser = box.file_dialog
    assert chooser is not None and chooser.isVisible()
    type_file_name(qtbot, chooser, tmp_path / "skola.sqlite3")
    assert Path(box.file.text()) == tmp_path / "skola.sqlite3"
    qtbot.mouseClick(box.save_button, LEFT)
    assert "next start" in box.result.text()
    assert load_settings().database_url == f"sqlite:///{tmp_path / 'skola.sqlite3'}"

    box.postgresql_choice.setChecked(True)
    replace_text(qtbot, box.url, "postgresql://digcomp:slepens@db.skola.lv/digcomp")
    qtbot.mouseClick(box.save_button, LEFT)
    assert load_settings().database_url == "postgresql://digcomp:slepens@db.skola.lv/digcomp"
    assert "slepens" not in box.result.text()  # the password is not shown


def test_back_up_now_writes_a_backup_file(qtbot, window, tmp_path):
    screen = open_screen(qtbot, window, "database")
    box = screen.backup
    assert "a lost passphrase means a lost backup" in box.passphrase_note.text()
    replace_text(qtbot, box.passphrase, "short")
    qtbot.mouseClick(box.backup_button, LEFT)
    assert box.file_dialog is None and "at least 10 characters" in box.result.text()
    replace_text(qtbot, box.passphrase, "rezerves frāze 2024")
    replace_text(qtbot, box.passphrase_again, "rezerves frāze 2025")
    qtbot.mouseClick(box.backup_button, LEFT)
    assert box.file_dialog is None and "not the same" in box.result.text()
    replace_text(qtbot, box.passphrase_again, "rezerves frāze 2024")
    qtbot.mouseClick(box.backup_button, LEFT)
    chooser = box.file_dialog
    assert chooser is not None and chooser.isVisible()
    target = tmp_path / "rezerves kopija.sqlite3"
    type_file_name(qtbot, chooser, target)
    task = box.task
    assert task is not None
    assert task.dialog.isVisible() and task.dialog.windowTitle() == "Backing up"
    assert not box.backup_button.isEnabled()
    qtbot.waitUntil(lambda: box.last_backup is not None, timeout=30_000)
    assert box.backup_button.isEnabled()
    assert target.exists() and target.stat().st_size > 0
    assert not task.dialog.isVisible()
    assert "Backup written to" in box.result.text() and str(target) in box.result.text()
    assert box.last_backup.users == len(users_by_name(window))

    # Restore it into a new database through the dialog: a wrong password first.
    qtbot.mouseClick(box.restore_button, LEFT)
    assert box.restore_help.isVisible()
    assert "restore FILE --admin admin" in box.restore_help.text()
    dialog = box.restore_dialog
    assert dialog.isVisible() and dialog.admin.text() == "admin"
    restored = tmp_path / "atjaunota.sqlite3"
    qtbot.mouseClick(dialog.restore_button, LEFT)
    assert "backup file" in dialog.message.text()  # nothing chosen yet
    replace_text(qtbot, dialog.source, str(target))
    replace_text(qtbot, dialog.target, str(restored))
    replace_text(qtbot, dialog.password, "not the password")
    replace_text(qtbot, dialog.passphrase, "rezerves frāze 2024")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: dialog.message.text() != "", timeout=30_000)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=30_000)
    assert "password" in dialog.message.text() and dialog.restored_url is None
    replace_text(qtbot, dialog.password, "demo")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: dialog.restored_url is not None, timeout=60_000)
    assert dialog.message.text().startswith("Restored ") and "next start" in dialog.message.text()
    assert load_settings().database_url == f"sqlite:///{restored}"
    copy = Database(f"sqlite:///{restored}", password_hasher=FAST_HASHER)
    try:
        admin = accounts.authenticate(copy, None, "admin", "demo")
        assert len(accounts.list_users(copy, admin)) == len(users_by_name(window))
    finally:
        copy.close()
    assert window.db.url != dialog.restored_url  # the database in use is untouched


def test_a_backup_shows_its_progress_and_cancel_leaves_no_file(
    qtbot, window, tmp_path, monkeypatch
):
    # a school with some 36 MB of evidence, copied a page at a time: time to press Cancel
    monkeypatch.setattr(backup_checks, "COPY_STEP_PAGES", 1)
    teacher = accounts.authenticate(window.db, None, "teacher1", "demo")
    case = next(
        c
        for c in validation.list_cases(window.db, teacher)
        if c.stage in ("identification", "documentation")
    )
    shows = (case.targets[0].competence_id,)
    for number in range(12):
        diary = (f"{number}. " + "Prakses dienasgrāmata. " * 140_000).encode()[: 3 * 2**20]
        evidence.add_file(window.db, teacher, case.id, f"d{number}.txt", diary, "D", shows)
    screen = open_screen(qtbot, window, "database")
    box = screen.backup
    folder = tmp_path / "kopijas"
    folder.mkdir()
    replace_text(qtbot, box.passphrase, "rezerves frāze 2024")
    replace_text(qtbot, box.passphrase_again, "rezerves frāze 2024")
    qtbot.mouseClick(box.backup_button, LEFT)
    type_file_name(qtbot, box.file_dialog, folder / "kopija.sqlite3")
    task = box.task
    dialog = task.dialog
    qtbot.waitUntil(lambda: dialog.value() > 0, timeout=20_000)
    assert dialog.isVisible() and dialog.maximum() > dialog.value()  # the bar moves
    assert dialog.labelText().startswith("Copying the database…\nTo: ")
    assert str(folder / "kopija.sqlite3") in dialog.labelText()
    cancel = dialog.findChild(QPushButton)
    assert cancel.text() == "Cancel"
    qtbot.mouseClick(cancel, LEFT)
    qtbot.waitUntil(box.backup_button.isEnabled, timeout=30_000)
    assert box.result.text() == "The backup was cancelled; no file was written."
    assert list(folder.iterdir()) == []  # neither the backup nor a half-written part of it
    assert box.last_backup is None and not dialog.isVisible()
    assert QApplication.activeModalWidget() is None  # no error message for a cancel

    # Started again and left alone, it finishes.
    qtbot.mouseClick(box.backup_button, LEFT)
    type_file_name(qtbot, box.file_dialog, folder / "kopija.sqlite3")
    qtbot.waitUntil(lambda: box.last_backup is not None, timeout=60_000)
    assert [p.name for p in folder.iterdir()] == ["kopija.sqlite3"]
    assert box.last_backup.evidence_files >= 12


def test_an_administrator_who_is_also_coordinator_finds_the_learner_by_name(qtbot, window):
    admin = accounts.authenticate(window.db, None, "admin", "demo")
    accounts.create_user(
        window.db, admin, "vadiba", "Vadība", "parole-123", [Role.ADMINISTRATOR, Role.COORDINATOR]
    )
    boss = accounts.authenticate(window.db, None, "vadiba", "parole-123")
    newcomer = learners.create(window.db, boss, "Līga", "Grīnberga")
    sign_in(qtbot, window, "vadiba", "parole-123")
    window.workspace.show_screen("users")
    screen = window.workspace.screen("users")
    qtbot.mouseClick(screen.add_button, LEFT)
    dialog = screen.dialog
    assert dialog.learner_search.isVisibleTo(dialog)
    qtbot.keyClicks(dialog.username, "lgrinberga")
    qtbot.keyClicks(dialog.password, "parole-123")
    qtbot.keyClicks(dialog.repeat, "parole-123")
    qtbot.keyClick(dialog.roles.boxes[Role.LEARNER], Qt.Key.Key_Space)
    qtbot.keyClicks(dialog.learner_search, "grinbergs")  # no accents needed
    assert "Ričards Grīnbergs" in dialog.learner_matches.currentText()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "already has an account: learner08" in dialog.error.text()  # one account each

    replace_text(qtbot, dialog.learner_search, "liga grinb")
    assert dialog.learner_matches.currentText().startswith("Līga Grīnberga")
    assert dialog.learner_number.text() == str(newcomer.id)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert screen.dialog is None
    created = users_by_name(window)["lgrinberga"]
    assert created.learner_id == newcomer.id and created.roles == {Role.LEARNER}
    assert screen.row_texts("lgrinberga")[2] == "learner"
