"""The school's roster: learners (find, add, change, move, deactivate, give accounts) and
their groups (create, rename, archive, teachers). Coordinators and administrators.

The tabs: :mod:`.learners_tab` and :mod:`.groups_tab`."""

from __future__ import annotations

from PySide6.QtWidgets import QLabel, QTabWidget, QVBoxLayout, QWidget

from digcomp_app.i18n import _
from digcomp_app.services import learners
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import GroupInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.learners.groups_tab import GroupsTab
from digcomp_app.ui.screens.learners.learners_tab import LearnersTab


class LearnersScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.all_groups: list[GroupInfo] = []
        self.heading = QLabel()
        self.tabs = QTabWidget()
        self.learners_tab = LearnersTab(context, self)
        self.groups_tab = GroupsTab(context, self)
        self.tabs.addTab(self.learners_tab, "")
        self.tabs.addTab(self.groups_tab, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.tabs, 1)
        self.retranslate()

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + _("Learners and groups") + "</h2>")
        self.tabs.setTabText(0, _("Learners"))
        self.tabs.setTabText(1, _("Groups"))
        self.learners_tab.retranslate()
        self.groups_tab.retranslate()

    def refresh(self) -> None:
        try:
            self.all_groups = learners.list_groups(
                self._context.db, self._context.actor, include_archived=True
            )
        except ServiceError as problem:
            self.learners_tab.show_error(str(problem))
            return
        self.groups_tab._fill(self.all_groups)
        self.learners_tab.groups = self.all_groups
        self.learners_tab._fill_filter()
        self.learners_tab.refresh_list()

    def show_group(self, group: GroupInfo) -> None:
        """The learners tab, showing one group's learners."""
        tab = self.learners_tab
        if group.archived:
            tab.show_archived.setChecked(True)
        tab.search.clear()
        tab.select_group(group.id)
        tab.refresh_list()
        self.tabs.setCurrentWidget(tab)
