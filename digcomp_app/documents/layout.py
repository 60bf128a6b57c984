"""A small layout engine for printed documents: wrapped text in rows, rows in blocks,
blocks flowed over pages.

Everything is measured first (so a footer can say "page 2/3") and drawn once, with
plain canvas calls. It does what the documents need and no more, which keeps a batch of
attestations fast: platypus paragraphs parse markup and re-measure on every split.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, black
from reportlab.pdfbase.pdfmetrics import getFont, stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.pdfgen.textobject import PDFTextObject


@dataclass(frozen=True, slots=True)
class Style:
    font: str
    size: float
    leading: float
    color: Color = black

    def width(self, text: str) -> float:
        return stringWidth(text, self.font, self.size)

    def baseline(self, top: float) -> float:
        """Where the baseline of a line whose box starts at ``top`` lies."""
        return top - self.leading + self.size * 0.3


def wrap(text: str, style: Style, width: float) -> list[str]:
    """Greedy word wrap of ``text`` into lines at most ``width`` points wide.

    Line breaks in the text are kept; a word wider than a line is broken by characters.
    """
    return list(_wrap(text, style.font, style.size, width))


@functools.lru_cache(maxsize=8192)
def _wrap(text: str, font: str, size: float, width: float) -> tuple[str, ...]:
    # Cached: a batch prints the same framework texts (level descriptions, learning
    # outcomes, titles) and labels on every attestation.
    measure = getFont(font).stringWidth
    space = measure(" ", size)
    lines: list[str] = []
    for paragraph in text.splitlines() or [""]:
        words = paragraph.split()
        if not words:
            lines.append("")
            continue
        current: list[str] = []
        current_width = 0.0
        for given in words:
            word, word_width = given, measure(given, size)
            if word_width > width:
                if current:
                    lines.append(" ".join(current))
                    current, current_width = [], 0.0
                pieces = _break_word(given, font, size, width)
                lines.extend(pieces[:-1])
                word = pieces[-1]
                word_width = measure(word, size)
            if current and current_width + space + word_width > width:
                lines.append(" ".join(current))
                current, current_width = [word], word_width
            elif current:
                current.append(word)
                current_width += space + word_width
            else:
                current, current_width = [word], word_width
        lines.append(" ".join(current))
    return tuple(lines)


def _break_word(word: str, font: str, size: float, width: float) -> list[str]:
    pieces, start = [], 0
    for end in range(1, len(word) + 1):
        if stringWidth(word[start:end], font, size) > width and end - 1 > start:
            pieces.append(word[start : end - 1])
            start = end - 1
    pieces.append(word[start:])
    return pieces


#: a custom painter: (canvas, left, top) of the row
Painter = Callable[[Canvas, float, float], None]


@dataclass(slots=True)
class Piece:
    """One line of text in a row: ``x`` is its left edge (right edge when ``align`` is
    "r", centre when "c"), relative to the row's left."""

    x: float
    style: Style
    text: str
    align: str = "l"
    dy: float = 0.0  # extra downward shift inside the row


@dataclass(slots=True)
class Row:
    """An unbreakable horizontal strip of a page."""

    height: float
    pieces: list[Piece] = field(default_factory=list)
    painters: list[Painter] = field(default_factory=list)
    #: left out when it would open a page (a separator, a gap)
    collapsible: bool = False


#: ``Block.keep`` for a block that stays whole (unless it is longer than a page)
WHOLE = 1_000_000


@dataclass(slots=True)
class Block:
    """Rows that follow each other; the first ``keep`` rows never part over a page
    break (a heading with the start of what it heads, a signature box as a whole)."""

    rows: list[Row]
    keep: int = 1
    space_before: float = 0.0
    #: rows repeated at the top of a page this block continues on (a table's header)
    repeat: list[Row] = field(default_factory=list)


def text_rows(
    text: str, style: Style, width: float, x: float = 0.0, first_prefix: str = ""
) -> list[Row]:
    """The wrapped lines of ``text`` as rows (``first_prefix`` hangs before line one)."""
    rows = []
    indent = style.width(first_prefix) if first_prefix else 0.0
    for i, line in enumerate(wrap(text, style, width - indent)):
        pieces = [Piece(x + indent, style, line)]
        if i == 0 and first_prefix:
            pieces.append(Piece(x, style, first_prefix))
        rows.append(Row(style.leading, pieces))
    return rows


@dataclass(slots=True)
class Column:
    """One column of a :func:`grid_rows` table: lines of text in a style."""

    x: float
    width: float
    style: Style
    text: str
    align: str = "l"


