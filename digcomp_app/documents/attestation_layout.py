"""The attestation's A4 page: margins, the QR code's size and mask, the footer's height,
the type styles."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm

from digcomp_app.documents import fonts
from digcomp_app.documents.layout import Style
from digcomp_app.documents.report import GREY, INK, NAVY

PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = RIGHT = 20 * mm
TOP = 15 * mm
BOTTOM = 11 * mm
#: A version 2 code (the signed content inside, docs/attestation-format.md) is QR version
#: 12-15 at error correction M (65-77 modules plus the quiet zone): at 40 mm a module is
#: about 0.5 mm, which still scans from a page rendered at 120 dpi (2.3 pixels a module).
QR_SIZE = 40 * mm
#: The payload is compressed data and a signature (version 1: base32 of mostly random
#: bytes), so the eight QR data masks score about alike, and segno's search over them
#: (14 ms for a version 2 code, more than the rest of an attestation) buys nothing: one
#: fixed mask, the one the search picks most often for these payloads. See
#: docs/decisions/0013-attestation-rendering.md.
QR_MASK = 4
FOOTER_HEIGHT = QR_SIZE + 3 * mm
WIDTH = PAGE_WIDTH - LEFT - RIGHT
CONTENT_TOP = PAGE_HEIGHT - TOP
CONTENT_HEIGHT = CONTENT_TOP - BOTTOM - FOOTER_HEIGHT - 4 * mm

REG, BOLD, ITAL = fonts.REGULAR, fonts.BOLD, fonts.ITALIC
S_ORG = Style(BOLD, 10.5, 13.5, INK)
S_ORG_SMALL = Style(REG, 8, 10.5, GREY)
S_TITLE = Style(BOLD, 17, 21, NAVY)
S_SUBTITLE = Style(REG, 9.5, 12.5, GREY)
S_HEADING = Style(BOLD, 11, 14, NAVY)
S_LABEL = Style(REG, 7.5, 10, GREY)
S_VALUE = Style(REG, 10, 13.5, INK)
S_VALUE_BOLD = Style(BOLD, 10, 13.5, INK)
S_BODY = Style(REG, 9, 12, INK)
S_BODY_BOLD = Style(BOLD, 9, 12, INK)
S_COMPETENCE = Style(BOLD, 10, 13.5, INK)
S_LEVEL = Style(BOLD, 10, 13.5, NAVY)
S_DESCRIPTION = Style(ITAL, 8.5, 11.2, GREY)
S_SMALL = Style(REG, 8.5, 11.2, INK)
S_SMALL_BOLD = Style(BOLD, 8.5, 11.2, INK)
S_FOOT = Style(REG, 7, 9, GREY)
S_FOOT_BOLD = Style(BOLD, 7, 9, INK)
S_ATTRIBUTION = Style(REG, 6.2, 7.8, GREY)
