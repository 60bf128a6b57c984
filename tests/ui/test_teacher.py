"""A teacher's case workspace: find a learner, walk the case from identification to
certification, with evidence dropped onto the list and a flag for a large gap."""

from __future__ import annotations

from PySide6.QtCore import QMimeData, QPointF, Qt, QTimer, QUrl
from PySide6.QtGui import QColor, QDragEnterEvent, QDropEvent, QImage
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QPlainTextEdit,
    QTreeWidget,
)

from digcomp_app.services import evidence, mobilities, validation
from digcomp_app.services.learners import fold
from tests.ui.conftest import sign_in


def click_item(qtbot, tree: QTreeWidget, item) -> None:
    tree.scrollToItem(item)
    qtbot.mouseClick(
        tree.viewport(), Qt.MouseButton.LeftButton, pos=tree.visualItemRect(item).center()
    )
    assert tree.currentItem() is item


def open_cases(qtbot, window, username: str):
    sign_in(qtbot, window, username)
    window.workspace.show_screen("cases")
    return window.workspace.screen("cases")


def find_learner(qtbot, screen, name: str) -> None:
    """Type the surname into the search field and click the learner it finds."""
    panel = screen.learners
    surname = fold(name.rsplit(maxsplit=1)[-1])  # accents do not matter, and QTest types ASCII
    qtbot.keyClicks(panel.search, surname)
    found = [i for i in panel.learner_items() if i.text(0) == name]
    assert found, [i.text(0) for i in panel.learner_items()]
    assert len(panel.learner_items()) < 5  # filtered as we typed
    click_item(qtbot, panel.tree, found[0])


