"""Backup and restore: the whole school database in one SQLite file.

A backup is an SQLite database with this program's schema at the current migration head,
whatever the database it was made from: a backup of a PostgreSQL server restores into an
SQLite file and the other way round. Evidence files live in the database (table
``evidence_blobs``), so they are part of it.

* From SQLite the file is copied with SQLite's online backup API, which is safe while the
  program runs; from another database the schema is created in a new SQLite file and every
  table is copied, in dependency order, in batches, inside one consistent read.
* A backup is written under a temporary name beside the target and renamed at the end, so
  a half-written backup never carries the target's name.
* A restore goes only into an empty database (freshly migrated, no users). As such a
  database has nobody who could sign in, the administrator's user name and password are
  checked against the backup itself. Before anything is copied the backup is checked: it
  must be a database of this program, every evidence file must match its SHA-256 and the
  audit log's hash chain must be intact. The copy is one transaction: a failed restore
  leaves the database as empty as it was.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import secrets
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from alembic.runtime.migration import MigrationContext
from sqlalchemy import (
    Connection,
    DateTime,
    LargeBinary,
    Table,
    delete,
    func,
    literal,
    select,
    text,
)
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.backup_checks import (
    check_administrator,
    check_audit_chain,
    check_evidence,
    copy_sqlite_online,
    first_line,
    make_single_file,
    opened_backup,
    reading,
    upgrade_copy,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    InvalidInput,
    ServiceError,
)
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage import migrate as migrations
from digcomp_app.storage.engine import create_engine, sqlite_path
from digcomp_app.storage.models import (
    AuditEvent,
    AuditHead,
    Base,
    EvidenceBlob,
    User,
    utcnow,
)

#: rows per INSERT batch, and the most bytes of file content held in memory per batch
BATCH_ROWS = 500
BATCH_BYTES = 32 * 1024 * 1024
#: the tables that a new database already fills itself (the audit chain's start)
_AUDIT_TABLES = frozenset({AuditEvent.__tablename__, AuditHead.__tablename__})

#: ``progress(done, total, text)``: how far the work is (total 0: no measure, just busy)
Progress = Callable[[int, int, str], None]


class BackupCancelled(ServiceError):
    """The backup was stopped on request; no file was written."""


class _Steps:
    """Reports progress and stops the work when the caller asks it to."""

    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise BackupCancelled(_("The backup was cancelled; no file was written."))

    def report(self, done: int, total: int, text: str) -> None:
        self.check()
        if self._progress is not None:
            self._progress(done, total, text)


class _TableCounts:
    """Totals read off ``counts`` (rows per table)."""

    __slots__ = ()
    counts: dict[str, int]

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def evidence_files(self) -> int:
        return self.counts.get(EvidenceBlob.__tablename__, 0)

    @property
    def users(self) -> int:
        return self.counts.get(User.__tablename__, 0)


@dataclass(frozen=True, slots=True)
class BackupInfo(_TableCounts):
    path: Path
    #: bytes
    size: int
    #: rows per table
    counts: dict[str, int]
    #: the schema's migration revision
    revision: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class RestoreInfo(_TableCounts):
    source: Path
    #: rows per table, as copied from the backup
    counts: dict[str, int]
    #: the revision the backup had (older backups are upgraded on the way)
    backup_revision: str
    #: the administrator whose credentials were checked, as spelled in the backup
    administrator: str
    restored_at: dt.datetime


# --------------------------------------------------------------------------- backup


@service("backup.create")
def create(
    db: Database,
    actor: Actor,
    target: Path,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BackupInfo:
    """Write a backup of the whole database to ``target`` (an SQLite file).

    ``progress(done, total, text)`` is told how far the copy is; when ``cancelled()``
    returns True the work stops with :class:`BackupCancelled` and nothing is left behind
    (the file is written under a temporary name and takes its name only at the end).
    """
    target = Path(target).expanduser().absolute()
    _check_target(db, target, overwrite)
    steps = _Steps(progress, cancelled)
    started = utcnow()
    source_file = sqlite_path(db.url)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    copying = _("Copying the database…")
    try:
        steps.report(0, 0, copying)
        if source_file is not None:
            copy_sqlite_online(
                source_file, temporary, lambda done, total: steps.report(done, total, copying)
            )
        else:
            _copy_into_new_sqlite(db, temporary, steps, copying)
        steps.report(0, 0, _("Checking the backup…"))
        revision = upgrade_copy(temporary, _safe_url(db.url))
        counts = _count_rows(temporary)
        make_single_file(temporary)
        # the last moment to stop: from here on the file takes its name
        steps.report(0, 0, _("Saving the backup file…"))
        steps.check()
        _move_into_place(temporary, target, overwrite)
    except ServiceError:
        raise
    except (OSError, sqlite3.Error, SQLAlchemyError) as error:
        raise ServiceError(
            _("The backup could not be written to {path}: {error}").format(
                path=target, error=first_line(error)
            )
        ) from error
    finally:
        _remove_sqlite_file(temporary)
    size = target.stat().st_size
    with db.transaction() as session:
        append(
            session,
            actor.username,
            "backup.create",
            "ok",
            "backup",
            target.name,
            {"path": str(target), "size": size, "revision": revision, "counts": counts},
        )
    return BackupInfo(target, size, counts, revision, started)


def _check_target(db: Database, target: Path, overwrite: bool) -> None:
    if target.is_dir():
        raise InvalidInput(
            "target",
            _("{path} is a folder. Give the name of the backup file to write.").format(path=target),
        )
    if not target.parent.is_dir():
        raise InvalidInput(
            "target",
            _("The folder {folder} does not exist. Create it first or choose another.").format(
                folder=target.parent
            ),
        )
    source_file = sqlite_path(db.url)
    if source_file is not None and _same_file(source_file, target):
        raise InvalidInput(
            "target",
            _("{path} is the database itself. Write the backup to another file.").format(
                path=target
            ),
        )
    if target.exists() and not overwrite:
        raise _exists(target)


def _exists(target: Path) -> InvalidInput:
    return InvalidInput(
        "target",
        _(
            "The file {path} already exists. Choose another name, or allow it to be replaced "
            "(digcomp-app backup --overwrite)."
        ).format(path=target),
    )


def _same_file(first: Path, second: Path) -> bool:
    try:
        return first.resolve() == second.resolve() or (
            second.exists() and os.path.samefile(first, second)
        )
    except OSError:
        return False


def _copy_into_new_sqlite(db: Database, target: Path, steps: _Steps, text: str) -> None:
    """Create the schema in a new SQLite file and copy every row, in one consistent read."""
    engine = create_engine(f"sqlite:///{target}")
    try:
        migrations.migrate(engine, backup=False)
        source = db.engine.connect()
        if db.backend == "postgresql":
            # one snapshot for all tables, and a promise to the server not to write
            source = source.execution_options(
                isolation_level="REPEATABLE READ", postgresql_readonly=True
            )
        with source, source.begin(), engine.begin() as destination:
            revision = MigrationContext.configure(source).get_current_revision()
            if revision != migrations.head_revision():
                raise ServiceError(
                    _(
                        "The database is at schema version {revision}, not {head}. Open it "
                        "with this program once (which upgrades it), then back it up."
                    ).format(revision=revision, head=migrations.head_revision())
                )
            for table in reversed(Base.metadata.sorted_tables):
                destination.execute(delete(table))  # the new schema's own audit start row
            total = sum(
                source.scalar(select(func.count()).select_from(table)) or 0
                for table in Base.metadata.sorted_tables
            )
            done = 0

            def copied(rows: int) -> None:
                nonlocal done
                done += rows
                steps.report(done, total, text)

            _copy_tables(source, destination, copied)
    finally:
        engine.dispose()


def _count_rows(path: Path) -> dict[str, int]:
    connection = sqlite3.connect(path)
    try:
        return {
            table.name: connection.execute(f'SELECT count(*) FROM "{table.name}"').fetchone()[0]
            for table in Base.metadata.sorted_tables
        }
    finally:
        connection.close()


def _move_into_place(temporary: Path, target: Path, overwrite: bool) -> None:
    _fsync(temporary)
    if overwrite:
        os.replace(temporary, target)
    else:
        try:
            os.link(temporary, target)  # fails, unlike a rename, when the target appeared
        except FileExistsError:
            raise _exists(target) from None
        except OSError:  # a file system without hard links
            if target.exists():
                raise _exists(target) from None
            os.replace(temporary, target)
    _fsync_folder(target.parent)


def _fsync(path: Path) -> None:
    with path.open("rb") as handle:
        os.fsync(handle.fileno())


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


def _remove_sqlite_file(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            path.with_name(path.name + suffix).unlink()


# --------------------------------------------------------------------------- restore


@service("backup.restore")
def restore(
    db: Database,
    actor: Actor | None,
    source: Path,
    admin_username: str,
    admin_password: str,
) -> RestoreInfo:
    """Restore a backup into ``db``, which must be new and empty.

    ``actor`` may be None: nobody can sign in to an empty database, so the administrator
    named by ``admin_username`` is checked against the backup's own accounts instead.
    """
    source = Path(source).expanduser().absolute()
    _require_current_schema(db)
    _require_empty(db)
    with opened_backup(source) as (reader, revision):
        with reading(source):
            administrator = check_administrator(db.hasher, reader, admin_username, admin_password)
            check_evidence(reader)
            audit_events = check_audit_chain(reader)
        try:
            with db.transaction() as session:
                # lock the audit head first: a second restore at the same time waits here
                session.execute(select(AuditHead.id).with_for_update()).all()
                _require_empty(db, session)
                connection = session.connection()
                replaced = connection.scalar(select(func.count()).select_from(AuditEvent))
                for table in reversed(Base.metadata.sorted_tables):
                    connection.execute(delete(table))
                with reader.connect() as backup:
                    counts = _copy_tables(backup, connection)
                if connection.dialect.name == "postgresql":
                    _reset_sequences(connection)
                append(
                    session,
                    actor.username if actor else administrator,
                    "backup.restore",
                    "ok",
                    "backup",
                    source.name,
                    {
                        "source": str(source),
                        "revision": revision,
                        "records": sum(counts.values()),
                        "audit_events": audit_events,
                        "replaced_events": replaced,
                    },
                )
        except SQLAlchemyError as error:
            raise ServiceError(
                _(
                    "The backup could not be restored: {error}. Nothing was restored; the "
                    "database is as empty as before."
                ).format(error=first_line(error))
            ) from error
    return RestoreInfo(source, counts, revision, administrator, utcnow())


def _require_current_schema(db: Database) -> None:
    revision = migrations.current_revision(db.engine)
    if revision != migrations.head_revision():
        raise InvalidInput(
            "database",
            _(
                "The database {database} is at schema version {revision}, not {head}. Open it "
                "with this program once (which prepares it), then restore."
            ).format(
                database=_safe_url(db.url), revision=revision, head=migrations.head_revision()
            ),
        )


def _require_empty(db: Database, session: Session | None = None) -> None:
    """Refuse a database that holds school data (audit entries of failed sign-ins aside)."""
    with contextlib.ExitStack() as stack:
        if session is None:
            session = stack.enter_context(db.transaction())
        # users first: the table most likely to be named in the message
        tables = sorted(Base.metadata.sorted_tables, key=lambda t: t.name != User.__tablename__)
        for table in tables:
            if table.name in _AUDIT_TABLES:
                continue
            if session.execute(select(literal(1)).select_from(table).limit(1)).first():
                raise InvalidInput(
                    "database",
                    _(
                        "The database {database} already holds school data (table {table} is "
                        "not empty). A backup is restored only into a new, empty database: "
                        "choose a new database file or create an empty database on the server."
                    ).format(database=_safe_url(db.url), table=table.name),
                )


def _safe_url(url: str) -> str:
    return make_url(url).render_as_string(hide_password=True)


def _reset_sequences(connection: Connection) -> None:
    """Point each table's id sequence past the restored rows (PostgreSQL)."""
    quote = connection.dialect.identifier_preparer.quote
    for table in Base.metadata.sorted_tables:
        column = table.autoincrement_column
        if column is None:
            continue
        name, key = quote(table.name), quote(column.name)
        connection.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence(:table, :column), "
                f"COALESCE((SELECT MAX({key}) FROM {name}), 1), "
                f"(SELECT MAX({key}) FROM {name}) IS NOT NULL)"
            ),
            {"table": table.name, "column": column.name},
        )


