"""Small helpers shared by the mobility screen's modules."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, QModelIndex, QRect, QSize, Qt
from PySide6.QtGui import QFont, QFontMetrics, QPainter, QPalette, QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDateEdit,
    QLabel,
    QListWidget,
    QSizePolicy,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTableView,
    QWidget,
)

from digcomp_app.i18n import current_language
from digcomp_app.ui.qt_i18n import qt_locale
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
    edit.setLocale(qt_locale(language))
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


#: the parts of a mobility shown in its cell of the list, below its title
CODE_ROLE = Qt.ItemDataRole.UserRole + 1
DETAILS_ROLE = Qt.ItemDataRole.UserRole + 2


class MobilityCell(QStyledItemDelegate):
    """A mobility in the list, on several lines that wrap with the list's width: its title
    in bold, below it its code, then its dates and number of learners. Nothing is cut, with
    a larger font too; the row grows instead (the list resizes its rows to their contents
    when its width changes)."""

    PADDING = 4
    FLAGS = Qt.TextFlag.TextWordWrap | Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop

    def _blocks(self, option: QStyleOptionViewItem, index: QModelIndex) -> list[tuple[QFont, str]]:
        bold = QFont(option.font)
        bold.setBold(True)
        texts = (index.data(), index.data(CODE_ROLE), index.data(DETAILS_ROLE))
        fonts = (bold, option.font, option.font)
        return [(font, str(text)) for font, text in zip(fonts, texts, strict=True) if text]

    def _width(self, option: QStyleOptionViewItem) -> int:
        # the list's one column fills its width (the column may not have followed yet)
        view = option.widget
        width = view.viewport().width() if isinstance(view, QTableView) else option.rect.width()
        return max(width - 2 * self.PADDING, 40)

    def _rects(
        self, option: QStyleOptionViewItem, index: QModelIndex, left: int, top: int
    ) -> list[tuple[QFont, str, QRect]]:
        width = self._width(option)
        placed = []
        for font, text in self._blocks(option, index):
            rect = QFontMetrics(font).boundingRect(
                QRect(left, top, width, 100000), self.FLAGS, text
            )
            placed.append((font, text, QRect(left, top, width, rect.height())))
            top += rect.height()
        return placed

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:  # noqa: N802
        placed = self._rects(option, index, 0, 0)
        height = sum(rect.height() for _font, _text, rect in placed)
        return QSize(self._width(option), height + 2 * self.PADDING)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        item = QStyleOptionViewItem(option)
        self.initStyleOption(item, index)
        item.text = ""
        style = item.widget.style() if item.widget else QApplication.style()
        style.drawControl(QStyle.ControlElement.CE_ItemViewItem, item, painter, item.widget)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        painter.save()
        painter.setPen(option.palette.color(role))
        left, top = option.rect.left() + self.PADDING, option.rect.top() + self.PADDING
        for font, text, rect in self._rects(option, index, left, top):
            painter.setFont(font)
            painter.drawText(rect, self.FLAGS, text)
        painter.restore()
