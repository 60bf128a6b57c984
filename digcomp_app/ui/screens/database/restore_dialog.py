"""Restoring a backup into a new, empty database, from the window.

A sealed backup needs its passphrase; the school it comes from is shown, and a backup of
another school than the one in use (or any backup on the first run, when there is no school
yet) is restored only when Restore is pressed a second time (docs/decisions/0023).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, ngettext
from digcomp_app.services import backup
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ServiceError
from digcomp_app.settings import load_settings, save_settings
from digcomp_app.ui.screens.database import urls
from digcomp_app.ui.tasks import Report, TaskHandle, run_task
from digcomp_app.ui.widgets import ERROR_COLOUR


def _address(text: str) -> str:
    """A typed file name or a postgresql:// address, as a database URL."""
    text = text.strip()
    return text if "://" in text else urls.sqlite_url(text)


class RestoreDialog(QDialog):
    """Backup file, new database, the backup's administrator → restored, then optionally
    chosen for the next start. The database in use is never touched — except on the first
    run (``into_this_database``), when it is still empty and the backup fills it."""

    def __init__(
        self,
        db: Database,
        username: str,
        parent: QWidget | None = None,
        *,
        into_this_database: bool = False,
        notify: Callable[[str], None] | None = None,
    ) -> None:
        super().__init__(parent)
        self._db = db
        self._into_this = into_this_database
        self._notify = notify or (lambda _text: None)
        self.task: TaskHandle | None = None
        self.file_dialog: QFileDialog | None = None
        self.restored_url: str | None = None
        #: the school of the database in use (None on the first run: no school yet)
        self._school = None if into_this_database else backup.current_school(db).id or None
        #: (backup file, school id) the user confirmed by pressing Restore a second time
        self._confirmed: tuple[str, str] | None = None
        self.setWindowTitle(_("Restore a backup"))
        layout = QVBoxLayout(self)
        self.intro = intro = QLabel(
            _(
                "A backup is restored only into a new, empty database, never into the one in "
                "use, so today's data stays safe if the backup is not the one you wanted. "
                "Give the user name and password of an administrator as they were when the "
                "backup was made."
            )
            if not into_this_database
            else _(
                "This database is still empty: a backup can fill it. Give the user name and "
                "password of an administrator as they were when the backup was made."
            )
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        form = QFormLayout()
        self.source = QLineEdit()
        self.source.setAccessibleName(_("Backup file"))
        source_browse = QPushButton(_("&Browse…"))
        source_browse.setAccessibleName(_("Choose the backup file"))
        source_browse.clicked.connect(self.browse_source)
        row = QHBoxLayout()
        row.addWidget(self.source, 1)
        row.addWidget(source_browse)
        form.addRow(_("Backup &file:"), row)
        self.target = QLineEdit()
        self.target.setPlaceholderText(
            _("a new SQLite file, or postgresql://… of an empty database")
        )
        self.target.setAccessibleName(_("New database"))
        target_browse = QPushButton(_("Br&owse…"))
        target_browse.setAccessibleName(_("Name the new database file"))
        target_browse.clicked.connect(self.browse_target)
        row = QHBoxLayout()
        row.addWidget(self.target, 1)
        row.addWidget(target_browse)
        form.addRow(_("&New database:"), row)
        if into_this_database:
            form.setRowVisible(1, False)
        self.admin = QLineEdit(username)
        self.admin.setAccessibleName(_("Administrator's user name in the backup"))
        form.addRow(_("&Administrator:"), self.admin)
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.password.setAccessibleName(_("Administrator's password in the backup"))
        form.addRow(_("&Password:"), self.password)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setAccessibleName(_("The backup's passphrase"))
        form.addRow(_("Bac&kup passphrase:"), self.passphrase)
        for label_row in range(form.rowCount()):
            label = form.itemAt(label_row, QFormLayout.ItemRole.LabelRole)
            field = form.itemAt(label_row, QFormLayout.ItemRole.FieldRole)
            if label and isinstance(label.widget(), QLabel) and field:
                buddy = field.widget() or field.layout().itemAt(0).widget()
                label.widget().setBuddy(buddy)
        layout.addLayout(form)
        self.passphrase_note = QLabel(
            _(
                "The passphrase that was given when the backup was made. Without it a sealed "
                "backup cannot be opened. Old backups made before backups were sealed need "
                "none."
            )
        )
        self.passphrase_note.setWordWrap(True)
        layout.addWidget(self.passphrase_note)
        self.use_next_time = QCheckBox(_("Open the restored database from the ne&xt start"))
        self.use_next_time.setChecked(True)
        self.use_next_time.setVisible(not into_this_database)
        layout.addWidget(self.use_next_time)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setAccessibleName(_("Restore result"))
        layout.addWidget(self.message)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.restore_button = QPushButton(_("&Restore"))
        self.restore_button.setDefault(True)
        self.restore_button.clicked.connect(self.restore)
        self.close_button = QPushButton(_("Close"))
        self.close_button.clicked.connect(self.reject)
        buttons.addWidget(self.restore_button)
        buttons.addWidget(self.close_button)
        layout.addLayout(buttons)
        self.resize(640, self.sizeHint().height())

    # --- choosing files -----------------------------------------------------------

    def _file_dialog(self, title: str, save: bool, chosen: Callable[[str], None]) -> None:
        dialog = QFileDialog(self, title)
        if save:
            dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
            dialog.setDefaultSuffix("sqlite3")
        if save:
            dialog.setNameFilters(
                [_("SQLite databases (*.sqlite3 *.sqlite *.db)"), _("All files (*)")]
            )
        else:
            dialog.setNameFilters([_("Backups (*.digcomp *.sqlite3)"), _("All files (*)")])
        dialog.fileSelected.connect(chosen)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def browse_source(self) -> None:
        self._file_dialog(_("Choose the backup file"), False, self.source.setText)

    def browse_target(self) -> None:
        self._file_dialog(_("Name the new database file"), True, self.target.setText)

    # --- restoring ----------------------------------------------------------------

    def _say(self, text: str, error: bool) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)

    def restore(self) -> None:
        source, target = self.source.text().strip(), self.target.text().strip()
        if not source or not Path(source).is_file():
            self._say(_("Choose the backup file: it was not found."), True)
            self.source.setFocus()
            return
        if self._into_this:
            url = self._db.url
        elif not target:
            self._say(
                _("Name the new database: a new file, or an empty PostgreSQL database."), True
            )
            self.target.setFocus()
            return
        else:
            url = _address(target)
        if url == self._db.url and not self._into_this:
            self._say(_("That is the database in use; a backup goes into a new one."), True)
            return
        name, password = self.admin.text().strip(), self.password.text()
        passphrase = self.passphrase.text()
        try:
            header = backup.describe(Path(source))
        except ServiceError as error:
            self._say(str(error), True)
            return
        school: str | None = None
        if header is not None:
            if not passphrase:
                self._say(_("Give the backup's passphrase: the backup is sealed."), True)
                self.passphrase.setFocus()
                return
            school = header.school.id
            if school != self._school and self._confirmed != (source, school):
                self._confirmed = (source, school)
                shown = {
                    "school": header.school.name or "-",
                    "id": header.school.short_id,
                    "date": header.created_at.date().isoformat(),
                }
                if self._school is None:
                    text = _(
                        "This backup comes from the school {school} (school id {id}), made on "
                        "{date}. Press Restore again to restore it."
                    ).format(**shown)
                else:
                    text = _(
                        "This backup comes from another school: {school} (school id {id}), "
                        "made on {date}, not from the school in use. Press Restore again only "
                        "if you mean to restore it."
                    ).format(**shown)
                self._say(text, True)
                self.restore_button.setFocus()
                return

        def work(report: Report, cancelled: Callable[[], bool]) -> object:
            report(
                0,
                0,
                _("Checking the backup and copying it into {database}…").format(
                    database=urls.describe(url)
                ),
            )
            if self._into_this:
                try:
                    return backup.restore(
                        self._db, None, Path(source), name, password, passphrase, school=school
                    )
                except ServiceError as error:
                    return error
            try:
                db = Database(url)
            except Exception as error:  # a bad address or an unreachable server
                return ServiceError(
                    _("The new database cannot be opened: {problem}").format(
                        problem=str(error).splitlines()[0]
                    )
                )
            try:
                return backup.restore(
                    db, None, Path(source), name, password, passphrase, school=school
                )
            except ServiceError as error:
                return error
            finally:
                db.close()

        self.restore_button.setEnabled(False)
        self.task = run_task(self, _("Restoring the backup"), work, lambda r: self._done(url, r))
        self.task.done.connect(lambda: self.restore_button.setEnabled(True))

    def _done(self, url: str, result: object) -> None:
        if isinstance(result, ServiceError):
            self._say(str(result), True)
            return
        assert isinstance(result, backup.RestoreInfo)
        self.restored_url = url
        rows = result.records
        text = ngettext(
            "Restored {rows} record into {database} (administrator {name}).",
            "Restored {rows} records into {database} (administrator {name}).",
            rows,
        ).format(rows=rows, database=urls.describe(url), name=result.administrator)
        if result.school is not None:
            text += " " + _("The backup came from the school {school} (school id {id}).").format(
                school=result.school.name or "-", id=result.school.short_id
            )
        if self.use_next_time.isChecked() and not self._into_this:
            save_settings(load_settings().with_changes(database_url=url))
            text += " " + _("The program opens it from its next start.")
        for warning in result.warnings:
            text += "\n\n" + _("Warning: {text}").format(text=warning)
        self._say(text, bool(result.warnings))
        self._notify(text)
