"""Evidence files: accepted by content, stored by hash, checked when opened; items added
by mistake removed or tied to other competences before assessment."""

from __future__ import annotations

import struct
import zlib

import pytest
from sqlalchemy import select, text

from digcomp_app.services import audit, evidence, validation
from digcomp_app.services.errors import (
    IntegrityProblem,
    InvalidInput,
    NotFound,
    PermissionDenied,
    WorkflowError,
)
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import AuditEvent


def png(width: int = 4, height: int = 3) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    raw = b"".join(b"\x00" + b"\xff\x00\x00" * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def case_id(db, school):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("3.1", 3)])
    validation.advance(db, school.teacher, case.id)
    return case.id


def test_a_file_is_judged_by_its_content_not_its_name(db, school, case_id):
    item = evidence.add_file(db, school.teacher, case_id, "photo.exe", png(), "Poster", ("3.1",))
    assert item.media_type == "image/png" and item.file_name == "photo.exe"
    with pytest.raises(InvalidInput, match="not accepted"):
        evidence.add_file(
            db,
            school.teacher,
            case_id,
            "report.pdf",
            b"MZ\x90\x00" + bytes(64),
            "Fake PDF",
            ("3.1",),
        )


def test_names_from_outside_never_become_paths(db, school, case_id):
    item = evidence.add_file(
        db,
        school.learner,
        case_id,
        "..\\..\\Windows/evil\x07.txt",
        "Sveiki, ā č ē".encode(),
        "Notes",
        ("3.1",),
    )
    assert item.file_name == "evil.txt" and item.media_type == "text/plain"
    opened = evidence.open_file(db, school.teacher, item.id)
    assert opened.content == "Sveiki, ā č ē".encode()


def test_same_content_is_stored_once(db, school, case_id):
    a = evidence.add_file(db, school.teacher, case_id, "a.png", png(), "A", ("3.1",))
    b = evidence.add_file(db, school.teacher, case_id, "b.png", png(), "B", ("3.1",))
    assert a.sha256 == b.sha256
    with db.transaction() as session:
        assert session.execute(text("SELECT COUNT(*) FROM evidence_blobs")).scalar() == 1


def test_size_limit_and_competence_ties(db, school, case_id, monkeypatch):
    monkeypatch.setattr(evidence, "MAX_FILE_BYTES", 1000)
    with pytest.raises(InvalidInput, match="MB"):
        evidence.add_file(db, school.teacher, case_id, "big.txt", b"x" * 1001, "Big", ("3.1",))
    with pytest.raises(InvalidInput, match="target competences"):
        evidence.add_note(db, school.teacher, case_id, "Note", "text", ("4.1",))
    with pytest.raises(InvalidInput):
        evidence.add_link(db, school.teacher, case_id, "javascript:alert(1)", "Bad", ("3.1",))


def test_a_damaged_file_is_refused_when_opened(db, school, case_id):
    item = evidence.add_file(db, school.teacher, case_id, "poster.png", png(), "Poster", ("3.1",))
    with db.transaction() as session:
        session.execute(
            text("UPDATE evidence_blobs SET content = :c WHERE sha256 = :h"),
            {"c": png(5, 5), "h": item.sha256},
        )
    with pytest.raises(IntegrityProblem, match=r"poster\.png"):
        evidence.open_file(db, school.teacher, item.id)


def blob_count(db) -> int:
    with db.transaction() as session:
        return session.execute(text("SELECT COUNT(*) FROM evidence_blobs")).scalar()


def audited(db, action: str) -> list[tuple[str, str, dict]]:
    with db.transaction() as session:
        return [
            (e.actor, e.entity_id, e.details)
            for e in session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        ]


