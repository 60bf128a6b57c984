"""Printing attestations in a batch: files, the combined file, refusals, cancelling."""

from __future__ import annotations

import hashlib
import io

import pypdfium2
import pytest
from PIL import Image
from sqlalchemy import select

from digcomp_app.documents import batch
from digcomp_app.documents.attestation import embedded_records
from digcomp_app.services import (
    certificates,
    evidence,
    mobilities,
    printing,
    validation,
)
from digcomp_app.services.errors import InvalidInput, NotFound, PermissionDenied, WorkflowError
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import AuditEvent, Certificate, EvidenceBlob, Organisation
from tests.documents.conftest import flat, pdf_text
from tests.services.conftest import complete_self_assessment, make_signer, prepared, sign


def certify(db, school, signer, learner, learner_id, levels=(4, 3)):
    """A learner's case for the school's mobility, taken through every stage and issued."""
    complete_self_assessment(
        db, learner, school.mobility_id, "before", lambda c: 3 if c.startswith("1.") else 2
    )
    case = validation.open_case(db, school.teacher, learner_id, school.mobility_id)
    validation.set_targets(
        db,
        school.teacher,
        case.id,
        [TargetDraft("1.1", 4, ("LO1.1.05",)), TargetDraft("2.1", 3)],
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Observed", "Searched well", ("1.1", "2.1"))
    validation.advance(db, school.teacher, case.id)
    validation.record_assessment(db, school.teacher, case.id, "1.1", levels[0], "practical_task")
    validation.record_assessment(db, school.teacher, case.id, "2.1", levels[1], "interview")
    validation.advance(db, school.teacher, case.id)
    return certificates.issue(db, school.coordinator, case.id, signer)


def two_certified(db, school, signer=None):
    """Both learners of the mobility certified (the school's signing key made first when no
    ``signer`` is given)."""
    signer = signer or make_signer(db, school)
    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    first = certify(db, school, signer, school.learner, school.learner_id)
    second = certify(db, school, signer, school.other_learner, school.other_learner_id, (5, 2))
    return first, second


def learner_certified(db, school, signer=None):
    """Jānis certified (the school's signing key made first when no ``signer`` is given)."""
    signer = signer or make_signer(db, school)
    return certify(db, school, signer, school.learner, school.learner_id)


@pytest.fixture
def two_certificates(db, school, request):
    """``two_certified``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "two_certificates")
    return (
        made if made is not None else two_certified(db, school, request.getfixturevalue("signer"))
    )


@pytest.fixture
def learner_certificate(db, school, request):
    """``learner_certified``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "learner_certificate")
    if made is not None:
        return made
    return learner_certified(db, school, request.getfixturevalue("signer"))


def pages(pdf: bytes) -> int:
    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def test_one_file_per_certificate_and_one_for_the_printer(db, school, two_certificates, tmp_path):
    first, second = two_certificates
    calls = []
    result = printing.print_attestations(
        db,
        school.coordinator,
        [first.serial, second.serial],
        ["lv", "en"],
        tmp_path / "out",
        progress=lambda done, total: calls.append((done, total)),
    )
    assert [p.name for p in result.files] == [
        f"{first.serial}_Janis-Berzins_lv-en.pdf",
        f"{second.serial}_Liga-Kalnina_lv-en.pdf",
    ]
    assert calls == [(1, 2), (2, 2)]
    assert not result.cancelled and result.skipped == ()
    assert result.combined is not None
    assert result.combined.name == "attestations_ER-2026-01_lv-en.pdf"
    single = [p.read_bytes() for p in result.files]
    combined = result.combined.read_bytes()
    assert pages(combined) == sum(pages(pdf) for pdf in single)
    # the printer's file carries no data and says it is for printing only; each
    # attestation's own file carries its own
    assert embedded_records(combined) == []
    meta = pypdfium2.PdfDocument(combined).get_metadata_dict()
    # (in the first language printed: Latvian here)
    assert "tikai drukāšanai, nevis pārbaudei" in meta["Title"]
    assert "Tikai drukāšanai" in meta["Subject"] and "nav paredzēts pārbaudei" in meta["Subject"]
    assert [r.qr_text for r in embedded_records(single[1])] == [second.qr_text]
    with db.transaction() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.action == "printing.print_attestations" and event.outcome == "ok"
    assert event.details["printed"] == [first.serial, second.serial]


def test_a_single_certificate_is_its_own_printer_file(db, school, learner_certificate, tmp_path):
    cert = learner_certificate
    out = tmp_path / "out"
    result = printing.print_attestations(db, school.coordinator, [cert.serial], ["en"], out)
    assert result.files == (out / f"{cert.serial}_Janis-Berzins_en.pdf",)
    assert result.combined == result.files[0]
    assert list(out.iterdir()) == [result.files[0]]


def test_revoked_certificates_are_refused_naming_the_serial(db, school, two_certificates, tmp_path):
    first, second = two_certificates
    certificates.revoke(db, school.coordinator, first.serial, "Wrong level in 2.1")
    out = tmp_path / "out"
    with pytest.raises(WorkflowError, match=first.serial) as refused:
        printing.print_attestations(db, school.coordinator, [first.serial], ["lv"], out)
    assert "revoked" in str(refused.value) and "Wrong level in 2.1" in str(refused.value)
    assert not out.exists()
    result = printing.print_attestations(
        db, school.coordinator, [first.serial, second.serial], ["lv"], out
    )
    assert [s.serial for s in result.skipped] == [first.serial]
    assert first.serial in result.skipped[0].reason
    assert [p.name for p in result.files] == [f"{second.serial}_Liga-Kalnina_lv.pdf"]


