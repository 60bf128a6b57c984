"""The school's logo on a printed page: read once per process, scaled into a fixed box."""

from __future__ import annotations

import hashlib
import io
from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas


@dataclass(frozen=True, slots=True)
class Logo:
    box: tuple[float, float]
    painter: Callable[[Canvas, float, float], None]


LOGO_MAX = (40 * mm, 18 * mm)


_logos: dict[str, Logo | None] = {}


def logo_for(data: bytes | None) -> Logo | None:
    """The school's logo, read once per process (every attestation of a batch shows it)."""
    if not data:
        return None
    digest = hashlib.sha256(data).hexdigest()
    if digest not in _logos:
        if len(_logos) > 4:
            _logos.clear()
        _logos[digest] = _read_logo(data)
    return _logos[digest]


def _read_logo(data: bytes) -> Logo | None:
    from reportlab.lib.utils import ImageReader

    try:
        image = ImageReader(io.BytesIO(data))
        pixels_wide, pixels_high = image.getSize()
    except Exception:  # a logo that cannot be read is left out, never fatal
        return None
    if pixels_wide <= 0 or pixels_high <= 0:
        return None
    scale = min(LOGO_MAX[0] / pixels_wide, LOGO_MAX[1] / pixels_high)
    width, height = pixels_wide * scale, pixels_high * scale

    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.drawImage(image, left, top - height, width, height, mask="auto")

    return Logo((width, height), paint)