# --------------------------------------------------------------------------- copying


def _copy_tables(
    source: Connection, destination: Connection, copied: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Copy every table's rows in dependency order, in batches; rows per table.

    ``copied(rows)`` is called after each batch.
    """
    return {
        table.name: _copy_table(table, source, destination, copied)
        for table in Base.metadata.sorted_tables
    }


def _copy_table(
    table: Table,
    source: Connection,
    destination: Connection,
    copied_rows: Callable[[int], None] | None = None,
) -> int:
    times = [c.key for c in table.columns if isinstance(c.type, DateTime)]
    binaries = [c.key for c in table.columns if isinstance(c.type, LargeBinary)]
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    batch: list[dict[str, Any]] = []
    held = 0
    # fetch files a few at a time: each may be 20 MB
    fetch = 4 if binaries else BATCH_ROWS
    for row in source.execute(query.execution_options(yield_per=fetch)).mappings():
        values = dict(row)
        for key in times:
            values[key] = _utc(values[key])
        for key in binaries:
            if values[key] is not None:
                values[key] = bytes(values[key])
                held += len(values[key])
        batch.append(values)
        if len(batch) >= BATCH_ROWS or held >= BATCH_BYTES:
            destination.execute(table.insert(), batch)
            copied += len(batch)
            if copied_rows is not None:
                copied_rows(len(batch))
            batch, held = [], 0
    if batch:
        destination.execute(table.insert(), batch)
        copied += len(batch)
        if copied_rows is not None:
            copied_rows(len(batch))
    return copied


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Times are UTC everywhere: SQLite keeps them naive, PostgreSQL in the session's zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
