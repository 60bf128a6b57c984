"""The home screens' figures agree with a direct count in the database (the demo school,
real SQLite), and a new school's empty database gives empty, not failing, answers."""

from __future__ import annotations

import datetime as dt
import sqlite3

import pytest

from digcomp_app.services import accounts, backup, home, validation
from digcomp_app.services.database import Database
from digcomp_app.services.errors import PermissionDenied
from tests.services.conftest import FAST_HASHER

TODAY = dt.date.today()


@pytest.fixture
def demo(demo_file):
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    yield db, sqlite3.connect(demo_file)
    db.close()


def sign_in(db, username):
    return accounts.authenticate(db, None, username, "demo")


def one(sql, connection, *parameters):
    return connection.execute(sql, parameters).fetchone()[0]


def test_teacher_stage_counts_are_the_cases_of_their_learners(demo):
    db, sql = demo
    teacher = sign_in(db, "teacher1")
    found = home.teacher(db, teacher)
    mine = (
        "SELECT learner_id FROM group_members m JOIN group_teachers t ON t.group_id = m.group_id "
        "WHERE t.user_id = ? UNION SELECT p.learner_id FROM mobility_participants p "
        "JOIN mobility_teachers t ON t.mobility_id = p.mobility_id WHERE t.user_id = ?"
    )
    for stage in validation.STAGES:
        expected = one(
            f"SELECT count(*) FROM validation_cases WHERE stage = ? AND learner_id IN ({mine})",
            sql,
            stage,
            teacher.user_id,
            teacher.user_id,
        )
        assert found.count(stage) == expected, stage
    assert sum(n for _stage, n in found.stage_counts) > 0
    assert len(found.open_cases) == sum(found.count(s) for s in home.OPEN_STAGES)
    assert found.learners == one(
        f"SELECT count(*) FROM learners WHERE active AND id IN ({mine})",
        sql,
        teacher.user_id,
        teacher.user_id,
    )


@pytest.mark.parametrize("username", ["teacher1", "teacher2", "teacher3"])
def test_teacher_gaps_are_the_flags_of_the_case_screen(demo, username):
    """The same differences the case screen flags with ⚑ (validation.self_vs_assessed)."""
    db, sql = demo
    teacher = sign_in(db, username)
    found = home.teacher(db, teacher)
    flagged = set()
    for case in found.open_cases:
        for row in validation.self_vs_assessed(db, teacher, case.case_id):
            target = one(
                "SELECT target_level FROM target_competences WHERE case_id = ? "
                "AND competence_id = ?",
                sql,
                case.case_id,
                row.competence_id,
            )
            level = row.assessed_level if row.assessed_level is not None else target
            if row.self_level is not None and abs(level - row.self_level) >= 2:
                flagged.add((case.case_id, row.competence_id, row.self_level, level))
    assert {(g.case_id, g.competence_id, g.self_level, g.level) for g in found.gaps} == flagged


def big_gap(db, teacher):
    """A target three levels above the learner's own rating, on a case at identification;
    returns (case id, competence id, own level, target level)."""
    for line in home.teacher(db, teacher).open_cases:
        if line.stage != "identification":
            continue
        rows = validation.self_vs_assessed(db, teacher, line.case_id)
        own = next((r for r in rows if r.self_level is not None and r.self_level <= 5), None)
        if own is None:
            continue
        case = validation.get_case(db, teacher, line.case_id)
        targets = [
            validation.TargetDraft(t.competence_id, own.self_level + 3)
            if t.competence_id == own.competence_id
            else t
            for t in case.targets
        ]
        validation.set_targets(db, teacher, line.case_id, targets)
        return line.case_id, own.competence_id, own.self_level, own.self_level + 3
    raise AssertionError("no case at identification with an own rating")


def test_a_target_far_from_the_own_rating_is_listed(demo):
    db, _sql = demo
    teacher = sign_in(db, "teacher1")
    assert home.teacher(db, teacher).gaps == ()  # the demo's targets follow the own ratings
    case_id, competence, own, target = big_gap(db, teacher)
    (gap,) = home.teacher(db, teacher).gaps
    assert (gap.case_id, gap.competence_id, gap.self_level, gap.level) == (
        case_id,
        competence,
        own,
        target,
    )
    assert gap.gap == 3 and not gap.assessed