def drop_files(widget, paths) -> QDropEvent:
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(p)) for p in paths])
    centre = widget.rect().center()
    enter = QDragEnterEvent(
        centre,  # a QPoint: the one position type every supported PySide6 takes here
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(centre),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(widget, drop)
    return drop


def pick(qtbot, combo, text: str) -> None:
    """Choose in a combo box by typing the start of the item, as on the keyboard."""
    combo.setFocus()
    qtbot.wait(QApplication.keyboardInputInterval() + 20)  # a new search, not a longer one
    qtbot.keyClicks(combo, text)
    assert combo.currentText().startswith(text), combo.currentText()


def test_teacher_takes_a_case_from_identification_to_certification(
    qtbot, window, demo_db, tmp_path
):
    screen = open_cases(qtbot, window, "teacher1")
    teacher = window.actor
    case = next(c for c in validation.list_cases(demo_db, teacher) if c.stage == "identification")
    find_learner(qtbot, screen, case.learner_name)
    panel = screen.case
    assert panel.case.id == case.id
    assert panel.steps.state_of("identification") == "current"
    assert panel.steps.buttons["identification"].text().startswith("●")
    assert panel.stack.currentWidget() is panel.targets

    # Identification: the seeded targets are ticked; drop one, add one with a level and outcome.
    targets = panel.targets
    seeded = [t.competence_id for t in case.targets]
    assert all(
        targets.tree.findItems(c, Qt.MatchFlag.MatchStartsWith | Qt.MatchFlag.MatchRecursive)
        for c in seeded
    )
    dropped, added = seeded[-1], next(c for c in ("1.1", "2.4", "4.2") if c not in seeded)
    for competence_id in (dropped, added):
        targets.select_competence(competence_id)
        qtbot.keyClick(targets.tree, Qt.Key.Key_Space)
    pick(qtbot, targets.combos[added], "3")
    assert targets.outcomes.count() > 0  # the outcomes of the added competence at level 3
    targets.outcomes.setCurrentRow(0)
    targets.outcomes.setFocus()
    qtbot.keyClick(targets.outcomes, Qt.Key.Key_Space)
    qtbot.mouseClick(targets.save_button, Qt.MouseButton.LeftButton)
    stored = validation.get_case(demo_db, teacher, case.id)
    wanted = {t.competence_id: t for t in stored.targets}
    assert set(wanted) == (set(seeded) - {dropped}) | {added}
    assert wanted[added].level == 3 and len(wanted[added].outcome_ids) == 1

    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    assert validation.get_case(demo_db, teacher, case.id).stage == "documentation"
    assert panel.stack.currentWidget() is panel.evidence
    assert panel.steps.state_of("identification") == "done"

    # Documentation: a picture dropped onto the list is stored and shown.
    picture = QImage(64, 48, QImage.Format.Format_RGB32)
    picture.fill(QColor("darkorange"))
    path = tmp_path / "Darba vieta.png"
    assert picture.save(str(path))
    drop = drop_files(panel.evidence.list.viewport(), [path])
    assert drop.isAccepted()
    items = evidence.list_items(demo_db, teacher, case.id)
    new = next(i for i in items if i.file_name == "Darba vieta.png")
    assert new.media_type == "image/png" and set(new.competence_ids) == set(wanted)
    assert evidence.open_file(demo_db, teacher, new.id).content == path.read_bytes()
    preview = panel.evidence.preview
    assert preview.item.id == new.id and preview.kind_shown == "image"
    assert preview.image.pixmap().width() == 64 and not preview.image.pixmap().isNull()

    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    assert panel.case.stage == "assessment" and panel.stack.currentWidget() is panel.assessment

    # Sending before everything is assessed: the service's message, in plain words.
    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    assert (
        panel.message.kind == "error" and "Assess every target competence" in panel.message.text()
    )
    assert panel.case.stage == "assessment"

    # Assessment: every target; one two levels away from the learner's own rating.
    page, form = panel.assessment, panel.assessment.form
    own = {
        g.competence_id: g.self_level
        for g in validation.self_vs_assessed(demo_db, teacher, case.id)
    }
    far = next(c for c in wanted if own.get(c) is not None)
    far_level = own[far] + 2 if own[far] <= 6 else own[far] - 2
    for index in range(page.table.topLevelItemCount()):
        item = page.table.topLevelItem(index)
        competence_id = item.data(0, Qt.ItemDataRole.UserRole)
        click_item(qtbot, page.table, item)
        level = (
            far_level
            if competence_id == far
            else own.get(competence_id) or wanted[competence_id].level
        )
        pick(qtbot, form.level, str(level))
        assert bool(form.flag_shown()) == (competence_id == far)
        pick(qtbot, form.method, "Practical")
        qtbot.keyClicks(form.comment, "Uzdevumu veica patstavigi.")
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
        assert panel.message.kind == "info", panel.message.text()
    assert "2 levels" in page.flag_for(far)
    assert all(not page.flag_for(c) for c in wanted if c != far)

    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    final = validation.get_case(demo_db, teacher, case.id)
    assert final.stage == "certification" and not final.unassessed
    assert final.assessment_for(far).level == far_level
    assert final.evidence_count == len(items)
    assert panel.steps.state_of("certification") == "current"
    assert "Sent to certification" in panel.message.text()
    assert not panel.advance_button.isEnabled()


def test_pdf_evidence_is_shown_inside_the_program(qtbot, window, demo_db, tmp_path):
    from reportlab.pdfgen import canvas

    screen = open_cases(qtbot, window, "teacher1")
    teacher = window.actor
    case = next(c for c in validation.list_cases(demo_db, teacher) if c.stage == "documentation")
    find_learner(qtbot, screen, case.learner_name)
    panel = screen.case
    path = tmp_path / "atskaite.pdf"
    document = canvas.Canvas(str(path))
    document.drawString(72, 720, "Prakses atskaite")
    document.save()
    assert drop_files(panel.evidence.list.viewport(), [path]).isAccepted()
    preview = panel.evidence.preview
    assert preview.item.file_name == "atskaite.pdf"
    try:
        import pypdfium2  # noqa: F401
    except ImportError:
        assert preview.kind_shown == "pdf-unavailable" and "pypdfium2" in preview.message.text()
    else:
        assert preview.kind_shown == "pdf" and preview.image.pixmap().width() > 100
        assert preview.page_label.text() == "Page 1 of 1"


def test_someone_elses_save_is_shown_and_back_a_stage_asks_why(qtbot, window, demo_db):
    screen = open_cases(qtbot, window, "teacher1")
    teacher = window.actor
    case = next(
        c
        for c in validation.list_cases(demo_db, teacher)
        if c.stage == "assessment" and c.assessments
    )
    find_learner(qtbot, screen, case.learner_name)
    panel = screen.case
    page, form = panel.assessment, panel.assessment.form
    theirs = case.assessments[0]
    page.select_competence(theirs.competence_id)
    form.comment.clear()
    qtbot.keyClicks(form.comment, "Mans labojums.")

    from digcomp_app.services import accounts

    other = accounts.authenticate(demo_db, None, "teacher3", "demo")
    validation.record_assessment(
        demo_db, other, case.id, theirs.competence_id, theirs.level, theirs.method,
        "Kolēģes komentārs.", expected_version=theirs.version,
    )  # fmt: skip
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.kind == "error" and "Someone else saved" in panel.message.text()
    assert form.comment.toPlainText() == "Kolēģes komentārs."  # their values, in the form
    qtbot.keyClick(form.comment, Qt.Key.Key_End, Qt.KeyboardModifier.ControlModifier)
    qtbot.keyClicks(form.comment, " Papildinats.")
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    stored = validation.get_case(demo_db, teacher, case.id).assessment_for(theirs.competence_id)
    assert stored.comment == "Kolēģes komentārs. Papildinats."

    def give_reason():
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QDialog)
        editor = dialog.findChild(QPlainTextEdit)
        qtbot.keyClicks(editor, "Trukst prakses vaditaja atskaites.")
        dialog.accept()

    QTimer.singleShot(0, give_reason)
    qtbot.mouseClick(panel.back_button, Qt.MouseButton.LeftButton)
    moved = validation.get_case(demo_db, teacher, case.id)
    assert moved.stage == "documentation"
    assert moved.history[-1].reason == "Trukst prakses vaditaja atskaites."
    assert "Trukst prakses vaditaja atskaites." in panel.history.summary.text()
    assert panel.steps.state_of("documentation") == "current"


