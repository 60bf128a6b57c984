"""Sealed backups: any changed, missing, reordered or appended byte is refused, and so is a
wrong passphrase or another school's backup; old, unsealed backups restore with a warning.

docs/decisions/0023-sealed-backups.md describes the format these tests attack.
"""

from __future__ import annotations

import json
import os
import sqlite3
import struct
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from digcomp_app.services import accounts, audit, backup, sealing
from digcomp_app.services.backup import model as backup_model
from digcomp_app.services.backup import sealed as sealed_file
from digcomp_app.services.database import Database
from digcomp_app.services.errors import AuthenticationFailed, IntegrityProblem, InvalidInput
from tests.services.conftest import PASSWORD
from tests.services.test_backup import (
    assert_restored_as_users_see_it,
    assert_untouched,
    backup_certified,  # noqa: F401 (a fixture)
    new_database,  # noqa: F401 (a fixture)
    row_counts,
    sqlite_source,
)

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)

PASSPHRASE = "correct horse battery"
CHUNK = 4096  # small chunks, so that a backup has many


@pytest.fixture
def small_chunks(monkeypatch):
    monkeypatch.setattr(sealing, "CHUNK_SIZE", CHUNK)


def sealed(db, school, tmp_path, name="backup.digcomp") -> Path:
    return backup.create(db, school.admin, tmp_path / name, PASSPHRASE, PASSPHRASE).path


def layout(path: Path) -> tuple[int, list[tuple[int, int]]]:
    """Where the chunks start: (end of the key check, [(offset, length) of each chunk])."""
    data = path.read_bytes()
    magic, version, length = struct.unpack(">8sBI", data[:13])
    assert (magic, version) == (b"DCBACKUP", 1)
    header = json.loads(data[13 : 13 + length])
    size = header["stream"]["chunk_size"] + 16
    start = 13 + length + 16
    chunks = [(o, min(size, len(data) - o)) for o in range(start, len(data), size)]
    return start, chunks


def changed(path: Path, data: bytes, name: str) -> Path:
    copy = path.with_name(name)
    copy.write_bytes(data)
    return copy


def flip(path: Path, offset: int) -> Path:
    data = bytearray(path.read_bytes())
    data[offset] ^= 0x01
    return changed(path, bytes(data), f"flip-{offset}.digcomp")


def refused(target: Database, path: Path, error=IntegrityProblem, match: str | None = None) -> str:
    with pytest.raises(error, match=match) as caught:
        backup.restore(target, None, path, "admin", PASSWORD, PASSPHRASE)
    assert_untouched(target)
    return str(caught.value)


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("target_kind", ["sqlite", "postgresql"])
def test_sealed_round_trip(db, school, backup_certified, new_database, tmp_path, target_kind):  # noqa: F811
    expected = backup_certified
    file = sealed(db, school, tmp_path)
    raw = file.read_bytes()
    assert raw.startswith(b"DCBACKUP\x01") and b"SQLite format 3" not in raw
    assert "Bērziņš".encode() not in raw and b"berzins" not in raw and b"%PDF" not in raw
    header = backup.describe(file)
    assert header is not None and header.school == backup.current_school(db)
    assert header.school.id and header.counts["evidence_blobs"] == 1

    target = new_database(target_kind)
    restored = backup.restore(
        target, None, file, "admin", PASSWORD, PASSPHRASE, school=header.school.id
    )
    assert restored.sealed and not restored.warnings and restored.school == header.school
    source_counts, target_counts = row_counts(db), row_counts(target)
    for counts in (source_counts, target_counts):
        counts.pop("audit_events")  # backup and restore entries of their own
    assert source_counts == target_counts
    assert backup.current_school(target) == header.school  # the identity travels with it
    assert_restored_as_users_see_it(target, expected)


@sqlite_source
def test_the_passphrase_rule(db, school, tmp_path):
    with pytest.raises(InvalidInput, match="at least 10 characters"):
        backup.create(db, school.admin, tmp_path / "a", "too short")
    with pytest.raises(InvalidInput, match="not the same"):
        backup.create(db, school.admin, tmp_path / "a", PASSPHRASE, PASSPHRASE + "!")
    assert not (tmp_path / "a").exists()


# --------------------------------------------------------------------------- refusals


@sqlite_source
def test_wrong_or_missing_passphrase(db, school, new_database, tmp_path):  # noqa: F811
    file = sealed(db, school, tmp_path)
    target = new_database("sqlite")
    with pytest.raises(AuthenticationFailed, match="passphrase does not open the backup"):
        backup.restore(target, None, file, "admin", PASSWORD, PASSPHRASE + "x")
    with pytest.raises(InvalidInput, match="is sealed"):
        backup.restore(target, None, file, "admin", PASSWORD, None)
    assert_untouched(target)


