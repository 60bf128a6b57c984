"""The import wizard: a roster file from the school register into learners or staff accounts.

File → Columns → Preview → (Import, in the background with Cancel) → Result. Reading the
file, checking it against the database and importing all run off the GUI thread
(:mod:`digcomp_app.ui.tasks`). Nothing is written before the Import button, and an import
is all or nothing: Cancel, or a problem found at the last moment, leaves the database as
it was.

The steps are in :mod:`.file_step`, :mod:`.columns_step`, :mod:`.preview_step` and
:mod:`.result_step`; here the wizard moves between them.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.services import rosters
from digcomp_app.services.roster_files import (
    LEARNER_FIELDS,
    STAFF_FIELDS,
    ColumnMapping,
    RosterTable,
)
from digcomp_app.services.rosters import ImportResult
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.rosters.columns_step import ColumnsStep, field_name
from digcomp_app.ui.screens.rosters.common import COLUMNS, FILE, PREVIEW, RESULT
from digcomp_app.ui.screens.rosters.file_step import FileStep
from digcomp_app.ui.screens.rosters.preview_step import PreviewStep
from digcomp_app.ui.screens.rosters.result_step import ResultStep
from digcomp_app.ui.tasks import Cancelled, TaskHandle, run_task
from digcomp_app.ui.widgets import fit_to_texts


class ImportWizard(QDialog, FileStep, ColumnsStep, PreviewStep, ResultStep):
    """Import a roster of ``kind`` "learners" or "staff". Tests drive it with
    :meth:`choose_file`, :meth:`go_next`, :meth:`start_import` and the attributes
    ``table``, ``mapping``, ``plan`` and ``result``."""

    def __init__(self, parent: QWidget | None, context: UiContext, kind: str) -> None:
        super().__init__(parent)
        if kind not in ("learners", "staff"):
            raise ValueError(f"unknown roster kind {kind!r}")
        self.kind = kind
        self._context = context
        self.fields: Sequence[str] = LEARNER_FIELDS if kind == "learners" else STAFF_FIELDS
        self.path: Path | None = None
        self.table: RosterTable | None = None
        self.mapping: ColumnMapping | None = None
        self.plan: rosters.LearnerImportPlan | rosters.StaffImportPlan | None = None
        self.result: ImportResult | None = None
        #: True once something was imported (the caller refreshes its lists)
        self.imported = False
        self.task: TaskHandle | None = None
        self.file_dialog: QFileDialog | None = None
        self.slips_dialog: QDialog | None = None
        self._file_error = ""
        self._import_note = ""
        self._preview_after_reading = False

        self.step_label = QLabel()
        self.step_label.setObjectName("heading")
        self.stack = QStackedWidget()
        self.stack.addWidget(self._build_file_page())
        self.stack.addWidget(self._build_columns_page())
        self.stack.addWidget(self._build_preview_page())
        self.stack.addWidget(self._build_result_page())

        self.back_button = QPushButton()
        self.back_button.clicked.connect(self.go_back)
        self.next_button = QPushButton()
        self.next_button.clicked.connect(self.go_next)
        self.import_button = QPushButton()
        self.import_button.clicked.connect(self.start_import)
        self.close_button = QPushButton()
        self.close_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addStretch(1)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.close_button)

        layout = QVBoxLayout(self)
        layout.addWidget(self.step_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)
        self.retranslate()
        self._update_buttons()
        fit_to_texts(self, 70)
        self.resize(max(self.minimumWidth(), 900), max(self.minimumHeight(), 620))

    def retranslate(self) -> None:
        learners_kind = self.kind == "learners"
        self.setWindowTitle(_("Import learners") if learners_kind else _("Import staff"))
        self.back_button.setText(_("< &Back"))
        self.next_button.setText(_("&Next >"))
        self.import_button.setText(_("&Import"))
        self.choose_button.setText(_("Choose &file…"))
        self.choose_button.setAccessibleName(_("Choose the roster file"))
        self.file_edit.setAccessibleName(_("Roster file"))
        self.file_edit.setPlaceholderText(_("no file chosen yet"))
        if learners_kind:
            self.file_intro.setText(
                _(
                    "Choose the list of learners exported from the school register: an XLSX, "
                    "ODS or CSV file whose first row names the columns (for example Vārds, "
                    "Uzvārds, Skolēna nr., Klase). Learners are recognised by their learner "
                    "number, so importing the same file again updates them and never makes "
                    "duplicates."
                )
            )
        else:
            self.file_intro.setText(
                _(
                    "Choose the list of staff: an XLSX, ODS or CSV file whose first row names "
                    "the columns (for example Vārds, Uzvārds, Lietotājvārds, Loma). New people "
                    "get accounts with one-time passwords; people who already have an account "
                    "only get the roles the file adds."
                )
            )
        self.groups_box.setTitle(_("Groups"))
        self.default_group_label.setText(_("Group for rows &without one:"))
        self.default_group.setAccessibleName(_("Group for rows without one"))
        self.default_group.lineEdit().setPlaceholderText(_("none"))
        self.default_group_note.setText(
            _("Choose an existing group or type the name of a new one, such as 7.b.")
        )
        self.create_groups.setText(_("&Create groups that do not exist yet"))
        for field in self.fields:
            self.column_labels[field].setText(field_name(field) + ":")
            self.column_combos[field].setAccessibleName(field_name(field))
            if self.column_combos[field].count():
                self.column_combos[field].setItemText(0, _("— not in the file —"))
        self.problems_table.setHorizontalHeaderLabels([_("Line"), _("Column"), _("Problem")])
        self.problems_table.setAccessibleName(_("Problems"))
        self.reload_button.setText(_("&Read the file again"))
        if learners_kind:
            headers = [_("Line"), _("Name"), _("Learner number"), _("Group"), _("What happens")]
        else:
            headers = [_("Line"), _("Name"), _("User name"), _("Roles"), _("What happens")]
        self.rows_table.setHorizontalHeaderLabels(headers)
        self.rows_table.setAccessibleName(_("The first rows as they will be imported"))
        self.rows_label.setText(_("The first rows as they will be imported:"))
        self.slips_button.setText(_("&Sign-in slips…"))
        self._show_step()
        self._show_file_state()
        if self.table is not None:
            self._show_columns_note()
        if self.plan is not None:
            self._show_plan()
        if self.result is not None:
            self._show_result()

    def _show_step(self) -> None:
        titles = {
            FILE: _("Step 1 of 4: the file"),
            COLUMNS: _("Step 2 of 4: the columns"),
            PREVIEW: _("Step 3 of 4: check and import"),
            RESULT: _("Step 4 of 4: done"),
        }
        self.step_label.setText("<h3>" + titles[self.stack.currentIndex()] + "</h3>")
        on_result = self.stack.currentIndex() == RESULT
        self.close_button.setText(_("&Close") if on_result else _("Cancel"))

    def go_next(self) -> None:
        index = self.stack.currentIndex()
        if self.task is not None:
            return
        if index == FILE and self.table is not None:
            self.stack.setCurrentIndex(COLUMNS)
        elif index == COLUMNS and self.table is not None:
            self.mapping = self.chosen_mapping()
            self.stack.setCurrentIndex(PREVIEW)
            self._start_preview()
        self._show_step()
        self._update_buttons()

    def go_back(self) -> None:
        index = self.stack.currentIndex()
        if self.task is not None or index in (FILE, RESULT):
            return
        self.stack.setCurrentIndex(index - 1)
        self._show_step()
        self._update_buttons()

    def _update_buttons(self) -> None:
        index = self.stack.currentIndex()
        busy = self.task is not None
        self.back_button.setVisible(index in (COLUMNS, PREVIEW))
        self.back_button.setEnabled(not busy)
        self.next_button.setVisible(index in (FILE, COLUMNS))
        self.next_button.setEnabled(not busy and self.table is not None)
        self.import_button.setVisible(index == PREVIEW)
        self.import_button.setEnabled(
            not busy and self.plan is not None and self.plan.ok and bool(self.plan.rows)
        )
        self.choose_button.setEnabled(not busy)
        self.reload_button.setEnabled(not busy)
        default = {FILE: self.next_button, COLUMNS: self.next_button}.get(index)
        if index == PREVIEW:
            default = self.import_button
        elif index == RESULT:
            default = self.close_button
        for button in (self.next_button, self.import_button, self.close_button):
            button.setDefault(button is default)

    # --- background work ----------------------------------------------------------

    def _start(self, title: str, work, on_done) -> None:
        handle = run_task(self, title, work, on_done)
        self.task = handle

        def finished() -> None:
            if self.task is handle:
                self.task = None
            if isinstance(handle.error, Cancelled):
                self._cancelled(title)
            self._show_file_state()
            if self.plan is None:
                self._show_plan()
            self._update_buttons()

        handle.done.connect(finished)
        self._update_buttons()

    def _cancelled(self, title: str) -> None:
        index = self.stack.currentIndex()
        self._preview_after_reading = False
        if index == PREVIEW and self.plan is not None:
            self._import_note = _("The import was cancelled: nothing was imported.")
            self._show_plan()
        elif index == PREVIEW:
            self.stack.setCurrentIndex(COLUMNS)
            self._show_step()
        elif index == FILE:
            self._file_error = _("Reading the file was cancelled.")

    def reject(self) -> None:
        if self.task is not None:
            self.task.cancel()
            return
        super().reject()


def open_import_wizard(parent: QWidget, context: UiContext, kind: str) -> bool:
    """Import a roster of learners or staff (``kind``); True when something was imported."""
    wizard = ImportWizard(parent, context, kind)
    wizard.exec()
    return wizard.imported
