"""Backup and restore: the whole school database in one sealed file.

A backup is sealed with a passphrase (docs/decisions/0023-sealed-backups.md): a short
header (which school, its audit head, the schema version, the key derivation's parameters)
and then an SQLite database, encrypted and authenticated in chunks by services/sealing.py
with the header as associated data. Restore refuses any changed, missing, reordered or
appended byte before a single row is read. Backups written before sealing existed (plain
SQLite files) still restore, with a warning that they were not protected.

The database inside is an SQLite database with this program's schema at the current migration head,
whatever the database it was made from: a backup of a PostgreSQL server restores into an
SQLite file and the other way round. Evidence files live in the database (table
``evidence_blobs``), so they are part of it.

* From SQLite the file is copied with SQLite's online backup API, which is safe while the
  program runs; from another database the schema is created in a new SQLite file and every
  table is copied, in dependency order, in batches, inside one consistent read.
* The plain copy is made in a private temporary folder (mode 0700) and removed at the end;
  the sealed backup is written under a temporary name beside the target and renamed at the
  end, so a half-written backup never carries the target's name.
* A restore goes only into an empty database (freshly migrated, no users). As such a
  database has nobody who could sign in, the administrator's user name and password are
  checked against the backup itself. Before anything is copied the backup is checked: it
  must be a database of this program, every evidence file must match its SHA-256 and the
  audit log's hash chain must be intact. The copy is one transaction: a failed restore
  leaves the database as empty as it was.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import json
import os
import secrets
import sqlite3
import struct
import tempfile
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
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services import audit_rows, sealing
from digcomp_app.services.auditlog import GENESIS, append
from digcomp_app.services.backup_checks import (
    SQLITE_MAGIC,
    check_administrator,
    check_audit_chain,
    check_evidence,
    check_is_sqlite_file,
    copy_sqlite_online,
    first_line,
    make_single_file,
    not_a_backup,
    opened_backup,
    reading,
    upgrade_copy,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    AuthenticationFailed,
    IntegrityProblem,
    InvalidInput,
    ServiceError,
)
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage import migrate as migrations
from digcomp_app.storage.engine import create_engine
from digcomp_app.storage.models import (
    AuditEvent,
    AuditHead,
    Base,
    EvidenceBlob,
    Organisation,
    User,
    utcnow,
)
from digcomp_app.storage.urls import safe_url, sqlite_path

#: rows per INSERT batch, and the most bytes of file content held in memory per batch
BATCH_ROWS = 500
BATCH_BYTES = 32 * 1024 * 1024
#: the tables that a new database already fills itself (the audit chain's start)
_AUDIT_TABLES = frozenset({AuditEvent.__tablename__, AuditHead.__tablename__})

#: ``progress(done, total, text)``: how far the work is (total 0: no measure, just busy)
Progress = Callable[[int, int, str], None]


#: the first bytes of a sealed backup, then the format version (1 byte)
SEALED_MAGIC = b"DCBACKUP"
FORMAT_VERSION = 1
#: the most bytes a header may have (it is read before it is authenticated)
MAX_HEADER = 64 * 1024
_FIXED = struct.Struct(">8sBI")  # magic, version, header length


class BackupCancelled(ServiceError):
    """The backup was stopped on request; no file was written."""


class OtherSchool(IntegrityProblem):
    """The backup is another school's than the one the restore was confirmed for."""


@dataclass(frozen=True, slots=True)
class SchoolIdentity:
    """Which school a database belongs to.

    ``id`` is the hash of the school's first audit entry: written at the school's first
    action, different for every school (it covers a time to the microsecond, a user and
    the entry's details), carried over by every backup and restore, and not changeable
    without breaking the audit chain. ``name`` is the home organisation's name, for people.
    """

    id: str
    name: str

    @property
    def short_id(self) -> str:
        return self.id[:12] or "-"


@dataclass(frozen=True, slots=True)
class BackupHeader:
    """What a sealed backup says about itself (authenticated once the passphrase opened it)."""

    school: SchoolIdentity
    created_at: dt.datetime
    revision: str
    #: the newest audit entry in the backup: its id and hash
    audit_head_id: int
    audit_head_hash: str
    counts: dict[str, int]


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
    school: SchoolIdentity | None = None


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
    #: False for a backup written before backups were sealed
    sealed: bool = True
    #: the school the backup came from (None for an unsealed backup)
    school: SchoolIdentity | None = None
    #: translated warnings to show with the result
    warnings: tuple[str, ...] = ()


