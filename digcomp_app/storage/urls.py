"""Database addresses: which database to use, and reading an address (the one home for them).

The layers above storage reach these through ``services.database``. Loading this module does
not load SQLAlchemy (the window's start does not wait for it); the functions that parse an
address with SQLAlchemy import it when called. The plain-text helpers (``scheme``,
``sqlite_file``, ``hide_password`` …) accept anything a person may type, even an address
SQLAlchemy would refuse.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

from digcomp_app.settings import data_folder, load_settings

#: the environment variable that chooses the database (after --database, before the settings)
ENV_DATABASE_URL = "DIGCOMP_DATABASE_URL"
SQLITE_PREFIX = "sqlite:///"


def default_database_path() -> Path:
    """``digcomp.sqlite3`` in the user's data folder, or beside the program in portable mode."""
    return data_folder() / "digcomp.sqlite3"


def resolve_database_url(
    explicit: str | None = None,
    settings_url: str | None = None,
    environ: Mapping[str, str] | None = None,
) -> str:
    """A database set and locked by the school's IT (the machine-wide file) wins; then
    ``--database``, ``DIGCOMP_DATABASE_URL``, the settings (the user's, else the machine's
    default), the default file."""
    locked = locked_database_url()
    if locked:
        return normalise_url(locked)
    env = os.environ if environ is None else environ
    for candidate in (explicit, env.get(ENV_DATABASE_URL), settings_url):
        if candidate:
            return normalise_url(candidate)
    return f"{SQLITE_PREFIX}{default_database_path()}"


def locked_database_url() -> str:
    """The database the machine-wide file locks ("" when users may choose)."""
    settings = load_settings()
    if not settings.is_locked("database_url"):
        return ""
    return settings.database_url or f"{SQLITE_PREFIX}{default_database_path()}"


def normalise_url(url: str) -> str:
    """Accept a plain file path, and ``postgresql://`` meaning the psycopg 3 driver."""
    if "://" not in url:
        return f"{SQLITE_PREFIX}{Path(url).expanduser().resolve()}"
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite URL (None for in-memory or another database)."""
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    if (
        parsed.get_backend_name() != "sqlite"
        or not parsed.database
        or parsed.database == ":memory:"
    ):
        return None
    return Path(parsed.database)


def safe_url(url: str) -> str:
    """A valid URL with its password shown as ***, for messages and logs."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def scheme(url: str) -> str:
    """``sqlite``, ``postgresql``, … (the part before ``+driver://``)."""
    head, found, _rest = url.partition("://")
    return head.split("+")[0].lower() if found else "sqlite"


def is_sqlite(url: str) -> bool:
    return scheme(url) == "sqlite"


def is_postgresql(url: str) -> bool:
    return scheme(url) in ("postgresql", "postgres")


def sqlite_url(path: str) -> str:
    return SQLITE_PREFIX + str(Path(path).expanduser().absolute())


def sqlite_file(url: str) -> str:
    """The file of an SQLite address as typed ("" for an in-memory database)."""
    if "://" not in url:
        return url
    rest = url.partition("://")[2]
    path = rest[1:] if rest.startswith("/") else rest
    return path.partition("?")[0]


def hide_password(url: str) -> str:
    """The address as typed, with its password (if any) shown as ***."""
    head, found, rest = url.partition("://")
    if not found:
        return url
    authority, slash, tail = rest.partition("/")
    userinfo, at, host = authority.rpartition("@")
    if not at:
        return url
    user, colon, _password = userinfo.partition(":")
    hidden = f"{user}:***" if colon else user
    return f"{head}://{hidden}@{host}{slash}{tail}"