def test_controls_have_accessible_names(qtbot, window):
    screen = open_cases(qtbot, window, "teacher1")
    screen.learners.search.setFocus()
    qtbot.keyClick(screen.learners.search, Qt.Key.Key_Down)  # on to the list: the first learner
    assert screen.learners.tree.hasFocus()
    panel = screen.case
    assert panel.case is not None
    from PySide6.QtWidgets import QAbstractButton, QComboBox, QLineEdit, QListWidget

    for step in panel.pages:
        panel.show_step(step)
        unnamed = [
            widget
            for kind in (
                QAbstractButton,
                QComboBox,
                QLineEdit,
                QTreeWidget,
                QListWidget,
                QPlainTextEdit,
            )
            for widget in screen.findChildren(kind)
            if not widget.accessibleName()
            and widget.isVisibleTo(screen)
            and not isinstance(widget.parent(), QComboBox)
        ]
        assert unnamed == [], (step, [w.metaObject().className() for w in unnamed])


def test_a_mobility_lists_its_participants_and_cases_name_their_mobility(qtbot, window, demo_db):
    screen = open_cases(qtbot, window, "teacher1")
    teacher = window.actor
    tree = screen.learners.tree
    led = mobilities.list_all(demo_db, teacher)
    assert len(led) == 1  # teacher1 leads the finished mobility only
    node = next(
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == f"Mobility: {led[0].title}"
    )
    assert node.childCount() == 0  # read when opened
    tree.scrollToItem(node)
    tree.expandItem(node)
    shown = [node.child(i).text(0) for i in range(node.childCount())]
    participants = mobilities.list_participants(demo_db, teacher, led[0].id)
    assert shown == [p.full_name for p in participants]  # by surname
    assert len(shown) == led[0].participant_count

    # A learner of teacher1's group on the mobility teacher1 does not lead: the case picker
    # names that mobility instead of a number.
    case = next(
        c
        for c in validation.list_cases(demo_db, teacher)
        if c.mobility_id is not None and c.mobility_id != led[0].id
    )
    find_learner(qtbot, screen, case.learner_name)
    combo = screen.case.case_combo
    texts = [combo.itemText(i) for i in range(combo.count())]
    other = mobilities.get(demo_db, teacher, case.mobility_id)
    assert any(other.title in text for text in texts), texts
    assert not any("mobility no." in text for text in texts)


def on_next_modal(qtbot, handle, kind=QDialog) -> list[bool]:
    """Run ``handle(widget)`` on the next modal window once it is shown."""
    done: list[bool] = []

    def poll(tries: int = 300) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            handle(widget)
            done.append(True)
        elif tries:
            QTimer.singleShot(10, lambda: poll(tries - 1))

    QTimer.singleShot(0, poll)
    return done


