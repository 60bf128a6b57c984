"""The fonts printed documents embed: Noto Sans (SIL OFL 1.1, ``resources/fonts/``).

reportlab's built-in PDF fonts have no Latvian letters, so every document uses these
TrueType fonts, embedded as subsets. Reading a TTF file takes milliseconds; it is done
once per process (:func:`register_fonts` is idempotent and thread-safe), never per
document - a batch worker registers them when it starts.
"""

from __future__ import annotations

import threading
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from digcomp_app.resources import resources_dir

FAMILY = "NotoSans"
REGULAR = "NotoSans"
BOLD = "NotoSans-Bold"
ITALIC = "NotoSans-Italic"

_FILES = {
    REGULAR: "NotoSans-Regular.ttf",
    BOLD: "NotoSans-Bold.ttf",
    ITALIC: "NotoSans-Italic.ttf",
}

_lock = threading.Lock()
_registered = False


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def register_fonts() -> None:
    """Make the document fonts known to reportlab (once per process)."""
    global _registered
    if _registered:
        return
    with _lock:
        if not _registered:  # not done by another thread while this one waited
            _register()
        _registered = True


def _register() -> None:
    folder = fonts_dir()
    for name, file_name in _FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(folder / file_name)))
    # No bold-italic face is shipped: bold stands in for it.
    pdfmetrics.registerFontFamily(FAMILY, normal=REGULAR, bold=BOLD, italic=ITALIC, boldItalic=BOLD)
