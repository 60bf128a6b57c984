"""The school's details: its logo (a PNG or JPEG picture, stored by hash) and its choice to
print the holder's date of birth on attestations."""

from __future__ import annotations

import struct

import pytest
from sqlalchemy import select, text

from digcomp_app.services import audit, evidence, organisations, validation
from digcomp_app.services.errors import IntegrityProblem, InvalidInput, PermissionDenied
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import AuditEvent
from tests.services.test_evidence import png


def jpeg(width: int, height: int) -> bytes:
    """The markers of a baseline JPEG up to its frame header (as far as a reader looks)."""
    app0 = b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    frame = struct.pack(">BHHB", 8, height, width, 3) + b"\x01\x22\x00\x02\x11\x01\x03\x11\x01"
    return (
        b"\xff\xd8"
        + b"\xff\xe0"
        + struct.pack(">H", len(app0) + 2)
        + app0
        + b"\xff\xc0"
        + struct.pack(">H", len(frame) + 2)
        + frame
        + b"\xff\xd9"
    )


def blobs(db) -> int:
    with db.transaction() as session:
        return session.execute(text("SELECT COUNT(*) FROM evidence_blobs")).scalar()


def test_the_logo_is_stored_by_content_and_everyone_signed_in_reads_it(db, school):
    assert organisations.home_logo(db, school.learner) is None
    saved = organisations.set_home_logo(db, school.admin, png(40, 20))
    assert saved.name == "Rīgas Valsts tehnikums"
    for person in (school.admin, school.coordinator, school.teacher, school.learner):
        assert organisations.home_logo(db, person) == png(40, 20)
    assert blobs(db) == 1

    organisations.set_home_logo(db, school.admin, jpeg(300, 120))
    assert organisations.home_logo(db, school.teacher) == jpeg(300, 120)
    assert blobs(db) == 1  # the old picture is not kept

    organisations.set_home_logo(db, school.admin, None)
    assert organisations.home_logo(db, school.teacher) is None
    assert blobs(db) == 0
    with db.transaction() as session:
        details = [
            e.details
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "organisations.set_home_logo")
                .order_by(AuditEvent.id)
            )
        ]
    assert [bool(d["sha256"]) for d in details] == [True, True, False]
    assert details[1]["previous"] == details[0]["sha256"]
    assert audit.verify(db, school.coordinator).intact


def test_a_logo_shared_with_evidence_stays_for_the_evidence(db, school):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("3.1", 3)])
    item = evidence.add_file(db, school.teacher, case.id, "poster.png", png(), "P", ("3.1",))
    organisations.set_home_logo(db, school.admin, png())
    organisations.set_home_logo(db, school.admin, None)
    assert evidence.open_file(db, school.teacher, item.id).content == png()
    organisations.set_home_logo(db, school.admin, png())
    evidence.remove(db, school.teacher, item.id)
    assert organisations.home_logo(db, school.learner) == png()  # the logo still uses it


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"%PDF-1.7\n" + bytes(100), "PNG or JPEG"),
        (b"GIF89a" + bytes(100), "PNG or JPEG"),
        (b"plain text", "PNG or JPEG"),
        (b"", "PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + bytes(30), "cannot be read"),
        (b"\xff\xd8\xff\xe0\x00\x04\x00\x00\xff\xda\x00\x02", "cannot be read"),
        (png() + bytes(2 * 1024 * 1024), "at most 2 MB"),
    ],
)
def test_only_png_and_jpeg_pictures_up_to_2_mb(db, school, content, message):
    with pytest.raises(InvalidInput, match=message) as refused:
        organisations.set_home_logo(db, school.admin, content)
    assert refused.value.field == "logo"
    assert organisations.home_logo(db, school.admin) is None and blobs(db) == 0


def test_only_the_administrator_sets_the_logo(db, school):
    for person in (school.coordinator, school.teacher, school.learner):
        with pytest.raises(PermissionDenied):
            organisations.set_home_logo(db, person, png())
    assert organisations.home_logo(db, school.admin) is None


def test_a_damaged_logo_is_refused_when_read(db, school):
    saved = organisations.set_home_logo(db, school.admin, png())
    with db.transaction() as session:
        sha = session.execute(
            text("SELECT logo_sha256 FROM organisations WHERE id = :i"), {"i": saved.id}
        ).scalar()
        session.execute(
            text("UPDATE evidence_blobs SET content = :c WHERE sha256 = :h"),
            {"c": png(5, 5), "h": sha},
        )
    with pytest.raises(IntegrityProblem, match="logo"):
        organisations.home_logo(db, school.teacher)


def test_printing_the_date_of_birth_is_the_schools_choice(db, school):
    assert organisations.get_home(db, school.teacher).print_birth_date is False
    saved = organisations.update_home(db, school.admin, print_birth_date=True)
    assert saved.print_birth_date is True and saved.name == "Rīgas Valsts tehnikums"
    assert organisations.get_home(db, school.learner).print_birth_date is True
    # other details saved later leave the choice as it is
    assert organisations.update_home(db, school.admin, email="info@rvt.lv").print_birth_date
    assert not organisations.update_home(db, school.admin, print_birth_date=False).print_birth_date
    with pytest.raises(InvalidInput) as refused:
        organisations.update_home(db, school.admin, print_birth_date="yes")
    assert refused.value.field == "print_birth_date"
    with pytest.raises(PermissionDenied):
        organisations.update_home(db, school.coordinator, print_birth_date=True)
    with db.transaction() as session:
        last = session.scalars(
            select(AuditEvent)
            .where(AuditEvent.action == "organisations.update_home", AuditEvent.outcome == "ok")
            .order_by(AuditEvent.id.desc())
        ).first()
    assert {k: v for k, v in last.details.items() if k != "rows"} == {
        "fields": ["print_birth_date"]
    }
