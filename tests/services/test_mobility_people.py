"""Who takes part in a mobility and who supervises it: listing, removing, and who may see it."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import select

from digcomp_app.services import (
    accounts,
    certificates,
    evidence,
    learners,
    mobilities,
    validation,
)
from digcomp_app.services.errors import NotFound, PermissionDenied, WorkflowError
from digcomp_app.services.permissions import PERMISSIONS, Role
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import AuditEvent
from tests.services.conftest import PASSWORD

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def last_event(db):
    with db.transaction() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        # "rows" holds the audited values of the records changed (tests/services/test_audit_rows.py)
        details = {k: v for k, v in (event.details or {}).items() if k != "rows"}
        return event.actor, event.action, event.outcome, event.entity_id, details


def test_the_permission_table_names_who_may_do_what():
    assert PERMISSIONS["mobilities.list_participants"] == {Role.TEACHER, Role.COORDINATOR}
    assert PERMISSIONS["mobilities.list_teachers"] == {Role.TEACHER, Role.COORDINATOR}
    assert PERMISSIONS["mobilities.remove_participant"] == {Role.COORDINATOR}
    assert PERMISSIONS["mobilities.unassign_teacher"] == {Role.COORDINATOR}
    # administrators too: they give groups their teachers when setting up a school
    assert PERMISSIONS["accounts.list_teachers"] == {Role.COORDINATOR, Role.ADMINISTRATOR}


def test_participants_are_listed_by_surname_with_their_europass_number(db, school):
    coordinator = school.coordinator
    anna = learners.create(db, coordinator, "Anna", "Zariņa", dt.date(2007, 9, 9))
    mobilities.add_participants(
        db, coordinator, school.mobility_id, [anna.id, school.other_learner_id]
    )
    mobilities.set_europass_number(
        db, coordinator, school.mobility_id, school.learner_id, "LV/2026/0001"
    )
    found = mobilities.list_participants(db, coordinator, school.mobility_id)
    assert [p.surname for p in found] == ["Bērziņš", "Kalniņa", "Zariņa"]
    first = found[0]
    assert (first.learner_id, first.given_names, first.date_of_birth) == (
        school.learner_id,
        "Jānis",
        dt.date(2007, 5, 1),
    )
    assert first.europass_number == "LV/2026/0001" and found[1].europass_number == ""
    assert first.full_name == "Jānis Bērziņš"
    # the mobility's own teacher sees the same list
    assert mobilities.list_participants(db, school.teacher, school.mobility_id) == found


def test_teachers_of_a_mobility_are_listed(db, school):
    mobilities.assign_teacher(
        db, school.coordinator, school.mobility_id, school.other_teacher.user_id
    )
    found = mobilities.list_teachers(db, school.coordinator, school.mobility_id)
    assert [(t.user_id, t.username, t.display_name) for t in found] == [
        (school.teacher.user_id, "teach", "Teach"),
        (school.other_teacher.user_id, "teach2", "Teach2"),
    ]
    assert mobilities.list_teachers(db, school.teacher, school.mobility_id) == found


def test_a_teacher_not_on_the_mobility_sees_neither_list_and_it_is_audited(db, school):
    for function in (mobilities.list_participants, mobilities.list_teachers):
        with pytest.raises(PermissionDenied):
            function(db, school.other_teacher, school.mobility_id)
        assert last_event(db)[:4] == (
            "teach2",
            function.__permission__,
            "denied",
            str(school.mobility_id),
        )
    with pytest.raises(NotFound):
        mobilities.list_participants(db, school.coordinator, 999_999)
    for learner in (school.learner, school.admin):
        with pytest.raises(PermissionDenied):
            mobilities.list_participants(db, learner, school.mobility_id)


def test_a_participant_is_removed_and_it_is_audited(db, school):
    coordinator = school.coordinator
    mobilities.add_participants(db, coordinator, school.mobility_id, [school.other_learner_id])
    info = mobilities.remove_participant(
        db, coordinator, school.mobility_id, school.other_learner_id
    )
    assert info.participant_count == 1
    assert [p.learner_id for p in mobilities.list_participants(db, coordinator, info.id)] == [
        school.learner_id
    ]
    assert last_event(db) == (
        "coord",
        "mobilities.remove_participant",
        "ok",
        str(school.mobility_id),
        {"learner": school.other_learner_id},
    )
    with pytest.raises(NotFound):  # not (any longer) a participant
        mobilities.remove_participant(db, coordinator, school.mobility_id, school.other_learner_id)
    with pytest.raises(PermissionDenied):
        mobilities.remove_participant(db, school.teacher, school.mobility_id, school.learner_id)


def test_a_participant_with_a_case_or_certificate_is_not_removed(db, school, signer):
    coordinator, teacher = school.coordinator, school.teacher
    case = validation.open_case(db, teacher, school.learner_id, school.mobility_id)
    with pytest.raises(WorkflowError, match="validation case"):
        mobilities.remove_participant(db, coordinator, school.mobility_id, school.learner_id)
    assert mobilities.get(db, coordinator, school.mobility_id).participant_count == 1

    validation.set_targets(db, teacher, case.id, [TargetDraft("1.1", 4)])
    validation.advance(db, teacher, case.id)
    evidence.add_file(db, teacher, case.id, "report.pdf", PDF, "Report", ("1.1",))
    validation.advance(db, teacher, case.id)
    validation.record_assessment(db, teacher, case.id, "1.1", 4, "practical_task")
    validation.advance(db, teacher, case.id)
    certificates.issue(db, coordinator, case.id, signer)
    with pytest.raises(WorkflowError, match="certificate"):
        mobilities.remove_participant(db, coordinator, school.mobility_id, school.learner_id)
    assert [p.learner_id for p in mobilities.list_participants(db, coordinator, case.mobility_id)]


def test_a_teacher_is_unassigned_and_no_longer_sees_the_mobility(db, school):
    coordinator = school.coordinator
    mobilities.unassign_teacher(db, coordinator, school.mobility_id, school.teacher.user_id)
    assert last_event(db) == (
        "coord",
        "mobilities.unassign_teacher",
        "ok",
        str(school.mobility_id),
        {"teacher": school.teacher.user_id},
    )
    assert mobilities.list_teachers(db, coordinator, school.mobility_id) == []
    assert mobilities.list_all(db, school.teacher) == []
    with pytest.raises(PermissionDenied):
        mobilities.list_participants(db, school.teacher, school.mobility_id)
    with pytest.raises(NotFound):
        mobilities.unassign_teacher(db, coordinator, school.mobility_id, school.teacher.user_id)
    with pytest.raises(PermissionDenied):
        mobilities.unassign_teacher(db, school.teacher, school.mobility_id, 1)


def test_list_teachers_gives_the_active_teachers_only(db, school):
    found = accounts.list_teachers(db, school.coordinator)
    assert [u.username for u in found] == ["teach", "teach2"]
    assert all(Role.TEACHER in u.roles and u.active for u in found)
    accounts.set_active(db, school.admin, school.other_teacher.user_id, False)
    accounts.create_user(
        db, school.admin, "both", "Baiba Both", PASSWORD, ["teacher", "coordinator"]
    )
    assert [u.username for u in accounts.list_teachers(db, school.coordinator)] == [
        "both",
        "teach",
    ]
    assert accounts.list_teachers(db, school.admin) == accounts.list_teachers(
        db, school.coordinator
    )
    for actor in (school.teacher, school.learner):
        with pytest.raises(PermissionDenied):
            accounts.list_teachers(db, actor)


def test_a_teacher_sees_a_mobility_of_a_learner_in_their_group(db, school):
    coordinator, other = school.coordinator, school.other_teacher
    with pytest.raises(PermissionDenied):
        mobilities.get(db, other, school.mobility_id)
    group = learners.create_group(db, coordinator, "DT-2", "2025/2026")
    learners.add_to_group(db, coordinator, group.id, [school.learner_id])
    learners.assign_group_teacher(db, coordinator, group.id, other.user_id)
    assert mobilities.get(db, other, school.mobility_id).title == "Placement in Munich"
    # ...but it is not one of theirs: not listed, and its people are not shown to them
    assert mobilities.list_all(db, other) == []
    with pytest.raises(PermissionDenied):
        mobilities.list_participants(db, other, school.mobility_id)
    # a learner of the group on no mobility gives nothing more
    learners.add_to_group(db, coordinator, group.id, [school.other_learner_id])
    assert mobilities.get(db, school.learner, school.mobility_id).id == school.mobility_id
    with pytest.raises(PermissionDenied):
        mobilities.get(db, school.other_learner, school.mobility_id)
