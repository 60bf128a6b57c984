"""Horizontal bar charts for the school overview, drawn with QPainter (the Qt bundle ships
without QtCharts).

Each row is a label, a bar made of coloured segments and a short text after it. In
"share" mode every bar is a whole (100 %) split by its segments (the spread of levels);
in "scale" mode bars are as long as their total against the longest one (counts of cases,
certificates). A row whose figure is not shown (a small group) has no bar but its words
("fewer than 5") in italics where the bar would be.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

#: "not yet" (grey), then levels 1–8 light to dark; the same colours as in the PDF
LEVEL_COLOURS = (
    "#BDBDBD",
    "#C6DBEF",
    "#9ECAE1",
    "#6BAED6",
    "#4292C6",
    "#2171B5",
    "#08519C",
    "#08306B",
    "#041A3A",
)
#: higher, same, lower, newly rated (Okabe–Ito: told apart with colour-blindness too)
CHANGE_COLOURS = ("#009E73", "#BDBDBD", "#D55E00", "#56B4E9")
#: one colour for plain counts
COUNT_COLOURS = ("#0072B2",)


@dataclass(frozen=True)
class Bar:
    label: str
    #: the segments' values (empty: no bar, ``text`` says why)
    values: tuple[float, ...]
    text: str = ""
    strong: bool = False
    tooltip: str = ""

    @property
    def total(self) -> float:
        return sum(self.values)


class BarChart(QWidget):
    ROW = 20
    BAR = 12
    LEGEND = 24

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.bars: list[Bar] = []
        self.legend: list[str] = []
        self.colours: Sequence[str] = LEVEL_COLOURS
        self.mode = "share"
        self.empty_text = ""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(True)
        self.setMinimumWidth(480)

    def set_data(
        self,
        bars: Sequence[Bar],
        legend: Sequence[str],
        colours: Sequence[str],
        mode: str = "share",
        empty_text: str = "",
    ) -> None:
        self.bars = list(bars)
        self.legend = list(legend)
        self.colours = colours
        self.mode = mode
        self.empty_text = empty_text
        self.updateGeometry()
        self.update()

    # --- geometry -------------------------------------------------------------------

    def _row_height(self) -> int:
        return max(self.ROW, QFontMetrics(self.font()).height() + 6)

    def _legend_height(self) -> int:
        return self._row_height() + 8 if self.legend else 0

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        rows = max(len(self.bars), 1)
        return QSize(720, self._legend_height() + rows * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(480, self.sizeHint().height())

    def _columns(self) -> tuple[float, float, float]:
        """(label width, bar left, bar width)."""
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)  # the widest: heading rows are bold
        widest = max((metrics.horizontalAdvance(b.label) for b in self.bars), default=0)
        label_w = min(widest + 12, self.width() * 0.42)
        texts = max((metrics.horizontalAdvance(b.text) for b in self.bars if b.values), default=0)
        text_w = texts + 14
        return label_w, label_w, max(self.width() - label_w - text_w - 4, 40)

    def _row_rect(self, index: int) -> QRectF:
        height = self._row_height()
        return QRectF(0, self._legend_height() + index * height, self.width(), height)

    # --- painting -------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
        palette = self.palette()
        text_colour = palette.windowText().color()
        metrics = QFontMetrics(self.font())
        self._paint_legend(painter, metrics, text_colour)
        if not self.bars:
            painter.setPen(text_colour)
            painter.drawText(
                self._row_rect(0).adjusted(4, 0, 0, 0),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                self.empty_text,
            )
            return
        label_w, left, width = self._columns()
        longest = max((b.total for b in self.bars), default=0.0) or 1.0
        bold = QFont(self.font())
        bold.setBold(True)
        italic = QFont(self.font())
        italic.setItalic(True)
        grid = QColor(text_colour)
        grid.setAlpha(60)
        for index, bar in enumerate(self.bars):
            rect = self._row_rect(index)
            font = bold if bar.strong else self.font()
            painter.setFont(font)
            painter.setPen(text_colour)
            # shortened in the font it is drawn in: a bold heading is wider
            label = QFontMetrics(font).elidedText(
                bar.label, Qt.TextElideMode.ElideRight, int(label_w - 8)
            )
            painter.drawText(
                QRectF(4, rect.top(), label_w - 8, rect.height()),
                Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                label,
            )
            top = rect.top() + (rect.height() - self.BAR) / 2
            if not bar.values or not bar.total:
                painter.setFont(italic)
                painter.drawText(
                    QRectF(left + 4, rect.top(), width, rect.height()),
                    Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
                    bar.text,
                )
                continue
            scale = width / bar.total if self.mode == "share" else width / longest
            x = left
            for segment, value in enumerate(bar.values):
                if value <= 0:
                    continue
                length = value * scale
                painter.fillRect(
                    QRectF(x, top, length, self.BAR),
                    QColor(self.colours[segment % len(self.colours)]),
                )
                x += length
            if self.mode == "share":
                painter.setPen(QPen(grid, 1))
                painter.drawRect(QRectF(left, top, width, self.BAR))
            painter.setPen(text_colour)
            painter.drawText(
                QPointF(
                    (x if self.mode == "scale" else left + width) + 6,
                    rect.top() + (rect.height() + metrics.ascent() - metrics.descent()) / 2,
                ),
                bar.text,
            )
        painter.end()

    def _paint_legend(self, painter: QPainter, metrics: QFontMetrics, colour: QColor) -> None:
        if not self.legend:
            return
        x = 4.0
        height = self._row_height()
        for index, name in enumerate(self.legend):
            painter.fillRect(
                QRectF(x, (height - 10) / 2, 10, 10),
                QColor(self.colours[index % len(self.colours)]),
            )
            x += 14
            painter.setPen(colour)
            painter.drawText(QPointF(x, (height + metrics.ascent() - metrics.descent()) / 2), name)
            x += metrics.horizontalAdvance(name) + 14

    # --- tooltips -------------------------------------------------------------------

    def bar_at(self, y: float) -> Bar | None:
        index = int((y - self._legend_height()) // self._row_height())
        return self.bars[index] if 0 <= index < len(self.bars) and y >= 0 else None

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            bar = self.bar_at(event.position().y())
            if bar is not None and (bar.tooltip or bar.text):
                QToolTip.showText(event.globalPos(), bar.tooltip or f"{bar.label}: {bar.text}")
            else:
                QToolTip.hideText()
            return True
        return super().event(event)
