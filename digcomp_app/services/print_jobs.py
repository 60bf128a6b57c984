"""Sending a finished PDF to a printer, without Qt: which pages in which order, how many
copies the application must paint itself, where a page goes on the paper, and each page as
a bitmap at the printer's resolution (drawn with PDFium, as the evidence preview is).

The thin Qt part (``digcomp_app.ui.printing``) asks the printer for its settings, hands
them to :func:`page_sequence` and paints each :class:`Raster` into the rectangle
:func:`fit` gives. See docs/decisions/0028-printing.md.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

#: the finest resolution a page is drawn at: printers that report more get a 600 dpi
#: bitmap scaled up by the driver (an A4 page at 600 dpi is 35 million pixels already)
MAX_DPI = 600
#: the largest bitmap drawn for one page, in pixels, whatever the paper
MAX_PIXELS = 6000 * 8500


@dataclass(frozen=True, slots=True)
class PageChoice:
    """What the printer dialog asked for."""

    #: first and last page, 1-based; 0 and 0: every page
    from_page: int = 0
    to_page: int = 0
    copies: int = 1
    #: the printer (driver) makes the copies itself: the pages are sent once
    driver_copies: bool = False
    #: copies page by page in order (1 2 3, 1 2 3) rather than 1 1, 2 2, 3 3
    collate: bool = True
    #: the last page first (some printers stack face up)
    last_first: bool = False


def page_sequence(page_count: int, choice: PageChoice) -> tuple[int, ...]:
    """The 0-based page numbers to paint, in order, copies included. A range beyond the
    document is cut to it; a range wholly beyond it prints nothing."""
    if page_count <= 0:
        return ()
    first = max(choice.from_page, 1) if choice.from_page else 1
    last = min(choice.to_page, page_count) if choice.to_page else page_count
    if first > last:
        return ()
    pages = list(range(first - 1, last))
    if choice.last_first:
        pages.reverse()
    copies = 1 if choice.driver_copies else max(choice.copies, 1)
    if choice.collate:
        return tuple(pages * copies)
    return tuple(page for page in pages for _ in range(copies))


@dataclass(frozen=True, slots=True)
class Placement:
    """Where a page goes on the paper, in the printer's pixels."""

    x: float
    y: float
    width: float
    height: float


def fit(page_width: float, page_height: float, area_width: float, area_height: float) -> Placement:
    """The largest rectangle of the page's shape inside the area, centred (a page of the
    paper's own size fills it exactly, at 1 point = 1/72 inch of the printer)."""
    if page_width <= 0 or page_height <= 0 or area_width <= 0 or area_height <= 0:
        raise ValueError("page and paper must have a size")
    scale = min(area_width / page_width, area_height / page_height)
    width, height = page_width * scale, page_height * scale
    return Placement((area_width - width) / 2, (area_height - height) / 2, width, height)


def raster_scale(page_width: float, page_height: float, placement: Placement, dpi: int) -> float:
    """Pixels per PDF point to draw the page at: the printer's resolution over the
    placement, at most :data:`MAX_DPI` and :data:`MAX_PIXELS`."""
    scale = placement.width / page_width  # printer pixels per point
    if dpi > MAX_DPI:
        scale *= MAX_DPI / dpi
    most = math.sqrt(MAX_PIXELS / (page_width * page_height))
    return max(min(scale, most), 0.1)


@dataclass(frozen=True, slots=True)
class Raster:
    """A page drawn as pixels: RGBX, 4 bytes a pixel (or 1 for grey), ``stride`` bytes a
    row."""

    width: int
    height: int
    stride: int
    grey: bool
    data: bytes


class PdfPages:
    """An open PDF: its page count, page sizes (points) and pages drawn as bitmaps."""

    def __init__(self, document: Any) -> None:
        self._document = document

    def __len__(self) -> int:
        return len(self._document)

    def size(self, index: int) -> tuple[float, float]:
        page = self._document[index]
        try:
            width, height = page.get_size()
        finally:
            page.close()
        return max(width, 1.0), max(height, 1.0)

    def raster(self, index: int, scale: float, grey: bool = False) -> Raster:
        """Page ``index`` at ``scale`` pixels per point, on white."""
        page = self._document[index]
        try:
            bitmap = page.render(
                scale=scale,
                grayscale=grey,
                rev_byteorder=not grey,
                prefer_bgrx=not grey,
                may_draw_forms=True,
            )
            try:
                return Raster(
                    bitmap.width, bitmap.height, bitmap.stride, grey, bytes(bitmap.buffer)
                )
            finally:
                bitmap.close()
        finally:
            page.close()


@contextmanager
def open_pdf(pdf: bytes) -> Iterator[PdfPages]:
    """The PDF ``pdf`` opened with PDFium for printing (ValueError when it cannot be read)."""
    import pypdfium2

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise ValueError(f"the PDF could not be read: {error}") from error
    try:
        yield PdfPages(document)
    finally:
        document.close()
