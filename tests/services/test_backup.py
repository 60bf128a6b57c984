"""Backup and restore: a school's data survives the round trip, and bad backups are refused.

Data is made through the public services; the restored database is checked as its users
see it. Round trips run SQLite→SQLite and, with DIGCOMP_TEST_DATABASE_URL, every pairing
of SQLite and PostgreSQL (the backup file itself is always SQLite).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from sqlalchemy import func, select

from digcomp_app.services import (
    accounts,
    audit,
    backup,
    certificates,
    evidence,
    learners,
    signing,
    validation,
)
from digcomp_app.services.backup import creating
from digcomp_app.services.backup import sealed as sealed_file
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    AuthenticationFailed,
    IntegrityProblem,
    InvalidInput,
    PermissionDenied,
    ServiceError,
)
from digcomp_app.services.permissions import Role
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.migrate import head_revision
from digcomp_app.storage.models import AuditEvent, Base, Group
from tests.services.conftest import (
    FAST_HASHER,
    PASSWORD,
    SIGNING_PASSPHRASE,
    School,
    complete_self_assessment,
    new_migrated_database,
    prepared,
)

#: the passphrase backups are sealed with in these tests
BACKUP_PASSPHRASE = "backup passphrase 2024"
#: a small PDF with every byte value in it, so nothing is lost on the way
REPORT = b"%PDF-1.4\n" + bytes(range(256)) + b"\n%%EOF\n"
#: for tests about the backup file itself, or about checks that do not depend on the source
sqlite_source = pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)


@dataclass(frozen=True)
class Expected:
    """What users of the source database saw, to compare the restored one with."""

    learner_id: int
    search: list[learners.LearnerSummary]
    serial: str
    certificate: certificates.CertificateInfo
    evidence_id: int
    report_sha256: str
    audit_events: int


def certified_case(db: Database, school: School) -> Expected:
    """The whole workflow: self-assessment, case, evidence file, assessment, certificate."""
    signing.create_key(db, school.admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
    signer = signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE)
    complete_self_assessment(
        db, school.learner, school.mobility_id, "before", lambda c: 3 if c < "3" else None
    )
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("1.1", 4), TargetDraft("2.1", 3)]
    )
    validation.advance(db, school.teacher, case.id)
    item = evidence.add_file(
        db, school.teacher, case.id, "../../etc/report.pdf", REPORT, "Report", ("1.1",)
    )
    evidence.add_note(db, school.learner, case.id, "Diary", "Pierakstīju visu.", ("2.1",))
    validation.advance(db, school.teacher, case.id)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "practical_task", "good")
    validation.record_assessment(db, school.teacher, case.id, "2.1", 3, "interview")
    validation.advance(db, school.teacher, case.id)
    cert = certificates.issue(db, school.coordinator, case.id, signer)
    report = audit.verify(db, school.coordinator)
    assert report.intact
    return Expected(
        school.learner_id,
        learners.search(db, school.teacher, "berzins"),
        cert.serial,
        certificates.get(db, school.coordinator, cert.serial),
        item.id,
        item.sha256,
        report.checked + 1,  # verify's own entry
    )


@pytest.fixture
def backup_certified(db: Database, school: School) -> Expected:
    """What users saw of the school after ``certified_case``: made once per run with the
    seeded school when ``db`` was copied from it, else made here."""
    made = prepared(db, "backup_certified")
    return made if made is not None else certified_case(db, school)


@pytest.fixture
def new_database(tmp_path, tmp_path_factory) -> Iterator[Callable[[str], Database]]:
    """Opens new, empty databases of a kind ("sqlite" or "postgresql"), at the current
    schema (copies of the run's migrated empty database); closes them after."""
    opened: list[Database] = []
    drops: list[Callable[[], None]] = []

    def make(kind: str) -> Database:
        path = tmp_path / f"restored-{len(opened)}.sqlite3"
        url, drop = new_migrated_database(kind, tmp_path_factory, path)
        if drop is not None:
            drops.append(drop)
        database = Database(url, password_hasher=FAST_HASHER)
        opened.append(database)
        return database

    yield make
    for database in opened:
        database.close()
    for drop in drops:
        drop()


def row_counts(db: Database) -> dict[str, int]:
    with db.transaction() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table))
            for table in Base.metadata.sorted_tables
        }


def assert_untouched(db: Database) -> None:
    """Nothing restored and nothing written: only the new schema's audit start row."""
    counts = row_counts(db)
    assert counts.pop("audit_head") == 1
    assert set(counts.values()) == {0}, counts
    assert accounts.needs_first_administrator(db, None)


def utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def assert_restored_as_users_see_it(db: Database, expected: Expected) -> None:
    admin = accounts.authenticate(db, None, "admin", PASSWORD)
    assert admin.has(Role.ADMINISTRATOR)
    teacher = accounts.authenticate(db, None, "teach", PASSWORD)
    coordinator = accounts.authenticate(db, None, "coord", PASSWORD)
    learner = accounts.authenticate(db, None, "janis", PASSWORD)

    assert learners.search(db, teacher, "berzins") == expected.search
    assert learners.search(db, teacher, "Bērziņš")[0].given_names == "Jānis"

    cert = certificates.get(db, learner, expected.serial)
    source = expected.certificate
    assert (cert.status, cert.holder, cert.content_hash, cert.snapshot) == (
        source.status,
        source.holder,
        source.content_hash,
        source.snapshot,
    )
    assert utc(cert.issued_at) == utc(source.issued_at)

    opened = evidence.open_file(db, teacher, expected.evidence_id)
    assert (opened.name, opened.media_type, opened.content) == (
        "report.pdf",
        "application/pdf",
        REPORT,
    )
    assert hashlib.sha256(opened.content).hexdigest() == expected.report_sha256

    report = audit.verify(db, coordinator)
    assert report.intact, report.problem
    assert report.checked > expected.audit_events
    restore_event = next(
        e for e in audit.list_events(db, admin, 50) if e.action == "backup.restore"
    )
    assert (restore_event.actor, restore_event.outcome) == ("admin", "ok")

    # New rows get new numbers (on PostgreSQL the sequences were moved past the copy).
    newcomer = learners.create(db, coordinator, "Anna", "Ozola", dt.date(2008, 1, 1))
    assert newcomer.id > expected.learner_id
    assert audit.verify(db, coordinator).intact


# --------------------------------------------------------------------------- round trips


@pytest.mark.parametrize("target_kind", ["sqlite", "postgresql"])
def test_round_trip_restores_what_users_saw(
    db, school, backup_certified, new_database, tmp_path, target_kind
):
    expected = backup_certified
    target = new_database(target_kind)
    file = tmp_path / "school-backup.sqlite3"

    made = backup.create(db, school.admin, file, BACKUP_PASSPHRASE)

    assert made.path == file and made.size == file.stat().st_size > 0
    assert made.revision == head_revision()
    assert made.counts["evidence_blobs"] == made.evidence_files == 1
    assert made.counts["certificates"] == 1 and made.users == 6
    assert sorted(p.name for p in tmp_path.iterdir() if "school-backup" in p.name) == [
        file.name
    ]  # no temporary file, no -wal beside it
    assert file.read_bytes().startswith(b"DCBACKUP\x01")
    with sqlite3.connect(unsealed(file)) as raw:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        assert raw.execute("SELECT version_num FROM alembic_version").fetchone()[0] == (
            head_revision()
        )
    assert audit.list_events(db, school.admin, 1)[0].action == "backup.create"

    restored = backup.restore(target, None, file, "admin", PASSWORD, BACKUP_PASSPHRASE)

    assert restored.counts == made.counts
    assert restored.administrator == "admin" and restored.backup_revision == head_revision()
    assert_restored_as_users_see_it(target, expected)


@sqlite_source
def test_backup_needs_an_administrator(db, school, tmp_path):
    with pytest.raises(PermissionDenied):
        backup.create(db, school.coordinator, tmp_path / "b.sqlite3", BACKUP_PASSPHRASE)
    with pytest.raises(PermissionDenied):
        backup.create(db, None, tmp_path / "b.sqlite3", BACKUP_PASSPHRASE)
    assert not (tmp_path / "b.sqlite3").exists()


@sqlite_source
def test_an_existing_file_is_replaced_only_when_allowed(db, school, tmp_path):
    file = tmp_path / "b.sqlite3"
    file.write_bytes(b"keep me")
    with pytest.raises(InvalidInput, match="already exists"):
        backup.create(db, school.admin, file, BACKUP_PASSPHRASE)
    assert file.read_bytes() == b"keep me"
    made = backup.create(db, school.admin, file, BACKUP_PASSPHRASE, overwrite=True)
    assert made.size == file.stat().st_size and file.read_bytes().startswith(b"DCBACKUP")
    with pytest.raises(InvalidInput, match="does not exist"):
        backup.create(
            db, school.admin, tmp_path / "no such folder" / "b.sqlite3", BACKUP_PASSPHRASE
        )


