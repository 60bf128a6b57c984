"""Searching lists in the database: the words typed, as LIKE patterns, compared without
case or accents ("berzins" finds "Bērziņš") on SQLite and PostgreSQL alike.

A search is done by the database (a WHERE clause and a LIMIT), so a list of 20,000
accounts or certificates stays quick; ``%`` and ``_`` typed in the box are matched
literally (escaped with ``\\``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from typing import Any, TypeVar

from sqlalchemy import func
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.learners import escape_like, fold

#: how many rows a search returns at most (the screens say when there are more)
PAGE = 200

#: lower-case letter with its accent → the letter without it, for PostgreSQL's translate()
#: (Latin-1 and Latin Extended-A: Latvian, Lithuanian, German, French, Polish …)
_ACCENTED = "".join(
    ch
    for code in range(0xC0, 0x250)
    if len(fold(ch := chr(code))) == 1 and fold(ch).isascii() and fold(ch) != ch.lower()
)
_PLAIN = "".join(fold(ch) for ch in _ACCENTED)
_TABLE = str.maketrans(_ACCENTED, _PLAIN)
_SQLITE_FUNCTION = "digcomp_fold"


def words(text: str) -> list[str]:
    """The folded words of ``text`` (control characters, such as NUL, separate words)."""
    plain = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in text)
    return fold(plain).split()


def containing(word: str) -> str:
    """A LIKE pattern (escape ``\\``) for values that contain ``word`` literally."""
    return f"%{escape_like(word)}%"


def starting(word: str) -> str:
    """A LIKE pattern (escape ``\\``) for values that start with ``word`` literally."""
    return f"{escape_like(word)}%"


_Code = TypeVar("_Code", bound=str)


def named_by(word: str, titles: Mapping[_Code, str]) -> list[str]:
    """The keys of ``titles`` (a role, a status …) whose code, English name or name in the
    current language starts with the folded ``word``."""
    return [
        str(key)
        for key, title in titles.items()
        if any(fold(name).startswith(word) for name in (key, title, _(title)))
    ]


def folded(session: Session, expression: Any) -> Any:
    """``expression`` in lower case without accents, computed by the database: SQLite
    calls :func:`~digcomp_app.services.learners.fold` (registered on the connection),
    PostgreSQL lower-cases and translates the accented Latin letters."""
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        raw = connection.connection.driver_connection
        assert raw is not None  # an open connection of the sqlite3 module
        raw.create_function(_SQLITE_FUNCTION, 1, _fold_or_none, deterministic=True)
        return getattr(func, _SQLITE_FUNCTION)(expression)
    return func.translate(func.lower(expression), _ACCENTED, _PLAIN)


def _fold_or_none(value: object) -> str | None:
    """:func:`fold` for SQLite, quick for Latin letters (called for every row searched)."""
    if value is None:
        return None
    text = str(value)
    quick = text.translate(_TABLE).lower()
    return quick if quick.isascii() else fold(text)


def first_page(session: Session, query: Any, limit: int) -> tuple[list[int], int]:
    """The first ``limit`` ids that ``query`` (one id column, in order) finds, and how
    many it finds: one pass over the rows, not a count and then a page."""
    ids = list(session.scalars(query))
    return ids[:limit], len(ids)
