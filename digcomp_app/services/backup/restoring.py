"""Restoring a backup (:func:`restore`) into a new, empty database: the administrator checked
against the backup itself, its evidence files and audit chain checked, then one transaction
copies it all (a failed restore leaves the database as empty as it was)."""

from __future__ import annotations

import contextlib
import tempfile
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, delete, func, literal, select, text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services import audit_rows
from digcomp_app.services.auditlog import GENESIS, append
from digcomp_app.services.backup.copying import copy_tables
from digcomp_app.services.backup.model import BackupHeader, OtherSchool, RestoreInfo
from digcomp_app.services.backup.sealed import (
    open_sealed,
    other_school,
    read_sealed_header,
    unsealed_warning,
)
from digcomp_app.services.backup_checks import (
    check_administrator,
    check_audit_chain,
    check_evidence,
    first_line,
    opened_backup,
    reading,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import IntegrityProblem, InvalidInput, ServiceError
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage import migrate as migrations
from digcomp_app.storage.models import AuditEvent, AuditHead, Base, User, utcnow
from digcomp_app.storage.urls import safe_url

#: the tables that a new database already fills itself (the audit chain's start)
_AUDIT_TABLES = frozenset({AuditEvent.__tablename__, AuditHead.__tablename__})


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
    sealed = read_sealed_header(source)
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
            open_sealed(source, sealed, passphrase, plain)
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
                    counts = copy_tables(backup, connection)
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