def big_evidence(db: Database, school: School, files: int = 3) -> None:
    """A case with a few large text files, so that the copy takes many steps."""
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.1", 3)])
    for number in range(files):
        content = (f"{number} " + "Darba dienasgrāmata. " * 200_000).encode()[: 3 * 2**20]
        evidence.add_file(db, school.teacher, case.id, f"diary{number}.txt", content, "D", ("1.1",))


@pytest.fixture
def big_evidence_case(db: Database, school: School) -> bool:
    """``big_evidence`` in the school: copied with it when ``db`` was, else made here."""
    return bool(prepared(db, "big_evidence_case")) or with_big_evidence(db, school)


def with_big_evidence(db: Database, school: School) -> bool:
    big_evidence(db, school)
    return True


def test_backup_reports_its_progress(db, school, big_evidence_case, tmp_path):
    reports: list[tuple[int, int, str]] = []
    made = backup.create(
        db,
        school.admin,
        tmp_path / "b.sqlite3",
        BACKUP_PASSPHRASE,
        progress=lambda *r: reports.append(r),
    )
    copying = [(done, total) for done, total, text in reports if text == "Copying the database…"]
    assert len(copying) > 3  # the bar moves during the copy
    assert all(0 <= done <= total for done, total in copying[1:])
    assert [done for done, _total in copying] == sorted(done for done, _total in copying)
    assert copying[-1][0] == copying[-1][1] > 0  # all of it
    texts = [text for *_n, text in reports]
    assert "Checking the backup…" in texts
    assert texts[-2:] == ["Encrypting the backup…", "Saving the backup file…"]
    sealing = [(done, total) for done, total, text in reports if text == "Encrypting the backup…"]
    assert sealing[-1][0] == sealing[-1][1] > 9 * 2**20  # all of it, in steps
    assert made.evidence_files == 3


@pytest.mark.parametrize("stop_at", [1, 3, "Checking the backup…", "Saving the backup file…"])
def test_a_cancelled_backup_leaves_no_file(db, school, big_evidence_case, tmp_path, stop_at):
    """Cancel during the copy (after 1 or 3 reports), while checking, or just before the
    file would take its name: no file, no temporary file, the older backup untouched."""
    folder = tmp_path / "backups"
    folder.mkdir()
    old = folder / "old.sqlite3"
    backup.create(db, school.admin, old, BACKUP_PASSPHRASE)
    before = old.read_bytes()
    events = len(audit.list_events(db, school.admin, 1000))
    reports: list[str] = []

    def cancelled() -> bool:
        if isinstance(stop_at, int):
            return len(reports) >= stop_at
        return stop_at in reports

    for target, overwrite in ((folder / "new.sqlite3", False), (old, True)):
        reports.clear()
        with pytest.raises(backup.BackupCancelled, match="cancelled; no file was written"):
            backup.create(
                db,
                school.admin,
                target,
                BACKUP_PASSPHRASE,
                overwrite=overwrite,
                progress=lambda _d, _t, text: reports.append(text),
                cancelled=cancelled,
            )
        assert [p.name for p in folder.iterdir()] == ["old.sqlite3"]  # no part file
        assert old.read_bytes() == before  # the backup it would have replaced is kept
    assert len(audit.list_events(db, school.admin, 1000)) == events  # nothing was written


def test_backup_while_another_connection_is_writing(tmp_path, monkeypatch):
    """The online backup copies the committed state while a write transaction is open."""
    url = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    db = Database(url, password_hasher=FAST_HASHER)
    try:
        accounts.create_first_administrator(db, None, "admin", "Admin", PASSWORD)
        admin = accounts.authenticate(db, None, "admin", PASSWORD)
        writer = sqlite3.connect(tmp_path / "busy.sqlite3", isolation_level=None)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO groups (name, school_year) VALUES ('Uncommitted', '')")

        real_append = creating.append

        def append_after_the_writer_commits(*args, **kwargs):
            # The copy is done by now; the audit entry needs the write lock, so let go.
            if writer.in_transaction:
                writer.execute("COMMIT")
            return real_append(*args, **kwargs)

        monkeypatch.setattr(creating, "append", append_after_the_writer_commits)
        made = backup.create(db, admin, tmp_path / "b.sqlite3", BACKUP_PASSPHRASE)
        writer.close()
    finally:
        db.close()
    assert made.counts["groups"] == 0 and made.users == 1
    with sqlite3.connect(tmp_path / "busy.sqlite3") as raw:
        assert raw.execute("SELECT name FROM groups").fetchall() == [("Uncommitted",)]
    with sqlite3.connect(unsealed(tmp_path / "b.sqlite3")) as raw:
        assert raw.execute("SELECT count(*) FROM groups").fetchone() == (0,)


# --------------------------------------------------------------------------- refusals


