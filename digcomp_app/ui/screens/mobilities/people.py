"""Who takes part in a mobility (learners) and who supervises it (teachers)."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import learners, mobilities
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import LearnerSummary
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.mobilities.widgets import ERROR_COLOUR, plain, set_label

_LEARNER = Qt.ItemDataRole.UserRole


class PeoplePanel(QWidget):
    """Find learners and add them; assign teachers. Changes are saved at once."""

    #: the mobility after participants were added (its participant count changed)
    changed = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._mobility: MobilityInfo | None = None
        self._found: list[LearnerSummary] = []
        self._added: list[str] = []
        self._teachers: list[int] = []

        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.count = QLabel()
        self.count.setWordWrap(True)

        self.participants_box = QGroupBox()
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.results = QListWidget()
        self.results.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.results.setMinimumHeight(120)
        self.add_button = QPushButton()
        self.added = QLabel()
        self.added.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.search_label)
        row.addWidget(self.search, 1)
        box = QVBoxLayout(self.participants_box)
        box.addLayout(row)
        box.addWidget(self.results, 1)
        box.addWidget(self.add_button, 0, Qt.AlignmentFlag.AlignLeft)
        box.addWidget(self.added)

        self.teachers_box = QGroupBox()
        self.teacher_note = QLabel()
        self.teacher_note.setWordWrap(True)
        self.teacher_label = QLabel()
        self.teacher_number = QSpinBox()
        self.teacher_number.setRange(1, 10_000_000)
        self.teacher_label.setBuddy(self.teacher_number)
        self.assign_button = QPushButton()
        self.assigned = QLabel()
        self.assigned.setWordWrap(True)
        row = QHBoxLayout()
        row.addWidget(self.teacher_label)
        row.addWidget(self.teacher_number)
        row.addWidget(self.assign_button)
        row.addStretch(1)
        box = QVBoxLayout(self.teachers_box)
        box.addWidget(self.teacher_note)
        box.addLayout(row)
        box.addWidget(self.assigned)

        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint)
        layout.addWidget(self.count)
        layout.addWidget(self.participants_box, 1)
        layout.addWidget(self.teachers_box)
        layout.addWidget(self.message)
        for first, second in (
            (self.search, self.results),
            (self.results, self.add_button),
            (self.add_button, self.teacher_number),
            (self.teacher_number, self.assign_button),
        ):
            self.setTabOrder(first, second)

        self.search.textChanged.connect(self.find_learners)
        self.search.returnPressed.connect(self.results.setFocus)
        self.results.itemSelectionChanged.connect(self._update_buttons)
        self.results.itemActivated.connect(lambda _item: self.add_selected())
        self.add_button.clicked.connect(self.add_selected)
        self.assign_button.clicked.connect(self.assign_teacher)
        self.retranslate()
        self.set_mobility(None)

    def retranslate(self) -> None:
        self.participants_box.setTitle(_("Participants"))
        set_label(self.search_label, _("Find &learners:"), self.search)
        self.search.setPlaceholderText(_("Type a name, for example Bērziņa"))
        self.results.setAccessibleName(_("Learners found"))
        self.add_button.setText(_("&Add the selected learners"))
        self.add_button.setAccessibleName(plain(self.add_button.text()))
        self.teachers_box.setTitle(_("Teachers"))
        self.teacher_note.setText(
            _(
                "Teachers who supervise the mobility see its learners and assess them. "
                "There is no list of teachers to choose from yet: enter the teacher's user "
                "number, which the administrator finds in the list of users."
            )
        )
        set_label(self.teacher_label, _("&Teacher's user number:"), self.teacher_number)
        self.assign_button.setText(_("Assi&gn teacher"))
        self.assign_button.setAccessibleName(plain(self.assign_button.text()))
        self.message.setAccessibleName(_("Message"))
        self._show_state()
        self._fill_results()

    # --- the mobility shown -------------------------------------------------------------

    def set_mobility(self, info: MobilityInfo | None) -> None:
        if info is None or self._mobility is None or info.id != self._mobility.id:
            self._added, self._teachers = [], []
            self.message.clear()
        self._mobility = info
        enabled = info is not None
        self.participants_box.setEnabled(enabled)
        self.teachers_box.setEnabled(enabled)
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
        self.added.setText(
            _("Added just now: {names}").format(names=", ".join(self._added)) if self._added else ""
        )
        self.assigned.setText(
            _("Assigned just now (user numbers): {numbers}").format(
                numbers=", ".join(str(n) for n in self._teachers)
            )
            if self._teachers
            else ""
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
        names = [learner.full_name for learner in self._found if learner.id in ids]
        self._added.extend(name for name in names if name not in self._added)
        self._mobility = info
        self.results.clearSelection()
        self._say(
            ngettext(
                "{count} learner added to {code}.",
                "{count} learners added to {code}.",
                len(ids),
            ).format(count=len(ids), code=info.code)
        )
        self._show_state()
        self.changed.emit(info)

    # --- teachers -----------------------------------------------------------------------

    def assign_teacher(self) -> None:
        if self._mobility is None:
            return
        number = self.teacher_number.value()
        try:
            mobilities.assign_teacher(
                self._context.db, self._context.actor, self._mobility.id, number
            )
        except ServiceError as error:
            self._say(
                _("{problem} Check the user number with the administrator.").format(
                    problem=str(error)
                ),
                error=True,
            )
            self.teacher_number.setFocus()
            return
        if number not in self._teachers:
            self._teachers.append(number)
        self._say(
            _("The teacher with user number {number} now supervises {code}.").format(
                number=number, code=self._mobility.code
            )
        )
        self._show_state()

    # --- helpers ------------------------------------------------------------------------

    def _update_buttons(self) -> None:
        self.add_button.setEnabled(self._mobility is not None and bool(self.selected_learner_ids()))
        self.assign_button.setEnabled(self._mobility is not None)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
        if not error:
            self._context.notify(text)
