"""The teachers who supervise a mobility: the current ones, removing one, choosing another."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import accounts, mobilities
from digcomp_app.services.accounts import UserInfo
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.mobilities import MobilityInfo, TeacherInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.mobilities.widgets import plain, set_label, wrapping_list

_USER = Qt.ItemDataRole.UserRole


def teacher_text(display_name: str, username: str) -> str:
    return _("{name} ({username})").format(name=display_name, username=username)


class TeachersBox(QGroupBox):
    """Emits ``said(text, is_error)`` for the panel's message line."""

    said = Signal(str, bool)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._mobility: MobilityInfo | None = None
        self.current: list[TeacherInfo] = []
        self.available: list[UserInfo] = []

        self.note = QLabel()
        self.note.setWordWrap(True)
        self.list_label = QLabel()
        self.list = wrapping_list(QListWidget())
        self.list.setMaximumHeight(90)
        self.list_label.setBuddy(self.list)
        self.remove_button = QPushButton()
        self.choice_label = QLabel()
        self.choice = QComboBox()
        self.choice.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.choice.setMinimumContentsLength(12)
        self.choice.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        self.choice_label.setBuddy(self.choice)
        self.assign_button = QPushButton()
        grid = QGridLayout(self)
        grid.addWidget(self.note, 0, 0, 1, 2)
        grid.addWidget(self.list_label, 1, 0)
        grid.addWidget(self.choice_label, 1, 1)
        grid.addWidget(self.list, 2, 0, 2, 1)
        grid.addWidget(self.choice, 2, 1)
        grid.addWidget(
            self.assign_button, 3, 1, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop
        )
        grid.addWidget(self.remove_button, 4, 0, Qt.AlignmentFlag.AlignLeft)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        self.setTabOrder(self.list, self.remove_button)
        self.setTabOrder(self.remove_button, self.choice)
        self.setTabOrder(self.choice, self.assign_button)

        self.list.itemSelectionChanged.connect(self._update_buttons)
        self.remove_button.clicked.connect(self.remove_selected)
        self.assign_button.clicked.connect(self.assign_chosen)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Teachers"))
        self.note.setText(
            _("Teachers who supervise the mobility see its learners and assess them.")
        )
        set_label(self.list_label, _("S&upervising:"), self.list)
        self.remove_button.setText(_("Remo&ve teacher"))
        self.remove_button.setAccessibleName(plain(self.remove_button.text()))
        set_label(self.choice_label, _("&Teacher:"), self.choice)
        self.assign_button.setText(_("Assi&gn teacher"))
        self.assign_button.setAccessibleName(plain(self.assign_button.text()))
        self._fill()

    # --- data -------------------------------------------------------------------------

    def set_mobility(self, info: MobilityInfo | None) -> None:
        self._mobility = info
        self.load()

    def load(self) -> None:
        """Read the mobility's teachers and the teachers one may still assign."""
        self.current, self.available = [], []
        if self._mobility is not None:
            db, actor = self._context.db, self._context.actor
            try:
                self.current = mobilities.list_teachers(db, actor, self._mobility.id)
                self.available = accounts.list_teachers(db, actor)
            except ServiceError as error:
                self.said.emit(str(error), True)
        self._fill()

    def _fill(self) -> None:
        self.list.clear()
        for teacher in self.current:
            item = QListWidgetItem(teacher_text(teacher.display_name, teacher.username))
            item.setData(_USER, teacher.user_id)
            self.list.addItem(item)
        if not self.current:
            item = QListWidgetItem(
                _("No teacher supervises this mobility yet. Choose one on the right.")
                if self._mobility is not None
                else ""
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.list.addItem(item)
        chosen = self.choice.currentData()
        self.choice.clear()
        taken = {t.user_id for t in self.current}
        for user in self.available:
            if user.id not in taken:
                self.choice.addItem(teacher_text(user.display_name, user.username), user.id)
        placeholder, tip = "", ""
        if self._mobility is not None and not self.choice.count():
            if self.available:
                placeholder = _("Every teacher is assigned")
            else:
                placeholder = _("No teacher accounts yet")
                tip = _("Ask the administrator to create the teachers' accounts.")
        self.choice.setPlaceholderText(placeholder)
        self.choice.setToolTip(tip)
        self.choice.setCurrentIndex(
            max(self.choice.findData(chosen), 0) if self.choice.count() else -1
        )
        self._update_buttons()

    def selected_user_id(self) -> int | None:
        items = self.list.selectedItems()
        return items[0].data(_USER) if items else None

    def choose(self, user_id: int) -> bool:
        index = self.choice.findData(user_id)
        self.choice.setCurrentIndex(index)
        return index >= 0

    # --- actions ----------------------------------------------------------------------

    def assign_chosen(self) -> None:
        user_id = self.choice.currentData()
        if self._mobility is None or user_id is None:
            return
        name = self.choice.currentText()
        try:
            mobilities.assign_teacher(
                self._context.db, self._context.actor, self._mobility.id, user_id
            )
        except ServiceError as error:
            self.said.emit(str(error), True)
            return
        self.load()
        self.said.emit(
            _("{teacher} now supervises {code}.").format(teacher=name, code=self._mobility.code),
            False,
        )
        self.choice.setFocus()

    def remove_selected(self) -> None:
        user_id = self.selected_user_id()
        if self._mobility is None or user_id is None:
            return
        name = self.list.selectedItems()[0].text()
        try:
            mobilities.unassign_teacher(
                self._context.db, self._context.actor, self._mobility.id, user_id
            )
        except ServiceError as error:
            self.said.emit(str(error), True)
            return
        self.load()
        self.said.emit(
            _("{teacher} no longer supervises {code}.").format(
                teacher=name, code=self._mobility.code
            ),
            False,
        )

    def _update_buttons(self) -> None:
        present = self._mobility is not None
        self.remove_button.setEnabled(present and self.selected_user_id() is not None)
        self.assign_button.setEnabled(present and self.choice.currentData() is not None)
        self.choice.setEnabled(present and self.choice.count() > 0)
