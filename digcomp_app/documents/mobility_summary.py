"""The coordinator's mobility summary: participants × competences, the level each
participant reached (landscape A4), with the number assessed and the median per
competence, and a key to the competence codes.

The mobility's title, objective, activities and host organisation are printed in the
summary's language (the other language's where its own is empty)."""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from reportlab.lib.colors import Color, white
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents import fonts
from digcomp_app.documents.attestation import localised_text
from digcomp_app.documents.attestation_wording import ACTIVITIES, HOST_DESCRIPTION, OBJECTIVE
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
    BOLD,
    INK,
    LIGHT,
    RULE,
    S_BODY,
    S_NOTE,
    S_SMALL,
    S_SMALL_BOLD,
    S_SMALL_INK,
    TINT,
    Page,
    band_colour,
    header_rows,
    heading,
    horizontal_line,
    metadata,
    render,
)
from digcomp_app.documents.texts import (
    competence_title,
    country_name,
    document_date,
    framework_short,
    gettext_for,
    level_name,
)
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_, format_number

TITLE = N_("Mobility summary: digital competences reached")
SUBTITLE = N_("{code} · {title} · {host}, {country} · {start} – {end}")
LEVELS = N_("Levels reached")
LEVELS_NOTE = N_(
    "Levels 1 to {top} of {framework} as assessed for each participant: from the issued "
    "certificate where there is one, otherwise from the case in progress. A dash: not "
    "assessed."
)
PARTICIPANT = N_("Participant")
STATUS = N_("Status")
ASSESSED_COUNT = N_("assessed")
MEDIAN = N_("median")
NO_PARTICIPANTS = N_("The mobility has no participants.")
KEY = N_("Competences")
BANDS = N_("Level bands")
FOOTER = N_("Mobility {code}, printed on {date}")
SUBJECT = N_("Participants and the levels of digital competence they reached ({framework})")


@dataclass(frozen=True, slots=True)
class SummaryParticipant:
    name: str
    levels: Mapping[str, int]  # competence id -> level reached
    status: str  # in the document's language: "certified DC-…", "assessment", …


@dataclass(frozen=True, slots=True)
class MobilitySummaryData:
    code: str
    title: str
    organisation: str
    host: str
    host_country: str
    start: dt.date
    end: dt.date
    framework: Framework
    printed_on: dt.date
    participants: tuple[SummaryParticipant, ...] = field(default_factory=tuple)
    #: {language: {"title", "objective", "activities", "host_description"}}; ``title`` is
    #: printed when the summary's language (and the other) has none
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict, hash=False)

    def text(self, name: str, language: str) -> str:
        found, _fallback = localised_text(self.texts, name, language)
        return found or (self.title if name == "title" else "")


PAGE = Page(*landscape(A4))
WIDTH = PAGE.content_width
NAME_W = 52 * mm
STATUS_W = 62 * mm
S_CELL = Style(BOLD, 8.5, 11, INK)
S_CELL_LIGHT = Style(BOLD, 8.5, 11, white)
S_HEAD = Style(BOLD, 7.5, 10, INK)
ROW_H = 15.0


def render_mobility_summary(data: MobilitySummaryData, language: str) -> bytes:
    fonts.register_fonts()  # text is measured before anything is drawn
    _ = gettext_for(language)
    framework = data.framework
    subtitle = _(SUBTITLE).format(
        code=data.code,
        title=data.text("title", language),
        host=data.host,
        country=country_name(data.host_country, language),
        start=document_date(data.start, language),
        end=document_date(data.end, language),
    )
    title = _(TITLE)
    blocks = [Block(header_rows(data.organisation, title, subtitle, WIDTH), keep=WHOLE)]
    blocks += _texts(data, language)
    blocks += _table(data, language)
    blocks += _key(data, language)
    meta = metadata(
        f"{title} — {data.code}",
        data.organisation,
        _(SUBJECT).format(framework=framework_short(framework)),
        language,
    )
    footer = _(FOOTER).format(code=data.code, date=document_date(data.printed_on, language))
    return render(PAGE, blocks, meta, footer, framework, language)


