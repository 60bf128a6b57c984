"""The users screen: every account, with its roles, and what an administrator does to it."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import accounts
from digcomp_app.services.accounts import UserInfo
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.users.common import (
    ERROR_STYLE,
    ServiceDialog,
    locked_text,
    locked_until,
    roles_text,
)
from digcomp_app.ui.screens.users.dialogs import AddUserDialog, PasswordDialog, RolesDialog
from digcomp_app.ui.widgets import record_table

USERNAME, NAME, ROLES, ACTIVE, LOCKED = range(5)
_ID_ROLE = Qt.ItemDataRole.UserRole


class UsersScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.users: list[UserInfo] = []
        #: the dialog open now (None when none is), for the keyboard and for tests
        self.dialog: ServiceDialog | None = None

        self.heading = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table_label = QLabel()
        self.table = record_table(5)
        self.table.setAlternatingRowColors(True)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(NAME, QHeaderView.ResizeMode.Stretch)
        self.table_label.setBuddy(self.table)

        self.add_button = QPushButton()
        self.roles_button = QPushButton()
        self.active_button = QPushButton()
        self.password_button = QPushButton()
        self.unlock_button = QPushButton()
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QHBoxLayout()
        for button in self._buttons():
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.intro)
        layout.addWidget(self.table_label)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        previous: QWidget = self.table
        for button in self._buttons():
            self.setTabOrder(previous, button)
            previous = button

        self.table.itemSelectionChanged.connect(self._update_buttons)
        self.table.itemActivated.connect(lambda _item: self.change_roles())
        self.add_button.clicked.connect(self.add_user)
        self.roles_button.clicked.connect(self.change_roles)
        self.active_button.clicked.connect(self.toggle_active)
        self.password_button.clicked.connect(self.reset_password)
        self.unlock_button.clicked.connect(self.unlock)
        self.retranslate()

    def _buttons(self) -> list[QPushButton]:
        return [
            self.add_button,
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
        self.roles_button.setText(_("Change &roles…"))
        self.password_button.setText(_("Reset &password…"))
        self.unlock_button.setText(_("Un&lock"))
        self.message.setAccessibleName(_("Message"))
        self._update_buttons()
        if self.users:
            self._fill(self.users)
        if self.dialog is not None:
            self.dialog.retranslate()

    def refresh(self) -> None:
        try:
            users = accounts.list_users(self._context.db, self._context.actor)
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        self._fill(users)

    def _fill(self, users: list[UserInfo]) -> None:
        selected = self.selected_user()
        self.users = users
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
                self.table.setItem(row, column, item)
        if selected is not None:
            self.select_user(selected.username)
        self._update_buttons()

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

    def reset_password(self) -> None:
        user = self.selected_user()
        if user is None:
            return
        self.message.clear()
        self._open(
            PasswordDialog(self._context, user, self),
            lambda _d: _("{user} has a new password.").format(user=user.username),
        )

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