# --------------------------------------------------------------------------- backup


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
    steps = _Steps(progress, cancelled)
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
            header = _header_of(temporary, revision, counts, started)
            _seal_file(temporary, sealed_part, header, passphrase, steps)
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


# --------------------------------------------------------------------------- sealing


def _school_of(connection: sqlite3.Connection) -> SchoolIdentity:
    first = connection.execute("SELECT hash FROM audit_events ORDER BY id LIMIT 1").fetchone()
    home = connection.execute(
        "SELECT name FROM organisations WHERE is_home ORDER BY id LIMIT 1"
    ).fetchone()
    return SchoolIdentity(first[0] if first else "", home[0] if home else "")


@service("backup.current_school")
def current_school(db: Database, actor: Actor | None = None) -> SchoolIdentity:
    """The school of ``db`` (no personal data: the first audit entry's hash and the home
    organisation's name); its id is empty in a database nobody has used yet."""
    with db.transaction() as session:
        first = session.scalar(select(AuditEvent.hash).order_by(AuditEvent.id).limit(1))
        home = session.scalar(
            select(Organisation.name)
            .where(Organisation.is_home.is_(True))
            .order_by(Organisation.id)
            .limit(1)
        )
    return SchoolIdentity(first or "", home or "")


def _header_of(
    path: Path, revision: str, counts: dict[str, int], created: dt.datetime
) -> BackupHeader:
    connection = sqlite3.connect(path)
    try:
        school = _school_of(connection)
        head = connection.execute("SELECT last_id, last_hash FROM audit_head").fetchone()
    finally:
        connection.close()
    head_id, head_hash = head if head else (0, GENESIS)
    return BackupHeader(school, created, revision, int(head_id), str(head_hash), counts)


def _seal_file(
    plain: Path, target: Path, header: BackupHeader, passphrase: str, steps: _Steps
) -> None:
    """Write ``plain`` to ``target`` sealed with ``passphrase``, ``header`` in front."""
    salt = secrets.token_bytes(sealing.SALT_BYTES)
    prefix = secrets.token_bytes(sealing.PREFIX_BYTES)
    chunk_size = sealing.CHUNK_SIZE
    record = {
        "format": "digcomp-backup",
        "version": FORMAT_VERSION,
        "kdf": {"name": "argon2id", **sealing.KDF, "salt": base64.b64encode(salt).decode()},
        "aead": "AES-256-GCM",
        "stream": {
            "nonce_prefix": base64.b64encode(prefix).decode(),
            "chunk_size": chunk_size,
        },
        "school": {"id": header.school.id, "name": header.school.name},
        "created_at": header.created_at.astimezone(dt.UTC).isoformat(),
        "revision": header.revision,
        "audit_head": {"id": header.audit_head_id, "hash": header.audit_head_hash},
        "counts": header.counts,
    }
    encoded = json.dumps(record, sort_keys=True, ensure_ascii=False).encode("utf-8")
    associated = _FIXED.pack(SEALED_MAGIC, FORMAT_VERSION, len(encoded)) + encoded
    steps.report(0, 0, _("Encrypting the backup…"))
    key = sealing.derive_key(passphrase, salt, sealing.KDF)
    total = plain.stat().st_size
    sealing_text = _("Encrypting the backup…")
    with plain.open("rb") as source, target.open("xb") as out:
        out.write(associated)
        out.write(sealing.key_check(key, prefix))
        sealing.seal_stream(
            source,
            out,
            key,
            prefix,
            associated,
            chunk_size,
            progress=lambda done: steps.report(done, total, sealing_text),
        )


@dataclass(frozen=True, slots=True)
class _Sealed:
    header: BackupHeader
    record: dict[str, Any]
    associated: bytes


def _damaged_header(source: Path) -> IntegrityProblem:
    return IntegrityProblem(
        _(
            "The start of the backup {path} is damaged or was altered. Nothing was restored; "
            "use another backup."
        ).format(path=source)
    )


