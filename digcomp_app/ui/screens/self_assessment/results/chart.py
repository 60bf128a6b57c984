"""A horizontal bar chart of proficiency levels (0–8), one or two bars per labelled row.

Drawn with QPainter: labels on the left, a 0–8 scale with grid lines, one bar per series
(e.g. before and after) and the value at the end of each bar. A missing value ("not yet")
is drawn as an empty, outlined bar with the words "not yet". The legend sits above the scale,
its names whole: over the bars when there is room, else from the left edge, on more lines
when one is not enough (a larger text size, long names).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRect, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPen,
    QResizeEvent,
)
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
    #: the legend: a colour swatch, the gap after it, the gap between two names
    SWATCH, SWATCH_GAP, LEGEND_GAP = 14, 6, 24
    #: the room kept free at the left and right edges
    EDGE = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.rows: list[ChartRow] = []
        self.series: list[str] = []
        policy = QSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        policy.setHeightForWidth(True)  # a narrower chart may need more legend lines
        self.setSizePolicy(policy)
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

    def legend(self, width: int | None = None) -> list[tuple[str, QRect]]:
        """The legend's entries as drawn at ``width`` (the chart's own by default): each
        series' name and where its swatch and name go. Above the bars when they all fit
        on one line there, else from the left edge, wrapped onto more lines; a name wider
        than the whole chart is shortened with "…" (whole in its row's tooltip)."""
        if len(self.series) < 2:
            return []
        width = self.width() if width is None else width
        metrics = QFontMetrics(self.font())
        line = metrics.height()
        right = width - self.EDGE
        swatch = self.SWATCH + self.SWATCH_GAP
        sizes = [swatch + metrics.horizontalAdvance(name) for name in self.series]
        one_line = sum(sizes) + self.LEGEND_GAP * (len(sizes) - 1)
        x0, _unit = self._scale(width)
        left = int(x0) if x0 + one_line <= right else self.EDGE // 2
        entries: list[tuple[str, QRect]] = []
        x, y = left, 4
        for name, needed in zip(self.series, sizes, strict=True):
            if x > left and x + needed > right:  # onto the next line
                x, y = left, y + line + 4
            shown, size = name, needed
            if x + size > right:
                shown = metrics.elidedText(name, Qt.TextElideMode.ElideRight, right - x - swatch)
                size = swatch + metrics.horizontalAdvance(shown)
            entries.append((shown, QRect(x, y, size, line)))
            x += size + self.LEGEND_GAP
        return entries

    def _legend_height(self, width: int) -> int:
        entries = self.legend(width)
        return max(rect.bottom() + 1 for _name, rect in entries) + 4 if entries else 4

    def scale_top(self, width: int | None = None) -> int:
        """Where the scale's numbers (0-8) begin, below the legend."""
        return self._legend_height(self.width() if width is None else width)

    def _header_height(self, width: int | None = None) -> int:
        line = QFontMetrics(self.font()).height()
        return self.scale_top(width) + line + 6

    def heightForWidth(self, width: int) -> int:  # noqa: N802 - Qt's name
        return self._header_height(width) + len(self.rows) * self._row_height() + 8

    def hasHeightForWidth(self) -> bool:  # noqa: N802 - Qt's name
        return True

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        width = self.width() if self.width() > 100 else 640
        return QSize(640, self.heightForWidth(width))

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(360, self.sizeHint().height())

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        if self.heightForWidth(event.size().width()) != event.size().height():
            self.updateGeometry()  # the legend wraps onto more (or fewer) lines
        super().resizeEvent(event)

    def _label_width(self, width: int | None = None) -> int:
        metrics = QFontMetrics(self._bold())
        widest = max((metrics.horizontalAdvance(r.label) for r in self.rows), default=0)
        return min(widest + 12, int((self.width() if width is None else width) * 0.42))

    def _scale(self, width: int | None = None) -> tuple[float, float]:
        """x of level 0 and the width of one level (at ``width``, the chart's own by default)."""
        width = self.width() if width is None else width
        metrics = QFontMetrics(self.font())
        left = self._label_width(width) + self.EDGE
        right = width - self.EDGE - metrics.horizontalAdvance(" " + _("not yet"))
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
        for index, (name, rect) in enumerate(self.legend()):
            swatch = QRectF(rect.x(), rect.y() + 2, self.SWATCH, line - 4)
            painter.fillRect(swatch, QColor(SERIES_COLOURS[index]))
            painter.setPen(text_colour)
            x = rect.x() + self.SWATCH + self.SWATCH_GAP
            painter.drawText(QPointF(x, rect.y() + metrics.ascent()), name)
        top = self.scale_top()
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
