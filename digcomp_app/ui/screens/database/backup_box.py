"""Backing the database up to a file, and how a backup is restored."""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_number
from digcomp_app.services import backup
from digcomp_app.services.backup import BackupCancelled, BackupInfo
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.sealing import MIN_PASSPHRASE, check_new_passphrase
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.tasks import Cancelled, Report, TaskHandle, run_task

ERROR_STYLE = "color: #b00020;"
OK_STYLE = "color: #1b5e20;"


def restore_command(username: str) -> str:
    return "digcomp-app --database {new} restore {file} --admin {name} --yes".format(
        new=_("NEW_DATABASE"), file=_("FILE"), name=username
    )


class BackupBox(QGroupBox):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.task: TaskHandle | None = None
        self.file_dialog: QFileDialog | None = None
        self.last_backup: BackupInfo | None = None
        self._folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation
        )

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_again = QLineEdit()
        self.passphrase_again.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase_label = QLabel()
        self.passphrase_label.setBuddy(self.passphrase)
        self.passphrase_again_label = QLabel()
        self.passphrase_again_label.setBuddy(self.passphrase_again)
        self.passphrase_note = QLabel()
        self.passphrase_note.setWordWrap(True)
        self.backup_button = QPushButton()
        self.restore_button = QPushButton()
        self.result = QLabel()
        self.result.setWordWrap(True)
        self.result.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.restore_help = QLabel()
        self.restore_help.setWordWrap(True)
        self.restore_help.setTextFormat(Qt.TextFormat.RichText)
        self.restore_help.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.restore_help.setVisible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.backup_button)
        buttons.addWidget(self.restore_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        form = QFormLayout()
        form.addRow(self.passphrase_label, self.passphrase)
        form.addRow(self.passphrase_again_label, self.passphrase_again)
        layout.addLayout(form)
        layout.addWidget(self.passphrase_note)
        layout.addLayout(buttons)
        layout.addWidget(self.result)
        layout.addWidget(self.restore_help)
        self.setTabOrder(self.passphrase, self.passphrase_again)
        self.setTabOrder(self.passphrase_again, self.backup_button)
        self.setTabOrder(self.backup_button, self.restore_button)

        self.backup_button.clicked.connect(self.choose_backup_file)
        self.restore_button.clicked.connect(self.explain_restore)
        self.retranslate()

    def retranslate(self) -> None:
        self.setTitle(_("Backup and restore"))
        self.intro.setText(
            _(
                "A backup is one file with the whole school database: learners, "
                "assessments, evidence files, certificates and the audit log. It can be made "
                "while others work. Keep backups on another disk or computer."
            )
        )
        self.passphrase_label.setText(_("Bac&kup passphrase:"))
        self.passphrase_again_label.setText(_("Passphrase agai&n:"))
        self.passphrase.setAccessibleName(_("Backup passphrase"))
        self.passphrase_again.setAccessibleName(_("Backup passphrase again"))
        self.passphrase_note.setText(
            _(
                "Every backup is encrypted and sealed with this passphrase (at least {count} "
                "characters). Keep it safe and apart from the backup: a lost passphrase means "
                "a lost backup, nobody can open it without it."
            ).format(count=MIN_PASSPHRASE)
        )
        self.backup_button.setText(_("Back &up now…"))
        self.backup_button.setAccessibleName(_("Back up now"))
        self.restore_button.setText(_("&Restore…"))
        self.restore_button.setAccessibleName(_("Restore a backup"))
        self.result.setAccessibleName(_("Backup result"))
        self.restore_help.setAccessibleName(_("How to restore a backup"))
        self.restore_help.setText(self._restore_html())

    def _restore_html(self) -> str:
        steps = _(
            "A backup is restored only into a new, empty database, never into the database "
            "in use: that keeps today's data safe if the backup is not the one you wanted. "
            "The Restore dialog does it; from a command window, the same is:"
        )
        after = _(
            "{new} is a new SQLite file or an empty PostgreSQL database, {file} the backup "
            "file, and {name} the user name of an administrator in the backup: you are asked "
            "for the backup's passphrase and the password they had when the backup was made. "
            "Then choose the new database above, under Database for the next start, and open "
            "the program again."
        ).format(new=_("NEW_DATABASE"), file=_("FILE"), name=self._context.actor.username)
        return (
            f"<p>{html.escape(steps)}</p>"
            f"<pre>{html.escape(restore_command(self._context.actor.username))}</pre>"
            f"<p>{html.escape(after)}</p>"
        )

    def _show(self, text: str, ok: bool) -> None:
        self.result.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)
        self.result.setText(text)

    # --- actions ------------------------------------------------------------------

    def explain_restore(self) -> None:
        """Open the restore dialog; the command-line way is shown below for reference."""
        from digcomp_app.ui.screens.database.restore_dialog import RestoreDialog

        self.restore_help.setVisible(True)
        self.restore_dialog = RestoreDialog(
            self._context.db, self._context.actor.username, self, notify=self._context.notify
        )
        self.restore_dialog.open()

    def _passphrase_ok(self) -> bool:
        try:
            check_new_passphrase(self.passphrase.text(), self.passphrase_again.text())
        except ServiceError as problem:
            self._show(str(problem), False)
            self.passphrase.setFocus()
            return False
        return True

    def choose_backup_file(self) -> None:
        if not self._passphrase_ok():
            return
        name = f"digcomp-backup-{dt.date.today().isoformat()}.digcomp"
        dialog = QFileDialog(self, _("Save the backup as"), str(Path(self._folder) / name))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters([_("Backups (*.digcomp *.sqlite3)"), _("All files (*)")])
        dialog.setDefaultSuffix("digcomp")
        dialog.selectFile(name)
        dialog.fileSelected.connect(self.back_up)
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def back_up(self, path: str) -> None:
        """Write the backup to ``path`` in the background (the file dialog asked to replace)."""
        if not self._passphrase_ok():
            return
        passphrase = self.passphrase.text()
        target = Path(path)
        self._folder = str(target.parent)
        overwrite = target.exists()
        db, actor = self._context.db, self._context.actor
        self.result.clear()
        self.backup_button.setEnabled(False)

        shown = [(-2, "")]  # the last step the window was told of

        def work(report: Report, cancelled: Callable[[], bool]) -> BackupInfo:
            def progress(done: int, total: int, text: str) -> None:
                # tell the window only when the bar moves a step (a big copy has many)
                step = (done * 200 // total if total else -1, text)
                if shown[0] == step:
                    return
                shown[0] = step
                report(done, total, _("{step}\nTo: {path}").format(step=text, path=target))

            try:
                return backup.create(
                    db,
                    actor,
                    target,
                    passphrase,
                    overwrite=overwrite,
                    progress=progress,
                    cancelled=cancelled,
                )
            except BackupCancelled:  # the service left nothing behind
                raise Cancelled from None

        self.task = run_task(self, _("Backing up"), work, self._done)
        self.task.dialog.show()  # at once: people should see that the backup has started
        self.task.done.connect(self._finished)

    def _done(self, info: BackupInfo) -> None:
        self.last_backup = info
        text = _(
            "Backup written to {path} ({size} MB): {records} records, {files} evidence files."
        ).format(
            path=info.path,
            size=format_number(round(info.size / 2**20, 1)),
            records=format_number(info.records),
            files=format_number(info.evidence_files),
        )
        self._show(text, True)
        self._context.notify(text)

    def _finished(self) -> None:
        self.backup_button.setEnabled(True)
        task = self.task
        if task is None or task.error is None:
            return
        if isinstance(task.error, Cancelled):
            self._show(_("The backup was cancelled; no file was written."), False)
        else:
            self._show(_("The backup was not written. See the message for the reason."), False)
