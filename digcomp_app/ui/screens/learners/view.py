"""The school's roster: learners (find, add, change, move, deactivate, give accounts) and
their groups (create, rename, archive, teachers). Coordinators and administrators."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_list, ngettext
from digcomp_app.services import accounts, consent, learners, organisations, privacy
from digcomp_app.services.accounts import AccountsCreated
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import GroupInfo, LearnerRecord, LearnerSummary
from digcomp_app.services.permissions import Role, allowed
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import ERROR_STYLE, ServiceDialog
from digcomp_app.ui.screens.learners.dialogs import (
    GroupDialog,
    LearnerDialog,
    MoveDialog,
    TeachersDialog,
    birth_text,
)
from digcomp_app.ui.screens.learners.privacy import (
    ConsentsDialog,
    EraseDialog,
    RetentionDialog,
    consent_lines,
    is_erased,
    shown_name,
)
from digcomp_app.ui.slips_dialog import SlipsDialog
from digcomp_app.ui.tasks import TaskHandle, run_task
from digcomp_app.ui.widgets import record_table

try:  # the roster import wizard (written separately; may be missing)
    from digcomp_app.ui.screens.rosters.wizard import open_import_wizard
except ImportError:  # pragma: no cover - depends on what is installed
    open_import_wizard = None  # type: ignore[assignment]

SURNAME, GIVEN, NUMBER, GROUP, ACCOUNT, ACTIVE = range(6)
G_NAME, G_YEAR, G_MEMBERS, G_TEACHERS, G_ARCHIVED = range(5)
_ID = Qt.ItemDataRole.UserRole
#: the group filter's first entry: every learner
ALL = 0
#: how long typing pauses before the list is searched (milliseconds)
SEARCH_DELAY_MS = 150
SEARCH_LIMIT = 500


def _plain(text: str) -> str:
    return text.replace("&", "").rstrip("…").strip()


def _name_buttons(buttons: Sequence[QPushButton]) -> None:
    for button in buttons:
        button.setAccessibleName(_plain(button.text()))


class _Messages:
    """A message line under a tab's table (errors in red)."""

    message: QLabel
    _context: UiContext

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self._context.notify(text)


