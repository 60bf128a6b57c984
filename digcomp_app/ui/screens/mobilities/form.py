"""The fields of one mobility: what a coordinator fills in to create or edit it."""

from __future__ import annotations

import datetime as dt
import itertools

from PySide6.QtCore import QRegularExpression, Signal
from PySide6.QtGui import QRegularExpressionValidator
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.i18n import _, current_language
from digcomp_app.services.mobilities import MobilityDraft, MobilityInfo
from digcomp_app.services.organisations import OrganisationInfo
from digcomp_app.ui.screens.mobilities.widgets import (
    clear_invalid,
    make_date_edit,
    mark_invalid,
    plain,
    retranslate_date_edit,
    set_label,
    to_date,
    to_qdate,
)

#: the service's field names (InvalidInput.field) and the form's widgets for them
FIELDS = (
    "code",
    "title",
    "programme",
    "sending_organisation_id",
    "host_organisation_id",
    "host_mentor",
    "host_country",
    "start_date",
    "end_date",
    "framework",
    "objective",
)


class MobilityForm(QWidget):
    """Code, title, organisations, dates, framework... of a new or an existing mobility."""

    #: the coordinator asks for a new host organisation
    add_host_requested = Signal()
    #: a field was changed by the coordinator
    edited = Signal()

    def __init__(self, library: FrameworkLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._frameworks = list(library)
        self._organisations: list[OrganisationInfo] = []
        self._home_id: int | None = None
        self._baseline: tuple[object, ...] = ()
        self._loading = False

        self.code = QLineEdit()
        self.code.setMaxLength(100)
        self.title = QLineEdit()
        self.title.setMaxLength(300)
        self.programme = QLineEdit()
        self.sending = QComboBox()
        self.host = QComboBox()
        self.add_host_button = QPushButton()
        self.host_mentor = QLineEdit()
        self.host_country = QLineEdit()
        self.host_country.setMaxLength(2)
        self.host_country.setMaximumWidth(60)
        self.host_country.setValidator(
            QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,2}"), self.host_country)
        )
        self.start_date = make_date_edit()
        self.end_date = make_date_edit()
        self.framework = QComboBox()
        self.objective = QPlainTextEdit()
        self.objective.setTabChangesFocus(True)
        self.objective.setMinimumHeight(70)
        for edit in (self.start_date, self.end_date):
            edit.setMinimumWidth(150)
            edit.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        for combo in (self.sending, self.host, self.framework):
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(14)

        self.widgets: dict[str, QWidget] = {
            "code": self.code,
            "title": self.title,
            "programme": self.programme,
            "sending_organisation_id": self.sending,
            "host_organisation_id": self.host,
            "host_mentor": self.host_mentor,
            "host_country": self.host_country,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "framework": self.framework,
            "objective": self.objective,
        }
        self.labels: dict[str, QLabel] = {}
        layout = QFormLayout(self)
        layout.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        layout.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        for name in FIELDS:
            label = QLabel()
            label.setBuddy(self.widgets[name])
            self.labels[name] = label
            if name == "host_organisation_id":
                row = QHBoxLayout()
                row.addWidget(self.host, 1)
                row.addWidget(self.add_host_button)
                layout.addRow(label, row)
            else:
                layout.addRow(label, self.widgets[name])
        order = [self.widgets[name] for name in FIELDS]
        order.insert(order.index(self.host) + 1, self.add_host_button)
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

        self.add_host_button.clicked.connect(self.add_host_requested)
        self.host.currentIndexChanged.connect(self._on_host_chosen)
        self.host_country.textEdited.connect(self._upper_country)
        for name, widget in self.widgets.items():
            if isinstance(widget, QComboBox):
                signal = widget.currentIndexChanged
            elif isinstance(widget, QDateEdit):
                signal = widget.dateChanged
            else:
                signal = widget.textChanged  # type: ignore[attr-defined]
            signal.connect(lambda *_args, n=name: self._on_edited(n))
        self.retranslate()
        self.load(None)

    # --- language ---------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = {
            "code": _("&Code:"),
            "title": _("&Title:"),
            "programme": _("Pro&gramme:"),
            "sending_organisation_id": _("Sen&ding organisation:"),
            "host_organisation_id": _("&Host organisation:"),
            "host_mentor": _("Host &mentor:"),
            "host_country": _("Host co&untry:"),
            "start_date": _("St&art date:"),
            "end_date": _("&End date:"),
            "framework": _("Frame&work:"),
            "objective": _("O&bjective:"),
        }
        for name, text in texts.items():
            set_label(self.labels[name], text, self.widgets[name])
        self.code.setPlaceholderText(_("for example 2025-1-LV01-KA121-VET-000123456-DE"))
        self.host_country.setPlaceholderText(_("DE"))
        self.host_country.setToolTip(_("Two letters, for example DE for Germany."))
        self.objective.setPlaceholderText(_("What the learners will do and learn abroad."))
        self.add_host_button.setText(_("Add host &organisation…"))
        self.add_host_button.setAccessibleName(plain(self.add_host_button.text()))
        for edit in (self.start_date, self.end_date):
            retranslate_date_edit(edit)
        was_loading, self._loading = self._loading, True
        key = self.framework.currentData()
        self.framework.clear()
        for framework in self._frameworks:
            self.framework.addItem(framework.title.get(current_language()), _key(framework.key))
        self._select(self.framework, key or _key(self._library.default().key))
        self._loading = was_loading

    # --- data -------------------------------------------------------------------------

    def set_organisations(self, organisations: list[OrganisationInfo], home_id: int | None) -> None:
        """Fill both organisation lists, keeping what is chosen."""
        self._organisations, self._home_id = list(organisations), home_id
        was_clean = not self.is_dirty()
        was_loading, self._loading = self._loading, True
        for combo in (self.sending, self.host):
            chosen = combo.currentData()
            if combo is self.sending and chosen is None:
                chosen = home_id  # a new mobility is sent by the school itself
            combo.clear()
            for org in self._organisations:
                text = f"{org.name} ({org.country})"
                combo.addItem(text if org.country else org.name, org.id)
            self._select(combo, chosen)
        self._loading = was_loading
        if was_clean:
            self._baseline = self._values()

    def load(self, info: MobilityInfo | None) -> None:
        """Show ``info`` (or an empty form for a new mobility) and forget any errors."""
        self._loading = True
        self.clear_errors()
        if info is None:
            start = dt.date.today()
            self.code.clear()
            self.title.clear()
            self.programme.setText("Erasmus+")
            self._select(self.sending, self._home_id)
            self.host.setCurrentIndex(-1)
            self.host_mentor.clear()
            self.host_country.clear()
            self.start_date.setDate(to_qdate(start))
            self.end_date.setDate(to_qdate(start + dt.timedelta(days=27)))
            self._select(self.framework, _key(self._library.default().key))
            self.objective.clear()
        else:
            self.code.setText(info.code)
            self.title.setText(info.title)
            self.programme.setText(info.programme)
            self._select(self.sending, info.sending_organisation_id)
            self._select(self.host, info.host_organisation_id)
            self.host_mentor.setText(info.host_mentor)
            self.host_country.setText(info.host_country)
            self.start_date.setDate(to_qdate(info.start_date))
            self.end_date.setDate(to_qdate(info.end_date))
            self._select(self.framework, _key((info.framework_id, info.framework_version)))
            self.objective.setPlainText(info.objective)
        self._baseline = self._values()
        self._loading = False

    def draft(self) -> MobilityDraft:
        chosen = self.framework.currentData() or _key(self._library.default().key)
        framework_id, version = chosen.split("/", 1)
        return MobilityDraft(
            code=self.code.text(),
            title=self.title.text(),
            programme=self.programme.text(),
            sending_organisation_id=self.sending.currentData() or 0,
            host_organisation_id=self.host.currentData() or 0,
            host_mentor=self.host_mentor.text(),
            host_country=self.host_country.text(),
            start_date=to_date(self.start_date.date()),
            end_date=to_date(self.end_date.date()),
            objective=self.objective.toPlainText(),
            framework_id=framework_id,
            framework_version=version,
        )

    def is_dirty(self) -> bool:
        return self._values() != self._baseline

    def organisation_name(self, org_id: int) -> str:
        return next((o.name for o in self._organisations if o.id == org_id), str(org_id))

    def framework_title(self, framework_id: str, version: str) -> str:
        framework = self._library.find(framework_id, version)
        return framework.title.get(current_language()) if framework else f"{framework_id} {version}"

    # --- errors -----------------------------------------------------------------------

    def show_error(self, field: str, message: str) -> bool:
        """Highlight the field the service named; False if the form has no such field."""
        name = {"name": "host_organisation_id"}.get(field, field)
        if name not in self.widgets:
            return False
        mark_invalid(self.labels[name], self.widgets[name], message)
        self.widgets[name].setFocus()
        return True

    def invalid_fields(self) -> list[str]:
        return [name for name, widget in self.widgets.items() if widget.property("invalid")]

    def _on_edited(self, name: str) -> None:
        if not self._loading:
            self.clear_error(name)
            self.edited.emit()

    def clear_error(self, name: str) -> None:
        if self.widgets[name].property("invalid"):
            clear_invalid(self.labels[name], self.widgets[name])

    def clear_errors(self) -> None:
        for name in self.widgets:
            self.clear_error(name)

    # --- helpers ----------------------------------------------------------------------

    def _values(self) -> tuple[object, ...]:
        return (
            self.code.text(),
            self.title.text(),
            self.programme.text(),
            self.sending.currentData(),
            self.host.currentData(),
            self.host_mentor.text(),
            self.host_country.text(),
            self.start_date.date(),
            self.end_date.date(),
            self.framework.currentData(),
            self.objective.toPlainText(),
        )

    @staticmethod
    def _select(combo: QComboBox, data: object) -> None:
        combo.setCurrentIndex(combo.findData(data) if data is not None else -1)

    def _upper_country(self, text: str) -> None:
        if text != text.upper():
            position = self.host_country.cursorPosition()
            self.host_country.setText(text.upper())
            self.host_country.setCursorPosition(position)

    def _on_host_chosen(self, _index: int) -> None:
        """A new host's country and contact person fill the empty fields."""
        if self._loading:
            return
        org = next((o for o in self._organisations if o.id == self.host.currentData()), None)
        if org is None:
            return
        if not self.host_country.text() and org.country:
            self.host_country.setText(org.country)
        if not self.host_mentor.text() and org.contact_person:
            self.host_mentor.setText(org.contact_person)


def _key(key: tuple[str, str]) -> str:
    """A framework's (id, version) as one string, to keep in a combo box."""
    return "/".join(key)
