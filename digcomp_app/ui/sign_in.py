"""The sign-in page, and the first run of an empty database: set up a new school, restore a
backup, or try the demo school.

The page is made before the window's first paint, without its database: the user name can
be typed at once while the database opens in the background (see ``MainWindow``). Signing in
before it is open waits for it, with a busy bar, and keeps what was typed. Nothing here
loads the database code until the database is given (``set_database``).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.ui.widgets import centre_in

if TYPE_CHECKING:
    from digcomp_app.services.database import Database
    from digcomp_app.services.permissions import Actor
    from digcomp_app.ui.first_run import SchoolSetup


class SignInPage(QWidget):
    signed_in = Signal(object)  # Actor
    #: the first run's "Set up a new school" is done: (Actor, next step or "")
    setup_finished = Signal(object, str)
    #: the first run's "Try the demo school"
    demo_requested = Signal()

    def __init__(self, db: Database | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        #: Sign in was pressed before the database was open: sign in when it is
        self.waiting = False
        self.heading = QLabel()
        self.heading.setObjectName("heading")
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.username = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.display_name = QLineEdit()
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #b00020;")
        self.error.setAccessibleName("error")
        self.button = QPushButton()
        self.button.setDefault(True)
        self.button.setAutoDefault(True)
        # while Sign in waits for the database to open: a busy bar and a line under it (made
        # when first needed, like the first run's choices: the page is made before the
        # window's first paint)
        self.busy: QProgressBar | None = None
        self.busy_note: QLabel | None = None
        self.choices: QWidget | None = None

        for field in (self.username, self.password, self.display_name, self.repeat):
            field.setMinimumHeight(field.fontMetrics().height() + 12)
            field.setMinimumWidth(240)
        self.form = QFormLayout()
        self.username_label = QLabel()
        self.password_label = QLabel()
        self.display_label = QLabel()
        self.repeat_label = QLabel()
        for label, field in (
            (self.username_label, self.username),
            (self.display_label, self.display_name),
            (self.password_label, self.password),
            (self.repeat_label, self.repeat),
        ):
            label.setBuddy(field)
            self.form.addRow(label, field)
        self.box = box = QWidget()
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.note)
        inner.addLayout(self.form)
        inner.addWidget(self.error)
        inner.addWidget(self.button)
        self._inner = inner
        front = QWidget()
        centre_in(front, box)
        #: the first run's setup (made when a new school is set up)
        self.setup: SchoolSetup | None = None
        self.stack = QStackedWidget()
        self.stack.addWidget(front)
        QVBoxLayout(self).addWidget(self.stack)

        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.repeat.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)
        self._first_run = False
        self._locked_note = ""
        self.reset()

    @property
    def database_ready(self) -> bool:
        return self._db is not None

    def set_database(self, db: Database, first_run: bool | None = None) -> None:
        """The database is open: sign in with it (at once if Sign in was pressed while it
        opened). ``first_run``: whether it has no user yet, when already known."""
        self._db = db
        waiting, self.waiting = self.waiting, False
        self._show_busy(False)
        if first_run is None:
            from digcomp_app.services import accounts

            first_run = accounts.needs_first_administrator(db, None)
        if first_run:
            self.reset()  # the three ways to start instead of the form
        elif waiting:
            self._submit()

    def _show_busy(self, on: bool) -> None:
        if self.busy is None or self.busy_note is None:
            if not on:
                return
            self.busy = QProgressBar()
            self.busy.setRange(0, 0)  # busy, no end known
            self.busy.setTextVisible(False)
            self.busy.setMaximumHeight(8)
            self.busy_note = QLabel()
            self.busy_note.setWordWrap(True)
            self._inner.insertWidget(self._inner.indexOf(self.button) + 1, self.busy)
            self._inner.insertWidget(self._inner.indexOf(self.busy) + 1, self.busy_note)
            self.retranslate()
        self.busy.setVisible(on)
        self.busy_note.setVisible(on)
        self.button.setEnabled(not on)

    def _make_choices(self) -> QWidget:
        """The first run's three ways to start, each with a line saying what it does."""
        if self.choices is not None:
            return self.choices
        self.setup_button = QPushButton()
        self.setup_button.clicked.connect(self.set_up_school)
        self.setup_note = QLabel()
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_backup)
        self.restore_note = QLabel()
        self.demo_button = QPushButton()
        self.demo_button.clicked.connect(self.demo_requested.emit)
        self.demo_note = QLabel()
        self.choices = QWidget()
        choices = QVBoxLayout(self.choices)
        choices.setContentsMargins(0, 0, 0, 0)
        for button, note in (
            (self.setup_button, self.setup_note),
            (self.restore_button, self.restore_note),
            (self.demo_button, self.demo_note),
        ):
            button.setMinimumHeight(button.fontMetrics().height() + 16)
            note.setWordWrap(True)
            note.setContentsMargins(4, 0, 0, 10)
            choices.addWidget(button)
            choices.addWidget(note)
        self._inner.addWidget(self.choices)
        return self.choices

    def reset(self, username: str = "", locked_note: str = "") -> None:
        """Show the form empty (or for ``username`` after the screen locked itself)."""
        if self._db is None:
            self._first_run = False
        else:
            from digcomp_app.services import accounts

            self._first_run = accounts.needs_first_administrator(self._db, None)
        self._locked_note = locked_note
        self.username.setText(username)
        self.password.clear()
        self.repeat.clear()
        self.display_name.clear()
        self.error.clear()
        self.stack.setCurrentIndex(0)
        # the first run offers its three choices instead of the form
        for widget in (self.display_label, self.display_name, self.repeat_label, self.repeat):
            widget.setVisible(False)
        for widget in (
            self.username_label,
            self.username,
            self.password_label,
            self.password,
            self.button,
        ):
            widget.setVisible(not self._first_run)
        if self._first_run:
            self._make_choices()
        if self.choices is not None:
            self.choices.setVisible(self._first_run)
        self.retranslate()
        self.take_focus()

    def take_focus(self) -> None:
        """The first field to type in has the keyboard (the user name, or the password
        when the name is filled in), so typing at once goes there."""
        if self._first_run:
            self.setup_button.setFocus()
        else:
            (self.password if self.username.text() else self.username).setFocus()

    def retranslate(self) -> None:
        self.username_label.setText(_("&User name:"))
        self.password_label.setText(_("&Password:"))
        self.display_label.setText(_("&Full name:"))
        self.repeat_label.setText(_("&Repeat password:"))
        self.username.setAccessibleName(_("User name"))
        self.password.setAccessibleName(_("Password"))
        self.display_name.setAccessibleName(_("Full name"))
        self.repeat.setAccessibleName(_("Repeat password"))
        if self._first_run:
            self.heading.setText("<h2>" + _("Welcome") + "</h2>")
            self.note.setText(
                _("This database has no users yet, so it is empty. How would you like to start?")
            )
        else:
            self.heading.setText("<h2>" + _("Sign in") + "</h2>")
            self.note.setText(self._locked_note or _("Sign in with your school account."))
            self.button.setText(_("&Sign in"))
        self.button.setAccessibleName(self.button.text().replace("&", ""))
        if self.choices is not None:
            self._retranslate_choices()
        if self.busy is not None and self.busy_note is not None:
            self.busy.setAccessibleName(_("Opening the database"))
            self.busy_note.setText(_("Opening the database; you are signed in when it is open…"))
        if self.setup is not None:
            self.setup.retranslate()
        # a fixed width: wrapped texts in a centred box then get the height they need
        self.box.setFixedWidth(min(520, max(380, 52 * self.fontMetrics().averageCharWidth())))

    def _retranslate_choices(self) -> None:
        self.setup_button.setText(_("Set &up a new school"))
        self.setup_button.setAccessibleName(_("Set up a new school"))
        self.setup_note.setText(
            _("Enter the school's details and create the first administrator's account.")
        )
        self.restore_button.setText(_("Restore from a &backup…"))
        self.restore_button.setAccessibleName(_("Restore from a backup"))
        self.restore_note.setText(
            _("The school already used the app: fill this database from one of its backups.")
        )
        self.demo_button.setText(_("Try the &demo school"))
        self.demo_button.setAccessibleName(_("Try the demo school"))
        self.demo_note.setText(
            _(
                "Look around a made-up school with learners, mobilities and attestations. It "
                "is kept in a separate file: this database stays empty."
            )
        )

    def set_up_school(self) -> None:
        """First run: the school's details, the first administrator, the next steps."""
        if self._db is None:
            return
        if self.setup is None:
            from digcomp_app.ui.first_run import SchoolSetup

            self.setup = SchoolSetup(self._db)
            self.setup.cancelled.connect(self.reset)
            self.setup.finished.connect(self.setup_finished.emit)
            self.stack.addWidget(self.setup)
        self.stack.setCurrentWidget(self.setup)
        self.setup.start()

    def restore_backup(self) -> None:
        """First run: fill this empty database from a backup, then sign in as usual."""
        from digcomp_app.ui.screens.database.restore_dialog import RestoreDialog

        if self._db is None:
            return
        dialog = RestoreDialog(
            self._db, self.username.text().strip(), self, into_this_database=True
        )
        self.restore_dialog = dialog

        def finished(_code: int) -> None:
            if dialog.restored_url is not None:
                self.reset(dialog.admin.text().strip())
                self.note.setText(dialog.message.text())

        dialog.finished.connect(finished)
        dialog.open()

    def _submit(self) -> None:
        self.error.clear()
        username, password = self.username.text().strip(), self.password.text()
        if not username or not password:
            self.error.setText(_("Enter your user name and password."))
            return
        if self._db is None:  # still opening: sign in when it is open (set_database)
            self.waiting = True
            self._show_busy(True)
            return
        from digcomp_app.services import accounts
        from digcomp_app.services.errors import ServiceError

        try:
            actor: Actor = accounts.authenticate(self._db, None, username, password)
        except ServiceError as problem:
            self.error.setText(str(problem))
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.repeat.clear()
        self.signed_in.emit(actor)
