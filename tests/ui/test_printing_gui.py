"""Printing on a printer, through the real dialogs and the real painting code.

The system's printer dialog is modal and cannot be clicked offscreen: the tests replace
only its ``exec`` (``digcomp_app.ui.printing.exec_dialog``) by the choices a person would
make in it, on a printer that Qt prints to a PDF file. Everything after that is the real
path: the pages drawn with PDFium at the printer's resolution and painted onto the QPrinter.
The printed file is then read back as a reader would: its pages counted, a page rendered
to PNG and its QR code decoded with zbar and verified.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog

from digcomp_app.services import verification
from digcomp_app.services.verification import Verdict
from digcomp_app.ui import printing
from digcomp_app.ui.print_dialog import PrintDialog, ReportDialog
from tests.documents.conftest import need
from tests.ui.test_attestations_gui import (
    LEFT,
    click_choice,
    close,
    in_force,
    open_register,
    wait_for_outcome,
)
from tests.ui.test_coordinator import when_modal

SHOTS = os.environ.get("DIGCOMP_GUIDE_SHOTS", "")


def page_count(path: Path) -> int:
    out = subprocess.run(
        [need("pdfinfo"), str(path)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return int(next(line.split()[-1] for line in out.splitlines() if line.startswith("Pages:")))


def render(path: Path, page: int, out: Path, dpi: int = 150, kind: str = "-gray") -> Path:
    """One page as an image file, as a scanner reads it: in grey (a PGM file, which
    pdftoppm writes in a fraction of the time a compressed PNG takes), or with ``kind="-png"``
    a PNG in colour."""
    subprocess.run(
        [
            need("pdftoppm"),
            kind,
            "-r",
            str(dpi),
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            str(path),
            str(out),
        ],
        check=True,
        timeout=120,
    )
    return out.with_suffix(".png" if kind == "-png" else ".pgm")


def qr_codes(image: Path) -> list[str]:
    done = subprocess.run(
        [need("zbarimg"), "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", str(image)],
        capture_output=True,
        check=False,
        timeout=60,
    )
    return [line for line in done.stdout.decode("utf-8").splitlines() if line.strip()]


class PrinterChoice:
    """What a person chooses in the printer dialog: a printer that writes ``file`` at
    ``dpi``, a page range and copies. Records the dialog it was given."""

    def __init__(self, file: Path, dpi: int = 300, pages=(0, 0), copies: int = 1) -> None:
        self.file, self.dpi, self.pages, self.copies = file, dpi, pages, copies
        self.dialogs: list[QPrintDialog] = []

    def __call__(self, dialog: QPrintDialog) -> int:
        self.dialogs.append(dialog)
        printer = dialog.printer()
        printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        printer.setOutputFileName(str(self.file))
        printer.setResolution(self.dpi)
        if self.pages != (0, 0):
            printer.setPrintRange(QPrinter.PrintRange.PageRange)
            printer.setFromTo(*self.pages)
        printer.setCopyCount(self.copies)
        return QDialog.DialogCode.Accepted


def test_two_attestations_printed_with_a_page_range_and_two_copies(
    qtbot, window, tmp_path, monkeypatch
):
    register = open_register(qtbot, window)
    chosen = in_force(window)[:2]
    register.table.clearSelection()
    assert register.select_serial(chosen[0].serial)
    assert register.select_serial(chosen[1].serial, add=True)
    printed = tmp_path / "printer.pdf"
    # pages 1-3 of the combined file (attestation 1: both pages, attestation 2: the first)
    choice = PrinterChoice(printed, dpi=300, pages=(1, 3), copies=2)
    monkeypatch.setattr(printing, "exec_dialog", choice)
    out = tmp_path / "apliecinajumi"

    def fill(dialog: PrintDialog) -> None:
        assert dialog.chosen_button.isChecked()
        click_choice(qtbot, dialog.language.buttons[("lv",)])
        dialog.set_folder(out)
        qtbot.mouseClick(dialog.print_button, LEFT)

    when_modal(qtbot, fill, kind=PrintDialog)
    qtbot.mouseClick(register.print_button, LEFT)
    box = wait_for_outcome(qtbot, register.documents)

    # the real printer dialog was set up for the combined file: 2 attestations, 4 pages
    dialog = choice.dialogs[0]
    assert (dialog.minPage(), dialog.maxPage()) == (1, 4)
    combined = next(out.glob("attestations_*.pdf"))
    assert page_count(combined) == 4
    # pages 1-3, two copies: six pages on the printer
    assert page_count(printed) == 6
    assert box.text().startswith(f"Sent 6 pages to the printer {printed}.")
    assert "2 attestations saved as PDF into" in box.text()
    offered = {b.text().replace("&", "") for b in box.buttons()}
    assert {"Open the PDF", "Open folder"} <= offered
    close(box)

    # each printed attestation's QR code reads from the paper and verifies
    first = render(printed, 1, tmp_path / "printed-1")
    third = render(printed, 3, tmp_path / "printed-3")
    copy = render(printed, 4, tmp_path / "printed-4")
    codes = [qr_codes(first), qr_codes(third), qr_codes(copy)]
    assert all(len(found) == 1 for found in codes), codes
    assert codes[2] == codes[0]  # the second copy starts again with attestation 1
    # the same codes as on the PDF's own pages, and each verifies as genuine
    source = [qr_codes(render(combined, page, tmp_path / f"source-{page}")) for page in (1, 3)]
    assert codes[:2] == source
    serials = set()
    for found in codes[:2]:
        verdict = verification.verify_text(window.db, None, found[0])
        assert verdict.verdict == Verdict.VALID, verdict.message
        serials.add(verdict.serial)
    assert serials == {c.serial for c in chosen}
    if SHOTS:  # for the user guide: DIGCOMP_GUIDE_SHOTS names a folder
        Path(SHOTS).mkdir(parents=True, exist_ok=True)
        (Path(SHOTS) / "printed-attestation.png").write_bytes(
            render(printed, 1, tmp_path / "shot", dpi=100, kind="-png").read_bytes()
        )


def test_a_report_printed_from_the_results_screen(qtbot, window, tmp_path, monkeypatch):
    from tests.ui.conftest import sign_in

    sign_in(qtbot, window, "learner05")
    window.workspace.show_screen("results")
    screen = window.workspace.screen("results")
    printed = tmp_path / "profile-printed.pdf"
    choice = PrinterChoice(printed, dpi=150, copies=1)
    monkeypatch.setattr(printing, "exec_dialog", choice)

    def fill(dialog: ReportDialog) -> None:
        dialog.set_folder(tmp_path / "out")
        qtbot.mouseClick(dialog.print_button, LEFT)

    when_modal(qtbot, fill, kind=ReportDialog)
    qtbot.mouseClick(screen.report_button, LEFT)
    box = wait_for_outcome(qtbot, screen.documents)
    saved = next((tmp_path / "out").glob("profile_*.pdf"))
    assert page_count(printed) == page_count(saved) >= 1
    assert box.text().startswith("Sent ") and f"Saved as {saved}" in box.text()
    close(box)


def test_cancelling_the_printer_dialog_prints_nothing_but_keeps_the_pdf(
    qtbot, window, tmp_path, monkeypatch
):
    register = open_register(qtbot, window)
    assert register.select_serial(in_force(window)[0].serial)
    monkeypatch.setattr(printing, "exec_dialog", lambda dialog: QDialog.DialogCode.Rejected)

    def fill(dialog: PrintDialog) -> None:
        dialog.set_folder(tmp_path)
        qtbot.mouseClick(dialog.print_button, LEFT)

    when_modal(qtbot, fill, kind=PrintDialog)
    qtbot.mouseClick(register.print_button, LEFT)
    box = wait_for_outcome(qtbot, register.documents)
    assert box.text().startswith("Nothing was printed: the printer dialog was cancelled.")
    assert len(list(tmp_path.glob("*.pdf"))) == 1
    close(box)


def test_the_command_line_names_the_printers_there_are(tmp_path):
    with pytest.raises(printing.PrintFailed) as problem:
        printing.require_printer("No-Such-Printer")
    names = printing.printer_names()
    text = str(problem.value)
    assert "There is no printer named No-Such-Printer" in text
    if names:
        assert ", ".join(names) in text
    else:
        assert "no printers set up" in text
