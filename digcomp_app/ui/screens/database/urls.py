"""Database addresses as people see them, and trying one out (no Qt, no SQLAlchemy)."""

from __future__ import annotations

import re
from pathlib import Path

from digcomp_app.i18n import _
from digcomp_app.services.database import Database

SQLITE_PREFIX = "sqlite:///"
#: the environment variable that overrides the settings (see storage.engine)
ENV_DATABASE_URL = "DIGCOMP_DATABASE_URL"
#: seconds to wait for a PostgreSQL server when testing the connection
CONNECT_TIMEOUT = 10
_DRIVER_PREFIX = re.compile(r"^\([\w.]+\)\s*")


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
    """The file of an SQLite address ("" for an in-memory database)."""
    if "://" not in url:
        return url
    rest = url.partition("://")[2]
    path = rest[1:] if rest.startswith("/") else rest
    return path.partition("?")[0]


def hide_password(url: str) -> str:
    """The address with its password (if any) shown as ***."""
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
