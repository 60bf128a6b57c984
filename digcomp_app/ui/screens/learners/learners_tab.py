"""The learners tab: the group filter, the search, the table of learners and one learner's
record; the changes are in :mod:`.learner_actions` and :mod:`.privacy_actions`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, ngettext
from digcomp_app.services import consent, learners
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import GroupInfo, LearnerSummary
from digcomp_app.services.permissions import Role, allowed
from digcomp_app.ui.button_grid import ButtonGrid
from digcomp_app.ui.column_fit import ColumnFit
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import ServiceDialog
from digcomp_app.ui.screens.learners.common import ITEM_ID, Tab, name_buttons
from digcomp_app.ui.screens.learners.learner_actions import LearnerActions
from digcomp_app.ui.screens.learners.privacy import consent_lines, is_erased
from digcomp_app.ui.screens.learners.privacy_actions import PrivacyActions
from digcomp_app.ui.screens.learners.record import record_html
from digcomp_app.ui.slips_dialog import SlipsDialog
from digcomp_app.ui.tasks import TaskHandle
from digcomp_app.ui.widgets import record_table

try:  # the roster import wizard (written separately; may be missing)
    from digcomp_app.ui.screens.rosters.wizard import open_import_wizard
except ImportError:  # pragma: no cover - depends on what is installed
    open_import_wizard = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from digcomp_app.ui.screens.learners.view import LearnersScreen


SURNAME, GIVEN, NUMBER, GROUP, ACCOUNT, ACTIVE = range(6)
#: the group filter's first entry: every learner
ALL = 0
#: how long typing pauses before the list is searched (milliseconds)
SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 500


class LearnersTab(QWidget, Tab, LearnerActions, PrivacyActions):
    def __init__(self, context: UiContext, screen: LearnersScreen) -> None:
        super().__init__()
        self._context = context
        self._screen = screen
        self.learners: list[LearnerSummary] = []
        self.groups: list[GroupInfo] = []
        self.dialog: ServiceDialog | None = None
        self.slips: SlipsDialog | None = None
        self.confirm_box: QMessageBox | None = None
        self.task: TaskHandle | None = None
        self.can_edit = allowed(context.actor, "learners.create")
        self.can_make_accounts = allowed(context.actor, "accounts.create_learner_accounts")
        # the school answers access requests: administrators and coordinators export
        self.can_export = allowed(context.actor, "privacy.save_learner_export") and bool(
            context.actor
            and (context.actor.has(Role.ADMINISTRATOR) or context.actor.has(Role.COORDINATOR))
        )
        # erasure and retention: administrators; consent records: coordinators and them
        self.can_erase = allowed(context.actor, "privacy.erase_learner")
        self.can_retain = allowed(context.actor, "privacy.apply_retention")
        self.can_record_consent = allowed(context.actor, "privacy.record_consent")
        self.can_read_consents = allowed(context.actor, "privacy.list_consents")
        self.privacy_dialog: QDialog | None = None

        # the filter: groups on the left
        self.filter_label = QLabel()
        self.filter = QListWidget()
        self.filter_label.setBuddy(self.filter)
        self.show_archived = QCheckBox()
        self.show_inactive = QCheckBox()
        left = QVBoxLayout()
        left.addWidget(self.filter_label)
        left.addWidget(self.filter, 1)
        left.addWidget(self.show_archived)
        left.addWidget(self.show_inactive)

        # the search box and the table
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.count = QLabel()
        search_row = QHBoxLayout()
        search_row.addWidget(self.search_label)
        search_row.addWidget(self.search, 1)
        search_row.addWidget(self.count)
        self.table = record_table(6)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setAlternatingRowColors(True)
        # names and numbers always read whole; a long group name gives way (shortened,
        # whole in its tooltip) when a larger text size leaves no room: no sideways scrolling
        self.columns = ColumnFit(
            self.table,
            whole=(SURNAME, GIVEN, NUMBER, ACCOUNT, ACTIVE),
            giving=(GROUP,),
            least={GROUP: 6},
        )
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)

        self.new_button = QPushButton()
        self.edit_button = QPushButton()
        self.active_button = QPushButton()
        self.move_button = QPushButton()
        self.accounts_button = QPushButton()
        self.import_button = QPushButton()
        self.import_button.setVisible(open_import_wizard is not None and self.can_edit)
        self.export_button = QPushButton()
        self.export_button.setVisible(self.can_export)
        self.consents_button = QPushButton()
        self.consents_button.setVisible(self.can_record_consent)
        self.erase_button = QPushButton()
        self.erase_button.setVisible(self.can_erase)
        self.retention_button = QPushButton()
        self.retention_button.setVisible(self.can_retain)
        # three to a row; fewer when a larger text size leaves no room for three
        grid = ButtonGrid(3)
        for button in self._buttons():
            grid.add(button)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        middle = QVBoxLayout()
        middle.addLayout(search_row)
        middle.addWidget(self.table, 1)
        middle.addLayout(grid)
        middle.addWidget(self.message)

        # one learner's record on the right
        self.details_title = QLabel()
        self.details = QLabel()
        self.details.setWordWrap(True)
        self.details.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        self.details.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.details.setTextFormat(Qt.TextFormat.RichText)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.details)
        scroll.setMinimumWidth(200)
        right = QVBoxLayout()
        right.addWidget(self.details_title)
        right.addWidget(scroll, 1)

        layout = QHBoxLayout(self)
        layout.addLayout(left, 2)
        layout.addLayout(middle, 7)
        layout.addLayout(right, 3)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(self.refresh_list)
        self.search.textChanged.connect(lambda _text: self._timer.start())
        self.search.returnPressed.connect(self.refresh_list)
        self.filter.currentRowChanged.connect(lambda _row: self.refresh_list())
        self.show_archived.toggled.connect(self._archived_toggled)
        self.show_inactive.toggled.connect(lambda _on: self.refresh_list())
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemActivated.connect(lambda _item: self.edit_learner())
        self.table.customContextMenuRequested.connect(self._context_menu)
        self.new_button.clicked.connect(self.new_learner)
        self.edit_button.clicked.connect(self.edit_learner)
        self.active_button.clicked.connect(self.toggle_active)
        self.move_button.clicked.connect(self.move_learners)
        self.accounts_button.clicked.connect(self.create_accounts)
        self.import_button.clicked.connect(self.import_learners)
        self.export_button.clicked.connect(self.export_data)
        self.consents_button.clicked.connect(self.open_consents)
        self.erase_button.clicked.connect(self.erase_learner)
        self.retention_button.clicked.connect(self.open_retention)
        self.retranslate()

    def _buttons(self) -> list[QPushButton]:
        return [
            self.new_button,
            self.edit_button,
            self.active_button,
            self.move_button,
            self.accounts_button,
            self.import_button,
            self.export_button,
            self.consents_button,
            self.retention_button,  # under the widest column's buttons: no wider screen
            self.erase_button,
        ]

    # --- texts --------------------------------------------------------------------

    def retranslate(self) -> None:
        self.filter_label.setText(_("&Groups:"))
        self.filter.setAccessibleName(_("Show the learners of"))
        self.show_archived.setText(_("Show a&rchived groups"))
        self.show_inactive.setText(_("Show &inactive learners"))
        self.search_label.setText(_("Fin&d:"))
        self.search.setPlaceholderText(_("name or learner number"))
        self.search.setAccessibleName(_("Find a learner by name or learner number"))
        self.table.setAccessibleName(_("Learners"))
        self.table.setHorizontalHeaderLabels(
            [
                _("Surname"),
                _("First names"),
                _("Learner number"),
                _("Group"),
                _("Account"),
                _("Active"),
            ]
        )
        self.new_button.setText(_("&New learner…"))
        self.edit_button.setText(_("&Edit…"))
        self.move_button.setText(_("&Move to group…"))
        self.accounts_button.setText(_("Create &accounts…"))
        self.import_button.setText(_("Im&port learners…"))
        self.export_button.setText(_("E&xport data…"))
        self.export_button.setToolTip(
            _(
                "Everything the app holds about the chosen learner, with their evidence "
                "files, in one zip: for an access request under the GDPR."
            )
        )
        self.consents_button.setText(_("Co&nsents…"))
        self.consents_button.setToolTip(
            _("The consents given for the chosen learner (photos, sharing, publication).")
        )
        self.erase_button.setText(_("E&rase data…"))
        self.erase_button.setToolTip(
            _(
                "Erase the chosen learner's personal data for good (a request under the GDPR); "
                "their attestations stay verifiable under a pseudonym."
            )
        )
        self.retention_button.setText(_("Re&tention rules…"))
        self.retention_button.setToolTip(
            _("How long evidence files and learners who left are kept, with a preview.")
        )
        self.accounts_button.setToolTip(
            _(
                "Accounts with one-time passwords for the chosen learners, or for everyone "
                "shown when none is chosen."
            )
            if self.can_make_accounts
            else _("Only an administrator creates accounts.")
        )
        self.details_title.setText("<b>" + _("Learner's record") + "</b>")
        self.message.setAccessibleName(_("Message"))
        self.details.setAccessibleName(_("Learner's record"))
        self._fill_filter()
        if self.learners:
            self._fill(self.learners)
        self._update()
        self._show_record()
        if self.dialog is not None:
            self.dialog.retranslate()
        if self.slips is not None:
            self.slips.retranslate()

    # --- data ---------------------------------------------------------------------

    def refresh(self) -> None:
        self._screen.refresh()

    def _archived_toggled(self, _on: bool) -> None:
        self._fill_filter()
        self.refresh_list()

    def _fill_filter(self) -> None:
        chosen = self.group_id()
        self.filter.blockSignals(True)
        self.filter.clear()
        item = QListWidgetItem(_("All learners"))
        item.setData(ITEM_ID, ALL)
        self.filter.addItem(item)
        for group in self.groups:
            if group.archived and not self.show_archived.isChecked():
                continue
            text = group.name
            if group.archived:
                text = _("{group} (archived)").format(group=group.name)
            item = QListWidgetItem(text)
            item.setData(ITEM_ID, group.id)
            item.setToolTip(
                ngettext("{count} member", "{count} members", group.member_count).format(
                    count=group.member_count
                )
            )
            self.filter.addItem(item)
        self.filter.blockSignals(False)
        self.select_group(chosen, quiet=True)

    def group_id(self) -> int | None:
        """The group whose learners are shown (None: everyone)."""
        item = self.filter.currentItem()
        value = item.data(ITEM_ID) if item is not None else ALL
        return None if value == ALL else value

    def shown_group(self) -> GroupInfo | None:
        group_id = self.group_id()
        return next((g for g in self.groups if g.id == group_id), None)

    def select_group(self, group_id: int | None, quiet: bool = False) -> bool:
        wanted = ALL if group_id is None else group_id
        for row in range(self.filter.count()):
            if self.filter.item(row).data(ITEM_ID) == wanted:
                self.filter.blockSignals(quiet)
                self.filter.setCurrentRow(row)
                self.filter.blockSignals(False)
                return True
        self.filter.blockSignals(quiet)
        self.filter.setCurrentRow(0)
        self.filter.blockSignals(False)
        return False

    def refresh_list(self) -> None:
        self._timer.stop()
        db, actor = self._context.db, self._context.actor
        fragment = self.search.text().strip()
        try:
            if fragment:
                found = learners.search(
                    db,
                    actor,
                    fragment,
                    limit=SEARCH_LIMIT,
                    group_id=self.group_id(),
                    include_inactive=self.show_inactive.isChecked(),
                )
            else:
                found = learners.list_learners(
                    db,
                    actor,
                    group_id=self.group_id(),
                    include_inactive=self.show_inactive.isChecked(),
                )
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        self._fill(found)

    def _fill(self, found: list[LearnerSummary]) -> None:
        chosen = {learner.id for learner in self.selected()}
        self.learners = found
        self.table.blockSignals(True)
        self.table.setSortingEnabled(False)
        self.table.clearSelection()
        self.table.setRowCount(len(found))
        for row, learner in enumerate(found):
            values = {
                SURNAME: learner.surname,
                GIVEN: learner.given_names,
                NUMBER: learner.learner_number,
                GROUP: ", ".join(learner.groups),
                ACCOUNT: _("yes") if learner.has_account else _("no"),
                ACTIVE: _("yes") if learner.active else _("no"),
            }
            for column, text in values.items():
                item = QTableWidgetItem(text)
                item.setData(ITEM_ID, learner.id)
                if column == GROUP:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        for row, learner in enumerate(found):
            if learner.id in chosen:
                self._add_row(row)
        self.table.blockSignals(False)
        self.columns.fit()
        limited = bool(self.search.text().strip()) and len(found) >= SEARCH_LIMIT
        self.count.setText(
            (
                _("the first {count}")
                if limited
                else ngettext("{count} learner", "{count} learners", len(found))
            ).format(count=len(found))
        )
        self._selection_changed()

    def _add_row(self, row: int) -> None:
        model = self.table.selectionModel()
        index = self.table.model().index(row, 0)
        model.select(
            index,
            model.SelectionFlag.Select | model.SelectionFlag.Rows,
        )

    def row_texts(self, learner_number_or_surname: str) -> list[str]:
        """The cells of the first row with that learner number (or surname), as shown."""
        for row in range(self.table.rowCount()):
            if learner_number_or_surname in (
                self.table.item(row, NUMBER).text(),
                self.table.item(row, SURNAME).text(),
            ):
                return [self.table.item(row, c).text() for c in range(self.table.columnCount())]
        raise LookupError(learner_number_or_surname)

    def shown_numbers(self) -> list[str]:
        return [self.table.item(row, NUMBER).text() for row in range(self.table.rowCount())]

    def select_learners(self, *learner_ids: int) -> int:
        """Select the rows of these learners; returns how many were found."""
        self.table.clearSelection()
        found = 0
        for row, learner in enumerate(self.learners):
            if learner.id in learner_ids:
                self._add_row(row)
                found += 1
        return found

    def selected(self) -> list[LearnerSummary]:
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        ids = [self.table.item(row, SURNAME).data(ITEM_ID) for row in rows]
        by_id = {learner.id: learner for learner in self.learners}
        return [by_id[i] for i in ids if i in by_id]

    def _selection_changed(self) -> None:
        self._update()
        self._show_record()

    def _update(self) -> None:
        chosen = self.selected()
        for button in (self.new_button, self.import_button):
            button.setEnabled(self.can_edit)
        self.edit_button.setEnabled(self.can_edit and len(chosen) == 1)
        self.move_button.setEnabled(self.can_edit and bool(chosen))
        self.active_button.setEnabled(self.can_edit and bool(chosen))
        if chosen and all(not learner.active for learner in chosen):
            self.active_button.setText(_("Reac&tivate"))
        else:
            self.active_button.setText(_("&Deactivate"))
        self.accounts_button.setEnabled(
            self.can_make_accounts and bool(chosen or (self.group_id() and self.learners))
        )
        self.export_button.setEnabled(self.can_export and len(chosen) == 1)
        one = chosen[0] if len(chosen) == 1 else None
        self.consents_button.setEnabled(
            self.can_record_consent and one is not None and not is_erased(one)
        )
        self.erase_button.setEnabled(self.can_erase and one is not None and not is_erased(one))
        self.retention_button.setEnabled(self.can_retain)
        name_buttons(self._buttons())

    # --- one learner's record -------------------------------------------------------

    def _show_record(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1:
            self.details.setText(
                _("Choose a learner to see their record.")
                if not chosen
                else ngettext(
                    "{count} learner chosen.", "{count} learners chosen.", len(chosen)
                ).format(count=len(chosen))
            )
            return
        try:
            record = learners.get_record(self._context.db, self._context.actor, chosen[0].id)
        except ServiceError as problem:
            self.details.setText(str(problem))
            return
        consents: list[str] = []
        if self.can_read_consents and not is_erased(record.learner):
            try:
                consents = consent_lines(
                    consent.list_consents(self._context.db, self._context.actor, record.learner.id)
                )
            except ServiceError:
                consents = []
        self.details.setText(record_html(record, consents))

    # --- actions ------------------------------------------------------------------

    def _context_menu(self, point: QPoint) -> None:
        menu = QMenu(self)
        for button in self._buttons():
            if not button.isVisible():
                continue
            action = QAction(button.text(), menu)
            action.setEnabled(button.isEnabled())
            action.triggered.connect(button.click)
            menu.addAction(action)
        self.menu = menu
        menu.popup(self.table.viewport().mapToGlobal(point))

    def import_learners(self) -> None:
        if open_import_wizard is None:
            return
        if open_import_wizard(self, self._context, "learners"):
            self._screen.refresh()