def list_item(tree: QTreeWidget, title: str):
    found = [
        tree.topLevelItem(i)
        for i in range(tree.topLevelItemCount())
        if tree.topLevelItem(i).text(0) == title
    ]
    assert len(found) == 1, title
    return found[0]


def test_evidence_added_by_mistake_is_removed_or_tied_to_other_competences(
    qtbot, window, demo_db, tmp_path
):
    screen = open_cases(qtbot, window, "teacher1")
    teacher = window.actor
    case = next(
        c
        for c in validation.list_cases(demo_db, teacher)
        if c.stage == "documentation" and len(c.targets) >= 2
    )
    find_learner(qtbot, screen, case.learner_name)
    panel, page = screen.case, screen.case.evidence
    targets = [t.competence_id for t in case.targets]
    paths = []
    for name, colour in (("nepareizais.png", "red"), ("darba foto.png", "teal")):
        picture = QImage(32, 32, QImage.Format.Format_RGB32)
        picture.fill(QColor(colour))
        paths.append(tmp_path / name)
        assert picture.save(str(paths[-1]))
    assert drop_files(page.list.viewport(), paths).isAccepted()
    before = len(evidence.list_items(demo_db, teacher, case.id))
    assert panel.case.evidence_count == before

    # The wrong file: chosen, removed after saying yes.
    click_item(qtbot, page.list, list_item(page.list, "nepareizais.png"))
    assert page.remove_button.isEnabled() and page.retie_button.isEnabled()
    questions: list[str] = []

    def say_yes(box: QMessageBox) -> None:
        questions.append(box.text())
        box.button(QMessageBox.StandardButton.Yes).click()

    answered = on_next_modal(qtbot, say_yes, QMessageBox)
    qtbot.mouseClick(page.remove_button, Qt.MouseButton.LeftButton)
    assert answered and "Remove “nepareizais.png”" in questions[0]
    assert "stored file is deleted too" in questions[0]
    titles = [i.title for i in evidence.list_items(demo_db, teacher, case.id)]
    assert "nepareizais.png" not in titles and "darba foto.png" in titles
    assert page.list.topLevelItemCount() == before - 1
    assert panel.case.evidence_count == before - 1
    assert panel.message.text() == "Removed from the evidence: nepareizais.png"

    # The right file: it shows only the first target competence.
    click_item(qtbot, page.list, list_item(page.list, "darba foto.png"))

    def keep_only_the_first(dialog: QDialog) -> None:
        checks = dialog.competences
        assert checks.ticked() == tuple(targets)  # as it was added: all ticked
        checks.setFocus()
        for row in range(1, checks.count()):
            checks.setCurrentRow(row)
            qtbot.keyClick(checks, Qt.Key.Key_Space)
        dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).click()

    answered = on_next_modal(qtbot, keep_only_the_first)
    qtbot.mouseClick(page.retie_button, Qt.MouseButton.LeftButton)
    assert answered
    stored = next(
        i for i in evidence.list_items(demo_db, teacher, case.id) if i.title == "darba foto.png"
    )
    assert stored.competence_ids == (targets[0],)
    assert list_item(page.list, "darba foto.png").text(2) == targets[0]
    assert page.current_id() == stored.id
    assert "now shows" in panel.message.text()

    # Delete on the list asks too; "No" keeps the item.
    answered = on_next_modal(
        qtbot, lambda box: box.button(QMessageBox.StandardButton.No).click(), QMessageBox
    )
    window.activateWindow()  # keys go to the focused widget of the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    page.list.setFocus()
    qtbot.keyClick(page.list, Qt.Key.Key_Delete)
    assert answered
    assert stored.id in [i.id for i in evidence.list_items(demo_db, teacher, case.id)]

    # Once the case is at assessment the evidence stays as it is.
    qtbot.mouseClick(panel.advance_button, Qt.MouseButton.LeftButton)
    assert panel.case.stage == "assessment"
    panel.show_step("documentation")
    assert not page.remove_button.isEnabled() and not page.retie_button.isEnabled()
    assert "go back a stage" in page.item_note.text()


