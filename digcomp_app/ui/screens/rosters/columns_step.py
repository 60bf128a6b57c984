"""Step 2 of the import wizard: which column holds what (recognised from the headers,
checked by the user)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QFormLayout, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from digcomp_app.i18n import _
from digcomp_app.services.roster_files import (
    ColumnMapping,
    RosterTable,
    field_label,
    guess_mapping,
    ignored_sensitive_columns,
)
from digcomp_app.ui.screens.rosters.common import wrapped


def field_name(field: str) -> str:
    """The translated name of a roster field, as the columns step shows it."""
    return field_label(field)


class ColumnsStep:
    """Step 2 of :class:`~digcomp_app.ui.screens.rosters.wizard.ImportWizard` (mixed into it):
    the columns the user chose become the ``mapping``."""

    def _build_columns_page(self) -> QWidget:
        page = QWidget()
        self.columns_note = wrapped()
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
        self.sensitive_note = wrapped()
        layout = QVBoxLayout(page)
        layout.addWidget(self.columns_note)
        layout.addLayout(self.columns_form)
        layout.addWidget(self.sensitive_note)
        layout.addStretch(1)
        return page

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
