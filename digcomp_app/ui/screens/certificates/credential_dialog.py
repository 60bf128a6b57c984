"""Exporting European Digital Credentials: the school's registration number, which the EDC
issuer compares with the school's electronic seal (remembered in the user's settings for
the next export; the school's details do not hold it). See docs/digital-credentials-edc.md."""

from __future__ import annotations

from PySide6.QtWidgets import QDialog, QLineEdit, QWidget

from digcomp_app.i18n import _, ngettext
from digcomp_app.ui.screens.certificates.common import plain
from digcomp_app.ui.widgets import ask_one_field, fit_to_texts


class RegistrationDialog(QDialog):
    """Asks for the school's registration number before EDC files are written."""

    def __init__(self, count: int, registration: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("edcRegistration")
        self.number = QLineEdit(registration)
        self.number.setMaxLength(100)
        self.intro, self.label, self.hint, self.error, self.buttons, self.export_button = (
            ask_one_field(self, self.number)
        )
        self.setWindowTitle(_("Europass digital credential"))
        self.intro.setText(
            ngettext(
                "The certificate is saved as a European Digital Credential, not sealed. Upload "
                "it in the EU's EDC issuer, which seals it with the school's electronic seal "
                "and sends it to the learner's Europass wallet.",
                "The {count} certificates are saved as European Digital Credentials, not "
                "sealed. Upload them in the EU's EDC issuer, which seals them with the school's "
                "electronic seal and sends them to the learners' Europass wallets.",
                count,
            ).format(count=count)
        )
        self.label.setText(_("School's &registration number:"))
        self.number.setAccessibleName(plain(self.label.text()))
        self.number.setPlaceholderText(_("as the school's electronic seal names it"))
        self.hint.setText(
            _("The EDC issuer refuses a credential whose number differs from the seal's.")
        )
        self.export_button.setText(_("&Choose folder and save…"))
        self.export_button.setAccessibleName(plain(self.export_button.text()))
        fit_to_texts(self, 60)
        self.number.setFocus()

    def accept(self) -> None:
        if not self.number.text().strip():
            self.error.setText(_("Type the school's registration number."))
            self.number.setFocus()
            return
        super().accept()

    def registration(self) -> str:
        return self.number.text().strip()
