"""The QR code is drawn from segno's matrix as one path of merged runs, and scans."""

from __future__ import annotations

import io

import segno
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents.qr import dark_runs, draw_qr, matrix
from tests.documents.conftest import decode_qr

PAYLOAD = "DC1:" + "AB3" * 60


def test_runs_cover_exactly_the_dark_modules():
    rows = matrix(PAYLOAD)
    covered = {(r, c + i) for r, c, length in dark_runs(rows) for i in range(length)}
    dark = {(r, c) for r, row in enumerate(rows) for c, value in enumerate(row) if value}
    assert covered == dark
    # merged: never two runs touching in one row
    runs = dark_runs(rows)
    ends = {(r, c + length) for r, c, length in runs}
    assert not any((r, c) in ends for r, c, _ in runs)


def test_one_path_of_rectangles_no_shape_objects():
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pageCompression=0)
    draw_qr(canvas, PAYLOAD, 100, 100, 80)
    canvas.showPage()
    canvas.save()
    content = buffer.getvalue()
    rectangles = content.count(b" re")
    assert rectangles == len(dark_runs(matrix(PAYLOAD))) + 1  # + the white quiet zone
    assert content.count(b"\nf") + content.count(b" f\n") >= 1


def test_the_drawn_code_scans_with_any_fixed_mask(tmp_path):
    for mask in (None, 0, 4, 7):
        buffer = io.BytesIO()
        canvas = Canvas(buffer)
        draw_qr(canvas, PAYLOAD, 200, 400, 90, mask=mask)
        canvas.showPage()
        canvas.save()
        assert decode_qr(buffer.getvalue(), tmp_path, dpi=150) == [PAYLOAD]


def test_the_matrix_is_segnos():
    assert matrix(PAYLOAD, mask=4) == segno.make(PAYLOAD, error="m", mask=4, micro=False).matrix
