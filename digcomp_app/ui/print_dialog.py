"""Printing attestations and reports on a printer or saving them as PDF files, with a
dialog, progress and Cancel.

:class:`PrintDialog` asks what to print (the certificates chosen in the register, or all
certificates in force of a mobility), in which language (Latvian, English, or both in one
document) and into which folder; :class:`ReportDialog` asks the language and folder of one
report. Both offer "Print…" (the PDF files are written, then the system's printer dialog
sends them to a printer: :mod:`digcomp_app.ui.printing`) and "Save as PDF" (the files
only). :class:`DocumentRunner` shows the dialog, runs the service in the background
(:func:`digcomp_app.ui.tasks.run_task`) and then says what was written and printed,
offering to open the PDF and the folder. The folder chosen last is remembered in the
settings file.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, QStandardPaths, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.presenters import printing as presenter
from digcomp_app.presenters.printing import PrintRequest, plain, print_outcome
from digcomp_app.services import certificates, mobilities
from digcomp_app.services.certificates import CertificateInfo
from digcomp_app.services.errors import ServiceError
from digcomp_app.settings import load_settings, save_settings
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.tasks import Report, TaskHandle, run_task
from digcomp_app.ui.widgets import ERROR_COLOUR, fit_to_texts

if TYPE_CHECKING:  # the PDF services load reportlab: only when something is printed
    from digcomp_app.services.printing import PrintResult
    from digcomp_app.services.reports import ReportFile

#: what the dialogs decide lives in ``presenters.printing`` (no Qt); shown here
__all__ = ["DocumentRunner", "PrintDialog", "PrintRequest", "ReportDialog", "print_outcome"]


# --- the output folder ---------------------------------------------------------------------


def remembered_folder() -> Path:
    """The folder used last, else an "Attestations" folder in the user's documents."""
    chosen = load_settings().output_folder
    if chosen:
        return Path(chosen)
    documents = QStandardPaths.writableLocation(
        QStandardPaths.StandardLocation.DocumentsLocation
    ) or str(Path.home())
    return Path(documents) / _("Attestations")


def remember_folder(folder: Path) -> None:
    settings = load_settings()
    if settings.output_folder != str(folder):
        # not remembering the folder is no reason to stop
        with contextlib.suppress(OSError):
            save_settings(settings.with_changes(output_folder=str(folder)))


class FolderField(QWidget):
    """A folder typed or chosen with "Browse…"."""

    def __init__(self, label: QLabel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = QLineEdit(str(remembered_folder()))
        self.browse_button = QPushButton()
        label.setBuddy(self.edit)
        self.file_dialog: QFileDialog | None = None
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit, 1)
        layout.addWidget(self.browse_button)
        self.browse_button.clicked.connect(self.browse)
        self.edit.setAccessibleName(_("Folder for the PDF files"))
        self.browse_button.setText(_("&Browse…"))
        self.browse_button.setAccessibleName(_("Choose the folder"))
        self.setFocusProxy(self.edit)

    def folder(self) -> Path | None:
        return presenter.folder_of(self.edit.text())

    def set_folder(self, folder: Path | str) -> None:
        self.edit.setText(str(folder))

    def browse(self) -> None:
        dialog = QFileDialog(self, _("Choose the folder for the PDF files"), self.edit.text())
        dialog.setFileMode(QFileDialog.FileMode.Directory)
        dialog.setOption(QFileDialog.Option.ShowDirsOnly, True)
        dialog.fileSelected.connect(self.set_folder)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()


