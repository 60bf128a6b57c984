"""Choosing the database for the next start: an SQLite file or a PostgreSQL server."""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtWidgets import (
    QButtonGroup,
    QFileDialog,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services.configuration import locked_explanation
from digcomp_app.settings import load_settings, save_settings
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.database import urls
from digcomp_app.ui.tasks import Cancelled, Report, TaskHandle, run_task

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


class ConnectionBox(QGroupBox):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.task: TaskHandle | None = None
        #: the file chooser while it is open (for the keyboard and for tests)
        self.file_dialog: QFileDialog | None = None

        self.sqlite_choice = QRadioButton()
        self.postgresql_choice = QRadioButton()
        self.choices = QButtonGroup(self)
        self.choices.addButton(self.sqlite_choice)
        self.choices.addButton(self.postgresql_choice)
        self.file_label = QLabel()
        self.file = QLineEdit()
        self.browse_button = QPushButton()
        self.file_label.setBuddy(self.file)
        self.url_label = QLabel()
        self.url = QLineEdit()
        self.url.setPlaceholderText("postgresql://user:password@server/digcomp")
        self.url_label.setBuddy(self.url)
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.test_button = QPushButton()
        self.save_button = QPushButton()
        self.result = QLabel()
        self.result.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(self.sqlite_choice, 0, 0, 1, 3)
        grid.addWidget(self.file_label, 1, 0)
        grid.addWidget(self.file, 1, 1)
        grid.addWidget(self.browse_button, 1, 2)
        grid.addWidget(self.postgresql_choice, 2, 0, 1, 3)
        grid.addWidget(self.url_label, 3, 0)
        grid.addWidget(self.url, 3, 1, 1, 2)
        grid.setColumnStretch(1, 1)
        grid.setColumnMinimumWidth(0, 24)
        buttons = QHBoxLayout()
        buttons.addWidget(self.test_button)
        buttons.addWidget(self.save_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(self.note)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        order = [
            self.sqlite_choice,
            self.file,
            self.browse_button,
            self.postgresql_choice,
            self.url,
            self.test_button,
            self.save_button,
        ]
        for first, second in itertools.pairwise(order):
            self.setTabOrder(first, second)

        self.sqlite_choice.toggled.connect(self._update_enabled)
        self.browse_button.clicked.connect(self.browse)
        self.test_button.clicked.connect(self.test_connection)
        self.save_button.clicked.connect(self.save)
        for field in (self.file, self.url):
            field.textEdited.connect(lambda _text: self.result.clear())
        self.load()
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Database for the next start"))
        self.sqlite_choice.setText(_("S&QLite file on this computer (one PC)"))
        self.postgresql_choice.setText(_("Post&greSQL server (shared by the school's PCs)"))
        self.file_label.setText(_("F&ile:"))
        self.browse_button.setText(_("&Browse…"))
        self.url_label.setText(_("&Address:"))
        self.test_button.setText(_("&Test connection"))
        self.save_button.setText(_("&Save"))
        self.sqlite_choice.setAccessibleName(_("Use an SQLite file"))
        self.postgresql_choice.setAccessibleName(_("Use a PostgreSQL server"))
        self.file.setAccessibleName(_("SQLite database file"))
        self.browse_button.setAccessibleName(_("Choose the SQLite file"))
        self.url.setAccessibleName(_("PostgreSQL address"))
        self.test_button.setAccessibleName(_("Test connection"))
        self.save_button.setAccessibleName(_("Save the database setting"))
        self.result.setAccessibleName(_("Result"))
        self.url.setToolTip(_("For example postgresql://digcomp:password@server.school.lv/digcomp"))
        note = _(
            "A new SQLite file is prepared the first time it is opened. A PostgreSQL "
            "database must exist on the server; the program creates its tables."
        )
        if self.locked:
            note = locked_explanation(self.locked)
        elif os.environ.get(urls.ENV_DATABASE_URL):
            note += " " + _(
                "Note: {variable} is set on this computer and is used instead of this setting."
            ).format(variable=urls.ENV_DATABASE_URL)
        self.note.setText(note)

    def load(self) -> None:
        """Show the saved setting, or the database in use when nothing is saved."""
        settings = load_settings()
        #: the machine-wide file that locks the database ("" when the administrator chooses)
        self.locked = settings.machine_file if settings.is_locked("database_url") else ""
        url = settings.database_url or self._context.db.url
        if urls.is_sqlite(url):
            self.sqlite_choice.setChecked(True)
            self.file.setText(urls.sqlite_file(url))
        else:
            self.postgresql_choice.setChecked(True)
            self.url.setText(url)
        self._update_enabled()
        self._shown = self._state()

    def _state(self) -> tuple[bool, str, str]:
        return (self.sqlite_choice.isChecked(), self.file.text().strip(), self.url.text().strip())

    # --- unsaved changes (digcomp_app.ui.unsaved) ----------------------------------

    def has_unsaved_changes(self) -> bool:
        return self._state() != getattr(self, "_shown", self._state())

    def save_changes(self) -> bool:
        self.save()
        return not self.has_unsaved_changes()

    def discard_changes(self) -> None:
        self.load()

    def unsaved_title(self) -> str:
        return _("Database for the next start")

    def _update_enabled(self) -> None:
        sqlite = self.sqlite_choice.isChecked()
        free = not self.locked
        for widget in (self.file, self.browse_button):
            widget.setEnabled(free and sqlite)
        self.url.setEnabled(free and not sqlite)
        for widget in (self.sqlite_choice, self.postgresql_choice, self.save_button):
            widget.setEnabled(free)
        self.result.clear()

    def chosen_url(self) -> str | None:
        """The address the form describes, or None after saying what is missing."""
        if self.sqlite_choice.isChecked():
            path = self.file.text().strip()
            if not path:
                self._show(_("Choose the SQLite file: type its name or press Browse."), False)
                self.file.setFocus()
                return None
            return urls.sqlite_url(path)
        url = self.url.text().strip()
        if not urls.is_postgresql(url) or "://" not in url:
            self._show(
                _(
                    "A PostgreSQL address starts with postgresql://, e.g. "
                    "postgresql://user:password@server/digcomp"
                ),
                False,
            )
            self.url.setFocus()
            return None
        return url

    def _show(self, text: str, ok: bool) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(text)

    # --- actions ------------------------------------------------------------------

    def browse(self) -> None:
        current = self.file.text().strip()
        folder = (
            str(Path(current).parent)
            if current
            else QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
        )
        dialog = QFileDialog(self, _("Choose or name the SQLite database file"), folder)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setOption(QFileDialog.Option.DontConfirmOverwrite, True)  # open it, not replace
        dialog.setNameFilters([_("SQLite databases (*.sqlite3 *.sqlite *.db)"), _("All files (*)")])
        dialog.setDefaultSuffix("sqlite3")
        if current:
            dialog.selectFile(current)
        dialog.fileSelected.connect(self._file_chosen)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def _file_chosen(self, path: str) -> None:
        self.file.setText(path)
        self.result.clear()
        self.file.setFocus()

    def test_connection(self) -> None:
        url = self.chosen_url()
        if url is None:
            return
        self.result.clear()
        self.test_button.setEnabled(False)

        def work(report: Report, cancelled: Callable[[], bool]) -> str | None:
            report(0, 0, _("Opening {database}…").format(database=urls.describe(url)))
            problem = urls.try_database(url)
            if cancelled():
                raise Cancelled
            return problem

        def done(problem: str | None) -> None:
            if problem is None:
                self._show(
                    _("The connection works: {database} can be used.").format(
                        database=urls.describe(url)
                    ),
                    True,
                )
            else:
                self._show(problem, False)

        self.task = run_task(self, _("Testing the connection"), work, done)
        self.task.done.connect(lambda: self.test_button.setEnabled(True))

    def save(self) -> None:
        if self.locked:
            return
        url = self.chosen_url()
        if url is None:
            return
        try:
            save_settings(load_settings().with_changes(database_url=url))
        except OSError as error:
            self._show(_("The setting could not be saved: {problem}").format(problem=error), False)
            return
        self._shown = self._state()
        text = _(
            "Saved. The program opens {database} from its next start; close and open it "
            "again to switch."
        ).format(database=urls.describe(url))
        self._show(text, True)
        self._context.notify(text)
