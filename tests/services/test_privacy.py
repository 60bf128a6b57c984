"""A learner's data export (issue 11, privacy): the zip's JSON, their evidence files,
nothing of other people, who may export whose data, and the export in the audit log."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from digcomp_app.framework.digcompsat import builtin_bank
from digcomp_app.services import (
    certificates,
    evidence,
    mobilities,
    privacy,
    skills_test,
    validation,
)
from digcomp_app.services.errors import PermissionDenied
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import AuditEvent, User
from tests.services.conftest import complete_self_assessment, make_signer, prepared
from tests.services.test_skills_test import take

SPEC = Path(__file__).resolve().parents[2] / "docs" / "learner-export.md"
REPORT = "Mans pārskats: meklēju informāciju un salīdzināju avotus.\n".encode() * 50


def certify_with_file(db, school, signer, learner, learner_id):
    """A case with a self-assessment, a note and a file as evidence, assessed and issued."""
    complete_self_assessment(
        db, learner, school.mobility_id, "before", lambda c: 3 if c.startswith("1.") else None
    )
    case = validation.open_case(db, school.teacher, learner_id, school.mobility_id)
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("1.1", 4, ("LO1.1.05",)), TargetDraft("2.1", 3)]
    )
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Observed", "Searched well", ("1.1", "2.1"))
    item = evidence.add_file(db, learner, case.id, "pārskats.txt", REPORT, "Report", ("1.1",))
    validation.advance(db, school.teacher, case.id)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "practical_task")
    validation.record_assessment(db, school.teacher, case.id, "2.1", 3, "interview")
    validation.advance(db, school.teacher, case.id)
    return certificates.issue(db, school.coordinator, case.id, signer), item


@pytest.fixture
def exported(db, school, request):
    """``export_made``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "exported")
    return made if made is not None else export_made(db, school, request.getfixturevalue("signer"))


def export_made(db, school, signer=None):
    """Both learners certified with a file as evidence, and Jānis's data exported (the
    school's signing key made first when no ``signer`` is given)."""
    signer = signer or make_signer(db, school)
    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    certificate, item = certify_with_file(db, school, signer, school.learner, school.learner_id)
    # another learner's records must not leak into the export
    certify_with_file(db, school, signer, school.other_learner, school.other_learner_id)
    mobilities.set_europass_number(
        db, school.coordinator, school.mobility_id, school.learner_id, "LV-2026-000123"
    )
    data = privacy.export_learner(db, school.coordinator, school.learner_id)
    return certificate, item, data


def read(data: bytes) -> tuple[dict, zipfile.ZipFile]:
    archive = zipfile.ZipFile(io.BytesIO(data))
    return json.loads(archive.read("learner.json")), archive


def test_the_export_holds_the_learners_records_and_files(db, school, exported):
    certificate, item, data = exported
    document, archive = read(data)
    assert document["format"] == privacy.FORMAT and document["format_version"] == 1
    assert document["learner"]["surname"] == "Bērziņš"
    assert document["learner"]["date_of_birth"] == "2007-05-01"
    assert document["account"]["username"] == "janis"
    assert document["account"]["roles"] == ["learner"]
    [mobility] = document["mobilities"]
    assert (mobility["code"], mobility["europass_number"]) == ("ER-2026-01", "LV-2026-000123")
    assert mobility["start_date"] == "2026-03-01"
    [sa] = document["self_assessments"]
    assert sa["completed_at"] and len(sa["answers"]) == 21
    answer = next(a for a in sa["answers"] if a["competence_id"] == "1.1")
    assert answer["level"] == 3
    [case] = document["validation_cases"]
    assert case["stage"] == "certified"
    assert [(t["competence_id"], t["target_level"]) for t in case["targets"]] == [
        ("1.1", 4),
        ("2.1", 3),
    ]
    assert [
        (a["competence_id"], a["level"], a["method"], a["assessor"]) for a in case["assessments"]
    ] == [("1.1", 4, "practical_task", "Teach"), ("2.1", 3, "interview", "Teach")]
    assert [s["to_stage"] for s in case["stage_history"]] == [
        "documentation",
        "assessment",
        "certification",
        "certified",
    ]
    kinds = {e["kind"]: e for e in case["evidence"]}
    assert kinds["note"]["file"] is None
    member = kinds["file"]["file"]
    assert member == f"evidence/{item.id}-pārskats.txt"
    assert archive.read(member) == REPORT
    assert kinds["file"]["size"] == len(REPORT) and kinds["file"]["sha256"] == item.sha256
    assert document["skills_tests"] == []  # took none
    [cert] = document["certificates"]
    assert cert["serial"] == certificate.serial and cert["status"] == "issued"
    assert isinstance(cert["snapshot"], dict)
    assert document["audit_events"], "the learner's audit trail is part of their data"
    assert any(e["by_learner"] for e in document["audit_events"])
    assert set(archive.namelist()) == {"README.txt", "learner.json", member}
    readme = archive.read("README.txt").decode()
    assert "learner.json" in readme and "izglītojamā" in readme