@pytest.fixture
def backup_file(tmp_path, school, db) -> Path:
    """An old, unsealed backup of a school with a certified case (the checks of its
    content run on every backup; sealed ones are attacked in test_backup_sealed.py)."""
    certified_case(db, school)
    return unsealed_backup(db, school, tmp_path)


@pytest.fixture
def old_backup(tmp_path, school, backup_certified, db) -> Path:
    """The same as ``backup_file``, of the school copied with its certified case."""
    return unsealed_backup(db, school, tmp_path)


def unsealed_backup(db: Database, school: School, tmp_path: Path) -> Path:
    sealed = backup.create(db, school.admin, tmp_path / "sealed.digcomp", BACKUP_PASSPHRASE)
    return unsealed(sealed.path, tmp_path / "backup.sqlite3")


def unsealed(sealed: Path, plain: Path | None = None) -> Path:
    """The database inside a sealed backup: what an unsealed backup of old versions was."""
    plain = plain or sealed.with_name(sealed.name + ".plain.sqlite3")
    found = sealed_file.read_sealed_header(sealed)
    assert found is not None
    sealed_file.open_sealed(sealed, found, BACKUP_PASSPHRASE, plain)
    return plain


def altered_copy(backup_file: Path, *statements: tuple[str, tuple]) -> Path:
    copy = backup_file.with_name("altered.sqlite3")
    shutil.copyfile(backup_file, copy)
    raw = sqlite3.connect(copy)
    try:
        for sql, parameters in statements:
            raw.execute(sql, parameters)
        raw.commit()
    finally:
        raw.close()
    return copy


@sqlite_source
@pytest.mark.parametrize(
    ("username", "password"),
    [("admin", "wrong password"), ("nobody", PASSWORD), ("coord", PASSWORD)],
    ids=["wrong-password", "unknown-user", "not-an-administrator"],
)
def test_restore_needs_an_administrator_of_the_backup(old_backup, new_database, username, password):
    target = new_database("sqlite")
    with pytest.raises(AuthenticationFailed, match="administrator"):
        backup.restore(target, None, old_backup, username, password)
    assert_untouched(target)


@sqlite_source
def test_failed_sign_ins_on_the_empty_database_do_not_block_the_restore(old_backup, new_database):
    target = new_database("sqlite")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(target, None, "admin", PASSWORD)  # nobody there yet
    restored = backup.restore(target, None, old_backup, "admin", PASSWORD)
    admin = accounts.authenticate(target, None, "admin", PASSWORD)
    assert restored.users == 6 and audit.verify(target, admin).intact


@sqlite_source
def test_an_altered_evidence_file_is_named_and_nothing_restored(old_backup, new_database):
    with sqlite3.connect(old_backup) as raw:
        (key,) = raw.execute("SELECT sha256 FROM evidence_blobs").fetchone()
    bad = altered_copy(
        old_backup,
        (
            "UPDATE evidence_blobs SET content = ? WHERE sha256 = ?",
            (REPORT.replace(b"1.4", b"1.7"), key),
        ),
    )
    target = new_database("sqlite")
    with pytest.raises(IntegrityProblem) as refused:
        backup.restore(target, None, bad, "admin", PASSWORD)
    assert key in str(refused.value) and "report.pdf" in str(refused.value)
    assert_untouched(target)


@sqlite_source
@pytest.mark.parametrize(
    "tampering",
    [
        ("UPDATE audit_events SET actor = 'someone else' WHERE id = 3", ()),
        ("DELETE FROM audit_events WHERE id = 5", ()),
        ("DELETE FROM audit_events WHERE id = (SELECT max(id) FROM audit_events)", ()),
    ],
    ids=["changed", "removed", "newest-removed"],
)
def test_an_altered_audit_log_is_refused(old_backup, new_database, tampering):
    bad = altered_copy(old_backup, tampering)
    target = new_database("sqlite")
    with pytest.raises(IntegrityProblem, match="audit log is broken"):
        backup.restore(target, None, bad, "admin", PASSWORD)
    assert_untouched(target)


@sqlite_source
def test_a_database_with_data_is_never_overwritten(db, old_backup, new_database):
    target = new_database("sqlite")
    accounts.create_first_administrator(target, None, "other", "Other Admin", PASSWORD)
    before = row_counts(target)
    with pytest.raises(InvalidInput, match="already holds school data"):
        backup.restore(target, None, old_backup, "admin", PASSWORD)
    assert row_counts(target) == before
    # ... not even the database the backup was made from, by its own administrator
    before = row_counts(db)
    admin = accounts.authenticate(db, None, "admin", PASSWORD)
    with pytest.raises(InvalidInput, match="new, empty database"):
        backup.restore(db, admin, old_backup, "admin", PASSWORD)
    after = row_counts(db)
    assert after.pop("audit_events") == before.pop("audit_events") + 1  # the sign-in
    assert after == before


