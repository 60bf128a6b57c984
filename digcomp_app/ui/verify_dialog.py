"""Is this attestation genuine? Paste its QR code's text or open (or drop) its PDF.

The signature is checked with the school's own public keys from the open database and
with any public key file loaded here (another school's, written by "Export public
keys…"); the open database is the register that says whether a certificate was revoked.
The verdict is shown large and coloured, with what it means and the attestation's
details. Usable from any screen: ``VerifyDialog(db, actor, parent)``.
"""

from __future__ import annotations

from collections.abc import Sequence
from html import escape
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QFont, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import N_, _, ngettext
from digcomp_app.presenters.verification import detail_rows
from digcomp_app.services import signing, verification
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.permissions import Actor
from digcomp_app.services.verification import Verdict, Verification
from digcomp_app.ui.widgets import ERROR_COLOUR, fit_to_texts

#: the verdict in one or two words, shown large
VERDICT_WORDS = {
    Verdict.VALID: N_("VALID"),
    Verdict.INVALID: N_("NOT VALID"),
    Verdict.REVOKED: N_("REVOKED"),
    Verdict.UNKNOWN_KEY: N_("UNKNOWN KEY"),
    Verdict.UNVERIFIABLE: N_("NOT VERIFIABLE"),
}
#: text and background colour of each verdict: green, red, red, amber
VERDICT_COLOURS = {
    Verdict.VALID: ("#1b5e20", "#e6f4ea"),
    Verdict.INVALID: (ERROR_COLOUR, "#fde7e9"),
    Verdict.REVOKED: (ERROR_COLOUR, "#fde7e9"),
    Verdict.UNKNOWN_KEY: ("#7a4b00", "#fff4e0"),
    Verdict.UNVERIFIABLE: ("#7a4b00", "#fff4e0"),
}
#: how much the verdict weighs when a PDF holds several attestations (worst first)
_SEVERITY = (
    Verdict.INVALID,
    Verdict.REVOKED,
    Verdict.UNVERIFIABLE,
    Verdict.UNKNOWN_KEY,
    Verdict.VALID,
)


def overall(results: Sequence[Verification]) -> Verdict:
    """The verdict of a file: valid only when every attestation in it is."""
    return min((r.verdict for r in results), key=_SEVERITY.index, default=Verdict.INVALID)


def details_html(result: Verification, with_verdict: bool = True) -> str:
    """One attestation's details as a small HTML table (``with_verdict``: headed by its
    verdict and explanation, for a file holding several attestations)."""
    rows = detail_rows(result)
    colour, _background = VERDICT_COLOURS[result.verdict]
    parts = []
    if with_verdict:
        word = _(VERDICT_WORDS[result.verdict])
        parts.append(
            f'<p><b style="color:{colour}">{escape(word)}</b> — {escape(result.explanation)}</p>'
        )
    parts.append('<table cellspacing="0" cellpadding="2">')
    parts += [
        f'<tr><td style="padding-right:12px"><b>{escape(label)}</b></td>'
        f"<td>{escape(value)}</td></tr>"
        for label, value in rows
    ]
    parts.append("</table>")
    if result.competences:
        heading = _("Digital competences and levels")
        parts.append(f"<p><b>{escape(heading)}</b></p><ul>")
        parts += [
            f"<li>{escape(item.title)}: {escape(item.level_label)}</li>"
            for item in result.competences
        ]
        parts.append("</ul>")
    if result.differences:
        differs = _("What differs:")
        parts.append(f"<p><b>{escape(differs)}</b></p><ul>")
        parts += [
            f'<li style="color:{ERROR_COLOUR}">{escape(text)}</li>' for text in result.differences
        ]
        parts.append("</ul>")
    parts += [f"<p>{escape(note)}</p>" for note in result.notes]
    if result.key_source is not None:
        warning = _(verification.TRUST_WARNING)
        parts.append(f"<p><i>{escape(warning)}</i></p>")
    return "".join(parts)


