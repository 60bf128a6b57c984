"""Bring a database to the current schema, copying an SQLite file aside first."""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, inspect, text
from sqlalchemy.exc import DBAPIError

if TYPE_CHECKING:
    from alembic.config import Config

from digcomp_app.storage.engine import sqlite_path

_MIGRATIONS = Path(__file__).resolve().parent / "migrations"
#: The newest revision in migrations/versions (a test checks it against Alembic's head).
#: Knowing it here lets an up-to-date database open without importing Alembic at all.
HEAD_REVISION = "0010"


@dataclass(frozen=True, slots=True)
class MigrationResult:
    from_revision: str | None
    to_revision: str
    backup: Path | None


def _config() -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    return config


def head_revision() -> str:
    return HEAD_REVISION


def alembic_head_revision() -> str | None:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def current_revision(engine: Engine) -> str | None:
    """The schema revision recorded in the database (None: a new, unversioned database)."""
    with engine.connect() as connection:  # one connection for both questions
        if not inspect(connection).has_table("alembic_version"):
            return None
        try:
            return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except DBAPIError:
            return None


def needs_migration(engine: Engine) -> bool:
    return current_revision(engine) != head_revision()


def copy_sqlite_file(source: Path, target: Path) -> None:
    """A consistent copy with SQLite's online backup API (safe while others use the file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    dst.close()
    src.close()


def migrate(engine: Engine, backup: bool = True) -> MigrationResult:
    """Upgrade to the newest schema. An existing SQLite file is copied aside first."""
    before = current_revision(engine)
    head = head_revision()
    if before == head:
        return MigrationResult(before, head, None)
    copy: Path | None = None
    path = sqlite_path(str(engine.url))
    has_tables = bool(inspect(engine).get_table_names())
    if backup and path is not None and path.exists() and has_tables:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        copy = path.with_name(f"{path.stem}.before-{before or 'unversioned'}-{stamp}{path.suffix}")
        copy_sqlite_file(path, copy)
    from alembic import command

    config = _config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return MigrationResult(before, head, copy)
