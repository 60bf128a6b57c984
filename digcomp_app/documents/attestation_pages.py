"""The pages of an attestation: every language version paginated, and every page's footer
(the verification QR code, serial, key fingerprint, framework and its attribution, page
number)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents.attestation_layout import (
    BOTTOM,
    CONTENT_HEIGHT,
    CONTENT_TOP,
    FOOTER_HEIGHT,
    LEFT,
    QR_MASK,
    QR_SIZE,
    S_ATTRIBUTION,
    S_FOOT,
    S_FOOT_BOLD,
    WIDTH,
)
from digcomp_app.documents.attestation_version import LanguageVersion
from digcomp_app.documents.attestation_wording import (
    CHECK,
    CHECK_AT,
    FOOTER_KEY,
    FOOTER_SERIAL,
    PAGE,
    UNSIGNED,
)
from digcomp_app.documents.layout import Painter2D, Style, paginate, wrap
from digcomp_app.documents.payload import qr_address, qr_segments
from digcomp_app.documents.qr import draw_qr
from digcomp_app.documents.report import GREY, RULE
from digcomp_app.documents.texts import framework_title, gettext_for

if TYPE_CHECKING:
    from digcomp_app.documents.attestation import AttestationData


def draw_attestation(
    canvas: Canvas, item: AttestationData, languages: tuple[str, ...], form: str
) -> None:
    pages = [
        (language, placed)
        for language in languages
        for placed in paginate(LanguageVersion(item, language).blocks(), CONTENT_HEIGHT)
    ]
    if item.qr_text:
        # drawn once, shown on every page
        canvas.beginForm(form)
        draw_qr(canvas, qr_segments(item.qr_text), LEFT, BOTTOM, QR_SIZE, mask=QR_MASK)
        canvas.endForm()
    painter = Painter2D(canvas)
    for index, (language, placed) in enumerate(pages):
        painter.new_page()
        painter.rows(placed, LEFT, CONTENT_TOP)
        _footer(canvas, painter, item, language, index + 1, len(pages), form)
        painter.finish_page()
        canvas.showPage()


def _footer(
    canvas: Canvas,
    painter: Painter2D,
    item: AttestationData,
    language: str,
    page: int,
    pages: int,
    form: str,
) -> None:
    _ = gettext_for(language)
    top = BOTTOM + FOOTER_HEIGHT
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, top, LEFT + WIDTH, top)
    if item.qr_text:
        canvas.doForm(form)
        address = qr_address(item.qr_text)
        if address:  # under the code, in the bottom margin
            line_y = BOTTOM - 0.6 * mm
            for line in wrap(_(CHECK_AT).format(address=address), S_FOOT, WIDTH)[:2]:
                painter.text(LEFT, S_FOOT.baseline(line_y), S_FOOT, line)
                line_y -= S_FOOT.leading
    else:
        canvas.setStrokeColor(GREY)
        canvas.setDash(2, 2)
        canvas.rect(LEFT + 2, BOTTOM + 2, QR_SIZE - 4, QR_SIZE - 4, stroke=1, fill=0)
        canvas.setDash()
    x = LEFT + QR_SIZE + 4 * mm
    page_label = _(PAGE).format(page=page, pages=pages)
    text_width = WIDTH - QR_SIZE - 4 * mm
    y = top - 3 * mm
    painter.text(LEFT + WIDTH, S_FOOT.baseline(y), S_FOOT, page_label, "r")
    lines: list[tuple[Style, str]] = []
    first_width = text_width - S_FOOT.width(page_label) - 4 * mm
    check = _(CHECK) if item.qr_text else _(UNSIGNED)
    lines.extend((S_FOOT_BOLD, line) for line in wrap(check, S_FOOT_BOLD, first_width))
    lines.append((S_FOOT, _(FOOTER_SERIAL).format(serial=item.serial)))
    if item.key_fingerprint:
        lines.append((S_FOOT, _(FOOTER_KEY).format(fingerprint=item.key_fingerprint)))
    framework = item.framework
    lines.extend(
        (S_FOOT_BOLD, line)
        for line in wrap(framework_title(framework, language), S_FOOT_BOLD, text_width)
    )
    attribution = framework.attribution.get(language)
    lines.extend((S_ATTRIBUTION, line) for line in wrap(attribution, S_ATTRIBUTION, text_width))
    for style, line in lines:
        painter.text(x, style.baseline(y), style, line)
        y -= style.leading
