"""What the users screen and its dialogs share: role labels, the lock state, dialog frame."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import (
    QCheckBox,
    QDialogButtonBox,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import N_, _, format_datetime
from digcomp_app.services.accounts import UserInfo
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens.home import role_names
from digcomp_app.ui.unsaved import GuardedDialog

#: check box labels, with mnemonics that do not clash inside the dialogs
ROLE_LABELS = {
    Role.LEARNER: N_("&Learner"),
    Role.TEACHER: N_("&Teacher"),
    Role.COORDINATOR: N_("&Coordinator"),
    Role.ADMINISTRATOR: N_("&Administrator"),
}
ERROR_STYLE = "color: #b00020;"


def locked_until(user: UserInfo, now: dt.datetime | None = None) -> dt.datetime | None:
    """When the account's lock ends, or None when it is not locked now."""
    value = user.locked_until
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)  # SQLite keeps UTC without a zone
    return value if value > (now or dt.datetime.now(dt.UTC)) else None


def locked_text(user: UserInfo) -> str:
    until = locked_until(user)
    if until is None:
        return ""
    return _("until {time}").format(time=format_datetime(until.astimezone(), "short"))


def roles_text(user: UserInfo) -> str:
    return role_names(user.roles)


class RoleBoxes(QWidget):
    """One check box per role."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[Role, QCheckBox] = {role: QCheckBox() for role in Role}
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for box in self.boxes.values():
            layout.addWidget(box)
        self.retranslate()

    def retranslate(self) -> None:
        for role, box in self.boxes.items():
            box.setText(_(ROLE_LABELS[role]))
            box.setAccessibleName(_("Role: {role}").format(role=role_names(frozenset({role}))))

    def roles(self) -> frozenset[Role]:
        return frozenset(role for role, box in self.boxes.items() if box.isChecked())

    def set_roles(self, roles: frozenset[Role]) -> None:
        for role, box in self.boxes.items():
            box.setChecked(role in roles)


class ServiceDialog(GuardedDialog):
    """A dialog whose OK calls a service; its error stays in the dialog in plain words."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.result_value: object = None

    def retranslate(self) -> None:
        """Re-set the dialog's texts (subclasses)."""

    def retranslate_buttons(self, ok_text: str) -> None:
        self.ok_button.setText(ok_text)
        self.ok_button.setAccessibleName(ok_text.replace("&", ""))
        self.cancel_button.setText(_("Cancel"))
        self.cancel_button.setAccessibleName(_("Cancel"))
        self.error.setAccessibleName(_("Problem"))

    def submit(self) -> object:
        """Call the service; raise ServiceError (shown) or return the result."""
        raise NotImplementedError

    def fail(self, message: str, focus: QWidget | None = None) -> None:
        self.error.setText(message)
        if focus is not None:
            focus.setFocus()

    def accept(self) -> None:
        self.error.clear()
        try:
            result = self.submit()
        except ServiceError as problem:
            self.fail(str(problem), self.focus_for(problem))
            return
        except _Refused:
            return
        self.result_value = result
        super().accept()

    def focus_for(self, problem: ServiceError) -> QWidget | None:
        return None


class _Refused(Exception):
    """The dialog already said what is wrong (a check before calling the service)."""


def refuse(dialog: ServiceDialog, message: str, focus: QWidget | None = None) -> None:
    dialog.fail(message, focus)
    raise _Refused
