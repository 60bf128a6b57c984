"""A horizontal bar chart of proficiency levels (0–8), one or two bars per labelled row.

Drawn with QPainter: labels on the left, a 0–8 scale with grid lines, one bar per series
(e.g. before and after) and the value at the end of each bar. A missing value ("not yet")
is drawn as an empty, outlined bar with the words "not yet". The legend sits above the scale.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontMetrics, QHelpEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from digcomp_app.i18n import _, format_number

MAX_LEVEL = 8
#: Okabe–Ito colours, told apart also by people with colour-blindness.
SERIES_COLOURS = ("#E69F00", "#0072B2", "#009E73")


@dataclass(frozen=True)
class ChartRow:
    label: str
    #: one value per series; None: "not yet" (or no answer)
    values: tuple[float | None, ...]
    tooltip: str = ""
    #: a heading row (drawn in bold)
    strong: bool = False


def value_text(value: float | None) -> str:
    if value is None:
        return _("not yet")
    if float(value).is_integer():
        return str(int(value))
    return format_number(round(value, 1))


class LevelChart(QWidget):
    BAR = 11
    GAP = 3
    ROW_PAD = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ChartRow] = []
        self.series: list[str] = []
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setMouseTracking(True)

    def set_data(self, series: Sequence[str], rows: Sequence[ChartRow]) -> None:
        self.series = list(series)
        self.rows = list(rows)
        self.updateGeometry()
        self.update()

    # --- geometry --------------------------------------------------------------------------

    def _row_height(self) -> int:
        bars = max(len(self.series), 1)
        text = QFontMetrics(self.font()).height()
        return max(bars * self.BAR + (bars - 1) * self.GAP, text) + self.ROW_PAD

    def _header_height(self) -> int:
        line = QFontMetrics(self.font()).height()
        legend = line + 8 if len(self.series) > 1 else 0
        return legend + line + 6

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(640, self._header_height() + len(self.rows) * self._row_height() + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(360, self.sizeHint().height())

    def _label_width(self) -> int:
        metrics = QFontMetrics(self._bold())
        widest = max((metrics.horizontalAdvance(r.label) for r in self.rows), default=0)
        return min(widest + 12, int(self.width() * 0.42))

    def _scale(self) -> tuple[float, float]:
        """x of level 0 and the width of one level."""
        metrics = QFontMetrics(self.font())
        left = self._label_width() + 8
        right = self.width() - 8 - metrics.horizontalAdvance(" " + _("not yet"))
        return left, max(right - left, 40) / MAX_LEVEL

    def _bold(self) -> QFont:
        font = QFont(self.font())
        font.setBold(True)
        return font

    def row_at(self, y: float) -> int | None:
        index = int((y - self._header_height()) // self._row_height())
        return index if 0 <= index < len(self.rows) else None

    # --- painting --------------------------------------------------------------------------

    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        text_colour = palette.windowText().color()
        grid = QColor(text_colour)
        grid.setAlpha(50)
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        x0, unit = self._scale()
        top = 4
        if len(self.series) > 1:
            x = x0
            for index, name in enumerate(self.series):
                painter.fillRect(QRectF(x, top + 2, 14, line - 4), QColor(SERIES_COLOURS[index]))
                painter.setPen(text_colour)
                painter.drawText(QPointF(x + 20, top + metrics.ascent()), name)
                x += 20 + metrics.horizontalAdvance(name) + 24
            top += line + 8
        header = self._header_height()
        bottom = header + len(self.rows) * self._row_height()
        for level in range(MAX_LEVEL + 1):
            x = x0 + level * unit
            painter.setPen(text_colour)
            label = str(level)
            painter.drawText(
                QPointF(x - metrics.horizontalAdvance(label) / 2, top + metrics.ascent()), label
            )
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, header - 2), QPointF(x, bottom))
        row_height = self._row_height()
        label_width = self._label_width()
        shade = QColor(text_colour)
        shade.setAlpha(14)
        for number, row in enumerate(self.rows):
            y = header + number * row_height
            if number % 2 == 1:
                painter.fillRect(QRectF(0, y, self.width(), row_height), shade)
            font = self._bold() if row.strong else self.font()
            painter.setFont(font)
            painter.setPen(text_colour)
            elided = QFontMetrics(font).elidedText(
                row.label, Qt.TextElideMode.ElideRight, label_width - 4
            )
            painter.drawText(
                QRectF(4, y, label_width - 4, row_height),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                elided,
            )
            painter.setFont(self.font())
            self._paint_bars(painter, row, y, x0, unit)
        painter.end()

    def _paint_bars(
        self, painter: QPainter, row: ChartRow, y: float, x0: float, unit: float
    ) -> None:
        metrics = QFontMetrics(self.font())
        bars = max(len(self.series), 1)
        block = bars * self.BAR + (bars - 1) * self.GAP
        top = y + (self._row_height() - block) / 2
        text_colour = self.palette().windowText().color()
        colours = SERIES_COLOURS[1:] if bars == 1 else SERIES_COLOURS
        for index, value in enumerate(row.values):
            colour = QColor(colours[index % len(colours)])
            bar_top = top + index * (self.BAR + self.GAP)
            if value is None:
                outline = QColor(colour)
                painter.setPen(QPen(outline, 1, Qt.PenStyle.DashLine))
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.drawRect(QRectF(x0, bar_top, unit * 0.5, self.BAR))
                end = x0 + unit * 0.5
            else:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(colour)
                end = x0 + max(value, 0) * unit
                painter.drawRect(QRectF(x0, bar_top, end - x0, self.BAR))
            painter.setPen(text_colour)
            painter.drawText(
                QPointF(end + 4, bar_top + (self.BAR + metrics.ascent() - metrics.descent()) / 2),
                value_text(value),
            )

    # --- tooltips ------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            index = self.row_at(event.pos().y())
            if index is None:
                QToolTip.hideText()
                event.ignore()
                return True
            row = self.rows[index]
            lines = [row.tooltip or row.label]
            for name, value in zip(self.series, row.values, strict=False):
                lines.append(f"{name}: {value_text(value)}")
            QToolTip.showText(event.globalPos(), "\n".join(lines), self)
            return True
        return super().event(event)
