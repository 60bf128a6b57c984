"""The result of making one-time passwords: who got an account (and who was skipped), and
the sign-in slips to print or save as a PDF. The passwords are never shown on the screen:
they exist only on the slips, so the dialog insists the slips are printed or saved before
it closes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt, QUrl
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, current_language, ngettext
from digcomp_app.services import accounts
from digcomp_app.services.accounts import OneTimeCredential
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import remembered_folder
from digcomp_app.ui.widgets import ERROR_COLOUR, fit_to_texts, record_table

#: the slips' languages, each named in its own language
SLIP_LANGUAGES = (("lv", "&Latviešu"), ("en", "&English"))


def slips_file_name(today: dt.date | None = None) -> str:
    return _("sign-in-slips-{date}.pdf").format(date=(today or dt.date.today()).isoformat())


class SlipsDialog(QDialog):
    """``credentials`` just made (accounts created or passwords reset) and the learners
    ``skipped`` as (full name, reason); "Save sign-in slips…" writes the PDF."""

    def __init__(
        self,
        parent: QWidget | None,
        context: UiContext,
        credentials: Iterable[OneTimeCredential],
        skipped: Sequence[tuple[str, str]] = (),
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.credentials = tuple(credentials)
        self.skipped = tuple(skipped)
        #: where the slips were saved last (None until they are)
        self.saved_to: Path | None = None
        #: the slips went to a printer
        self.printed = False
        self._close_warned = False
        self.file_dialog: QFileDialog | None = None

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.table = record_table(3)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setRowCount(len(self.credentials))
        for row, credential in enumerate(self.credentials):
            for column, text in enumerate(
                (credential.full_name, credential.group, credential.username)
            ):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.setVisible(bool(self.credentials))
        self.skipped_label = QLabel()
        self.skipped_label.setWordWrap(True)
        self.skipped_list = QPlainTextEdit()
        self.skipped_list.setReadOnly(True)
        self.skipped_list.setPlainText(
            "\n".join(f"{name} — {reason}" for name, reason in self.skipped)
        )
        self.skipped_list.setMaximumHeight(self.fontMetrics().lineSpacing() * 5 + 12)
        for widget in (self.skipped_label, self.skipped_list):
            widget.setVisible(bool(self.skipped))

        self.language_label = QLabel()
        self.languages = QButtonGroup(self)
        self.language_buttons: dict[str, QRadioButton] = {}
        language_row = QHBoxLayout()
        language_row.addWidget(self.language_label)
        for code, label in SLIP_LANGUAGES:
            button = QRadioButton(label)
            button.setAccessibleName(label.replace("&", ""))
            self.languages.addButton(button)
            self.language_buttons[code] = button
            language_row.addWidget(button)
        language_row.addStretch(1)
        chosen = current_language() if current_language() in self.language_buttons else "lv"
        self.language_buttons[chosen].setChecked(True)

        self.print_button = QPushButton()
        self.print_button.setDefault(True)
        self.print_button.setEnabled(bool(self.credentials))
        self.save_button = QPushButton()
        self.save_button.setEnabled(bool(self.credentials))
        self.open_button = QPushButton()
        self.open_button.setEnabled(False)  # once saved
        self.close_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        buttons = QHBoxLayout()
        buttons.addWidget(self.print_button)
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.open_button)
        buttons.addStretch(1)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.warning)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.skipped_label)
        layout.addWidget(self.skipped_list)
        layout.addLayout(language_row)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.save_button.clicked.connect(self.choose_file)
        self.print_button.clicked.connect(self.print_slips)
        self.open_button.clicked.connect(self.open_pdf)
        self.close_button.clicked.connect(self.reject)
        self.retranslate()
        fit_to_texts(self, 60)
        self.resize(max(self.minimumWidth() + 80, 660), 480)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Sign-in slips"))
        count = len(self.credentials)
        if count:
            self.heading.setText(
                ngettext(
                    "{count} person has a new one-time password.",
                    "{count} people have a new one-time password.",
                    count,
                ).format(count=count)
            )
            self.warning.setText(
                "<b>"
                + _(
                    "The passwords are shown only on the sign-in slips and cannot be shown "
                    "again. Save the slips now, print them and hand each person their own."
                )
                + "</b>"
            )
        else:
            self.heading.setText(_("No account was created."))
            self.warning.setText("")
        self.warning.setVisible(bool(count))
        self.warning.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.table.setHorizontalHeaderLabels([_("Name"), _("Group"), _("User name")])
        self.table.setAccessibleName(_("New passwords for"))
        self.skipped_label.setText(
            ngettext(
                "{count} learner was skipped:", "{count} learners were skipped:", len(self.skipped)
            ).format(count=len(self.skipped))
        )
        self.skipped_list.setAccessibleName(_("Skipped learners"))
        self.language_label.setText(_("Language of the slips:"))
        self.print_button.setText(_("&Print sign-in slips…"))
        self.print_button.setAccessibleName(_("Print the sign-in slips on a printer"))
        self.save_button.setText(_("&Save as PDF…"))
        self.save_button.setAccessibleName(_("Save the sign-in slips as PDF"))
        self.open_button.setText(_("&Open the PDF"))
        self.open_button.setAccessibleName(_("Open the saved PDF"))
        self.close_button.setText(_("&Close"))
        self.close_button.setAccessibleName(_("Close"))
        self.message.setAccessibleName(_("Message"))

    def language(self) -> str:
        return next(code for code, b in self.language_buttons.items() if b.isChecked())

    def choose_file(self) -> None:
        """Ask where to save the slips; choosing a file saves them (:meth:`save_slips`)."""
        language = self.language()
        name = slips_file_name()
        dialog = QFileDialog(self, _("Save the sign-in slips"), str(remembered_folder() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("PDF documents (*.pdf)"), _("All files (*)")])
        dialog.setDefaultSuffix("pdf")
        dialog.selectFile(str(remembered_folder() / name))
        dialog.fileSelected.connect(lambda path: self.save_slips(Path(path), language))
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def _slips_pdf(self, language: str) -> bytes | None:
        try:
            return accounts.sign_in_slips(
                self._context.db, self._context.actor, self.credentials, language
            )
        except ServiceError as problem:
            self._say(str(problem), error=True)
            return None

    def print_slips(self) -> bool:
        """Ask for a printer and print the slips; True when they were sent to it."""
        from digcomp_app.ui import printing

        pdf = self._slips_pdf(self.language())
        if pdf is None:
            return False
        try:
            outcome = printing.print_with_dialog(self, pdf, _("Sign-in slips"))
        except ServiceError as problem:
            self._say(_("Nothing was printed: {problem}").format(problem=problem), error=True)
            return False
        text = printing.outcome_text(outcome)
        done = outcome is not None and not outcome.cancelled
        self.printed = self.printed or done
        if done:
            text += " " + _("Cut the slips apart and hand each person their own.")
        self._say(text, error=not done)
        self._context.notify(text)
        return done

    def open_pdf(self) -> bool:
        """Open the saved slips with the system's PDF viewer."""
        if self.saved_to is None:
            return False
        return QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.saved_to)))

    def save_slips(self, path: Path, language: str) -> bool:
        """Write the slips in ``language`` ("lv" or "en") to ``path``; True when written."""
        path = Path(path)
        pdf = self._slips_pdf(language)
        if pdf is None:
            return False
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(pdf)
        except OSError as problem:
            self._say(
                _("Cannot write {path}: {error}").format(
                    path=path, error=problem.strerror or problem
                ),
                error=True,
            )
            return False
        self.saved_to = path
        self.open_button.setEnabled(True)
        text = _("The sign-in slips were saved to {path}. Print them and cut them apart.").format(
            path=path
        )
        self._say(text)
        self._context.notify(text)
        return True

    def reject(self) -> None:
        """Closing before the slips are printed or saved warns once: the passwords would be
        lost."""
        if (
            self.credentials
            and self.saved_to is None
            and not self.printed
            and not self._close_warned
        ):
            self._close_warned = True
            self._say(
                _(
                    "The sign-in slips are not saved or printed. Without them nobody can learn "
                    "these passwords; they would have to be reset. Press Close again to close "
                    "anyway."
                ),
                error=True,
            )
            return
        super().reject()

    def _say(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
