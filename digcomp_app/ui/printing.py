"""Printing a finished PDF on a printer: the system's printer dialog (printer, page range,
copies), then each page drawn with PDFium at the printer's resolution and painted onto the
QPrinter. The page choice, scaling and bitmaps come from
:mod:`digcomp_app.services.print_jobs` (no Qt); this module only talks to Qt.

The command line uses :func:`print_on_named_printer` (loaded only with ``--printer``).
See docs/decisions/0028-printing.md.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPageLayout, QPainter
from PySide6.QtPrintSupport import QAbstractPrintDialog, QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import QApplication, QDialog, QProgressDialog, QWidget

from digcomp_app.i18n import _, ngettext
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.print_jobs import (
    PageChoice,
    fit,
    open_pdf,
    page_sequence,
    raster_scale,
)

#: called after each page with (pages painted, pages in all); False cancels the job
Progress = Callable[[int, int], bool]


class PrintFailed(ServiceError):
    """The printer could not be started or the PDF could not be read."""


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    printer: str
    #: pages painted (copies included)
    pages: int
    cancelled: bool = False


def exec_dialog(dialog: QPrintDialog) -> int:
    """Show the printer dialog and wait for the answer (the seam where the GUI tests, which
    cannot click a modal system dialog, configure its printer instead)."""
    return dialog.exec()


def new_printer(name: str = "") -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    if name:
        printer.setPrinterName(name)
    return printer


def _page_facts(pdf: bytes) -> tuple[int, float, float]:
    try:
        with open_pdf(pdf) as pages:
            width, height = pages.size(0) if len(pages) else (595.0, 842.0)
            return len(pages), width, height
    except ValueError as error:
        raise PrintFailed(
            _("The PDF could not be read for printing: {error}").format(error=error)
        ) from error


def ask_printer(parent: QWidget | None, pdf: bytes, title: str) -> QPrinter | None:
    """The system's printer dialog for ``pdf`` (its pages offered as the range); the
    printer chosen and set up, or None when cancelled."""
    count, width, height = _page_facts(pdf)
    printer = new_printer()
    printer.setDocName(title)
    printer.setPageOrientation(
        QPageLayout.Orientation.Landscape if width > height else QPageLayout.Orientation.Portrait
    )
    dialog = QPrintDialog(printer, parent)
    dialog.setWindowTitle(title)
    dialog.setOptions(
        QAbstractPrintDialog.PrintDialogOption.PrintPageRange
        | QAbstractPrintDialog.PrintDialogOption.PrintCollateCopies
        | QAbstractPrintDialog.PrintDialogOption.PrintToFile
        | QAbstractPrintDialog.PrintDialogOption.PrintShowPageSize
    )
    dialog.setMinMax(1, max(count, 1))
    printer.setFromTo(0, 0)
    accepted = exec_dialog(dialog) == QDialog.DialogCode.Accepted
    dialog.deleteLater()
    return printer if accepted else None


def choice_of(printer: QPrinter) -> PageChoice:
    """What the printer was set up for, in the terms of :func:`page_sequence`."""
    ranged = printer.printRange() == QPrinter.PrintRange.PageRange
    return PageChoice(
        from_page=printer.fromPage() if ranged else 0,
        to_page=printer.toPage() if ranged else 0,
        copies=printer.copyCount(),
        driver_copies=printer.supportsMultipleCopies(),
        collate=printer.collateCopies(),
        last_first=printer.pageOrder() == QPrinter.PageOrder.LastPageFirst,
    )


def print_pdf(printer: QPrinter, pdf: bytes, progress: Progress | None = None) -> PrintOutcome:
    """Paint the pages of ``pdf`` that ``printer`` asks for onto it, each drawn at the
    printer's resolution and fitted to the paper."""
    name = printer.printerName() or printer.outputFileName()
    try:
        with open_pdf(pdf) as pages:
            sequence = page_sequence(len(pages), choice_of(printer))
            if not sequence:
                raise PrintFailed(_("The pages chosen are not in the document."))
            printer.setFullPage(True)  # the PDF page carries its own margins
            painter = QPainter()
            if not painter.begin(printer):
                raise PrintFailed(_("The printer {name} could not be started.").format(name=name))
            grey = printer.colorMode() == QPrinter.ColorMode.GrayScale
            dpi = printer.resolution()
            paper = printer.paperRect(QPrinter.Unit.DevicePixel)
            image: QImage | None = None
            drawn = -1
            try:
                for number, index in enumerate(sequence):
                    if number and not printer.newPage():
                        raise PrintFailed(
                            _("The printer {name} stopped after {count} pages.").format(
                                name=name, count=number
                            )
                        )
                    width, height = pages.size(index)
                    place = fit(width, height, paper.width(), paper.height())
                    if index != drawn or image is None:  # copies page by page: drawn once
                        raster = pages.raster(index, raster_scale(width, height, place, dpi), grey)
                        image = QImage(
                            raster.data,
                            raster.width,
                            raster.height,
                            raster.stride,
                            QImage.Format.Format_Grayscale8
                            if raster.grey
                            else QImage.Format.Format_RGBX8888,
                        ).copy()
                        drawn = index
                    painter.drawImage(QRectF(place.x, place.y, place.width, place.height), image)
                    if progress is not None and not progress(number + 1, len(sequence)):
                        printer.abort()
                        return PrintOutcome(name, number + 1, cancelled=True)
            finally:
                painter.end()
    except ValueError as error:
        raise PrintFailed(
            _("The PDF could not be read for printing: {error}").format(error=error)
        ) from error
    return PrintOutcome(name, len(sequence))


