"""What the steps of the import wizard share: their numbers, their labels, text made safe for
rich text."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLabel

from digcomp_app.ui.widgets import ERROR_COLOUR

FILE, COLUMNS, PREVIEW, RESULT = range(4)


def wrapped(text: str = "") -> QLabel:
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def error_label() -> QLabel:
    label = wrapped()
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    return label


def escaped(text: str) -> str:
    from html import escape

    return escape(text)
