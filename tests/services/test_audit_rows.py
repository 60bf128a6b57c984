"""Records that decide grades and rights, changed in the database behind the app's back, are
found by ``audit verify``: each row's last audited value is in the signed chain."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, insert, select, update

from digcomp_app.services import accounts, audit, learners
from digcomp_app.services.audit_rows import BASELINE_ACTION
from digcomp_app.storage.models import (
    Assessment,
    AuditEvent,
    Certificate,
    User,
    UserRole,
)
from tests.services.test_audit_anchor import recompute_chain
from tests.services.test_printing import certify

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)


def behind_the_apps_back(db, statement) -> None:
    """What someone with write access does: a plain SQL statement on the database."""
    with db.engine.begin() as connection:
        connection.execute(statement)


def test_a_clean_school_verifies_with_every_record_audited(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    report = audit.verify(db, school.admin)
    assert report.intact, report.problem
    assert report.changed_rows == ()
    with db.transaction() as session:  # the baseline was written once, at the first change
        baselines = session.scalars(
            select(AuditEvent.id).where(AuditEvent.action == BASELINE_ACTION)
        ).all()
    assert len(baselines) == 1


def test_an_assessment_level_raised_in_the_database_is_found(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id, levels=(5, 3))
    with db.transaction() as session:
        assessment_id = session.scalar(select(Assessment.id).where(Assessment.level == 5))
    behind_the_apps_back(
        db, update(Assessment).where(Assessment.id == assessment_id).values(level=8)
    )
    report = audit.verify(db, school.admin)
    assert not report.intact
    assert report.changed_rows == (
        f"assessment {assessment_id} was changed (last audited in entry {report.first_broken_id})",
    )
    assert "no longer match their last audited value" in report.problem
    # setting it back to the audited value makes the records agree again
    behind_the_apps_back(
        db, update(Assessment).where(Assessment.id == assessment_id).values(level=5)
    )
    assert audit.verify(db, school.admin).intact


def test_a_learner_made_administrator_and_a_swapped_password_hash_are_found(db, school):
    learners.create_group(db, school.coordinator, "DT-1")  # any change: writes the baseline
    with db.transaction() as session:
        janis = session.scalar(select(User).where(User.username == "janis"))
        admin_hash = session.scalar(select(User.password_hash).where(User.username == "admin"))
        janis_id = janis.id
    behind_the_apps_back(db, insert(UserRole).values(user_id=janis_id, role="administrator"))
    behind_the_apps_back(
        db, update(User).where(User.id == janis_id).values(password_hash=admin_hash)
    )
    report = audit.verify(db, school.admin)
    assert not report.intact
    assert sorted(report.changed_rows) == [
        f"role of user {janis_id}:administrator was added outside the app",
        f"user account {janis_id} was changed (last audited in entry {report.first_broken_id})",
    ]


def test_a_removed_certificate_and_a_removed_teacher_assignment_are_found(db, school, signer):
    issued = certify(db, school, signer, school.learner, school.learner_id)
    group = learners.create_group(db, school.coordinator, "DT-2")
    teacher_id = accounts.list_users(db, school.admin)
    teacher_id = next(u.id for u in teacher_id if u.username == "teach")
    learners.assign_group_teacher(db, school.coordinator, group.id, teacher_id)
    behind_the_apps_back(db, delete(Certificate).where(Certificate.serial == issued.serial))
    report = audit.verify(db, school.admin)
    assert not report.intact
    assert len(report.changed_rows) == 1 and report.changed_rows[0].startswith("certificate ")
    assert "was removed" in report.changed_rows[0]


def test_changes_made_through_the_app_keep_the_records_in_agreement(db, school, signer):
    """Removals the database makes itself (ON DELETE CASCADE), relationship orphans and
    statements the services run directly are all recorded."""
    certify(db, school, signer, school.learner, school.learner_id)
    group = learners.create_group(db, school.coordinator, "DT-3")
    users = accounts.list_users(db, school.admin)
    teacher_id = next(u.id for u in users if u.username == "teach")
    learners.assign_group_teacher(db, school.coordinator, group.id, teacher_id)
    learners.unassign_group_teacher(db, school.coordinator, group.id, teacher_id)
    accounts.set_roles(db, school.admin, teacher_id, ["teacher", "coordinator"])
    accounts.set_roles(db, school.admin, teacher_id, ["coordinator"])
    accounts.set_active(db, school.admin, teacher_id, False)
    report = audit.verify(db, school.admin)
    assert report.intact, report.changed_rows


def test_the_audited_values_cannot_be_rewritten_with_the_chain(db, school, signer):
    """The insider also edits the audited value in the log and recomputes the chain: the
    signed checkpoint no longer matches."""
    certify(db, school, signer, school.learner, school.learner_id, levels=(5, 3))
    with db.transaction() as session:
        assessment = session.scalar(select(Assessment).where(Assessment.level == 5))
        assessment.level = 8  # the session records the new value in the chain...
    with db.transaction() as session:  # ...which is a later entry than the checkpoint
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert event.details.get("rows")
    report = audit.verify(db, school.admin)
    assert report.intact  # a change through a session is a recorded change
    # now the raw way, with the log's fingerprint edited to match and the chain recomputed
    with db.transaction() as session:
        assessment_id = session.scalar(select(Assessment.id).where(Assessment.level == 8))
    behind_the_apps_back(
        db, update(Assessment).where(Assessment.id == assessment_id).values(level=7)
    )
    with db.transaction() as session:
        from digcomp_app.services.audit_rows import row_key

        key = row_key("assessments", (assessment_id,))
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            rows = (event.details or {}).get("rows") or {}
            if key in rows:
                fake = dict(rows)
                fake[key] = "0" * 32
                event.details = {**event.details, "rows": fake}
    recompute_chain(db)
    report = audit.verify(db, school.admin)
    assert not report.intact
    assert "checkpoint" in report.problem
