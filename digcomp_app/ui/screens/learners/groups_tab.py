"""The groups tab: the school's classes (create, rename, archive, teachers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from PySide6.QtWidgets import (
    QCheckBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import learners
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import GroupInfo
from digcomp_app.services.permissions import allowed
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import ServiceDialog
from digcomp_app.ui.screens.learners.common import ITEM_ID, Tab, confirm, name_buttons
from digcomp_app.ui.screens.learners.dialogs import GroupDialog, TeachersDialog
from digcomp_app.ui.widgets import record_table

if TYPE_CHECKING:
    from digcomp_app.ui.screens.learners.view import LearnersScreen


G_NAME, G_YEAR, G_MEMBERS, G_TEACHERS, G_ARCHIVED = range(5)


class GroupsTab(QWidget, Tab):
    def __init__(self, context: UiContext, screen: LearnersScreen) -> None:
        super().__init__()
        self._context = context
        self._screen = screen
        self.groups: list[GroupInfo] = []
        self.dialog: ServiceDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.can_edit = allowed(context.actor, "learners.create_group")
        self.can_assign = allowed(context.actor, "accounts.list_teachers") and allowed(
            context.actor, "learners.assign_group_teacher"
        )
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.show_archived = QCheckBox()
        self.table = record_table(5)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(G_TEACHERS, QHeaderView.ResizeMode.Stretch)
        self.new_button = QPushButton()
        self.rename_button = QPushButton()
        self.archive_button = QPushButton()
        self.teachers_button = QPushButton()
        self.members_button = QPushButton()
        buttons = QHBoxLayout()
        for button in self._buttons():
            buttons.addWidget(button)
        buttons.addStretch(1)
        self.message = QLabel()
        self.message.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.show_archived)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.show_archived.toggled.connect(lambda _on: self._fill(self._screen.all_groups))
        self.table.itemSelectionChanged.connect(self._update)
        self.table.itemActivated.connect(lambda _item: self.show_members())
        self.new_button.clicked.connect(self.new_group)
        self.rename_button.clicked.connect(self.rename_group)
        self.archive_button.clicked.connect(self.toggle_archived)
        self.teachers_button.clicked.connect(self.edit_teachers)
        self.members_button.clicked.connect(self.show_members)
        self.retranslate()

    def _buttons(self) -> list[QPushButton]:
        return [
            self.new_button,
            self.rename_button,
            self.archive_button,
            self.teachers_button,
            self.members_button,
        ]

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "Groups are the school's classes. At the end of a school year archive a group: "
                "it stays on the cases opened in it and takes no new learners."
            )
        )
        self.show_archived.setText(_("Show a&rchived groups"))
        self.table.setAccessibleName(_("Groups"))
        self.table.setHorizontalHeaderLabels(
            [_("Group"), _("School year"), _("Members"), _("Teachers"), _("Archived")]
        )
        self.new_button.setText(_("&New group…"))
        self.rename_button.setText(_("Re&name…"))
        self.teachers_button.setText(_("&Teachers…"))
        self.members_button.setText(_("Show &learners"))
        self.teachers_button.setToolTip(
            _("Choose the teachers of the group.")
            if self.can_assign
            else _("Only a coordinator assigns teachers to groups.")
        )
        self.message.setAccessibleName(_("Message"))
        if self.groups:
            self._fill(self._screen.all_groups)
        self._update()
        if self.dialog is not None:
            self.dialog.retranslate()

    def _fill(self, groups: Sequence[GroupInfo]) -> None:
        chosen = self.selected()
        shown = [g for g in groups if self.show_archived.isChecked() or not g.archived]
        self.groups = shown
        self.table.blockSignals(True)
        self.table.setRowCount(len(shown))
        for row, group in enumerate(shown):
            values = {
                G_NAME: group.name,
                G_YEAR: group.school_year,
                G_MEMBERS: str(group.member_count),
                G_TEACHERS: ", ".join(name for _id, name in group.teachers),
                G_ARCHIVED: _("yes") if group.archived else _("no"),
            }
            for column, text in values.items():
                item = QTableWidgetItem(text)
                item.setData(ITEM_ID, group.id)
                self.table.setItem(row, column, item)
        self.table.blockSignals(False)
        if chosen is not None:
            self.select_group(chosen.name)
        self._update()

    def row_texts(self, name: str) -> list[str]:
        for row in range(self.table.rowCount()):
            if self.table.item(row, G_NAME).text() == name:
                return [self.table.item(row, c).text() for c in range(self.table.columnCount())]
        raise LookupError(name)

    def select_group(self, name: str) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, G_NAME).text() == name:
                self.table.selectRow(row)
                return True
        return False

    def selected(self) -> GroupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        group_id = self.table.item(rows[0].row(), G_NAME).data(ITEM_ID)
        return next((g for g in self.groups if g.id == group_id), None)

    def _update(self) -> None:
        group = self.selected()
        self.new_button.setEnabled(self.can_edit)
        self.rename_button.setEnabled(self.can_edit and group is not None)
        self.archive_button.setEnabled(self.can_edit and group is not None)
        self.teachers_button.setEnabled(self.can_assign and group is not None)
        self.members_button.setEnabled(group is not None)
        self.archive_button.setText(
            _("Re&store") if group is not None and group.archived else _("&Archive")
        )
        name_buttons(self._buttons())

    def new_group(self) -> None:
        def done(d: ServiceDialog) -> str:
            group: GroupInfo = d.result_value  # type: ignore[assignment]
            self._screen.refresh()
            self.select_group(group.name)
            return _("The group {name} was added.").format(name=group.name)

        self._open(GroupDialog(self._context, None, self), done)

    def rename_group(self) -> None:
        group = self.selected()
        if group is None:
            return

        def done(d: ServiceDialog) -> str:
            renamed: GroupInfo = d.result_value  # type: ignore[assignment]
            self._screen.refresh()
            self.select_group(renamed.name)
            return _("The group is now called {name}.").format(name=renamed.name)

        self._open(GroupDialog(self._context, group, self), done)

    def edit_teachers(self) -> None:
        group = self.selected()
        if group is None or not self.can_assign:
            return
        self._open(
            TeachersDialog(self._context, group, self),
            lambda _d: _("The teachers of {name} were saved.").format(name=group.name),
        )

    def toggle_archived(self) -> None:
        group = self.selected()
        if group is None:
            return
        archive = not group.archived
        if archive:
            title = _("Archive")
            text = _(
                "Archive the group {name}? It stays on the cases opened in it; it takes no "
                "new learners. Its members keep it among their earlier groups."
            ).format(name=group.name)
        else:
            title = _("Restore")
            text = _("Restore the group {name}? It takes learners again.").format(name=group.name)
        self.confirm_box = confirm(
            self, title, text, title, lambda: self.set_archived(group, archive)
        )

    def set_archived(self, group: GroupInfo, archived: bool) -> None:
        self.confirm_box = None
        try:
            learners.archive_group(self._context.db, self._context.actor, group.id, archived)
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        if archived:
            self.show_archived.setChecked(True)
        self._screen.refresh()
        self.select_group(group.name)
        self.show_done(
            (
                _("The group {name} was archived.")
                if archived
                else _("The group {name} was restored.")
            ).format(name=group.name)
        )

    def show_members(self) -> None:
        group = self.selected()
        if group is None:
            return
        self._screen.show_group(group)
