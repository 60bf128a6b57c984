"""The four-stage validation path, as teachers, coordinators and learners live it."""

from __future__ import annotations

import pytest

from digcomp_app.services import certificates, evidence, learners, self_assessment, validation
from digcomp_app.services.errors import InvalidInput, PermissionDenied, WorkflowError
from digcomp_app.services.validation import TargetDraft
from tests.services.conftest import complete_self_assessment

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def open_seeded_case(db, school):
    complete_self_assessment(
        db,
        school.learner,
        school.mobility_id,
        "before",
        lambda c: 3 if c.startswith(("1.", "2.")) else None,
    )
    return validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)


def to_assessment(db, school):
    case = open_seeded_case(db, school)
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("1.1", 4, ("LO1.1.05",)), TargetDraft("2.1", 3)]
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_file(db, school.teacher, case.id, "report.pdf", PDF, "Report", ("1.1", "2.1"))
    return validation.advance(db, school.teacher, case.id)


def test_identification_is_seeded_from_the_self_assessment(db, school):
    case = open_seeded_case(db, school)
    assert case.stage == "identification"
    # Areas 1 and 2 were rated 3; the rest "not yet".
    assert {t.competence_id for t in case.targets} == {
        "1.1",
        "1.2",
        "1.3",
        "2.1",
        "2.2",
        "2.3",
        "2.4",
        "2.5",
        "2.6",
    }
    assert {t.level for t in case.targets} == {3}


def test_a_case_moves_one_stage_at_a_time_and_never_skips(db, school):
    case = open_seeded_case(db, school)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.1", 4)])
    case = validation.advance(db, school.teacher, case.id)
    assert case.stage == "documentation"
    with pytest.raises(WorkflowError, match="evidence"):
        validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Observed", "Searched well", ("1.1",))
    case = validation.advance(db, school.teacher, case.id)
    assert case.stage == "assessment"
    with pytest.raises(WorkflowError, match=r"1\.1"):
        validation.advance(db, school.teacher, case.id)  # nothing assessed yet
    with pytest.raises(WorkflowError):
        validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.2", 2)])
    validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "practical_task")
    case = validation.advance(db, school.teacher, case.id)  # sent to certification
    assert case.stage == "certification"
    with pytest.raises(WorkflowError):
        validation.advance(db, school.teacher, case.id)  # only issuing completes it
    assert [s.to_stage for s in case.history] == ["documentation", "assessment", "certification"]


def test_going_back_needs_a_reason_and_is_recorded(db, school):
    case = to_assessment(db, school)
    with pytest.raises(InvalidInput):
        validation.go_back(db, school.teacher, case.id, "  ")
    case = validation.go_back(db, school.teacher, case.id, "More evidence needed")
    assert case.stage == "documentation"
    assert case.history[-1].reason == "More evidence needed"


def test_coordinator_certifies_and_the_certificate_never_changes(db, school, signer):
    case = to_assessment(db, school)
    validation.record_assessment(
        db, school.teacher, case.id, "1.1", 4, "practical_task", "Izmantoja meklēšanas filtrus"
    )
    recorded = validation.record_assessment(db, school.teacher, case.id, "2.1", 3, "interview")
    assert recorded.assessor == "Teach"
    validation.advance(db, school.teacher, case.id)
    with pytest.raises(PermissionDenied):
        certificates.issue(db, school.teacher, case.id, signer)
    cert = certificates.issue(db, school.coordinator, case.id, signer)
    assert cert.status == "issued" and cert.serial.startswith("DC-")
    assert cert.holder == "Jānis Bērziņš"
    assert cert.snapshot["mobility"]["host"]["name"] == "Werkstatt GmbH"
    assert [
        (c["competence"], c["level"], c["method"], c["assessor"])
        for c in cert.snapshot["competences"]
    ] == [("1.1", 4, "practical_task", "Teach"), ("2.1", 3, "interview", "Teach")]
    certified = validation.get_case(db, school.teacher, case.id)
    assert certified.stage == "certified"
    assert [(a.competence_id, a.assessor) for a in certified.assessments] == [
        ("1.1", "Teach"),
        ("2.1", "Teach"),
    ]
    with pytest.raises(WorkflowError):
        validation.go_back(db, school.teacher, case.id, "typo")
    # Correction: revoke with a reason, fix, issue a new one that names the old.
    with pytest.raises(InvalidInput):
        certificates.revoke(db, school.coordinator, cert.serial, "")
    revoked = certificates.revoke(db, school.coordinator, cert.serial, "Wrong level in 2.1")
    assert revoked.status == "revoked" and revoked.revoke_reason == "Wrong level in 2.1"
    validation.go_back(db, school.teacher, case.id, "Correct 2.1")
    latest = validation.get_case(db, school.teacher, case.id).assessment_for("2.1")
    validation.record_assessment(
        db, school.teacher, case.id, "2.1", 2, "interview", expected_version=latest.version
    )
    validation.advance(db, school.teacher, case.id)
    second = certificates.issue(db, school.coordinator, case.id, signer)
    assert second.replaces_serial == cert.serial and second.serial != cert.serial
    assert certificates.get(db, school.coordinator, cert.serial).snapshot == cert.snapshot
    register = certificates.list_register(db, school.coordinator)
    assert [(c.serial, c.status, c.issued_by) for c in register] == [
        (cert.serial, "revoked", "Coord"),
        (second.serial, "issued", "Coord"),
    ]