class VerifyDialog(QDialog):
    def __init__(
        self, db: Database | None, actor: Actor | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._actor = actor
        #: public keys loaded from files, by key id; the school's own come from the database
        self.extra_keys: dict[str, Any] = {}
        self.key_files: list[str] = []
        #: the loaded key files: whose keys they say they are, shown with every verdict
        self.named_key_files: list[verification.NamedKeyFile] = []
        #: a revocation list loaded from a file (None: not loaded)
        self.revocations: Any = None
        self.revocations_file = ""
        self.results: list[Verification] = []
        self.file_dialog: QFileDialog | None = None
        self._last: tuple[str, object] | None = None
        self.setAcceptDrops(True)

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.code_label = QLabel()
        self.code = QPlainTextEdit()
        self.code.setTabChangesFocus(True)
        self.code.setAcceptDrops(False)  # a dropped file or text is the dialog's to handle
        self.code.setMaximumHeight(80)
        self.code_label.setBuddy(self.code)
        self.check_button = QPushButton()
        self.pdf_button = QPushButton()
        self.key_button = QPushButton()
        self.revocations_button = QPushButton()
        self.keys_note = QLabel()
        self.keys_note.setWordWrap(True)
        self.verdict = QLabel()
        self.verdict.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.verdict.setMinimumHeight(56)
        big = QFont(self.verdict.font())
        big.setPointSizeF(max(big.pointSizeF(), 9.0) * 2)
        big.setBold(True)
        self.verdict.setFont(big)
        self.explanation = QLabel()
        self.explanation.setWordWrap(True)
        self.explanation.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.details = QTextBrowser()
        self.details.setOpenLinks(False)
        # a few lines of the details at least, whatever the dialog's size
        self.details.setMinimumHeight(6 * self.details.fontMetrics().lineSpacing())
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)

        actions = QHBoxLayout()
        actions.addWidget(self.check_button)
        actions.addWidget(self.pdf_button)
        actions.addStretch(1)
        actions.addWidget(self.key_button)
        actions.addWidget(self.revocations_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.code_label)
        layout.addWidget(self.code)
        layout.addLayout(actions)
        layout.addWidget(self.keys_note)
        layout.addWidget(self.problem)
        layout.addWidget(self.verdict)
        layout.addWidget(self.explanation)
        layout.addWidget(self.details, 1)
        layout.addWidget(self.buttons)
        for first, second in (
            (self.code, self.check_button),
            (self.check_button, self.pdf_button),
            (self.pdf_button, self.key_button),
            (self.key_button, self.revocations_button),
            (self.revocations_button, self.details),
            (self.details, self.buttons),
        ):
            self.setTabOrder(first, second)

        self.check_button.clicked.connect(lambda: self.check_text(self.code.toPlainText()))
        self.pdf_button.clicked.connect(self.choose_pdf)
        self.key_button.clicked.connect(self.choose_key_file)
        self.revocations_button.clicked.connect(self.choose_revocations)
        for keys in (QKeySequence("Ctrl+Return"), QKeySequence("Ctrl+Enter")):
            QShortcut(keys, self, lambda: self.check_text(self.code.toPlainText()))
        self.retranslate()
        self._show([])
        fit_to_texts(self, 100)
        self.code.setFocus()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Verify an attestation"))
        self.intro.setText(
            _(
                "Paste the text of the attestation's QR code (a QR scanner app gives it), "
                "or open the attestation's PDF file — or drop it on this window. The "
                "signature is checked with the school's public keys, and this school's "
                "register says whether the certificate was revoked."
            )
        )
        self.code_label.setText(_("&Code of the QR:"))
        self.code.setPlaceholderText(_("DC1:…"))
        self.code.setAccessibleName(_("Code of the QR"))
        for button, text, name in (
            (self.check_button, _("C&heck the code"), _("Check the code")),
            (self.pdf_button, _("Open a &PDF…"), _("Open a PDF file")),
            (self.key_button, _("Load a public &key file…"), _("Load a public key file")),
            (
                self.revocations_button,
                _("Load a &revocation list…"),
                _("Load a revocation list"),
            ),
        ):
            button.setText(text)
            button.setAccessibleName(name)
        self.check_button.setToolTip(_("Check the code (Ctrl+Enter)"))
        self.key_button.setToolTip(
            _("For another school's attestations: load the public key file that school gave you.")
        )
        self.revocations_button.setToolTip(
            _(
                "The school's signed list of withdrawn certificates, from its website: "
                "a certificate on it is shown as revoked."
            )
        )
        self.verdict.setAccessibleName(_("Verdict"))
        self.explanation.setAccessibleName(_("What the verdict means"))
        self.details.setAccessibleName(_("Details of the attestation"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        self.buttons.button(QDialogButtonBox.StandardButton.Close).setAccessibleName(_("Close"))
        self._show_keys()

    # --- checking ------------------------------------------------------------------

    def check_text(self, text: str) -> list[Verification]:
        # only line ends around it: a space is a base45 character, even a code's last one
        text = text.strip("\r\n\t\f\v")
        if not text.strip():
            self._say(_("Paste the text of the QR code first, or open a PDF file."))
            return []
        if self.code.toPlainText().strip("\r\n\t\f\v") != text:
            self.code.setPlainText(text)
        self._last = ("text", text)
        try:
            result = verification.verify_text(
                self._db, self._actor, text, None, self.named_key_files, self.revocations
            )
        except ServiceError as error:
            self._say(str(error))
            return []
        self._show([result])
        return self.results

    def open_pdf(self, path: Path | str) -> list[Verification]:
        path = Path(path)
        self._last = ("pdf", path)
        try:
            data = path.read_bytes()
        except OSError as error:
            self._say(
                _("Cannot read {file}: {error}").format(file=path, error=error.strerror or error)
            )
            return []
        try:
            found = verification.verify_pdf(
                self._db, self._actor, data, None, self.named_key_files, self.revocations
            )
        except ServiceError as error:
            self._say(_("{file}: {problem}").format(file=path.name, problem=error))
            return []
        self._show(found, source=path.name)
        return self.results

    def load_key_file(self, path: Path | str) -> int:
        """Trust the public keys in ``path`` too; the last input is checked again."""
        path = Path(path)
        try:
            key_file = signing.read_key_file(path.read_text(encoding="utf-8"), path.name)
        except (OSError, UnicodeDecodeError) as error:
            self._say(_("Cannot read the key file {file}: {error}").format(file=path, error=error))
            return 0
        except ServiceError as error:
            self._say(str(error))
            return 0
        keys = dict(key_file.keys)
        self.extra_keys.update(keys)
        named = verification.named_key_file(key_file, path.name)
        self.named_key_files = [k for k in self.named_key_files if k.source != path.name]
        self.named_key_files.append(named)
        if path.name not in self.key_files:
            self.key_files.append(path.name)
        self._show_keys()
        self.problem.clear()
        self._check_again()
        return len(keys)

    def load_revocations(self, path: Path | str) -> bool:
        """Use the school's signed revocation list in ``path`` (checked with the loaded
        key files and this school's own keys); the last input is checked again."""
        from digcomp_app.services import certificates

        path = Path(path)
        trusted = dict(self.extra_keys)
        if self._db is not None:
            trusted.update(verification.own_public_keys(self._db, None))
        try:
            text = path.read_text(encoding="utf-8")
            self.revocations = certificates.read_revocation_list(text, trusted, path.name)
        except (OSError, UnicodeDecodeError) as error:
            self._say(
                _("Cannot read the revocation list {file}: {error}").format(file=path, error=error)
            )
            return False
        except ServiceError as error:
            self._say(str(error))
            return False
        self.revocations_file = path.name
        self._show_keys()
        self.problem.clear()
        self._check_again()
        return True

    def _check_again(self) -> None:
        if self._last is not None:
            kind, value = self._last
            if kind == "text":
                self.check_text(str(value))
            else:
                self.open_pdf(Path(str(value)))

    # --- files ---------------------------------------------------------------------

    def choose_pdf(self) -> None:
        self._file_dialog(
            _("Open an attestation"),
            [_("PDF documents (*.pdf)"), _("All files (*)")],
            self.open_pdf,
        )

    def choose_revocations(self) -> None:
        self._file_dialog(
            _("Load a revocation list"),
            [_("Revocation lists (*.json)"), _("All files (*)")],
            self.load_revocations,
        )

    def choose_key_file(self) -> None:
        self._file_dialog(
            _("Load a public key file"),
            [_("Public key files (*.pem *.txt)"), _("All files (*)")],
            self.load_key_file,
        )

    def _file_dialog(self, title: str, filters: list[str], chosen: Any) -> None:
        dialog = QFileDialog(self, title)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(filters)
        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        mime = event.mimeData()
        if any(url.isLocalFile() for url in mime.urls()) or mime.hasText():
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        mime = event.mimeData()
        files = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
        if files:
            self.open_dropped(files[0])
        elif mime.hasText():
            self.check_text(mime.text())
        else:
            event.ignore()
            return
        event.acceptProposedAction()

    def open_dropped(self, path: Path) -> None:
        """A dropped PDF is checked; another file is read as the QR code's text."""
        try:
            with path.open("rb") as handle:
                start = handle.read(5)
        except OSError as error:
            self._say(
                _("Cannot read {file}: {error}").format(file=path, error=error.strerror or error)
            )
            return
        if start.startswith(b"%PDF") or path.suffix.lower() == ".pdf":
            self.open_pdf(path)
            return
        try:
            self.check_text(path.read_text(encoding="utf-8", errors="replace"))
        except OSError as error:
            self._say(
                _("Cannot read {file}: {error}").format(file=path, error=error.strerror or error)
            )

    # --- showing -------------------------------------------------------------------

    def verdict_text(self) -> str:
        return self.verdict.text()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self._show([])

    def _show(self, results: Sequence[Verification], source: str = "") -> None:
        self.results = list(results)
        if results:
            self.problem.clear()
        if not results:
            self.verdict.clear()
            self.verdict.setStyleSheet("")
            self.explanation.clear()
            self.details.clear()
            self.verdict.hide()
            return
        verdict = overall(results)
        word = _(VERDICT_WORDS[verdict])
        if len(results) > 1:
            word = ngettext(
                "{verdict} ({count} attestation)", "{verdict} ({count} attestations)", len(results)
            ).format(verdict=word, count=len(results))
        colour, background = VERDICT_COLOURS[verdict]
        self.verdict.setText(word)
        self.verdict.setStyleSheet(
            f"color: {colour}; background: {background}; border: 2px solid {colour};"
            " border-radius: 6px; padding: 6px;"
        )
        self.verdict.setAccessibleDescription(word)
        self.verdict.show()
        if len(results) == 1:
            self.explanation.setText(results[0].explanation)
        else:
            valid = sum(1 for r in results if r.valid)
            self.explanation.setText(
                ngettext(
                    "{file} holds {count} attestation; {valid} of them valid.",
                    "{file} holds {count} attestations; {valid} of them valid.",
                    len(results),
                ).format(file=source, count=len(results), valid=valid)
            )
        several = len(results) > 1
        self.details.setHtml("<hr>".join(details_html(r, several) for r in results))

    def _show_keys(self) -> None:
        revocations = (
            _("Revocation list: {file}.").format(file=self.revocations_file)
            if self.revocations_file
            else ""
        )
        if not self.key_files:
            text = (
                _("Checked with this school's own public keys.")
                if self._db is not None
                else _("No public key is loaded yet: load the issuing school's key file.")
            )
            self.keys_note.setText(" ".join(p for p in (text, revocations) if p))
            return
        count = len(self.extra_keys)
        lines = [
            ngettext(
                "Also trusted: {files} ({count} key).",
                "Also trusted: {files} ({count} keys).",
                count,
            ).format(files=", ".join(self.key_files), count=count)
        ]
        for named in self.named_key_files:
            lines.append(
                _("{file}: keys of {school} ({address}), exported {exported}.").format(
                    file=named.source,
                    school=named.school or _("an unnamed school"),
                    address=named.address or _("no web address given"),
                    exported=named.exported or "—",
                )
            )
        lines.append(_(verification.TRUST_WARNING))
        if revocations:
            lines.append(revocations)
        self.keys_note.setText("\n".join(lines))
