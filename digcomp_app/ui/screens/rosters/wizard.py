"""The import wizard: a roster file from the school register into learners or staff accounts.

File → Columns → Preview → (Import, in the background with Cancel) → Result. Reading the
file, checking it against the database and importing all run off the GUI thread
(:mod:`digcomp_app.ui.tasks`). Nothing is written before the Import button, and an import
is all or nothing: Cancel, or a problem found at the last moment, leaves the database as
it was.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QStackedWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, ngettext
from digcomp_app.services import learners, rosters
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.permissions import Role
from digcomp_app.services.roster_files import (
    LEARNER_FIELDS,
    STAFF_FIELDS,
    ColumnMapping,
    RosterCancelled,
    RosterFileError,
    RosterTable,
    field_label,
    guess_mapping,
    ignored_sensitive_columns,
    read_roster,
)
from digcomp_app.services.rosters import ImportRefused, ImportResult
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.tasks import Cancelled, Report, TaskHandle, run_task
from digcomp_app.ui.widgets import ERROR_COLOUR, fit_to_texts, record_table

#: how many planned rows the preview lists
PREVIEW_ROWS = 50

FILE, COLUMNS, PREVIEW, RESULT = range(4)


def field_name(field: str) -> str:
    """The translated name of a roster field, as the columns step shows it."""
    return field_label(field)


def change_name(change: str) -> str:
    names = {
        "name": _("name"),
        "email": _("e-mail"),
        "date_of_birth": _("date of birth"),
        "group": _("group"),
        "active": _("active again"),
    }
    return names.get(change, change)


def _role_names(roles: frozenset[str]) -> str:
    from digcomp_app.ui.screens.home import role_names

    return role_names(frozenset(Role(r) for r in roles))


def _wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _error_label() -> QLabel:
    label = _wrapped()
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


class ImportWizard(QDialog):
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

    # --- pages --------------------------------------------------------------------

    def _build_file_page(self) -> QWidget:
        page = QWidget()
        self.file_intro = _wrapped()
        self.file_edit = QLineEdit()
        self.file_edit.setReadOnly(True)
        self.choose_button = QPushButton()
        self.choose_button.clicked.connect(self.browse)
        row = QHBoxLayout()
        row.addWidget(self.file_edit, 1)
        row.addWidget(self.choose_button)
        self.file_status = _wrapped()
        self.file_error = _error_label()
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
        self.default_group_note = _wrapped()
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

    def _build_columns_page(self) -> QWidget:
        page = QWidget()
        self.columns_note = _wrapped()
        self.columns_form = QFormLayout()
        self.columns_form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.column_combos: dict[str, QComboBox] = {}
        self.column_labels: dict[str, QLabel] = {}
        self.column_examples: dict[str, QLabel] = {}
        for field in self.fields:
            combo = QComboBox()
            combo.setMinimumContentsLength(22)
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.currentIndexChanged.connect(lambda _i, f=field: self._show_example(f))
            example = QLabel()
            example.setTextFormat(Qt.TextFormat.PlainText)
            example.setStyleSheet("color: palette(placeholder-text);")
            label = QLabel()
            label.setBuddy(combo)
            row = QHBoxLayout()
            row.addWidget(combo)
            row.addWidget(example, 1)
            self.columns_form.addRow(label, row)
            self.column_combos[field] = combo
            self.column_labels[field] = label
            self.column_examples[field] = example
        self.sensitive_note = _wrapped()
        layout = QVBoxLayout(page)
        layout.addWidget(self.columns_note)
        layout.addLayout(self.columns_form)
        layout.addWidget(self.sensitive_note)
        layout.addStretch(1)
        return page

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.counts_label = _wrapped()
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notices_label = _wrapped()
        for label in (self.counts_label, self.notices_label):
            label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label = _error_label()
        self.problems_table = record_table(3)
        header = self.problems_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems_table.setWordWrap(True)
        self.reload_button = QPushButton()
        self.reload_button.clicked.connect(self.reload)
        self.rows_label = _wrapped()
        self.rows_table = record_table(5)
        rows_header = self.rows_table.horizontalHeader()
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows_header.setStretchLastSection(True)
        self.import_note = _wrapped()
        layout = QVBoxLayout(page)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.notices_label)
        problems_row = QHBoxLayout()
        problems_row.addWidget(self.problems_label, 1)
        problems_row.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(problems_row)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.rows_table, 1)
        layout.addWidget(self.import_note)
        return page

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = _wrapped()
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.slips_button = QPushButton()
        self.slips_button.clicked.connect(self.open_slips)
        self.slips_button.setVisible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addWidget(self.slips_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    # --- texts --------------------------------------------------------------------

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

    def _show_columns_note(self) -> None:
        assert self.table is not None
        mapping = self.mapping or guess_mapping(self.table.headers, self.kind)  # type: ignore[arg-type]
        if mapping.unsure:
            names = (
                _("first names and surnames (or full names)")
                if self.kind == "staff"
                else _("first names and surnames (or full names) and learner numbers")
            )
            text = _(
                "Please say which column holds {what}: the column names were not clear enough "
                "to be sure."
            ).format(what=names)
        else:
            text = _(
                "We recognised these columns; check them. Choose “— not in the file —” for "
                "anything the file does not have."
            )
        self.columns_note.setText(text)
        sensitive = [self.table.headers[i] for i in ignored_sensitive_columns(self.table.headers)]
        self.sensitive_note.setText(
            _("Not imported: {columns}. The app does not keep national personal codes.").format(
                columns=", ".join(f"“{h}”" for h in sensitive)
            )
            if sensitive
            else ""
        )
        self.sensitive_note.setVisible(bool(sensitive))

    # --- step 1: the file ---------------------------------------------------------

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

    # --- step 2: the columns ------------------------------------------------------

    def _fill_columns(self, table: RosterTable) -> None:
        guess = guess_mapping(table.headers, self.kind)  # type: ignore[arg-type]
        sensitive = set(ignored_sensitive_columns(table.headers))
        for field, combo in self.column_combos.items():
            combo.blockSignals(True)
            combo.clear()
            combo.addItem(_("— not in the file —"), -1)
            for index, header in enumerate(table.headers):
                if index not in sensitive:
                    combo.addItem(header or _("(column {number})").format(number=index + 1), index)
            chosen = guess.columns.get(field, -1)
            combo.setCurrentIndex(max(0, combo.findData(chosen)))
            combo.blockSignals(False)
            self._show_example(field)
        self._guess = guess
        self._show_columns_note_for(guess)

    def _show_columns_note_for(self, guess: ColumnMapping) -> None:
        saved, self.mapping = self.mapping, guess
        self._show_columns_note()
        self.mapping = saved

    def _show_example(self, field: str) -> None:
        combo = self.column_combos[field]
        label = self.column_examples[field]
        index = combo.currentData()
        text = ""
        if self.table is not None and isinstance(index, int) and index >= 0:
            for row in self.table.rows[:20]:
                if index < len(row.cells) and row.cells[index]:
                    text = _("e.g. {value}").format(value=row.cells[index][:40])
                    break
        label.setText(text)

    def chosen_mapping(self) -> ColumnMapping:
        """The columns as the user chose them on the columns step."""
        columns = {}
        for field, combo in self.column_combos.items():
            index = combo.currentData()
            if isinstance(index, int) and index >= 0:
                columns[field] = index
        guess = getattr(self, "_guess", None)
        return ColumnMapping(columns, unsure=bool(guess and guess.unsure))

    # --- step 3: preview ----------------------------------------------------------

    def _start_preview(self) -> None:
        table, mapping = self.table, self.mapping
        assert table is not None and mapping is not None
        db, actor = self._context.db, self._context.actor
        default_group = self.default_group.currentText().strip()
        create_groups = self.create_groups.isChecked()
        kind = self.kind

        def work(report: Report, cancelled):
            if kind == "learners":
                plan = rosters.preview_learners(
                    db, actor, table, mapping, default_group, create_groups
                )
            else:
                plan = rosters.preview_staff(db, actor, table, mapping)
            if cancelled():
                raise Cancelled()
            return plan

        self.plan = None
        self._import_note = ""
        self._show_plan()
        self._start(_("Checking the file…"), work, self._preview_done)

    def _preview_done(self, plan) -> None:
        self.plan = plan
        self._show_plan()

    def _show_plan(self) -> None:
        plan = self.plan
        self.import_note.setText(self._import_note)
        self.import_note.setVisible(bool(self._import_note))
        if plan is None:
            self.counts_label.setText(_("Checking the file…") if self.task else "")
            self.counts_label.setVisible(True)
            for widget in (
                self.notices_label,
                self.problems_label,
                self.problems_table,
                self.reload_button,
                self.rows_label,
                self.rows_table,
            ):
                widget.setVisible(False)
            return
        create, update = plan.count("create"), plan.count("update")
        unchanged = plan.count("unchanged")
        if self.kind == "learners":
            parts = [
                ngettext(
                    "Will create {count} learner", "Will create {count} learners", create
                ).format(count=create),
                ngettext("update {count}", "update {count}", update).format(count=update),
                ngettext("{count} unchanged", "{count} unchanged", unchanged).format(
                    count=unchanged
                ),
            ]
            new_groups = plan.new_groups  # type: ignore[union-attr]
            groups = (
                _("New groups: {groups}.").format(groups=", ".join(new_groups))
                if new_groups
                else _("No new groups.")
            )
        else:
            parts = [
                ngettext(
                    "Will create {count} account", "Will create {count} accounts", create
                ).format(count=create),
                ngettext("add roles to {count}", "add roles to {count}", update).format(
                    count=update
                ),
                ngettext("{count} unchanged", "{count} unchanged", unchanged).format(
                    count=unchanged
                ),
            ]
            groups = ""
        counts = ", ".join(parts) + "."
        if plan.skipped_empty:
            counts += " " + ngettext(
                "{count} empty row is skipped.",
                "{count} empty rows are skipped.",
                plan.skipped_empty,
            ).format(count=plan.skipped_empty)
        self.counts_label.setText(
            "<b>" + _escape(counts) + "</b>" + (" " + _escape(groups) if groups else "")
        )
        # with problems nothing is imported: the problems are the news, not the counts
        self.counts_label.setVisible(plan.ok)
        self.notices_label.setText("<br>".join(_escape(n) for n in plan.notices))
        self.notices_label.setVisible(bool(plan.notices))
        problems = plan.problems
        self.problems_label.setText(
            ngettext(
                "The file has {count} problem. Correct the file and choose it again; nothing "
                "will be imported until every problem is solved.",
                "The file has {count} problems. Correct the file and choose it again; nothing "
                "will be imported until every problem is solved.",
                len(problems),
            ).format(count=len(problems))
        )
        for widget in (self.problems_label, self.problems_table, self.reload_button):
            widget.setVisible(bool(problems))
        self.problems_table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            line = str(problem.line) if problem.line else _("whole file")
            for column, text in enumerate((line, problem.column, problem.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.problems_table.setItem(row, column, item)
        self.problems_table.resizeRowsToContents()
        shown = plan.rows[:PREVIEW_ROWS]
        self.rows_table.setRowCount(len(shown))
        for row, planned in enumerate(shown):
            name = f"{planned.given_names} {planned.surname}"
            if self.kind == "learners":
                cells = (
                    str(planned.line),
                    name,
                    planned.learner_number,  # type: ignore[union-attr]
                    planned.group,  # type: ignore[union-attr]
                    self._action_text(planned.action, planned.changes),  # type: ignore[union-attr]
                )
            else:
                cells = (
                    str(planned.line),
                    name,
                    planned.username or _("(made up at import)"),  # type: ignore[union-attr]
                    _role_names(planned.roles),  # type: ignore[union-attr]
                    self._action_text(planned.action, ()),
                )
            for column, text in enumerate(cells):
                self.rows_table.setItem(row, column, QTableWidgetItem(text))
        more = len(plan.rows) - len(shown)
        self.rows_label.setText(
            _("The first rows as they will be imported:")
            + (
                " " + ngettext("({count} more row)", "({count} more rows)", more).format(count=more)
                if more > 0
                else ""
            )
        )
        self.rows_label.setVisible(bool(shown))
        self.rows_table.setVisible(bool(shown))
        self._update_buttons()

    def _action_text(self, action: str, changes: Sequence[str]) -> str:
        if action == "create":
            return _("new") if self.kind == "learners" else _("new account")
        if action == "update":
            if self.kind == "staff":
                return _("gets more roles")
            return _("updated: {what}").format(what=", ".join(change_name(c) for c in changes))
        return _("no change")

    # --- step 4: import -----------------------------------------------------------

    def start_import(self) -> None:
        """Import in the background; Cancel leaves the database as it was."""
        plan = self.plan
        if plan is None or not plan.ok or self.task is not None or self.result is not None:
            return
        table, mapping = self.table, self.mapping
        assert table is not None and mapping is not None
        db, actor = self._context.db, self._context.actor
        default_group = self.default_group.currentText().strip()
        create_groups = self.create_groups.isChecked()
        kind = self.kind
        text = _("Importing learners…") if kind == "learners" else _("Importing staff…")

        def work(report: Report, cancelled):
            def progress(done: int, total: int) -> None:
                report(done, total, text)

            try:
                if kind == "learners":
                    return rosters.import_learners(
                        db,
                        actor,
                        table,
                        mapping,
                        default_group,
                        create_groups,
                        should_stop=cancelled,
                        progress=progress,
                    )
                return rosters.import_staff(
                    db, actor, table, mapping, should_stop=cancelled, progress=progress
                )
            except RosterCancelled:
                raise Cancelled() from None
            except ImportRefused as refused:
                return refused.plan

        self._import_note = ""
        self.import_note.setVisible(False)
        self._start(text, work, self._import_done)

    def _import_done(self, outcome) -> None:
        if isinstance(outcome, ImportResult):
            self.result = outcome
            self.imported = bool(outcome.created or outcome.updated or outcome.groups_created)
            self.stack.setCurrentIndex(RESULT)
            self._show_step()
            self._show_result()
            if outcome.credentials:
                self.open_slips()
            return
        # the database changed since the preview: the new problems, nothing imported
        self.plan = outcome
        self._import_note = _("Nothing was imported: the file has problems to correct first.")
        self._show_plan()

    # --- step 5: the result -------------------------------------------------------

    def _show_result(self) -> None:
        result = self.result
        assert result is not None
        if self.kind == "learners":
            lines = [
                _(
                    "Created {created}, updated {updated}, unchanged {unchanged}, empty rows "
                    "skipped {skipped}."
                ).format(
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    skipped=result.skipped_empty,
                ),
                _("Groups created: {groups}.").format(
                    groups=", ".join(result.groups_created) or _("none")
                ),
            ]
        else:
            lines = [
                _(
                    "Accounts created {created}, given more roles {updated}, unchanged "
                    "{unchanged}, empty rows skipped {skipped}."
                ).format(
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    skipped=result.skipped_empty,
                )
            ]
            if result.credentials:
                lines.append(
                    _(
                        "The new accounts have one-time passwords, shown only on their sign-in "
                        "slips: save the slips and hand them out."
                    )
                )
        self.result_label.setText("<br>".join(_escape(line) for line in lines))
        self.slips_button.setVisible(bool(result.credentials))

    def open_slips(self) -> None:
        """The new accounts' sign-in slips (their one-time passwords) to save as a PDF."""
        if self.result is None or not self.result.credentials:
            return
        from digcomp_app.ui.slips_dialog import SlipsDialog

        if self.slips_dialog is None:
            self.slips_dialog = SlipsDialog(self, self._context, self.result.credentials)
        self.slips_dialog.open()

    # --- moving between steps -----------------------------------------------------

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


def _escape(text: str) -> str:
    from html import escape

    return escape(text)


def open_import_wizard(parent: QWidget, context: UiContext, kind: str) -> bool:
    """Import a roster of learners or staff (``kind``); True when something was imported."""
    wizard = ImportWizard(parent, context, kind)
    wizard.exec()
    return wizard.imported
