"""Small helpers shared by the mobility screen's modules."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QLocale, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QBoxLayout,
    QDateEdit,
    QLabel,
    QListWidget,
    QSizePolicy,
    QWidget,
)

from digcomp_app.i18n import current_language
from digcomp_app.ui.widgets import ERROR_COLOUR

INVALID_STYLE = f"border: 2px solid {ERROR_COLOUR}; border-radius: 3px; padding: 2px;"
DATE_FORMATS = {"lv": "dd.MM.yyyy.", "en": "dd/MM/yyyy"}


def plain(text: str) -> str:
    """A label's text without its mnemonic marker or trailing colon (for accessible names)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":").strip()


def set_label(label: QLabel, text: str, field: QWidget) -> None:
    """Show ``text`` on ``label`` and name ``field`` after it for screen readers."""
    label.setText(text)
    field.setAccessibleName(plain(text))


def wrapping_list(list_widget: QListWidget) -> QListWidget:
    """Long entries (and the hints of an empty list) wrap instead of scrolling sideways;
    the list takes its width from the layout, not from its longest entry."""
    list_widget.setWordWrap(True)
    list_widget.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    list_widget.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Expanding)
    return list_widget


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def to_date(day: QDate) -> dt.date:
    return dt.date(day.year(), day.month(), day.day())


def make_date_edit() -> QDateEdit:
    edit = QDateEdit()
    edit.setCalendarPopup(True)
    retranslate_date_edit(edit)
    return edit


def retranslate_date_edit(edit: QDateEdit) -> None:
    language = current_language()
    edit.setLocale(QLocale(language))
    edit.setDisplayFormat(DATE_FORMATS.get(language, "yyyy-MM-dd"))


def mark_invalid(label: QLabel, field: QWidget, message: str) -> None:
    label.setStyleSheet(f"color: {ERROR_COLOUR}; font-weight: bold;")
    field.setProperty("invalid", True)
    field.setStyleSheet(INVALID_STYLE)
    field.setToolTip(message)
    field.setAccessibleDescription(message)


def clear_invalid(label: QLabel, field: QWidget) -> None:
    label.setStyleSheet("")
    field.setProperty("invalid", False)
    field.setStyleSheet("")
    field.setToolTip("")
    field.setAccessibleDescription("")


class ButtonRow(QWidget):
    """Buttons side by side, or one above the other when the row is too narrow for their
    texts (a larger font, a long translation): no button is ever narrower than its text."""

    def __init__(self, *buttons: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.buttons = buttons
        self._layout = QBoxLayout(QBoxLayout.Direction.LeftToRight, self)
        self._layout.setContentsMargins(0, 0, 0, 0)
        for button in buttons:
            self._layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
        self._layout.addStretch(1)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

    def _side_by_side_width(self) -> int:
        spacing = self._layout.spacing() * (len(self.buttons) - 1)
        return sum(b.sizeHint().width() for b in self.buttons) + spacing

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(max(b.sizeHint().width() for b in self.buttons), self.sizeHint().height())

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return self._layout.sizeHint()

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        wanted = (
            QBoxLayout.Direction.LeftToRight
            if event.size().width() >= self._side_by_side_width()
            else QBoxLayout.Direction.TopToBottom
        )
        if self._layout.direction() != wanted:
            self._layout.setDirection(wanted)
            self.updateGeometry()
        super().resizeEvent(event)
