"""The printed school overview (landscape A4): one bar chart per source of levels (the
share of learners at "not yet" and at each level, per area and competence), then the
tables of gains, stages and certificates.

Rendered from plain data: the service counts, suppresses small groups and words every
figure; this module only lays it out.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents import fonts
from digcomp_app.documents.layout import (
    WHOLE,
    Block,
    Column,
    Piece,
    Row,
    Style,
    grid_rows,
    text_rows,
)
from digcomp_app.documents.report import (
    LIGHT,
    S_NOTE,
    S_SMALL,
    S_SMALL_BOLD,
    S_SMALL_INK,
    TINT,
    Page,
    header_rows,
    heading,
    metadata,
    render,
)
from digcomp_app.documents.texts import document_date, gettext_for
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_

TITLE = N_("School overview")
FOOTER = N_("School overview, printed on {date}")
SUBJECT = N_("Levels of digital competence across learners, without names")
LEGEND = N_("Levels")
NO_ROWS = N_("Nothing to show.")

#: "not yet" (grey), then levels 1–8 light to dark (the same as on screen)
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


@dataclass(frozen=True, slots=True)
class BarRow:
    label: str
    #: shares of "not yet" and levels 1–8 (empty: nothing to draw)
    shares: tuple[float, ...]
    #: printed after the bar: "24 · 3.4", or the words for a figure not shown
    text: str
    strong: bool = False


@dataclass(frozen=True, slots=True)
class DocumentChart:
    title: str
    rows: tuple[BarRow, ...]


@dataclass(frozen=True, slots=True)
class DocumentTable:
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    strong: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True, slots=True)
class OverviewDocument:
    organisation: str
    subtitle: str
    framework: Framework
    printed_on: dt.date
    charts: tuple[DocumentChart, ...]
    tables: tuple[DocumentTable, ...]
    #: the names of the bar segments: "not yet", "1" … "8"
    legend: tuple[str, ...]
    note: str = ""


PAGE = Page(*landscape(A4))
WIDTH = PAGE.content_width
LABEL_W = 95 * mm
TEXT_W = 38 * mm
BAR_H = 8.0
ROW_H = 11.0


def render_overview(data: OverviewDocument, language: str) -> bytes:
    fonts.register_fonts()
    _ = gettext_for(language)
    title = _(TITLE)
    blocks = [Block(header_rows(data.organisation, title, data.subtitle, WIDTH), keep=WHOLE)]
    if data.note:
        blocks.append(Block(text_rows(data.note, S_NOTE, WIDTH), keep=WHOLE))
    blocks.append(Block([_legend(data, language)], keep=WHOLE, space_before=4))
    for chart in data.charts:
        blocks += _chart(chart, language)
    for table in data.tables:
        blocks += _table(table, language)
    meta = metadata(title, data.organisation, _(SUBJECT), language)
    footer = _(FOOTER).format(date=document_date(data.printed_on, language))
    return render(PAGE, blocks, meta, footer, data.framework, language)


def _colour(index: int) -> Color:
    return HexColor(LEVEL_COLOURS[index])


def _legend(data: OverviewDocument, language: str) -> Row:
    _ = gettext_for(language)
    row = Row(S_SMALL.leading + 6)
    label = _(LEGEND) + ":"
    row.pieces.append(Piece(0, S_SMALL_BOLD, label, dy=3))
    x = S_SMALL_BOLD.width(label) + 4 * mm
    swatches = []
    for index, name in enumerate(data.legend):
        swatches.append((x, index))
        row.pieces.append(Piece(x + 11, S_SMALL_INK, name, dy=3))
        x += 11 + S_SMALL_INK.width(name) + 5 * mm

    def paint(canvas: Canvas, left: float, top: float) -> None:
        for at, index in swatches:
            canvas.setFillColor(_colour(index))
            canvas.rect(left + at, top - S_SMALL.leading - 1, 8, 7, 0, 1)

    row.painters.append(paint)
    return row


def _chart(chart: DocumentChart, language: str) -> list[Block]:
    _ = gettext_for(language)
    rows = heading(chart.title, WIDTH)
    if not chart.rows:
        rows += text_rows(_(NO_ROWS), S_SMALL, WIDTH)
        return [Block(rows, keep=WHOLE, space_before=8)]
    blocks = [Block(rows, keep=len(rows) + 1, space_before=8)]
    bar_w = WIDTH - LABEL_W - TEXT_W
    for bar in chart.rows:
        style = S_SMALL_BOLD if bar.strong else S_SMALL_INK
        row = Row(ROW_H)
        row.pieces.append(Piece(0, style, _clip(bar.label, style, LABEL_W - 3 * mm), dy=1))
        row.pieces.append(Piece(LABEL_W + bar_w + 2 * mm, style, bar.text, dy=1))
        row.painters.append(_bar(bar.shares, bar_w, bar.strong))
        if bar is chart.rows[0]:
            blocks[0].rows.append(row)  # the heading stays with the first bar
        else:
            blocks.append(Block([row]))
    return blocks


def _clip(text: str, style: Style, width: float) -> str:
    if style.width(text) <= width:
        return text
    while text and style.width(text + "…") > width:
        text = text[:-1]
    return text.rstrip() + "…"


def _bar(
    shares: Sequence[float], width: float, strong: bool
) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        y = top - (ROW_H + BAR_H) / 2
        x = left + LABEL_W
        if strong:
            canvas.setFillColor(TINT)
            canvas.rect(left, top - ROW_H, WIDTH, ROW_H, 0, 1)
        for index, share in enumerate(shares):
            if share <= 0:
                continue
            canvas.setFillColor(_colour(index))
            canvas.rect(x, y, share * width, BAR_H, 0, 1)
            x += share * width
        canvas.setStrokeColor(LIGHT)
        canvas.setLineWidth(0.4)
        canvas.rect(left + LABEL_W, y, width, BAR_H, 1, 0)

    return paint


def _table(table: DocumentTable, language: str) -> list[Block]:
    _ = gettext_for(language)
    rows = heading(table.title, WIDTH)
    if not table.rows:
        rows += text_rows(_(NO_ROWS), S_SMALL, WIDTH)
        return [Block(rows, keep=WHOLE, space_before=8)]
    count = len(table.columns)
    # the second column (a title) takes what the others leave
    narrow = 26 * mm
    wide = max(WIDTH - narrow * (count - 1), 40 * mm)
    xs, widths, x = [], [], 0.0
    for index in range(count):
        width = wide if index == 1 and count > 3 else narrow
        if count <= 3:
            width = WIDTH / count
        xs.append(x)
        widths.append(width - 2 * mm)
        x += width
    header = grid_rows(
        [Column(xs[i], widths[i], S_SMALL_BOLD, table.columns[i]) for i in range(count)],
        min_leading=ROW_H,
    )
    for row in header:
        row.painters.append(_tint(row.height))
    blocks = [Block([*rows, *header], keep=len(rows) + len(header) + 1, space_before=8)]
    for number, cells in enumerate(table.rows):
        style = S_SMALL_BOLD if number in table.strong else S_SMALL_INK
        line = grid_rows(
            [Column(xs[i], widths[i], style, cells[i]) for i in range(min(count, len(cells)))],
            min_leading=ROW_H,
        )
        blocks.append(Block(line, keep=len(line), repeat=header))
    return blocks


def _tint(height: float) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setFillColor(TINT)
        canvas.rect(left, top - height, WIDTH, height, 0, 1)

    return paint
