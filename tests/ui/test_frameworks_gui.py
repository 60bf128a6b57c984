"""Frameworks screen: an administrator imports a Moodle framework through its dialogs (the
report of a bad file, the preview, Add), removes one (refused while records use it, asked
first otherwise); everyone exports the framework shown for Moodle. Only the modal file
dialog is replaced (``files.open_file`` / ``files.save_file``): the rest runs as clicked."""

from __future__ import annotations

import csv
import io

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from digcomp_app.framework.moodle import import_csv
from digcomp_app.services import accounts, frameworks_library, self_assessment
from digcomp_app.ui.screens.frameworks import files
from digcomp_app.ui.screens.frameworks.dialogs import MoodlePreviewDialog, ReportDialog
from tests.conftest import DATA
from tests.ui.conftest import sign_in

VECTOR = DATA / "moodle" / "small-framework.csv"


def frameworks_screen(qtbot, window, user):
    sign_in(qtbot, window, user)
    window.workspace.show_screen("frameworks")
    return window.workspace.screen("frameworks")


def choose_file(monkeypatch, path):
    monkeypatch.setattr(files, "open_file", lambda *_args: str(path))


def picker_titles(screen):
    return [screen.picker.itemText(i) for i in range(screen.picker.count())]


def tree_texts(tree):
    found = []
    for index in range(tree.topLevelItemCount()):
        area = tree.topLevelItem(index)
        found.append(area.text(0))
        found += [area.child(c).text(0) for c in range(area.childCount())]
    return found


def test_import_a_moodle_file_through_the_preview(qtbot, window, demo_db, monkeypatch):
    screen = frameworks_screen(qtbot, window, "admin")
    assert screen.import_button.isVisible() and screen.add_button.isVisible()
    assert not screen.remove_button.isEnabled()  # DigComp is built in
    choose_file(monkeypatch, VECTOR)
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    preview = screen.dialog
    assert isinstance(preview, MoodlePreviewDialog) and preview.isVisible()
    assert "School digital literacy" in preview.intro.text()
    assert "2 areas, 3 competences, 3 levels" in preview.intro.text()
    assert preview.levels.text() == "Levels: 1 Beginner; 2 Practitioner; 3 Expert"
    assert tree_texts(preview.tree) == [
        "A  Working with information",
        "A.1  Searching",
        "A.2  Judging sources",
        "B  Safety",
        "B-1  Strong passwords",
    ]
    judging = preview.tree.topLevelItem(0).child(1)
    assert judging.child(0).text(0) == "Names the author of a page"
    # what the import changed is said: the statement below a competence, the missing licence
    assert "competence statement" in preview.notes.text() and "licence" in preview.notes.text()
    assert preview.chosen() == ("school-dl", "1.0", "en")
    qtbot.mouseClick(preview.add_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: screen.dialog is None)
    # listed, shown, and in every screen's library
    assert "School digital literacy" in picker_titles(screen)
    assert screen.framework.key == ("school-dl", "1.0")
    assert screen.picker.currentText() == "School digital literacy"
    assert "school-dl 1.0 is in the school's library" in screen.message.text()
    assert "Added to the school's library by admin" in screen.origin.text()
    assert window.workspace.context.library.find("school-dl", "1.0") is not None
    [added] = frameworks_library.list_added(demo_db, window.actor)
    assert (added.framework_id, added.origin) == ("school-dl", "moodle")
    assert screen.remove_button.isEnabled()
    # the same file again: the library refuses it, and the report says why
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(screen.dialog.add_button, Qt.MouseButton.LeftButton)
    report = screen.dialog
    assert isinstance(report, ReportDialog)
    assert report.report() == [
        "The library already has school-dl 1.0; give the new one another id or version."
    ]
    report.reject()


def test_a_malformed_file_gets_a_report_with_every_problem_and_its_row(
    qtbot, window, demo_db, monkeypatch, tmp_path
):
    screen = frameworks_screen(qtbot, window, "admin")
    bad = tmp_path / "bad.csv"
    text = VECTOR.read_text(encoding="utf-8")
    text = text.replace(",B 1,", ",A.1,")  # a duplicate ID number (row 8)
    text = text.replace(",Safety,", ",=HYPERLINK(1),")  # a formula (row 7)
    bad.write_text(text, encoding="utf-8")
    choose_file(monkeypatch, bad)
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    report = screen.dialog
    assert isinstance(report, ReportDialog) and report.isVisible()
    lines = report.report()
    assert len(lines) >= 2
    assert any("row 7" in line.casefold() and "formula" in line.casefold() for line in lines)
    assert any("row 8" in line.casefold() and "A.1" in line for line in lines)
    assert "Nothing was imported:" in report.intro.text() and "bad.csv" in report.intro.text()
    assert f"{len(lines)} problems found" in report.intro.text()
    qtbot.mouseClick(
        report.buttons.button(report.buttons.StandardButton.Close), Qt.MouseButton.LeftButton
    )
    assert screen.dialog is None
    assert frameworks_library.list_added(demo_db, window.actor) == []
    assert "School digital literacy" not in picker_titles(screen)
    assert "Nothing was imported" in screen.message.text()


