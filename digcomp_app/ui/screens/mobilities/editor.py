"""Create or edit one mobility: the form, saving it, and what goes wrong while saving."""

from __future__ import annotations

from collections.abc import Mapping
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date
from digcomp_app.services import mobilities
from digcomp_app.services.errors import ConcurrentChange, InvalidInput, ServiceError
from digcomp_app.services.mobilities import (
    SCHOOL_LANGUAGE,
    TEXT_FIELDS,
    TEXT_LANGUAGES,
    MobilityDraft,
    MobilityInfo,
)
from digcomp_app.services.organisations import OrganisationInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.mobilities.dialogs import NewHostDialog
from digcomp_app.ui.screens.mobilities.form import MobilityForm, text_key
from digcomp_app.ui.screens.mobilities.people import PeoplePanel
from digcomp_app.ui.screens.mobilities.widgets import plain
from digcomp_app.ui.widgets import ERROR_COLOUR

_BANNER = "background: #fff4ce; border: 1px solid #c8a600; padding: 6px;"


class MobilityEditor(QWidget):
    """The heading, the "Details" and "People" tabs, Save and Discard."""

    #: a mobility was created or changed (MobilityInfo)
    saved = Signal(object)
    #: a new host organisation was added (OrganisationInfo)
    organisation_added = Signal(object)
    #: someone else had changed the mobility; the list should be read again
    outdated = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.mobility: MobilityInfo | None = None

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.form = MobilityForm(context.library)
        self.conflict = QLabel()
        self.conflict.setWordWrap(True)
        self.conflict.setStyleSheet(_BANNER)
        self.conflict.setTextFormat(Qt.TextFormat.RichText)
        self.conflict.hide()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.discard_button = QPushButton()

        details = QWidget()
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.form)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addWidget(self.discard_button)
        buttons.addStretch(1)
        inner = QVBoxLayout(details)
        inner.addWidget(self.conflict)
        inner.addWidget(scroll, 1)
        inner.addWidget(self.error)
        inner.addLayout(buttons)

        self.people = PeoplePanel(context)
        self.tabs = QTabWidget()
        self.tabs.addTab(details, "")
        self.tabs.addTab(self.people, "")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        last = self.form.text_edits[TEXT_LANGUAGES[-1]][TEXT_FIELDS[-1]]
        self.setTabOrder(last, self.save_button)
        self.setTabOrder(self.save_button, self.discard_button)

        self.save_button.clicked.connect(self.save)
        self.discard_button.clicked.connect(self.discard)
        self.form.add_host_requested.connect(self.add_host)
        self.people.changed.connect(self._on_people_changed)
        self.form.edited.connect(self._on_edited)
        QShortcut(QKeySequence.StandardKey.Save, self, self.save)
        self.retranslate()
        self.show_mobility(None)

    def retranslate(self) -> None:
        self.form.retranslate()
        self.people.retranslate()
        self.tabs.setTabText(0, _("Deta&ils"))
        self.tabs.setTabText(1, _("&People"))
        self.tabs.setAccessibleName(_("Mobility"))
        self.save_button.setText(_("&Save"))
        self.save_button.setToolTip(_("Save the mobility (Ctrl+S)"))
        self.save_button.setAccessibleName(plain(self.save_button.text()))
        self.discard_button.setText(_("Disca&rd changes"))
        self.discard_button.setAccessibleName(plain(self.discard_button.text()))
        self.error.setAccessibleName(_("Problem"))
        self.conflict.setAccessibleName(_("Changed by someone else"))
        self._show_heading()

    def set_organisations(self, organisations: list[OrganisationInfo], home_id: int | None) -> None:
        self.form.set_organisations(organisations, home_id)

    def show_mobility(self, info: MobilityInfo | None) -> None:
        """Open ``info`` for editing, or an empty form to create a new mobility."""
        self.mobility = info
        self.form.load(info)
        self.people.set_mobility(info)
        self.error.clear()
        self.conflict.hide()
        self._show_heading()

    def is_dirty(self) -> bool:
        return self.form.is_dirty()

    # --- saving -----------------------------------------------------------------------

    def save(self) -> bool:
        """Create or update the mobility; on a problem say what to do and return False."""
        self.error.clear()
        self.form.clear_errors()
        draft = self.form.draft()
        db, actor = self._context.db, self._context.actor
        try:
            if self.mobility is None:
                info = mobilities.create(db, actor, draft)
                message = _("Mobility {code} created.").format(code=info.code)
            else:
                info = mobilities.update(
                    db, actor, self.mobility.id, draft, expected_version=self.mobility.version
                )
                message = _("Changes to {code} saved.").format(code=info.code)
        except InvalidInput as error:
            highlighted = self.form.show_error(error.field, str(error))
            self.tabs.setCurrentIndex(0)
            self.error.setText(
                _("{problem} Correct the highlighted field and save again.").format(
                    problem=str(error)
                )
                if highlighted
                else str(error)
            )
            return False
        except ConcurrentChange as error:
            self._show_conflict(str(error), draft, error.current)
            return False
        except ServiceError as error:
            self.error.setText(str(error))
            return False
        self.show_mobility(info)
        self._context.notify(message)
        self.saved.emit(info)
        return True

    def discard(self) -> None:
        self.show_mobility(self.mobility)

    def _show_conflict(self, message: str, mine: MobilityDraft, theirs: MobilityInfo) -> None:
        """Load the other person's version and list, in words, what they saved."""
        changes = self.differences(mine, theirs)
        parts = [f"<p><b>{escape(message)}</b></p>"]
        if changes:
            parts.append("<p>" + escape(_("What they saved (and what you had typed):")) + "</p>")
            parts.append("<ul>" + "".join(f"<li>{escape(c)}</li>" for c in changes) + "</ul>")
        else:
            parts.append("<p>" + escape(_("Their values are the same as yours.")) + "</p>")
        self.show_mobility(theirs)
        self.conflict.setText("".join(parts))
        self.conflict.show()
        self.tabs.setCurrentIndex(0)
        self.outdated.emit()

    def differences(self, mine: MobilityDraft, theirs: MobilityInfo) -> list[str]:
        form = self.form
        title = self.form.framework_title

        def show(value: object) -> str:
            if hasattr(value, "isoformat"):
                return format_date(value)  # type: ignore[arg-type]
            return str(value).strip() or _("(empty)")

        def text(texts: Mapping[str, Mapping[str, str]], language: str, name: str) -> str:
            return (texts.get(language) or {}).get(name, "")

        mine_texts = mine.texts or {SCHOOL_LANGUAGE: {"title": mine.title}}
        theirs_texts = theirs.texts or {SCHOOL_LANGUAGE: {"title": theirs.title}}
        texts = [
            (
                text_key(language, name),
                text(mine_texts, language, name),
                text(theirs_texts, language, name),
            )
            for language in TEXT_LANGUAGES
            for name in TEXT_FIELDS
        ]
        pairs = (
            ("code", mine.code, theirs.code),
            *texts[:1],
            ("programme", mine.programme, theirs.programme),
            (
                "sending_organisation_id",
                form.organisation_name(mine.sending_organisation_id),
                form.organisation_name(theirs.sending_organisation_id),
            ),
            (
                "host_organisation_id",
                form.organisation_name(mine.host_organisation_id),
                theirs.host_organisation,
            ),
            ("host_mentor", mine.host_mentor, theirs.host_mentor),
            ("host_country", mine.host_country.upper(), theirs.host_country),
            ("start_date", mine.start_date, theirs.start_date),
            ("end_date", mine.end_date, theirs.end_date),
            (
                "framework",
                title(mine.framework_id, mine.framework_version),
                title(theirs.framework_id, theirs.framework_version),
            ),
            *texts[1:],
        )
        lines = []
        for name, my_value, their_value in pairs:
            if show(my_value) != show(their_value):
                label = plain(form.labels[name].text())
                if name.startswith("texts.") and name.split(".")[1] != SCHOOL_LANGUAGE:
                    # the school language's texts are the mobility's own; others say theirs
                    label = form.widgets[name].accessibleName()
                lines.append(
                    _("{field}: {theirs} (you had: {mine})").format(
                        field=label,
                        theirs=show(their_value),
                        mine=show(my_value),
                    )
                )
        return lines

    # --- organisations and people -----------------------------------------------------

    def add_host(self) -> None:
        dialog = NewHostDialog(self._context, self)
        accepted = dialog.exec() == QDialog.DialogCode.Accepted
        created = dialog.created
        dialog.deleteLater()
        if accepted and created is not None:
            self.organisation_added.emit(created)
            self.form.host.setCurrentIndex(self.form.host.findData(created.id))
            self.form.host.setFocus()
            self._context.notify(_("Host organisation {name} added.").format(name=created.name))

    def _on_edited(self) -> None:
        if not self.form.invalid_fields():
            self.error.clear()  # the highlighted field was corrected

    def _on_people_changed(self, info: MobilityInfo) -> None:
        if self.mobility is not None and info.id == self.mobility.id:
            self.mobility = info
        self.saved.emit(info)

    def _show_heading(self) -> None:
        info = self.mobility
        text = _("New mobility") if info is None else _("Mobility {code}").format(code=info.code)
        self.heading.setText("<h3>" + escape(text) + "</h3>")
        self.heading.setAccessibleName(text)
