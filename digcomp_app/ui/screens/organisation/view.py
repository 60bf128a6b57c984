"""The school's details: what certificates and documents print about the school, its
logo and whether attestations print the holder's date of birth."""

from __future__ import annotations

import itertools
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QCheckBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import N_, _
from digcomp_app.services import organisations
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.organisations import MAX_LOGO_BYTES, OrganisationInfo
from digcomp_app.ui.context import UiContext

ERROR_STYLE = "color: #b00020;"
#: the largest the logo is shown on the screen (it keeps its proportions)
PREVIEW_SIZE = (240, 110)
#: (field, label with mnemonic, accessible name) in the order of the form
FIELDS = (
    ("name", N_("&Name:"), N_("Name of the school")),
    ("address", N_("A&ddress:"), N_("Address")),
    ("country", N_("&Country:"), N_("Country code")),
    ("contact_person", N_("Contact &person:"), N_("Contact person")),
    ("email", N_("&E-mail:"), N_("E-mail")),
    ("signatory_name", N_("Si&gnatory's name:"), N_("Signatory's name")),
    ("signatory_role", N_("Signatory's &role:"), N_("Signatory's role")),
    ("verification_address", N_("Verificat&ion address:"), N_("Verification address")),
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
                field.setMaxLength(
                    2
                    if key == "country"
                    else 300
                    if key in ("name", "verification_address")
                    else 200
                )
            if key == "country":
                field.setMaximumWidth(field.fontMetrics().horizontalAdvance("MMMM") + 16)
            label = QLabel()
            label.setBuddy(field)
            form.addRow(label, field)
            field.textChanged.connect(self._changed)
            self.fields[key] = field
            self.labels[key] = label
        #: what the verification address is for, under its field
        self.address_note = QLabel()
        self.address_note.setWordWrap(True)
        form.addRow("", self.address_note)

        self.keep_birth_date = QCheckBox()
        self.keep_birth_date.toggled.connect(self._keep_toggled)
        form.addRow("", self.keep_birth_date)
        self.print_birth_date = QCheckBox()
        self.print_birth_date.toggled.connect(self._changed)
        form.addRow("", self.print_birth_date)
        #: the question before stored dates of birth are erased (None when not asked)
        self.confirm_box: QMessageBox | None = None

        self.logo_box = QGroupBox()
        self.logo_preview = QLabel()
        self.logo_preview.setFrameShape(QFrame.Shape.StyledPanel)
        self.logo_preview.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.logo_preview.setFixedSize(PREVIEW_SIZE[0] + 12, PREVIEW_SIZE[1] + 12)
        self.logo_button = QPushButton()
        self.remove_logo_button = QPushButton()
        self.logo_note = QLabel()
        self.logo_note.setWordWrap(True)
        self.file_dialog: QFileDialog | None = None
        self._folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.PicturesLocation
        )
        self.logo: bytes | None = None
        logo_buttons = QVBoxLayout()
        logo_buttons.addWidget(self.logo_button, 0, Qt.AlignmentFlag.AlignLeft)
        logo_buttons.addWidget(self.remove_logo_button, 0, Qt.AlignmentFlag.AlignLeft)
        logo_buttons.addWidget(self.logo_note)
        logo_buttons.addStretch(1)
        logo_row = QVBoxLayout(self.logo_box)  # in a column beside the details
        logo_row.addWidget(self.logo_preview)
        logo_row.addLayout(logo_buttons, 1)

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
        # the logo beside the details, not below them: the whole screen fits 1366x768
        self.logo_box.setMaximumWidth(440)
        logo_column = QVBoxLayout()
        logo_column.addSpacing(self.heading.sizeHint().height())
        logo_column.addWidget(self.logo_box)
        logo_column.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(box, 1)
        row.addLayout(logo_column)
        row.addStretch(0)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addStretch(1)
        order = [
            *self.fields.values(),
            self.keep_birth_date,
            self.print_birth_date,
            self.save_button,
            self.undo_button,
            self.logo_button,
            self.remove_logo_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self.undo)
        self.logo_button.clicked.connect(self.choose_logo)
        self.remove_logo_button.clicked.connect(self.remove_logo)
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
        self.fields["verification_address"].setPlaceholderText(  # type: ignore[union-attr]
            _("e.g. https://www.school.lv/attestations/")
        )
        self.address_note.setText(
            _(
                "The page where people check your attestations; put the file from 'Export "
                "for the website' there."
            )
        )
        self.keep_birth_date.setText(_("&Keep learners' dates of birth"))
        self.keep_birth_date.setAccessibleName(_("Keep learners' dates of birth"))
        self.keep_birth_date.setToolTip(
            _(
                "Off: no date of birth is asked for or stored. Turning it off erases every "
                "date of birth already stored."
            )
        )
        self.print_birth_date.setText(_("Print the date of &birth on attestations"))
        self.print_birth_date.setAccessibleName(_("Print the date of birth on attestations"))
        self.print_birth_date.setToolTip(
            _(
                "The date of birth tells apart two learners of the same name; leave it off "
                "when the attestation does not need it."
            )
        )
        self.logo_box.setTitle(_("Logo"))
        self.logo_button.setText(_("Choose a &logo…"))
        self.logo_button.setAccessibleName(_("Choose a logo"))
        self.remove_logo_button.setText(_("Re&move the logo"))
        self.remove_logo_button.setAccessibleName(_("Remove the logo"))
        self.logo_note.setText(
            _(
                "Attestations print the logo beside the school's name. A PNG or JPEG picture "
                "of at most {limit} MB; it is saved at once."
            ).format(limit=MAX_LOGO_BYTES // 2**20)
        )
        self.logo_preview.setAccessibleName(_("The school's logo"))
        self._show_logo()
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
        self._load_logo()
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
        self.keep_birth_date.setChecked(home is not None and home.keep_birth_date)
        self.print_birth_date.setChecked(home is not None and home.print_birth_date)
        self.print_birth_date.setEnabled(self.keep_birth_date.isChecked())
        self._loading = False
        self._dirty = False
        self._update_buttons()

    def values(self) -> dict[str, str | bool]:
        values: dict[str, str | bool] = {
            key: field.toPlainText() if isinstance(field, QPlainTextEdit) else field.text()
            for key, field in self.fields.items()
        }
        values["keep_birth_date"] = self.keep_birth_date.isChecked()
        values["print_birth_date"] = (
            self.keep_birth_date.isChecked() and self.print_birth_date.isChecked()
        )
        return values

    def _keep_toggled(self, keep: bool) -> None:
        self.print_birth_date.setEnabled(keep)
        if not keep:
            self.print_birth_date.setChecked(False)
        self._changed()

    def _changed(self) -> None:
        if not self._loading:
            self._dirty = True
            self.message.clear()
            self._update_buttons()

    def _update_buttons(self) -> None:
        self.save_button.setEnabled(self._dirty)
        self.undo_button.setEnabled(self._dirty)
        self.logo_button.setEnabled(self.current is not None)
        self.remove_logo_button.setEnabled(self.current is not None and self.logo is not None)

    # --- the logo -----------------------------------------------------------------

    def _load_logo(self) -> None:
        try:
            self.logo = organisations.home_logo(self._context.db, self._context.actor)
        except ServiceError as problem:
            self.logo = None
            self._show(str(problem), error=True)
        self._show_logo()

    def _show_logo(self) -> None:
        pixmap = QPixmap()
        if self.logo is not None and pixmap.loadFromData(self.logo):
            width, height = PREVIEW_SIZE
            ratio = self.devicePixelRatioF()
            if pixmap.width() > width * ratio or pixmap.height() > height * ratio:
                pixmap = pixmap.scaled(
                    int(width * ratio),
                    int(height * ratio),
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            pixmap.setDevicePixelRatio(ratio)
            self.logo_preview.setPixmap(pixmap)
            self.logo_preview.setAccessibleDescription(_("The logo is shown."))
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(
                _("No logo") if self.logo is None else _("The logo cannot be shown.")
            )
            self.logo_preview.setAccessibleDescription(self.logo_preview.text())
        self._update_buttons()

    def choose_logo(self) -> None:
        """Ask for the picture; choosing one saves it (see :meth:`set_logo_file`)."""
        dialog = QFileDialog(self, _("Choose the school's logo"), self._folder)
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters([_("Pictures (*.png *.jpg *.jpeg)"), _("All files (*)")])
        dialog.fileSelected.connect(self.set_logo_file)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def set_logo_file(self, path: str) -> bool:
        """Save the picture at ``path`` as the school's logo and show it."""
        chosen = Path(path)
        self._folder = str(chosen.parent)
        try:
            with chosen.open("rb") as handle:
                content = handle.read(MAX_LOGO_BYTES + 1)
        except OSError as problem:
            self._show(
                _("{name} could not be read: {problem}").format(
                    name=chosen.name, problem=problem.strerror or problem
                ),
                error=True,
            )
            return False
        try:
            organisations.set_home_logo(self._context.db, self._context.actor, content)
        except ServiceError as problem:
            self._show(_("{name}: {problem}").format(name=chosen.name, problem=problem), True)
            return False
        self._load_logo()
        text = _("The logo was saved; attestations print it from now on.")
        self._show(text)
        self._context.notify(text)
        return True

    def remove_logo(self) -> None:
        try:
            organisations.set_home_logo(self._context.db, self._context.actor, None)
        except ServiceError as problem:
            self._show(str(problem), error=True)
            return
        self._load_logo()
        text = _("The logo was removed; attestations are printed without it.")
        self._show(text)
        self._context.notify(text)

    # --- actions ------------------------------------------------------------------

    def save(self) -> None:
        if not self._dirty:
            return
        erasing = (
            self.current is not None
            and self.current.keep_birth_date
            and not self.keep_birth_date.isChecked()
        )
        if erasing:
            self._ask_before_erasing()
            return
        self.save_now()

    def _ask_before_erasing(self) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            _("Erase the dates of birth?"),
            _(
                "The school will no longer keep learners' dates of birth: every date of birth "
                "stored now will be erased, and attestations will not print one. This cannot "
                "be undone."
            ),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        erase = box.addButton(_("&Erase and save"), QMessageBox.ButtonRole.DestructiveRole)
        box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(box.buttons()[-1])

        def finished(_code: int) -> None:
            self.confirm_box = None
            if box.clickedButton() is erase:
                self.save_now()
            box.deleteLater()

        box.finished.connect(finished)
        self.confirm_box = box
        box.open()

    def save_now(self) -> None:
        """Save what the form shows (after any question was answered)."""
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

    # --- unsaved changes (digcomp_app.ui.unsaved) ----------------------------------

    def has_unsaved_changes(self) -> bool:
        return self._dirty

    def save_changes(self) -> bool:
        """Save as the Save button does; False while a question or a problem holds it."""
        self.save()
        return not self._dirty

    def discard_changes(self) -> None:
        self.undo()

    def unsaved_title(self) -> str:
        return _("School details")

    def undo(self) -> None:
        self._dirty = False
        self.refresh()
        self._show(_("The changes were undone."))

    def _show(self, text: str, error: bool = False) -> None:
        self.message.setStyleSheet(ERROR_STYLE if error else "")
        self.message.setText(text)