def test_no_password_hash_and_nothing_of_other_learners(db, school, exported):
    _certificate, _item, data = exported
    with db.transaction() as session:
        hashes = [u.password_hash for u in session.scalars(select(User))]
    raw = b"".join(
        zipfile.ZipFile(io.BytesIO(data)).read(name)
        for name in zipfile.ZipFile(io.BytesIO(data)).namelist()
    ).decode("utf-8", "replace")
    for password_hash in hashes:
        assert password_hash not in raw
    assert "argon2" not in raw
    assert "Kalniņa" not in raw and '"liga"' not in raw  # her name, her user name
    document, _archive = read(data)
    assert "password_hash" not in json.dumps(document)
    assert "Līga" not in json.dumps(document, ensure_ascii=False)


def test_the_export_is_audited_with_counts_only(db, school, exported):
    with db.transaction() as session:
        event = session.scalars(
            select(AuditEvent).where(AuditEvent.action == "privacy.export_learner")
        ).one()
    assert (event.actor, event.entity, event.entity_id) == (
        "coord",
        "learner",
        str(school.learner_id),
    )
    assert event.details == {
        "self_assessments": 1,
        "skills_tests": 0,
        "cases": 1,
        "evidence_items": 2,
        "evidence_files": 1,
        "certificates": 1,
        "audit_events": event.details["audit_events"],
    }


def answer_for(item) -> int:
    """Answers that give each band somewhere, and knowledge and skills apart."""
    base = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 2}[item.area]
    return max(0, base - 1) if item.type == "skills" else base


def test_the_export_holds_the_skills_tests_as_the_services_report_them(db, school):
    """A finished test with its answers in the test's order and the result the services
    show; an unfinished one with its answers so far and no result; nobody else's."""
    done = take(
        db,
        school.learner,
        school.mobility_id,
        "before",
        value_for=lambda item: None if item.id == "Q2" else answer_for(item),
    )
    begun = skills_test.start(db, school.learner, "en", school.mobility_id, "after")
    skills_test.answer(db, school.learner, begun.id, "Q5", 3)
    take(db, school.other_learner, value_for=lambda item: 0)
    document, _archive = read(privacy.export_learner(db, school.coordinator, school.learner_id))
    finished, unfinished = document["skills_tests"]

    stored = skills_test.get(db, school.coordinator, done.id)
    assert (finished["id"], finished["mobility_id"], finished["moment"]) == (
        done.id,
        school.mobility_id,
        "before",
    )
    assert finished["language"] == "lv" and finished["completed_at"].endswith("Z")
    assert finished["item_bank"] == {
        "id": "digcompsat",
        "framework": {"id": "digcomp", "version": "2.2"},
    }
    bank = builtin_bank()
    assert [a["item_id"] for a in finished["answers"]] == [i.id for i in bank.items]
    assert {a["item_id"]: a["value"] for a in finished["answers"]} == dict(stored.answers)
    assert finished["answers"][1]["value"] is None  # Q2: "unclear to me"
    assert all(
        (a["competence_id"], a["type"])
        == (bank.item(a["item_id"]).competence, bank.item(a["item_id"]).type)
        for a in finished["answers"]
    )

    shown = skills_test.result(db, school.coordinator, done.id).result
    scores = finished["scores"]
    assert (scores["answered"], scores["unclear"], scores["total"]) == (81, 1, 82)
    for exported, profiles in (
        (scores["competences"], shown.competences),
        (scores["areas"], shown.areas),
    ):
        assert [p["id"] for p in exported] == [p.id for p in profiles]
        for row, profile in zip(exported, profiles, strict=True):
            for name, figures in (("", profile.overall), *profile.by_type.items()):
                written = row if not name else row["by_type"][name]
                assert written["percent"] == figures.percent, (profile.id, name)
                assert written["band"] == (figures.band.id if figures.band else None)
                assert written["levels"] == (list(figures.band.levels) if figures.band else None)
                assert (written["answered"], written["unclear"], written["unanswered"]) == (
                    figures.answered,
                    figures.unclear,
                    figures.unanswered,
                )
    assert {p["band"] for p in scores["competences"]} == {
        "low",
        "foundation",
        "intermediate",
        "advanced",
    }

    assert unfinished["id"] == begun.id and unfinished["completed_at"] is None
    assert unfinished["scores"] is None
    assert [(a["item_id"], a["value"]) for a in unfinished["answers"]] == [("Q5", 3)]
    actions = {(e["action"], e["entity"]) for e in document["audit_events"]}
    assert ("skills_test.complete", "skills_test") in actions


