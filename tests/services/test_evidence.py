"""Evidence files: accepted by content, stored by hash, checked when opened."""

from __future__ import annotations

import struct
import zlib

import pytest
from sqlalchemy import text

from digcomp_app.services import evidence, validation
from digcomp_app.services.errors import IntegrityProblem, InvalidInput
from digcomp_app.services.validation import TargetDraft


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
