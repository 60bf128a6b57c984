"""The demo school, as the people who try it see it (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass

import pytest
from sqlalchemy import select

from digcomp_app.services import (
    accounts,
    audit,
    certificates,
    evidence,
    learners,
    mobilities,
    self_assessment,
    validation,
)
from digcomp_app.services.database import Database
from digcomp_app.services.errors import AuthenticationFailed, WorkflowError
from digcomp_app.services.permissions import Actor, Role
from digcomp_app.showcase.demo import (
    FEMALE_NAMES,
    MALE_NAMES,
    PASSWORD,
    SURNAMES,
    DemoSummary,
    create_school,
)
from digcomp_app.storage.models import User
from tests.conftest import build_demo_school
from tests.run_once import copy_sqlite, postgres_template
from tests.services.conftest import FAST_HASHER, PG_URL, new_postgres_database

LATVIAN_LETTERS = set("āčēģīķļņšūžĀČĒĢĪĶĻŅŠŪŽ")
STAFF_ROLES = {
    "admin": Role.ADMINISTRATOR,
    "coordinator": Role.COORDINATOR,
    "teacher1": Role.TEACHER,
    "teacher2": Role.TEACHER,
    "teacher3": Role.TEACHER,
}
LEARNER_NAMES = [f"learner{n:02d}" for n in range(1, 25)]
WORK_STAGES = ("identification", "documentation", "assessment", "certification")


@dataclass
class Demo:
    db: Database
    summary: DemoSummary
    coordinator: Actor
    finished: mobilities.MobilityInfo
    current: mobilities.MobilityInfo


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def demo(request, tmp_path_factory) -> Iterator[Demo]:
    """One demo school per backend, shared by the tests that only look at it: a copy of the
    run's demo school (tests/conftest.py), made once per run on each backend."""
    cleanup = None
    if request.param == "sqlite":
        template, summary = request.getfixturevalue("demo_school")
        url = f"sqlite:///{copy_sqlite(template, tmp_path_factory.mktemp('demo') / 'demo.sqlite3')}"
    else:
        if not PG_URL:
            pytest.skip("DIGCOMP_TEST_DATABASE_URL is not set")
        template, summary = postgres_template(tmp_path_factory, PG_URL, "demo", build_demo_school)
        url, cleanup = new_postgres_database(template)
    db = Database(url, password_hasher=FAST_HASHER)
    try:
        coordinator = accounts.authenticate(db, None, "coordinator", PASSWORD)
        today = dt.date.today()
        found = mobilities.list_all(db, coordinator)
        finished = next(m for m in found if m.end_date < today)
        current = next(m for m in found if m.start_date <= today <= m.end_date)
        yield Demo(db, summary, coordinator, finished, current)
    finally:
        db.close()
        if cleanup:
            cleanup()


def test_summary_counts_what_was_made(demo):
    summary = demo.summary
    assert (summary.users, summary.learners, summary.groups, summary.mobilities) == (29, 24, 2, 2)
    assert all(summary.cases_by_stage[stage] >= 2 for stage in WORK_STAGES)
    assert summary.cases_by_stage["certified"] == 8
    assert (summary.certificates, summary.revoked_certificates) == (8, 1)
    assert summary.evidence_items > 24
    assert summary.usernames == (*STAFF_ROLES, *LEARNER_NAMES)
    assert summary.password == "demo"


def test_every_demo_user_signs_in_with_demo_and_has_the_right_role(demo):
    for username, role in STAFF_ROLES.items():
        actor = accounts.authenticate(demo.db, None, username, "demo")
        assert actor.roles == {role}, username
    linked = set()
    for username in LEARNER_NAMES:
        actor = accounts.authenticate(demo.db, None, username, "demo")
        assert actor.roles == {Role.LEARNER}
        record = learners.get_record(demo.db, actor, actor.learner_id)
        assert record.username == username
        assert actor.display_name == record.learner.full_name
        linked.add(actor.learner_id)
    assert len(linked) == 24


