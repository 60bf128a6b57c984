"""A certificate under a framework the school added (not built in) is printed like any
other: the print workers get the framework's files and load them (decision 0034)."""

from __future__ import annotations

import pytest

from digcomp_app.documents import batch
from digcomp_app.documents.attestation import embedded_records
from digcomp_app.framework.moodle import import_csv
from digcomp_app.services import (
    certificates,
    evidence,
    frameworks_library,
    mobilities,
    printing,
    validation,
    verification,
)
from digcomp_app.services.errors import WorkflowError
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import SchoolFramework
from tests.conftest import DATA
from tests.documents.conftest import flat, pdf_text

VECTOR = DATA / "moodle" / "small-framework.csv"


def certify_under_school_framework(db, school, signer, learner_id, levels=(2, 3)):
    """A case under the school's framework school-dl 1.0, assessed and issued."""
    case = validation.open_case(
        db, school.teacher, learner_id, school.mobility_id, "school-dl", "1.0"
    )
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("A.1", 2), TargetDraft("B-1", 3)]
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Observed", "Used a manager", ("A.1", "B-1"))
    validation.advance(db, school.teacher, case.id)
    validation.record_assessment(db, school.teacher, case.id, "A.1", levels[0], "observation")
    validation.record_assessment(db, school.teacher, case.id, "B-1", levels[1], "interview")
    validation.advance(db, school.teacher, case.id)
    return certificates.issue(db, school.coordinator, case.id, signer)


@pytest.fixture
def school_framework(db, school, tmp_path):
    folder = tmp_path / "school-dl"
    import_csv(VECTOR).write(folder)
    return frameworks_library.add(db, school.admin, folder)


@pytest.mark.parametrize("workers", [1, 2])
def test_a_certificate_under_a_school_framework_is_printed_and_verifies(
    db, school, signer, school_framework, tmp_path, monkeypatch, workers
):
    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    first = certify_under_school_framework(db, school, signer, school.learner_id)
    second = certify_under_school_framework(db, school, signer, school.other_learner_id, (3, 1))
    assert first.snapshot["framework"]["id"] == "school-dl"
    # the workers are fresh processes: they know only the built-in frameworks by themselves
    monkeypatch.setattr(batch, "PARALLEL_FROM", 2)
    batch._LOADED.clear()
    result = printing.print_attestations(
        db,
        school.coordinator,
        [first.serial, second.serial],
        ["en"],
        tmp_path / "out",
        workers=workers,
    )
    assert len(result.files) == 2 and not result.skipped and result.combined is not None
    pdf = result.files[0].read_bytes()
    text = flat(pdf_text(pdf, tmp_path))
    assert "School digital literacy" in text
    assert "Searching" in text and "Strong passwords" in text
    assert "Practitioner" in text and "Expert" in text
    assert [r.qr_text for r in embedded_records(pdf)] == [first.qr_text]
    # the combined file names the school's framework too
    assert "School digital literacy" in flat(pdf_text(result.combined.read_bytes(), tmp_path))
    # the printed attestation verifies against the register, as a person's check would
    [verdict] = verification.verify_pdf(db, school.coordinator, pdf)
    assert verdict.verdict.name == "VALID", verdict.message
    # the Europass text names the school's competences
    europass = printing.europass_text(db, school.coordinator, second.serial, "en")
    assert "Strong passwords" in europass


def test_printing_refuses_a_school_framework_no_longer_in_the_library(
    db, school, signer, school_framework, tmp_path
):
    cert = certify_under_school_framework(db, school, signer, school.learner_id)
    with db.transaction() as session:  # gone by hand: the service refuses to remove it
        session.query(SchoolFramework).delete()
    with pytest.raises(WorkflowError, match=r"has no framework school-dl 1\.0"):
        printing.print_attestations(db, school.coordinator, [cert.serial], ["en"], tmp_path)


def test_a_worker_loads_only_the_framework_it_is_given(tmp_path):
    made = import_csv(VECTOR)
    options = batch.Options(("en",), frameworks={("school-dl", "1.0"): dict(made.files)})
    batch._LOADED.clear()
    loaded = batch.framework_for(("school-dl", "1.0"), options)
    assert loaded.key == ("school-dl", "1.0") and len(loaded.levels) == 3
    assert batch.framework_for(("school-dl", "1.0"), options) is loaded  # once per process
    assert batch.framework_for(("digcomp", "3.0"), options).id == "digcomp"
    with pytest.raises(LookupError):
        batch.framework_for(("school-dl", "2.0"), options)
    wrong = batch.Options(("en",), frameworks={("other", "1.0"): dict(made.files)})
    with pytest.raises(LookupError, match=r"hold school-dl 1\.0"):
        batch.framework_for(("other", "1.0"), wrong)
