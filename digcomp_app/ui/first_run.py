"""The first run's "Set up a new school": the school's details, the first administrator,
and the next steps (import learners and staff, accounts, the signing key).

The administrator is created and signed in before the school's details are saved (only a
signed-in administrator may change them); if the details are then refused, step 1 shows
why and the administrator already made is kept.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import accounts, organisations
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.permissions import Actor
from digcomp_app.ui.widgets import ERROR_COLOUR, centre_in

SCHOOL, ADMIN, NEXT = range(3)

#: the next steps offered at the end, as (action, …): the main window knows what they open
NEXT_STEPS = ("import_learners", "import_staff", "users", "signing_key")


def _wrapped() -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    return label


def _field(width: int = 280) -> QLineEdit:
    field = QLineEdit()
    field.setMinimumHeight(field.fontMetrics().height() + 12)
    field.setMinimumWidth(width)
    return field


class SchoolSetup(QWidget):
    """Three steps; ``cancelled`` goes back to the first run's choices (nothing made yet),
    ``finished(actor, action)`` opens the workspace and then ``action`` ("" or one of
    :data:`NEXT_STEPS`)."""

    cancelled = Signal()
    finished = Signal(object, str)  # Actor, action

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        #: the administrator once created and signed in
        self.actor: Actor | None = None
        self.heading = QLabel()
        self.step_note = _wrapped()
        self.stack = QStackedWidget()

        # step 1: the school
        school = QWidget()
        self.school_name = _field()
        self.school_name.setMaxLength(200)
        self.country = _field(60)
        self.country.setMaxLength(2)
        self.country.setText("LV")
        self.address = _field()
        self.email = _field()
        self.keep_birth_date = QCheckBox()
        self.keep_note = _wrapped()
        self.school_form = QFormLayout()
        self.school_labels = []
        for field in (self.school_name, self.country, self.address, self.email):
            label = QLabel()
            label.setBuddy(field)
            self.school_labels.append(label)
            self.school_form.addRow(label, field)
        self.school_form.addRow(self.keep_birth_date)
        self.school_form.addRow(self.keep_note)
        QVBoxLayout(school).addLayout(self.school_form)
        school.layout().addStretch(1)

        # step 2: the first administrator
        admin = QWidget()
        self.username = _field()
        self.username.setMaxLength(100)
        self.display_name = _field()
        self.password = _field()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = _field()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.admin_form = QFormLayout()
        self.admin_labels = []
        for field in (self.username, self.display_name, self.password, self.repeat):
            label = QLabel()
            label.setBuddy(field)
            self.admin_labels.append(label)
            self.admin_form.addRow(label, field)
        QVBoxLayout(admin).addLayout(self.admin_form)
        admin.layout().addStretch(1)

        # step 3: what next
        steps = QWidget()
        self.next_intro = _wrapped()
        steps_layout = QVBoxLayout(steps)
        steps_layout.addWidget(self.next_intro)
        self.step_buttons: dict[str, QPushButton] = {}
        self.step_notes: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setColumnStretch(1, 1)
        grid.setVerticalSpacing(10)
        for row, action in enumerate(NEXT_STEPS):
            button = QPushButton()
            button.clicked.connect(lambda _c=False, a=action: self._finish(a))
            note = _wrapped()
            grid.addWidget(button, row, 0)
            grid.addWidget(note, row, 1, Qt.AlignmentFlag.AlignTop)
            self.step_buttons[action] = button
            self.step_notes[action] = note
        steps_layout.addLayout(grid)
        steps_layout.addStretch(1)

        for page in (school, admin, steps):
            self.stack.addWidget(page)

        self.error = _wrapped()
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton()
        self.next_button.setDefault(True)
        self.next_button.setAutoDefault(True)
        self.next_button.clicked.connect(self.go_next)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)

        self.box = box = QWidget()
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.step_note)
        inner.addWidget(self.stack)
        inner.addWidget(self.error)
        inner.addLayout(buttons)
        centre_in(self, box)
        for field in (self.school_name, self.country, self.address):
            field.returnPressed.connect(self.go_next)
        self.email.returnPressed.connect(self.go_next)
        self.repeat.returnPressed.connect(self.go_next)
        self.retranslate()

    def start(self) -> None:
        """Show step 1 (again)."""
        self.error.clear()
        self.stack.setCurrentIndex(SCHOOL)
        self.retranslate()
        self.school_name.setFocus()

    def retranslate(self) -> None:
        step = self.stack.currentIndex()
        titles = {
            SCHOOL: _("Step 1 of 3: the school"),
            ADMIN: _("Step 2 of 3: the first administrator"),
            NEXT: _("Step 3 of 3: next steps"),
        }
        notes = {
            SCHOOL: _(
                "The school's name is printed on attestations and reports; you can change "
                "these details later under School details."
            ),
            ADMIN: _(
                "The administrator adds the other accounts, keeps backups and looks after the "
                "school's details. Choose a password of at least {count} characters that "
                "only you know."
            ).format(count=accounts.MIN_PASSWORD_LENGTH),
            NEXT: _("The school is ready: {name}.").format(name=self.school_name.text().strip()),
        }
        self.heading.setText("<h2>" + titles[step] + "</h2>")
        self.step_note.setText(notes[step])
        for label, text in zip(
            self.school_labels,
            (_("School &name:"), _("&Country (code):"), _("&Address:"), _("&E-mail:")),
            strict=True,
        ):
            label.setText(text)
        self.school_name.setAccessibleName(_("School name"))
        self.country.setAccessibleName(_("Country code"))
        self.address.setAccessibleName(_("Address"))
        self.email.setAccessibleName(_("E-mail"))
        self.keep_birth_date.setText(_("&Keep learners' dates of birth"))
        self.keep_note.setText(
            _(
                "Leave this off unless the school needs dates of birth on attestations: data "
                "that is not kept cannot leak."
            )
        )
        for label, text in zip(
            self.admin_labels,
            (_("&User name:"), _("&Full name:"), _("&Password:"), _("&Repeat password:")),
            strict=True,
        ):
            label.setText(text)
        self.username.setAccessibleName(_("User name"))
        self.display_name.setAccessibleName(_("Full name"))
        self.password.setAccessibleName(_("Password"))
        self.repeat.setAccessibleName(_("Repeat password"))
        self.next_intro.setText(
            _(
                "You are signed in as the administrator. A new school usually goes on like "
                "this; each step can also be done later from the screens on the left."
            )
        )
        texts = {
            "import_learners": (
                _("Import &learners…"),
                _("Learners and their groups from a list exported from the school register."),
            ),
            "import_staff": (
                _("Import &staff…"),
                _("Teachers' and coordinators' accounts, with sign-in slips to hand out."),
            ),
            "users": (
                _("Create &accounts"),
                _(
                    "Accounts for learners and staff, and their one-time passwords "
                    "(Users and roles)."
                ),
            ),
            "signing_key": (
                _("Set up the &signing key"),
                _("The key that seals the school's attestations (Signing key)."),
            ),
        }
        for action, (button, note) in texts.items():
            self.step_buttons[action].setText(button)
            self.step_buttons[action].setAccessibleName(button.replace("&", ""))
            self.step_notes[action].setText(note)
        self.back_button.setText(_("< &Back"))
        self.back_button.setVisible(step != NEXT)
        self.next_button.setText(
            {
                SCHOOL: _("&Next >"),
                ADMIN: _("&Create the school"),
                NEXT: _("&Open the workspace"),
            }[step]
        )
        self.next_button.setAccessibleName(self.next_button.text().replace("&", ""))
        # a fixed width: wrapped texts in a centred box then get the height they need
        self.box.setFixedWidth(min(720, max(520, 78 * self.fontMetrics().averageCharWidth())))

    def _show(self, step: int) -> None:
        self.stack.setCurrentIndex(step)
        self.retranslate()
        focus = {SCHOOL: self.school_name, ADMIN: self.username}.get(step, self.next_button)
        focus.setFocus()

    def go_back(self) -> None:
        self.error.clear()
        step = self.stack.currentIndex()
        if step == SCHOOL and self.actor is None:
            self.cancelled.emit()
        elif step == ADMIN:
            self._show(SCHOOL)

    def go_next(self) -> None:
        self.error.clear()
        step = self.stack.currentIndex()
        if step == SCHOOL:
            if not self.school_name.text().strip():
                self.error.setText(_("Enter the school's name."))
                self.school_name.setFocus()
                return
            country = self.country.text().strip()
            if country and (len(country) != 2 or not country.isalpha()):
                self.error.setText(_("The country must be a two-letter code such as LV."))
                self.country.setFocus()
                return
            if self.actor is not None:  # the administrator exists: the details were refused
                if self._save_school():
                    self._show(NEXT)
                return
            self._show(ADMIN)
        elif step == ADMIN:
            self._create()
        else:
            self._finish("")

    def _create(self) -> None:
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.setText(_("Enter a user name and a password."))
            return
        if password != self.repeat.text():
            self.error.setText(_("The two passwords differ."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        try:
            accounts.create_first_administrator(
                self._db, None, username, self.display_name.text().strip(), password
            )
            self.actor = accounts.authenticate(self._db, None, username, password)
        except ServiceError as problem:
            self.error.setText(str(problem))
            return
        self.password.clear()
        self.repeat.clear()
        if self._save_school():
            self._show(NEXT)
        else:
            problem = self.error.text()
            self._show(SCHOOL)
            self.error.setText(problem)

    def _save_school(self) -> bool:
        assert self.actor is not None
        try:
            organisations.update_home(
                self._db,
                self.actor,
                name=self.school_name.text().strip(),
                country=self.country.text().strip(),
                address=self.address.text().strip(),
                email=self.email.text().strip(),
                keep_birth_date=self.keep_birth_date.isChecked(),
            )
        except InvalidInput as problem:
            self.error.setText(
                _(
                    "The administrator {user} was created, but the school's details were not "
                    "saved: {problem}"
                ).format(user=self.actor.username, problem=problem)
            )
            return False
        except ServiceError as problem:
            self.error.setText(str(problem))
            return False
        return True

    def _finish(self, action: str) -> None:
        if self.actor is not None:
            self.finished.emit(self.actor, action)
