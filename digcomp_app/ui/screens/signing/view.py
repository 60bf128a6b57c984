"""The signing key screen: the key in use, the retired ones, a new key, the public keys.

Administrators create keys; coordinators (who sign with the key) see which one is in use
and export the public keys, which another school's verifier loads to check this school's
attestations.
"""

from __future__ import annotations

import itertools
from html import escape
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import certificates, organisations, signing
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.permissions import Role
from digcomp_app.services.signing import KeyInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import remember_folder, remembered_folder
from digcomp_app.ui.screens.certificates.common import plain, show_date, show_moment
from digcomp_app.ui.screens.signing.dialogs import WARNING_STYLE, CreateKeyDialog
from digcomp_app.ui.widgets import ERROR_COLOUR, record_table

OK_COLOUR = "#1b5e20"


def export_file_name(school: str) -> str:
    """``public-keys-<school>.pem`` with the school's name in plain ASCII letters."""
    letters = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in school.lower())
    label = "-".join(part for part in letters.split("-") if part)[:40]
    return f"public-keys-{label}.pem" if label else "public-keys.pem"


class SigningKeyScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.keys: list[KeyInfo] = []
        #: the dialog open now (for the keyboard and for tests)
        self.dialog: QDialog | None = None
        self.file_dialog: QFileDialog | None = None

        self.heading = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.current_box = QGroupBox()
        self.current = QLabel()
        self.current.setWordWrap(True)
        self.current.setTextFormat(Qt.TextFormat.RichText)
        self.current.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        current_layout = QVBoxLayout(self.current_box)
        current_layout.addWidget(self.current)
        self.retired_label = QLabel()
        self.table = record_table(4)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.retired_label.setBuddy(self.table)
        self.no_retired = QLabel()
        self.no_retired.setWordWrap(True)
        self.create_button = QPushButton()
        self.export_button = QPushButton()
        self.page_button = QPushButton()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        buttons.addWidget(self.create_button)
        buttons.addWidget(self.export_button)
        buttons.addWidget(self.page_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.current_box)
        layout.addLayout(buttons)
        layout.addWidget(self.note)
        layout.addWidget(self.message)
        layout.addSpacing(12)
        layout.addWidget(self.retired_label)
        layout.addWidget(self.table)
        layout.addWidget(self.no_retired)
        layout.addStretch(1)
        for first, second in itertools.pairwise(
            (self.create_button, self.export_button, self.page_button, self.table)
        ):
            self.setTabOrder(first, second)

        self.may_create = context.has(Role.ADMINISTRATOR)
        self.create_button.setVisible(self.may_create)
        self.create_button.clicked.connect(self.create_key)
        self.export_button.clicked.connect(self.choose_export_file)
        self.page_button.clicked.connect(self.choose_page_file)
        self.retranslate()

    # --- screen protocol -----------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + escape(_("Signing key")) + "</h2>")
        self.intro.setText(
            _(
                "Every attestation carries a QR code signed with the school's key, so anyone "
                "can check it without calling the school. The key's private half is locked "
                "with a passphrase: coordinators type it once per session to issue "
                "certificates. The public half checks the signatures; give the exported "
                "file to schools and employers who want to check your attestations."
            )
        )
        self.current_box.setTitle(_("Key in use"))
        self.current.setAccessibleName(_("Key in use"))
        self.retired_label.setText(_("&Retired keys (they still verify what they signed):"))
        self.table.setAccessibleName(_("Retired keys"))
        self.table.setHorizontalHeaderLabels(
            [_("Fingerprint"), _("Created on"), _("Created by"), _("Retired on")]
        )
        self.create_button.setText(_("Create a &new key…"))
        self.create_button.setAccessibleName(plain(self.create_button.text()))
        self.export_button.setText(_("&Export public keys…"))
        self.export_button.setAccessibleName(plain(self.export_button.text()))
        self.page_button.setText(_("Export for the &website…"))
        self.page_button.setAccessibleName(plain(self.page_button.text()))
        self.page_button.setToolTip(
            _(
                "Write the verification page for the school's website: one HTML file that "
                "checks an attestation's QR code on a phone, with no app and no network."
            )
        )
        self.note.setText(
            ""
            if self.may_create
            else _("Only an administrator creates a new key. You can export the public keys.")
        )
        self.note.setVisible(not self.may_create)
        self.message.setVisible(bool(self.message.text()))
        self.message.setAccessibleName(_("Message"))
        self._show()

    def refresh(self) -> None:
        try:
            self.keys = signing.list_keys(self._context.db, self._context.actor)
        except ServiceError as error:
            self.keys = []
            self._say(str(error), error=True)
        self._show()

    # --- what is shown -------------------------------------------------------------

    def active_key(self) -> KeyInfo | None:
        return next((key for key in self.keys if key.active), None)

    def retired_keys(self) -> list[KeyInfo]:
        return [key for key in self.keys if not key.active]

    def _show(self) -> None:
        active = self.active_key()
        if active is None:
            self.current_box.setStyleSheet(f"QGroupBox {{ {WARNING_STYLE} }}")
            steps = (
                _(
                    "The school has no signing key yet, so no certificate can be issued. "
                    "Press “Create a new key…”, choose a passphrase, write it down, and give "
                    "it to the coordinators."
                )
                if self.may_create
                else _(
                    "The school has no signing key yet, so no certificate can be issued. "
                    "Ask an administrator to create one on this screen."
                )
            )
            self.current.setText(escape(steps))
        else:
            self.current_box.setStyleSheet("")
            self.current.setText(
                f'<p><b style="color:{OK_COLOUR}; font-size:large">'
                f"{escape(active.fingerprint)}</b></p><p>"
                + escape(
                    _("Key {key_id}, created on {moment} by {name}.").format(
                        key_id=active.key_id,
                        moment=show_moment(active.created_at),
                        name=active.created_by or _("an administrator"),
                    )
                )
                + "</p><p>"
                + escape(
                    _(
                        "The fingerprint is printed at the foot of every attestation: "
                        "compare it when someone asks whether an attestation is yours."
                    )
                )
                + "</p>"
            )
        self.export_button.setEnabled(bool(self.keys))
        self.page_button.setEnabled(bool(self.keys))
        retired = self.retired_keys()
        self.table.setRowCount(len(retired))
        for row, key in enumerate(retired):
            values = (
                key.fingerprint,
                show_date(key.created_at),
                key.created_by,
                show_date(key.retired_at),
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(_("Key {key_id}").format(key_id=key.key_id))
                self.table.setItem(row, column, item)
        self.no_retired.setText(_("No key has been retired yet.") if not retired else "")
        self.no_retired.setVisible(not retired)
        self._fit_table()

    def retired_fingerprints(self) -> list[str]:
        """The fingerprints the retired-keys table shows (for checks and tests)."""
        return [self.table.item(row, 0).text() for row in range(self.table.rowCount())]

    def _fit_table(self) -> None:
        """As tall as its rows (a school has few keys), at most about ten of them."""
        rows = self.table.rowCount()
        self.table.setVisible(rows > 0)
        row_height = self.table.verticalHeader().defaultSectionSize()
        height = self.table.horizontalHeader().sizeHint().height() + min(rows, 10) * row_height
        self.table.setFixedHeight(height + 2 * self.table.frameWidth() + 2)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
        self.message.setVisible(bool(text))

    # --- actions -------------------------------------------------------------------

    def create_key(self) -> KeyInfo | None:
        if not self.may_create:
            return None
        dialog = CreateKeyDialog(self._context, self.active_key(), self)
        self.dialog = dialog
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        created = dialog.created
        self.dialog = None
        dialog.deleteLater()
        if not accepted or created is None:
            return None
        # a key unlocked earlier in this session is no longer the one in use
        self._context.signer = None
        text = _(
            "New signing key {fingerprint} created. Give its passphrase to the coordinators; "
            "export the public keys again for those who check your attestations."
        ).format(fingerprint=created.fingerprint)
        self._say(text)
        self._context.notify(text)
        self.refresh()
        return created

    def choose_export_file(self) -> None:
        try:
            home = organisations.get_home(self._context.db, self._context.actor)
        except ServiceError:
            home = None
        name = export_file_name(home.name if home else "")
        dialog = QFileDialog(self, _("Export the public keys"), str(remembered_folder() / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Public key files (*.pem)"), _("All files (*)")])
        dialog.setDefaultSuffix("pem")
        dialog.selectFile(str(remembered_folder() / name))
        dialog.fileSelected.connect(self.export_to)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def _write(self, target: Path, text: str) -> bool:
        """Write an exported file (its folder made when missing); say why when it fails."""
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
        except OSError as error:
            self._say(
                _("Cannot write {path}: {error}").format(
                    path=target, error=error.strerror or error
                ),
                error=True,
            )
            return False
        remember_folder(target.parent)
        return True

    def export_to(self, path: Path | str) -> Path | None:
        """Write the public keys to ``path`` (the file dialog asked before replacing)."""
        target = Path(path)
        try:
            text = signing.export_public_keys(self._context.db, self._context.actor)
        except ServiceError as error:
            self._say(str(error), error=True)
            return None
        if not self._write(target, text):
            return None
        said = _(
            "The public keys were written to {path}. Anyone who checks your attestations "
            "loads this file in their verifier."
        ).format(path=target)
        self._say(said)
        self._context.notify(said)
        return target

    def choose_page_file(self) -> None:
        dialog = QFileDialog(
            self, _("Export the verification page"), str(remembered_folder() / "index.html")
        )
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Web pages (*.html)"), _("All files (*)")])
        dialog.setDefaultSuffix("html")
        dialog.selectFile(str(remembered_folder() / "index.html"))
        dialog.fileSelected.connect(self.export_page_to)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def export_page_to(self, path: Path | str) -> Path | None:
        """Write the verification page to ``path``. A coordinator who unlocked the signing
        key in this session gets the current revocation list signed into the page, and the
        status list of the digital credentials written beside it."""
        from digcomp_app.services import credentials

        target = Path(path)
        db, actor, signer = self._context.db, self._context.actor, self._context.signer
        try:
            listed = status = None
            if signer is not None and self._context.has(Role.COORDINATOR):
                listed = certificates.revocation_list(db, actor, signer)
                home = organisations.get_home(db, actor)
                if home is not None and home.verification_address:
                    status = credentials.revocation_status_list(db, actor, signer)
            page = signing.verifier_page(db, actor, listed)
        except ServiceError as error:
            self._say(str(error), error=True)
            return None
        if not self._write(target, page):
            return None
        status_file = target.parent / credentials.STATUS_LIST_FILE
        if status is not None and not self._write(status_file, status.text):
            return None
        said = _(
            "The verification page was written to {path}. Put it on the school's website at "
            "the verification address printed on the attestations."
        ).format(path=target)
        if listed is None:
            said += " " + _(
                "It has no revocation list (a coordinator who has unlocked the signing key "
                "exports the page with one): it says that revocation could not be checked."
            )
        else:
            said += " " + _(
                "It holds today's list of revoked certificates: export it again after each "
                "revocation."
            )
        if status is not None:
            said += " " + _(
                "Beside it, {file} is the status list of the digital credentials: publish it "
                "at {address}."
            ).format(file=status_file, address=status.address)
        self._say(said)
        self._context.notify(said)
        return target
