"""Database addresses as people see them, and trying one out (no Qt)."""

from __future__ import annotations

import re

from digcomp_app.i18n import _
from digcomp_app.services.database import (
    ENV_DATABASE_URL,
    Database,
    hide_password,
    is_postgresql,
    is_sqlite,
    scheme,
    sqlite_file,
    sqlite_url,
)

#: seconds to wait for a PostgreSQL server when testing the connection
CONNECT_TIMEOUT = 10
_DRIVER_PREFIX = re.compile(r"^\([\w.]+\)\s*")

# Reading addresses lives in storage.urls (through services.database); these names stay here
# for the screens of this package.
__all__ = [
    "ENV_DATABASE_URL",
    "describe",
    "hide_password",
    "is_postgresql",
    "is_sqlite",
    "plain_problem",
    "scheme",
    "sqlite_file",
    "sqlite_url",
    "try_database",
    "with_connect_timeout",
]


def describe(url: str) -> str:
    """One line for people: the SQLite file, or the server's address without the password."""
    if is_sqlite(url):
        path = sqlite_file(url)
        return _("SQLite file {path}").format(path=path) if path else _("SQLite in memory")
    if is_postgresql(url):
        address = "postgresql://" + hide_password(url).partition("://")[2]
        return _("PostgreSQL server {address}").format(address=address)
    return hide_password(url)


def with_connect_timeout(url: str) -> str:
    if not is_postgresql(url) or "connect_timeout=" in url:
        return url
    return url + ("&" if "?" in url else "?") + f"connect_timeout={CONNECT_TIMEOUT}"


def plain_problem(error: BaseException) -> str:
    """The first line of a driver's error, without its ``(module.Error)`` prefix."""
    lines = [line.strip() for line in str(error).strip().splitlines() if line.strip()]
    first = lines[0] if lines else type(error).__name__
    return _DRIVER_PREFIX.sub("", first)


def try_database(url: str) -> str | None:
    """Open (and prepare) the database at ``url`` and close it: None, or what went wrong."""
    try:
        database = Database(with_connect_timeout(url))
    except ModuleNotFoundError as error:
        return _(
            "The program cannot talk to this kind of database: the part it needs ({module}) "
            "is not installed. Ask whoever installed the program."
        ).format(module=error.name or plain_problem(error))
    except Exception as error:  # any driver's error, told in plain words
        if is_sqlite(url):
            advice = _("Check that the folder exists and that you may write in it.")
        else:
            advice = _(
                "Check the server's name, port and database, the user name and password, and "
                "that the server is running and can be reached from this computer."
            )
        return _("The database could not be opened: {problem}. {advice}").format(
            problem=plain_problem(error).rstrip("."), advice=advice
        )
    database.close()
    return None
