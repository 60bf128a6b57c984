"""The sign-in page, and the first run's "create the first administrator" form."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import accounts
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.permissions import Actor


class SignInPage(QWidget):
    signed_in = Signal(object)  # Actor

    def __init__(self, db: Database, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
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
        # first run only: fill the empty database from a backup instead
        self.restore_button = QPushButton()
        self.restore_button.clicked.connect(self.restore_backup)

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
        box = QWidget()
        box.setMaximumWidth(460)
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.note)
        inner.addLayout(self.form)
        inner.addWidget(self.error)
        inner.addWidget(self.button)
        inner.addWidget(self.restore_button)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        outer.addWidget(box, 0, Qt.AlignmentFlag.AlignHCenter)
        outer.addStretch(2)

        self.username.returnPressed.connect(self.password.setFocus)
        self.password.returnPressed.connect(self._submit)
        self.repeat.returnPressed.connect(self._submit)
        self.button.clicked.connect(self._submit)
        self._first_run = False
        self._locked_note = ""
        self.reset()

    def reset(self, username: str = "", locked_note: str = "") -> None:
        """Show the form empty (or for ``username`` after the screen locked itself)."""
        self._first_run = accounts.needs_first_administrator(self._db, None)
        self._locked_note = locked_note
        self.username.setText(username)
        self.password.clear()
        self.repeat.clear()
        self.display_name.clear()
        self.error.clear()
        for widget in (
            self.display_label,
            self.display_name,
            self.repeat_label,
            self.repeat,
            self.restore_button,
        ):
            widget.setVisible(self._first_run)
        self.retranslate()
        (self.password if username else self.username).setFocus()

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
                _(
                    "This database has no users yet. Create the first "
                    "administrator: they will add the other accounts."
                )
            )
            self.button.setText(_("&Create administrator"))
        else:
            self.heading.setText("<h2>" + _("Sign in") + "</h2>")
            self.note.setText(self._locked_note or _("Sign in with your school account."))
            self.button.setText(_("&Sign in"))
        self.button.setAccessibleName(self.button.text().replace("&", ""))
        self.restore_button.setText(_("Restore from a &backup…"))
        self.restore_button.setAccessibleName(_("Restore from a backup"))

    def restore_backup(self) -> None:
        """First run: fill this empty database from a backup, then sign in as usual."""
        from digcomp_app.ui.screens.database.restore_dialog import RestoreDialog

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
        try:
            if self._first_run:
                if password != self.repeat.text():
                    self.error.setText(_("The two passwords differ."))
                    return
                accounts.create_first_administrator(
                    self._db, None, username, self.display_name.text().strip(), password
                )
            actor: Actor = accounts.authenticate(self._db, None, username, password)
        except ServiceError as problem:
            self.error.setText(str(problem))
            self.password.clear()
            self.password.setFocus()
            return
        self.password.clear()
        self.repeat.clear()
        self.signed_in.emit(actor)
