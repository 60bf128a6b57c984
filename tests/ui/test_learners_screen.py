"""The roster from an empty database, as a coordinator and an administrator use it: groups,
learners, searching, moving, deactivating, accounts and their sign-in slips."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from PySide6.QtCore import Qt

from digcomp_app.services import accounts, learners, organisations
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Role
from digcomp_app.ui.main_window import MainWindow
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in
from tests.ui.test_admin import replace_text, type_file_name, type_text

LEFT = Qt.MouseButton.LeftButton
ADMIN_PW = "admin-pass-1"
COORD_PW = "coord-pass-1"


@pytest.fixture
def school(qtbot, tmp_path):
    """A new school: its first administrator, its name, a coordinator and a teacher."""
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}", password_hasher=FAST_HASHER)
    accounts.create_first_administrator(db, None, "rector", "Rūta Ozola", ADMIN_PW)
    admin = accounts.authenticate(db, None, "rector", ADMIN_PW)
    organisations.update_home(db, admin, name="Ķekavas vidusskola", keep_birth_date=True)
    accounts.create_user(db, admin, "koord", "Ilze Kalniņa", COORD_PW, [Role.COORDINATOR])
    accounts.create_user(db, admin, "skol", "Pēteris Liepiņš", "teach-pass-1", [Role.TEACHER])
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitUntil(lambda: win.sign_in is not None, timeout=10_000)
    yield win
    db.close()


def open_learners(qtbot, window, username: str, password: str):
    sign_in(qtbot, window, username, password)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)
    window.workspace.show_screen("learners")
    assert window.workspace.current_id() == "learners"
    return window.workspace.screen("learners")


def add_group(qtbot, screen, name: str) -> None:
    tab = screen.groups_tab
    screen.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, LEFT)
    dialog = tab.dialog
    assert dialog.school_year.text()  # this school year is proposed
    type_text(qtbot, dialog.name, name)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert tab.dialog is None, dialog.error.text()
    assert f"{name} was added" in tab.message.text()


def add_learner(qtbot, screen, given: str, surname: str, number: str, group: str) -> None:
    tab = screen.learners_tab
    screen.tabs.setCurrentWidget(tab)
    qtbot.mouseClick(tab.new_button, LEFT)
    dialog = tab.dialog
    assert dialog.birth_date.isVisibleTo(dialog)  # the school keeps dates of birth
    type_text(qtbot, dialog.given_names, given)
    type_text(qtbot, dialog.surname, surname)
    qtbot.keyClicks(dialog.number, number)
    dialog.group.setCurrentIndex(dialog.group.findText(group, Qt.MatchFlag.MatchStartsWith))
    qtbot.keyClicks(dialog.birth_date, "14.03.2008")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert tab.dialog is None, dialog.error.text()


def search_for(qtbot, tab, text: str) -> None:
    replace_text(qtbot, tab.search, text)
    qtbot.waitUntil(lambda: not tab._timer.isActive(), timeout=2_000)


def yes(qtbot, tab) -> None:
    box = tab.confirm_box
    assert box is not None and box.isVisible()
    qtbot.mouseClick(box.yes_button, LEFT)


def test_a_coordinator_builds_the_roster_of_a_new_school(qtbot, school):
    screen = open_learners(qtbot, school, "koord", COORD_PW)
    tab = screen.learners_tab
    assert tab.table.rowCount() == 0
    assert not tab.accounts_button.isEnabled()  # administrators only
    assert "administrator" in tab.accounts_button.toolTip()

    add_group(qtbot, screen, "2.a")
    add_group(qtbot, screen, "3.b")
    assert screen.groups_tab.row_texts("2.a")[2:] == ["0", "", "no"]

    # a learner number already used is refused, and what was typed stays
    add_learner(qtbot, screen, "Jānis", "Bērziņš", "R-1001", "2.a")
    qtbot.mouseClick(tab.new_button, LEFT)
    dialog = tab.dialog
    type_text(qtbot, dialog.given_names, "Anna")
    type_text(qtbot, dialog.surname, "Ozoliņa")
    qtbot.keyClicks(dialog.number, "R-1001")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "already belongs to Jānis Bērziņš" in dialog.error.text()
    assert dialog.isVisible() and dialog.surname.text() == "Ozoliņa"
    assert dialog.focusWidget() is dialog.number
    replace_text(qtbot, dialog.number, "R-1002")
    replace_text(qtbot, dialog.birth_date, "31.02.2008")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "day.month.year" in dialog.error.text()
    replace_text(qtbot, dialog.birth_date, "")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert tab.dialog is None

    assert tab.row_texts("R-1001") == ["Bērziņš", "Jānis", "R-1001", "2.a", "no", "yes"]
    search_for(qtbot, tab, "R-1001")
    assert tab.shown_numbers() == ["R-1001"]
    search_for(qtbot, tab, "berzins")  # no accents needed
    assert tab.shown_numbers() == ["R-1001"]
    search_for(qtbot, tab, "")
    assert sorted(tab.shown_numbers()) == ["R-1001", "R-1002"]

    # the record beside the list
    jb = learners.search(school.db, school.workspace.context.actor, "R-1001")[0]
    assert tab.select_learners(jb.id) == 1
    assert "R-1001" in tab.details.text() and "2.a" in tab.details.text()

    # edit
    qtbot.mouseClick(tab.edit_button, LEFT)
    dialog = tab.dialog
    assert dialog.birth_date.text() == "14.03.2008"
    replace_text(qtbot, dialog.given_names, "Jānis Pēteris")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert tab.dialog is None
    assert tab.row_texts("R-1001")[1] == "Jānis Pēteris"

    # move both to 3.b
    tab.table.selectAll()
    qtbot.mouseClick(tab.move_button, LEFT)
    dialog = tab.dialog
    assert "2 learners" in dialog.heading.text()
    dialog.group.setCurrentIndex(dialog.group.findText("3.b", Qt.MatchFlag.MatchStartsWith))
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "2 learners moved" in tab.message.text()
    assert tab.row_texts("R-1001")[3] == "3.b"
    assert tab.row_texts("R-1002")[3] == "3.b"

    # the group filter
    assert tab.select_group(screen.groups_tab.groups[0].id)  # 2.a, now empty
    qtbot.waitUntil(lambda: tab.table.rowCount() == 0)
    tab.select_group(None)

    # deactivate: gone from the list, back with "inactive"
    tab.refresh_list()
    tab.select_learners(jb.id)
    qtbot.mouseClick(tab.active_button, LEFT)
    assert "records" in tab.confirm_box.text() and "kept" in tab.confirm_box.text()
    yes(qtbot, tab)
    assert "deactivated" in tab.message.text()
    assert tab.shown_numbers() == ["R-1002"]
    tab.show_inactive.setFocus()
    qtbot.keyClick(tab.show_inactive, Qt.Key.Key_Space)
    assert tab.row_texts("R-1001")[5] == "no"
    tab.select_learners(jb.id)
    assert tab.active_button.text().replace("&", "") == "Reactivate"

    # archive 2.a
    groups = screen.groups_tab
    screen.tabs.setCurrentWidget(groups)
    assert groups.select_group("2.a")
    qtbot.mouseClick(groups.archive_button, LEFT)
    assert "stays on the cases opened in it" in groups.confirm_box.text()
    assert "no new learners" in groups.confirm_box.text()
    yes(qtbot, groups)
    assert groups.row_texts("2.a")[4] == "yes"
    assert groups.archive_button.text().replace("&", "") == "Restore"
    info = learners.list_groups(school.db, school.workspace.context.actor, include_archived=True)
    assert [g.archived for g in info if g.name == "2.a"] == [True]

    # the coordinator assigns the teacher
    assert groups.select_group("3.b")
    qtbot.mouseClick(groups.teachers_button, LEFT)
    dialog = groups.dialog
    assert dialog.teachers.count() == 1
    dialog.set_checked(dialog.teachers.item(0).data(Qt.ItemDataRole.UserRole), True)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert groups.row_texts("3.b")[3] == "Pēteris Liepiņš"


def pdf_text(path) -> str:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_an_administrator_gives_a_group_accounts_and_saves_the_slips(qtbot, school, tmp_path):
    admin = accounts.authenticate(school.db, None, "rector", ADMIN_PW)
    group = learners.create_group(school.db, admin, "1.c", "2025/2026")
    for number, (given, surname) in enumerate((("Līga", "Grīnberga"), ("Ķirsis", "Ērglis"))):
        learners.create(
            school.db, admin, given, surname, learner_number=f"N{number}", group_id=group.id
        )
    screen = open_learners(qtbot, school, "rector", ADMIN_PW)
    tab = screen.learners_tab
    assert not tab.accounts_button.isEnabled()  # nothing chosen, no group shown
    assert not screen.groups_tab.teachers_button.isEnabled()  # list_teachers: coordinators
    tab.select_group(group.id)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2)
    assert tab.accounts_button.isEnabled()
    qtbot.mouseClick(tab.accounts_button, LEFT)
    assert "2 learners of 1.c" in tab.confirm_box.text()
    yes(qtbot, tab)
    qtbot.waitUntil(lambda: tab.slips is not None, timeout=20_000)
    slips = tab.slips
    assert "cannot be shown again" in slips.warning.text()
    assert slips.table.rowCount() == 2
    assert tab.row_texts("N0")[4] == "yes"

    # closing before saving warns once
    qtbot.mouseClick(slips.close_button, LEFT)
    assert slips.isVisible() and "not saved" in slips.message.text()

    qtbot.mouseClick(slips.language_buttons["lv"], LEFT)
    qtbot.mouseClick(slips.save_button, LEFT)
    type_file_name(qtbot, slips.file_dialog, tmp_path / "lapinas.pdf")
    assert (tmp_path / "lapinas.pdf").read_bytes().startswith(b"%PDF")
    assert "liga.grinberga" in pdf_text(tmp_path / "lapinas.pdf")
    english = tmp_path / "slips.pdf"
    assert slips.save_slips(english, "en")
    assert "kirsis.erglis" in pdf_text(english)
    qtbot.mouseClick(slips.close_button, LEFT)
    assert tab.slips is None

    # the second time, everyone is skipped
    tab.refresh_list()
    tab.table.selectAll()
    qtbot.mouseClick(tab.accounts_button, LEFT)
    yes(qtbot, tab)
    qtbot.waitUntil(lambda: tab.slips is not None, timeout=20_000)
    assert tab.slips.skipped_list.toPlainText().count("already has the account") == 2
    assert not tab.slips.save_button.isEnabled()
    tab.slips.reject()


def test_staff_member_with_two_roles_and_a_password_reset_give_slips(qtbot, school, tmp_path):
    sign_in(qtbot, school, "rector", ADMIN_PW)
    qtbot.waitUntil(lambda: school.workspace is not None, timeout=10_000)
    school.workspace.show_screen("users")
    screen = school.workspace.screen("users")
    qtbot.mouseClick(screen.staff_button, LEFT)
    dialog = screen.dialog
    assert not dialog.roles.boxes[Role.LEARNER].isVisibleTo(dialog)
    type_text(qtbot, dialog.given_names, "Māra")
    type_text(qtbot, dialog.surname, "Zariņa")
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert "at least one role" in dialog.error.text()
    qtbot.keyClick(dialog.roles.boxes[Role.TEACHER], Qt.Key.Key_Space)
    qtbot.keyClick(dialog.roles.boxes[Role.COORDINATOR], Qt.Key.Key_Space)
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert screen.dialog is None
    assert screen.row_texts("mara.zarina")[2] == "coordinator, teacher"
    slips = screen.slips
    assert slips is not None and slips.table.item(0, 2).text() == "mara.zarina"
    assert slips.save_slips(tmp_path / "mara.pdf", "lv")
    slips.accept()

    # the search box filters the accounts
    type_text(qtbot, screen.search, "zarin")
    assert screen.shown_usernames() == ["mara.zarina"]
    replace_text(qtbot, screen.search, "")
    assert len(screen.shown_usernames()) == 4

    assert screen.select_user("skol")
    qtbot.mouseClick(screen.password_button, LEFT)
    dialog = screen.dialog
    assert "one-time password" in dialog.heading.text()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    assert screen.dialog is None
    assert "skol has a new one-time password" in screen.message.text()
    slips = screen.slips
    assert slips.table.item(0, 2).text() == "skol"
    assert slips.save_slips(tmp_path / "skol.pdf", "en")
    assert "skol" in pdf_text(tmp_path / "skol.pdf")
    slips.accept()


def test_turning_off_dates_of_birth_asks_and_erases_them(qtbot, school):
    admin = accounts.authenticate(school.db, None, "rector", ADMIN_PW)
    import datetime as dt

    learner = learners.create(school.db, admin, "Ieva", "Lāce", dt.date(2008, 5, 1))
    sign_in(qtbot, school, "rector", ADMIN_PW)
    qtbot.waitUntil(lambda: school.workspace is not None, timeout=10_000)
    school.workspace.show_screen("organisation")
    screen = school.workspace.screen("organisation")
    assert screen.keep_birth_date.isChecked() and screen.print_birth_date.isEnabled()
    screen.keep_birth_date.setFocus()
    qtbot.keyClick(screen.keep_birth_date, Qt.Key.Key_Space)
    assert not screen.print_birth_date.isEnabled()
    qtbot.mouseClick(screen.save_button, LEFT)
    box = screen.confirm_box
    assert box is not None and "erased" in box.text()
    erase = next(b for b in box.buttons() if "Erase" in b.text())
    qtbot.mouseClick(erase, LEFT)
    assert "saved" in screen.message.text()
    home = organisations.get_home(school.db, admin)
    assert not home.keep_birth_date
    record = learners.get_record(school.db, admin, learner.id)
    assert record.learner.date_of_birth is None
