"""Permissions are checked against the user as stored now, on every service call: a user
deactivated, demoted or given a new password after signing in is refused at once (and the
refusal audited), whatever the Actor made at sign-in says (issue 11)."""

from __future__ import annotations

import importlib
import inspect

import pytest
from sqlalchemy import select

from digcomp_app.services import accounts, learners, mobilities, validation
from digcomp_app.services.database import Database
from digcomp_app.services.errors import AuthenticationFailed, PermissionDenied
from digcomp_app.services.permissions import (
    DECLARED,
    AccountChanged,
    ObjectDenied,
    check_current_state,
)
from digcomp_app.storage.models import AuditEvent, User, utcnow
from tests.services.conftest import PASSWORD, School, sign

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)

#: the sensitive calls of the finding (and a few more), by the role that may make them
SENSITIVE = {
    "teacher": [
        "validation.open_case",
        "validation.set_targets",
        "validation.advance",
        "validation.go_back",
        "validation.record_assessment",
        "evidence.add_file",
        "evidence.add_link",
        "evidence.add_note",
        "evidence.remove",
        "evidence.set_competences",
    ],
    "coordinator": [
        "certificates.issue",
        "certificates.revoke",
        "printing.print_attestations",
        "rosters.import_learners",
        "learners.create",
        "mobilities.add_participants",
    ],
    "administrator": [
        "accounts.create_user",
        "accounts.reset_password",
        "accounts.set_roles",
        "rosters.import_staff",
        "backup.create",
    ],
}


for _area in ("accounts", "backup", "certificates", "evidence", "printing", "rosters"):
    importlib.import_module(f"digcomp_app.services.{_area}")  # declares their services


def call(db: Database, actor, permission: str):
    module, name = DECLARED[permission].rsplit(".", 1)
    function = getattr(importlib.import_module(module), name)
    arity = len(inspect.signature(function).parameters) - 2
    # Arguments are never looked at: the check comes before the function runs.
    return function(db, actor, *([None] * arity))


def last_event(db: Database) -> AuditEvent:
    with db.transaction() as session:
        return session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()


def actors(db: Database, school: School) -> dict[str, object]:
    accounts.create_user(db, school.admin, "admin2", "Second Admin", PASSWORD, ["administrator"])
    return {
        "teacher": school.teacher,
        "coordinator": school.coordinator,
        "administrator": sign(db, "admin2"),
    }


def test_every_sensitive_call_is_refused_after_deactivation_and_audited(db, school):
    people = actors(db, school)
    for actor in people.values():  # nothing is wrong with them yet
        check_current_state(db, actor, "organisations.get_home")
    for role, actor in people.items():
        accounts.set_active(db, school.admin, actor.user_id, False)
        for permission in SENSITIVE[role]:
            with pytest.raises(AccountChanged) as refused:
                call(db, actor, permission)
            assert refused.value.reason == "inactive"
            assert "deactivated" in str(refused.value)
            event = last_event(db)
            assert (event.actor, event.action, event.outcome) == (
                actor.username,
                permission,
                "denied",
            )
            assert event.details == {"reason": "account changed: inactive"}
    assert sum(len(calls) for calls in SENSITIVE.values()) >= 16


def test_a_real_call_that_worked_is_refused_once_the_teacher_is_deactivated(db, school):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    accounts.set_active(db, school.admin, school.teacher.user_id, False)
    with pytest.raises(AccountChanged):
        validation.get_case(db, school.teacher, case.id)
    with pytest.raises(AccountChanged):
        validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    assert len(validation.list_cases(db, school.coordinator)) == 1  # nothing more was made
    # and signing in again is refused as before
    with pytest.raises(AuthenticationFailed):
        sign(db, "teach")


def test_a_demoted_coordinator_is_refused_and_signs_in_again_with_the_new_roles(db, school):
    accounts.create_user(db, school.admin, "both", "Both", PASSWORD, ["coordinator", "teacher"])
    both = sign(db, "both")
    assert len(mobilities.list_all(db, both)) == 1
    accounts.set_roles(db, school.admin, both.user_id, ["teacher"])
    for permission in SENSITIVE["coordinator"]:
        with pytest.raises(AccountChanged) as refused:
            call(db, both, permission)
        assert refused.value.reason == "roles changed"
    # a role taken away ends the sign-in for every action (the Actor's roles are used by the
    # object-level checks too), not only for the lost role's actions
    with pytest.raises(AccountChanged):
        validation.list_cases(db, both)
    assert last_event(db).details == {"reason": "account changed: roles changed"}
    again = sign(db, "both")
    assert again.roles == {"teacher"}
    assert validation.list_cases(db, again) == []
    with pytest.raises(PermissionDenied) as refused:
        call(db, again, "certificates.issue")
    assert not isinstance(refused.value, AccountChanged)