def _read_sealed_header(source: Path) -> _Sealed | None:
    """The header of a sealed backup (not yet authenticated); None for a plain SQLite one."""
    if not source.is_file():
        check_is_sqlite_file(source)  # says there is no such file
    try:
        with source.open("rb") as handle:
            fixed = handle.read(_FIXED.size)
            if fixed.startswith(SQLITE_MAGIC[: _FIXED.size]):
                check_is_sqlite_file(source)
                return None
            if len(fixed) < _FIXED.size or not fixed.startswith(SEALED_MAGIC):
                raise InvalidInput("source", not_a_backup(source))
            _magic, version, length = _FIXED.unpack(fixed)
            if version < FORMAT_VERSION:
                raise _damaged_header(source)
            if version > FORMAT_VERSION:
                raise InvalidInput(
                    "source",
                    _(
                        "{path} was sealed by a newer version of this program (backup format "
                        "{version}). Install the newer version to restore it."
                    ).format(path=source, version=version),
                )
            if length > MAX_HEADER:
                raise _damaged_header(source)
            encoded = handle.read(length)
    except OSError as error:
        raise InvalidInput(
            "source",
            _("The file {path} cannot be read: {error}").format(
                path=source, error=first_line(error)
            ),
        ) from error
    if len(encoded) != length:
        raise _damaged_header(source)
    try:
        record = json.loads(encoded.decode("utf-8"))
        head = record["audit_head"]
        header = BackupHeader(
            SchoolIdentity(str(record["school"]["id"]), str(record["school"]["name"])),
            dt.datetime.fromisoformat(record["created_at"]),
            str(record["revision"]),
            int(head["id"]),
            str(head["hash"]),
            {str(k): int(v) for k, v in record["counts"].items()},
        )
        kdf = record["kdf"]
        stream = record["stream"]
        if (
            record.get("format") != "digcomp-backup"
            or kdf.get("name") != "argon2id"
            or record.get("aead") != "AES-256-GCM"
            or not sealing.check_kdf_params(kdf)
            or len(base64.b64decode(kdf["salt"], validate=True)) != sealing.SALT_BYTES
            or len(base64.b64decode(stream["nonce_prefix"], validate=True)) != sealing.PREFIX_BYTES
            or not sealing.CHUNK_LIMITS[0] <= int(stream["chunk_size"]) <= sealing.CHUNK_LIMITS[1]
        ):
            raise ValueError("header")
    except (ValueError, KeyError, TypeError, AttributeError, UnicodeDecodeError):
        raise _damaged_header(source) from None
    return _Sealed(header, record, fixed + encoded)


def describe(source: Path) -> BackupHeader | None:
    """What a sealed backup says about itself, to show before restoring (None: an old,
    unsealed backup). Not authenticated yet: :func:`restore` checks it all."""
    found = _read_sealed_header(Path(source).expanduser().absolute())
    return found.header if found else None


def _open_sealed(source: Path, sealed: _Sealed, passphrase: str, plain: Path) -> None:
    """Check every byte of a sealed backup and write its database to ``plain``."""
    kdf, stream = sealed.record["kdf"], sealed.record["stream"]
    params = {name: int(kdf[name]) for name in ("t", "m", "p")}
    key = sealing.derive_key(passphrase, base64.b64decode(kdf["salt"]), params)
    prefix = base64.b64decode(stream["nonce_prefix"])
    with source.open("rb") as handle:
        handle.seek(len(sealed.associated))
        check = handle.read(sealing.TAG_BYTES)
        if not sealing.key_matches(key, prefix, check):
            raise AuthenticationFailed(
                _(
                    "This passphrase does not open the backup {path} (or the start of the "
                    "file was altered). Nothing was restored. Give the passphrase that was "
                    "used when the backup was made."
                ).format(path=source)
            )
        try:
            with plain.open("xb") as out:
                sealing.open_stream(
                    handle, out, key, prefix, sealed.associated, int(stream["chunk_size"])
                )
        except sealing.StreamBroken as broken:
            if broken.reason == "truncated":
                message = _(
                    "The backup {path} is incomplete: it ends too early (the file was cut "
                    "short after byte {offset}). Nothing was restored; use another backup."
                )
            elif broken.reason == "appended":
                message = _(
                    "The backup {path} has extra bytes after its end (from byte {offset}): it "
                    "was altered. Nothing was restored; use another backup."
                )
            else:
                message = _(
                    "The backup {path} is damaged or was altered (the part starting at byte "
                    "{offset} fails its check). Nothing was restored; use another backup."
                )
            raise IntegrityProblem(message.format(path=source, offset=broken.offset)) from None


def unsealed_warning() -> str:
    return _(
        "This backup was made by an older version of the program and is not sealed: it is "
        "not encrypted and nothing shows whether it was changed after it was written. It "
        "was restored because its evidence files and audit log are intact. Make a new, "
        "sealed backup now and delete the old file."
    )


