"""Connecting to the database safely (which database, and its address: ``storage.urls``).

The default is an SQLite file in the user's data folder (WAL journal, ``synchronous=FULL``,
foreign keys on, write transactions that take the lock at BEGIN so two windows never
deadlock). Any SQLAlchemy URL may be given instead; PostgreSQL (psycopg 3) is the shared
server for a school's PCs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Engine, event
from sqlalchemy import create_engine as _create_engine
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

# Where addresses are read and chosen (re-exported here for the storage layer's own modules).
from digcomp_app.storage.urls import (
    ENV_DATABASE_URL,
    default_database_path,
    normalise_url,
    resolve_database_url,
    sqlite_path,
)

#: Turns a failure the user can act on (a full disk, a lost or refused connection) into an
#: exception in plain words; set by ``services.errors`` (the layer that owns those words).
ErrorTranslator = Callable[[Any], BaseException | None]
_error_translator: ErrorTranslator | None = None


def set_error_translator(translator: ErrorTranslator | None) -> None:
    """Every engine made by :func:`create_engine` passes its database errors (SQLAlchemy's
    ``handle_error`` context) to ``translator``; what it returns is raised instead."""
    global _error_translator
    _error_translator = translator


def create_engine(url: str, **kwargs: Any) -> Engine:
    url = normalise_url(url)
    path = sqlite_path(url)
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        engine = _create_engine(url, poolclass=NullPool, **kwargs)
        _configure_sqlite(engine)
        _translate_errors(engine)
        return engine
    if make_url(url).get_backend_name() == "sqlite":  # in-memory, for quick experiments
        engine = _create_engine(url, **kwargs)
        _configure_sqlite(engine)
        _translate_errors(engine)
        return engine
    # A server restarted since a pooled connection was opened: the ping at checkout finds
    # the dead connection, drops the pool's older connections and connects again, so the
    # next action just works. A connection lost in the middle of an action is reported
    # (the translator below) and the pool is emptied the same way.
    engine = _create_engine(url, pool_pre_ping=True, **kwargs)
    _translate_errors(engine)
    return engine


def _translate_errors(engine: Engine) -> None:
    @event.listens_for(engine, "handle_error")
    def _on_error(context: Any) -> BaseException | None:
        translator = _error_translator
        return translator(context) if translator is not None else None


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # We issue BEGIN ourselves (below), so the driver must not.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA busy_timeout=15000")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        # Take the write lock at the start: a deferred transaction that reads and then
        # writes can fail at once with "database is locked" when another PC wrote between.
        connection.exec_driver_sql("BEGIN IMMEDIATE")


def backend_name(engine: Engine) -> str:
    return engine.url.get_backend_name()


__all__ = [
    "ENV_DATABASE_URL",
    "backend_name",
    "create_engine",
    "default_database_path",
    "normalise_url",
    "resolve_database_url",
    "set_error_translator",
    "sqlite_path",
]
