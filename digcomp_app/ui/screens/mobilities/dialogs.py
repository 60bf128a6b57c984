"""A small dialog to add a host organisation without leaving the mobility form."""

from __future__ import annotations

from PySide6.QtCore import QRegularExpression
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import organisations
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.organisations import OrganisationInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.mobilities.widgets import (
    clear_invalid,
    mark_invalid,
    plain,
    set_label,
)
from digcomp_app.ui.unsaved import GuardedDialog
from digcomp_app.ui.widgets import ERROR_COLOUR


class NewHostDialog(GuardedDialog):
    """Name, address, country and contact of a host company; saved as a host organisation."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.created: OrganisationInfo | None = None
        self.setMinimumWidth(460)
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.name = QLineEdit()
        self.address = QLineEdit()
        self.country = QLineEdit()
        self.country.setMaxLength(2)
        self.country.setMaximumWidth(60)
        self.country.setValidator(
            QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,2}"), self.country)
        )
        self.contact_person = QLineEdit()
        self.email = QLineEdit()
        self.fields = {
            "name": self.name,
            "address": self.address,
            "country": self.country,
            "contact_person": self.contact_person,
            "email": self.email,
        }
        self.labels = {key: QLabel() for key in self.fields}
        form = QFormLayout()
        for key, field in self.fields.items():
            self.labels[key].setBuddy(field)
            form.addRow(self.labels[key], field)
            field.textChanged.connect(lambda _text, k=key: self._clear(k))
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Add a host organisation"))
        self.intro.setText(
            _("The company or institution abroad where the learners do their placement.")
        )
        texts = {
            "name": _("&Name:"),
            "address": _("&Address:"),
            "country": _("&Country:"),
            "contact_person": _("Contact &person:"),
            "email": _("&E-mail:"),
        }
        for key, text in texts.items():
            set_label(self.labels[key], text, self.fields[key])
        self.country.setPlaceholderText(_("DE"))
        self.ok_button.setText(_("Add &organisation"))
        self.ok_button.setAccessibleName(plain(self.ok_button.text()))

    def accept(self) -> None:
        try:
            self.created = organisations.create(
                self._context.db,
                self._context.actor,
                "host",
                **{key: field.text() for key, field in self.fields.items()},
            )
        except InvalidInput as error:
            if error.field in self.fields:
                mark_invalid(self.labels[error.field], self.fields[error.field], str(error))
                self.fields[error.field].setFocus()
            self.error.setText(str(error))
            return
        except ServiceError as error:
            self.error.setText(str(error))
            return
        super().accept()

    def _clear(self, key: str) -> None:
        clear_invalid(self.labels[key], self.fields[key])
        self.error.clear()
