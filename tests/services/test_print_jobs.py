"""Which pages a printer gets, how many times, and where on the paper (no Qt)."""

from __future__ import annotations

import pytest

from digcomp_app.services.print_jobs import (
    PageChoice,
    fit,
    open_pdf,
    page_sequence,
    raster_scale,
)


def test_page_sequence_follows_range_copies_collation_and_order():
    assert page_sequence(4, PageChoice()) == (0, 1, 2, 3)
    assert page_sequence(4, PageChoice(1, 3, copies=2)) == (0, 1, 2, 0, 1, 2)
    assert page_sequence(4, PageChoice(2, 3, copies=2, collate=False)) == (1, 1, 2, 2)
    assert page_sequence(4, PageChoice(2, 9)) == (1, 2, 3)  # cut to the document
    assert page_sequence(4, PageChoice(5, 9)) == ()
    # the driver makes the copies: each page is sent once
    assert page_sequence(3, PageChoice(copies=3, driver_copies=True)) == (0, 1, 2)
    assert page_sequence(3, PageChoice(last_first=True)) == (2, 1, 0)


def test_a_page_is_fitted_to_the_paper_at_the_printers_resolution():
    a4 = (595.28, 841.89)
    paper = (2480, 3508)  # A4 at 300 dpi
    place = fit(*a4, *paper)
    assert place.width == pytest.approx(2480, abs=1) and place.x == pytest.approx(0, abs=1)
    assert raster_scale(*a4, place, 300) == pytest.approx(300 / 72, rel=0.01)
    # a landscape page on portrait paper: centred, the whole width used
    wide = fit(842, 595, *paper)
    assert wide.width == pytest.approx(2480) and wide.x == 0
    assert wide.y == pytest.approx((3508 - wide.height) / 2) and wide.y > 800
    # a 1200 dpi printer gets a 600 dpi bitmap
    fine = fit(*a4, 9921, 14033)
    assert raster_scale(*a4, fine, 1200) == pytest.approx(600 / 72, rel=0.01)


def test_a_page_is_drawn_as_a_bitmap_of_the_asked_size():
    import io

    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4)
    canvas.rect(100, 100, 200, 200, fill=1)
    canvas.showPage()
    canvas.showPage()
    canvas.save()
    with open_pdf(buffer.getvalue()) as pages:
        assert len(pages) == 2
        width, height = pages.size(0)
        assert (round(width), round(height)) == (595, 842)
        raster = pages.raster(0, 150 / 72)
        assert abs(raster.width - 1240) <= 1 and abs(raster.height - 1754) <= 1
        assert (
            len(raster.data) == raster.stride * raster.height and raster.stride >= 4 * raster.width
        )
        assert set(raster.data[:16]) == {255}  # white paper in the corner
        grey = pages.raster(1, 1.0, grey=True)
        assert grey.grey and grey.stride >= grey.width
    with pytest.raises(ValueError), open_pdf(b"not a pdf"):
        pass
