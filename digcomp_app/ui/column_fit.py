"""Columns that fit their list's width at any text size and in any language, so that
nothing needs a sideways scroll bar.

Each fitted column is one of:

- *whole*: codes, serial numbers, levels, dates, short words: as wide as its widest text,
  never cut;
- *giving*: names, titles, methods, comments: they share the room the whole columns leave,
  in equal shares up to what each would need (up to a cap, in characters), each at least a
  few characters wide; a longer text is shortened with "…" and read whole in the item's
  tooltip (the caller sets it);
- *optional* (also whole or giving): left out, the last first, when even the narrowest
  widths do not fit; what they say must be shown elsewhere too (a details pane, a tooltip).

Room left over first puts whole columns' titles on one line, then goes to the last giving
column. Header titles wrap at spaces (:class:`WrappingHeader`) when there is no such room;
a column is never narrower than its title's longest word.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QFont, QFontMetricsF, QResizeEvent
from PySide6.QtWidgets import QHeaderView, QStyle, QTableView, QTreeView, QWidget


def _title(header: QHeaderView, logical: int) -> str:
    model = header.model()
    if model is None:
        return ""
    text = model.headerData(logical, header.orientation(), Qt.ItemDataRole.DisplayRole)
    return str(text) if text else ""


def _title_metrics(header: QHeaderView) -> QFontMetricsF:
    """The titles' metrics, bold (a header draws the titles of chosen columns in bold),
    fractional (as the text is laid out)."""
    font = QFont(header.font())
    font.setBold(True)
    return QFontMetricsF(font)


def _label_margins(header: QHeaderView) -> int:
    """A section's width beyond the room its title is drawn in (QCommonStyle's
    SE_HeaderLabel: the header margin at either side, a sort mark)."""
    style = header.style()
    margin = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMargin, None, header)
    extra = 0
    if header.isSortIndicatorShown():
        extra = style.pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize, None, header) + margin
    return 2 * margin + extra


def _text_width(metrics: QFontMetricsF, text: str) -> int:
    return math.ceil(metrics.horizontalAdvance(text)) + 1


class WrappingHeader(QHeaderView):
    """A horizontal header whose titles wrap at spaces when a column is narrower than its
    title, as high as its most wrapped title needs. It tells its :class:`ColumnFit` when
    its list changes width or font (the header is as wide as the list shows)."""

    def __init__(
        self,
        parent: QWidget | None = None,
        alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
    ) -> None:
        super().__init__(Qt.Orientation.Horizontal, parent)
        self.setDefaultAlignment(alignment | Qt.AlignmentFlag(int(Qt.TextFlag.TextWordWrap)))
        self.setSectionsClickable(True)
        self.setHighlightSections(True)
        #: fits the columns again (set by ColumnFit)
        self.fitter: Callable[[], None] | None = None

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        hint = super().sizeHint()
        metrics = _title_metrics(self)
        line = math.ceil(metrics.height())
        tallest = line
        for logical in range(self.count()):
            title = _title(self, logical)
            if not title or self.isSectionHidden(logical):
                continue
            width = max(self.sectionSize(logical) - _label_margins(self), 1)
            room = QRectF(0, 0, width, 100 * line)
            flags = int(Qt.TextFlag.TextWordWrap)
            tallest = max(tallest, math.ceil(metrics.boundingRect(room, flags, title).height()))
        return QSize(hint.width(), hint.height() + tallest - line)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        if self.fitter is not None and event.size().width() != event.oldSize().width():
            self.fitter()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if self.fitter is not None and event.type() == QEvent.Type.FontChange:
            self.fitter()


class ColumnFit:
    """Keeps ``view``'s columns fitted to its width (see the module): again when the view
    changes width or font; call :meth:`fit` after filling it. It gives the view a
    :class:`WrappingHeader` (titles aligned as ``alignment`` says).

    ``caps``: the most characters a giving column asks for (the rest of a longer text is
    in its tooltip); ``least``: the fewest characters a giving column is given (unless its
    texts are shorter), by column.
    """

    def __init__(
        self,
        view: QTreeView | QTableView,
        whole: Sequence[int],
        giving: Sequence[int],
        optional: Sequence[int] = (),
        caps: Mapping[int, int] | None = None,
        least: Mapping[int, int] | None = None,
        alignment: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignCenter,
    ) -> None:
        self.view = view
        self.whole = tuple(whole)
        self.giving = tuple(giving)
        self.optional = tuple(optional)
        self.caps = dict(caps or {})
        self.least = dict(least or {})
        self._busy = False
        header = WrappingHeader(view, alignment)
        if isinstance(view, QTreeView):
            view.setHeader(header)
        else:
            view.setHorizontalHeader(header)
        header.setStretchLastSection(False)
        for column in (*self.whole, *self.giving):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.Interactive)
        header.fitter = self.fit
        self.header = header

    # --- widths --------------------------------------------------------------------------

    def _title_least(self, column: int) -> int:
        """The title's longest word, with the section's margins: never cut."""
        metrics = _title_metrics(self.header)
        words = _title(self.header, column).split()
        widest = max((_text_width(metrics, word) for word in words), default=0)
        return widest + _label_margins(self.header) if words else 0

    def _title_width(self, column: int) -> int:
        """The title on one line, with the section's margins."""
        title = _title(self.header, column)
        if not title:
            return 0
        return _text_width(_title_metrics(self.header), title) + _label_margins(self.header)

    def _indent(self, column: int) -> int:
        """A tree's first column: the room its rows' indentation takes (one level below
        the top, and the branch marks)."""
        view = self.view
        if column != 0 or not isinstance(view, QTreeView):
            return 0
        return view.indentation() * (2 if view.rootIsDecorated() else 1)

    def _widths(self) -> tuple[dict[int, int], dict[int, int]]:
        """The least and the wanted width of each fitted column."""
        view = self.view
        average = view.fontMetrics().averageCharWidth()
        cell = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
        least: dict[int, int] = {}
        wanted: dict[int, int] = {}
        for column in (*self.whole, *self.giving):
            contents = max(view.sizeHintForColumn(column), 0)
            title = self._title_least(column)
            if column in self.whole:
                least[column] = wanted[column] = max(contents, title)
                continue
            fewest = self.least.get(column, 8) * average + cell + self._indent(column)
            least[column] = max(min(contents, fewest), title)
            cap = self.caps.get(column)
            room = None if cap is None else cap * average + cell + self._indent(column)
            asked = contents if room is None else min(contents, room)
            wanted[column] = max(asked, least[column])
        return least, wanted

    def least_width(self) -> int:
        """The narrowest the view may be for its columns to fit without sideways scrolling
        (optional columns left out): the view's frame and vertical scroll bar included."""
        least, _wanted = self._widths()
        columns = (c for c in (*self.whole, *self.giving) if c not in self.optional)
        view = self.view
        bar = view.style().pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        return sum(least[c] for c in columns) + 2 * view.frameWidth() + bar

    def fit(self) -> None:
        room = self.view.viewport().width()
        if self._busy or room <= 0:
            return
        self._busy = True
        try:
            self._fit(room)
        finally:
            self._busy = False

    def _fit(self, room: int) -> None:
        header = self.header
        least, wanted = self._widths()
        shown = list(self.optional)
        for column in self.optional:
            header.setSectionHidden(column, False)

        def columns() -> list[int]:
            return [c for c in (*self.whole, *self.giving) if c not in self.optional or c in shown]

        while shown and sum(least[c] for c in columns()) > room:
            header.setSectionHidden(shown.pop(), True)  # the last optional column first
        giving = [c for c in self.giving if c in columns()]
        widths = {c: least[c] for c in columns()}
        # what is left goes to the giving columns in equal shares, a column that needs less
        # than its share getting just that (so a short name is never cut for a comment)
        left = room - sum(widths.values())
        hungry = sorted(giving, key=lambda c: wanted[c] - least[c])
        for index, column in enumerate(hungry):
            if left <= 0:
                break
            more = min(wanted[column] - least[column], left // (len(hungry) - index))
            widths[column] += more
            left -= more
        # room to spare: titles on one line where that is all they need, then the last
        # giving column
        for column in (c for c in self.whole if c in widths):
            one_line = self._title_width(column)
            more = min(max(one_line - widths[column], 0), room - sum(widths.values()))
            widths[column] += more
        spare = room - sum(widths.values())
        last = giving[-1] if giving else (columns()[-1] if columns() else None)
        if last is not None and spare > 0:
            widths[last] += spare  # the last giving column takes what is left over
        for column, width in widths.items():
            header.resizeSection(column, width)
        header.updateGeometry()
        header.geometriesChanged.emit()  # the wrapped titles' height