@sqlite_source
def test_files_that_are_not_backups_are_refused_clearly(old_backup, new_database, tmp_path):
    target = new_database("sqlite")
    text_file = tmp_path / "notes.txt"
    text_file.write_text("Šis nav dublējums.", encoding="utf-8")
    other_sqlite = tmp_path / "other.sqlite3"
    with sqlite3.connect(other_sqlite) as raw:
        raw.execute("CREATE TABLE things (id INTEGER PRIMARY KEY)")
    raw.close()
    newer = altered_copy(old_backup, ("UPDATE alembic_version SET version_num = 'f00d'", ()))
    truncated = tmp_path / "truncated.sqlite3"
    truncated.write_bytes(old_backup.read_bytes()[: old_backup.stat().st_size // 2])

    for path, message in (
        (text_file, "is not a backup of this program"),
        (other_sqlite, "is not a backup of this program"),
        (tmp_path / "missing.sqlite3", "There is no file"),
        (tmp_path, "There is no file"),
        (newer, "newer version of this program"),
    ):
        with pytest.raises(InvalidInput, match=message):
            backup.restore(target, None, path, "admin", PASSWORD)
    with pytest.raises(ServiceError, match="damaged"):
        backup.restore(target, None, truncated, "admin", PASSWORD)
    assert_untouched(target)


# --------------------------------------------------------------------------- command line


def run(
    *args: str, password: str = PASSWORD, passphrase: str = BACKUP_PASSPHRASE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digcomp_app", "--language", "en", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=300,
        check=False,
        env={
            **os.environ,
            "DIGCOMP_PASSWORD": password,
            "DIGCOMP_BACKUP_PASSPHRASE": passphrase,
        },
    )


@sqlite_source
def test_command_line_backup_and_restore(backup_file, tmp_path):
    source = tmp_path / "school.sqlite3"
    shutil.copyfile(backup_file, source)  # a backup is a school database of its own
    file = tmp_path / "cli-backup.sqlite3"
    restored = tmp_path / "cli-restored.sqlite3"

    made = run("--database", str(source), "--user", "admin", "backup", str(file))
    assert made.returncode == 0, made.stderr
    assert "Backup written to" in made.stdout and "evidence files: 1" in made.stdout
    again = run("--database", str(source), "--user", "admin", "backup", str(file))
    assert again.returncode == 1 and "already exists" in again.stderr
    assert "Traceback" not in again.stderr

    refused = run(
        "--database",
        str(restored),
        "restore",
        str(file),
        "--admin",
        "admin",
        "--yes",
        password="nope",
    )
    assert refused.returncode == 1 and "error:" in refused.stderr
    assert "Traceback" not in refused.stderr

    unconfirmed = run("--database", str(restored), "restore", str(file), "--admin", "admin")
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    wrong = run(
        "--database",
        str(restored),
        "restore",
        str(file),
        "--admin",
        "admin",
        "--yes",
        passphrase="not the passphrase",
    )
    assert wrong.returncode == 1 and "passphrase does not open" in wrong.stderr
    other = run(
        "--database", str(restored), "restore", str(file), "--admin", "admin", "--school", "f00"
    )
    assert other.returncode == 1 and "another school" in other.stderr
    assert "Traceback" not in wrong.stderr + other.stderr + unconfirmed.stderr

    done = run("--database", str(restored), "restore", str(file), "--admin", "admin", "--yes")
    assert done.returncode == 0, done.stderr
    assert "The backup comes from the school" in done.stdout
    assert "Restored" in done.stdout and "Sign in as admin" in done.stdout

    twice = run("--database", str(restored), "restore", str(file), "--admin", "admin", "--yes")
    assert twice.returncode == 1 and "already holds school data" in twice.stderr

    check = run("--database", str(restored), "--user", "coord", "audit", "verify")
    assert check.returncode == 0 and "intact" in check.stdout

    db = Database(f"sqlite:///{restored}", password_hasher=FAST_HASHER)
    try:
        with db.transaction() as session:
            groups = session.scalar(select(func.count()).select_from(Group))
            actions = session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    finally:
        db.close()
    assert groups == 0 and "backup.restore" in actions

    old = tmp_path / "old-restored.sqlite3"
    plain = run("--database", str(old), "restore", str(backup_file), "--admin", "admin")
    assert plain.returncode == 0, plain.stderr
    assert "not sealed" in plain.stdout and "not encrypted" in plain.stderr