def test_learners_and_teachers_reach_only_their_own_learners(db, school):
    case = open_seeded_case(db, school)
    # The learner sees their own case; another learner and an unassigned teacher do not.
    assert validation.get_case(db, school.learner, case.id).learner_name == "Jānis Bērziņš"
    with pytest.raises(PermissionDenied):
        validation.get_case(db, school.other_learner, case.id)
    with pytest.raises(PermissionDenied):
        validation.get_case(db, school.other_teacher, case.id)
    with pytest.raises(PermissionDenied):
        learners.get_record(db, school.other_learner, school.learner_id)
    # A teacher's search covers only their mobilities' and groups' learners.
    assert [x.surname for x in learners.search(db, school.teacher, "")] == ["Bērziņš"]
    assert learners.search(db, school.other_teacher, "berz") == []
    assert [x.surname for x in learners.search(db, school.coordinator, "kalnina liga")] == [
        "Kalniņa"
    ]


def test_before_after_comparison_and_self_vs_assessed_gap(db, school):
    complete_self_assessment(db, school.learner, school.mobility_id, "before", lambda c: 2)
    complete_self_assessment(
        db, school.learner, school.mobility_id, "after", lambda c: 5 if c == "1.1" else 2
    )
    comparison = self_assessment.compare(db, school.learner, school.learner_id, school.mobility_id)
    row = next(r for r in comparison.rows if r.competence_id == "1.1")
    assert (row.before, row.after, row.change) == (2, 5, 3)
    assert len(self_assessment.history(db, school.teacher, school.learner_id)) == 2
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("1.1", 4), TargetDraft("1.2", 2)]
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_link(
        db, school.teacher, case.id, "https://example.org/work", "Portfolio", ("1.1",)
    )
    validation.advance(db, school.teacher, case.id)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 3, "observation")
    validation.record_assessment(db, school.teacher, case.id, "1.2", 2, "observation")
    gaps = {g.competence_id: g for g in validation.self_vs_assessed(db, school.teacher, case.id)}
    assert (gaps["1.1"].self_level, gaps["1.1"].assessed_level, gaps["1.1"].flagged) == (5, 3, True)
    assert gaps["1.2"].flagged is False


def test_self_assessment_is_saved_as_given_and_resumable(db, school):
    started = self_assessment.start(
        db, school.learner, mobility_id=school.mobility_id, moment="before"
    )
    self_assessment.answer(db, school.learner, started.id, "1.1", 3, ("CS1.1.05",), "Google")
    self_assessment.answer(db, school.learner, started.id, "1.2", None)
    resumed = self_assessment.start(
        db, school.learner, mobility_id=school.mobility_id, moment="before"
    )
    assert resumed.id == started.id
    assert resumed.answer_for("1.1").ticked == ("CS1.1.05",)
    assert resumed.answer_for("1.2").level is None
    with pytest.raises(WorkflowError, match=r"1\.3"):
        self_assessment.complete(db, school.learner, started.id)
    with pytest.raises(InvalidInput):
        self_assessment.answer(db, school.learner, started.id, "1.1", 3, ("CS2.1.01",))
    with pytest.raises(PermissionDenied):
        self_assessment.answer(db, school.other_learner, started.id, "1.3", 2)
