"""Erasing a learner (GDPR Art. 17): what goes, what the register keeps, who may, the audit
entry without the name, and no trace of the name or the evidence file in the SQLite file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from digcomp_app.services import (
    accounts,
    audit,
    certificates,
    consent,
    erasure,
    learners,
    verification,
)
from digcomp_app.services.errors import InvalidInput, PermissionDenied, WorkflowError
from digcomp_app.storage.engine import sqlite_path
from digcomp_app.storage.models import (
    AuditEvent,
    Certificate,
    EvidenceBlob,
    EvidenceItem,
    Learner,
    SelfAssessment,
    User,
    ValidationCase,
)
from tests.services.conftest import PASSWORD
from tests.services.test_privacy import REPORT, certify_with_file

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)

GIVEN, SURNAME = "Jānis", "Bērziņš"


def raw_traces(path: Path, needles: dict[str, bytes]) -> list[str]:
    """Which needles occur in the database file or its write-ahead log, byte for byte."""
    found = []
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if not file.exists():
            continue
        data = file.read_bytes()
        found += [f"{name} in {file.name}" for name, needle in needles.items() if needle in data]
    return found


def name_needles() -> dict[str, bytes]:
    needles = {}
    for word in (GIVEN, SURNAME, "berzins", "Inese"):
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            needles[f"{word} ({encoding})"] = word.encode(encoding)
    needles["evidence file"] = REPORT[:60]
    return needles


@pytest.fixture
def certified(db, school, signer):
    # an earlier version of the row (a changed e-mail) must not survive in free space either
    learners.update(
        db, school.coordinator, school.learner_id, GIVEN, SURNAME, None, "janis@example.lv"
    )
    consent.record_consent(
        db, school.coordinator, school.learner_id, "evidence_photos", "guardian", "Inese Bērziņa"
    )
    certificate, item = certify_with_file(db, school, signer, school.learner, school.learner_id)
    return certificate, item


def test_erasure_removes_the_personal_data_and_keeps_a_pseudonymous_register_entry(
    db, school, certified
):
    certificate, item = certified
    preview = erasure.erasure_preview(db, school.admin, school.learner_id)
    assert (preview.full_name, preview.erased) == (f"{GIVEN} {SURNAME}", False)
    assert (preview.cases, preview.cases_kept, preview.certificates) == (1, 1, 1)
    assert (preview.evidence_items, preview.evidence_files, preview.consents) == (2, 1, 1)
    assert preview.self_assessments == 1 and preview.has_account
    qr_text = certificate.qr_text

    result = erasure.erase_learner(db, school.admin, school.learner_id, "  jānis   BĒRZIŅŠ ")
    assert erasure.is_pseudonym(result.pseudonym)
    assert result.counts["evidence_files_deleted"] == 1
    assert result.counts["account_deleted"] + result.counts["account_disabled"] == 1

    with db.transaction() as session:
        learner = session.get(Learner, school.learner_id)
        assert (learner.given_names, learner.surname) == ("", result.pseudonym)
        assert learner.date_of_birth is None and learner.email == ""
        assert learner.learner_number is None and not learner.active
        assert learner.erased_at is not None
        assert not session.scalars(
            select(SelfAssessment).where(SelfAssessment.learner_id == school.learner_id)
        ).all()
        assert session.get(EvidenceItem, item.id) is None
        assert session.get(EvidenceBlob, item.sha256) is None
        assert session.scalar(select(User).where(User.username == "janis")) is None
        [case] = session.scalars(
            select(ValidationCase).where(ValidationCase.learner_id == school.learner_id)
        ).all()
        assert case.targets == []
        cert = session.scalar(select(Certificate).where(Certificate.serial == certificate.serial))
        assert (cert.status, cert.content_hash) == ("issued", certificate.content_hash)
        assert cert.signature == ""
        snapshot = json.loads(cert.snapshot)
        assert snapshot["erased"] is True and snapshot["holder"]["surname"] == result.pseudonym
        assert snapshot["competences"] == [] and snapshot["mobility"] is None
        everything = json.dumps(
            [learner.surname, cert.snapshot, cert.revoke_reason], ensure_ascii=False
        )
        assert SURNAME not in everything and GIVEN not in everything
    # nothing left to consent to: the learner's consent records went with them
    assert consent.list_consents(db, school.coordinator, school.learner_id) == []

    # the register still answers for the paper's QR code, and lists the serial
    verdict = verification.verify_text(db, None, qr_text)
    assert verdict.verdict is verification.Verdict.VALID, verdict.explanation
    assert verdict.in_register
    listed = certificates.get(db, school.coordinator, certificate.serial)
    assert listed.holder.strip() == result.pseudonym and listed.qr_text == ""
    certificates.revoke(db, school.coordinator, certificate.serial, "issued by mistake")
    revoked = verification.verify_text(db, None, qr_text)
    assert revoked.verdict is verification.Verdict.REVOKED

    # audited without the name; the chain is intact (no audit row was rewritten)
    with db.transaction() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.erase_learner")
        ).one()
        details = json.dumps(event.details, ensure_ascii=False)
    assert event.entity_id == str(school.learner_id) and result.pseudonym in details
    assert SURNAME not in details and GIVEN not in details
    assert audit.verify(db, school.coordinator).intact


def test_the_erased_learner_cannot_sign_in_and_is_not_erased_twice(db, school, certified):
    erasure.erase_learner(db, school.admin, school.learner_id, f"{GIVEN} {SURNAME}")
    with pytest.raises(PermissionDenied):  # the session of their account ends
        learners.get_record(db, school.learner, school.learner_id)
    with pytest.raises(Exception, match="user name or password"):
        accounts.authenticate(db, None, "janis", PASSWORD)
    with pytest.raises(WorkflowError, match="already erased"):
        erasure.erase_learner(db, school.admin, school.learner_id, "anything")


def test_a_wrong_confirmation_or_role_erases_nothing(db, school, certified):
    for typed in ("", "Jānis", "Līga Kalniņa", "Jānis Bērziņš2", "x\x00y"):
        with pytest.raises(InvalidInput) as refused:
            erasure.erase_learner(db, school.admin, school.learner_id, typed)
        assert refused.value.field == "confirmation"
    for who in (school.coordinator, school.teacher, school.learner):
        with pytest.raises(PermissionDenied):
            erasure.erase_learner(db, who, school.learner_id, f"{GIVEN} {SURNAME}")
    with db.transaction() as session:
        assert session.get(Learner, school.learner_id).surname == SURNAME


def test_other_learners_and_shared_files_are_untouched(db, school, signer):
    from digcomp_app.services import evidence, mobilities, validation

    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    certify_with_file(db, school, signer, school.learner, school.learner_id)
    case = validation.open_case(db, school.teacher, school.other_learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [validation.TargetDraft("1.1", 3)])
    validation.advance(db, school.teacher, case.id)
    shared = evidence.add_file(
        db, school.other_learner, case.id, "same.txt", REPORT, "Same", ("1.1",)
    )
    erasure.erase_learner(db, school.admin, school.learner_id, f"{GIVEN} {SURNAME}")
    # the same file content is another learner's evidence too: it stays
    assert evidence.open_file(db, school.teacher, shared.id).content == REPORT
    record = learners.get_record(db, school.coordinator, school.other_learner_id)
    assert record.learner.surname == "Kalniņa"


@pytest.mark.sqlite  # (PostgreSQL: see the decision 0027)
def test_no_trace_of_the_name_or_the_file_in_the_sqlite_file(db, school, certified):
    path = sqlite_path(db.url)
    assert path is not None
    needles = name_needles()
    before = {trace.split(" in ")[0] for trace in raw_traces(path, needles)}
    # the search finds them while they are there (so its silence below means something)
    assert {"Jānis (utf-8)", "Bērziņš (utf-8)", "Inese (utf-8)", "evidence file"} <= before
    result = erasure.erase_learner(db, school.admin, school.learner_id, f"{GIVEN} {SURNAME}")
    assert result.file_cleaned
    assert raw_traces(path, needles) == []
    assert Path(f"{path}-wal").stat().st_size == 0 if Path(f"{path}-wal").exists() else True


def test_on_postgresql_the_rows_hold_no_trace_either(db, school, certified):
    """On both databases: no table holds the name or the file after the erasure (the
    server's own dead tuples are its VACUUM's business, decision 0027)."""
    erasure.erase_learner(db, school.admin, school.learner_id, f"{GIVEN} {SURNAME}")
    from digcomp_app.storage.models import Base

    with db.transaction() as session:
        for table in Base.metadata.sorted_tables:
            if table.name == "audit_events":
                continue
            for row in session.execute(select(table)):
                text = repr(tuple(row))
                assert SURNAME not in text and "Bērziņa" not in text, table.name
                assert REPORT[:60] not in (
                    b"".join(v for v in row if isinstance(v, bytes)) if row else b""
                ), table.name


@pytest.mark.sqlite
def test_without_the_cleaning_step_the_name_would_stay_in_the_file(
    db, school, certified, monkeypatch
):
    """The control for the test above: with secure delete off (as in SQLite builds that do
    not turn it on by default) and no VACUUM, the same search finds the erased name."""
    path = sqlite_path(db.url)
    assert path is not None

    def plain_delete(session):
        session.connection().exec_driver_sql("PRAGMA secure_delete=OFF")

    def checkpoint_only(database, attempts=30):
        raw = database.engine.raw_connection()
        try:
            raw.driver_connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()
        return True

    monkeypatch.setattr(erasure, "secure_delete", plain_delete)
    monkeypatch.setattr(erasure, "clean_database_file", checkpoint_only)
    erasure.erase_learner(db, school.admin, school.learner_id, f"{GIVEN} {SURNAME}")
    left = {trace.split(" in ")[0] for trace in raw_traces(path, name_needles())}
    assert {"Jānis (utf-8)", "Bērziņš (utf-8)", "evidence file"} <= left
