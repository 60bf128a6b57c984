"""Small widgets shared by several screens."""

from __future__ import annotations

from PySide6.QtWidgets import QAbstractItemView, QTableWidget

#: the colour of error messages shown beside the control they concern
ERROR_COLOUR = "#b00020"


def record_table(columns: int = 0) -> QTableWidget:
    """A read-only table of records: whole rows selected, one at a time, no row numbers."""
    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table
