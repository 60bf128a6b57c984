"""A school's first week, through the real window, from an EMPTY database and in Latvian.

No demo data: the administrator sets up the school, imports 30 learners in 2 groups from an
XLSX file and 3 teachers and a coordinator from a CSV file, creates a group's accounts and
saves their sign-in slips, and creates the signing key; the coordinator (first sign-in with
a slip's one-time password) creates a mobility in Latvian and English, adds participants and
a teacher; a learner signs in with a slip password, chooses their own, and self-assesses;
the teacher takes the case through the four stages; the coordinator approves it and prints
the attestation in English and Latvian.

With ``DIGCOMP_GUIDE_SHOTS=DIR`` the test also saves the screenshots of the user guide's
chapter "A new school year" into DIR (``docs/screenshots/new-school-*.png``).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import QDate, QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QWidget

from digcomp_app.framework import builtin_library
from digcomp_app.i18n import set_language
from digcomp_app.services import (
    accounts,
    certificates,
    learners,
    mobilities,
    self_assessment,
    validation,
)
from digcomp_app.services.database import Database
from digcomp_app.ui.main_window import MainWindow
from digcomp_app.ui.print_dialog import PrintDialog
from digcomp_app.ui.screens.rosters.wizard import RESULT, ImportWizard
from digcomp_app.ui.screens.signing.dialogs import CreateKeyDialog
from digcomp_app.ui.screens.validation.dialogs import OpenCaseDialog
from digcomp_app.ui.signing import PassphraseDialog
from digcomp_app.ui.slips_dialog import SlipsDialog
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in
from tests.ui.test_admin import type_text
from tests.ui.test_teacher import click_item, pick

LEFT = Qt.MouseButton.LeftButton
ADMIN_PASSWORD = "direktore-2026"
PASSPHRASE = "skolas paraksta atslēga"
CODE = "2026-1-LV01-KA122-VET-000123456"
SHOTS = os.environ.get("DIGCOMP_GUIDE_SHOTS", "")

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)

GIVEN = ("Anna", "Jānis", "Līga", "Mārtiņš", "Elīza", "Kārlis", "Ieva", "Roberts", "Zane", "Ēriks")
SURNAMES = ("Bērziņa", "Kalniņš", "Ozola", "Liepiņš", "Krūmiņa", "Vītols")


def write_class_lists(path: Path) -> Path:
    """What a school register exports: Latvian headers, a row counter, two classes."""
    book = Workbook()
    sheet = book.active
    sheet.title = "Izglītojamie"
    sheet.append(["Nr. p.k.", "Skolēna nr.", "Vārds", "Uzvārds", "Grupa", "E-pasts"])
    for n in range(30):
        group = "DT-26" if n < 15 else "ME-26"
        given, surname = GIVEN[n % len(GIVEN)], SURNAMES[n % len(SURNAMES)]
        sheet.append([n + 1, f"R{2601 + n}", given, surname, group, ""])
    book.save(path)
    return path


def write_staff(path: Path) -> Path:
    """Saved by Excel in Latvian: ';' between columns, Windows-1257."""
    text = (
        "Vārds;Uzvārds;Loma\n"
        "Ilze;Ozola;skolotāja\n"
        "Edgars;Vilks;skolotājs\n"
        "Dace;Priede;skolotāja\n"
        "Inga;Kļaviņa;koordinatore\n"
    )
    path.write_bytes(text.encode("cp1257"))
    return path


def shot(widget: QWidget, name: str) -> None:
    """A screenshot for the user guide (only when DIGCOMP_GUIDE_SHOTS names a folder)."""
    if not SHOTS:
        return
    QApplication.processEvents()
    folder = Path(SHOTS)
    folder.mkdir(parents=True, exist_ok=True)
    assert widget.grab().save(str(folder / f"new-school-{name}.png"))


def when_shown(qtbot, kind, handle) -> list[bool]:
    """Run ``handle(dialog)`` once a visible ``kind`` window appears (modal dialogs run
    their own event loop, so the test waits for them from a timer)."""
    done: list[bool] = []

    def poll(tries: int = 1500) -> None:
        found = [w for w in QApplication.topLevelWidgets() if isinstance(w, kind) and w.isVisible()]
        if found:
            handle(found[0])
            done.append(True)
        elif tries:
            QTimer.singleShot(20, lambda: poll(tries - 1))

    QTimer.singleShot(0, poll)
    return done


def drive_import(qtbot, path: Path, after=None):
    """The import wizard, as a person uses it: file, columns, preview, import, result."""
    seen: dict[str, object] = {}

    def handle(wizard: ImportWizard) -> None:
        wizard.choose_file(path)
        qtbot.waitUntil(lambda: wizard.task is None and wizard.table is not None, timeout=30_000)
        qtbot.mouseClick(wizard.next_button, LEFT)  # the columns
        shot(wizard, f"import-{wizard.kind}-columns")
        qtbot.mouseClick(wizard.next_button, LEFT)  # the preview
        qtbot.waitUntil(lambda: wizard.plan is not None and wizard.task is None, timeout=30_000)
        shot(wizard, f"import-{wizard.kind}-preview")
        seen["plan"] = wizard.plan
        assert wizard.import_button.isEnabled(), [p.message for p in wizard.plan.problems]
        qtbot.mouseClick(wizard.import_button, LEFT)
        qtbot.waitUntil(lambda: wizard.result is not None, timeout=60_000)
        assert wizard.stack.currentIndex() == RESULT
        seen["result"] = wizard.result
        if after is not None:
            after(wizard)
        qtbot.mouseClick(wizard.close_button, LEFT)

    seen["done"] = when_shown(qtbot, ImportWizard, handle)
    return seen


def choose_password(qtbot, window: MainWindow, one_time: str, new: str) -> None:
    """The first sign-in with a slip's password: the window asks for one's own first."""
    qtbot.waitUntil(
        lambda: window.password_page is not None and window.password_page.isVisible(),
        timeout=10_000,
    )
    page = window.password_page
    assert window.workspace is None  # nothing else before the new password
    type_text(qtbot, page.current, one_time)
    type_text(qtbot, page.new, new)
    type_text(qtbot, page.repeat, new)
    shot(window, "choose-password")
    qtbot.mouseClick(page.save_button, LEFT)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)


def sign_in_first_time(qtbot, window: MainWindow, credential, new_password: str) -> None:
    window.sign_out()
    qtbot.waitUntil(lambda: window.sign_in is not None and window.sign_in.isVisible())
    sign_in(qtbot, window, credential.username, credential.password)
    choose_password(qtbot, window, credential.password, new_password)
    assert window.actor.username == credential.username
    assert not window.actor.must_change_password


def sign_in_again(qtbot, window: MainWindow, username: str, password: str) -> None:
    window.sign_out()
    qtbot.waitUntil(lambda: window.sign_in is not None and window.sign_in.isVisible())
    sign_in(qtbot, window, username, password)
    qtbot.waitUntil(lambda: window.workspace is not None, timeout=10_000)


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


@pytest.fixture
def empty_window(qtbot, tmp_path):
    set_language("lv")
    db = Database(f"sqlite:///{tmp_path / 'skola.sqlite3'}", password_hasher=FAST_HASHER)
    assert accounts.needs_first_administrator(db, None)
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.resize(1366, 740)
    window.show()
    qtbot.waitExposed(window)
    qtbot.waitUntil(lambda: window.sign_in is not None, timeout=10_000)
    yield window
    db.close()


@pytest.fixture
def quick_keyboard_search():
    """A combo box's search by typing starts anew after the keyboard input interval (400 ms
    by default); ``pick`` waits that long before each level it types, 21 times here. A
    shorter interval for this test: the same choices by typing, without 8 s of waiting."""
    default = QApplication.keyboardInputInterval()
    QApplication.setKeyboardInputInterval(50)
    yield
    QApplication.setKeyboardInputInterval(default)


@needs_poppler
def test_a_new_school_year_from_an_empty_database(
    qtbot, empty_window, tmp_path, quick_keyboard_search
):
    window, db = empty_window, empty_window.db
    roster = write_class_lists(tmp_path / "izglitojamie.xlsx")
    staff_file = write_staff(tmp_path / "darbinieki.csv")

    # --- the administrator sets up the school --------------------------------------------
    page = window.sign_in
    shot(window, "first-run")
    qtbot.mouseClick(page.setup_button, LEFT)
    setup = page.setup
    type_text(qtbot, setup.school_name, "Daugavkrastu tehnikums")
    type_text(qtbot, setup.address, "Krasta iela 12, Rīga")
    type_text(qtbot, setup.email, "info@daugavkrasts.lv")
    shot(window, "setup-school")
    qtbot.mouseClick(setup.next_button, LEFT)
    type_text(qtbot, setup.username, "direktore")
    type_text(qtbot, setup.display_name, "Rasma Kalna")
    type_text(qtbot, setup.password, ADMIN_PASSWORD)
    type_text(qtbot, setup.repeat, ADMIN_PASSWORD)
    qtbot.mouseClick(setup.next_button, LEFT)
    qtbot.waitUntil(lambda: not accounts.needs_first_administrator(db, None), timeout=10_000)
    shot(window, "setup-next-steps")

    # next step "import learners": the workspace opens with the import wizard
    learners_import = drive_import(qtbot, roster)
    qtbot.mouseClick(setup.step_buttons["import_learners"], LEFT)
    qtbot.waitUntil(lambda: bool(learners_import["done"]), timeout=120_000)
    plan, result = learners_import["plan"], learners_import["result"]
    assert plan.count("create") == 30 and plan.new_groups == ("DT-26", "ME-26")
    assert (result.created, result.groups_created) == (30, ("DT-26", "ME-26"))
    admin = window.actor
    assert admin.username == "direktore"
    groups = {g.name: g for g in learners.list_groups(db, admin)}
    assert groups["DT-26"].member_count == 15 and groups["ME-26"].member_count == 15

    # staff from the CSV, on the users screen: their one-time passwords come on slips
    window.workspace.show_screen("users")
    users_screen = window.workspace.screen("users")
    staff_slips = tmp_path / "darbinieku-lapinas.pdf"

    def save_staff_slips(wizard: ImportWizard) -> None:
        qtbot.waitUntil(lambda: wizard.slips_dialog is not None, timeout=10_000)
        dialog = wizard.slips_dialog
        assert dialog.save_slips(staff_slips, "lv")
        qtbot.mouseClick(dialog.close_button, LEFT)

    staff_import = drive_import(qtbot, staff_file, after=save_staff_slips)
    qtbot.mouseClick(users_screen.import_button, LEFT)
    qtbot.waitUntil(lambda: bool(staff_import["done"]), timeout=120_000)
    staff = {c.username: c for c in staff_import["result"].credentials}
    assert set(staff) == {"ilze.ozola", "edgars.vilks", "dace.priede", "inga.klavina"}
    assert "inga.klavina" in pdf_text(staff_slips)

    # learner accounts for DT-26, and their sign-in slips
    window.workspace.show_screen("learners")
    roster_screen = window.workspace.screen("learners")
    tab = roster_screen.learners_tab
    tab.select_group(groups["DT-26"].id)
    qtbot.waitUntil(lambda: tab.table.rowCount() == 15)
    shot(window, "learners")
    qtbot.mouseClick(tab.accounts_button, LEFT)
    qtbot.mouseClick(tab.confirm_box.yes_button, LEFT)
    qtbot.waitUntil(lambda: tab.slips is not None, timeout=60_000)
    slips: SlipsDialog = tab.slips
    assert len(slips.credentials) == 15
    shot(slips, "slips")
    learner_slips = tmp_path / "DT-26-lapinas.pdf"
    assert slips.save_slips(learner_slips, "lv")
    anna = next(c for c in slips.credentials if c.full_name == "Anna Bērziņa")
    qtbot.mouseClick(slips.close_button, LEFT)
    text = pdf_text(learner_slips)
    if SHOTS:  # the first page of the slips, as printed
        subprocess.run(
            [
                "pdftoppm",
                "-r",
                "60",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                str(learner_slips),
                str(Path(SHOTS) / "new-school-slips-page"),
            ],
            check=True,
        )
    assert anna.username in text and anna.password in text and "Daugavkrastu tehnikums" in text

    # the school's signing key
    window.workspace.show_screen("signing_key")
    key_screen = window.workspace.screen("signing_key")

    def create_key(dialog: CreateKeyDialog) -> None:
        type_text(qtbot, dialog.passphrase, PASSPHRASE)
        type_text(qtbot, dialog.repeated, PASSPHRASE)
        qtbot.keyClick(dialog.understood, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.create_button, LEFT)

    created = when_shown(qtbot, CreateKeyDialog, create_key)
    qtbot.mouseClick(key_screen.create_button, LEFT)
    assert created and key_screen.active_key() is not None

    # --- the coordinator: first sign-in, a mobility in two languages -------------------------
    sign_in_first_time(qtbot, window, staff["inga.klavina"], "ingas-parole-1")
    coordinator = window.actor
    window.workspace.show_screen("mobilities")
    screen = window.workspace.screen("mobilities")
    qtbot.mouseClick(screen.new_button, LEFT)
    form = screen.editor.form
    qtbot.keyClicks(form.code, CODE)
    type_text(qtbot, form.title, "Prakse tīmekļa izstrādes studijā Boloņā")
    type_text(qtbot, form.objective, "Četras nedēļas tīmekļa studijā.")
    english = form.text_edits["en"]
    form.text_tabs.setCurrentIndex(1)
    type_text(qtbot, english["title"], "Placement in a web studio in Bologna")
    type_text(qtbot, english["objective"], "Four weeks in a web development studio.")
    type_text(qtbot, english["activities"], "Building and testing customer websites.")

    def add_host(dialog) -> None:
        type_text(qtbot, dialog.name, "Officina Digitale Bologna S.r.l.")
        type_text(qtbot, dialog.country, "IT")
        qtbot.mouseClick(dialog.ok_button, LEFT)

    added = when_shown(qtbot, QDialog, add_host)
    qtbot.mouseClick(form.add_host_button, LEFT)
    qtbot.waitUntil(lambda: bool(added), timeout=10_000)
    today = dt.date.today()
    form.start_date.setDate(QDate(today.year, today.month, 1).addMonths(-2))
    form.end_date.setDate(QDate(today.year, today.month, 1).addMonths(-1))
    shot(window, "mobility")
    qtbot.mouseClick(screen.editor.save_button, LEFT)
    found = mobilities.list_all(db, coordinator, text=CODE)
    assert len(found) == 1, screen.editor.error.text()
    mobility = found[0]
    assert mobility.texts["en"]["title"] == "Placement in a web studio in Bologna"
    assert mobility.texts["lv"]["title"] == "Prakse tīmekļa izstrādes studijā Boloņā"

    people = screen.editor.people
    screen.editor.tabs.setCurrentWidget(people)
    qtbot.keyClicks(people.search, "berzina")
    qtbot.waitUntil(lambda: people.results.count() >= 1)
    for row in range(people.results.count()):
        people.results.item(row).setSelected(True)
    qtbot.mouseClick(people.add_button, LEFT)
    participants = mobilities.list_participants(db, coordinator, mobility.id)
    assert anna.full_name in [p.full_name for p in participants]
    teachers = people.teachers_box
    teachers.choice.setCurrentIndex(
        teachers.choice.findText("Ilze Ozola", Qt.MatchFlag.MatchStartsWith)
    )
    qtbot.mouseClick(teachers.assign_button, LEFT)
    assert [t.username for t in mobilities.list_teachers(db, coordinator, mobility.id)] == [
        "ilze.ozola"
    ]

    # --- a learner with the password from her slip ------------------------------------------
    sign_in_first_time(qtbot, window, anna, "annas-parole-9")
    learner = window.actor
    window.workspace.show_screen("self_assessment")
    sa_screen = window.workspace.screen("self_assessment")
    start = sa_screen.start_page
    start.purpose.setCurrentIndex(
        next(
            i
            for i in range(start.purpose.count())
            if CODE in start.purpose.itemText(i) or "Boloņā" in start.purpose.itemText(i)
        )
    )
    qtbot.mouseClick(start.start_button, LEFT)
    questionnaire = sa_screen.questionnaire
    qtbot.waitUntil(lambda: sa_screen.pages.currentWidget() is questionnaire)
    competences = [c.id for c in builtin_library().get("digcomp", "3.0").competences()]
    chosen = {c: 2 + i % 4 for i, c in enumerate(competences)}
    for number, competence_id in enumerate(competences):
        assert questionnaire.competence.id == competence_id
        button = questionnaire.panel.level_rows[chosen[competence_id]].button
        questionnaire.panel.level_rows[chosen[competence_id]].setFocus()
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
        qtbot.waitUntil(lambda c=competence_id: questionnaire.info.answer_for(c) is not None)
        if number == 3:
            shot(window, "self-assessment")
        if number < len(competences) - 1:
            qtbot.mouseClick(questionnaire.next_button, LEFT)
    qtbot.mouseClick(questionnaire.finish_button, LEFT)
    qtbot.waitUntil(lambda: sa_screen.pages.currentWidget() is start)
    done = self_assessment.history(db, learner, learner.learner_id)
    assert done[-1].completed_at is not None and done[-1].mobility_id == mobility.id
    assert {a.competence_id: a.level for a in done[-1].answers} == chosen

    # --- the teacher takes the case through the four stages ----------------------------------
    sign_in_first_time(qtbot, window, staff["ilze.ozola"], "ilzes-parole-3")
    teacher = window.actor
    window.workspace.show_screen("cases")
    cases = window.workspace.screen("cases")
    panel = cases.learners
    qtbot.keyClicks(panel.search, "berzina")
    qtbot.waitUntil(lambda: any(i.text(0) == anna.full_name for i in panel.learner_items()))
    item = next(i for i in panel.learner_items() if i.text(0) == anna.full_name)
    click_item(qtbot, panel.tree, item)
    case_panel = cases.case

    def open_case(dialog: OpenCaseDialog) -> None:
        titles = [dialog.mobility.itemText(i) for i in range(dialog.mobility.count())]
        dialog.mobility.setCurrentIndex(next(i for i, t in enumerate(titles) if "Boloņā" in t))
        box = dialog.findChild(QDialogButtonBox)
        qtbot.mouseClick(box.button(QDialogButtonBox.StandardButton.Ok), LEFT)

    opened = when_shown(qtbot, OpenCaseDialog, open_case)
    qtbot.mouseClick(case_panel.first_case_button, LEFT)
    qtbot.waitUntil(lambda: bool(opened) and case_panel.case is not None, timeout=10_000)
    case = case_panel.case
    assert case.mobility_id == mobility.id and case.group == "DT-26"
    targets = case_panel.targets
    wanted = {t.competence_id for t in case.targets}  # seeded from her self-assessment
    assert wanted == set(competences)
    qtbot.mouseClick(targets.save_button, LEFT)
    qtbot.mouseClick(case_panel.advance_button, LEFT)  # → documentation
    assert validation.get_case(db, teacher, case.id).stage == "documentation"
    evidence_file = tmp_path / "Mājaslapas projekts.txt"
    evidence_file.write_text("Klienta mājaslapa: prasības, makets, testi.", encoding="utf-8")
    from tests.ui.test_teacher import drop_files

    assert drop_files(case_panel.evidence.list.viewport(), [evidence_file]).isAccepted()
    shot(window, "case-evidence")
    qtbot.mouseClick(case_panel.advance_button, LEFT)  # → assessment
    assert case_panel.case.stage == "assessment"
    page, assessment_form = case_panel.assessment, case_panel.assessment.form
    for index in range(page.table.topLevelItemCount()):
        row = page.table.topLevelItem(index)
        competence_id = row.data(0, Qt.ItemDataRole.UserRole)
        click_item(qtbot, page.table, row)
        pick(qtbot, assessment_form.level, str(chosen[competence_id]))
        assessment_form.method.setCurrentIndex(1)
        qtbot.mouseClick(assessment_form.save_button, LEFT)
        assert case_panel.message.kind == "info", case_panel.message.text()
    qtbot.mouseClick(case_panel.advance_button, LEFT)  # → certification
    assert validation.get_case(db, teacher, case.id).stage == "certification"

    # --- the coordinator approves and prints in English and Latvian --------------------------
    sign_in_again(qtbot, window, "inga.klavina", "ingas-parole-1")
    window.workspace.show_screen("certification")
    desk = window.workspace.screen("certification")
    queue = desk.queue
    assert [c.id for c in queue.cases()] == [case.id]
    queue.tree.setCurrentItem(queue.tree.topLevelItem(0))

    def approve(box) -> None:
        button = next(b for b in box.buttons() if "izsniegt" in b.text().replace("&", "").lower())
        button.click()

    def unlock(dialog: PassphraseDialog) -> None:
        type_text(qtbot, dialog.passphrase, PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    from PySide6.QtWidgets import QMessageBox

    approved = when_shown(qtbot, QMessageBox, approve)
    unlocked = when_shown(qtbot, PassphraseDialog, unlock)
    qtbot.mouseClick(queue.approve_button, LEFT)
    qtbot.waitUntil(lambda: bool(approved) and bool(unlocked), timeout=30_000)
    issued = [c for c in certificates.list_register(db, window.actor) if c.case_id == case.id]
    assert len(issued) == 1 and issued[0].status == "issued"
    serial = issued[0].serial

    register = desk.register
    desk.tabs.setCurrentWidget(register)
    assert register.select_serial(serial)
    shot(window, "register")
    out = tmp_path / "apliecinajumi"

    def print_both(dialog: PrintDialog) -> None:
        button = dialog.language.buttons[("lv", "en")]
        qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
        dialog.folder.edit.clear()
        qtbot.keyClicks(dialog.folder.edit, str(out))
        qtbot.mouseClick(dialog.save_button, LEFT)

    printed = when_shown(qtbot, PrintDialog, print_both)
    qtbot.mouseClick(register.print_button, LEFT)
    qtbot.waitUntil(
        lambda: bool(printed) and register.documents.outcome is not None, timeout=120_000
    )
    register.documents.outcome.close()
    files = sorted(out.glob(f"{serial}*.pdf"))
    assert len(files) == 1 and files[0].name.endswith("_lv-en.pdf")
    text = pdf_text(files[0])
    assert "Anna" in text and "Bērziņa" in text
    assert "Placement in a web studio in Bologna" in text  # the English part
    assert "Prakse tīmekļa izstrādes studijā Boloņā" in text  # the Latvian part
    competence = builtin_library().get("digcomp", "3.0").competence(competences[0])
    assert competence.title.get("lv") in text and competence.title.get("en") in text
    assert "Daugavkrastu tehnikums" in text
