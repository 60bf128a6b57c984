"""After signing in with a one-time password: "Choose your password", before anything else."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
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
from digcomp_app.ui.widgets import ERROR_COLOUR, centre_in


class ChoosePasswordPage(QWidget):
    """The one-time password from the slip, the new one twice. ``changed`` carries the
    Actor the service returns (free to work); ``cancelled`` means: sign out."""

    changed = Signal(object)  # Actor
    cancelled = Signal()

    def __init__(self, db: Database, actor: Actor, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._db = db
        self.actor = actor
        self.heading = QLabel()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.current = QLineEdit()
        self.new = QLineEdit()
        self.repeat = QLineEdit()
        for field in (self.current, self.new, self.repeat):
            field.setEchoMode(QLineEdit.EchoMode.Password)
            field.setMinimumHeight(field.fontMetrics().height() + 12)
            field.setMinimumWidth(240)
        self.current_label = QLabel()
        self.new_label = QLabel()
        self.repeat_label = QLabel()
        form = QFormLayout()
        form.setVerticalSpacing(8)
        for label, field in (
            (self.current_label, self.current),
            (self.new_label, self.new),
            (self.repeat_label, self.repeat),
        ):
            label.setBuddy(field)
            form.addRow(label, field)
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.save_button = QPushButton()
        self.save_button.setDefault(True)
        self.save_button.setAutoDefault(True)
        self.save_button.clicked.connect(self.submit)
        self.cancel_button = QPushButton()
        self.cancel_button.clicked.connect(self.cancelled.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        box = QWidget()
        box.setMaximumWidth(520)
        inner = QVBoxLayout(box)
        inner.addWidget(self.heading)
        inner.addWidget(self.note)
        inner.addLayout(form)
        inner.addWidget(self.error)
        inner.addLayout(buttons)
        centre_in(self, box)
        self.current.returnPressed.connect(self.new.setFocus)
        self.new.returnPressed.connect(self.repeat.setFocus)
        self.repeat.returnPressed.connect(self.submit)
        self.retranslate()
        self.current.setFocus()

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + _("Choose your password") + "</h2>")
        self.note.setText(
            _(
                "Hello, {name}. You signed in with a one-time password from a slip. Choose "
                "your own password now: nobody else will know it, and you will sign in with "
                "it from now on."
            ).format(name=self.actor.display_name or self.actor.username)
        )
        self.current_label.setText(_("&One-time password:"))
        self.new_label.setText(_("&New password:"))
        self.repeat_label.setText(_("&Repeat the new password:"))
        self.current.setAccessibleName(_("One-time password"))
        self.new.setAccessibleName(_("New password"))
        self.repeat.setAccessibleName(_("Repeat the new password"))
        self.save_button.setText(_("&Save and continue"))
        self.save_button.setAccessibleName(_("Save and continue"))
        self.cancel_button.setText(_("Cancel and sign &out"))
        self.cancel_button.setAccessibleName(_("Cancel and sign out"))

    def submit(self) -> None:
        self.error.clear()
        if not self.current.text() or not self.new.text():
            self.error.setText(_("Enter the one-time password and your new password."))
            return
        if self.new.text() != self.repeat.text():
            self.error.setText(_("The two new passwords differ."))
            self.repeat.clear()
            self.repeat.setFocus()
            return
        try:
            actor = accounts.change_own_password(
                self._db, self.actor, self.current.text(), self.new.text()
            )
        except ServiceError as problem:
            self.error.setText(str(problem))
            return
        for field in (self.current, self.new, self.repeat):
            field.clear()
        self.changed.emit(actor)