def test_add_a_folder_then_remove_refused_while_used_and_asked_when_not(
    qtbot, window, demo_db, monkeypatch, tmp_path
):
    screen = frameworks_screen(qtbot, window, "admin")
    folder = tmp_path / "school-dl"
    import_csv(VECTOR).write(folder)
    choose_file(monkeypatch, folder / "framework.yaml")
    qtbot.mouseClick(screen.add_button, Qt.MouseButton.LeftButton)
    assert screen.framework.key == ("school-dl", "1.0")
    # a learner starts a self-assessment under it: it cannot be removed now
    learner = accounts.authenticate(demo_db, None, "learner03", "demo")
    started = self_assessment.start(demo_db, learner, "school-dl", "1.0")
    qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    assert screen.dialog is None  # no question: the services refuse
    assert "school-dl 1.0 cannot be removed: 1 self-assessments" in screen.message.text()
    assert "1 self-assessment, case or mobility uses it." in screen.origin.text()
    assert "School digital literacy" in picker_titles(screen)
    assert started.framework_id == "school-dl"
    # another version, which nothing uses (imported with a version typed in the preview)
    choose_file(monkeypatch, VECTOR)
    qtbot.mouseClick(screen.import_button, Qt.MouseButton.LeftButton)
    preview = screen.dialog
    preview.version.clear()
    qtbot.keyClicks(preview.version, "2.0")
    qtbot.mouseClick(preview.add_button, Qt.MouseButton.LeftButton)
    assert screen.framework.key == ("school-dl", "2.0")
    assert screen.origin.text().endswith(".")  # who added it; no record uses it
    assert "uses it" not in screen.origin.text()
    # the screen asks first; Cancel keeps it
    qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    question = screen.dialog
    assert isinstance(question, QMessageBox) and "school-dl 2.0" in question.text()
    cancel = next(
        b for b in question.buttons() if question.buttonRole(b) == QMessageBox.ButtonRole.RejectRole
    )
    qtbot.mouseClick(cancel, Qt.MouseButton.LeftButton)
    assert screen.dialog is None
    assert len(frameworks_library.list_added(demo_db, window.actor)) == 2
    qtbot.mouseClick(screen.remove_button, Qt.MouseButton.LeftButton)
    question = screen.dialog
    remove = next(
        b for b in question.buttons() if question.buttonRole(b) == QMessageBox.ButtonRole.AcceptRole
    )
    qtbot.mouseClick(remove, Qt.MouseButton.LeftButton)
    left = frameworks_library.list_added(demo_db, window.actor)
    assert [(i.framework_id, i.version) for i in left] == [("school-dl", "1.0")]
    assert picker_titles(screen).count("School digital literacy") == 1
    assert screen.framework.key == ("digcomp", "3.0")
    assert "school-dl 2.0 was removed" in screen.message.text()


def test_everyone_exports_the_framework_shown_for_moodle(
    qtbot, window, demo_db, monkeypatch, tmp_path
):
    screen = frameworks_screen(qtbot, window, "teacher1")
    # a teacher reads and exports; adding and removing are the administrator's
    assert screen.export_button.isVisible()
    assert not screen.import_button.isVisible() and not screen.remove_button.isVisible()
    index = next(i for i in range(screen.picker.count()) if "2.2" in screen.picker.itemText(i))
    screen.picker.setCurrentIndex(index)
    assert screen.framework.key == ("digcomp", "2.2")
    target = tmp_path / "digcomp-2.2"  # typed without .csv
    monkeypatch.setattr(files, "save_file", lambda _parent, _title, name, _filters: str(target))
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "digcomp-2.2.csv"
    assert "saved for Moodle" in screen.message.text() and written.is_file()
    rows = list(csv.reader(io.StringIO(written.read_text(encoding="utf-8"))))
    assert len(rows[0]) == 14 and rows[1][12] == "1"  # header, then the framework row
    ids = [row[1] for row in rows[2:]]
    assert "1.1" in ids and "5.4" in ids and len(ids) == 5 + 21
    back = import_csv(written)
    assert (back.areas, back.competences, back.levels) == (5, 21, 8)
