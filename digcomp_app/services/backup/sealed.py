"""The sealed backup file (docs/decisions/0023-sealed-backups.md): its header (which
school, its audit head, the schema version, the key derivation's parameters), sealing a
plain copy into it and opening it again, every byte checked."""

from __future__ import annotations

import base64
import datetime as dt
import json
import secrets
import sqlite3
import struct
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from digcomp_app.i18n import _
from digcomp_app.services import sealing
from digcomp_app.services.auditlog import GENESIS
from digcomp_app.services.backup.model import BackupHeader, SchoolIdentity, Steps
from digcomp_app.services.backup_checks import (
    SQLITE_MAGIC,
    check_is_sqlite_file,
    first_line,
    not_a_backup,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import AuthenticationFailed, IntegrityProblem, InvalidInput
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import AuditEvent, Organisation

#: the first bytes of a sealed backup, then the format version (1 byte)
SEALED_MAGIC = b"DCBACKUP"
FORMAT_VERSION = 1
#: the most bytes a header may have (it is read before it is authenticated)
MAX_HEADER = 64 * 1024
_FIXED = struct.Struct(">8sBI")  # magic, version, header length


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


def header_of(
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


def seal_file(
    plain: Path, target: Path, header: BackupHeader, passphrase: str, steps: Steps
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
class Sealed:
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


def read_sealed_header(source: Path) -> Sealed | None:
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
    return Sealed(header, record, fixed + encoded)


def describe(source: Path) -> BackupHeader | None:
    """What a sealed backup says about itself, to show before restoring (None: an old,
    unsealed backup). Not authenticated yet: :func:`restore` checks it all."""
    found = read_sealed_header(Path(source).expanduser().absolute())
    return found.header if found else None


def open_sealed(source: Path, sealed: Sealed, passphrase: str, plain: Path) -> None:
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