def test_24_learners_in_two_groups_of_12_with_latvian_names(demo):
    groups = learners.list_groups(demo.db, demo.coordinator)
    assert [g.member_count for g in groups] == [12, 12]
    members = [
        learner
        for group in groups
        for learner in learners.group_members(demo.db, demo.coordinator, group.id)
    ]
    assert len({m.id for m in members}) == 24
    masculine = {male for male, _female in SURNAMES}
    feminine = {female for _male, female in SURNAMES}
    for learner in members:
        assert learner.given_names in MALE_NAMES + FEMALE_NAMES
        forms = masculine if learner.given_names in MALE_NAMES else feminine
        assert learner.surname in forms, learner.full_name  # the surname agrees in gender
        assert dt.date(2006, 1, 1) <= learner.date_of_birth <= dt.date(2009, 12, 31)
    assert sum(bool(LATVIAN_LETTERS & set(m.full_name)) for m in members) >= 20
    found = learners.search(demo.db, demo.coordinator, "berzins")
    assert "Jānis Bērziņš" in [learner.full_name for learner in found]
    # Each of the first two teachers sees their own group.
    for number in (1, 2):
        teacher = accounts.authenticate(demo.db, None, f"teacher{number}", "demo")
        assert [g.name for g in learners.list_groups(demo.db, teacher)] == [groups[number - 1].name]


def test_cases_of_the_current_mobility_are_at_every_stage(demo):
    cases = validation.list_cases(demo.db, demo.coordinator, mobility_id=demo.current.id)
    stages = [case.stage for case in cases]
    assert all(stages.count(stage) >= 2 for stage in WORK_STAGES)
    for case in cases:
        assert 3 <= len(case.targets) <= 4
        if case.stage == "certification":
            assert not case.unassessed
        if case.stage == "assessment":
            assert case.assessments and case.unassessed
    teacher3 = accounts.authenticate(demo.db, None, "teacher3", "demo")
    assert {m.id for m in mobilities.list_all(demo.db, teacher3)} == {
        demo.finished.id,
        demo.current.id,
    }


def test_finished_mobility_is_fully_certified_with_names_as_written(demo):
    cases = validation.list_cases(demo.db, demo.coordinator, mobility_id=demo.finished.id)
    assert len(cases) == demo.finished.participant_count == 8
    assert {case.stage for case in cases} == {"certified"}
    register = certificates.list_register(demo.db, demo.coordinator, demo.finished.code)
    valid = [c for c in register if c.status == "issued"]
    assert sorted(c.case_id for c in valid) == sorted(case.id for case in cases)
    for cert in valid:
        learner = learners.get_record(demo.db, demo.coordinator, cert.learner_id).learner
        holder = cert.snapshot["holder"]
        assert (holder["given_names"], holder["surname"]) == (learner.given_names, learner.surname)
        assert cert.holder == learner.full_name
        assert cert.snapshot["mobility"]["europass_number"]
        assert cert.snapshot["issuer"]["name"] == "Daugavkrastu tehnikums"
        assert all(item["comment"] for item in cert.snapshot["competences"])
    assert any(LATVIAN_LETTERS & set(c.holder) for c in valid)
    # The correction: one revoked with a reason, and the certificate that replaces it.
    (revoked,) = [c for c in register if c.status == "revoked"]
    assert revoked.revoke_reason
    (replacement,) = [c for c in valid if c.replaces_serial == revoked.serial]
    assert replacement.case_id == revoked.case_id
    assert replacement.snapshot["competences"] != revoked.snapshot["competences"]
    # The holder sees their own certificate.
    holder = accounts.authenticate(
        demo.db, None, _username_of(demo, replacement.learner_id), "demo"
    )
    assert certificates.get(demo.db, holder, replacement.serial).status == "issued"


def test_self_assessments_rise_after_the_mobility(demo):
    cases = validation.list_cases(demo.db, demo.coordinator, mobility_id=demo.finished.id)
    rises = not_yet = ticked = 0
    for case in cases:
        comparison = self_assessment.compare(
            demo.db, demo.coordinator, case.learner_id, demo.finished.id
        )
        assert len(comparison.rows) == 21
        assert all((row.change or 0) >= 0 for row in comparison.rows)
        rises += sum((row.change or 0) > 0 for row in comparison.rows)
        not_yet += sum(row.before is None for row in comparison.rows)
        for done in self_assessment.history(demo.db, demo.coordinator, case.learner_id):
            assert done.completed_at is not None and len(done.answers) == 21
            ticked += sum(bool(answer.ticked) for answer in done.answers)
    assert rises >= 8 * 3 and not_yet >= 1 and ticked >= 8