def test_coordinator_waiting_and_ending_soon(demo):
    db, sql = demo
    coordinator = sign_in(db, "coordinator")
    found = home.coordinator(db, coordinator)
    assert len(found.waiting) == one(
        "SELECT count(*) FROM validation_cases WHERE stage = 'certification'", sql
    )
    assert found.waiting  # the demo school has cases sent for certification
    assert sorted(c.case_id for c in found.waiting) == sorted(
        c.id for c in validation.list_cases(db, coordinator, stage="certification")
    )
    soon = TODAY + dt.timedelta(days=home.ENDING_SOON_DAYS)
    expected = one(
        "SELECT count(*) FROM mobilities WHERE end_date >= ? AND end_date <= ?",
        sql,
        TODAY.isoformat(),
        soon.isoformat(),
    )
    assert expected >= 1  # the demo's second mobility ends in about a week
    assert len(found.ending_soon) == expected
    for line in found.ending_soon:
        assert line.days_left == (line.end_date - TODAY).days
        assert line.participants == one(
            "SELECT count(*) FROM mobility_participants WHERE mobility_id = ?",
            sql,
            line.mobility_id,
        )
    assert found.mobilities == one("SELECT count(*) FROM mobilities", sql)


def test_learner_todos_follow_their_self_assessments(demo):
    db, sql = demo
    learner = sign_in(db, "learner01")
    found = home.learner(db, learner, TODAY)
    assert found.linked
    assert found.finished == one(
        "SELECT count(*) FROM self_assessments WHERE learner_id = ? AND completed_at IS NOT NULL",
        sql,
        learner.learner_id,
    )
    unfinished = one(
        "SELECT count(*) FROM self_assessments WHERE learner_id = ? AND completed_at IS NULL",
        sql,
        learner.learner_id,
    )
    assert sum(1 for t in found.todos if t.unfinished) == unfinished
    assert found.mobilities == one(
        "SELECT count(*) FROM mobility_participants WHERE learner_id = ?",
        sql,
        learner.learner_id,
    )
    taken = set(
        sql.execute(
            "SELECT mobility_id, moment FROM self_assessments WHERE learner_id = ?",
            (learner.learner_id,),
        ).fetchall()
    )
    for todo in found.todos:
        if not todo.unfinished:
            assert (todo.mobility_id, todo.moment) not in taken


def test_a_learner_is_told_to_start_before_a_new_mobility(demo):
    """Far before every mobility, only the "before" self-assessments are due."""
    db, _sql = demo
    learner = sign_in(db, "learner01")
    early = home.learner(db, learner, dt.date(2000, 1, 1))
    assert {t.moment for t in early.todos if not t.unfinished} <= {"before"}


def test_administrator_backup_key_and_one_time_passwords(demo, tmp_path):
    db, sql = demo
    admin = sign_in(db, "admin")
    before = home.administrator(db, admin)
    assert before.last_backup is None
    assert (before.key is not None) == bool(
        one("SELECT count(*) FROM signing_keys WHERE retired_at IS NULL", sql)
    )
    assert before.learners == one("SELECT count(*) FROM learners WHERE active", sql)
    users = accounts.list_users(db, admin)
    someone = next(u for u in users if u.username == "learner02")
    accounts.reset_password(db, admin, someone.id)
    backup.create(db, admin, tmp_path / "school.backup", "a long passphrase")
    after = home.administrator(db, admin)
    assert after.last_backup is not None
    assert after.last_backup.file_name == "school.backup"
    assert after.last_backup.size == (tmp_path / "school.backup").stat().st_size
    assert after.last_backup.age_days(dt.datetime.now(dt.UTC)) == 0
    assert [u.username for u in after.no_password] == [
        row[0]
        for row in sql.execute(
            "SELECT username FROM users WHERE active AND must_change_password "
            "ORDER BY created_at, id"
        )
    ]
    assert "learner02" in {u.username for u in after.no_password}


def test_each_role_reads_only_its_own_home(demo):
    db, _sql = demo
    learner = sign_in(db, "learner01")
    with pytest.raises(PermissionDenied):
        home.administrator(db, learner)
    with pytest.raises(PermissionDenied):
        home.teacher(db, learner)


def test_an_empty_school(tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}", password_hasher=FAST_HASHER)
    try:
        accounts.create_first_administrator(db, None, "admin", "Admin", "a good password")
        admin = accounts.authenticate(db, None, "admin", "a good password")
        found = home.administrator(db, admin)
        assert found == home.AdministratorHome(None, None, (), 0, 0)
    finally:
        db.close()
