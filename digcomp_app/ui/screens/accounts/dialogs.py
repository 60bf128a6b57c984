"""The users screen's dialogs: a new account, its roles, a new password."""

from __future__ import annotations

from PySide6.QtGui import QIntValidator
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import accounts, learners
from digcomp_app.services.accounts import OneTimeCredential, UserInfo
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.permissions import Role, allowed
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import RoleBoxes, ServiceDialog, refuse


def _password_field() -> QLineEdit:
    field = QLineEdit()
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


def _labelled(form: QFormLayout, field: QWidget) -> QLabel:
    label = QLabel()
    label.setBuddy(field)
    form.addRow(label, field)
    return label


class AddUserDialog(ServiceDialog):
    """User name, name, password twice, roles, and the learner record of a learner."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.username = QLineEdit()
        self.username.setMaxLength(100)
        self.display_name = QLineEdit()
        self.password = _password_field()
        self.repeat = _password_field()
        self.roles = RoleBoxes()
        self.roles_group = QGroupBox()
        QVBoxLayout(self.roles_group).addWidget(self.roles)
        self.learner_number = QLineEdit()
        self.learner_number.setValidator(QIntValidator(1, 2_000_000_000, self))
        self.learner_note = QLabel()
        self.learner_note.setWordWrap(True)
        #: only for administrators who may also look learners up (e.g. also coordinators)
        self.can_search = allowed(context.actor, "learners.search")
        self.learner_search = QLineEdit()
        self.learner_matches = QComboBox()
        self.learner_matches.setMinimumContentsLength(24)

        form = QFormLayout()
        self.username_label = _labelled(form, self.username)
        self.name_label = _labelled(form, self.display_name)
        self.password_label = _labelled(form, self.password)
        self.repeat_label = _labelled(form, self.repeat)
        form.addRow(self.roles_group)
        self.search_label = _labelled(form, self.learner_search)
        form.addRow("", self.learner_matches)
        self.learner_label = _labelled(form, self.learner_number)
        form.addRow(self.learner_note)
        for widget in (self.search_label, self.learner_search, self.learner_matches):
            widget.setVisible(self.can_search)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)

        self.roles.boxes[Role.LEARNER].toggled.connect(self._learner_toggled)
        self.learner_search.textChanged.connect(self._search)
        self.learner_matches.activated.connect(self._match_chosen)
        self._learner_toggled(False)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New user"))
        self.username_label.setText(_("&User name:"))
        self.name_label.setText(_("&Full name:"))
        self.password_label.setText(_("&Password:"))
        self.repeat_label.setText(_("&Repeat password:"))
        self.search_label.setText(_("Find the l&earner:"))
        self.learner_label.setText(_("Learner &number:"))
        self.roles_group.setTitle(_("Roles"))
        self.roles.retranslate()
        self.username.setAccessibleName(_("User name"))
        self.display_name.setAccessibleName(_("Full name"))
        self.password.setAccessibleName(_("Password"))
        self.repeat.setAccessibleName(_("Repeat password"))
        self.learner_search.setAccessibleName(_("Find the learner by name"))
        self.learner_matches.setAccessibleName(_("Learners found"))
        self.learner_number.setAccessibleName(_("Learner number"))
        self.username.setPlaceholderText(_("one word, e.g. jberzins"))
        self.password.setPlaceholderText(
            _("at least {count} characters").format(count=accounts.MIN_PASSWORD_LENGTH)
        )
        if self.can_search:
            note = _("Type part of the learner's name and choose them, or give their number.")
        else:
            note = _(
                "A learner's account belongs to the learner's record. Administrators do not "
                "see learners' records: ask the coordinator for the learner's number."
            )
        self.learner_note.setText(note)
        self.retranslate_buttons(_("Add user"))

    def _learner_toggled(self, checked: bool) -> None:
        for widget in (self.learner_number, self.learner_search, self.learner_matches):
            widget.setEnabled(checked)

    def _search(self, text: str) -> None:
        self.learner_matches.clear()
        if len(text.strip()) < 2:
            return
        try:
            found = learners.search(self._context.db, self._context.actor, text)
        except ServiceError as problem:
            self.error.setText(str(problem))
            return
        for learner in found:
            self.learner_matches.addItem(
                _("{name} (number {id})").format(name=learner.full_name, id=learner.id), learner.id
            )
        if found:
            self._match_chosen(0)

    def _match_chosen(self, index: int) -> None:
        learner_id = self.learner_matches.itemData(index)
        if learner_id is not None:
            self.learner_number.setText(str(learner_id))

    def submit(self) -> UserInfo:
        if not self.username.text().strip():
            refuse(self, _("Enter a user name."), self.username)
        if self.password.text() != self.repeat.text():
            refuse(self, _("The two passwords differ. Type the same password twice."), self.repeat)
        roles = self.roles.roles()
        learner_id = None
        if Role.LEARNER in roles:
            if not self.learner_number.text().strip():
                refuse(
                    self,
                    _("A learner's account needs the learner's number."),
                    self.learner_number,
                )
            learner_id = int(self.learner_number.text())
            holder = self._account_of(learner_id)
            if holder is not None:
                refuse(
                    self,
                    _(
                        "Learner number {id} already has an account: {user}. A learner has "
                        "one account; reset its password instead if it is forgotten."
                    ).format(id=learner_id, user=holder),
                    self.learner_number,
                )
        return accounts.create_user(
            self._context.db,
            self._context.actor,
            self.username.text().strip(),
            self.display_name.text().strip(),
            self.password.text(),
            roles,
            learner_id,
        )

    def _account_of(self, learner_id: int) -> str | None:
        """The user name of the account already linked to this learner, if any."""
        users = accounts.list_users(self._context.db, self._context.actor)
        return next((u.username for u in users if u.learner_id == learner_id), None)

    def focus_for(self, problem: ServiceError) -> QWidget | None:
        field = problem.field if isinstance(problem, InvalidInput) else "learner_id"
        return {
            "username": self.username,
            "password": self.password,
            "roles": self.roles.boxes[Role.LEARNER],
            "learner_id": self.learner_number,
        }.get(field)


class RolesDialog(ServiceDialog):
    """Tick the roles an account has."""

    def __init__(self, context: UiContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.user = user
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.roles = RoleBoxes()
        self.roles.set_roles(user.roles)
        self.note = QLabel()
        self.note.setWordWrap(True)
        learner_box = self.roles.boxes[Role.LEARNER]
        # the learner role needs a link to a learner record, made only when adding a user
        learner_box.setEnabled(user.learner_id is not None or Role.LEARNER in user.roles)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.roles)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Change roles"))
        self.heading.setText(
            _("Roles of {name} ({user}):").format(
                name=self.user.display_name, user=self.user.username
            )
        )
        self.roles.retranslate()
        if self.user.learner_id is None:
            self.note.setText(
                _(
                    "This account is not linked to a learner's record, so it cannot get the "
                    "learner role. Add a new account for the learner instead."
                )
            )
        else:
            self.note.setText(
                _("This account belongs to learner number {id}.").format(id=self.user.learner_id)
            )
        self.retranslate_buttons(_("Save roles"))

    def submit(self) -> UserInfo:
        return accounts.set_roles(
            self._context.db, self._context.actor, self.user.id, self.roles.roles()
        )


class PasswordDialog(ServiceDialog):
    """A new one-time password for someone who forgot theirs (it also lifts a lock). The
    administrator does not type it: it is made up and printed on a sign-in slip."""

    def __init__(self, context: UiContext, user: UserInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.user = user
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("Reset password"))
        self.heading.setText(
            _(
                "Give {name} ({user}) a new one-time password? Their current password stops "
                "working. The new one is printed on a sign-in slip; at their next sign-in "
                "they choose their own."
            ).format(name=self.user.display_name, user=self.user.username)
        )
        self.retranslate_buttons(_("Reset &password"))

    def submit(self) -> OneTimeCredential:
        return accounts.reset_password(self._context.db, self._context.actor, self.user.id)


class StaffDialog(ServiceDialog):
    """A teacher's, coordinator's or administrator's account with a one-time password."""

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.given_names = QLineEdit()
        self.given_names.setMaxLength(100)
        self.surname = QLineEdit()
        self.surname.setMaxLength(100)
        self.username = QLineEdit()
        self.username.setMaxLength(100)
        self.roles = RoleBoxes()
        self.roles.boxes[Role.LEARNER].setVisible(False)
        self.roles_group = QGroupBox()
        QVBoxLayout(self.roles_group).addWidget(self.roles)
        self.note = QLabel()
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.given_label = _labelled(form, self.given_names)
        self.surname_label = _labelled(form, self.surname)
        self.username_label = _labelled(form, self.username)
        form.addRow(self.roles_group)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)
        self.retranslate()

    def retranslate(self) -> None:
        self.setWindowTitle(_("New staff member"))
        self.given_label.setText(_("&First names:"))
        self.surname_label.setText(_("&Surname:"))
        self.username_label.setText(_("&User name:"))
        self.given_names.setAccessibleName(_("First names"))
        self.surname.setAccessibleName(_("Surname"))
        self.username.setAccessibleName(_("User name"))
        self.username.setPlaceholderText(_("empty: made from the name, e.g. janis.berzins"))
        self.roles_group.setTitle(_("Roles (one person may have several)"))
        self.roles.retranslate()
        self.note.setText(
            _(
                "The account gets a one-time password, printed on a sign-in slip. At their "
                "first sign-in they choose their own."
            )
        )
        self.retranslate_buttons(_("Add staff member"))

    def submit(self) -> OneTimeCredential:
        roles = self.roles.roles() - {Role.LEARNER}
        if not roles:
            refuse(self, _("Tick at least one role."), self.roles.boxes[Role.TEACHER])
        return accounts.create_staff(
            self._context.db,
            self._context.actor,
            self.given_names.text(),
            self.surname.text(),
            roles,
            self.username.text(),
        )

    def focus_for(self, problem: ServiceError) -> QWidget | None:
        field = problem.field if isinstance(problem, InvalidInput) else ""
        return {
            "name": self.given_names,
            "username": self.username,
            "roles": self.roles.boxes[Role.TEACHER],
        }.get(field)