def other_school(header: BackupHeader, source: Path) -> str:
    return _(
        "The backup {path} is from another school: {school} (school id {id}), made on "
        "{date}. Nothing was restored."
    ).format(
        path=source,
        school=header.school.name or "-",
        id=header.school.short_id,
        date=header.created_at.date().isoformat(),
    )


# --------------------------------------------------------------------------- restore


@service("backup.restore")
def restore(
    db: Database,
    actor: Actor | None,
    source: Path,
    admin_username: str,
    admin_password: str,
    passphrase: str | None = None,
    *,
    school: str | None = None,
) -> RestoreInfo:
    """Restore a backup into ``db``, which must be new and empty.

    ``actor`` may be None: nobody can sign in to an empty database, so the administrator
    named by ``admin_username`` is checked against the backup's own accounts instead.
    A sealed backup needs its ``passphrase``; every byte of it is checked before anything
    is read. ``school``: the school id the restore was confirmed for (that of the database
    in use, or the one shown from :func:`describe`): a backup of another school is
    refused with :class:`OtherSchool`. An old, unsealed backup restores with a warning.
    """
    source = Path(source).expanduser().absolute()
    _require_current_schema(db)
    _require_empty(db)
    sealed = _read_sealed_header(source)
    if sealed is None:
        return _restore_plain(db, actor, source, source, admin_username, admin_password, None)
    if not passphrase:
        raise InvalidInput(
            "passphrase",
            _("The backup {path} is sealed: give the passphrase it was made with.").format(
                path=source
            ),
        )
    with tempfile.TemporaryDirectory(prefix="digcomp-restore-") as folder:
        plain = Path(folder) / "backup.sqlite3"
        try:
            _open_sealed(source, sealed, passphrase, plain)
        except OSError as error:
            raise ServiceError(
                _("The backup {path} could not be opened: {error}. Nothing was restored.").format(
                    path=source, error=first_line(error)
                )
            ) from error
        header = sealed.header
        if school is not None and header.school.id != school:
            raise OtherSchool(other_school(header, source))
        return _restore_plain(db, actor, source, plain, admin_username, admin_password, header)


def _restore_plain(
    db: Database,
    actor: Actor | None,
    source: Path,
    plain: Path,
    admin_username: str,
    admin_password: str,
    header: BackupHeader | None,
) -> RestoreInfo:
    """Restore the SQLite database ``plain`` (the opened ``source``)."""
    with opened_backup(plain) as (reader, revision):
        with reading(plain):
            administrator = check_administrator(db.hasher, reader, admin_username, admin_password)
            check_evidence(reader)
            audit_events = check_audit_chain(reader)
            if header is not None:
                _check_audit_head(reader, header, source)
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
                        "sealed": header is not None,
                        "school": header.school.id if header else None,
                    },
                )
        except SQLAlchemyError as error:
            raise ServiceError(
                _(
                    "The backup could not be restored: {error}. Nothing was restored; the "
                    "database is as empty as before."
                ).format(error=first_line(error))
            ) from error
    audit_rows.forget_baseline(db.engine)  # the restored log has its own (or none yet)
    if header is None:
        return RestoreInfo(
            source, counts, revision, administrator, utcnow(), False, None, (unsealed_warning(),)
        )
    return RestoreInfo(source, counts, revision, administrator, utcnow(), True, header.school)


def _check_audit_head(reader: Any, header: BackupHeader, source: Path) -> None:
    """The audit head in the (authenticated) header must be the backup's own."""
    with reader.connect() as connection:
        row = connection.execute(select(AuditHead.last_id, AuditHead.last_hash)).first()
    head = (int(row[0]), str(row[1])) if row else (0, GENESIS)
    if head != (header.audit_head_id, header.audit_head_hash):
        raise IntegrityProblem(
            _(
                "The backup {path} does not agree with itself: its audit log ends at entry "
                "{found}, its header says {expected}. Nothing was restored; use another backup."
            ).format(path=source, found=head[0], expected=header.audit_head_id)
        )


def _require_current_schema(db: Database) -> None:
    revision = migrations.current_revision(db.engine)
    if revision != migrations.head_revision():
        raise InvalidInput(
            "database",
            _(
                "The database {database} is at schema version {revision}, not {head}. Open it "
                "with this program once (which prepares it), then restore."
            ).format(database=safe_url(db.url), revision=revision, head=migrations.head_revision()),
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
                    ).format(database=safe_url(db.url), table=table.name),
                )


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
