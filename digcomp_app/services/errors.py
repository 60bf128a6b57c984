"""Errors a service raises for the caller to show: each message is translated, plain words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class ServiceError(Exception):
    """Something the user can understand and act on; ``str(error)`` is the message."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    """Bad input; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class WorkflowError(ServiceError):
    """The validation case is not in a stage where this can be done."""


class AuthenticationFailed(ServiceError):
    pass


class AccountLocked(AuthenticationFailed):
    pass


class ConcurrentChange(ServiceError):
    """Someone else saved the same record first; ``current`` holds their values."""

    def __init__(self, message: str, current: Any) -> None:
        super().__init__(message)
        self.current = current


class IntegrityProblem(ServiceError):
    """Stored data failed a check (a file's hash, the audit chain, a backup)."""


class SimultaneousChange(ServiceError):
    """Someone else saved something that clashes (the same learner number, user name, group
    name or mobility code) at the same moment; nothing of this change was saved."""


@contextmanager
def simultaneous_changes_refused() -> Iterator[None]:
    """Turn the database's refusal of a duplicate, written by someone else between our
    check and our commit, into a :class:`SimultaneousChange` the user can act on."""
    from sqlalchemy.exc import IntegrityError

    try:
        yield
    except IntegrityError as error:
        from digcomp_app.i18n import _

        raise SimultaneousChange(
            _(
                "Someone else saved a clashing change (the same learner number, user name, "
                "group name or mobility code) at the same moment. Nothing was saved; look at "
                "the data again and retry."
            )
        ) from error


class DatabaseProblem(ServiceError):
    """The database could not do what was asked (full disk, lost or refused connection);
    the transaction was rolled back, so nothing of it was saved, and the caller keeps what
    the user typed so they can try again."""


class DiskFull(DatabaseProblem):
    pass


class ConnectionLost(DatabaseProblem):
    pass


class DatabaseUnreachable(DatabaseProblem):
    pass


class ServerNotTrusted(DatabaseUnreachable):
    """The encrypted connection the address asks for (``sslmode``) failed: the server's
    certificate was refused, or the server offers no TLS."""


#: SQLSTATEs of PostgreSQL saying the server ended the connection (admin_shutdown,
#: crash_shutdown, cannot_connect_now); class 08 is "connection exception".
_SERVER_GONE = frozenset({"57P01", "57P02", "57P03"})
_DISK_FULL_SQLSTATE = "53100"


def _sqlstate(error: BaseException | None) -> str:
    return str(getattr(error, "sqlstate", "") or "")


def is_disk_full(error: BaseException | None) -> bool:
    """SQLite's SQLITE_FULL, PostgreSQL's disk_full, or the operating system's ENOSPC."""
    import errno
    import sqlite3

    if error is None:
        return False
    if isinstance(error, sqlite3.Error):
        return getattr(error, "sqlite_errorcode", None) == sqlite3.SQLITE_FULL or (
            "database or disk is full" in str(error)
        )
    if isinstance(error, OSError):
        return error.errno == errno.ENOSPC
    return _sqlstate(error) == _DISK_FULL_SQLSTATE


def is_server_gone(error: BaseException | None) -> bool:
    """The server ended the connection (restarted, or the connection was terminated)."""
    state = _sqlstate(error)
    return state in _SERVER_GONE or state.startswith("08")


def _tls_refusal(error: BaseException | None) -> str:
    """Why libpq refused the connection's TLS: "certificate" (not signed by the CA the
    address names, made for another server name, or the CA file missing), "no tls" (the
    server offers none, but the address requires it), or "" (not a TLS problem).

    libpq says it only in words (no SQLSTATE for its own checks): its English ones are
    read; in another language the general "cannot be reached" is said instead."""
    text = str(error or "").lower()
    if "does not support ssl" in text:
        return "no tls"
    if "certificate" in text:
        return "certificate"
    return ""


def _server_name(url: Any) -> str:
    if url is None:
        return "?"
    if url.get_backend_name() == "sqlite":
        return str(url.database or ":memory:")
    host = url.host or "localhost"
    where = f"{host}:{url.port}" if url.port else host
    return f"{where}/{url.database}" if url.database else where


def database_problem(
    original: BaseException | None,
    *,
    url: Any = None,
    disconnected: bool = False,
    connecting: bool = False,
) -> DatabaseProblem | None:
    """The plain-words error for a database failure, or None when it is not one we name.

    ``original`` is the driver's exception; ``url`` the database's URL (to name the server);
    ``disconnected`` says the connection is known to be gone; ``connecting`` that no
    connection was made yet."""
    from digcomp_app.i18n import _

    if is_disk_full(original):
        return DiskFull(
            _(
                "The disk holding the database is full: nothing was saved. Free some space "
                "and try again."
            )
        )
    if connecting:
        if url is not None and url.get_backend_name() == "sqlite":
            return DatabaseUnreachable(
                _(
                    "The database file {path} could not be opened: check that its folder "
                    "exists and that you may write to it, or ask your administrator."
                ).format(path=_server_name(url))
            )
        refusal = _tls_refusal(original)
        if refusal == "certificate":
            return ServerNotTrusted(
                _(
                    "The database server {server} could not prove that it is the school's "
                    "server: its certificate was refused. Check that sslrootcert in the "
                    "database address names the school's certificate authority (CA) file and "
                    "that the address names the server as its certificate does, or ask your "
                    "administrator."
                ).format(server=_server_name(url))
            )
        if refusal == "no tls":
            return ServerNotTrusted(
                _(
                    "The database server {server} offers no encrypted connection (TLS), which "
                    "the database address requires (sslmode). Ask your administrator to turn "
                    "on TLS on the server."
                ).format(server=_server_name(url))
            )
        return DatabaseUnreachable(
            _(
                "The database server {server} cannot be reached: check that it is running "
                "and that this PC is connected to the school network, or ask your "
                "administrator."
            ).format(server=_server_name(url))
        )
    if disconnected or is_server_gone(original):
        return ConnectionLost(
            _(
                "The connection to the database server was lost (the server may have "
                "restarted) and this last action did not finish. Try again: the program "
                "connects again by itself."
            )
        )
    return None


def _translate_engine_error(context: Any) -> DatabaseProblem | None:
    """The engine's error hook (see ``storage.engine.set_error_translator``)."""
    if context.is_pre_ping:  # the pool finds a dead connection and replaces it by itself
        return None
    original = context.original_exception
    disconnected = bool(context.is_disconnect) or is_server_gone(original)
    if disconnected:
        context.is_disconnect = True  # the pool drops this connection and its siblings
    engine = context.engine
    url = engine.url if engine is not None else None
    # No connection yet: the driver's connect() (or the set-up of a new connection) failed.
    connecting = context.connection is None and isinstance(original, Exception)
    return database_problem(original, url=url, disconnected=disconnected, connecting=connecting)


def install_translator() -> None:
    """Give the storage layer's engines this module's error hook. Done by
    ``services.database`` when it is imported (not here: the window's start must not load
    SQLAlchemy before the sign-in page)."""
    from digcomp_app.storage.engine import set_error_translator

    set_error_translator(_translate_engine_error)
