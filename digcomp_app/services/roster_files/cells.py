"""What makes a cell's text unsafe (control characters, formulas), how it is shown in a
message, and :func:`neutralise_cell` for the cells the app writes."""

from __future__ import annotations

import unicodedata

_EXTRA_CONTROLS = {"\u2028", "\u2029"}


def is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf") or ch in _EXTRA_CONTROLS


def shown_text(value: str, limit: int = 60) -> str:
    """A value safe to show inside a message: controls escaped, long text shortened."""
    text = "".join(f"\\u{ord(ch):04x}" if is_control(ch) else ch for ch in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def formula_start(value: str, *, strict_hyphen: bool = False) -> str:
    """The leading character that makes ``value`` look like a formula ("" when none)."""
    first = value[:1]
    if first in ("=", "+", "@"):
        return first
    if first == "-" and (strict_hyphen or len(value) == 1 or not value[1].isalpha()):
        return "-"
    return ""


_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Make a value safe for a CSV/XLSX cell that a spreadsheet program will open.

    Tabs and line breaks become spaces; other control characters (C0, DEL, C1) and
    invisible formatting characters (bidi overrides and isolates, zero-width marks) are
    removed; a value that would start with = + - @ (even after spaces) gets a leading "'"
    so that it is shown as text, not run as a formula.
    """
    cleaned = []
    for ch in value:
        if ch in "\t\r\n":
            cleaned.append(" ")
        elif not is_control(ch):
            cleaned.append(ch)
    text = "".join(cleaned)
    if text.lstrip(" ").startswith(_FORMULA_STARTS) or text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
