"""The first start on an empty database: set up a new school, restore a backup, or try the
demo school."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from digcomp_app.services import accounts, backup, organisations
from digcomp_app.services.database import Database
from digcomp_app.ui.main_window import MainWindow
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in

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


def test_the_first_run_offers_three_ways_to_start(empty_window):
    page = empty_window.sign_in
    assert "no users yet" in page.note.text()
    for button in (page.setup_button, page.restore_button, page.demo_button):
        assert button.isVisible()
    assert not page.username.isVisible() and not page.button.isVisible()


def test_a_new_school_is_set_up_through_the_pages(qtbot, empty_window):
    page = empty_window.sign_in
    qtbot.mouseClick(page.setup_button, LEFT)
    setup = page.setup
    assert setup.isVisible() and "Step 1 of 3" in setup.heading.text()
    assert setup.country.text() == "LV" and not setup.keep_birth_date.isChecked()
    qtbot.mouseClick(setup.next_button, LEFT)
    assert setup.error.text() == "Enter the school's name."
    setup.school_name.setText("Rīgas Tehniskā koledža")  # keyClicks types ASCII only
    qtbot.keyClicks(setup.address, "Braslas iela 16, Riga")
    qtbot.keyClicks(setup.email, "info@rtk.lv")
    qtbot.mouseClick(setup.next_button, LEFT)
    assert "Step 2 of 3" in setup.heading.text()
    qtbot.keyClicks(setup.username, "rector")
    setup.display_name.setText("Rūta Ozola")
    qtbot.keyClicks(setup.password, "first admin pw")
    qtbot.keyClicks(setup.repeat, "other")
    qtbot.mouseClick(setup.next_button, LEFT)
    assert setup.error.text() == "The two passwords differ."
    assert accounts.needs_first_administrator(empty_window.db, None)
    qtbot.keyClicks(setup.repeat, "first admin pw")
    qtbot.mouseClick(setup.next_button, LEFT)
    assert "Step 3 of 3" in setup.heading.text(), setup.error.text()
    assert "Rīgas Tehniskā koledža" in setup.step_note.text()
    for action in ("import_learners", "import_staff", "users", "signing_key"):
        assert setup.step_buttons[action].isVisible()
    admin = accounts.authenticate(empty_window.db, None, "rector", "first admin pw")
    home = organisations.get_home(empty_window.db, admin)
    assert (home.name, home.country, home.address, home.email) == (
        "Rīgas Tehniskā koledža",
        "LV",
        "Braslas iela 16, Riga",
        "info@rtk.lv",
    )
    assert not home.keep_birth_date
    qtbot.mouseClick(setup.step_buttons["signing_key"], LEFT)
    qtbot.waitUntil(lambda: empty_window.workspace is not None, timeout=10_000)
    assert empty_window.actor.username == "rector"
    assert empty_window.workspace.current_id() == "signing_key"


def test_the_setup_can_go_back_to_the_choices_before_anything_is_made(qtbot, empty_window):
    page = empty_window.sign_in
    qtbot.mouseClick(page.setup_button, LEFT)
    qtbot.mouseClick(page.setup.back_button, LEFT)
    assert page.demo_button.isVisible() and not page.setup.isVisible()


def test_the_demo_school_opens_its_own_file_and_the_real_database_stays_empty(
    qtbot, empty_window, tmp_path
):
    real_url = empty_window.db.url
    page = empty_window.sign_in
    qtbot.mouseClick(page.demo_button, LEFT)
    qtbot.waitUntil(lambda: empty_window.is_demo, timeout=120_000)
    assert empty_window.db.url != real_url
    assert empty_window.db.url.endswith("demo.sqlite3")
    assert (tmp_path / "demo.sqlite3").is_file()  # beside the settings (tests/conftest.py)
    assert "DEMO SCHOOL" in empty_window.windowTitle()
    assert accounts.needs_first_administrator(empty_window.real_db, None)
    assert empty_window.sign_in is not page and "DEMO SCHOOL" in empty_window.sign_in.note.text()
    sign_in(qtbot, empty_window, "admin", "demo")
    qtbot.waitUntil(lambda: empty_window.workspace is not None, timeout=10_000)
    assert accounts.needs_first_administrator(empty_window.real_db, None)
    empty_window.leave_demo_action.trigger()
    assert not empty_window.is_demo and empty_window.db.url == real_url
    assert "DEMO SCHOOL" not in empty_window.windowTitle()
    assert empty_window.sign_in.setup_button.isVisible()


def test_an_empty_database_is_filled_from_a_backup_on_the_first_run(
    qtbot, empty_window, demo_db, tmp_path
):
    admin = accounts.authenticate(demo_db, None, "admin", "demo")
    saved = backup.create(demo_db, admin, tmp_path / "skolas kopija.digcomp", "ilga frāze 123")
    page = empty_window.sign_in
    qtbot.mouseClick(page.restore_button, LEFT)
    dialog = page.restore_dialog
    assert dialog.isVisible() and not dialog.target.isVisible()
    assert "still empty" in dialog.intro.text()
    dialog.source.setText(str(saved.path))
    dialog.admin.setText("admin")
    dialog.password.setText("wrong")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    assert "passphrase" in dialog.message.text()  # a sealed backup needs it
    dialog.passphrase.setText("not the phrase")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    # the first run has no school yet: the backup's school is shown and must be confirmed
    assert "comes from the school" in dialog.message.text()
    assert saved.school is not None and saved.school.short_id in dialog.message.text()
    assert dialog.task is None
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: "does not open" in dialog.message.text(), timeout=30_000)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=30_000)
    dialog.passphrase.setText("ilga frāze 123")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: "administrator" in dialog.message.text(), timeout=30_000)
    qtbot.waitUntil(dialog.restore_button.isEnabled, timeout=30_000)
    assert dialog.restored_url is None
    assert accounts.needs_first_administrator(empty_window.db, None)  # still empty
    dialog.password.setText("demo")
    qtbot.mouseClick(dialog.restore_button, LEFT)
    qtbot.waitUntil(lambda: dialog.restored_url is not None, timeout=60_000)
    assert "The backup came from the school" in dialog.message.text()
    dialog.close()
    qtbot.waitUntil(lambda: not page.restore_button.isVisible(), timeout=5_000)
    assert page.username.text() == "admin" and page.note.text().startswith("Restored ")
    qtbot.keyClicks(page.password, "demo")
    qtbot.keyClick(page.password, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: empty_window.workspace is not None, timeout=10_000)
    restored_users = accounts.list_users(empty_window.db, empty_window.actor)
    assert len(restored_users) == len(accounts.list_users(demo_db, admin))
