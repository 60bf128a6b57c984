"""A full disk: a save is refused in plain words, nothing saved before is lost, and the same
save works once space is freed. The database sits on a real 4 MiB tmpfs that is filled up
(``small_disk.py``); the ``max_page_count`` cases give SQLite the same SQLITE_FULL without a
mount, and run everywhere."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from digcomp_app.services import audit, evidence, validation
from digcomp_app.services.database import Database
from digcomp_app.services.errors import DiskFull
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import AuditEvent, EvidenceItem
from tests.reliability.small_disk import SmallDisk
from tests.services.conftest import FAST_HASHER

pytestmark = pytest.mark.reliability

FULL = "The disk holding the database is full: nothing was saved."


@pytest.fixture(params=["tmpfs", "max_page_count"])
def small_disk(request, tmp_path):
    disk = SmallDisk(tmp_path / "disk", mount=request.param == "tmpfs")
    if request.param == "tmpfs" and not disk.mounted:
        disk.close()
        pytest.skip("mounting a tmpfs needs root (CAP_SYS_ADMIN); the max_page_count case ran")
    yield disk
    disk.close()


@pytest.fixture
def database_url(small_disk) -> str:
    return small_disk.database_url()


@pytest.fixture
def db(database_url, small_disk):
    database = Database(database_url, password_hasher=FAST_HASHER)
    small_disk.attach(database.engine)
    yield database
    database.close()


def _counts(db: Database) -> tuple[int, int]:
    with db.transaction() as session:
        return (
            session.scalar(select(func.count()).select_from(EvidenceItem)),
            session.scalar(select(func.count()).select_from(AuditEvent)),
        )


def test_evidence_added_on_a_full_disk_is_refused_and_nothing_is_lost(db, school, small_disk):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.1", 4)])
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Seen", "Did it", ("1.1",))
    content = b"Workshop log line.\n" * 14000  # 266 KB: more than is left
    before = _counts(db)
    small_disk.fill()
    with pytest.raises(DiskFull, match=FULL):
        evidence.add_file(db, school.teacher, case.id, "log.txt", content, "Log", ("1.1",))
    assert _counts(db) == before  # reading still works; nothing half-written
    small_disk.free()
    assert audit.verify(db, school.coordinator).intact
    added = evidence.add_file(db, school.teacher, case.id, "log.txt", content, "Log", ("1.1",))
    assert _counts(db)[0] == before[0] + 1
    assert evidence.open_file(db, school.teacher, added.id).content == content
