"""Retention rules: set by the administrator, a preview of exactly what goes, and an apply
that removes what the preview listed and nothing else."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from digcomp_app.services import evidence, learners, mobilities, retention, validation
from digcomp_app.services.errors import InvalidInput, PermissionDenied
from digcomp_app.storage.models import EvidenceBlob, EvidenceItem, Learner

OLD_FILE = b"old placement photo description\n" * 20
NEW_FILE = b"this year's work\n" * 20


@pytest.fixture
def aged(db, school):
    """An old mobility (ended 2019) with a file of Janis, the current one with a file, and
    Liga deactivated (she left)."""
    old = mobilities.create(
        db,
        school.coordinator,
        mobilities.MobilityDraft(
            "ER-2019-01",
            "Old placement",
            school.home_id,
            school.host_id,
            "DE",
            dt.date(2019, 3, 1),
            dt.date(2019, 3, 28),
        ),
    )
    mobilities.add_participants(db, school.coordinator, old.id, [school.learner_id])
    mobilities.assign_teacher(db, school.coordinator, old.id, school.teacher.user_id)
    files = {}
    for mobility_id, content in ((old.id, OLD_FILE), (school.mobility_id, NEW_FILE)):
        case = validation.open_case(db, school.teacher, school.learner_id, mobility_id)
        validation.set_targets(db, school.teacher, case.id, [validation.TargetDraft("1.1", 3)])
        validation.advance(db, school.teacher, case.id)
        evidence.add_note(db, school.teacher, case.id, "Observed", "kept", ("1.1",))
        files[mobility_id] = evidence.add_file(
            db, school.teacher, case.id, "work.txt", content, "Work", ("1.1",)
        )
    learners.set_active(db, school.coordinator, school.other_learner_id, False)
    return files[old.id], files[school.mobility_id]


def test_rules_are_off_until_set_and_checked(db, school):
    assert retention.retention_rules(db, school.admin) == retention.RetentionRules(None, None)
    assert retention.retention_preview(db, school.admin).empty
    for bad in (0, -1, 51, "three", 2.5, True):
        with pytest.raises(InvalidInput) as refused:
            retention.set_retention_rules(db, school.admin, bad, None)
        assert refused.value.field == "evidence_years"
    with pytest.raises(InvalidInput) as refused:
        retention.set_retention_rules(db, school.admin, None, "x")
    assert refused.value.field == "learner_years"
    rules = retention.set_retention_rules(db, school.admin, "5", 2)
    assert rules == retention.RetentionRules(5, 2)
    assert retention.retention_rules(db, school.coordinator) == rules
    for who in (school.coordinator, school.teacher):
        with pytest.raises(PermissionDenied):
            retention.set_retention_rules(db, who, 1, 1)
        with pytest.raises(PermissionDenied):
            retention.retention_preview(db, who)


def test_the_preview_lists_what_is_due_and_apply_removes_exactly_that(db, school, aged):
    old_file, new_file = aged
    retention.set_retention_rules(db, school.admin, 5, 3)
    today = retention.retention_preview(db, school.admin)
    # the 2019 mobility ended more than 5 years ago; Liga left today: not yet due
    assert [f.evidence_id for f in today.files] == [old_file.id]
    assert today.files[0].ended_on == dt.date(2019, 3, 28)
    assert today.files[0].due_on == dt.date(2024, 3, 28)
    assert today.files[0].size == len(OLD_FILE)
    assert today.learners == ()

    later = retention.retention_preview(
        db, school.admin, dt.date.today() + dt.timedelta(days=4 * 366)
    )
    assert [d.full_name for d in later.learners] == ["Līga Kalniņa"]
    assert [f.evidence_id for f in later.files] == [old_file.id]

    result = retention.apply_retention(db, school.admin, later)
    assert (result.files_deleted, result.learners_erased, result.skipped) == (1, 1, 0)
    with db.transaction() as session:
        assert session.get(EvidenceItem, old_file.id) is None
        assert session.get(EvidenceBlob, old_file.sha256) is None
        assert session.get(EvidenceItem, new_file.id) is not None  # not in the preview
        notes = session.scalars(select(EvidenceItem).where(EvidenceItem.kind == "note")).all()
        assert len(notes) == 2  # notes and links are not files: they stay
        liga = session.get(Learner, school.other_learner_id)
        assert liga.erased_at is not None and liga.given_names == ""
        janis = session.get(Learner, school.learner_id)
        assert janis.erased_at is None and janis.surname == "Bērziņš"
    # the same preview again: nothing left to do
    assert retention.retention_preview(db, school.admin, later.as_of).empty


def test_apply_does_not_go_beyond_its_preview(db, school, aged):
    old_file, new_file = aged
    retention.set_retention_rules(db, school.admin, 5, None)
    plan = retention.retention_preview(db, school.admin)
    assert [f.evidence_id for f in plan.files] == [old_file.id]
    # meanwhile the rule becomes stricter: the current file would be due too, but the
    # preview did not show it, so it is kept
    retention.set_retention_rules(db, school.admin, 1, None)
    result = retention.apply_retention(db, school.admin, plan)
    assert (result.files_deleted, result.skipped) == (1, 0)
    with db.transaction() as session:
        assert session.get(EvidenceItem, new_file.id) is not None
    # an item of the preview that is no longer due (the rule was turned off) is skipped
    plan = retention.retention_preview(db, school.admin, dt.date.today() + dt.timedelta(days=800))
    assert [f.evidence_id for f in plan.files] == [new_file.id]
    retention.set_retention_rules(db, school.admin, None, None)
    result = retention.apply_retention(db, school.admin, plan)
    assert (result.files_deleted, result.skipped) == (0, 1)
    with db.transaction() as session:
        assert session.get(EvidenceItem, new_file.id) is not None
    with pytest.raises(InvalidInput):
        retention.apply_retention(db, school.admin, "everything")


def test_a_learner_reactivated_is_no_longer_due(db, school, aged):
    retention.set_retention_rules(db, school.admin, None, 1)
    later = dt.date.today() + dt.timedelta(days=400)
    assert [
        d.learner_id for d in retention.retention_preview(db, school.admin, later).learners
    ] == [school.other_learner_id]
    learners.set_active(db, school.coordinator, school.other_learner_id, True)
    assert retention.retention_preview(db, school.admin, later).learners == ()