def test_unsigned_certificates_are_refused(db, school, learner_certificate, tmp_path):
    cert = learner_certificate
    with db.transaction() as session:  # as issued before the school had a signing key
        row = session.scalar(select(Certificate).where(Certificate.serial == cert.serial))
        row.signature, row.key_id = "", ""
    with pytest.raises(WorkflowError, match=cert.serial) as refused:
        printing.print_attestations(db, school.coordinator, [cert.serial], ["lv"], tmp_path)
    assert "signature" in str(refused.value)


def test_cancelling_stops_between_documents(db, school, two_certificates, tmp_path):
    first, second = two_certificates
    done = []
    out = tmp_path / "out"
    result = printing.print_attestations(
        db,
        school.coordinator,
        [first.serial, second.serial],
        ["en"],
        out,
        progress=lambda d, t: done.append(d),
        cancelled=lambda: len(done) >= 1,
    )
    assert result.cancelled
    assert [p.name for p in result.files] == [f"{first.serial}_Janis-Berzins_en.pdf"]
    assert result.combined is None
    assert sorted(p.name for p in out.iterdir()) == [result.files[0].name]
    with db.transaction() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert event.outcome == "cancelled" and event.details["printed"] == [first.serial]


def test_worker_processes_print_the_same_documents(
    db, school, two_certificates, tmp_path, monkeypatch
):
    first, second = two_certificates
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)  # two documents are worth a pool here
    result = printing.print_attestations(
        db, school.coordinator, [first.serial, second.serial], ["lv"], tmp_path, workers=2
    )
    assert len(result.files) == 2 and result.combined is not None
    assert embedded_records(result.combined.read_bytes()) == []
    for path, cert in zip(result.files, (first, second), strict=True):
        assert [r.qr_text for r in embedded_records(path.read_bytes())] == [cert.qr_text]


def test_the_schools_logo_and_choice_of_birth_date(db, school, signer, tmp_path):
    with db.transaction() as session:  # the choice at issue time is the one signed and printed
        home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        home.print_birth_date = True
    cert = certify(db, school, signer, school.learner, school.learner_id)
    image = io.BytesIO()
    Image.new("RGB", (200, 80), (10, 80, 160)).save(image, "PNG")
    logo = image.getvalue()
    digest = hashlib.sha256(logo).hexdigest()
    with db.transaction() as session:
        session.add(
            EvidenceBlob(sha256=digest, size=len(logo), media_type="image/png", content=logo)
        )
        session.flush()
        home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        home.logo_sha256 = digest
    result = printing.print_attestations(db, school.coordinator, [cert.serial], ["en"], tmp_path)
    pdf = result.files[0].read_bytes()
    assert "1 May 2007" in flat(pdf_text(pdf, tmp_path))  # Jānis's date of birth
    document = pypdfium2.PdfDocument(pdf)
    try:
        kinds = [o.type for o in document[0].get_objects()]
    finally:
        document.close()
    assert pypdfium2.raw.FPDF_PAGEOBJ_IMAGE in kinds


def test_what_is_asked_is_checked_first(db, school, learner_certificate, tmp_path):
    cert = learner_certificate
    with pytest.raises(PermissionDenied):
        printing.print_attestations(db, school.teacher, [cert.serial], ["lv"], tmp_path)
    with pytest.raises(InvalidInput) as wrong:
        printing.print_attestations(db, school.coordinator, [cert.serial], ["de"], tmp_path)
    assert wrong.value.field == "languages"
    with pytest.raises(InvalidInput):
        printing.print_attestations(db, school.coordinator, [" "], ["lv"], tmp_path)
    with pytest.raises(NotFound, match="DC-XXXX"):
        printing.print_attestations(db, school.coordinator, ["DC-XXXX"], ["lv"], tmp_path)
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    with pytest.raises(InvalidInput) as folder:
        printing.print_attestations(db, school.coordinator, [cert.serial], ["lv"], blocked / "x")
    assert folder.value.field == "out_dir"


def test_europass_text_for_the_official_document(db, school, learner_certificate):
    cert = learner_certificate
    latvian = printing.europass_text(db, school.coordinator, cert.serial, "lv")
    assert "1.1 Informācijas pārlūkošana, meklēšana un filtrēšana" in latvian
    assert "(vidējs)" in latvian and cert.serial in latvian
    english = printing.europass_text(db, school.coordinator, cert.serial, "en")
    assert "level 4 (Intermediate), assessed by practical task." in english
    assert "Rīgas Valsts tehnikums" in english
    with pytest.raises(PermissionDenied):
        printing.europass_text(db, school.teacher, cert.serial, "lv")
    certificates.revoke(db, school.coordinator, cert.serial, "Typo in the name")
    with pytest.raises(WorkflowError, match=cert.serial):
        printing.europass_text(db, school.coordinator, cert.serial, "lv")


def test_a_learner_cannot_print_even_their_own(db, school, learner_certificate, tmp_path):
    cert = learner_certificate
    learner = sign(db, "janis")
    with pytest.raises(PermissionDenied):
        printing.print_attestations(db, learner, [cert.serial], ["lv"], tmp_path)