def test_a_new_role_is_used_only_after_signing_in_again(db, school):
    accounts.set_roles(db, school.admin, school.teacher.user_id, ["teacher", "coordinator"])
    assert validation.list_cases(db, school.teacher) == []  # nothing lost: carries on
    with pytest.raises(PermissionDenied) as refused:
        call(db, school.teacher, "certificates.list")
    assert not isinstance(refused.value, AccountChanged)
    assert sign(db, "teach").roles == {"teacher", "coordinator"}


def test_a_removed_user_and_a_reset_password_end_the_sign_in(db, school):
    accounts.reset_password(db, school.admin, school.other_teacher.user_id, "one time 12345")
    with pytest.raises(AccountChanged) as refused:
        validation.list_cases(db, school.other_teacher)
    assert refused.value.reason == "password reset"
    with db.transaction() as session:
        session.delete(session.get(User, school.other_learner.user_id))
    with pytest.raises(AccountChanged) as refused:
        learners.get_record(db, school.other_learner, school.other_learner_id)
    assert refused.value.reason == "removed"


def test_a_lock_after_wrong_passwords_does_not_end_a_session(db, school):
    with db.transaction() as session:
        session.get(User, school.teacher.user_id).locked_until = utcnow().replace(year=2100)
    assert validation.list_cases(db, school.teacher) == []


def test_a_teacher_taken_off_a_mobility_or_group_loses_its_learners_at_once(db, school):
    teacher, coordinator = school.teacher, school.coordinator
    assert learners.get_record(db, teacher, school.learner_id)
    mobilities.unassign_teacher(db, coordinator, school.mobility_id, teacher.user_id)
    with pytest.raises(ObjectDenied):
        learners.get_record(db, teacher, school.learner_id)
    group = learners.create_group(db, coordinator, "2.A")
    learners.add_to_group(db, coordinator, group.id, [school.other_learner_id])
    learners.assign_group_teacher(db, coordinator, group.id, teacher.user_id)
    assert learners.get_record(db, teacher, school.other_learner_id)
    learners.remove_from_group(db, coordinator, group.id, [school.other_learner_id])
    with pytest.raises(ObjectDenied):
        learners.get_record(db, teacher, school.other_learner_id)
    learners.add_to_group(db, coordinator, group.id, [school.other_learner_id])
    assert learners.get_record(db, teacher, school.other_learner_id)
    learners.unassign_group_teacher(db, coordinator, group.id, teacher.user_id)
    with pytest.raises(ObjectDenied):
        learners.get_record(db, teacher, school.other_learner_id)
    assert teacher.roles == {"teacher"}  # still a teacher: only the reach changed


def test_the_listener_hears_the_refusal(db, school):
    from digcomp_app.services import permissions

    heard = []
    listener = lambda database, actor: heard.append((database, actor.username))  # noqa: E731
    permissions.add_account_changed_listener(listener)
    try:
        accounts.set_active(db, school.admin, school.teacher.user_id, False)
        with pytest.raises(AccountChanged):
            validation.list_cases(db, school.teacher)
    finally:
        permissions.remove_account_changed_listener(listener)
    assert heard == [(db, "teach")]


def test_the_check_reads_without_a_write_lock_and_its_connection_closes_with_the_database(
    database_url, school
):
    # inside another transaction (which holds SQLite's write lock), the check still reads
    db = Database(database_url)
    try:
        with db.transaction():
            check_current_state(db, school.teacher, "validation.list_cases")
        reader = getattr(db, "_state_reader", None)
    finally:
        db.close()
    if reader:  # SQLite: its one kept read connection is closed with the database
        import sqlite3

        with pytest.raises(sqlite3.ProgrammingError):
            reader.rows(school.teacher.user_id)
