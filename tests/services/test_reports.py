"""The learner's profile and the mobility summary as services: who may print them, and
what they show."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from digcomp_app.services import mobilities, reports, skills_test
from digcomp_app.services.errors import InvalidInput, NotFound, PermissionDenied
from digcomp_app.storage.models import AuditEvent
from tests.documents.conftest import flat, pdf_text
from tests.services.conftest import complete_self_assessment
from tests.services.test_printing import certify
from tests.services.test_skills_test import take


def test_a_learner_gets_their_own_profile_and_no_one_elses(db, school, tmp_path):
    complete_self_assessment(db, school.learner, school.mobility_id, "before", lambda c: 2)
    complete_self_assessment(
        db, school.learner, school.mobility_id, "after", lambda c: 5 if c == "1.1" else 3
    )
    report = reports.profile(db, school.learner, school.learner_id, "en")
    assert report.file_name == "profile_Janis-Berzins_en.pdf"
    text = flat(pdf_text(report.pdf, tmp_path))
    assert "Jānis Bērziņš" in text and "Rīgas Valsts tehnikums" in text
    assert "Self-assessment results" in text and "Before and after" in text
    assert "+3" in text  # 1.1: from 2 to 5
    assert "Digital skills test" not in text  # took none
    with pytest.raises(PermissionDenied):
        reports.profile(db, school.other_learner, school.learner_id, "en")
    with db.transaction() as session:
        events = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(2)).all()
    assert [(e.action, e.outcome) for e in events] == [
        ("reports.profile", "denied"),
        ("reports.profile", "ok"),
    ]


def test_teachers_see_their_learners_profiles_only(db, school, signer, tmp_path):
    certify(db, school, signer, school.learner, school.learner_id, (2, 3))
    # the learner rated 1.1 at 3 (area 1) and was assessed 2: a gap of one, no flag
    report = reports.profile(db, school.teacher, school.learner_id, "lv", school.mobility_id)
    text = flat(pdf_text(report.pdf, tmp_path))
    assert "Jānis Bērziņš" in text and "Placement in Munich" in text
    assert "Informācijas pārlūkošana" in text
    with pytest.raises(PermissionDenied):
        reports.profile(db, school.other_teacher, school.learner_id, "lv")
    assert reports.profile(db, school.coordinator, school.learner_id, "lv").pdf.startswith(b"%PDF")


def test_own_rating_far_from_the_assessed_level_is_flagged(db, school, signer, tmp_path):
    certify(db, school, signer, school.learner, school.learner_id, (5, 3))
    # own rating of 1.1: 3 (the "before" self-assessment); assessed 5: two levels apart
    text = flat(
        pdf_text(reports.profile(db, school.coordinator, school.learner_id, "en").pdf, tmp_path)
    )
    assert "differ by 2 or more" in text


def test_the_profile_sets_the_skills_test_beside_the_own_rating(db, school, tmp_path):
    complete_self_assessment(
        db, school.learner, None, "other", lambda c: 6 if c.startswith("2.") else 3
    )
    # area 2 all 1 of 3 (33 %, Foundation: levels 1-2, four below the own 6), the rest 2
    done = take(db, school.learner, value_for=lambda item: 1 if item.area == "2" else 2)
    shown = skills_test.result(db, school.coordinator, done.id)
    report = reports.profile(db, school.coordinator, school.learner_id, "en")
    text = pdf_text(report.pdf, tmp_path, layout=True)
    assert "Digital skills test" in text and "82 of 82 items answered" in flat(text)
    table, by_type = text.split("test band", 1)[1].split("Knowledge, skills and attitudes apart")
    lines = {line.split()[0]: line for line in table.splitlines() if line.strip()}
    names = {"foundation": "Foundation", "intermediate": "Intermediate"}
    for profile in shown.result.competences:
        compared = shown.compared_for(profile.id)
        line = lines[profile.id]
        assert f"{profile.overall.percent}% {names[profile.band.id]}" in line, line
        assert line.split()[-1] == str(compared.own_level), line
        assert compared.large == profile.id.startswith("2."), profile.id
    area = shown.result.area("2")
    assert "33% Foundation" in lines["2"] and lines["2"].split()[-1] == "6"
    assert area.overall.percent == 33
    knowledge, skills, attitudes = (
        area.by_type[k].percent for k in ("knowledge", "skills", "attitudes")
    )
    row = next(line for line in by_type.splitlines() if line.strip().startswith("2 "))
    assert row.split("collaboration", 1)[1].split() == [
        f"{knowledge}%",
        "Foundation",
        f"{skills}%",
        "Foundation",
        f"{attitudes}%",
        "Foundation",
    ]
    latvian = flat(
        pdf_text(reports.profile(db, school.learner, school.learner_id, "lv").pdf, tmp_path)
    )
    assert "Digitālo prasmju tests" in latvian
    assert "Zināšanas, prasmes un attieksme atsevišķi" in latvian and "Pamatlīmenis" in latvian


def test_an_unfinished_skills_test_is_not_in_the_profile(db, school, tmp_path):
    complete_self_assessment(db, school.learner, None, "other", lambda c: 3)
    begun = skills_test.start(db, school.learner, "en")
    skills_test.answer(db, school.learner, begun.id, "Q1", 3)
    text = flat(
        pdf_text(reports.profile(db, school.coordinator, school.learner_id, "en").pdf, tmp_path)
    )
    assert "Self-assessment results" in text and "Digital skills test" not in text


def test_profile_input_is_checked(db, school):
    with pytest.raises(InvalidInput):
        reports.profile(db, school.coordinator, school.learner_id, "de")
    with pytest.raises(InvalidInput):
        # Līga does not take part in the mobility
        reports.profile(db, school.coordinator, school.other_learner_id, "en", school.mobility_id)
    with pytest.raises(NotFound):
        reports.profile(db, school.coordinator, 999, "en")


def test_mobility_summary_for_the_coordinator(db, school, signer, tmp_path):
    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    cert = certify(db, school, signer, school.learner, school.learner_id, (4, 3))
    report = reports.mobility_summary(db, school.coordinator, "ER-2026-01", "en")
    assert report.file_name == "mobility-summary_ER-2026-01_en.pdf"
    text = pdf_text(report.pdf, tmp_path)
    assert "Jānis Bērziņš" in text and "Līga Kalniņa" in text
    assert f"certified, {cert.serial}" in text
    assert "recognition not started" in text  # Līga has no case yet
    assert "Browsing, searching and filtering information" in flat(text)
    latvian = pdf_text(
        reports.mobility_summary(db, school.coordinator, "ER-2026-01", "lv").pdf, tmp_path
    )
    assert "Vācija" in latvian
    with pytest.raises(PermissionDenied):
        reports.mobility_summary(db, school.teacher, "ER-2026-01", "en")
    with pytest.raises(NotFound):
        reports.mobility_summary(db, school.coordinator, "NO-SUCH", "en")