def test_who_may_export_whose_data(db, school):
    with pytest.raises(PermissionDenied):
        privacy.export_learner(db, school.teacher, school.learner_id)
    with pytest.raises(PermissionDenied):
        privacy.export_learner(db, school.learner, school.other_learner_id)
    own, _archive = read(privacy.export_learner(db, school.learner, school.learner_id))
    assert own["learner"]["id"] == school.learner_id and own["exported_by"] == "Jānis"
    administrator, _archive = read(
        privacy.export_learner(db, school.admin, school.other_learner_id)
    )
    assert administrator["learner"]["surname"] == "Kalniņa"
    with db.transaction() as session:
        refused = session.scalars(
            select(AuditEvent).where(
                AuditEvent.action == "privacy.export_learner", AuditEvent.outcome == "denied"
            )
        ).all()
    assert {e.actor for e in refused} == {"teach", "janis"}


def test_saving_to_a_file_streams_and_leaves_nothing_on_failure(db, school, tmp_path):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.1", 4)])
    validation.advance(db, school.teacher, case.id)
    evidence.add_file(db, school.teacher, case.id, "a.txt", b"hello", "A", ("1.1",))
    target = tmp_path / "out" / "export.zip"
    steps = []
    summary = privacy.save_learner_export(
        db, school.coordinator, school.learner_id, target, lambda *a: steps.append(a)
    )
    assert target.exists() and summary.size == target.stat().st_size
    assert summary.evidence_files == 1 and steps[-1][:2] == (2, 2)
    document, archive = read(target.read_bytes())
    assert document["learner"]["id"] == school.learner_id
    assert archive.read(document["validation_cases"][0]["evidence"][0]["file"]) == b"hello"
    with pytest.raises(privacy.Cancelled):
        privacy.save_learner_export(
            db, school.coordinator, school.learner_id, tmp_path / "stopped.zip", None, lambda: True
        )
    assert not (tmp_path / "stopped.zip").exists()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".export-")]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["export.zip"]


def shape(value: Any) -> Any:
    """The field names and kinds of a JSON value (a list by its first element; null is any
    kind)."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return None if value is None else type(value).__name__


def assert_same_shape(documented: Any, real: Any, where: str) -> None:
    if isinstance(documented, dict) and isinstance(real, dict):
        assert set(documented) == set(real), (where, set(documented) ^ set(real))
        for key in documented:
            if key != "snapshot":  # elided in the example
                assert_same_shape(documented[key], real[key], f"{where}.{key}")
    elif isinstance(documented, list) and isinstance(real, list):
        if documented and real:
            assert_same_shape(documented[0], real[0], f"{where}[0]")
    elif documented is not None and real is not None:
        assert shape(documented) == shape(real), where


def test_the_documented_example_has_the_exports_fields(db, school, exported):
    """The example in docs/learner-export.md is a real export shortened: every object in
    it has the fields, of the kinds, that an export made now has."""
    take(db, school.learner, school.mobility_id, "before", value_for=answer_for)
    real, _archive = read(privacy.export_learner(db, school.coordinator, school.learner_id))
    text = SPEC.read_text(encoding="utf-8")
    example = json.loads(text.split("```json\n", 1)[1].split("\n```", 1)[0])
    assert example["format_version"] == privacy.FORMAT_VERSION
    assert example["skills_tests"] and real["skills_tests"]
    assert_same_shape(example, real, "learner.json")
