"""Step 1 of the import wizard: the roster file, read in the background, and (for
learners) the group for rows without one."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
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

from digcomp_app.i18n import _, ngettext
from digcomp_app.services import learners
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.roster_files import (
    RosterCancelled,
    RosterFileError,
    RosterTable,
    read_roster,
)
from digcomp_app.ui.screens.rosters.common import COLUMNS, FILE, error_label, wrapped
from digcomp_app.ui.tasks import Cancelled, Report


class FileStep:
    """Step 1 of :class:`~digcomp_app.ui.screens.rosters.wizard.ImportWizard` (mixed into it):
    ``path`` and ``table`` are set here."""

    def _build_file_page(self) -> QWidget:
        page = QWidget()
        self.file_intro = wrapped()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.choose_button)
        self.file_status = wrapped()
        self.file_error = error_label()
        layout = QVBoxLayout(page)
        layout.addWidget(self.file_intro)
        layout.addLayout(row)
        layout.addWidget(self.file_status)
        layout.addWidget(self.file_error)
        self.groups_box = QGroupBox()
        self.default_group = QComboBox()
        self.default_group.setEditable(True)
        self.default_group.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.default_group.setMinimumContentsLength(20)
        self.default_group_label = QLabel()
        self.default_group_label.setBuddy(self.default_group)
        self.default_group_note = wrapped()
        self.create_groups = QCheckBox()
        self.create_groups.setChecked(True)
        form = QFormLayout(self.groups_box)
        form.addRow(self.default_group_label, self.default_group)
        form.addRow(self.default_group_note)
        form.addRow(self.create_groups)
        layout.addWidget(self.groups_box)
        self.groups_box.setVisible(self.kind == "learners")
        if self.kind == "learners":
            self.default_group.addItem("")
            try:
                groups = learners.list_groups(self._context.db, self._context.actor)
            except ServiceError:
                groups = []
            for group in groups:
                self.default_group.addItem(group.name)
        layout.addStretch(1)
        return page

    def _show_file_state(self) -> None:
        self.file_error.setText(self._file_error)
        self.file_error.setVisible(bool(self._file_error))
        table = self.table
        if self.task is not None and self.stack.currentIndex() == FILE:
            self.file_status.setText(_("Reading the file…"))
        elif table is None:
            self.file_status.setText("")
        else:
            formats = {"csv": "CSV", "xlsx": "XLSX", "ods": "ODS"}
            self.file_status.setText(
                ngettext(
                    "{file}: {count} row with {columns} columns ({format}).",
                    "{file}: {count} rows with {columns} columns ({format}).",
                    len(table.rows),
                ).format(
                    file=table.file_name,
                    count=len(table.rows),
                    columns=len(table.headers),
                    format=formats.get(table.file_format, table.file_format),
                )
            )

    def browse(self) -> None:
        dialog = QFileDialog(self, _("Choose the roster file"))
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        dialog.setNameFilters(
            [_("Rosters (*.xlsx *.ods *.csv *.txt)"), _("All files (*)")],
        )
        dialog.fileSelected.connect(lambda path: self.choose_file(Path(path)))
        dialog.finished.connect(lambda _code: setattr(self, "file_dialog", None))
        self.file_dialog = dialog
        dialog.open()

    def choose_file(self, path: Path | str) -> None:
        """Read ``path`` in the background; the columns step opens when it was read."""
        if self.task is not None:
            return
        self.path = Path(path)
        self.file_edit.setText(str(self.path))
        self.table = None
        self.mapping = None
        self.plan = None
        self._file_error = ""
        self._read()

    def reload(self) -> None:
        """Read the same file again (after it was corrected) and check it again."""
        if self.path is None or self.task is not None:
            return
        self._preview_after_reading = True
        self._read()

    def _read(self) -> None:
        path = self.path
        assert path is not None

        def work(report: Report, cancelled) -> RosterTable | RosterFileError:
            try:
                return read_roster(path, should_stop=cancelled)
            except RosterCancelled:
                raise Cancelled() from None
            except RosterFileError as problem:
                return problem

        self._start(_("Reading {file}…").format(file=path.name), work, self._read_done)
        self._show_file_state()

    def _read_done(self, outcome: RosterTable | RosterFileError) -> None:
        again = self._preview_after_reading
        self._preview_after_reading = False
        if isinstance(outcome, RosterFileError):
            self._file_error = str(outcome)
            self.table = None
            self.mapping = None
            self.plan = None
            if again:
                self.stack.setCurrentIndex(FILE)
                self._show_step()
            self._show_file_state()
            return
        old = self.table
        self.table = outcome
        self.plan = None
        self._file_error = ""
        if again and old is not None and old.headers == outcome.headers and self.mapping:
            self._show_file_state()
            self._start_preview()
            return
        self.mapping = None
        self._fill_columns(outcome)
        self._show_file_state()
        if again:
            self.stack.setCurrentIndex(COLUMNS)
            self._show_step()
