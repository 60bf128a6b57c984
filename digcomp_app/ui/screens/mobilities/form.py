"""The fields of one mobility: what a coordinator fills in to create or edit it.

The title, objective, activities and host organisation are written in Latvian and in
English (one tab each): an attestation prints the texts of its language, and a text left
empty in one language is printed from the other (a note beside the empty field says so).
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping

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
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.i18n import N_, _, current_language, language_name
from digcomp_app.services.mobilities import (
    MAX_CODE,
    MAX_HOST_MENTOR,
    MAX_PROGRAMME,
    TEXT_FIELDS,
    TEXT_LANGUAGES,
    TEXT_LIMITS,
    MobilityDraft,
    MobilityInfo,
    mobility_text,
)
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

#: the service's field names (InvalidInput.field) and the form's widgets for them; the
#: texts written per language follow, named "texts.<language>.<field>" (text_key)
FIELDS = (
    "code",
    "programme",
    "sending_organisation_id",
    "host_organisation_id",
    "host_mentor",
    "host_country",
    "start_date",
    "end_date",
    "framework",
)
#: the labels of the texts written per language
TEXT_LABELS = {
    "title": N_("&Title:"),
    "objective": N_("O&bjective:"),
    "activities": N_("Activities carried out:"),
    "host_description": N_("About the host organisation:"),
}
TEXT_PLACEHOLDERS = {
    "objective": N_("What the learners will do and learn abroad."),
    "activities": N_("The tasks and activities the learners take part in."),
    "host_description": N_("What the host organisation does, in a sentence or two."),
}
#: the tabs of the languages, and the languages' names beside a field's name
LANGUAGE_TABS = {"lv": N_("&Latvian"), "en": N_("E&nglish"), "nl": N_("Du&tch")}
#: beside an empty text whose other language is written
FALLBACK_NOTES = {
    "lv": N_("Empty: the attestation in Latvian will use the English text."),
    "en": N_("Empty: the attestation in English will use the Latvian text."),
    "nl": N_("Empty: the attestation in Dutch will use the English text."),
}
#: the same for a language not named above
OTHER_FALLBACK_NOTE = N_(
    "Empty: the attestation in this language will use another language's text."
)
#: the service's names of errors in the school language's title and objective
ALIASES = {"title": "texts.lv.title", "objective": "texts.lv.objective"}


def text_key(language: str, name: str) -> str:
    return f"texts.{language}.{name}"


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
        self.code.setMaxLength(MAX_CODE)
        self.programme = QLineEdit()
        self.programme.setMaxLength(MAX_PROGRAMME)
        self.sending = QComboBox()
        self.host = QComboBox()
        self.add_host_button = QPushButton()
        self.host_mentor = QLineEdit()
        self.host_mentor.setMaxLength(MAX_HOST_MENTOR)
        self.host_country = QLineEdit()
        self.host_country.setMaxLength(2)
        self.host_country.setMaximumWidth(60)
        self.host_country.setValidator(
            QRegularExpressionValidator(QRegularExpression("[A-Za-z]{0,2}"), self.host_country)
        )
        self.start_date = make_date_edit()
        self.end_date = make_date_edit()
        self.framework = QComboBox()
        #: the texts per language: text_edits[language][field], with their labels and notes
        self.text_edits: dict[str, dict[str, QLineEdit | QPlainTextEdit]] = {}
        self.text_labels: dict[str, dict[str, QLabel]] = {}
        self.fallback_notes: dict[str, dict[str, QLabel]] = {}
        self.text_tabs = QTabWidget()
        self.text_tabs.setDocumentMode(True)
        self.texts_heading = QLabel()
        self.texts_heading.setWordWrap(True)
        for language in TEXT_LANGUAGES:
            self.text_tabs.addTab(self._text_page(language), "")
        #: the school language's title and objective (what lists and searches show)
        self.title = self.text_edits["lv"]["title"]
        self.objective = self.text_edits["lv"]["objective"]
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
            "programme": self.programme,
            "sending_organisation_id": self.sending,
            "host_organisation_id": self.host,
            "host_mentor": self.host_mentor,
            "host_country": self.host_country,
            "start_date": self.start_date,
            "end_date": self.end_date,
            "framework": self.framework,
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
        layout.addRow(self.texts_heading)
        layout.addRow(self.text_tabs)
        for language in TEXT_LANGUAGES:
            for name in TEXT_FIELDS:
                key = text_key(language, name)
                self.widgets[key] = self.text_edits[language][name]
                self.labels[key] = self.text_labels[language][name]
        order = [self.widgets[name] for name in FIELDS]
        order.insert(order.index(self.host) + 1, self.add_host_button)
        order.append(self.text_tabs)
        order += [self.text_edits[lang][name] for lang in TEXT_LANGUAGES for name in TEXT_FIELDS]
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

    def _text_page(self, language: str) -> QWidget:
        """One language's title, objective, activities and host organisation."""
        page = QWidget()
        form = QFormLayout(page)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapLongRows)
        edits, labels, notes = {}, {}, {}
        for name in TEXT_FIELDS:
            edit: QLineEdit | QPlainTextEdit
            if name == "title":
                edit = QLineEdit()
                edit.setMaxLength(TEXT_LIMITS[name])
            else:
                edit = QPlainTextEdit()
                edit.setTabChangesFocus(True)
                edit.setMinimumHeight(60)
            label = QLabel()
            label.setBuddy(edit)
            note = QLabel()
            note.setWordWrap(True)
            note.setStyleSheet("font-style: italic;")
            note.hide()
            box = QWidget()
            column = QVBoxLayout(box)
            column.setContentsMargins(0, 0, 0, 0)
            column.setSpacing(2)
            column.addWidget(edit)
            column.addWidget(note)
            form.addRow(label, box)
            edit.textChanged.connect(self._show_notes)
            edits[name], labels[name], notes[name] = edit, label, note
        self.text_edits[language] = edits
        self.text_labels[language] = labels
        self.fallback_notes[language] = notes
        return page

    # --- language ---------------------------------------------------------------------

    def retranslate(self) -> None:
        texts = {
            "code": _("&Code:"),
            "programme": _("Pro&gramme:"),
            "sending_organisation_id": _("Sending organisation:"),
            "host_organisation_id": _("Host organisation:"),
            "host_mentor": _("Host &mentor:"),
            "host_country": _("Host co&untry:"),
            "start_date": _("St&art date:"),
            "end_date": _("&End date:"),
            "framework": _("Frame&work:"),
        }
        for name, text in texts.items():
            set_label(self.labels[name], text, self.widgets[name])
        self.texts_heading.setText(
            _(
                "Title and descriptions in each language: each attestation prints those "
                "of its language."
            )
        )
        for index, language in enumerate(TEXT_LANGUAGES):
            tab = (
                # no Alt+letter: the form around has none to spare (Ctrl+Tab switches)
                _(LANGUAGE_TABS[language]).replace("&", "")
                if language in LANGUAGE_TABS
                else language_name(language, current_language())
            )
            self.text_tabs.setTabText(index, tab)
            for name in TEXT_FIELDS:
                label, edit = self.text_labels[language][name], self.text_edits[language][name]
                set_label(label, _(TEXT_LABELS[name]), edit)
                edit.setAccessibleName(
                    _("{field} ({language})").format(field=plain(label.text()), language=plain(tab))
                )
                if name in TEXT_PLACEHOLDERS:
                    edit.setPlaceholderText(_(TEXT_PLACEHOLDERS[name]))
                self.fallback_notes[language][name].setText(
                    _(FALLBACK_NOTES.get(language, OTHER_FALLBACK_NOTE))
                )
        self.text_tabs.setAccessibleName(_("Languages of the texts"))
        self.code.setPlaceholderText(_("for example 2025-1-LV01-KA121-VET-000123456-DE"))
        self.host_country.setPlaceholderText(_("DE"))
        self.host_country.setToolTip(_("Two letters, for example DE for Germany."))
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
            self._set_texts({})
            self.programme.setText("Erasmus+")
            self._select(self.sending, self._home_id)
            self.host.setCurrentIndex(-1)
            self.host_mentor.clear()
            self.host_country.clear()
            self.start_date.setDate(to_qdate(start))
            self.end_date.setDate(to_qdate(start + dt.timedelta(days=27)))
            self._select(self.framework, _key(self._library.default().key))
        else:
            self.code.setText(info.code)
            self._set_texts(
                info.texts or {"lv": {"title": info.title, "objective": info.objective}}
            )
            self.programme.setText(info.programme)
            self._select(self.sending, info.sending_organisation_id)
            self._select(self.host, info.host_organisation_id)
            self.host_mentor.setText(info.host_mentor)
            self.host_country.setText(info.host_country)
            self.start_date.setDate(to_qdate(info.start_date))
            self.end_date.setDate(to_qdate(info.end_date))
            self._select(self.framework, _key((info.framework_id, info.framework_version)))
        self.text_tabs.setCurrentIndex(0)
        self._baseline = self._values()
        self._loading = False
        self._show_notes()

    def _set_texts(self, texts: Mapping[str, Mapping[str, str]]) -> None:
        for language, edits in self.text_edits.items():
            for name, edit in edits.items():
                text = (texts.get(language) or {}).get(name, "")
                if isinstance(edit, QLineEdit):
                    edit.setText(text)
                else:
                    edit.setPlainText(text)

    def texts(self) -> dict[str, dict[str, str]]:
        """What is typed in each language, as typed."""
        return {
            language: {name: _text_of(edit) for name, edit in edits.items()}
            for language, edits in self.text_edits.items()
        }

    def _show_notes(self) -> None:
        """Beside each empty text that the other language has: which text is printed."""
        texts = self.texts()
        for language, notes in self.fallback_notes.items():
            for name, note in notes.items():
                _text, fallback = mobility_text(texts, name, language)
                note.setVisible(fallback)

    def draft(self) -> MobilityDraft:
        chosen = self.framework.currentData() or _key(self._library.default().key)
        framework_id, version = chosen.split("/", 1)
        texts = self.texts()
        return MobilityDraft(
            code=self.code.text(),
            title=mobility_text(texts, "title", "lv")[0],
            programme=self.programme.text(),
            sending_organisation_id=self.sending.currentData() or 0,
            host_organisation_id=self.host.currentData() or 0,
            host_mentor=self.host_mentor.text(),
            host_country=self.host_country.text(),
            start_date=to_date(self.start_date.date()),
            end_date=to_date(self.end_date.date()),
            objective=mobility_text(texts, "objective", "lv")[0],
            framework_id=framework_id,
            framework_version=version,
            texts=texts,
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
        name = {"name": "host_organisation_id", **ALIASES}.get(field, field)
        if name not in self.widgets:
            return False
        if name.startswith("texts."):
            self.text_tabs.setCurrentIndex(TEXT_LANGUAGES.index(name.split(".")[1]))
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
            tuple(sorted((lang, tuple(v.items())) for lang, v in self.texts().items())),
            self.programme.text(),
            self.sending.currentData(),
            self.host.currentData(),
            self.host_mentor.text(),
            self.host_country.text(),
            self.start_date.date(),
            self.end_date.date(),
            self.framework.currentData(),
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


def _text_of(edit: QLineEdit | QPlainTextEdit) -> str:
    return edit.text() if isinstance(edit, QLineEdit) else edit.toPlainText()


def _key(key: tuple[str, str]) -> str:
    """A framework's (id, version) as one string, to keep in a combo box."""
    return "/".join(key)
