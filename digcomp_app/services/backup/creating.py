"""Writing a backup (:func:`create`): the plain copy in a private temporary folder, checked
and upgraded, then sealed under a temporary name beside the target and renamed at the end,
so a half-written backup never carries the target's name."""

from __future__ import annotations

import contextlib
import os
import secrets
import sqlite3
import tempfile
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import SQLAlchemyError

from digcomp_app.i18n import _
from digcomp_app.services import sealing
from digcomp_app.services.auditlog import append
from digcomp_app.services.backup.copying import copy_tables
from digcomp_app.services.backup.model import BackupInfo, Progress, Steps
from digcomp_app.services.backup.sealed import header_of, seal_file
from digcomp_app.services.backup_checks import (
    copy_sqlite_online,
    first_line,
    make_single_file,
    upgrade_copy,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage import migrate as migrations
from digcomp_app.storage.engine import create_engine
from digcomp_app.storage.models import Base, utcnow
from digcomp_app.storage.urls import safe_url, sqlite_path


@service("backup.create")
def create(
    db: Database,
    actor: Actor,
    target: Path,
    passphrase: str,
    repeated: str | None = None,
    overwrite: bool = False,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
) -> BackupInfo:
    """Write a backup of the whole database to ``target``, sealed with ``passphrase``
    (at least ten characters; ``repeated``, when given, must be the same).

    ``progress(done, total, text)`` is told how far the copy is; when ``cancelled()``
    returns True the work stops with :class:`BackupCancelled` and nothing is left behind
    (the file is written under a temporary name and takes its name only at the end).
    """
    target = Path(target).expanduser().absolute()
    sealing.check_new_passphrase(passphrase, repeated)
    _check_target(db, target, overwrite)
    steps = Steps(progress, cancelled)
    started = utcnow()
    source_file = sqlite_path(db.url)
    sealed_part = target.with_name(f".{target.name}.{secrets.token_hex(6)}.part")
    copying = _("Copying the database…")
    try:
        with tempfile.TemporaryDirectory(prefix="digcomp-backup-") as folder:
            temporary = Path(folder) / "backup.sqlite3"
            steps.report(0, 0, copying)
            if source_file is not None:
                copy_sqlite_online(
                    source_file, temporary, lambda done, total: steps.report(done, total, copying)
                )
            else:
                _copy_into_new_sqlite(db, temporary, steps, copying)
            steps.report(0, 0, _("Checking the backup…"))
            revision = upgrade_copy(temporary, safe_url(db.url))
            counts = _count_rows(temporary)
            make_single_file(temporary)
            header = header_of(temporary, revision, counts, started)
            seal_file(temporary, sealed_part, header, passphrase, steps)
            _remove_sqlite_file(temporary)
        # the last moment to stop: from here on the file takes its name
        steps.report(0, 0, _("Saving the backup file…"))
        steps.check()
        _move_into_place(sealed_part, target, overwrite)
    except ServiceError:
        raise
    except (OSError, sqlite3.Error, SQLAlchemyError) as error:
        raise ServiceError(
            _("The backup could not be written to {path}: {error}").format(
                path=target, error=first_line(error)
            )
        ) from error
    finally:
        with contextlib.suppress(FileNotFoundError):
            sealed_part.unlink()
    size = target.stat().st_size
    with db.transaction() as session:
        append(
            session,
            actor.username,
            "backup.create",
            "ok",
            "backup",
            target.name,
            {
                "path": str(target),
                "size": size,
                "revision": revision,
                "counts": counts,
                "sealed": True,
                "school": header.school.id,
                "audit_head": header.audit_head_id,
            },
        )
    return BackupInfo(target, size, counts, revision, started, header.school)


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


def _copy_into_new_sqlite(db: Database, target: Path, steps: Steps, text: str) -> None:
    """Create the schema in a new SQLite file and copy every row, in one consistent read."""
    # Alembic loads only here, where the new file is migrated anyway: backups of SQLite
    # files and restores into an up-to-date database do without it (0.2 s at start).
    from alembic.runtime.migration import MigrationContext

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

            copy_tables(source, destination, copied)
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