def grid_rows(columns: Sequence[Column], min_leading: float = 0.0) -> list[Row]:
    """Columns side by side, wrapped each in its width, zipped into rows."""
    wrapped = [wrap(c.text, c.style, c.width) if c.text else [] for c in columns]
    count = max((len(lines) for lines in wrapped), default=0)
    leading = max([min_leading, *(c.style.leading for c in columns)])
    # Every column's text sits on the baseline of the largest text in the row.
    biggest = max((c.style for c in columns), key=lambda style: style.leading)
    depth = biggest.leading - biggest.size * 0.3
    rows = []
    for i in range(count):
        row = Row(leading)
        for column, lines in zip(columns, wrapped, strict=True):
            if i < len(lines):
                x = column.x + column.width if column.align == "r" else column.x
                dy = depth - (column.style.leading - column.style.size * 0.3)
                row.pieces.append(Piece(x, column.style, lines[i], column.align, dy))
        rows.append(row)
    return rows


def stack_columns(columns: Sequence[tuple[float, Sequence[Row]]]) -> list[Row]:
    """Place several stacks of rows side by side (each at its x offset), line by line."""
    count = max((len(rows) for _x, rows in columns), default=0)
    merged = []
    for i in range(count):
        height = max((rows[i].height for _x, rows in columns if i < len(rows)), default=0.0)
        row = Row(height)
        for x, rows in columns:
            if i < len(rows):
                for piece in rows[i].pieces:
                    row.pieces.append(Piece(piece.x + x, piece.style, piece.text, piece.align))
                row.painters.extend(_shifted(p, x) for p in rows[i].painters)
        merged.append(row)
    return merged


def _shifted(painter: Painter, dx: float) -> Painter:
    return lambda canvas, left, top: painter(canvas, left + dx, top)


def spacer(height: float) -> Row:
    return Row(height)


def paginate(blocks: Iterable[Block], page_height: float) -> list[list[tuple[Row, float]]]:
    """Rows with their offset from the top of the content area, page by page."""
    pages: list[list[tuple[Row, float]]] = [[]]
    used = 0.0

    def open_page(block: Block) -> None:
        nonlocal used
        pages.append([])
        used = 0.0
        for row in block.repeat:
            pages[-1].append((row, used))
            used += row.height

    for block in blocks:
        head = sum(r.height for r in block.rows[: max(block.keep, 1)])
        if pages[-1] and used + block.space_before + head > page_height:
            open_page(block)
        if pages[-1]:
            used += block.space_before
        for row in block.rows:
            if pages[-1] and used + row.height > page_height:
                open_page(block)
            if row.collapsible and not pages[-1]:
                continue
            pages[-1].append((row, used))
            used += row.height
    return pages


class Painter2D:
    """Draws rows on a canvas: shapes first, then all text of the page in one text
    object (font and colour set only when they change)."""

    def __init__(self, canvas: Canvas) -> None:
        self.canvas = canvas
        self._text: PDFTextObject | None = None
        self._font: tuple[str, float] | None = None
        self._color: Color | None = None

    def new_page(self) -> None:
        self._text = None
        self._font = None
        self._color = None

    def text(self, x: float, baseline: float, style: Style, text: str, align: str = "l") -> None:
        if not text:
            return
        if self._text is None:
            self._text = self.canvas.beginText()
        out = self._text
        if self._font != (style.font, style.size):
            out.setFont(style.font, style.size, style.leading)
            self._font = (style.font, style.size)
        if self._color != style.color:
            out.setFillColor(style.color)
            self._color = style.color
        if align == "r":
            x -= style.width(text)
        elif align == "c":
            x -= style.width(text) / 2
        out.setTextOrigin(x, baseline)
        out.textOut(text)

    def rows(self, placed: Sequence[tuple[Row, float]], left: float, top: float) -> None:
        canvas = self.canvas
        for row, offset in placed:
            for painter in row.painters:
                canvas.saveState()
                painter(canvas, left, top - offset)
                canvas.restoreState()
        for row, offset in placed:
            row_top = top - offset
            for piece in row.pieces:
                self.text(
                    left + piece.x,
                    piece.style.baseline(row_top - piece.dy),
                    piece.style,
                    piece.text,
                    piece.align,
                )

    def finish_page(self) -> None:
        """Put the page's text on the canvas (call before ``showPage``)."""
        if self._text is not None:
            self.canvas.drawText(self._text)
        self.new_page()