def test_removing_an_item_keeps_a_file_another_item_uses(db, school, case_id):
    validation.go_back(db, school.teacher, case_id, "More targets")
    validation.set_targets(
        db, school.teacher, case_id, [TargetDraft("3.1", 3), TargetDraft("1.1", 2)]
    )
    validation.advance(db, school.teacher, case_id)
    first = evidence.add_file(db, school.teacher, case_id, "a.png", png(), "A", ("3.1",))
    second = evidence.add_file(db, school.learner, case_id, "b.png", png(), "B", ("3.1",))
    other = evidence.add_file(db, school.teacher, case_id, "c.png", png(6, 2), "C", ("1.1",))
    assert blob_count(db) == 2

    removed = evidence.remove(db, school.teacher, first.id)
    assert removed.title == "A"
    assert [i.title for i in evidence.list_items(db, school.teacher, case_id)] == ["B", "C"]
    assert blob_count(db) == 2  # b.png has the same content
    assert evidence.open_file(db, school.teacher, second.id).content == png()
    with pytest.raises(NotFound):
        evidence.remove(db, school.teacher, first.id)

    evidence.remove(db, school.teacher, second.id)
    assert blob_count(db) == 1  # nothing uses that content any more
    assert evidence.open_file(db, school.teacher, other.id).content == png(6, 2)
    events = audited(db, "evidence.remove")
    assert [(actor, entity) for actor, entity, _details in events] == [
        ("teach", str(first.id)),
        ("teach", str(second.id)),
    ]
    assert events[0][2]["file_deleted"] is False and events[1][2]["file_deleted"] is True
    assert events[1][2]["title"] == "B" and events[1][2]["sha256"] == second.sha256
    assert audit.verify(db, school.coordinator).intact


def test_an_item_is_tied_to_other_target_competences(db, school, case_id):
    validation.go_back(db, school.teacher, case_id, "More targets")
    validation.set_targets(
        db, school.teacher, case_id, [TargetDraft("3.1", 3), TargetDraft("1.1", 2)]
    )
    validation.advance(db, school.teacher, case_id)
    note = evidence.add_note(db, school.teacher, case_id, "Observed", "Did it alone", ("3.1",))
    tied = evidence.set_competences(db, school.teacher, note.id, ("1.1", "3.1", "1.1"))
    assert tied.competence_ids == ("1.1", "3.1")
    assert evidence.list_items(db, school.teacher, case_id)[0].competence_ids == ("1.1", "3.1")
    with pytest.raises(InvalidInput, match="at least one competence"):
        evidence.set_competences(db, school.teacher, note.id, ())
    with pytest.raises(InvalidInput, match=r"not target competences of the case: 5\.1"):
        evidence.set_competences(db, school.teacher, note.id, ("5.1",))
    (event,) = audited(db, "evidence.set_competences")
    assert event[2]["before"] == ["3.1"] and event[2]["after"] == ["1.1", "3.1"]


def test_evidence_changes_only_before_assessment_and_only_by_the_learners_teachers(
    db, school, case_id
):
    item = evidence.add_note(db, school.teacher, case_id, "Observed", "Did it", ("3.1",))
    with pytest.raises(PermissionDenied):
        evidence.remove(db, school.learner, item.id)
    with pytest.raises(PermissionDenied):
        evidence.set_competences(db, school.other_teacher, item.id, ("3.1",))  # not theirs
    with pytest.raises(PermissionDenied):
        evidence.remove(db, school.other_teacher, item.id)

    validation.advance(db, school.teacher, case_id)  # to assessment
    with pytest.raises(WorkflowError, match="Assessment stage"):
        evidence.remove(db, school.teacher, item.id)
    with pytest.raises(WorkflowError, match="Assessment stage"):
        evidence.set_competences(db, school.teacher, item.id, ("3.1",))
    validation.record_assessment(db, school.teacher, case_id, "3.1", 3, "observation")
    validation.advance(db, school.teacher, case_id)  # to certification
    with pytest.raises(WorkflowError, match="Certification stage"):
        evidence.remove(db, school.teacher, item.id)
    assert len(evidence.list_items(db, school.teacher, case_id)) == 1
