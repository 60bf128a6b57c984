"""Reading a backup file safely: is it ours, which schema, whose credentials, intact?"""

from __future__ import annotations

import contextlib
import hashlib
import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import (
    Engine,
    func,
    select,
)
from sqlalchemy import create_engine as sqlalchemy_engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import GENESIS, event_hash
from digcomp_app.services.errors import (
    AuthenticationFailed,
    IntegrityProblem,
    InvalidInput,
)
from digcomp_app.services.permissions import Role
from digcomp_app.storage import migrate as migrations
from digcomp_app.storage.engine import create_engine
from digcomp_app.storage.models import (
    AuditEvent,
    AuditHead,
    Base,
    EvidenceBlob,
    EvidenceItem,
    Organisation,
    User,
    UserRole,
)

SQLITE_MAGIC = b"SQLite format 3\x00"


@contextlib.contextmanager
def opened_backup(source: Path) -> Iterator[tuple[Engine, str]]:
    """A read-only engine on a checked backup at the head revision, and its revision."""
    check_is_sqlite_file(source)
    with tempfile.TemporaryDirectory(prefix="digcomp-restore-") as folder:
        reader = read_only_engine(source)
        try:
            with reading(source):
                revision = backup_revision(reader, source)
                if revision != migrations.head_revision():
                    # an older backup: upgrade a copy, never the file the user gave
                    reader.dispose()
                    copy = Path(folder) / "upgraded.sqlite3"
                    copy_sqlite_online(source, copy)
                    upgrade_copy(copy, source)
                    make_single_file(copy)
                    reader = read_only_engine(copy)
            yield reader, revision
        finally:
            reader.dispose()


@contextlib.contextmanager
def reading(source: Path) -> Iterator[None]:
    """Report SQLite's errors while reading the backup as a damaged backup."""
    try:
        yield
    except sqlite3.DatabaseError as error:
        raise IntegrityProblem(damaged(source, error)) from error
    except SQLAlchemyError as error:
        if not isinstance(getattr(error, "orig", None), sqlite3.DatabaseError):
            raise
        raise IntegrityProblem(damaged(source, error)) from error


def damaged(source: Path, error: BaseException) -> str:
    return _(
        "The backup {path} cannot be read ({error}). It may be damaged; use another backup."
    ).format(path=source, error=first_line(error))


def check_is_sqlite_file(source: Path) -> None:
    if not source.is_file():
        raise InvalidInput(
            "source",
            _("There is no file {path}. Check the name and the folder.").format(path=source),
        )
    try:
        with source.open("rb") as handle:
            magic = handle.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise InvalidInput(
            "source",
            _("The file {path} cannot be read: {error}").format(
                path=source, error=first_line(error)
            ),
        ) from error
    if magic != SQLITE_MAGIC:
        raise InvalidInput("source", not_a_backup(source))


def not_a_backup(source: object) -> str:
    return _(
        "{path} is not a backup of this program. Choose a file written by its backup "
        "command (digcomp-app backup)."
    ).format(path=source)


def read_only_engine(path: Path) -> Engine:
    uri = f"{path.resolve().as_uri()}?mode=ro"
    return sqlalchemy_engine(
        "sqlite://",
        creator=lambda: sqlite3.connect(uri, uri=True, check_same_thread=False),
        poolclass=NullPool,
    )


