"""QR codes drawn straight onto a reportlab canvas from segno's module matrix.

reportlab's own QR widget builds one shape object per dark module (thousands for the
attestation's payload) and slows a batch down; here each row's runs of dark modules
become one rectangle each, all in a single filled path. Rectangles of neighbouring
rows share their edges exactly, so the code prints and rasterises without seams.
"""

from __future__ import annotations

from collections.abc import Sequence

import segno
from reportlab.lib.colors import black, white
from reportlab.pdfgen.canvas import Canvas
from segno.consts import MODE_MAPPING

#: the white margin a scanner needs around the code, in modules (ISO/IEC 18004)
QUIET_ZONE = 4


#: what a code holds: one text (segno picks the mode), or segments of (text, mode) with the
#: mode named as segno names it ("byte", "alphanumeric", "numeric")
Content = str | Sequence[tuple[str, str]]


def make(content: Content, error: str = "m", mask: int | None = None) -> segno.QRCode:
    """The smallest QR code (not Micro QR) holding ``content``."""
    if isinstance(content, str):
        return segno.make(content, error=error, micro=False, mask=mask)
    segments = [(text, MODE_MAPPING[mode]) for text, mode in content]
    # segno takes segments of (text, mode) too; its annotation names only one text
    return segno.make(segments, error=error, micro=False, mask=mask)  # type: ignore[arg-type]


def matrix(content: Content, error: str = "m", mask: int | None = None) -> tuple[bytearray, ...]:
    """The modules of the smallest QR code (not Micro QR) holding ``content``: 1 = dark.

    ``mask`` None lets segno try all eight data masks and keep the one with the lowest
    penalty score (most of the time it takes); a number uses that mask.
    """
    return make(content, error, mask).matrix


def dark_runs(rows: tuple[bytearray, ...]) -> list[tuple[int, int, int]]:
    """(row, first column, length) of every horizontal run of dark modules."""
    runs = []
    for r, row in enumerate(rows):
        start = -1
        for c, dark in enumerate(row):
            if dark and start < 0:
                start = c
            elif not dark and start >= 0:
                runs.append((r, start, c - start))
                start = -1
        if start >= 0:
            runs.append((r, start, len(row) - start))
    return runs


def draw_qr(
    canvas: Canvas,
    text: Content,
    x: float,
    y: float,
    size: float,
    *,
    quiet_zone: int = QUIET_ZONE,
    error: str = "m",
    mask: int | None = None,
) -> None:
    """Draw the code for ``text`` (a text or segments, see :func:`make`) in the square
    with lower-left corner (x, y) and side ``size`` (points), quiet zone included and
    painted white."""
    rows = matrix(text, error, mask)
    count = len(rows) + 2 * quiet_zone
    module = size / count
    top = y + size - quiet_zone * module
    left = x + quiet_zone * module
    canvas.saveState()
    canvas.setFillColor(white)
    canvas.rect(x, y, size, size, stroke=0, fill=1)
    path = canvas.beginPath()
    for r, c, length in dark_runs(rows):
        path.rect(left + c * module, top - (r + 1) * module, length * module, module)
    canvas.setFillColor(black)
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.restoreState()