def test_targets_saved_meanwhile_by_another_teacher_are_shown_not_overwritten(
    qtbot, window, demo_db
):
    screen = open_cases(qtbot, window, "teacher1")
    teacher = window.actor
    case = next(c for c in validation.list_cases(demo_db, teacher) if c.stage == "identification")
    find_learner(qtbot, screen, case.learner_name)
    panel, page = screen.case, screen.case.targets
    seeded = [t.competence_id for t in case.targets]
    added = next(c for c in ("1.1", "2.4", "4.2", "5.3") if c not in seeded)
    page.select_competence(added)
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)  # my change, not saved yet
    assert page.dirty

    from digcomp_app.services import accounts

    colleague = next(
        actor
        for name in ("teacher2", "teacher3")
        if (actor := accounts.authenticate(demo_db, None, name, "demo"))
        and any(c.id == case.id for c in validation.list_cases(demo_db, actor))
    )
    theirs = [validation.TargetDraft("5.1", 2), *case.targets[:1]]
    validation.set_targets(demo_db, colleague, case.id, theirs, expected_version=case.version)

    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.kind == "error"
    assert "Someone else saved the targets of this case" in panel.message.text()
    assert "Check their targets" in panel.message.text()
    stored = validation.get_case(demo_db, teacher, case.id)
    assert {t.competence_id for t in stored.targets} == {"5.1", seeded[0]}  # theirs, kept
    assert not page.dirty  # their targets are shown
    ticked = {
        cid for cid, item in page._items.items() if item.checkState(0) == Qt.CheckState.Checked
    }
    assert ticked == {"5.1", seeded[0]}

    # Carrying on from their targets saves.
    page.select_competence(added)
    qtbot.keyClick(page.tree, Qt.Key.Key_Space)
    qtbot.mouseClick(page.save_button, Qt.MouseButton.LeftButton)
    assert panel.message.kind == "info" and panel.message.text() == "Targets saved."
    final = validation.get_case(demo_db, teacher, case.id)
    assert {t.competence_id for t in final.targets} == {"5.1", seeded[0], added}


def test_previews_have_memory_caps_and_never_open_files(qtbot):
    """A 19 MiB text shows its first 256 KiB (the whole took 956 MiB); a 20,000 x 20,000
    picture and a PDF page with one are not decoded; a file is never handed to the system."""
    import datetime as dt
    import re

    import pytest

    from bench import bench_evidence
    from digcomp_app.services.evidence import EvidenceFile, EvidenceInfo
    from digcomp_app.ui.screens.validation import preview as preview_module

    preview = preview_module.EvidencePreview(None)  # type: ignore[arg-type]
    qtbot.addWidget(preview)

    def show(name: str, media_type: str, content: bytes) -> None:
        preview.item = EvidenceInfo(
            1,
            1,
            "file",
            name,
            "",
            name,
            media_type,
            len(content),
            "",
            "",
            ("3.1",),
            "T",
            dt.datetime(2026, 12, 4, 10, 0),
        )
        preview.file = EvidenceFile(name, media_type, content)
        preview._display()

    text = "Darba vietā — ģērbšanās\n".encode() * (19 * 2**20 // 30)
    show("notes.txt", "text/plain", text)
    shown = preview.text.toPlainText()
    assert preview.kind_shown == "text" and 250_000 // 2 < len(shown.encode()) <= 256 * 1024
    assert "\ufffd" not in shown  # not cut inside a letter
    assert not preview.notice.isHidden()
    assert re.fullmatch(
        r"Only the first 256 KiB of 1\d\.\d MB are shown\. Use Save a copy to read all of it\.",
        preview.notice.text(),
    )
    show("results.html.txt", "text/plain", b"<html><script>alert(1)</script></html>")
    assert preview.kind_shown == "text" and preview.notice.isHidden()
    assert preview.open_button.isHidden()  # no "open" for a file, only Save a copy
    assert not preview.save_button.isHidden()

    show("poster.png", "image/png", bench_evidence.png_bomb(20000, 20000))
    assert preview.kind_shown == "too-large" and "too large" in preview.message.text()
    image = preview_module.read_image(bench_evidence.png_bomb(4095, 1024))
    assert 2000 < max(image.width(), image.height()) <= preview_module.IMAGE_PREVIEW_SIDE
    pytest.importorskip("pypdfium2")
    show("scan.pdf", "application/pdf", bench_evidence.pdf((595, 842), (20000, 20000)))
    assert preview.kind_shown == "too-large"
    tall, _count = preview_module.render_pdf_page(bench_evidence.pdf((1, 14400)), 0)
    assert tall.width() * tall.height() <= preview_module.MAX_PDF_PIXELS
