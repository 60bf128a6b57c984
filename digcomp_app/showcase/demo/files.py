"""Small files for the demo school's evidence: pictures (PNG) and one-page reports (PDF)."""

from __future__ import annotations

import functools
import io
import os
import random
import struct
import unicodedata
import zlib
from collections.abc import Callable
from pathlib import Path

from digcomp_app.resources import resources_dir


def ascii_name(text: str) -> str:
    """``Bērziņš`` → ``Berzins``: for e-mail addresses, file names and fallback fonts."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


# --- generated files ---------------------------------------------------------------------


def picture_png(rng: random.Random, width: int = 64, height: int = 48) -> bytes:
    """A small PNG "photo": sky, a sun, a window and a screen, in random colours."""
    sky = [rng.randrange(60, 200) for _ in range(3)]
    ground = [rng.randrange(40, 140) for _ in range(3)]
    screen = [rng.randrange(0, 256) for _ in range(3)]
    sun_x, sun_y = rng.randrange(8, width - 8), rng.randrange(5, 14)
    horizon = rng.randrange(height // 2, height - 10)

    def pixel(x: int, y: int) -> tuple[int, int, int]:
        if (x - sun_x) ** 2 + (y - sun_y) ** 2 <= 16:
            return (250, 220, 60)
        if 20 <= x < 44 and horizon - 14 <= y < horizon - 2:  # a screen in its frame
            inside = 22 <= x < 42 and y < horizon - 4
            return (screen[0], screen[1], screen[2]) if inside else (30, 30, 30)
        if y < horizon:
            shade = y * 60 // horizon
            return (sky[0] + shade // 2, sky[1] + shade // 2, min(255, sky[2] + shade))
        return (ground[0], ground[1] + (x * 20 // width), ground[2])

    return png_image(width, height, pixel)


def png_image(width: int, height: int, pixel: Callable[[int, int], tuple[int, int, int]]) -> bytes:
    """An 8-bit RGB PNG, written with zlib and struct only."""
    rows = b"".join(
        b"\x00" + bytes(channel for x in range(width) for channel in pixel(x, y))
        for y in range(height)
    )
    return png_of_rows(width, height, rows, level=9)


def png_of_rows(width: int, height: int, rows: bytes, level: int = -1) -> bytes:
    """An 8-bit RGB PNG of ``rows``: each row a filter type byte, then its pixels (red,
    green, blue); compressed at zlib ``level`` (-1: zlib's default)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        checksum = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", checksum)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, level))
        + chunk(b"IEND", b"")
    )


_LATVIAN_LETTERS = "āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ"
_FONT_FILES = (  # (regular, bold) pairs to try, with Latvian letters
    ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf"),
    ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf"),
    ("LiberationSans-Regular.ttf", "LiberationSans-Bold.ttf"),
    ("arial.ttf", "arialbd.ttf"),
    ("Arial.ttf", "Arial Bold.ttf"),
)


def _font_folders() -> list[Path]:
    folders = [resources_dir() / "fonts"]
    folders += [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
    folders += [Path("/System/Library/Fonts/Supplemental"), Path("/Library/Fonts")]
    for root in (Path("/usr/share/fonts"), Path("/usr/local/share/fonts")):
        if root.is_dir():
            folders += [root, *sorted(p for p in root.rglob("*") if p.is_dir())]
    return folders


@functools.cache
def _fonts() -> tuple[str, str, bool]:
    """(regular, bold, has Latvian letters): a TrueType font found on this PC, else Helvetica."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFError, TTFont

    for folder in _font_folders():
        for regular, bold in _FONT_FILES:
            if not (folder / regular).is_file() or not (folder / bold).is_file():
                continue
            try:
                fonts = (
                    TTFont("DemoSans", str(folder / regular)),
                    TTFont("DemoSans-Bold", str(folder / bold)),
                )
            except (TTFError, OSError):
                continue
            if all(ord(ch) in fonts[0].face.charToGlyph for ch in _LATVIAN_LETTERS):
                for font in fonts:
                    pdfmetrics.registerFont(font)
                return "DemoSans", "DemoSans-Bold", True
    return "Helvetica", "Helvetica-Bold", False


def report_pdf(
    school: str,
    title: str,
    fields: list[tuple[str, str]],
    competences: list[str],
    tasks: str,
    signature: str,
) -> bytes:
    """A one-page A4 report (reportlab), the same bytes for the same content."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen.canvas import Canvas

    regular, bold, latvian = _fonts()

    def text(value: str) -> str:
        return value if latvian else ascii_name(value)

    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, invariant=1)
    canvas.setTitle(text(f"{title}: {fields[0][1]}"))
    canvas.setAuthor(text(school))
    width, height = A4
    left, y = 60, height - 70
    canvas.setFont(regular, 10)
    canvas.drawString(left, y, text(school))
    y -= 36
    canvas.setFont(bold, 18)
    canvas.drawString(left, y, text(title))
    y -= 32
    for label, value in fields:
        canvas.setFont(bold, 11)
        canvas.drawString(left, y, text(f"{label}:"))
        canvas.setFont(regular, 11)
        canvas.drawString(left + 100, y, text(value))
        y -= 18
    y -= 12
    canvas.setFont(bold, 11)
    canvas.drawString(left, y, text("Mērķa kompetences (DigComp 3.0):"))
    canvas.setFont(regular, 11)
    for competence in competences:
        y -= 17
        canvas.drawString(left + 12, y, text(f"• {competence}"))
    y -= 30
    canvas.setFont(bold, 11)
    canvas.drawString(left, y, text("Veiktie uzdevumi:"))
    canvas.setFont(regular, 11)
    for line in simpleSplit(text(tasks), regular, 11, width - 2 * left):
        y -= 16
        canvas.drawString(left, y, line)
    y -= 60
    canvas.line(left, y, left + 200, y)
    canvas.drawString(left, y - 15, text(signature))
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