def confirm(
    parent: QWidget, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """A question that does not block: ``on_yes`` runs when the person agrees."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.yes_button = yes  # type: ignore[attr-defined]  # for the keyboard and tests

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(lambda _code: finished())
    box.open()
    return box


# --- learners --------------------------------------------------------------------------


class LearnersTab(QWidget, _Messages):
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
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # names always read whole; a long group name gives way (shortened, whole in its
        # tooltip) when a larger text size leaves no room
        header.setSectionResizeMode(GROUP, QHeaderView.ResizeMode.Stretch)
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
        grid = QGridLayout()
        for index, button in enumerate(self._buttons()):
            grid.addWidget(button, index // 3, index % 3)
        grid.setColumnStretch(3, 1)
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
        item.setData(_ID, ALL)
        self.filter.addItem(item)
        for group in self.groups:
            if group.archived and not self.show_archived.isChecked():
                continue
            text = group.name
            if group.archived:
                text = _("{group} (archived)").format(group=group.name)
            item = QListWidgetItem(text)
            item.setData(_ID, group.id)
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
        value = item.data(_ID) if item is not None else ALL
        return None if value == ALL else value

    def shown_group(self) -> GroupInfo | None:
        group_id = self.group_id()
        return next((g for g in self.groups if g.id == group_id), None)

    def select_group(self, group_id: int | None, quiet: bool = False) -> bool:
        wanted = ALL if group_id is None else group_id
        for row in range(self.filter.count()):
            if self.filter.item(row).data(_ID) == wanted:
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
                item.setData(_ID, learner.id)
                if column == GROUP:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        for row, learner in enumerate(found):
            if learner.id in chosen:
                self._add_row(row)
        self.table.blockSignals(False)
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
        ids = [self.table.item(row, SURNAME).data(_ID) for row in rows]
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
        _name_buttons(self._buttons())

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

    # --- data protection --------------------------------------------------------------

    def _open_privacy(self, dialog: QDialog, done: Callable[[QDialog, int], None]) -> None:
        self.message.clear()
        self.privacy_dialog = dialog
        dialog.setModal(True)

        def finished(code: int) -> None:
            self.privacy_dialog = None
            done(dialog, code)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def open_consents(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_record_consent:
            return
        self._open_privacy(
            ConsentsDialog(self._context, chosen[0], self), lambda _d, _code: self._show_record()
        )

    def erase_learner(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_erase or is_erased(chosen[0]):
            return
        try:
            dialog = EraseDialog(self._context, chosen[0], self)
        except ServiceError as problem:
            self.show_error(str(problem))
            return

        def done(d: QDialog, code: int) -> None:
            if code != QDialog.DialogCode.Accepted:
                return
            result = d.result_value  # type: ignore[attr-defined]
            self.show_inactive.setChecked(True)
            self._screen.refresh()
            text = _(
                "The learner's personal data was erased; their attestations stay in the "
                "register as {pseudonym}."
            ).format(pseudonym=result.pseudonym)
            if not result.file_cleaned and self._context.db.backend == "sqlite":
                text += " " + _(
                    "The database file could not be cleaned now; close the app on other "
                    "computers and erase again, or run 'digcomp-app privacy compact'."
                )
            self.show_done(text)

        self._open_privacy(dialog, done)

    def open_retention(self) -> None:
        if not self.can_retain:
            return

        def done(d: QDialog, _code: int) -> None:
            if d.result_value is not None:  # type: ignore[attr-defined]
                self._screen.refresh()

        self._open_privacy(RetentionDialog(self._context, self), done)

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

    def _open(self, dialog: ServiceDialog, done: Callable[[ServiceDialog], str]) -> None:
        self.message.clear()
        self.dialog = dialog
        dialog.setModal(True)

        def finished(code: int) -> None:
            self.dialog = None
            if code == QDialog.DialogCode.Accepted:
                text = done(dialog)
                self._screen.refresh()
                self.show_done(text)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def _keeps_birth_dates(self) -> bool:
        try:
            home = organisations.get_home(self._context.db, self._context.actor)
        except ServiceError:
            return False
        return home is not None and home.keep_birth_date

    def new_learner(self) -> None:
        dialog = LearnerDialog(
            self._context,
            self.groups,
            self._keeps_birth_dates(),
            group_id=self.group_id(),
            parent=self,
        )

        def done(d: ServiceDialog) -> str:
            learner: LearnerSummary = d.result_value  # type: ignore[assignment]
            self.search.clear()
            return _("{name} was added.").format(name=learner.full_name)

        self._open(dialog, done)

    def edit_learner(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_edit:
            return
        dialog = LearnerDialog(
            self._context, self.groups, self._keeps_birth_dates(), chosen[0], parent=self
        )
        self._open(
            dialog,
            lambda d: _("The details of {name} were saved.").format(
                name=d.result_value.full_name  # type: ignore[attr-defined]
            ),
        )

    def move_learners(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        self._open(
            MoveDialog(self._context, chosen, self.groups, self),
            lambda d: ngettext(
                "{count} learner moved.",
                "{count} learners moved.",
                d.result_value,  # type: ignore[arg-type]
            ).format(count=d.result_value),
        )

    def toggle_active(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        activate = all(not learner.active for learner in chosen)
        names = format_list([learner.full_name for learner in chosen[:5]])
        if len(chosen) > 5:
            names = _("{names} and {count} more").format(names=names, count=len(chosen) - 5)
        if activate:
            title = _("Reactivate")
            text = _(
                "Reactivate {names}? They appear in the lists again and their account (if "
                "they have one) can sign in again."
            ).format(names=names)
        else:
            title = _("Deactivate")
            text = _(
                "Deactivate {names}? Their records (cases, self-assessments, certificates) are "
                "kept; their account, if they have one, stops working."
            ).format(names=names)
        self.confirm_box = confirm(
            self, title, text, title, lambda: self.set_active(chosen, activate)
        )

    def set_active(self, chosen: Sequence[LearnerSummary], active: bool) -> None:
        self.confirm_box = None
        try:
            for learner in chosen:
                learners.set_active(self._context.db, self._context.actor, learner.id, active)
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        self._screen.refresh()
        count = len(chosen)
        self.show_done(
            (
                ngettext(
                    "{count} learner is active again.", "{count} learners are active again.", count
                )
                if active
                else ngettext(
                    "{count} learner was deactivated; their records are kept.",
                    "{count} learners were deactivated; their records are kept.",
                    count,
                )
            ).format(count=count)
        )

    def create_accounts(self) -> None:
        chosen = self.selected() or (self.learners if self.group_id() is not None else [])
        if not chosen or not self.can_make_accounts:
            return
        without = [learner for learner in chosen if not learner.has_account]
        group = self.shown_group()
        if not self.selected() and group is not None:
            text = _(
                "Create accounts with one-time passwords for the {count} learners of {group} "
                "who have none?"
            ).format(count=len(without), group=group.name)
        else:
            text = ngettext(
                "Create an account with a one-time password for {count} learner?",
                "Create accounts with one-time passwords for {count} learners?",
                len(without),
            ).format(count=len(without))
        text += " " + _(
            "Learners who already have an account are skipped. You then save the sign-in "
            "slips: the passwords are printed only there."
        )
        ids = [learner.id for learner in chosen]
        self.confirm_box = confirm(
            self, _("Create accounts"), text, _("Create accounts"), lambda: self.run_accounts(ids)
        )

    def run_accounts(self, learner_ids: Sequence[int]) -> TaskHandle:
        """Make the accounts in the background (each password is hashed), then show them."""
        self.confirm_box = None
        db, actor = self._context.db, self._context.actor
        ids = list(learner_ids)

        def work(report, cancelled) -> AccountsCreated:  # type: ignore[no-untyped-def]
            report(0, 0, _("Creating {count} accounts…").format(count=len(ids)))
            return accounts.create_learner_accounts(db, actor, ids)

        def done(result: AccountsCreated) -> None:
            self.task = None
            self._screen.refresh()
            self.show_done(
                ngettext(
                    "{count} account was created.",
                    "{count} accounts were created.",
                    len(result.created),
                ).format(count=len(result.created))
            )
            self.show_slips(result.created, result.skipped)

        self.task = run_task(self, _("Create accounts"), work, done)
        self.task.done.connect(lambda: setattr(self, "task", None))
        return self.task

    def show_slips(self, credentials, skipped=()) -> SlipsDialog:  # type: ignore[no-untyped-def]
        dialog = SlipsDialog(self, self._context, credentials, skipped)
        dialog.setModal(True)
        self.slips = dialog

        def finished(_code: int) -> None:
            self.slips = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def export_data(self) -> None:
        """Ask where to save the chosen learner's data export, then write it."""
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_export:
            return
        learner = chosen[0]
        suggested = _("learner-data-{number}.zip").format(
            number=_file_name_part(learner.learner_number or str(learner.id))
        )
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export {name}'s data").format(name=learner.full_name),
            suggested,
            _("Zip archives (*.zip)"),
        )
        if path:
            self.run_export(learner.id, path)

    def run_export(self, learner_id: int, path: str) -> TaskHandle:
        """Write one learner's data export to ``path`` in the background."""
        db, actor = self._context.db, self._context.actor
        if not path.lower().endswith(".zip"):
            path += ".zip"

        def work(report, cancelled) -> privacy.ExportSummary:  # type: ignore[no-untyped-def]
            report(0, 0, _("Exporting the learner's data…"))
            return privacy.save_learner_export(db, actor, learner_id, path, report, cancelled)

        def done(summary: privacy.ExportSummary) -> None:
            self.show_done(
                _(
                    "Data export saved to {path}: {cases} case(s), {files} evidence file(s), "
                    "{certificates} attestation(s)."
                ).format(
                    path=path,
                    cases=summary.cases,
                    files=summary.evidence_files,
                    certificates=summary.certificates,
                )
            )

        self.task = run_task(self, _("Export data"), work, done)
        self.task.done.connect(lambda: setattr(self, "task", None))
        return self.task

    def import_learners(self) -> None:
        if open_import_wizard is None:
            return
        if open_import_wizard(self, self._context, "learners"):
            self._screen.refresh()