def test_assessments_vary_and_some_differ_from_the_self_rating(demo):
    cases = validation.list_cases(demo.db, demo.coordinator)
    assessed = [a for case in cases for a in case.assessments]
    assert len({a.method for a in assessed}) >= 4
    assert len({a.level for a in assessed}) >= 3
    assert len({a.comment for a in assessed}) >= 5
    assert all(LATVIAN_LETTERS & set(a.comment) for a in assessed)
    flagged = [
        row
        for case in cases
        if case.mobility_id == demo.finished.id
        for row in validation.self_vs_assessed(demo.db, demo.coordinator, case.id)
        if row.flagged
    ]
    assert len(flagged) >= 2


def test_evidence_files_open_as_png_and_pdf(demo):
    kinds: dict[str, int] = {}
    media: set[str] = set()
    for case in validation.list_cases(demo.db, demo.coordinator):
        for item in evidence.list_items(demo.db, demo.coordinator, case.id):
            kinds[item.kind] = kinds.get(item.kind, 0) + 1
            assert item.competence_ids
            assert set(item.competence_ids) <= {t.competence_id for t in case.targets}
            if item.kind != "file":
                continue
            opened = evidence.open_file(demo.db, demo.coordinator, item.id)
            media.add(opened.media_type)
            if opened.media_type == "image/png":
                assert opened.content.startswith(b"\x89PNG\r\n\x1a\n")
                assert opened.content[16:24] == (64).to_bytes(4, "big") + (48).to_bytes(4, "big")
            else:
                assert opened.media_type == "application/pdf"
                assert opened.content.startswith(b"%PDF-")
                assert opened.content.rstrip().endswith(b"%%EOF")
    assert media == {"image/png", "application/pdf"}
    assert set(kinds) == {"file", "link", "note"}
    assert sum(kinds.values()) == demo.summary.evidence_items


def test_the_audit_chain_is_intact(demo):
    report = audit.verify(demo.db, demo.coordinator)
    assert report.intact, report.problem
    assert report.checked > 200


def test_a_second_demo_is_refused(demo):
    with pytest.raises(WorkflowError, match="empty database"):
        create_school(demo.db, None)
    with demo.db.transaction() as session:
        assert session.query(User).count() == 29


def test_the_published_password_is_hashed_once_and_a_changed_one_anew(demo_file):
    db = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    try:
        with db.transaction() as session:
            (shared,) = set(session.scalars(select(User.password_hash)))
        learner = accounts.authenticate(db, None, "learner01", "demo")
        accounts.change_own_password(db, learner, "demo", "my own password")
        with db.transaction() as session:
            hashes = {
                name: hashed
                for name, hashed in session.execute(select(User.username, User.password_hash))
            }
        assert hashes.pop("learner01") != shared  # a salt of its own
        assert set(hashes.values()) == {shared}
        assert accounts.authenticate(db, None, "learner01", "my own password").username
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(db, None, "learner01", "demo")
        assert accounts.authenticate(db, None, "learner02", "demo").username == "learner02"
    finally:
        db.close()


def _username_of(demo: Demo, learner_id: int) -> str:
    record = learners.get_record(demo.db, demo.coordinator, learner_id)
    assert record.username is not None
    return record.username


def run_cli(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digcomp_app", "--language", "en", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, **env},
        timeout=300,
        check=False,
    )


def test_demo_command(tmp_path):
    database = str(tmp_path / "demo.sqlite3")
    created = run_cli("--database", database, "demo")
    assert created.returncode == 0, created.stderr
    assert "Daugavkrastu tehnikums" in created.stdout
    for shown in ("admin", "coordinator", "teacher3", "learner01", "learner24", '"demo"'):
        assert shown in created.stdout
    verified = run_cli(
        "--database", database, "--user", "coordinator", "audit", "verify", DIGCOMP_PASSWORD="demo"
    )
    assert verified.returncode == 0, verified.stdout + verified.stderr
    assert "intact" in verified.stdout
    again = run_cli("--database", database, "demo")
    assert again.returncode == 1
    assert "empty database" in again.stderr and "Traceback" not in again.stderr
