"""The import wizard, driven as a person would: a real file, its columns, the preview,
the import in the background (with Cancel), the result and the staff's sign-in slips."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt

from digcomp_app.framework import builtin_library
from digcomp_app.services import accounts, learners
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.rosters.wizard import COLUMNS, FILE, PREVIEW, RESULT, ImportWizard

LEFT = Qt.MouseButton.LeftButton
GIVEN = ("Anna", "Jānis", "Līga", "Mārtiņš", "Elīza", "Kārlis", "Ieva", "Roberts", "Zane", "Ēriks")
SURNAMES = ("Bērziņa", "Kalniņš", "Ozola", "Liepiņš", "Krūmiņa", "Vītols")


def learner_rows(count: int = 30) -> list[tuple[str, str, str, str, str]]:
    return [
        (
            GIVEN[i % len(GIVEN)],
            SURNAMES[i % len(SURNAMES)],
            f"T{1001 + i}",
            "7.a" if i < count // 2 else "7.b",
            f"0{i % 9 + 1}.0{i % 9 + 1}.2012",
        )
        for i in range(count)
    ]


def write_xlsx(path: Path, rows) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(("Vārds", "Uzvārds", "Skolēna nr.", "Klase", "Dzimšanas datums", "Personas kods"))
    for row in rows:
        sheet.append((*row, "010112-12345"))
    book.save(path)
    return path


@pytest.fixture
def admin_context(demo_db) -> UiContext:
    actor = accounts.authenticate(demo_db, None, "admin", "demo")
    return UiContext(demo_db, actor, builtin_library())


def make_wizard(qtbot, context: UiContext, kind: str) -> ImportWizard:
    wizard = ImportWizard(None, context, kind)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    return wizard


def read(qtbot, wizard: ImportWizard, path: Path) -> None:
    wizard.choose_file(path)
    qtbot.waitUntil(lambda: wizard.task is None, timeout=20_000)


def to_preview(qtbot, wizard: ImportWizard) -> None:
    qtbot.mouseClick(wizard.next_button, LEFT)
    assert wizard.stack.currentIndex() == COLUMNS
    qtbot.mouseClick(wizard.next_button, LEFT)
    assert wizard.stack.currentIndex() == PREVIEW
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.task is None, timeout=20_000)


def learner_numbers(db, actor) -> set[str]:
    found = set()
    for group in learners.list_groups(db, actor):
        found |= {m.learner_number for m in learners.group_members(db, actor, group.id)}
    return found


def test_thirty_learners_in_two_groups_are_previewed_and_imported(qtbot, admin_context, tmp_path):
    path = write_xlsx(tmp_path / "klases.xlsx", learner_rows(30))
    wizard = make_wizard(qtbot, admin_context, "learners")
    assert not wizard.next_button.isEnabled()
    read(qtbot, wizard, path)
    assert "30 rows" in wizard.file_status.text() and "XLSX" in wizard.file_status.text()
    assert wizard.next_button.isEnabled()
    # the columns step: recognised from the Latvian headers, the personal code left out
    qtbot.mouseClick(wizard.next_button, LEFT)
    combos = wizard.column_combos
    assert combos["given_names"].currentText() == "Vārds"
    assert combos["learner_number"].currentText() == "Skolēna nr."
    assert combos["group"].currentText() == "Klase"
    assert combos["full_name"].currentData() == -1
    assert all(
        combos["email"].itemText(i) != "Personas kods" for i in range(combos["email"].count())
    )
    assert "We recognised these columns" in wizard.columns_note.text()
    assert "Personas kods" in wizard.sensitive_note.text()
    assert wizard.column_examples["surname"].text() == "e.g. Bērziņa"
    # the preview
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.task is None, timeout=20_000)
    counts = wizard.counts_label.text()
    assert "Will create 30 learners, update 0, 0 unchanged." in counts
    assert "New groups: 7.a, 7.b." in counts
    assert not wizard.problems_table.isVisible()
    assert wizard.rows_table.rowCount() == 30
    assert wizard.rows_table.item(0, 1).text() == "Anna Bērziņa"
    assert wizard.rows_table.item(0, 2).text() == "T1001"
    assert wizard.rows_table.item(0, 3).text() == "7.a"
    assert wizard.rows_table.item(0, 4).text() == "new"
    assert wizard.import_button.isEnabled()
    # the import and its result
    qtbot.mouseClick(wizard.import_button, LEFT)
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=30_000)
    assert wizard.stack.currentIndex() == RESULT and wizard.imported
    text = wizard.result_label.text()
    assert "Created 30, updated 0, unchanged 0, empty rows skipped 0." in text
    assert "Groups created: 7.a, 7.b." in text
    actor = admin_context.actor
    groups = {g.name: g.member_count for g in learners.list_groups(admin_context.db, actor)}
    assert groups["7.a"] == 15 and groups["7.b"] == 15
    assert {f"T{1001 + i}" for i in range(30)} <= learner_numbers(admin_context.db, actor)
    assert wizard.close_button.text() == "&Close"


def test_importing_the_same_file_again_changes_nothing(qtbot, admin_context, tmp_path):
    path = write_xlsx(tmp_path / "klases.xlsx", learner_rows(4))
    first = make_wizard(qtbot, admin_context, "learners")
    read(qtbot, first, path)
    to_preview(qtbot, first)
    qtbot.mouseClick(first.import_button, LEFT)
    qtbot.waitUntil(lambda: first.result is not None, timeout=30_000)
    again = make_wizard(qtbot, admin_context, "learners")
    read(qtbot, again, path)
    to_preview(qtbot, again)
    assert "Will create 0 learners, update 0, 4 unchanged." in again.counts_label.text()
    assert again.rows_table.item(0, 4).text() == "no change"


def test_a_bad_file_lists_its_problems_and_imports_nothing(qtbot, admin_context, tmp_path):
    path = tmp_path / "slikts.csv"
    path.write_text(
        "Vārds;Uzvārds;Skolēna nr.;Klase;Dzimšanas datums\n"
        "Anna;Bērziņa;B1;7.a;01.02.2012\n"
        "Jānis;Kalniņš;B1;7.a;31.02.2012\n"
        "Līga;Ozola;;7.b;\n",
        encoding="utf-8",
    )
    before = learner_numbers(admin_context.db, admin_context.actor)
    wizard = make_wizard(qtbot, admin_context, "learners")
    read(qtbot, wizard, path)
    to_preview(qtbot, wizard)
    table = wizard.problems_table
    assert wizard.problems_table.isVisible() and table.rowCount() >= 3
    lines = {table.item(row, 0).text() for row in range(table.rowCount())}
    assert {"3", "4"} <= lines
    assert "Dzimšanas datums" in {table.item(row, 1).text() for row in range(table.rowCount())}
    assert "nothing will be imported until every problem is solved" in (
        wizard.problems_label.text()
    )
    assert not wizard.import_button.isEnabled()
    wizard.start_import()  # even when asked directly
    assert wizard.task is None and wizard.result is None
    assert learner_numbers(admin_context.db, admin_context.actor) == before
    # corrected in the spreadsheet program, read again: the problems are gone
    path.write_text(
        "Vārds;Uzvārds;Skolēna nr.;Klase;Dzimšanas datums\n"
        "Anna;Bērziņa;B1;7.a;01.02.2012\n"
        "Jānis;Kalniņš;B2;7.a;28.02.2012\n",
        encoding="utf-8",
    )
    qtbot.mouseClick(wizard.reload_button, LEFT)
    qtbot.waitUntil(lambda: wizard.task is None and wizard.plan is not None, timeout=20_000)
    assert wizard.plan.ok and wizard.import_button.isEnabled()
    assert wizard.stack.currentIndex() == PREVIEW and not wizard.problems_table.isVisible()


def test_a_file_that_cannot_be_read_is_explained_on_the_file_step(qtbot, admin_context, tmp_path):
    path = tmp_path / "saraksts.csv"
    path.write_bytes(b"%PDF-1.7 not a roster")
    wizard = make_wizard(qtbot, admin_context, "learners")
    read(qtbot, wizard, path)
    assert wizard.stack.currentIndex() == FILE
    assert wizard.file_error.isVisible() and "PDF" in wizard.file_error.text()
    assert not wizard.next_button.isEnabled()


def test_unsure_columns_are_asked_for(qtbot, admin_context, tmp_path):
    path = tmp_path / "saraksts.csv"
    path.write_text("A;B;C\nAnna;Bērziņa;X1\n", encoding="utf-8")
    wizard = make_wizard(qtbot, admin_context, "learners")
    read(qtbot, wizard, path)
    qtbot.mouseClick(wizard.next_button, LEFT)
    assert "Please say which column holds" in wizard.columns_note.text()
    combos = wizard.column_combos
    combos["given_names"].setCurrentIndex(combos["given_names"].findData(0))
    combos["surname"].setCurrentIndex(combos["surname"].findData(1))
    combos["learner_number"].setCurrentIndex(combos["learner_number"].findData(2))
    assert wizard.column_examples["learner_number"].text() == "e.g. X1"
    wizard.default_group.setCurrentText("5.c")
    qtbot.mouseClick(wizard.next_button, LEFT)
    qtbot.waitUntil(lambda: wizard.plan is not None and wizard.task is None, timeout=20_000)
    assert wizard.plan.ok and wizard.plan.rows[0].group == "5.c"
    assert "New groups: 5.c." in wizard.counts_label.text()


def test_cancel_during_the_import_leaves_nothing(qtbot, admin_context, tmp_path):
    path = write_xlsx(tmp_path / "liels.xlsx", learner_rows(600))
    before = learner_numbers(admin_context.db, admin_context.actor)
    wizard = make_wizard(qtbot, admin_context, "learners")
    read(qtbot, wizard, path)
    to_preview(qtbot, wizard)
    qtbot.mouseClick(wizard.import_button, LEFT)
    assert wizard.task is not None
    wizard.task.dialog.canceled.emit()  # what the progress dialog's Cancel button does
    qtbot.waitUntil(lambda: wizard.task is None, timeout=30_000)
    assert wizard.result is None and wizard.stack.currentIndex() == PREVIEW
    assert "cancelled: nothing was imported" in wizard.import_note.text()
    assert learner_numbers(admin_context.db, admin_context.actor) == before
    names = {g.name for g in learners.list_groups(admin_context.db, admin_context.actor)}
    assert not {"7.a", "7.b"} & names
    assert wizard.import_button.isEnabled()  # it can be tried again


def test_staff_get_accounts_with_one_time_passwords_on_slips(qtbot, admin_context, tmp_path):
    path = tmp_path / "darbinieki.csv"
    path.write_text(
        "Vārds;Uzvārds;Loma\n"
        "Inese;Kļaviņa;skolotājs\n"
        "Pēteris;Zariņš;skolotājs, koordinators\n"
        "Baiba;Zvaigzne;skolotājs\n",
        encoding="utf-8",
    )
    wizard = make_wizard(qtbot, admin_context, "staff")
    assert not wizard.groups_box.isVisible()
    read(qtbot, wizard, path)
    to_preview(qtbot, wizard)
    assert wizard.plan.ok
    assert "Will create 2 accounts, add roles to 1, 0 unchanged." in wizard.counts_label.text()
    qtbot.mouseClick(wizard.import_button, LEFT)
    qtbot.waitUntil(lambda: wizard.result is not None, timeout=30_000)
    assert len(wizard.result.credentials) == 2
    assert "one-time passwords" in wizard.result_label.text()
    slips = wizard.slips_dialog
    assert slips is not None and slips.isVisible() and wizard.slips_button.isVisible()
    target = tmp_path / "lapiņas.pdf"
    assert slips.save_slips(target, "lv")
    assert target.read_bytes().startswith(b"%PDF")
    # a slip's password works once and then asks for a new one
    credential = wizard.result.credentials[0]
    actor = accounts.authenticate(admin_context.db, None, credential.username, credential.password)
    assert actor.must_change_password


def test_the_wizard_fits_a_1366x768_screen_with_a_larger_font(qtbot, qapp, admin_context, tmp_path):
    from PySide6.QtGui import QFont

    from digcomp_app.i18n import set_language

    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSizeF(14)
    qapp.setFont(font)
    try:
        for language in ("lv", "en"):
            set_language(language)
            for kind in ("learners", "staff"):
                wizard = make_wizard(qtbot, admin_context, kind)
                read(qtbot, wizard, write_xlsx(tmp_path / "klases.xlsx", learner_rows(3)))
                qtbot.mouseClick(wizard.next_button, LEFT)
                for page in (FILE, COLUMNS):
                    wizard.stack.setCurrentIndex(page)
                    least = wizard.minimumSizeHint().expandedTo(wizard.minimumSize())
                    assert least.width() <= 1366 and least.height() <= 740, (language, kind)
                wizard.close()
    finally:
        qapp.setFont(before)
        set_language("en")
