"""The certificate register: every certificate issued, valid or revoked.

From here the coordinator prints attestations (of the certificates chosen - several may be
chosen at once - or of a whole mobility), copies the digital-skills text for the official
Europass Mobility document, exports digital credentials (Open Badges 3.0, or European
Digital Credentials for the EDC issuer) and checks an attestation (the verify dialog).
"""

from __future__ import annotations

import itertools
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QComboBox,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import N_, _, ngettext
from digcomp_app.services import certificates
from digcomp_app.services.certificates import CertificateInfo, RegisterPage
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.button_grid import ButtonGrid
from digcomp_app.ui.column_fit import ColumnFit
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import DocumentRunner
from digcomp_app.ui.screens.certificates.common import (
    competence_title,
    plain,
    show_date,
    show_moment,
    show_short_date,
)
from digcomp_app.ui.screens.certificates.dialogs import RevokeDialog
from digcomp_app.ui.search_box import SearchPacer
from digcomp_app.ui.verify_dialog import VerifyDialog
from digcomp_app.ui.widgets import ERROR_COLOUR, record_table

STATUS_NAMES = certificates.STATUS_TITLES
#: the "Show" choices: (stored status or None for all, name)
FILTERS = (
    (None, N_("All certificates")),
    ("issued", STATUS_NAMES["issued"]),
    ("revoked", STATUS_NAMES["revoked"]),
)
#: columns: a serial, a mobility code, the status and the dates are shown whole; the holder
#: and the reason are shortened with "…" when the table has no room (whole in their
#: tooltips). The date and the reason of revoking give way to the others when even that
#: does not fit (a larger text size): the status's tooltip and the details below say them.
SERIAL, HOLDER, MOBILITY, STATUS, ISSUED, REVOKED, REASON = range(7)
_SERIAL = Qt.ItemDataRole.UserRole


