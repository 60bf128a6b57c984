"""Who takes part in a mobility (learners) and who supervises it (teachers)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import learners, mobilities
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import LearnerSummary
from digcomp_app.services.mobilities import MobilityInfo, ParticipantInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.mobilities.teachers import TeachersBox
from digcomp_app.ui.screens.mobilities.widgets import (
    plain,
    set_label,
    wrapping_list,
)
from digcomp_app.ui.widgets import ERROR_COLOUR

_LEARNER = Qt.ItemDataRole.UserRole


def participant_text(person: ParticipantInfo) -> str:
    if person.europass_number:
        return _("{name}\nEuropass {number}").format(
            name=person.full_name, number=person.europass_number
        )
    return person.full_name


class PeoplePanel(QWidget):
    """The participants (remove; find learners and add them) and the teachers (remove;
    choose one and assign). Changes are saved at once."""

    #: the mobility after participants were added or removed (its participant count changed)
    changed = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._mobility: MobilityInfo | None = None
        self._found: list[LearnerSummary] = []
        self.participants: list[ParticipantInfo] = []

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.count = QLabel()
        self.count.setWordWrap(True)

        self.participants_box = QGroupBox()
        self.current_label = QLabel()
        self.current = wrapping_list(QListWidget())
        self.current.setAlternatingRowColors(True)
        self.current.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.current_label.setBuddy(self.current)
        self.remove_button = QPushButton()
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.results = wrapping_list(QListWidget())
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.add_button = QPushButton()
        row = QHBoxLayout()
        row.addWidget(self.search_label)
        row.addWidget(self.search, 1)
        grid = QGridLayout(self.participants_box)
        grid.addWidget(self.current_label, 0, 0)
        grid.addLayout(row, 0, 1)
        grid.addWidget(self.current, 1, 0)
        grid.addWidget(self.results, 1, 1)
        grid.addWidget(self.remove_button, 2, 0, Qt.AlignmentFlag.AlignLeft)
        grid.addWidget(self.add_button, 2, 1, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        grid.setRowStretch(1, 1)

        self.teachers_box = TeachersBox(context)

        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.count)
        layout.addWidget(self.participants_box, 1)
        layout.addWidget(self.teachers_box)
        layout.addWidget(self.message)
        for first, second in (
            (self.current, self.remove_button),
            (self.remove_button, self.search),
            (self.search, self.results),
            (self.results, self.add_button),
            (self.add_button, self.teachers_box.list),
        ):
            self.setTabOrder(first, second)

        self.current.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button.clicked.connect(self.remove_selected)
        self.search.textChanged.connect(self.find_learners)
        self.search.returnPressed.connect(self.results.setFocus)
        self.results.itemSelectionChanged.connect(self._update_buttons)
        self.results.itemActivated.connect(lambda _item: self.add_selected())
        self.add_button.clicked.connect(self.add_selected)
        self.teachers_box.said.connect(lambda text, error: self._say(text, error=error))
        self.retranslate()
        self.set_mobility(None)

    def retranslate(self) -> None:
        self.participants_box.setTitle(_("Participants"))
        set_label(self.current_label, _("Taking pa&rt:"), self.current)
        self.remove_button.setText(_("Re&move from the mobility"))
        self.remove_button.setAccessibleName(plain(self.remove_button.text()))
        set_label(self.search_label, _("Find &learners:"), self.search)
        self.search.setPlaceholderText(_("Type a name, for example Bērziņa"))
        self.results.setAccessibleName(_("Learners found"))
        self.add_button.setText(_("&Add the selected learners"))
        self.add_button.setAccessibleName(plain(self.add_button.text()))
        self.teachers_box.retranslate()
        self.message.setAccessibleName(_("Message"))
        self._show_state()
        self._fill_current()
        self._fill_results()

    # --- the mobility shown -------------------------------------------------------------

    def set_mobility(self, info: MobilityInfo | None) -> None:
        if info is None or self._mobility is None or info.id != self._mobility.id:
            self.message.clear()
        self._mobility = info
        enabled = info is not None
        self.participants_box.setEnabled(enabled)
        self.teachers_box.setEnabled(enabled)
        self.teachers_box.set_mobility(info)
        self._load_participants()
        self._show_state()
        self._update_buttons()

    def _show_state(self) -> None:
        info = self._mobility
        if info is None:
            self.hint.setText(
                _("Save the new mobility first; then add its participants and teachers here.")
            )
            self.hint.show()
            self.count.clear()
        else:
            self.hint.hide()
            self.count.setText(
                ngettext(
                    "{count} learner takes part in {code}.",
                    "{count} learners take part in {code}.",
                    info.participant_count,
                ).format(count=info.participant_count, code=info.code)
            )

    # --- current participants -----------------------------------------------------------

    def _load_participants(self) -> None:
        self.participants = []
        if self._mobility is not None:
            try:
                self.participants = mobilities.list_participants(
                    self._context.db, self._context.actor, self._mobility.id
                )
            except ServiceError as error:
                self._say(str(error), error=True)
        self._fill_current()

    def _fill_current(self) -> None:
        self.current.clear()
        for person in self.participants:
            item = QListWidgetItem(participant_text(person))
            item.setData(_LEARNER, person.learner_id)
            if person.date_of_birth:
                item.setToolTip(_("Born {date}").format(date=format_date(person.date_of_birth)))
            self.current.addItem(item)
        if not self.participants and self._mobility is not None:
            item = QListWidgetItem(
                _("No learner takes part yet. Find learners on the right and add them.")
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.current.addItem(item)
        self._update_buttons()

    def selected_participant_ids(self) -> list[int]:
        return [
            item.data(_LEARNER)
            for item in self.current.selectedItems()
            if item.data(_LEARNER) is not None
        ]

    def remove_selected(self) -> None:
        ids = self.selected_participant_ids()
        if self._mobility is None or not ids:
            return
        names = [p.full_name for p in self.participants if p.learner_id in ids]
        answer = QMessageBox.question(
            self,
            _("Remove participants"),
            ngettext(
                "Remove {names} from {code}? Their Europass number for this mobility is "
                "removed too.",
                "Remove {names} from {code}? Their Europass numbers for this mobility are "
                "removed too.",
                len(ids),
            ).format(names=", ".join(names), code=self._mobility.code),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.Cancel,
            QMessageBox.StandardButton.Cancel,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return
        removed, problems, info = [], [], self._mobility
        for person in (p for p in self.participants if p.learner_id in ids):
            try:
                info = mobilities.remove_participant(
                    self._context.db, self._context.actor, info.id, person.learner_id
                )
            except ServiceError as error:
                problems.append(
                    _("{name}: {problem}").format(name=person.full_name, problem=str(error))
                )
            else:
                removed.append(person.full_name)
        self._mobility = info
        self._load_participants()
        self._show_state()
        if removed:
            self.changed.emit(info)
        if problems:
            self._say("\n".join(problems), error=True)
        else:
            self._say(
                ngettext(
                    "{count} learner removed from {code}.",
                    "{count} learners removed from {code}.",
                    len(removed),
                ).format(count=len(removed), code=info.code)
            )

    # --- learners -----------------------------------------------------------------------

    def find_learners(self, text: str = "") -> None:
        text = self.search.text()
        self._found = []
        if text.strip():
            try:
                self._found = learners.search(self._context.db, self._context.actor, text)
            except ServiceError as error:
                self._say(str(error), error=True)
        self._fill_results()

    def _fill_results(self) -> None:
        self.results.clear()
        for learner in self._found:
            text = learner.full_name
            if learner.date_of_birth:
                text = _("{name} (born {date})").format(
                    name=learner.full_name, date=format_date(learner.date_of_birth)
                )
            item = QListWidgetItem(text)
            item.setData(_LEARNER, learner.id)
            self.results.addItem(item)
        if not self._found:
            hint = (
                _("No learner matches '{text}'. Check the spelling or type less.").format(
                    text=self.search.text().strip()
                )
                if self.search.text().strip()
                else _("Type part of a learner's name above; the matching learners appear here.")
            )
            item = QListWidgetItem(hint)
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        self._update_buttons()

    def selected_learner_ids(self) -> list[int]:
        return [
            item.data(_LEARNER)
            for item in self.results.selectedItems()
            if item.data(_LEARNER) is not None
        ]

    def add_selected(self) -> None:
        ids = self.selected_learner_ids()
        if self._mobility is None or not ids:
            return
        try:
            info = mobilities.add_participants(
                self._context.db, self._context.actor, self._mobility.id, ids
            )
        except ServiceError as error:
            self._say(str(error), error=True)
            return
        self._mobility = info
        self.results.clearSelection()
        self._load_participants()
        self._say(
            ngettext(
                "{count} learner added to {code}.",
                "{count} learners added to {code}.",
                len(ids),
            ).format(count=len(ids), code=info.code)
        )
        self._show_state()
        self.changed.emit(info)

    # --- helpers ------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        present = self._mobility is not None
        self.add_button.setEnabled(present and bool(self.selected_learner_ids()))
        self.remove_button.setEnabled(present and bool(self.selected_participant_ids()))

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
        if not error:
            self._context.notify(text)