@sqlite_source
def test_any_flipped_byte_is_refused(
    db,
    school,
    backup_certified,  # noqa: F811
    new_database,  # noqa: F811
    tmp_path,
    small_chunks,
):
    file = sealed(db, school, tmp_path)
    start, chunks = layout(file)
    assert len(chunks) > 10
    middle = chunks[len(chunks) // 2]
    offsets = {
        "magic": 0,
        "version": 8,
        "header length": 10,
        "header school name": file.read_bytes().index(b'"name"') + 9,
        "header audit head": file.read_bytes().index(b'"audit_head"') + 20,
        "header salt": file.read_bytes().index(b'"salt"') + 10,
        "key check": start - 5,
        "first chunk": chunks[0][0] + 100,
        "first chunk's tag": chunks[0][0] + chunks[0][1] - 1,
        "middle chunk": middle[0] + 7,
        "last chunk": chunks[-1][0],
        "last byte": chunks[-1][0] + chunks[-1][1] - 1,
    }
    target = new_database("sqlite")
    for where, offset in offsets.items():
        message = refused(
            target, flip(file, offset), (IntegrityProblem, AuthenticationFailed, InvalidInput)
        )
        assert "Nothing was restored" in message or "not a backup" in message, where


@sqlite_source
def test_reordered_missing_truncated_appended(
    db,
    school,
    backup_certified,  # noqa: F811
    new_database,  # noqa: F811
    tmp_path,
    small_chunks,
):
    file = sealed(db, school, tmp_path)
    data = file.read_bytes()
    _start, chunks = layout(file)
    (a, la), (b, lb) = chunks[2], chunks[3]
    swapped = data[:a] + data[b : b + lb] + data[a : a + la] + data[b + lb :]
    dropped = data[:a] + data[b:]
    repeated = data[: b + lb] + data[b : b + lb] + data[b + lb :]
    target = new_database("sqlite")
    for name, content, match in (
        ("swapped", swapped, "damaged or was altered"),
        ("dropped", dropped, "damaged or was altered"),
        ("repeated", repeated, "damaged or was altered"),
        ("appended", data + b"\0", "extra bytes|damaged or was altered"),
        ("appended chunk", data + data[a : a + la], "extra bytes|damaged or was altered"),
        ("cut at a chunk boundary", data[: chunks[-1][0]], "ends too early"),
        ("cut after the key check", data[: chunks[0][0]], "ends too early"),
        ("cut in the middle", data[: len(data) // 2], "damaged or was altered|ends too early"),
        ("cut one byte short", data[:-1], "damaged or was altered"),
        ("cut in the last tag", data[:-10], "damaged or was altered"),
    ):
        refused(target, changed(file, content, f"{name}.digcomp"), IntegrityProblem, match)
    for cut in (5, 12, 40, chunks[0][0] - 3):
        refused(
            target,
            changed(file, data[:cut], f"cut-{cut}.digcomp"),
            (IntegrityProblem, InvalidInput, AuthenticationFailed),
        )


@sqlite_source
@pytest.mark.parametrize(
    "tampering",
    [
        "UPDATE assessments SET level = 8 WHERE level = 4",
        "INSERT INTO user_roles (user_id, role) SELECT id, 'administrator' FROM users "
        "WHERE username = 'janis'",
        "UPDATE users SET password_hash = (SELECT password_hash FROM users WHERE username = "
        "'janis') WHERE username = 'admin'",
        "UPDATE learners SET surname = 'Kalniņš'",
        "UPDATE certificates SET status = 'revoked'",
        "DELETE FROM evidence_items",
        "UPDATE audit_events SET actor = 'someone else' WHERE id = 3",
        "DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)",
    ],
    ids=[
        "level-5-to-8",
        "learner-made-administrator",
        "admin-password-hash-swapped",
        "learner-renamed",
        "certificate-revoked",
        "evidence-removed",
        "audit-entry-changed",
        "audit-newest-removed",
    ],
)
def test_the_tamper_cases_of_issue_11(
    db,
    school,
    backup_certified,  # noqa: F811
    new_database,  # noqa: F811
    tmp_path,
    tampering,
):
    """Someone opens the backup, changes the database in it and seals it again under a
    passphrase of their own, or splices the changed database into the original file: both
    are refused (the first for the passphrase, the second for its content)."""
    file = sealed(db, school, tmp_path)
    target = new_database("sqlite")
    plain = tmp_path / "plain.sqlite3"
    sealed_info = sealed_file.read_sealed_header(file)
    assert sealed_info is not None
    sealed_file.open_sealed(file, sealed_info, PASSPHRASE, plain)
    raw = sqlite3.connect(plain)
    try:
        assert raw.execute(tampering).rowcount > 0
        raw.commit()
    finally:
        raw.close()
    # the attacker seals the altered database with the format, but not the key
    header = sealed_info.header
    forged = tmp_path / "forged.digcomp"
    steps = backup_model.Steps(None, None)
    sealed_file.seal_file(plain, forged, header, "attacker's own passphrase", steps)
    refused(target, forged, AuthenticationFailed, "passphrase does not open")
    # ... or keeps the original header and key check in front of the new chunks
    original = file.read_bytes()
    start, _chunks = layout(file)
    forged_start, _forged_chunks = layout(forged)
    spliced = changed(
        file, original[:start] + forged.read_bytes()[forged_start:], "spliced.digcomp"
    )
    refused(target, spliced, IntegrityProblem, "damaged or was altered")
    # the same change in an old, unsealed backup is what sealing is for
    assert row_counts(target)["users"] == 0


@sqlite_source
def test_a_backup_from_another_school(db, school, new_database, tmp_path):  # noqa: F811
    ours = backup.current_school(db)
    other_db = new_database("sqlite")
    accounts.create_first_administrator(other_db, None, "admin", "Cita skola", PASSWORD)
    admin = accounts.authenticate(other_db, None, "admin", PASSWORD)
    theirs = backup.create(other_db, admin, tmp_path / "other.digcomp", PASSPHRASE).path
    header = backup.describe(theirs)
    assert header is not None and header.school.id != ours.id and ours.id
    target = new_database("sqlite")
    with pytest.raises(backup.OtherSchool, match="another school"):
        backup.restore(target, None, theirs, "admin", PASSWORD, PASSPHRASE, school=ours.id)
    assert_untouched(target)
    # confirmed for that school (as shown by describe): allowed into an empty database
    done = backup.restore(
        target, None, theirs, "admin", PASSWORD, PASSPHRASE, school=header.school.id
    )
    assert done.school == header.school


# --------------------------------------------------------------------------- old backups


@sqlite_source
def test_an_old_unsealed_backup_restores_with_a_warning(
    db,
    school,
    backup_certified,  # noqa: F811
    new_database,  # noqa: F811
    tmp_path,
):
    expected = backup_certified
    file = sealed(db, school, tmp_path)
    sealed_info = sealed_file.read_sealed_header(file)
    old = tmp_path / "old-backup.sqlite3"
    sealed_file.open_sealed(file, sealed_info, PASSPHRASE, old)  # exactly what old versions wrote
    assert old.read_bytes().startswith(b"SQLite format 3\0")
    assert backup.describe(old) is None
    target = new_database("sqlite")
    restored = backup.restore(target, None, old, "admin", PASSWORD)
    assert not restored.sealed and restored.school is None
    assert len(restored.warnings) == 1 and "not encrypted" in restored.warnings[0]
    assert_restored_as_users_see_it(target, expected)
    admin = accounts.authenticate(target, None, "admin", PASSWORD)
    event = next(e for e in audit.list_events(target, admin, 50) if e.action == "backup.restore")
    assert event.outcome == "ok"


# --------------------------------------------------------------------------- memory


MEMORY_SCRIPT = textwrap.dedent(
    """
    import hashlib, os, sqlite3, sys
    from pathlib import Path
    from digcomp_app.services import accounts, backup
    from digcomp_app.services.database import Database
    from tests.services.conftest import FAST_HASHER, PASSWORD

    folder = Path(sys.argv[1])

    def peak() -> int:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) // 1024
        return 0

    def reset() -> None:
        Path("/proc/self/clear_refs").write_text("5")

    db = Database(f"sqlite:///{folder / 'big.sqlite3'}", password_hasher=FAST_HASHER)
    accounts.create_first_administrator(db, None, "admin", "Admin", PASSWORD)
    admin = accounts.authenticate(db, None, "admin", PASSWORD)
    db.close()
    # one 50 MB file (random: it does not compress), stored as the evidence service would
    blob = os.urandom(50 * 2**20)
    con = sqlite3.connect(folder / "big.sqlite3")
    con.execute(
        "INSERT INTO evidence_blobs (sha256, size, media_type, content) VALUES (?, ?, ?, ?)",
        (hashlib.sha256(blob).hexdigest(), len(blob), "application/octet-stream", blob),
    )
    con.commit()
    con.close()
    del blob
    db = Database(f"sqlite:///{folder / 'big.sqlite3'}", password_hasher=FAST_HASHER)
    admin = accounts.authenticate(db, None, "admin", PASSWORD)
    reset()
    before = peak()
    made = backup.create(db, admin, folder / "big.digcomp", "a long passphrase")
    after_backup = peak()
    db.close()
    target = Database(f"sqlite:///{folder / 'restored.sqlite3'}", password_hasher=FAST_HASHER)
    reset()
    backup.restore(target, None, made.path, "admin", PASSWORD, "a long passphrase")
    after_restore = peak()
    print(before, after_backup, after_restore, made.size)
    """
)


def test_memory_stays_bounded_with_a_50_mb_evidence_file(tmp_path):
    done = subprocess.run(
        [sys.executable, "-c", MEMORY_SCRIPT, str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=Path(__file__).parents[2],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    assert done.returncode == 0, done.stderr
    before, after_backup, after_restore, size = map(int, done.stdout.split()[-4:])
    print(f"peak RSS MB: start {before}, backup {after_backup}, restore {after_restore}")
    assert size > 50 * 2**20
    assert after_backup < 300 and after_restore < 300
