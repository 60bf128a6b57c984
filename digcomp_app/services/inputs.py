"""Checking text at the service boundary, and making stored text safe to print.

Every service that writes text passes it through :func:`clean_text`: a value the database
could not hold (NUL, which PostgreSQL refuses; more characters than the column has) or
that would disturb a terminal or a printed page (other control characters) is refused with
:class:`InvalidInput` naming the field, before anything is written. :func:`for_terminal`
is the other side: text from the database shown by the command line, without escape
sequences, control characters or bidirectional overrides.
"""

from __future__ import annotations

import re
import unicodedata

from digcomp_app.i18n import _
from digcomp_app.services.errors import InvalidInput

#: line and paragraph separators: not "Cc" but they break lines like a newline
_SEPARATORS = {"\u2028", "\u2029"}
#: what :func:`clean_text` refuses: the control characters (Unicode category "Cc", a set
#: that never changes: U+0000-U+001F and U+007F-U+009F) and the separators; in multiline
#: text tab and newline are allowed (a return has become a newline before the check)
_REFUSED = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_REFUSED_MULTILINE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]")


def clean_text(
    value: object,
    field: str,
    label: str,
    max_len: int | None,
    *,
    multiline: bool = False,
    strip: bool = True,
) -> str:
    """``value`` stripped (unless ``strip`` is false), checked: no NUL or other control
    character (tab and line breaks allowed when ``multiline``; "\\r\\n" and "\\r" become
    "\\n"), at most ``max_len`` characters (None: no limit). ``label`` is the field's name
    as the user knows it, already translated. Raises :class:`InvalidInput` (``field``)."""
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise InvalidInput(field, _("The {field} must be text.").format(field=label))
    text = value
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if strip:
        text = text.strip()
    if (_REFUSED_MULTILINE if multiline else _REFUSED).search(text):
        raise InvalidInput(
            field,
            _(
                "The {field} contains a control character (one that cannot be printed or "
                "stored, such as NUL); remove it."
            ).format(field=label),
        )
    if max_len is not None and len(text) > max_len:
        raise InvalidInput(
            field,
            _("The {field} is too long: at most {limit} characters, now {count}.").format(
                field=label, limit=max_len, count=len(text)
            ),
        )
    return text


def for_terminal(value: object) -> str:
    """``value`` as text safe to print on a terminal: tabs and line breaks become spaces;
    escape sequences' ESC, other control characters (C0, DEL, C1) and invisible formatting
    characters (bidi overrides and isolates, zero-width marks) are removed."""
    cleaned = []
    for ch in str(value):
        if ch in "\t\r\n" or ch in _SEPARATORS:
            cleaned.append(" ")
        elif unicodedata.category(ch) not in ("Cc", "Cf"):
            cleaned.append(ch)
    return "".join(cleaned)
