"""The school's details: what certificates and documents print about the school."""

from __future__ import annotations

import itertools

from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import N_, _
from digcomp_app.services import organisations
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.organisations import OrganisationInfo
from digcomp_app.ui.context import UiContext

ERROR_STYLE = "color: #b00020;"
#: (field, label with mnemonic, accessible name) in the order of the form
FIELDS = (
    ("name", N_("&Name:"), N_("Name of the school")),
    ("address", N_("A&ddress:"), N_("Address")),
    ("country", N_("&Country:"), N_("Country code")),
    ("contact_person", N_("Contact &person:"), N_("Contact person")),
    ("email", N_("&E-mail:"), N_("E-mail")),
    ("signatory_name", N_("Si&gnatory's name:"), N_("Signatory's name")),
    ("signatory_role", N_("Signatory's &role:"), N_("Signatory's role")),
)


class OrganisationScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.current: OrganisationInfo | None = None
        self._dirty = False
        self._loading = False

        self.heading = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        self.labels: dict[str, QLabel] = {}
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, _label, _name in FIELDS:
            field: QLineEdit | QPlainTextEdit
            if key == "address":
                field = QPlainTextEdit()
                field.setTabChangesFocus(True)
                field.setFixedHeight(field.fontMetrics().lineSpacing() * 4 + 12)
            else:
                field = QLineEdit()
                field.setMaxLength(2 if key == "country" else 300 if key == "name" else 200)
            if key == "country":
                field.setMaximumWidth(field.fontMetrics().horizontalAdvance("MMMM") + 16)
            label = QLabel()
            label.setBuddy(field)
            form.addRow(label, field)
            field.textChanged.connect(self._changed)
            self.fields[key] = field
            self.labels[key] = label

        self.logo_label = QLabel()
        self.logo_button = QPushButton()
        self.logo_button.setEnabled(False)
        self.logo_note = QLabel()
        self.logo_note.setWordWrap(True)
        self.logo_label.setBuddy(self.logo_button)
        logo_row = QHBoxLayout()
        logo_row.addWidget(self.logo_button)
        logo_row.addWidget(self.logo_note, 1)
        form.addRow(self.logo_label, logo_row)

        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.undo_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.undo_button)
        buttons.addStretch(1)

        box = QWidget()
        box.setMaximumWidth(760)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        inner.addWidget(self.heading)
        inner.addWidget(self.intro)
        inner.addLayout(form)
        inner.addLayout(buttons)
        inner.addWidget(self.message)
        row = QHBoxLayout()
        row.addWidget(box, 1)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addStretch(1)
        order = [*self.fields.values(), self.save_button, self.undo_button]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self.undo)
        for field in self.fields.values():
            if isinstance(field, QLineEdit):
                field.returnPressed.connect(self.save)
        self._update_buttons()
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + _("School details") + "</h2>")
        self.intro.setText(
            _(
                "Certificates and other documents print these details. The signatory is the "
                "person who signs certificates for the school, e.g. the director."
            )
        )
        for key, label, name in FIELDS:
            self.labels[key].setText(_(label))
            self.fields[key].setAccessibleName(_(name))
        self.fields["country"].setToolTip(_("Two letters, e.g. LV for Latvia"))
        self.fields["country"].setPlaceholderText("LV")  # type: ignore[union-attr]
        self.fields["email"].setPlaceholderText(_("e.g. info@school.lv"))  # type: ignore[union-attr]
        self.logo_label.setText(_("&Logo:"))
        self.logo_button.setText(_("Choose a logo…"))
        self.logo_button.setAccessibleName(_("Choose a logo (not yet available)"))
        self.logo_note.setText(_("Not yet available: a logo cannot be added in this version."))
        self.save_button.setText(_("&Save"))
        self.save_button.setAccessibleName(_("Save"))
        self.undo_button.setText(_("&Undo changes"))
        self.undo_button.setAccessibleName(_("Undo changes"))
        self.message.setAccessibleName(_("Message"))

    # --- data ---------------------------------------------------------------------

    def refresh(self) -> None:
        """Load the stored details, unless there are changes not yet saved."""
        if self._dirty:
            return
        try:
            home = organisations.get_home(self._context.db, self._context.actor)
        except ServiceError as problem:
            self._show(str(problem), error=True)
            return
        self._load(home)
        if home is None:
            self._show(
                _("The school's details are not filled in yet. Enter at least its name, then save.")
            )

    def _load(self, home: OrganisationInfo | None) -> None:
        self.current = home
        self._loading = True
        for key, field in self.fields.items():
            value = getattr(home, key) if home is not None else ""
            if isinstance(field, QPlainTextEdit):
                field.setPlainText(value)
            else:
                field.setText(value)
        self._loading = False
        self._dirty = False
        self._update_buttons()

    def values(self) -> dict[str, str]:
        return {
            key: field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()
            for key, field in self.fields.items()
        }

    def _changed(self) -> None:
        if not self._loading:
            self._dirty = True
            self.message.clear()
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.undo_button.setEnabled(self._dirty)

    # --- actions ------------------------------------------------------------------

    def save(self) -> None:
        if not self._dirty:
            return
        try:
            saved = organisations.update_home(
                self._context.db, self._context.actor, **self.values()
            )
        except ServiceError as problem:
            self._show(str(problem), error=True)
            if isinstance(problem, InvalidInput) and problem.field in self.fields:
                self.fields[problem.field].setFocus()
            return
        self._load(saved)
        text = _("The school's details were saved.")
        self._show(text)
        self._context.notify(text)

    def undo(self) -> None:
        self._dirty = False
        self.refresh()
        self._show(_("The changes were undone."))

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