class LanguageChoice(QGroupBox):
    """Radio buttons: Latvian, English and, for attestations, both in one document."""

    def __init__(self, with_both: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(_("Language"))
        self.group = QButtonGroup(self)
        self.buttons: dict[tuple[str, ...], QRadioButton] = {}
        layout = QVBoxLayout(self)
        for languages, label in presenter.language_choices(with_both):
            button = QRadioButton(label)
            button.setAccessibleName(plain(label))
            self.group.addButton(button)
            self.buttons[languages] = button
            layout.addWidget(button)
        self.buttons[("lv",)].setChecked(True)

    def languages(self) -> tuple[str, ...]:
        return next(value for value, button in self.buttons.items() if button.isChecked())

    def set_languages(self, languages: Sequence[str]) -> None:
        self.buttons[tuple(languages)].setChecked(True)


def _error_label() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    return label


# --- printing attestations -----------------------------------------------------------------


class PrintDialog(QDialog):
    """What to print, in which language, where to. ``request`` is set when accepted."""

    def __init__(
        self,
        context: UiContext,
        chosen: Sequence[CertificateInfo] = (),
        mobility_code: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._chosen = list(chosen)
        self.request: PrintRequest | None = None
        self.setWindowTitle(_("Print attestations"))

        self.intro = QLabel(
            _(
                "Each attestation is saved as its own PDF file, and all of them once more "
                "in one combined file. Print… then sends that file to a printer of your "
                "choice; Save as PDF keeps the files only."
            )
        )
        self.intro.setWordWrap(True)
        self.what = QGroupBox(_("What to print"))
        self.chosen_button = QRadioButton()
        self.mobility_button = QRadioButton(_("All certificates in force of the &mobility:"))
        self.mobility_button.setAccessibleName(_("All certificates in force of a mobility"))
        self.mobility = QComboBox()
        self.mobility.setAccessibleName(_("Mobility whose certificates are printed"))
        self.mobility.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mobility.setMinimumContentsLength(30)
        self.chosen_note = QLabel()
        self.chosen_note.setWordWrap(True)
        self.chosen_note.setIndent(24)  # under its radio button's text
        what_layout = QVBoxLayout(self.what)
        what_layout.addWidget(self.chosen_button)
        what_layout.addWidget(self.chosen_note)
        what_layout.addWidget(self.mobility_button)
        what_layout.addWidget(self.mobility)
        self.scope = QButtonGroup(self)
        self.scope.addButton(self.chosen_button)
        self.scope.addButton(self.mobility_button)
        self.print_button, self.save_button = _output_controls(self, True)
        _lay_out(self, self.intro, self.what)

        self._choices = self._mobility_choices()
        for choice in self._choices:
            self.mobility.addItem(choice.label, choice.code)
        index = self.mobility.findData(presenter.initial_mobility(self._chosen, mobility_code))
        if index >= 0:
            self.mobility.setCurrentIndex(index)
        self._describe_chosen()
        start = presenter.starts_with_chosen(self._chosen, mobility_code, self._choices)
        if start is not None:
            (self.chosen_button if start else self.mobility_button).setChecked(True)
        if not self._choices:
            self.mobility_button.setEnabled(False)
            self.mobility.setEnabled(False)
        self.mobility.currentIndexChanged.connect(
            lambda _index: self.mobility_button.setChecked(True)
        )
        self.scope.buttonToggled.connect(lambda *_args: self._update())
        self._update()
        fit_to_texts(self, 80)

    def _mobility_choices(self) -> list[presenter.MobilityChoice]:
        db, actor = self._context.db, self._context.actor
        try:
            register = certificates.list_register(db, actor)
            titles = {m.code: m.title for m in mobilities.list_all(db, actor)}
        except ServiceError as error:
            self.error.setText(str(error))
            return []
        return presenter.mobility_choices(register, titles)

    def _describe_chosen(self) -> None:
        self.chosen_button.setText(presenter.chosen_text(self._chosen))
        self.chosen_button.setAccessibleName(plain(self.chosen_button.text()))
        self.chosen_note.setText(presenter.chosen_note(self._chosen))
        self.chosen_button.setEnabled(bool(presenter.printable(self._chosen)))

    def _update(self) -> None:
        with_chosen = self.chosen_button.isChecked()
        possible = (with_chosen or self.mobility_button.isChecked()) and presenter.can_print(
            with_chosen, self._chosen, self._choices
        )
        self.print_button.setEnabled(possible)
        self.save_button.setEnabled(possible)
        self.error.clear()

    def set_folder(self, folder: Path | str) -> None:
        self.folder.set_folder(folder)

    def choose_mobility(self, code: str) -> None:
        index = self.mobility.findData(code)
        if index >= 0:
            self.mobility.setCurrentIndex(index)
        self.mobility_button.setChecked(True)

    def accept(self) -> None:
        mobility = None
        if self.mobility_button.isChecked():
            mobility = self._choices[self.mobility.currentIndex()]
        try:
            request = presenter.print_request(
                self.folder.edit.text(),
                mobility,
                self._chosen,
                self.language.languages(),
                self.to_printer,
            )
        except presenter.Refused as refused:
            self.error.setText(str(refused))
            if refused.field == "folder":
                self.folder.setFocus()
            return
        self.request = request
        remember_folder(request.folder)
        super().accept()


def _output_controls(dialog, with_both: bool) -> tuple[QPushButton, QPushButton]:
    """The language choice, folder, error line and Cancel / Save as PDF / Print… buttons
    that the print and report dialogs share, set as attributes of ``dialog``; returns the
    Print… and Save as PDF buttons. Pressing one sets ``dialog.to_printer`` and accepts."""
    dialog.language = LanguageChoice(with_both=with_both)
    dialog.folder_label = QLabel(_("Save into the &folder:"))
    dialog.folder = FolderField(dialog.folder_label)
    dialog.error = _error_label()
    dialog.to_printer = False
    dialog.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    cancel = dialog.buttons.button(QDialogButtonBox.StandardButton.Cancel)
    cancel.setText(_("Cancel"))
    cancel.setAccessibleName(_("Cancel"))
    save = dialog.buttons.addButton(_("&Save as PDF"), QDialogButtonBox.ButtonRole.ActionRole)
    save.setAccessibleName(_("Save as PDF files only"))
    printer = dialog.buttons.addButton(_("&Print…"), QDialogButtonBox.ButtonRole.ActionRole)
    printer.setAccessibleName(_("Print on a printer"))
    printer.setDefault(True)

    def chosen(to_printer: bool) -> None:
        dialog.to_printer = to_printer
        dialog.accept()

    save.clicked.connect(lambda: chosen(False))
    printer.clicked.connect(lambda: chosen(True))
    dialog.buttons.rejected.connect(dialog.reject)
    return printer, save


def _lay_out(dialog, *top: QWidget) -> None:
    """``top`` widgets, then the shared output controls, one under the other."""
    layout = QVBoxLayout(dialog)
    for widget in (*top, dialog.language, dialog.folder_label, dialog.folder, dialog.error):
        layout.addWidget(widget)
    layout.addWidget(dialog.buttons)


# --- saving a report -----------------------------------------------------------------------


class ReportDialog(QDialog):
    """The language and folder of one report; ``language`` and ``folder`` once accepted."""

    def __init__(self, title: str, intro: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language_chosen = ""
        self.folder_chosen: Path | None = None
        self.setWindowTitle(title)
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        self.print_button, self.save_button = _output_controls(self, False)
        _lay_out(self, self.intro)
        fit_to_texts(self, 75)

    def set_folder(self, folder: Path | str) -> None:
        self.folder.set_folder(folder)

    def accept(self) -> None:
        folder = self.folder.folder()
        if folder is None:
            self.error.setText(_("Choose the folder where the PDF file is saved."))
            self.folder.setFocus()
            return
        self.language_chosen = self.language.languages()[0]
        self.folder_chosen = folder
        remember_folder(folder)
        super().accept()


def write_report(report: ReportFile, folder: Path) -> Path:
    """Save a rendered report into ``folder`` under its suggested name."""
    path = folder / report.file_name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(report.pdf)
        partial.replace(path)
    except OSError as error:
        raise ServiceError(
            _("Cannot write {path}: {error}").format(path=path, error=error.strerror or error)
        ) from error
    return path


# --- running and telling -------------------------------------------------------------------


class DocumentRunner(QObject):
    """Runs a screen's printing and report jobs (one at a time) and says what was written.

    ``dialog`` is the dialog open now, ``task`` the job running, ``outcome`` the message
    shown at the end (kept for the keyboard and for tests).
    """

    #: what was written (or why not), for the screen's message line
    finished = Signal(str)

    def __init__(self, parent: QWidget, context: UiContext) -> None:
        super().__init__(parent)
        self._parent = parent
        self._context = context
        self.dialog: QDialog | None = None
        self.task: TaskHandle | None = None
        self.outcome: QMessageBox | None = None

    def busy(self) -> bool:
        return self.task is not None and self.task.thread.isRunning()

    # --- attestations ---------------------------------------------------------------

    def print_attestations(
        self, chosen: Sequence[CertificateInfo] = (), mobility_code: str = ""
    ) -> TaskHandle | None:
        """Ask what to print, then print it in the background."""
        if self.busy():
            return None
        dialog = PrintDialog(self._context, chosen, mobility_code, self._parent)
        self.dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.dialog = None
        request = dialog.request
        dialog.deleteLater()
        if not accepted or request is None:
            return None
        return self.run_print(request)

    def run_print(self, request: PrintRequest) -> TaskHandle:
        db, actor = self._context.db, self._context.actor
        total = len(request.serials)

        def work(report: Report, cancelled: Callable[[], bool]) -> PrintResult:
            from digcomp_app.services import printing

            report(0, total, _("Printing {total} attestations…").format(total=total))

            def progress(done: int, count: int) -> None:
                report(
                    done,
                    count,
                    _("Printed {done} of {total} attestations…").format(done=done, total=count),
                )

            return printing.print_attestations(
                db, actor, request.serials, request.languages, request.folder, progress, cancelled
            )

        def done(result: PrintResult) -> None:
            text, details = print_outcome(result, total, request.folder)
            if request.to_printer and result.combined is not None and not result.cancelled:
                text = self._send_to_printer(result.combined, _("Print attestations")) + " " + text
            self._tell(_("Print attestations"), text, details, request.folder, result.combined)

        self.task = run_task(self._parent, _("Printing attestations"), work, done)
        self.task.dialog.show()
        self.task.done.connect(self._failed_or_done)
        return self.task

    # --- reports --------------------------------------------------------------------

    def save_report(
        self, title: str, intro: str, make: Callable[[str], ReportFile]
    ) -> TaskHandle | None:
        """Ask the language and folder, then run ``make(language)`` and save its PDF."""
        if self.busy():
            return None
        dialog = ReportDialog(title, intro, self._parent)
        self.dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        self.dialog = None
        language, folder = dialog.language_chosen, dialog.folder_chosen
        to_printer = dialog.to_printer
        dialog.deleteLater()
        if not accepted or folder is None:
            return None
        return self.run_report(title, language, folder, make, to_printer)

    def run_report(
        self,
        title: str,
        language: str,
        folder: Path,
        make: Callable[[str], ReportFile],
        to_printer: bool = False,
    ) -> TaskHandle:
        def work(report: Report, cancelled: Callable[[], bool]) -> Path:
            report(0, 0, _("Preparing the report…"))
            return write_report(make(language), folder)

        def done(path: Path) -> None:
            text = _("Saved as {path}").format(path=path)
            if to_printer:
                text = self._send_to_printer(path, title) + " " + text
            self._tell(title, text, "", folder, path)

        self.task = run_task(self._parent, title, work, done)
        self.task.done.connect(self._failed_or_done)
        return self.task

    # --- the printer -----------------------------------------------------------------

    def _send_to_printer(self, path: Path, title: str) -> str:
        """Ask for a printer and print the PDF at ``path``; what happened, in words."""
        from digcomp_app.ui import printing

        try:
            outcome = printing.print_with_dialog(self._parent, path.read_bytes(), title)
        except OSError as error:
            return _("Nothing was printed: {problem}").format(problem=error.strerror or error)
        except ServiceError as error:
            return _("Nothing was printed: {problem}").format(problem=error)
        return printing.outcome_text(outcome)

    # --- the outcome -----------------------------------------------------------------

    def _failed_or_done(self) -> None:
        task = self.task
        if task is not None and task.error is not None:
            self.finished.emit(
                _("Nothing was written: {problem}").format(problem=task.error)
                if isinstance(task.error, ServiceError)
                else _("Nothing was written. See the message for the reason.")
            )

    def _tell(self, title: str, text: str, details: str, folder: Path, file: Path | None) -> None:
        self.finished.emit(text)
        self._context.notify(text)
        box = QMessageBox(self._parent)
        box.setWindowTitle(title)
        box.setIcon(QMessageBox.Icon.Information)
        box.setTextFormat(Qt.TextFormat.PlainText)
        box.setText(text)
        if details:
            box.setDetailedText(details)
        open_folder = box.addButton(_("Open &folder"), QMessageBox.ButtonRole.ActionRole)
        open_folder.setAccessibleName(_("Open the folder"))
        open_folder.clicked.connect(lambda: open_location(folder))
        if file is not None:
            open_file = box.addButton(_("Open the &PDF"), QMessageBox.ButtonRole.ActionRole)
            open_file.clicked.connect(lambda: open_location(file))
        close = box.addButton(_("Close"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(close)
        box.setEscapeButton(close)
        box.finished.connect(lambda _code: setattr(self, "outcome", None))
        self.outcome = box
        box.open()


def open_location(path: Path) -> bool:
    """Show a folder or file with the system's own program."""
    return QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
