"""What the reports (learner profile, mobility summary) share: page furniture, styles,
and the canvas set-up with fonts, metadata and language."""

from __future__ import annotations

import io
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from reportlab.lib.colors import Color
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app import __version__
from digcomp_app.documents import fonts
from digcomp_app.documents.layout import Block, Painter2D, Row, Style, paginate, text_rows, wrap
from digcomp_app.documents.pdf_data import Metadata, apply_metadata
from digcomp_app.documents.texts import framework_title, gettext_for
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_

PAGE = N_("Page {page}/{pages}")

NAVY = Color(0.09, 0.2, 0.38)
INK = Color(0.1, 0.1, 0.12)
GREY = Color(0.36, 0.38, 0.42)
RULE = Color(0.72, 0.75, 0.8)
TINT = Color(0.92, 0.94, 0.97)
ORANGE = Color(0.85, 0.4, 0.05)
LIGHT = Color(0.8, 0.83, 0.88)
#: bar colours per level band (light to dark)
BAND_COLOURS = (
    Color(0.62, 0.74, 0.88),
    Color(0.36, 0.55, 0.78),
    Color(0.16, 0.35, 0.62),
    Color(0.07, 0.18, 0.38),
)

REG, BOLD, ITAL = fonts.REGULAR, fonts.BOLD, fonts.ITALIC
S_ORG = Style(BOLD, 9.5, 12, INK)
S_TITLE = Style(BOLD, 16, 20, NAVY)
S_SUBTITLE = Style(REG, 10, 13, INK)
S_HEADING = Style(BOLD, 11, 14, NAVY)
S_BODY = Style(REG, 9, 12, INK)
S_BODY_BOLD = Style(BOLD, 9, 12, INK)
S_SMALL = Style(REG, 8, 10.5, GREY)
S_SMALL_INK = Style(REG, 8, 10.5, INK)
S_SMALL_BOLD = Style(BOLD, 8, 10.5, INK)
S_NOTE = Style(ITAL, 8, 10.5, GREY)
S_FOOT = Style(REG, 7, 9, GREY)

MARGIN = 15 * mm
FOOTER = 17 * mm


def horizontal_line(
    color: Color, line_width: float, length: float, dy: float = 0.0
) -> Callable[[Canvas, float, float], None]:
    """A row painter: a line ``length`` long, ``dy`` above the row's top (below if < 0)."""

    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setStrokeColor(color)
        canvas.setLineWidth(line_width)
        canvas.line(left, top + dy, left + length, top + dy)

    return paint


@dataclass(frozen=True, slots=True)
class Page:
    width: float
    height: float

    @property
    def content_width(self) -> float:
        return self.width - 2 * MARGIN

    @property
    def content_height(self) -> float:
        return self.height - 2 * MARGIN - FOOTER


def heading(title: str, width: float) -> list[Row]:
    row = Row(S_HEADING.leading + 6)
    from digcomp_app.documents.layout import Piece

    row.pieces.append(Piece(6, S_HEADING, title, dy=3))

    def band(canvas: Canvas, left: float, top: float) -> None:
        canvas.setFillColor(TINT)
        canvas.rect(left, top - S_HEADING.leading - 5, width, S_HEADING.leading + 5, 0, 1)
        canvas.setFillColor(NAVY)
        canvas.rect(left, top - S_HEADING.leading - 5, 2.2, S_HEADING.leading + 5, 0, 1)

    row.painters.append(band)
    return [row, Row(4)]


def render(
    page: Page,
    blocks: Sequence[Block],
    metadata: Metadata,
    footer_text: str,
    framework: Framework,
    language: str,
    extra: Callable[[Canvas], None] | None = None,
) -> bytes:
    """Flow ``blocks`` over pages of ``page`` size and save the PDF."""
    fonts.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=(page.width, page.height),
        pageCompression=1,
        lang=language,
        initialFontName=fonts.REGULAR,  # type: ignore[arg-type]  # the stubs say float: a name
        initialFontSize=10,
    )
    apply_metadata(canvas, metadata)
    pages = paginate(blocks, page.content_height)
    painter = Painter2D(canvas)
    _ = gettext_for(language)
    source = f"{framework_title(framework, language)}. {framework.attribution.get(language)}"
    for number, placed in enumerate(pages, start=1):
        painter.new_page()
        painter.rows(placed, MARGIN, page.height - MARGIN)
        canvas.setStrokeColor(RULE)
        canvas.setLineWidth(0.5)
        bottom = MARGIN + FOOTER
        canvas.line(MARGIN, bottom, page.width - MARGIN, bottom)
        label = _(PAGE).format(page=number, pages=len(pages))
        y = bottom - 2.5 * mm
        painter.text(page.width - MARGIN, S_FOOT.baseline(y), S_FOOT, label, "r")
        width = page.content_width - S_FOOT.width(label) - 6 * mm
        for line in [footer_text, *wrap(source, S_FOOT, width)][:6]:
            painter.text(MARGIN, S_FOOT.baseline(y), S_FOOT, line)
            y -= S_FOOT.leading
        if extra is not None:
            extra(canvas)
        painter.finish_page()
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def metadata(title: str, author: str, subject: str, language: str) -> Metadata:
    return Metadata(title, author, subject, language, f"digcomp-app {__version__}")


def header_rows(organisation: str, title: str, subtitle: str, width: float) -> list[Row]:
    rows = text_rows(organisation, S_ORG, width) if organisation else []
    rows.append(Row(3 * mm))
    rows += text_rows(title, S_TITLE, width)
    rows += text_rows(subtitle, S_SUBTITLE, width)
    rule = Row(4 * mm)

    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setStrokeColor(NAVY)
        canvas.setLineWidth(1.2)
        canvas.line(left, top - 2.5 * mm, left + width, top - 2.5 * mm)

    rule.painters.append(paint)
    rows.append(rule)
    return rows


def band_colour(index: int) -> Color:
    return BAND_COLOURS[max(0, min(index, len(BAND_COLOURS) - 1))]