class RegisterPanel(QWidget):
    #: a certificate was revoked (CertificateInfo); its case is back in the queue
    revoked = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._shown: list[CertificateInfo] = []
        #: how many certificates the last search found (more than shown when it says so)
        self.found = 0

        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.status_label = QLabel()
        self.status = QComboBox()
        self.status_label.setBuddy(self.status)
        self.count = QLabel()
        self.table = record_table(7)
        # several certificates may be chosen to print them together
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setWordWrap(False)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.columns = ColumnFit(
            self.table,
            whole=(SERIAL, MOBILITY, STATUS, ISSUED, REVOKED),
            giving=(HOLDER, REASON),
            optional=(REVOKED, REASON),
            caps={HOLDER: 24},
            least={HOLDER: 16, REASON: 12},
        )
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.revoke_button = QPushButton()
        self.print_button = QPushButton()
        self.europass_button = QPushButton()
        self.europass_menu = QMenu(self)
        self.europass_lv = self.europass_menu.addAction("")
        self.europass_en = self.europass_menu.addAction("")
        self.europass_button.setMenu(self.europass_menu)
        self.verify_button = QPushButton()
        self.credential_button = QPushButton()
        self.credential_menu = QMenu(self)
        self.credential_ob3 = self.credential_menu.addAction("")
        self.credential_edc = self.credential_menu.addAction("")
        self.credential_button.setMenu(self.credential_menu)
        self.documents = DocumentRunner(self, context)
        #: the verify dialog while it is open (for the keyboard and for tests)
        self.verify_dialog: VerifyDialog | None = None
        #: the EDC registration-number dialog while it is open (for tests)
        self.registration_dialog: QDialog | None = None

        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.status_label)
        top.addWidget(self.status)
        top.addWidget(self.count)
        buttons = QHBoxLayout()
        buttons.addWidget(self.revoke_button, 0, Qt.AlignmentFlag.AlignTop)
        buttons.addStretch(1)
        # side by side; on two rows when a larger text size leaves no room
        actions = ButtonGrid(4)
        for button in (
            self.print_button,
            self.europass_button,
            self.credential_button,
            self.verify_button,
        ):
            actions.add(button)
        buttons.addLayout(actions)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.details)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        order = (
            self.search,
            self.status,
            self.table,
            self.revoke_button,
            self.print_button,
            self.europass_button,
            self.credential_button,
            self.verify_button,
        )
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

        self.pacer = SearchPacer(self.search, self.refresh)
        self.status.currentIndexChanged.connect(lambda _index: self.refresh())
        self.table.itemSelectionChanged.connect(self._show_selected)
        self.revoke_button.clicked.connect(self.revoke_selected)
        self.print_button.clicked.connect(self.print_selected)
        self.europass_lv.triggered.connect(lambda: self.copy_europass_text("lv"))
        self.europass_en.triggered.connect(lambda: self.copy_europass_text("en"))
        self.verify_button.clicked.connect(self.verify)
        self.credential_ob3.triggered.connect(lambda: self.export_credentials())  # noqa: PLW0108 - not triggered(checked)
        self.credential_edc.triggered.connect(lambda: self.export_edc())  # noqa: PLW0108 - not triggered(checked)
        self.documents.finished.connect(self._say)
        self.retranslate()

    def retranslate(self) -> None:
        self.search_label.setText(_("Fin&d:"))
        self.search.setPlaceholderText(_("serial number, holder, mobility code or status"))
        self.search.setAccessibleName(
            _("Find certificates by serial number, holder, mobility code or status")
        )
        self.count.setAccessibleName(_("Certificates found"))
        self.status_label.setText(_("&Show:"))
        self.status.setAccessibleName(_("Show certificates"))
        index = max(self.status.currentIndex(), 0)
        self.status.blockSignals(True)
        self.status.clear()
        for _value, name in FILTERS:
            self.status.addItem(_(name))
        self.status.setCurrentIndex(index)
        self.status.blockSignals(False)
        self.table.setHorizontalHeaderLabels(
            [
                _("Serial number"),
                _("Holder"),
                _("Mobility"),
                _("Status"),
                _("Issued on"),
                _("Revoked on"),
                _("Reason for revoking"),
            ]
        )
        self.table.setAccessibleName(_("Certificate register"))
        self.details.setAccessibleName(_("Details of the chosen certificate"))
        self.message.setAccessibleName(_("Message"))
        for button, text in (
            (self.revoke_button, _("Revo&ke…")),
            (self.print_button, _("&Print attestation…")),
            (self.europass_button, _("Copy E&uropass text")),
            (self.verify_button, _("V&erify…")),
            (self.credential_button, _("E&xport digital credential…")),
        ):
            button.setText(text)
            button.setAccessibleName(plain(text))
        self.print_button.setToolTip(
            _("Print the attestations of the chosen certificates, or of a whole mobility.")
        )
        self.europass_button.setToolTip(
            _(
                "Put the digital-skills text of the chosen certificate on the clipboard, for "
                "the official Europass Mobility document."
            )
        )
        self.credential_button.setToolTip(
            _(
                "Save the chosen certificates as Open Badges 3.0 credentials signed with the "
                "school's key, one file per competence, for the learner's digital wallet; or "
                "as European Digital Credentials, to seal in the EU's EDC issuer for the "
                "learner's Europass wallet."
            )
        )
        self.credential_ob3.setText(_("&Open Badges 3.0…"))
        self.credential_edc.setText(_("&Europass digital credential (EDC)…"))
        self.europass_lv.setText(_("In &Latvian"))
        self.europass_en.setText(_("In &English"))
        self._fill()

    def refresh(self, select: str | None = None) -> None:
        """Search the register for the words typed and the status chosen (newest first)."""
        text = self.search.text()
        status = FILTERS[max(self.status.currentIndex(), 0)][0]
        try:
            page = certificates.search_register(self._context.db, self._context.actor, text, status)
        except ServiceError as error:
            page = RegisterPage((), 0)
            self._say(str(error), error=True)
        if not text.strip() and status is None:
            self.pacer.total = page.total
        self._shown, self.found = list(page.certificates), page.total
        self._fill(select)

    # --- what is shown ------------------------------------------------------------------

    def _fill(self, select: str | None = None) -> None:
        chosen = select or (self.selected().serial if self.selected() else None)
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._shown))
        for row, cert in enumerate(self._shown):
            status = _(STATUS_NAMES.get(cert.status, cert.status))
            values = (
                cert.serial,
                cert.holder,
                cert.mobility_code,
                status,
                show_short_date(cert.issued_at),
                show_short_date(cert.revoked_at),
                cert.revoke_reason,
            )
            tips = {
                ISSUED: show_date(cert.issued_at),
                REVOKED: show_date(cert.revoked_at),
                STATUS: self._status_tip(cert, status),
            }
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setToolTip(tips.get(column, text))
                if cert.status == "revoked":
                    item.setForeground(
                        QBrush(QColor(ERROR_COLOUR if column == STATUS else "#666666"))
                    )
                self.table.setItem(row, column, item)
            self.table.item(row, 0).setData(_SERIAL, cert.serial)
        self.table.clearSelection()
        if chosen:
            self.select_serial(chosen)
        self.table.blockSignals(False)
        self.columns.fit()
        shown = len(self._shown)
        self.count.setText(
            _("the first {shown} of {total}").format(shown=shown, total=self.found)
            if shown < self.found
            else ngettext("{count} certificate", "{count} certificates", shown).format(count=shown)
        )
        self._show_empty_state()
        self._show_selected()

    @staticmethod
    def _status_tip(cert: CertificateInfo, status: str) -> str:
        """The status in words, with the date and reason of revoking (their columns give
        way at a larger text size)."""
        if cert.status != "revoked":
            return status
        return _("Revoked on {moment}: {reason}").format(
            moment=show_date(cert.revoked_at), reason=cert.revoke_reason
        )

    def _show_empty_state(self) -> None:
        if self._shown and len(self._shown) < self.found:
            self.empty.setText(
                _(
                    "Only the newest {shown} certificates are listed; type a name, serial or "
                    "mobility code to find the others."
                ).format(shown=len(self._shown))
            )
            self.empty.show()
            return
        if self._shown:
            self.empty.hide()
            return
        if self.search.text().strip() or self.status.currentIndex() > 0:
            text = _(
                "No certificate matches the search. Clear the search or show all certificates."
            )
        else:
            text = _(
                "No certificate has been issued yet. Approve a case under Waiting for "
                "approval to issue the first one."
            )
        self.empty.setText(text)
        self.empty.show()

    def _show_selected(self) -> None:
        chosen = self.selected_all()
        cert = chosen[0] if len(chosen) == 1 else None
        one_in_force = cert is not None and cert.status == "issued"
        self.revoke_button.setEnabled(one_in_force)
        self.europass_button.setEnabled(one_in_force)
        self.credential_button.setEnabled(any(c.status == "issued" for c in chosen))
        # a whole mobility can be printed also when the search shows no certificate in force
        self.print_button.setEnabled(
            any(c.status == "issued" for c in self._shown) or self.pacer.total > 0
        )
        if len(chosen) > 1:
            revoked = sum(1 for c in chosen if c.status != "issued")
            text = ngettext(
                "{count} certificate chosen.", "{count} certificates chosen.", len(chosen)
            ).format(count=len(chosen))
            if revoked:
                text += " " + ngettext(
                    "{count} of them is revoked and is not printed.",
                    "{count} of them are revoked and are not printed.",
                    revoked,
                ).format(count=revoked)
            self.details.setText(escape(text))
            return
        if cert is None:
            self.details.setText(
                escape(_("Choose a certificate to see its competences and levels."))
            )
            return
        snapshot = cert.snapshot
        framework = snapshot.get("framework", {})
        levels = [
            _("{competence}: level {level}").format(
                competence=competence_title(
                    self._context.library,
                    framework.get("id", ""),
                    framework.get("version", ""),
                    item.get("competence", ""),
                ),
                level=item.get("level", ""),
            )
            for item in snapshot.get("competences", [])
        ]
        lines = [
            _("Issued by {name} on {moment}.").format(
                name=cert.issued_by, moment=show_moment(cert.issued_at)
            )
        ]
        if cert.replaces_serial:
            lines.append(_("Replaces certificate {serial}.").format(serial=cert.replaces_serial))
        if cert.status == "revoked":
            lines.append(
                _("Revoked on {moment}: {reason}").format(
                    moment=show_moment(cert.revoked_at), reason=cert.revoke_reason
                )
            )
        self.details.setText(
            "<b>"
            + escape(cert.serial)
            + "</b> · "
            + escape(cert.holder)
            + "<br>"
            + "<br>".join(escape(line) for line in lines)
            + "<br>"
            + escape("; ".join(levels))
        )

    def selected(self) -> CertificateInfo | None:
        chosen = self.selected_all()
        return chosen[0] if chosen else None

    def selected_all(self) -> list[CertificateInfo]:
        """The chosen certificates, in the order the register shows them."""
        rows = sorted(index.row() for index in self.table.selectionModel().selectedRows())
        serials = [self.table.item(row, 0).data(_SERIAL) for row in rows]
        by_serial = {c.serial: c for c in self._shown}
        return [by_serial[s] for s in serials if s in by_serial]

    def select_serial(self, serial: str, *, add: bool = False) -> bool:
        """Choose the certificate ``serial`` (``add``: keep the others chosen too)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(_SERIAL) == serial:
                if add:
                    model = self.table.selectionModel()
                    model.select(
                        self.table.model().index(row, 0),
                        model.SelectionFlag.Select | model.SelectionFlag.Rows,
                    )
                else:
                    self.table.selectRow(row)
                return True
        return False

    def row_of(self, serial: str) -> dict[str, str] | None:
        """What the register shows for ``serial``, by column title (for checks and tests)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(_SERIAL) == serial:
                return {
                    self.table.horizontalHeaderItem(column).text(): self.table.item(
                        row, column
                    ).text()
                    for column in range(self.table.columnCount())
                }
        return None

    # --- actions ------------------------------------------------------------------------

    def revoke_selected(self) -> None:
        cert = self.selected()
        if cert is None or cert.status != "issued":
            return
        dialog = RevokeDialog(self._context, cert, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        revoked = dialog.revoked
        dialog.deleteLater()
        if not accepted or revoked is None:
            return
        text = _(
            "Certificate {serial} revoked. Its case is back under Waiting for approval."
        ).format(serial=cert.serial)
        self._say(text)
        self._context.notify(text)
        self.refresh(select=cert.serial)
        self.revoked.emit(revoked)

    def print_selected(self) -> None:
        """Print the attestations of the chosen certificates (or of a whole mobility)."""
        chosen = self.selected_all()
        self.documents.print_attestations(chosen)

    def copy_europass_text(self, language: str) -> str:
        """Put the chosen certificate's text for the Europass Mobility document on the
        clipboard; returns it ("" when nothing was copied)."""
        cert = self.selected()
        if cert is None or cert.status != "issued":
            self._say(_("Choose a certificate in force first."), error=True)
            return ""
        from digcomp_app.services import printing  # reportlab: loaded when first needed

        try:
            text = printing.europass_text(
                self._context.db, self._context.actor, cert.serial, language
            )
        except ServiceError as error:
            self._say(str(error), error=True)
            return ""
        QApplication.clipboard().setText(text)
        said = (
            _(
                "The Europass text of {serial} in Latvian is on the clipboard; paste it into the "
                "Europass Mobility document."
            )
            if language == "lv"
            else _(
                "The Europass text of {serial} in English is on the clipboard; paste it "
                "into the Europass Mobility document."
            )
        ).format(serial=cert.serial)
        self._say(said)
        self._context.notify(said)
        return text

    def export_credentials(self, folder: str | None = None, language: str = "en") -> list[str]:
        """Save the chosen certificates in force as signed Open Badges 3.0 credentials into
        ``folder`` (asked when not given); returns the paths written."""
        from pathlib import Path

        from digcomp_app.services import credentials
        from digcomp_app.ui.signing import ensure_signer

        chosen = [c.serial for c in self.selected_all() if c.status == "issued"]
        if not chosen:
            self._say(_("Choose a certificate in force first."), error=True)
            return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Folder for the digital credentials"))
            if not folder:
                return []
        signer = ensure_signer(self, self._context)
        if signer is None:
            return []
        try:
            files = credentials.export_ob3(
                self._context.db, self._context.actor, chosen, signer, language
            )
            written = []
            for file in files:
                path = Path(folder) / file.name
                path.write_text(file.text, encoding="utf-8")
                written.append(str(path))
        except (ServiceError, OSError) as error:
            return self._not_saved(error, folder)
        return self._saved(written, folder)

    def _not_saved(self, error: ServiceError | OSError, folder: str) -> list[str]:
        if isinstance(error, OSError):
            text = _("Cannot write {file}: {error}").format(file=folder, error=error.strerror)
        else:
            text = str(error)
        self._say(text, error=True)
        return []

    def _saved(self, written: list[str], folder: str) -> list[str]:
        said = ngettext(
            "Saved {count} digital credential in {folder}.",
            "Saved {count} digital credentials in {folder}.",
            len(written),
        ).format(count=len(written), folder=folder)
        self._say(said)
        self._context.notify(said)
        return written

    def export_edc(self, folder: str | None = None, registration: str | None = None) -> list[str]:
        """Save the chosen certificates in force as unsealed European Digital Credentials
        into ``folder``; the school's registration number is asked (the last one typed is
        offered) and the folder too, when not given. Returns the paths written."""
        from pathlib import Path

        from digcomp_app.services import european_credentials
        from digcomp_app.settings import load_settings, save_settings
        from digcomp_app.ui.screens.certificates.credential_dialog import RegistrationDialog

        chosen = [c.serial for c in self.selected_all() if c.status == "issued"]
        if not chosen:
            self._say(_("Choose a certificate in force first."), error=True)
            return []
        if registration is None:
            dialog = RegistrationDialog(len(chosen), load_settings().edc_registration, self)
            self.registration_dialog = dialog
            accepted = dialog.exec() == QDialog.DialogCode.Accepted
            registration = dialog.registration()
            self.registration_dialog = None
            dialog.deleteLater()
            if not accepted:
                return []
        if folder is None:
            folder = QFileDialog.getExistingDirectory(self, _("Folder for the digital credentials"))
            if not folder:
                return []
        try:
            written = []
            for serial in chosen:
                data = european_credentials.export_edc(
                    self._context.db, self._context.actor, serial, registration
                )
                path = Path(folder) / f"{serial}.edc.jsonld"
                path.write_bytes(data)
                written.append(str(path))
        except (ServiceError, OSError) as error:
            return self._not_saved(error, folder)
        settings = load_settings()
        if settings.edc_registration != registration.strip():
            save_settings(settings.with_changes(edc_registration=registration.strip()))
        return self._saved(written, folder)

    def verify(self) -> None:
        """Check an attestation's QR code or PDF against this school's register."""
        dialog = VerifyDialog(self._context.db, self._context.actor, self)
        self.verify_dialog = dialog
        dialog.exec()
        self.verify_dialog = None
        dialog.deleteLater()

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
