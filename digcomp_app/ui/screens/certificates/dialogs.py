"""Revoking a certificate: a reason is required, and it is kept in the register."""

from __future__ import annotations

from PySide6.QtWidgets import QPlainTextEdit, QWidget

from digcomp_app.i18n import _
from digcomp_app.services import certificates
from digcomp_app.services.certificates import CertificateInfo
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.certificates.common import plain
from digcomp_app.ui.unsaved import GuardedDialog
from digcomp_app.ui.widgets import ask_one_field


class RevokeDialog(GuardedDialog):
    def __init__(
        self, context: UiContext, certificate: CertificateInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self._certificate = certificate
        self.revoked: CertificateInfo | None = None
        self.setMinimumWidth(480)
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setMinimumHeight(80)
        self.intro, self.reason_label, self.hint, self.error, self.buttons, self.revoke_button = (
            ask_one_field(self, self.reason)
        )
        self.reason.textChanged.connect(self._update)
        self.retranslate()
        self._update()
        self.reason.setFocus()

    def retranslate(self) -> None:
        cert = self._certificate
        self.setWindowTitle(_("Revoke certificate {serial}").format(serial=cert.serial))
        self.intro.setText(
            _(
                "Revoke the certificate {serial} of {holder}? It stays in the register, "
                "marked as revoked with your reason, and its case goes back to certification "
                "so that a corrected certificate can be issued."
            ).format(serial=cert.serial, holder=cert.holder)
        )
        self.reason_label.setText(_("&Reason (required):"))
        self.reason.setAccessibleName(_("Reason for revoking"))
        self.reason.setPlaceholderText(
            _("For example: the level of competence 2.1 was recorded wrongly.")
        )
        self.revoke_button.setText(_("Re&voke certificate"))
        self.revoke_button.setAccessibleName(plain(self.revoke_button.text()))

    def _update(self) -> None:
        filled = bool(self.reason.toPlainText().strip())
        self.revoke_button.setEnabled(filled)
        self.hint.setText(
            "" if filled else _("Say why the certificate is revoked; the reason is required.")
        )
        self.error.clear()

    def accept(self) -> None:
        try:
            self.revoked = certificates.revoke(
                self._context.db,
                self._context.actor,
                self._certificate.serial,
                self.reason.toPlainText(),
            )
        except ServiceError as error:
            self.error.setText(str(error))
            return
        super().accept()
