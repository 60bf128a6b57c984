"""The hash-chained audit log, and two people saving the same assessment or the same
case's targets at once."""

from __future__ import annotations

import datetime as dt
import threading
import time

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from digcomp_app.cli import main
from digcomp_app.services import audit, evidence, validation
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConcurrentChange
from digcomp_app.services.validation import TargetDraft
from digcomp_app.storage.models import Assessment, AuditEvent, ValidationCase
from tests.services.conftest import FAST_HASHER, PASSWORD

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)


def case_in_assessment(db, school):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.1", 4)])
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Seen", "Did it", ("1.1",))
    return validation.advance(db, school.teacher, case.id)


def test_intact_chain_verifies(db, school):
    report = audit.verify(db, school.coordinator)
    assert report.intact and report.checked > 10


def test_a_row_altered_with_raw_sql_is_named(db, school):
    with db.transaction() as session:
        target = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()[4]
        session.execute(
            text("UPDATE audit_events SET actor = 'someone else' WHERE id = :id"), {"id": target}
        )
    report = audit.verify(db, school.coordinator)
    assert not report.intact and report.first_broken_id == target
    assert str(target) in report.problem


def test_a_removed_row_is_found(db, school):
    with db.transaction() as session:
        ids = session.scalars(select(AuditEvent.id).order_by(AuditEvent.id)).all()
        session.execute(delete(AuditEvent).where(AuditEvent.id == ids[3]))
        last = ids[-1]
    report = audit.verify(db, school.coordinator)
    assert not report.intact and report.first_broken_id == ids[4]
    with db.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id >= ids[3]))
    tail = audit.verify(db, school.coordinator)
    assert not tail.intact and tail.first_broken_id == last


def test_cli_audit_verify_exit_codes(database_url, db, school, monkeypatch, capsys):
    monkeypatch.setenv("DIGCOMP_PASSWORD", PASSWORD)
    args = ["--database", database_url, "--user", "coord", "audit", "verify"]
    assert main(args) == 0
    assert "intact" in capsys.readouterr().out
    with db.transaction() as session:
        session.execute(update(AuditEvent).where(AuditEvent.id == 2).values(outcome="ok!"))
    assert main(args) == 1
    assert "entry 2" in capsys.readouterr().out


def test_the_later_save_gets_the_current_values_not_a_silent_overwrite(database_url, db, school):
    case = case_in_assessment(db, school)
    first = validation.record_assessment(db, school.teacher, case.id, "1.1", 3, "observation")
    # Two PCs: each opened the assessment at version 1.
    other_pc = Database(database_url, password_hasher=FAST_HASHER)
    try:
        mine = validation.record_assessment(
            other_pc,
            school.teacher,
            case.id,
            "1.1",
            4,
            "practical_task",
            "Teacher A",
            expected_version=first.version,
        )
        with pytest.raises(ConcurrentChange) as clash:
            validation.record_assessment(
                db,
                school.teacher,
                case.id,
                "1.1",
                2,
                "interview",
                "Teacher B",
                expected_version=first.version,
            )
    finally:
        other_pc.close()
    assert clash.value.current.level == 4 and clash.value.current.comment == "Teacher A"
    assert "Someone else saved" in str(clash.value)
    saved = validation.get_case(db, school.teacher, case.id).assessment_for("1.1")
    assert (saved.level, saved.version) == (4, mine.version)


@pytest.mark.postgres  # (SQLite serialises writers at BEGIN: the race cannot interleave there)
def test_version_column_catches_a_write_race_between_two_sessions(db, school):
    """The database-level guard behind record_assessment, with two open sessions."""
    case = case_in_assessment(db, school)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 3, "observation")
    with Session(db.engine) as first, Session(db.engine) as second:
        row_a = first.scalars(select(Assessment)).one()
        row_b = second.scalars(select(Assessment)).one()
        row_b.level = 5
        second.commit()
        row_a.level = 1
        with pytest.raises(StaleDataError):
            first.commit()


def test_concurrent_writers_keep_one_audit_chain(database_url, db, school):
    other_pc = Database(database_url, password_hasher=FAST_HASHER)
    try:
        case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
        validation.set_targets(other_pc, school.teacher, case.id, [TargetDraft("1.1", 2)])
        validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.2", 2)])
    finally:
        other_pc.close()
    assert audit.verify(db, school.coordinator).intact
    assert dt.date.today()  # the chain covers today's events


def test_two_teachers_saving_targets_the_later_gets_the_current_targets(database_url, db, school):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    # Two PCs: both opened the case's identification step at the same version.
    other_pc = Database(database_url, password_hasher=FAST_HASHER)
    try:
        mine = validation.set_targets(
            other_pc,
            school.teacher,
            case.id,
            [TargetDraft("1.1", 3), TargetDraft("2.1", 2)],
            expected_version=case.version,
        )
        with pytest.raises(ConcurrentChange) as clash:
            validation.set_targets(
                db, school.teacher, case.id, [TargetDraft("5.1", 4)], expected_version=case.version
            )
    finally:
        other_pc.close()
    assert "saved the targets of this case" in str(clash.value)
    current = clash.value.current
    assert [(t.competence_id, t.level) for t in current.targets] == [("1.1", 3), ("2.1", 2)]
    assert current.version == mine.version > case.version
    saved = validation.get_case(db, school.teacher, case.id)
    assert [t.competence_id for t in saved.targets] == ["1.1", "2.1"]
    # with the version just seen, the save goes through
    again = validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("5.1", 4)], expected_version=current.version
    )
    assert [t.competence_id for t in again.targets] == ["5.1"]
    assert again.version == current.version + 1


@pytest.mark.postgres  # (SQLite serialises writers at BEGIN: the race cannot interleave there)
def test_a_targets_write_race_on_the_server_is_a_concurrent_change(db, school):
    """Both read the same version; the one whose write waits for the other's is refused."""
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    outcome: list[object] = []
    with Session(db.engine) as first:
        row = first.get(ValidationCase, case.id)
        row.updated_at = dt.datetime.now(dt.UTC)  # the other PC's save, not committed yet
        first.flush()
        waiting = threading.Thread(
            target=lambda: outcome.append(
                _attempt(db, school, case.id, [TargetDraft("5.1", 4)], case.version)
            )
        )
        waiting.start()
        for _ in range(500):  # until the second save waits for the first one's row lock
            with db.engine.connect() as probe:
                if probe.scalar(
                    text(
                        "SELECT count(*) FROM pg_stat_activity "
                        "WHERE wait_event_type = 'Lock' AND datname = current_database()"
                    )
                ):
                    break
            time.sleep(0.01)
        else:
            pytest.fail("the second save never waited for the first")
        first.commit()
        waiting.join(30)
    (clash,) = outcome
    assert isinstance(clash, ConcurrentChange)
    assert clash.current.version == case.version + 1 and clash.current.targets == case.targets


def _attempt(db, school, case_id, targets, version):
    try:
        return validation.set_targets(
            db, school.teacher, case_id, targets, expected_version=version
        )
    except ConcurrentChange as clash:
        return clash
