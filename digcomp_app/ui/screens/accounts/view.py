"""The users screen: every account, with its roles, and what an administrator does to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, ngettext
from digcomp_app.services import accounts
from digcomp_app.services.accounts import UserInfo, UserPage
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import (
    ERROR_STYLE,
    ServiceDialog,
    locked_text,
    locked_until,
    roles_text,
)
from digcomp_app.ui.screens.accounts.dialogs import (
    AddUserDialog,
    PasswordDialog,
    RolesDialog,
    StaffDialog,
)
from digcomp_app.ui.search_box import SearchPacer
from digcomp_app.ui.slips_dialog import SlipsDialog
from digcomp_app.ui.widgets import record_table

USERNAME, NAME, ROLES, ACTIVE, LOCKED = range(5)
_ID_ROLE = Qt.ItemDataRole.UserRole


class UsersScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.users: list[UserInfo] = []
        #: how many accounts the last search found (more than shown when it says so)
        self.found = 0
        #: the dialog open now (None when none is), for the keyboard and for tests
        self.dialog: ServiceDialog | None = None
        #: the sign-in slips of the passwords just made (None when not open)
        self.slips: SlipsDialog | None = None

        self.heading = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table_label = QLabel()
        self.table = record_table(5)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # user names whole; a long display name is cut with "…" (its tooltip is whole)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.table.setWordWrap(False)
        self.table_label.setBuddy(self.table)
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.count = QLabel()
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.hide()

        self.add_button = QPushButton()
        self.staff_button = QPushButton()
        self.import_button = QPushButton()
        self.roles_button = QPushButton()
        self.active_button = QPushButton()
        self.password_button = QPushButton()
        self.unlock_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QGridLayout()
        for index, button in enumerate(self._buttons()):
            buttons.addWidget(button, index // 4, index % 4)
        buttons.setColumnStretch(4, 1)
        top = QHBoxLayout()
        top.addWidget(self.table_label)
        top.addStretch(1)
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.count)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.empty)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        self.setTabOrder(self.search, self.table)
        previous: QWidget = self.table
        for button in self._buttons():
            self.setTabOrder(previous, button)
            previous = button

        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.change_roles())
        self.add_button.clicked.connect(self.add_user)
        self.staff_button.clicked.connect(self.add_staff)
        self.import_button.clicked.connect(self.import_staff)
        self.pacer = SearchPacer(self.search, self.refresh)
        self.roles_button.clicked.connect(self.change_roles)
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock)
        self.retranslate()

    def _buttons(self) -> list[QPushButton]:
        return [
            self.add_button,
            self.staff_button,
            self.import_button,
            self.roles_button,
            self.active_button,
            self.password_button,
            self.unlock_button,
        ]

    # --- texts and data ---------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + _("Users and roles") + "</h2>")
        self.intro.setText(
            _(
                "Everyone who signs in has an account here. Choose an account in the table, "
                "then change its roles, deactivate it (it can no longer sign in, its work "
                "stays), set a new password or lift a lock after too many wrong passwords."
            )
        )
        self.table_label.setText(_("&Accounts:"))
        self.table.setAccessibleName(_("Accounts"))
        self.table.setHorizontalHeaderLabels(
            [_("User name"), _("Name"), _("Roles"), _("Active"), _("Locked")]
        )
        self.add_button.setText(_("&New user…"))
        self.staff_button.setText(_("New &staff member…"))
        self.import_button.setText(_("&Import staff…"))
        self.import_button.setToolTip(
            _("Teachers and coordinators from a CSV, XLSX or ODS file, with sign-in slips")
        )
        self.search_label.setText(_("Fin&d:"))
        self.search.setPlaceholderText(_("user name, name or role"))
        self.search.setAccessibleName(_("Find an account by user name, name or role"))
        self.count.setAccessibleName(_("Accounts found"))
        self.empty.setAccessibleName(_("Account list note"))
        self.roles_button.setText(_("Change &roles…"))
        self.password_button.setText(_("Reset &password…"))
        self.unlock_button.setText(_("Un&lock"))
        self.message.setAccessibleName(_("Message"))
        self._update_buttons()
        if self.users or self.found:
            self._fill(UserPage(tuple(self.users), self.found))
        if self.dialog is not None:
            self.dialog.retranslate()
        if self.slips is not None:
            self.slips.retranslate()

    def refresh(self) -> None:
        """Search the accounts for what the search box holds (all when empty)."""
        text = self.search.text()
        try:
            page = accounts.search_users(self._context.db, self._context.actor, text)
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        if not text.strip():
            self.pacer.total = page.total
        self._fill(page)

    def _fill(self, page: UserPage) -> None:
        selected = self.selected_user()
        users = list(page.users)
        self.users, self.found = users, page.total
        self.table.setSortingEnabled(False)
        self.table.setRowCount(len(users))
        for row, user in enumerate(users):
            values = {
                USERNAME: user.username,
                NAME: user.display_name,
                ROLES: roles_text(user),
                ACTIVE: _("yes") if user.active else _("no"),
                LOCKED: locked_text(user),
            }
            for column, text in values.items():
                item = QTableWidgetItem(text)
                item.setData(_ID_ROLE, user.id)
                if column == NAME:
                    item.setToolTip(text)
                self.table.setItem(row, column, item)
        self.table.clearSelection()
        if selected is not None:
            self.select_user(selected.username)
        self._show_count()
        self._update_buttons()

    def _show_count(self) -> None:
        shown, text = len(self.users), self.search.text().strip()
        if shown < self.found:
            count = _("the first {shown} of {total}").format(shown=shown, total=self.found)
        else:
            count = ngettext("{count} account", "{count} accounts", shown).format(count=shown)
        self.count.setText(count)
        if text and not shown:
            self.empty.setText(
                _(
                    'No account matches "{text}". Check the spelling (accents do not matter) '
                    "or clear the search."
                ).format(text=text)
            )
        elif shown < self.found:
            self.empty.setText(
                _(
                    "Only the first {shown} accounts are listed; type more to narrow the search."
                ).format(shown=shown)
            )
        else:
            self.empty.clear()
        self.empty.setVisible(bool(self.empty.text()))

    def shown_usernames(self) -> list[str]:
        """The user names the table shows, in order (for tests and checks)."""
        return [self.table.item(row, USERNAME).text() for row in range(self.table.rowCount())]

    def row_texts(self, username: str) -> list[str]:
        """The cells of ``username``'s row as shown (for tests and checks)."""
        for row in range(self.table.rowCount()):
            if self.table.item(row, USERNAME).text() == username:
                return [self.table.item(row, c).text() for c in range(self.table.columnCount())]
        raise LookupError(username)

    def select_user(self, username: str) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, USERNAME).text() == username:
                self.table.selectRow(row)
                self.table.scrollToItem(self.table.item(row, USERNAME))
                return True
        return False

    def selected_user(self) -> UserInfo | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        user_id = self.table.item(rows[0].row(), USERNAME).data(_ID_ROLE)
        return next((u for u in self.users if u.id == user_id), None)

    def _update_buttons(self) -> None:
        user = self.selected_user()
        for button in (self.roles_button, self.active_button, self.password_button):
            button.setEnabled(user is not None)
        self.unlock_button.setEnabled(user is not None and locked_until(user) is not None)
        if user is not None and not user.active:
            self.active_button.setText(_("Ac&tivate"))
        else:
            self.active_button.setText(_("&Deactivate"))
        self.add_button.setText(_("&New user…"))
        for button in self._buttons():
            button.setAccessibleName(button.text().replace("&", "").rstrip("…"))

    # --- messages -----------------------------------------------------------------

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self._context.notify(text)

    # --- actions ------------------------------------------------------------------

    def _open(self, dialog: ServiceDialog, done_text: Callable[[ServiceDialog], str]) -> None:
        self.dialog = dialog
        dialog.setModal(True)

        def finished(code: int) -> None:
            self.dialog = None
            if code == QDialog.DialogCode.Accepted:
                self.refresh()
                self.show_done(done_text(dialog))
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def add_user(self) -> None:
        self.message.clear()

        def done(dialog: ServiceDialog) -> str:
            user: UserInfo = dialog.result_value  # type: ignore[assignment]
            self.select_user(user.username)
            return _("The account {user} was added.").format(user=user.username)

        self._open(AddUserDialog(self._context, self), done)

    def change_roles(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self.message.clear()
        self._open(
            RolesDialog(self._context, user, self),
            lambda d: _("The roles of {user} are now: {roles}.").format(
                user=user.username, roles=roles_text(d.result_value)
            ),
        )

    def add_staff(self) -> None:
        self.message.clear()

        def done(dialog: ServiceDialog) -> str:
            credential = dialog.result_value
            self.select_user(credential.username)  # type: ignore[attr-defined]
            self.show_slips([credential])
            return _("The account {user} was added; save its sign-in slip.").format(
                user=credential.username  # type: ignore[attr-defined]
            )

        self._open(StaffDialog(self._context, self), done)

    def import_staff(self) -> None:
        """The import wizard for a staff file; the new accounts' slips are offered there."""
        from digcomp_app.ui.screens.rosters.wizard import open_import_wizard

        if open_import_wizard(self, self._context, "staff"):
            self.refresh()

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self.message.clear()

        def done(dialog: ServiceDialog) -> str:
            self.show_slips([dialog.result_value])
            return _("{user} has a new one-time password; save its sign-in slip.").format(
                user=user.username
            )

        self._open(PasswordDialog(self._context, user, self), done)

    def show_slips(self, credentials: list) -> SlipsDialog:  # type: ignore[type-arg]
        """The sign-in slips of passwords just made (they are shown nowhere else)."""
        dialog = SlipsDialog(self, self._context, credentials)
        dialog.setModal(True)
        self.slips = dialog

        def finished(_code: int) -> None:
            self.slips = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self._call(
            lambda: accounts.set_active(
                self._context.db, self._context.actor, user.id, not user.active
            ),
            _("{user} can sign in again.").format(user=user.username)
            if not user.active
            else _("{user} can no longer sign in. Their work is kept.").format(user=user.username),
        )

    def unlock(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self._call(
            lambda: accounts.unlock(self._context.db, self._context.actor, user.id),
            _("{user} can sign in again.").format(user=user.username),
        )

    def _call(self, action: Callable[[], object], done_text: str) -> None:
        self.message.clear()
        try:
            action()
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        self.refresh()
        self.show_done(done_text)