def print_with_dialog(parent: QWidget | None, pdf: bytes, title: str) -> PrintOutcome | None:
    """The printer dialog, then the pages printed with progress and Cancel; None when the
    dialog was cancelled. Raises :class:`PrintFailed`."""
    printer = ask_printer(parent, pdf, title)
    if printer is None:
        return None
    progress = QProgressDialog(_("Printing…"), _("Cancel"), 0, 0, parent)
    progress.setWindowTitle(title)
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(400)

    def step(done: int, total: int) -> bool:
        progress.setMaximum(total)
        progress.setValue(done)
        progress.setLabelText(
            _("Printing page {done} of {total}…").format(done=min(done + 1, total), total=total)
        )
        QApplication.processEvents()
        return not progress.wasCanceled()

    try:
        return print_pdf(printer, pdf, step)
    finally:
        progress.close()
        progress.deleteLater()


def outcome_text(outcome: PrintOutcome | None) -> str:
    """What printing did, in one sentence."""
    if outcome is None:
        return _("Nothing was printed: the printer dialog was cancelled.")
    if outcome.cancelled:
        return ngettext(
            "Printing was cancelled after {count} page.",
            "Printing was cancelled after {count} pages.",
            outcome.pages,
        ).format(count=outcome.pages)
    return ngettext(
        "Sent {count} page to the printer {printer}.",
        "Sent {count} pages to the printer {printer}.",
        outcome.pages,
    ).format(count=outcome.pages, printer=outcome.printer)


# --- the command line ----------------------------------------------------------------------


def _qt_started() -> None:
    """Qt's printing needs an application object; a terminal without a display gets the
    offscreen platform (printers are reached through the print system, not the screen)."""
    if QGuiApplication.instance() is not None:
        return
    if (
        sys.platform.startswith("linux")
        and not os.environ.get("DISPLAY")
        and not os.environ.get("WAYLAND_DISPLAY")
    ):
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    global _APPLICATION
    _APPLICATION = QGuiApplication(["digcomp-app"])


_APPLICATION: QGuiApplication | None = None


def printer_names() -> list[str]:
    _qt_started()
    return list(QPrinterInfo.availablePrinterNames())


def require_printer(name: str) -> None:
    """Raise :class:`PrintFailed`, naming the printers there are, unless ``name`` is one."""
    names = printer_names()
    if name in names:
        return
    if names:
        raise PrintFailed(
            _("There is no printer named {name}; printers here: {names}.").format(
                name=name, names=", ".join(names)
            )
        )
    raise PrintFailed(
        _(
            "There is no printer named {name}: this computer has no printers set up "
            "(on Linux, printers come from CUPS). Print the PDF files instead."
        ).format(name=name)
    )


def print_on_named_printer(
    name: str, pdf: bytes, title: str, copies: int = 1, first: int = 0, last: int = 0
) -> PrintOutcome:
    """Print ``pdf`` on the printer called ``name`` (pages ``first``–``last``, 1-based,
    0: all), ``copies`` times."""
    require_printer(name)
    printer = new_printer(name)
    printer.setDocName(title)
    printer.setCopyCount(max(copies, 1))
    if first or last:
        printer.setPrintRange(QPrinter.PrintRange.PageRange)
        printer.setFromTo(max(first, 1), last or 9999)
    return print_pdf(printer, pdf)