def backup_revision(reader: Engine, source: Path) -> str:
    with reader.connect() as connection:
        problem = connection.exec_driver_sql("PRAGMA quick_check").scalar()
        if problem != "ok":
            raise IntegrityProblem(
                _(
                    "The backup {path} is damaged (SQLite reports: {problem}). Use another backup."
                ).format(path=source, problem=problem)
            )
        tables = {
            row[0]
            for row in connection.exec_driver_sql(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if "alembic_version" not in tables:
            raise InvalidInput("source", not_a_backup(source))
        revision: str | None = connection.exec_driver_sql(
            "SELECT version_num FROM alembic_version"
        ).scalar()
    check_revision(revision, source)
    assert revision is not None
    if revision == migrations.head_revision():
        missing = sorted(t.name for t in Base.metadata.sorted_tables if t.name not in tables)
        if missing:
            raise InvalidInput("source", not_a_backup(source))
    return revision


def check_revision(revision: str | None, path: object) -> None:
    """Accept the head or an older revision of ours; refuse a newer or foreign one."""
    head = migrations.head_revision()
    if revision == head:
        return
    if revision is None:
        raise InvalidInput("source", not_a_backup(path))
    from alembic.script import ScriptDirectory  # only for a backup of another version

    script = ScriptDirectory.from_config(migrations._config())
    known = {r.revision for r in script.walk_revisions()}
    if revision not in known:
        raise InvalidInput(
            "source",
            _(
                "{path} was made by a newer version of this program (database version "
                "{revision}; this version knows up to {head}). Install the newer version to "
                "restore it."
            ).format(path=path, revision=revision, head=head),
        )


def check_administrator(
    hasher: PasswordHasher, reader: Engine, username: str, password: str
) -> str:
    """The backup's administrator with this name and password; their name as stored."""
    refused = AuthenticationFailed(
        _(
            "The user name or password is wrong, or that user is not an active administrator "
            "in the backup. Give the name and password of an administrator as they were when "
            "the backup was made."
        )
    )
    with reader.connect() as connection:
        user = connection.execute(
            select(User.id, User.username, User.password_hash, User.active).where(
                func.lower(User.username) == username.strip().lower()
            )
        ).first()
        if user is None:
            raise refused
        roles = set(connection.scalars(select(UserRole.role).where(UserRole.user_id == user.id)))
    try:
        hasher.verify(user.password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        raise refused from None
    if not user.active or Role.ADMINISTRATOR.value not in roles:
        raise refused
    return str(user.username)


def check_evidence(reader: Engine) -> None:
    """Every stored file must still have the SHA-256 it is filed under."""
    with reader.connect() as connection:
        rows = connection.execute(
            select(EvidenceBlob.sha256, EvidenceBlob.content)
            .order_by(EvidenceBlob.sha256)
            .execution_options(yield_per=2)  # files of up to 20 MB each
        )
        bad = next(
            (key for key, content in rows if hashlib.sha256(content).hexdigest() != key), None
        )
        rows.close()
        if bad is None:
            return
        names = list(
            connection.scalars(
                select(EvidenceItem.file_name).where(EvidenceItem.blob_sha256 == bad).limit(3)
            )
        ) or list(
            connection.scalars(
                select(Organisation.name).where(Organisation.logo_sha256 == bad).limit(1)
            )
        )
    raise IntegrityProblem(
        _(
            "The backup is damaged or was altered: the stored file {key} ({names}) does not "
            "match its checksum. Nothing was restored; use another backup."
        ).format(key=bad, names=", ".join(names) or "-")
    )


def check_audit_chain(reader: Engine) -> int:
    """Recompute the backup's audit chain (as audit.verify does); the number of events."""
    previous = GENESIS
    checked = 0
    with Session(reader) as session:
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(2000):
            checked += 1
            if event.prev_hash != previous or event_hash(event) != event.hash:
                raise IntegrityProblem(
                    _(
                        "The backup's audit log is broken at entry {id}: an entry was changed, "
                        "removed or inserted after it was written. Nothing was restored; use "
                        "another backup."
                    ).format(id=event.id)
                )
            previous = event.hash
            session.expunge(event)
        head = session.get(AuditHead, 1)
        if head is not None and head.last_hash != previous:
            raise IntegrityProblem(
                _(
                    "The backup's audit log is broken: its newest entries were removed (it ends "
                    "before entry {id}). Nothing was restored; use another backup."
                ).format(id=head.last_id)
            )
    return checked


#: pages copied per step when the copy reports its progress (1 MB of 4 KB pages)
COPY_STEP_PAGES = 256


def copy_sqlite_online(
    source: Path, target: Path, progress: Callable[[int, int], None] | None = None
) -> None:
    """SQLite's online backup API: a consistent copy while others read and write.

    With ``progress``, the copy goes a step at a time and ``progress(pages_done, pages)``
    is called after each step; an exception it raises stops the copy. One read
    transaction spans the steps, so the copy is one snapshot even while others write.
    """
    src = sqlite3.connect(source, timeout=15, isolation_level=None)
    try:
        dst = sqlite3.connect(target)
        try:
            if progress is None:
                src.backup(dst)
            else:
                src.execute("BEGIN")
                src.execute("SELECT count(*) FROM sqlite_master").fetchall()
                src.backup(
                    dst,
                    pages=COPY_STEP_PAGES,
                    progress=lambda _status, left, total: progress(total - left, total),
                )
                src.execute("COMMIT")
        finally:
            dst.close()
    finally:
        src.close()


def upgrade_copy(path: Path, name: object) -> str:
    """Bring a copied file to the head revision (a no-op when it is there); its revision.

    ``name`` is what messages call the original (the database, or the user's file).
    """
    engine = create_engine(f"sqlite:///{path}")
    try:
        revision = migrations.current_revision(engine)
        check_revision(revision, name)
        if revision != migrations.head_revision():
            migrations.migrate(engine, backup=False)
        return migrations.head_revision()
    finally:
        engine.dispose()


def make_single_file(path: Path) -> None:
    """Leave the file in rollback-journal mode: one self-contained file, no -wal beside it."""
    connection = sqlite3.connect(path, isolation_level=None)
    try:
        connection.execute("PRAGMA journal_mode=DELETE")
        problem = connection.execute("PRAGMA quick_check").fetchone()[0]
        if problem != "ok":
            raise IntegrityProblem(
                _("The backup file failed SQLite's own check ({problem}); it was not kept.").format(
                    problem=problem
                )
            )
    finally:
        connection.close()


def first_line(error: BaseException) -> str:
    return (str(error).strip().splitlines() or [type(error).__name__])[0]
