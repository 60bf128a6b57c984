"""Unlocking the school's signing key once per sign-in session (coordinators)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import signing
from digcomp_app.services.errors import AuthenticationFailed, ServiceError
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.widgets import ERROR_COLOUR, fit_to_texts


class PassphraseDialog(QDialog):
    """Asks for the signing key's passphrase and unlocks the key; stays open on a mistake."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.signer: signing.Signer | None = None
        self.setWindowTitle(_("Unlock the signing key"))
        layout = QVBoxLayout(self)
        intro = QLabel(
            _(
                "Certificates are signed with the school's key. Type its passphrase; the key "
                "stays unlocked until you sign out or the screen locks."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        label = QLabel(_("&Passphrase:"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase of the signing key"))
        label.setBuddy(self.passphrase)
        layout.addWidget(label)
        layout.addWidget(self.passphrase)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};")
        layout.addWidget(self.message)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("&Unlock"))
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        self.buttons.accepted.connect(self.unlock)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        fit_to_texts(self, 60)

    def unlock(self) -> None:
        try:
            self.signer = signing.unlock(
                self._context.db, self._context.actor, self.passphrase.text()
            )
        except AuthenticationFailed as error:
            self.message.setText(str(error))
            self.passphrase.selectAll()
            self.passphrase.setFocus()
            return
        except ServiceError as error:
            self.message.setText(str(error))
            return
        self.accept()


def ensure_signer(parent: QWidget, context: UiContext) -> signing.Signer | None:
    """The unlocked key of this session, asking for the passphrase the first time."""
    if context.signer is not None:
        return context.signer
    dialog = PassphraseDialog(context, parent)
    if dialog.exec() == QDialog.DialogCode.Accepted and dialog.signer is not None:
        context.signer = dialog.signer
    return context.signer
