"""Attestations in the GUI as people use them: printing (with progress and Cancel), the
Europass text, verifying a code or a PDF, the school's signing key, and the PDF reports.

Demo school (see showcase/demo/__init__.py): the finished mobility (code ending in -DE) has eight
certificates in force and one revoked; the school's key is the demo key.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
)

from digcomp_app.framework import builtin_library
from digcomp_app.i18n import set_language
from digcomp_app.services import accounts, certificates, printing, signing
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor
from digcomp_app.settings import load_settings
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import PrintDialog, ReportDialog
from digcomp_app.ui.screens.signing.dialogs import CreateKeyDialog
from digcomp_app.ui.screens.signing.view import SigningKeyScreen
from digcomp_app.ui.verify_dialog import VerifyDialog
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in
from tests.ui.test_admin import type_file_name
from tests.ui.test_coordinator import when_modal

LEFT = Qt.MouseButton.LeftButton
MOBILITY = "2026-1-LV01-KA121-VET-000962732-DE"
PASSPHRASE = "a long new passphrase"


def pdf_text(path: Path) -> str:
    done = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, check=True, timeout=60
    )
    return done.stdout.decode("utf-8")


needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)


def open_register(qtbot, window):
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("certification")
    screen = window.workspace.screen("certification")
    screen.tabs.setCurrentWidget(screen.register)
    return screen.register


def coordinator_of(window) -> Actor:
    return accounts.authenticate(window.db, None, "coordinator", "demo")


def in_force(window) -> list[certificates.CertificateInfo]:
    found = certificates.list_register(window.db, coordinator_of(window), MOBILITY)
    return [c for c in found if c.status == "issued"]


def wait_for_outcome(qtbot, runner) -> QMessageBox:
    qtbot.waitUntil(lambda: runner.outcome is not None, timeout=60_000)
    return runner.outcome


def open_file(qtbot, chooser, path: Path) -> None:
    """Type the path of an existing file into an open file dialog and press Enter."""
    name_field = chooser.findChild(QLineEdit, "fileNameEdit")
    name_field.setFocus()
    name_field.setText(str(path))  # as pasted: no completion list pops up over it
    qtbot.keyClick(name_field, Qt.Key.Key_Return)
    assert not chooser.isVisible()


def click_choice(qtbot, button: QAbstractButton) -> None:
    """Click a radio button or check box on its mark (its centre may be past the text)."""
    qtbot.mouseClick(button, LEFT, pos=QPoint(8, button.height() // 2))
    assert button.isChecked()


def close(box: QMessageBox) -> None:
    next(b for b in box.buttons() if b.text() == "Close").click()


# --------------------------------------------------------------------------- printing


@needs_pdftotext
def test_print_the_chosen_certificate_in_both_languages(qtbot, window, tmp_path):
    register = open_register(qtbot, window)
    chosen = in_force(window)[0]
    assert register.select_serial(chosen.serial)
    out = tmp_path / "izdrukas"
    seen: dict[str, object] = {}

    def fill(dialog: PrintDialog) -> None:
        seen["chosen"] = dialog.chosen_button.isChecked()
        seen["note"] = dialog.chosen_note.text()
        click_choice(qtbot, dialog.language.buttons[("lv", "en")])
        dialog.folder.edit.clear()
        qtbot.keyClicks(dialog.folder.edit, str(out))
        qtbot.mouseClick(dialog.save_button, LEFT)

    when_modal(qtbot, fill, kind=PrintDialog)
    qtbot.mouseClick(register.print_button, LEFT)
    assert seen["chosen"] is True and chosen.holder in str(seen["note"])
    box = wait_for_outcome(qtbot, register.documents)
    files = sorted(out.glob("*.pdf"))
    assert [f.name for f in files] == [f.name for f in files if f.name.startswith(chosen.serial)]
    assert len(files) == 1 and files[0].name.endswith("_lv-en.pdf")
    assert box.text() == f"1 attestation saved as PDF into {out}."
    assert files[0].name in box.detailedText()
    assert "Open folder" in [b.text().replace("&", "") for b in box.buttons()]
    assert register.message.text() == box.text()
    assert window.statusBar().currentMessage() == box.text()
    close(box)
    text = pdf_text(files[0])
    assert chosen.holder.split()[0] in text and chosen.holder.split()[-1] in text
    first = chosen.snapshot["competences"][0]["competence"]
    competence = (
        builtin_library()
        .get(chosen.snapshot["framework"]["id"], chosen.snapshot["framework"]["version"])
        .competence(first)
    )
    # both languages in one document: the competence's Latvian and English titles
    assert competence.title.get("lv") in text and competence.title.get("en") in text
    assert load_settings().output_folder == str(out)  # offered again next time


def test_revoked_certificates_are_explained_not_printed(qtbot, window):
    register = open_register(qtbot, window)
    revoked = next(
        c for c in certificates.list_register(window.db, window.actor) if c.status == "revoked"
    )
    assert register.select_serial(revoked.serial)
    assert not register.europass_button.isEnabled() and not register.revoke_button.isEnabled()
    seen: list[tuple[bool, str, bool]] = []

    def look(dialog: PrintDialog) -> None:
        seen.append(
            (
                dialog.chosen_button.isEnabled(),
                dialog.chosen_note.text(),
                dialog.mobility_button.isChecked(),
            )
        )
        dialog.reject()

    when_modal(qtbot, look, kind=PrintDialog)
    qtbot.mouseClick(register.print_button, LEFT)
    enabled, note, whole_mobility = seen[0]
    assert not enabled and "revoked and is not printed" in note
    assert whole_mobility  # the mobility's certificates in force are offered instead


def test_cancelling_a_whole_mobility_print_keeps_fewer_files(qtbot, window, tmp_path):
    register = open_register(qtbot, window)
    total = len(in_force(window))
    assert total == 8
    out = tmp_path / "mobility"

    def fill(dialog: PrintDialog) -> None:
        dialog.choose_mobility(MOBILITY)
        assert dialog.mobility.currentText().startswith(MOBILITY)
        assert "8 certificates" in dialog.mobility.currentText()
        click_choice(qtbot, dialog.language.buttons[("en",)])
        dialog.set_folder(out)
        qtbot.mouseClick(dialog.save_button, LEFT)

    when_modal(qtbot, fill, kind=PrintDialog)
    qtbot.mouseClick(register.print_button, LEFT)
    task = register.documents.task
    assert task is not None and task.dialog.windowTitle() == "Printing attestations"
    # hold the work after its first attestation until Cancel has been pressed
    gate = threading.Event()

    def hold(done: int, _total: int, _text: str) -> None:
        if done >= 1:
            gate.wait(10)

    task.worker.progressed.connect(hold, Qt.ConnectionType.DirectConnection)
    qtbot.waitUntil(lambda: task.dialog.value() >= 1, timeout=30_000)
    cancel = next(b for b in task.dialog.findChildren(QPushButton) if b.text() == "Cancel")
    cancel.click()
    gate.set()
    box = wait_for_outcome(qtbot, register.documents)
    written = sorted(out.glob("*.pdf"))
    assert 1 <= len(written) < total
    assert not [f for f in written if f.name.startswith("attestations_")]  # no combined file
    assert box.text().startswith("Printing was cancelled")
    assert f"{len(written)} of {total} attestations were written" in box.text()
    close(box)


def test_print_all_of_a_mobility_from_the_mobility_screen(qtbot, window, tmp_path):
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("mobilities")
    screen = window.workspace.screen("mobilities")
    assert not screen.print_button.isEnabled()
    screen.table.selectRow(screen.listed_codes().index(MOBILITY))
    assert screen.print_button.isEnabled() and screen.summary_button.isEnabled()
    seen: list[tuple[bool, str]] = []

    def look(dialog: PrintDialog) -> None:
        seen.append((dialog.mobility_button.isChecked(), dialog.mobility.currentData()))
        dialog.reject()

    when_modal(qtbot, look, kind=PrintDialog)
    qtbot.mouseClick(screen.print_button, LEFT)
    assert seen == [(True, MOBILITY)]
    assert screen.documents.task is None  # cancelled: nothing printed


# --------------------------------------------------------------------------- Europass text


def test_copy_europass_text_puts_the_competences_on_the_clipboard(qtbot, window):
    register = open_register(qtbot, window)
    chosen = in_force(window)[0]
    assert register.select_serial(chosen.serial)
    assert register.europass_button.isEnabled()
    QApplication.clipboard().clear()
    register.europass_en.trigger()  # "In English" in the button's menu
    copied = QApplication.clipboard().text()
    framework = builtin_library().get(
        chosen.snapshot["framework"]["id"], chosen.snapshot["framework"]["version"]
    )
    titles = [
        framework.competence(item["competence"]).title.get("en")
        for item in chosen.snapshot["competences"]
    ]
    assert titles and all(title in copied for title in titles)
    assert "on the clipboard" in register.message.text()
    assert "on the clipboard" in window.statusBar().currentMessage()
    register.europass_lv.trigger()
    latvian = QApplication.clipboard().text()
    assert latvian != copied
    assert all(
        framework.competence(item["competence"]).title.get("lv") in latvian
        for item in chosen.snapshot["competences"]
    )


# --------------------------------------------------------------------------- verifying


def altered(code: str) -> str:
    """The same code with one character changed."""
    index = len(code) // 2
    return code[:index] + ("A" if code[index] != "A" else "B") + code[index + 1 :]


def test_verify_a_pasted_code_then_an_altered_one(qtbot, window):
    register = open_register(qtbot, window)
    chosen = in_force(window)[0]
    revoked = next(
        c for c in certificates.list_register(window.db, window.actor) if c.status == "revoked"
    )
    seen: list[tuple[str, str, str]] = []

    def check(dialog: VerifyDialog) -> None:
        for code in (chosen.qr_text, altered(chosen.qr_text), revoked.qr_text):
            dialog.code.setFocus()
            dialog.code.selectAll()
            qtbot.keyClick(dialog.code, Qt.Key.Key_Delete)
            QApplication.clipboard().setText(code)
            qtbot.keyClick(dialog.code, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
            qtbot.mouseClick(dialog.check_button, LEFT)
            seen.append(
                (dialog.verdict_text(), dialog.explanation.text(), dialog.details.toPlainText())
            )
        dialog.reject()

    when_modal(qtbot, check, kind=VerifyDialog)
    qtbot.mouseClick(register.verify_button, LEFT)
    (valid, valid_why, valid_details), (bad, bad_why, _), (gone, _, gone_details) = seen
    assert valid == "VALID" and "in the school's register" in valid_why
    assert chosen.holder in valid_details and chosen.serial in valid_details
    assert "Digital competences and levels" in valid_details
    level = chosen.snapshot["competences"][0]["level"]
    assert f"{level} —" in valid_details or f"{level} –" in valid_details  # "4 — Intermediate"
    assert bad == "NOT VALID" and bad_why.startswith("NOT VALID")
    assert gone == "REVOKED" and revoked.revoke_reason in gone_details


def test_verify_the_printed_pdf_by_opening_and_by_dropping_it(qtbot, window, tmp_path):
    coordinator = coordinator_of(window)
    chosen = in_force(window)[0]
    result = printing.print_attestations(
        window.db, coordinator, [chosen.serial], ["lv"], tmp_path, workers=1
    )
    pdf = result.files[0]
    dialog = VerifyDialog(window.db, coordinator)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.mouseClick(dialog.pdf_button, LEFT)
    chooser = dialog.file_dialog
    assert chooser is not None and chooser.isVisible()
    open_file(qtbot, chooser, pdf)
    assert dialog.verdict_text() == "VALID"
    assert chosen.holder in dialog.details.toPlainText()
    assert "green" in dialog.verdict.styleSheet() or "#1b5e20" in dialog.verdict.styleSheet()

    dialog.code.setPlainText("DC1:NOT-A-CODE")
    qtbot.mouseClick(dialog.check_button, LEFT)
    assert dialog.verdict_text() == "NOT VALID"
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(pdf))])
    with warnings.catch_warnings():  # PySide6 flags Qt's only constructor as deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            QPoint(20, 20),
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(dialog, enter)
    assert enter.isAccepted()  # the dialog takes the file
    drop = QDropEvent(
        QPointF(20, 20),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(dialog, drop)
    assert drop.isAccepted()
    assert dialog.verdict_text() == "VALID"

    (tmp_path / "note.txt").write_text("not a pdf", encoding="utf-8")
    dialog.open_pdf(tmp_path / "note.txt")
    assert "not a PDF" in dialog.problem.text() and not dialog.verdict.isVisible()


def test_another_schools_verifier_needs_the_public_key_file(qtbot, window, tmp_path):
    coordinator = coordinator_of(window)
    chosen = in_force(window)[0]
    key_file = tmp_path / "keys.pem"
    key_file.write_text(signing.export_public_keys(window.db, coordinator), encoding="utf-8")
    dialog = VerifyDialog(None, None)  # no register at hand
    qtbot.addWidget(dialog)
    dialog.check_text(chosen.qr_text)
    assert dialog.verdict_text() == "UNKNOWN KEY"
    assert "#7a4b00" in dialog.verdict.styleSheet()  # amber, not red
    assert dialog.load_key_file(key_file) == 1
    assert "keys.pem" in dialog.keys_note.text()
    assert dialog.verdict_text() == "VALID"  # checked again with the loaded key
    assert "not checked" in dialog.explanation.text()


# --------------------------------------------------------------------------- the signing key


def test_admin_creates_a_new_key_and_exports_the_public_keys(qtbot, window, tmp_path):
    sign_in(qtbot, window, "admin")
    window.workspace.show_screen("signing_key")
    screen = window.workspace.screen("signing_key")
    old = screen.active_key()
    assert old is not None and old.fingerprint in screen.current.text()
    assert screen.retired_fingerprints() == [] and screen.no_retired.isVisible()
    assert screen.create_button.isVisible()
    seen: list[str] = []

    def create(dialog: CreateKeyDialog) -> None:
        seen.append(dialog.warning.text())
        seen.append(str(dialog.create_button.isEnabled()))  # not before it is filled in
        qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
        qtbot.keyClicks(dialog.repeated, PASSPHRASE + "x")
        qtbot.keyClick(dialog.understood, Qt.Key.Key_Space)
        qtbot.mouseClick(dialog.create_button, LEFT)
        seen.append(dialog.error.text())  # the two differ: the dialog stays open
        dialog.repeated.clear()
        qtbot.keyClicks(dialog.repeated, PASSPHRASE)
        qtbot.mouseClick(dialog.create_button, LEFT)
        if dialog.isVisible():
            seen.append(dialog.error.text())
            dialog.reject()

    when_modal(qtbot, create, kind=CreateKeyDialog)
    qtbot.mouseClick(screen.create_button, LEFT)
    assert len(seen) == 3, seen
    warning, enabled, mismatch = seen
    assert enabled == "False"
    assert "cannot be recovered" in warning and "Coordinators need this passphrase" in warning
    assert old.fingerprint in warning and "retired" in warning
    assert "not the same" in mismatch
    new = screen.active_key()
    assert new is not None and new.key_id != old.key_id
    assert new.fingerprint in screen.current.text()
    assert screen.retired_fingerprints() == [old.fingerprint]
    assert screen.table.item(0, 3).text()  # retired on a date
    assert "New signing key" in screen.message.text()
    admin = window.workspace.context.actor
    assert [k.key_id for k in signing.list_keys(window.db, admin) if k.active] == [new.key_id]

    qtbot.mouseClick(screen.export_button, LEFT)
    chooser = screen.file_dialog
    assert chooser is not None and chooser.isVisible()
    target = tmp_path / "publiskās atslēgas.pem"
    type_file_name(qtbot, chooser, target)
    keys = signing.read_public_keys(target.read_text(encoding="utf-8"), str(target))
    assert set(keys) == {old.key_id, new.key_id}
    assert str(target) in screen.message.text()


def test_coordinator_sees_the_key_but_cannot_create_one(qtbot, window):
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("signing_key")
    screen = window.workspace.screen("signing_key")
    assert not screen.create_button.isVisibleTo(screen)
    assert screen.export_button.isEnabled()
    assert "Only an administrator" in screen.note.text()
    assert screen.active_key() is not None


def test_without_a_key_the_screen_says_what_to_do(qtbot, tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}", password_hasher=FAST_HASHER)
    try:
        accounts.create_first_administrator(db, None, "admin", "Admin", "admin-password")
        admin: Actor = accounts.authenticate(db, None, "admin", "admin-password")
        screen = SigningKeyScreen(UiContext(db, admin, builtin_library()))
        qtbot.addWidget(screen)
        screen.refresh()
        assert "no signing key yet" in screen.current.text()
        assert "Create a new key" in screen.current.text()
        assert not screen.export_button.isEnabled()
    finally:
        db.close()


# --------------------------------------------------------------------------- reports


def save_report_via_dialog(qtbot, button, folder: Path, check=None, language=("en",)) -> None:
    """Press ``button``; in the report dialog that opens, choose ``language`` and ``folder``
    (after ``check(dialog)``, if given) and save."""

    def fill(dialog: ReportDialog) -> None:
        if check is not None:
            check(dialog)
        click_choice(qtbot, dialog.language.buttons[language])
        dialog.set_folder(folder)
        qtbot.mouseClick(dialog.save_button, LEFT)

    when_modal(qtbot, fill, kind=ReportDialog)
    qtbot.mouseClick(button, LEFT)


@needs_pdftotext
def test_learner_saves_the_profile_report_in_english(qtbot, window, tmp_path):
    sign_in(qtbot, window, "learner05")
    window.workspace.show_screen("results")
    screen = window.workspace.screen("results")
    assert screen.report_button.isVisible()
    out = tmp_path / "mans profils"

    def fill(dialog: ReportDialog) -> None:
        assert ("lv", "en") not in dialog.language.buttons  # one language per report

    save_report_via_dialog(qtbot, screen.report_button, out, fill)
    box = wait_for_outcome(qtbot, screen.documents)
    saved = list(out.glob("*.pdf"))
    assert len(saved) == 1 and saved[0].name.endswith("_en.pdf")
    assert box.text() == f"Saved as {saved[0]}"
    offered = {b.text().replace("&", "") for b in box.buttons()}
    assert offered == {"Open folder", "Open the PDF", "Close"}
    close(box)
    name = window.workspace.context.actor.display_name
    assert name.split()[-1] in pdf_text(saved[0])


@needs_pdftotext
def test_coordinator_saves_the_mobility_summary_in_latvian(qtbot, window, tmp_path):
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("mobilities")
    screen = window.workspace.screen("mobilities")
    screen.table.selectRow(screen.listed_codes().index(MOBILITY))

    def fill(dialog: ReportDialog) -> None:
        assert dialog.language.languages() == ("lv",)
        dialog.set_folder(tmp_path)
        qtbot.mouseClick(dialog.save_button, LEFT)

    when_modal(qtbot, fill, kind=ReportDialog)
    qtbot.mouseClick(screen.summary_button, LEFT)
    box = wait_for_outcome(qtbot, screen.documents)
    saved = list(tmp_path.glob("mobility-summary_*_lv.pdf"))
    assert len(saved) == 1 and str(saved[0]) in box.text()
    close(box)
    assert in_force(window)[0].holder in pdf_text(saved[0])
    assert str(saved[0]) in screen.documents_message.text()


# --------------------------------------------------------------------------- accessibility


def test_new_controls_have_accessible_names_in_both_languages(qtbot, window):
    kinds = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit)
    for language in ("en", "lv"):
        set_language(language)
        sign_in(qtbot, window, "coordinator")
        screen = window.workspace.screen("signing_key")
        register = window.workspace.screen("certification").register
        widgets = [
            screen,
            register,
            PrintDialog(window.workspace.context, in_force(window)[:1]),
            ReportDialog("x", "y"),
            VerifyDialog(window.db, window.actor),
            CreateKeyDialog(window.workspace.context, None),
        ]
        for widget in widgets:
            unnamed = [
                f"{type(w).__name__} {getattr(w, 'text', lambda: '')()}"
                for kind in (*kinds, QTextBrowser)
                for w in widget.findChildren(kind)
                if not w.accessibleName()
                and w.isVisibleTo(widget)
                and not isinstance(w.parent(), (QComboBox, QAbstractItemView))  # corner button
                and type(w).__name__ != "QToolButton"
                and not isinstance(w, QHeaderView)  # a list's column titles
            ]
            assert unnamed == [], (language, type(widget).__name__)
        window.sign_out()
