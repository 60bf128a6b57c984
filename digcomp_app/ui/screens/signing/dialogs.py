"""Creating the school's signing key: a passphrase typed twice, after a clear warning."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import signing
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.signing import KeyInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.unsaved import GuardedDialog
from digcomp_app.ui.widgets import ERROR_COLOUR, fit_to_texts

WARNING_STYLE = "background: #fff4e0; border: 1px solid #c77700; border-radius: 4px; padding: 6px;"


class CreateKeyDialog(GuardedDialog):
    """Asks for the new key's passphrase twice; ``created`` is the new key once accepted."""

    def __init__(
        self, context: UiContext, current: KeyInfo | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.created: KeyInfo | None = None
        self.setWindowTitle(_("Create a new signing key"))

        self.warning = QLabel()
        self.warning.setWordWrap(True)
        self.warning.setTextFormat(Qt.TextFormat.RichText)
        self.warning.setStyleSheet(WARNING_STYLE)
        paragraphs = [
            _(
                "The passphrase cannot be recovered: nobody, not even an administrator, can "
                "open the key without it. Write it down and keep it somewhere safe."
            ),
            _(
                "Coordinators need this passphrase to issue certificates: give it to them "
                "in person, not by e-mail."
            ),
        ]
        if current is not None:
            paragraphs.append(
                _(
                    "The key in use now ({fingerprint}) will be retired. It still verifies "
                    "the attestations it signed; new certificates are signed with the new key."
                ).format(fingerprint=current.fingerprint)
            )
        self.warning.setText("".join(f"<p>{escape(text)}</p>" for text in paragraphs))
        self.passphrase_label = QLabel(_("&Passphrase:"))
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("Passphrase of the new key"))
        self.passphrase_label.setBuddy(self.passphrase)
        self.repeated_label = QLabel(_("&Repeat the passphrase:"))
        self.repeated = QLineEdit()
        self.repeated.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeated.setAccessibleName(_("The passphrase again"))
        self.repeated_label.setBuddy(self.repeated)
        self.hint = QLabel(
            _(
                "At least {count} characters. A few words that make a sentence only you "
                "know are easier to remember than one word."
            ).format(count=signing.MIN_PASSPHRASE)
        )
        self.hint.setWordWrap(True)
        self.understood = QCheckBox(_("I have &written the passphrase down"))
        self.understood.setAccessibleName(_("I have written the passphrase down"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.error.setAccessibleName(_("Problem"))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        cancel = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        cancel.setText(_("Cancel"))
        cancel.setAccessibleName(_("Cancel"))
        self.create_button = self.buttons.addButton(
            _("&Create the key"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.create_button.setAccessibleName(_("Create the key"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.repeated_label, self.repeated)
        layout = QVBoxLayout(self)
        layout.addWidget(self.warning)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.understood)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.understood.toggled.connect(self._update)
        self.passphrase.textChanged.connect(self._update)
        self.repeated.textChanged.connect(self._update)
        self._update()
        fit_to_texts(self, 80)
        self.passphrase.setFocus()

    def _update(self) -> None:
        self.create_button.setEnabled(
            self.understood.isChecked()
            and bool(self.passphrase.text())
            and bool(self.repeated.text())
        )
        self.error.clear()

    def accept(self) -> None:
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self.created = signing.create_key(
                self._context.db,
                self._context.actor,
                self.passphrase.text(),
                self.repeated.text(),
            )
        except InvalidInput as error:
            self.error.setText(str(error))
            field = self.repeated if error.field == "repeated" else self.passphrase
            field.selectAll()
            field.setFocus()
            return
        except ServiceError as error:
            self.error.setText(str(error))
            return
        finally:
            QGuiApplication.restoreOverrideCursor()
        super().accept()
