"""The database screen: the database in use, the one for the next start, backups."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFrame, QGroupBox, QLabel, QScrollArea, QVBoxLayout, QWidget

from digcomp_app.i18n import _
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.database import urls
from digcomp_app.ui.screens.database.backup_box import BackupBox
from digcomp_app.ui.screens.database.connection import ConnectionBox


class DatabaseScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.heading = QLabel()
        self.in_use_box = QGroupBox()
        self.in_use = QLabel()
        self.in_use.setWordWrap(True)
        self.in_use.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        #: a shared SQLite file or a network drive ("" hides it)
        self.sharing = QLabel()
        self.sharing.setWordWrap(True)
        self.sharing.setStyleSheet("color: #b00020;")
        in_use_layout = QVBoxLayout(self.in_use_box)
        in_use_layout.addWidget(self.in_use)
        in_use_layout.addWidget(self.sharing)
        self.connection = ConnectionBox(context)
        self.backup = BackupBox(context)

        page = QWidget()
        inner = QVBoxLayout(page)
        inner.addWidget(self.heading)
        inner.addWidget(self.in_use_box)
        inner.addWidget(self.connection)
        inner.addWidget(self.backup)
        inner.addStretch(1)
        page.setMaximumWidth(900)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll)
        self.setTabOrder(self.connection.save_button, self.backup.backup_button)
        self.retranslate()

    def edit_forms(self) -> list[object]:
        """The database setting may be typed and not saved yet."""
        return [self.connection]

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + _("Database") + "</h2>")
        self.in_use_box.setTitle(_("Database in use now"))
        self.in_use.setText(urls.describe(self._context.db.url))
        self.in_use.setAccessibleName(_("Database in use now"))
        self._show_sharing()
        self.connection.retranslate()
        self.backup.retranslate()

    def refresh(self) -> None:
        self.in_use.setText(urls.describe(self._context.db.url))
        self._show_sharing()

    def _show_sharing(self) -> None:
        warning = self._context.db.sharing_warning()
        self.sharing.setText(warning)
        self.sharing.setVisible(bool(warning))