def _file_name_part(text: str) -> str:
    """A learner number made fit for a suggested file name."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:50] or "learner"


def record_html(record: LearnerRecord, consents: Sequence[str] = ()) -> str:
    """One learner's record as a few lines of rich text."""
    from html import escape

    learner = record.learner
    past = [name for name in record.past_groups if name not in record.groups]
    rows = [
        (_("Learner number"), learner.learner_number or "—"),
        (_("Groups"), ", ".join(record.groups) or _("none")),
        (_("Earlier groups"), ", ".join(past) or _("none")),
        (_("E-mail"), record.email or "—"),
    ]
    if learner.date_of_birth is not None:
        rows.append((_("Date of birth"), birth_text(learner.date_of_birth)))
    rows += [
        (_("User name"), record.username or _("no account")),
        (_("Active"), _("yes") if learner.active else _("no, deactivated")),
        (_("Cases"), str(len(record.case_ids))),
        (_("Self-assessments"), str(len(record.self_assessment_ids))),
        (_("Mobilities"), str(len(record.mobility_ids))),
        (_("Certificates"), ", ".join(record.certificate_serials) or _("none")),
    ]
    if not is_erased(learner):
        rows.append((_("Consents"), "; ".join(consents) or _("none recorded")))
    lines = "".join(f"<p><b>{escape(k)}:</b> {escape(v)}</p>" for k, v in rows)
    return f"<h3>{escape(shown_name(learner))}</h3>{lines}"


# --- groups ------------------------------------------------------------------------------


class GroupsTab(QWidget, _Messages):
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
                item.setData(_ID, group.id)
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
        group_id = self.table.item(rows[0].row(), G_NAME).data(_ID)
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
        _name_buttons(self._buttons())

    def _open(self, dialog: ServiceDialog, done: Callable[[ServiceDialog], str]) -> None:
        self.message.clear()
        self.dialog = dialog
        dialog.setModal(True)

        def finished(code: int) -> None:
            self.dialog = None
            if code == QDialog.DialogCode.Accepted:
                text = done(dialog)
                self._screen.refresh()
                self.show_done(text)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

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


# --- the screen --------------------------------------------------------------------------


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
