"""A grid of buttons that takes as many columns as its width holds (at most ``columns``):
at a larger text size, or in a language with longer words, the buttons go onto more rows
instead of making the screen wider than the window."""

from __future__ import annotations

import math

from PySide6.QtCore import QRect, QSize, Qt
from PySide6.QtWidgets import QLayout, QLayoutItem, QSizePolicy, QWidget, QWidgetItem


class ButtonGrid(QLayout):
    """Buttons row by row, left to right, each column as wide as its widest button (as a
    QGridLayout lays them out); hidden buttons take no cell."""

    def __init__(self, columns: int = 3, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.columns = columns
        self._items: list[QLayoutItem] = []
        #: heights for widths, until the layout is invalidated (Qt asks the same width many
        #: times while it lays out a screen; each answer asks every button for its size)
        self._heights: dict[int, int] = {}
        self.setContentsMargins(0, 0, 0, 0)

    # --- QLayout's items ---------------------------------------------------------------

    def addItem(self, item: QLayoutItem) -> None:  # noqa: N802 - Qt's name
        self._items.append(item)

    def add(self, widget: QWidget) -> None:
        self.addChildWidget(widget)
        self.addItem(QWidgetItem(widget))

    def count(self) -> int:
        return len(self._items)

    def itemAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items[index] if 0 <= index < len(self._items) else None

    def takeAt(self, index: int) -> QLayoutItem | None:  # noqa: N802 - Qt's name
        return self._items.pop(index) if 0 <= index < len(self._items) else None

    # --- sizes ---------------------------------------------------------------------------

    def _shown(self) -> list[QLayoutItem]:
        return [item for item in self._items if not item.isEmpty()]

    def _gap(self) -> int:
        spacing = self.spacing()
        parent = self.parentWidget()
        if spacing < 0 and parent is not None:  # the style's
            button = QSizePolicy.ControlType.PushButton
            spacing = parent.style().layoutSpacing(button, button, Qt.Orientation.Horizontal)
        return max(spacing, 0)

    def _extra(self) -> tuple[int, int]:
        margins = self.contentsMargins()
        return margins.left() + margins.right(), margins.top() + margins.bottom()

    def _widths(self, columns: int) -> list[int]:
        """Each column's width with ``columns`` columns."""
        widths = [0] * columns
        for index, item in enumerate(self._shown()):
            width = max(item.sizeHint().width(), item.minimumSize().width())
            widths[index % columns] = max(widths[index % columns], width)
        return widths

    def _row_height(self) -> int:
        return max((item.sizeHint().height() for item in self._shown()), default=0)

    def _width_of(self, columns: int) -> int:
        return sum(self._widths(columns)) + (columns - 1) * self._gap() + self._extra()[0]

    def columns_for(self, width: int) -> int:
        """The most columns (at most ``columns``) whose buttons fit ``width``; at least one."""
        most = max(1, min(self.columns, len(self._shown())))
        return next((c for c in range(most, 0, -1) if self._width_of(c) <= width), 1)

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        if width not in self._heights:
            self._heights[width] = self._height_for(width)
        return self._heights[width]

    def _height_for(self, width: int) -> int:
        shown = len(self._shown())
        if not shown:
            return 0
        rows = math.ceil(shown / self.columns_for(width))
        return rows * self._row_height() + (rows - 1) * self._gap() + self._extra()[1]

    def invalidate(self) -> None:
        """A button changed (text, font, shown or hidden): the sizes are measured again."""
        self._heights.clear()
        super().invalidate()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        columns = max(1, min(self.columns, len(self._shown())))
        width = self._width_of(columns)
        return QSize(width, self.heightForWidth(width))

    def minimumSize(self) -> QSize:  # noqa: N802 - Qt's name
        """One column: the widest button."""
        return QSize(self._width_of(1), self._row_height() + self._extra()[1])

    def expandingDirections(self) -> Qt.Orientation:  # noqa: N802 - Qt's name
        return Qt.Orientation(0)

    def setGeometry(self, rect: QRect) -> None:  # noqa: N802 - Qt's name
        super().setGeometry(rect)
        area = self.contentsRect()
        columns = self.columns_for(rect.width())
        widths, gap, height = self._widths(columns), self._gap(), self._row_height()
        for index, item in enumerate(self._shown()):
            row, column = divmod(index, columns)
            x = area.x() + sum(widths[:column]) + column * gap
            y = area.y() + row * (height + gap)
            item.setGeometry(QRect(x, y, widths[column], height))