def _texts(data: MobilitySummaryData, language: str) -> list[Block]:
    """The mobility's objective, activities and host organisation, when written."""
    _ = gettext_for(language)
    label_w = 48 * mm
    rows: list[Row] = []
    for label, name in (
        (OBJECTIVE, "objective"),
        (ACTIVITIES, "activities"),
        (HOST_DESCRIPTION, "host_description"),
    ):
        text = data.text(name, language)
        if text:
            rows += grid_rows(
                [
                    Column(0, label_w - 3 * mm, S_SMALL_BOLD, _(label)),
                    Column(label_w, WIDTH - label_w, S_SMALL_INK, text),
                ]
            )
            rows.append(Row(2))
    return [Block(rows, keep=len(rows), space_before=6)] if rows else []


def competences_of(data: MobilitySummaryData) -> list[str]:
    """The competences anyone was assessed in, in the framework's order."""
    seen = {cid for p in data.participants for cid in p.levels}
    ordered = [c.id for c in data.framework.competences() if c.id in seen]
    return ordered + sorted(seen - set(ordered))


def _table(data: MobilitySummaryData, language: str) -> list[Block]:
    _ = gettext_for(language)
    framework = data.framework
    top = max((level.number for level in framework.levels), default=8)
    rows = heading(_(LEVELS), WIDTH)
    rows += text_rows(
        _(LEVELS_NOTE).format(top=top, framework=framework_short(framework)), S_NOTE, WIDTH
    )
    rows.append(Row(3))
    if not data.participants:
        rows += text_rows(_(NO_PARTICIPANTS), S_BODY, WIDTH)
        return [Block(rows, keep=len(rows), space_before=8)]
    codes = competences_of(data)
    cells_w = WIDTH - NAME_W - STATUS_W
    cell = min(14 * mm, cells_w / max(len(codes), 1))
    bands = [b.id for b in framework.bands]

    def band_index(level: int) -> int:
        band = framework.band_of(level) if level in {lv.number for lv in framework.levels} else None
        return bands.index(band.id) if band else 0

    header = Row(ROW_H)
    header.pieces.append(Piece(2, S_HEAD, _(PARTICIPANT), dy=2))
    for i, code in enumerate(codes):
        header.pieces.append(Piece(NAME_W + (i + 0.5) * cell, S_HEAD, code, "c", dy=2))
    header.pieces.append(Piece(NAME_W + len(codes) * cell + 3 * mm, S_HEAD, _(STATUS), dy=2))
    header.painters.append(_fill(TINT, WIDTH, ROW_H))
    blocks = [Block([*rows, header], keep=len(rows) + 2, space_before=8)]
    for number, participant in enumerate(data.participants):
        line = grid_rows(
            [
                Column(2, NAME_W - 4, S_SMALL_INK, participant.name),
                Column(
                    NAME_W + len(codes) * cell + 3 * mm,
                    STATUS_W - 3 * mm,
                    S_SMALL,
                    participant.status,
                ),
            ],
            min_leading=ROW_H,
        )
        first = line[0]
        first.pieces = [Piece(p.x, p.style, p.text, p.align, dy=2) for p in first.pieces]
        height = sum(r.height for r in line)
        cells = []
        for i, code in enumerate(codes):
            level = participant.levels.get(code)
            x = NAME_W + i * cell
            if level is None:
                first.pieces.append(Piece(x + cell / 2, S_SMALL, "—", "c", dy=2))
                continue
            index = band_index(level)
            cells.append((x, band_colour(index)))
            style = S_CELL_LIGHT if index >= 1 else S_CELL
            first.pieces.append(Piece(x + cell / 2, style, str(level), "c", dy=2))
        first.painters.append(_row_cells(cells, cell, height, number % 2 == 1))
        blocks.append(Block(line, keep=len(line), repeat=[header]))
    blocks.append(Block(_totals(data, codes, cell, language), keep=WHOLE))
    return blocks


def _totals(
    data: MobilitySummaryData, codes: Sequence[str], cell: float, language: str
) -> list[Row]:
    _ = gettext_for(language)
    counted = Row(ROW_H)
    median = Row(ROW_H)
    counted.pieces.append(Piece(2, S_SMALL_BOLD, _(ASSESSED_COUNT), dy=2))
    median.pieces.append(Piece(2, S_SMALL_BOLD, _(MEDIAN), dy=2))
    for i, code in enumerate(codes):
        levels = [p.levels[code] for p in data.participants if code in p.levels]
        x = NAME_W + (i + 0.5) * cell
        counted.pieces.append(Piece(x, S_SMALL_INK, str(len(levels)), "c", dy=2))
        if levels:
            value = format_number(statistics.median(levels), language)
            median.pieces.append(Piece(x, S_SMALL_BOLD, value, "c", dy=2))
    counted.painters.append(horizontal_line(RULE, 1, WIDTH))
    return [counted, median]


def _key(data: MobilitySummaryData, language: str) -> list[Block]:
    _ = gettext_for(language)
    framework = data.framework
    codes = competences_of(data)
    if not codes:
        return []
    rows = heading(_(KEY), WIDTH)
    half = WIDTH / 2
    entries = [(code, competence_title(framework, code, language)) for code in codes]
    split = (len(entries) + 1) // 2
    for left, right in zip(entries[:split], [*entries[split:], None], strict=False):
        columns = [
            Column(0, 10 * mm, S_SMALL_BOLD, left[0]),
            Column(10 * mm, half - 14 * mm, S_SMALL_INK, left[1]),
        ]
        if right is not None:
            columns += [
                Column(half, 10 * mm, S_SMALL_BOLD, right[0]),
                Column(half + 10 * mm, half - 14 * mm, S_SMALL_INK, right[1]),
            ]
        rows += grid_rows(columns)
    legend = Row(S_SMALL.leading + 8)
    legend.pieces.append(Piece(0, S_SMALL_BOLD, _(BANDS) + ":", dy=4))
    x = S_SMALL_BOLD.width(_(BANDS) + ":") + 4 * mm
    swatches = []
    for index, band in enumerate(framework.bands):
        first_level = band.levels[0] if band.levels else 1
        name = level_name(framework, first_level, language)
        text = f"{band.levels[0]}–{band.levels[-1]} {name}" if band.levels else name
        swatches.append((x, band_colour(index)))
        legend.pieces.append(Piece(x + 11, S_SMALL_INK, text, dy=4))
        x += 11 + S_SMALL_INK.width(text) + 6 * mm
    legend.painters.append(_swatches(swatches))
    return [Block([*rows, Row(4), legend], keep=WHOLE, space_before=12)]


def _fill(colour: Color, width: float, height: float) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setFillColor(colour)
        canvas.rect(left, top - height, width, height, 0, 1)

    return paint


def _row_cells(
    cells: Sequence[tuple[float, Color]], width: float, height: float, striped: bool
) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        if striped:
            canvas.setFillColor(Color(0.97, 0.97, 0.98))
            canvas.rect(left, top - height, WIDTH, height, 0, 1)
        for x, colour in cells:
            canvas.setFillColor(colour)
            canvas.rect(left + x + 1, top - ROW_H + 1.5, width - 2, ROW_H - 3, 0, 1)
        canvas.setStrokeColor(LIGHT)
        canvas.setLineWidth(0.4)
        canvas.line(left, top - height, left + WIDTH, top - height)

    return paint


def _swatches(items: Sequence[tuple[float, Color]]) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        for x, colour in items:
            canvas.setFillColor(colour)
            canvas.rect(left + x, top - S_SMALL.leading - 2, 8, 7, 0, 1)

    return paint
