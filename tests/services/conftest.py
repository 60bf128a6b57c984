"""Service tests run on SQLite and, when DIGCOMP_TEST_DATABASE_URL names a server, PostgreSQL.

Each test gets a new, migrated database, seeded through the public services. The migrated
database and the seeded school (fixture ``school``) are made once per run and copied for each
test (tests/run_once.py): a test that uses ``db`` starts from a copy of the migrated empty
database, one that uses ``school`` from a copy of the seeded school (on PostgreSQL a copy
that is given back as it was made after each test); a test that asks only for
``database_url`` or ``postgres_url`` gets a new, empty database.

Some states several tests start from are made once per run the same way ("prepared", see
``PREPARED``): the seeded school taken further through the public services by a function
of the test module (a certified case, a register of certificates, a case at its assessment
stage…). A test asks for it by the fixture of that name, which returns what the function
returned when the template was made, or runs the function on ``db`` itself when ``db`` was
not copied from the template. States a test's checks depend on the history of (what an
erasure must leave no trace of, in the database's free space) are not prepared.
"""

from __future__ import annotations

import copy
import datetime as dt
import importlib
import os
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select

from digcomp_app.framework import builtin_library
from digcomp_app.services import (
    accounts,
    learners,
    mobilities,
    organisations,
    self_assessment,
    signing,
)
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor
from digcomp_app.storage.models import SigningKey
from tests import run_once

PG_URL = os.environ.get("DIGCOMP_TEST_DATABASE_URL", "")
#: cheap hashing for tests; the app uses argon2-cffi's defaults
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse"


def new_postgres_database(template: str | None = None) -> tuple[str, Callable[[], None]]:
    """A new database on the test server (empty, or a copy of the template database
    ``template``), and a function that drops it."""
    return run_once.new_postgres_database(PG_URL, template)


#: what the seeded school is made into for the tests that ask for it by a fixture of this
#: name, made once per run like the school itself: "module:function", called as
#: ``function(db, school)``; what it returns is what the fixture gives (see ``prepared``)
PREPARED = {
    "backup_certified": "tests.services.test_backup:certified_case",
    "big_evidence_case": "tests.services.test_backup:with_big_evidence",
    "two_certificates": "tests.services.test_printing:two_certified",
    "learner_certificate": "tests.services.test_printing:learner_certified",
    "register": "tests.services.test_searches:registered",
    "issued_one": "tests.services.test_signing:signed_and_issued",
    "exported": "tests.services.test_privacy:export_made",
    "small_school": "tests.services.test_overview:build_small_school",
    "case_at_assessment": "tests.services.test_inputs_reliability:assessed_case",
    "documented_case": "tests.services.test_inputs_reliability:document_case",
}

#: what a copied database already holds, by its URL, until ``db`` opens it: the seeded
#: School and what was prepared in it (by kind), or None (migrated, empty)
_COPIED: dict[str, dict[str, Any] | None] = {}
#: the same, for each open test database that was copied
_SEEDED: weakref.WeakKeyDictionary[Database, dict[str, Any] | None] = weakref.WeakKeyDictionary()


def _template_kind(request: pytest.FixtureRequest) -> str:
    """What the test's database may start from: a prepared school (it uses a fixture of
    ``PREPARED``), "school" (it uses the seeded school), "schema" (it uses ``db``), or ""
    (it opens the URL itself: an empty database)."""
    names = request.fixturenames
    if "db" not in names:
        return ""
    if "school" not in names:
        return "schema"
    return next((kind for kind in PREPARED if _prepares(request, kind)), "school")


def _prepares(request: pytest.FixtureRequest, kind: str) -> bool:
    """Whether the test asks for the fixture of ``PREPARED`` ``kind`` (the one defined
    beside its function, not another module's fixture of the same name)."""
    if kind not in request.fixturenames:
        return False
    definitions = request.node._fixtureinfo.name2fixturedefs.get(kind, ())
    module = PREPARED[kind].split(":")[0]
    return bool(definitions) and definitions[-1].func.__module__ == module


def _fill(kind: str) -> Callable[[str], dict[str, Any] | None]:
    def fill(url: str) -> dict[str, Any] | None:
        database = Database(url, password_hasher=FAST_HASHER)
        try:
            if kind == "schema":
                return None
            school = seed_school(database)
            made: dict[str, Any] = {"school": copy.deepcopy(school)}
            if kind in PREPARED:
                module, function = PREPARED[kind].split(":")
                made[kind] = getattr(importlib.import_module(module), function)(database, school)
                with database.transaction() as session:  # the fixture signer unlocks it
                    made["signing_key"] = bool(session.scalar(select(SigningKey.key_id)))
            return made
        finally:
            database.close()

    return fill


def prepared(db: Database, kind: str) -> Any:
    """What was prepared in the school ``db`` was copied with (a kind of ``PREPARED``), or
    None when it was not copied with it (the fixture then prepares it in ``db``)."""
    made = _SEEDED.get(db)
    return copy.deepcopy(made[kind]) if made is not None and kind in made else None


def new_migrated_database(
    kind: str, tmp_path_factory: pytest.TempPathFactory, path: Path
) -> tuple[str, Callable[[], None] | None]:
    """A new database at the current schema with no rows but the schema's own (``kind``
    "sqlite": the file ``path``; "postgresql": a new database on the test server), copied
    from the run's migrated empty template instead of migrated again; its URL, and for
    PostgreSQL the function that drops it."""
    if kind == "sqlite":
        template, _seeded = run_once.sqlite_file(tmp_path_factory, "schema", _fill("schema"))
        run_once.copy_sqlite(template, path)
        return f"sqlite:///{path}", None
    if not PG_URL:
        pytest.skip("DIGCOMP_TEST_DATABASE_URL is not set")
    name, _seeded = run_once.postgres_template(tmp_path_factory, PG_URL, "schema", _fill("schema"))
    return new_postgres_database(name)


@pytest.fixture
def postgres_url(request: pytest.FixtureRequest, tmp_path_factory) -> Iterator[str]:
    if not PG_URL:
        pytest.skip("DIGCOMP_TEST_DATABASE_URL is not set")
    kind = _template_kind(request)
    if kind:
        template, seeded = run_once.postgres_template(tmp_path_factory, PG_URL, kind, _fill(kind))
        url, drop = run_once.postgres_copy(PG_URL, template)
        _COPIED[url] = seeded
    else:
        url, drop = new_postgres_database()
    try:
        yield url
    finally:
        _COPIED.pop(url, None)
        drop()


@pytest.hookimpl(tryfirst=True)  # before the fixture's own parameters are applied
def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """A test of both databases marked ``postgres`` (a race between two PCs: SQLite lets one
    writer in at a time) or ``sqlite`` (the database file itself) is made for that database
    only, not made for both and skipped on one."""
    if "database_url" not in metafunc.fixturenames:
        return
    marked = metafunc.definition.get_closest_marker
    only = [
        name
        for marker, name in (("postgres", "postgresql"), ("sqlite", "sqlite"))
        if marked(marker)
    ]
    if only:  # (as a marker: the fixture's own parameters then give way, as to any marker)
        metafunc.definition.add_marker(pytest.mark.parametrize("database_url", only, indirect=True))


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path, tmp_path_factory) -> Iterator[str]:
    if request.param == "postgresql":
        yield request.getfixturevalue("postgres_url")
        return
    path = tmp_path / "school.sqlite3"
    url = f"sqlite:///{path}"
    kind = _template_kind(request)
    if kind:
        template, seeded = run_once.sqlite_file(tmp_path_factory, kind, _fill(kind))
        run_once.copy_sqlite(template, path)
        _COPIED[url] = seeded
    yield url
    _COPIED.pop(url, None)


@pytest.fixture
def db(database_url) -> Iterator[Database]:
    copied = database_url in _COPIED
    seeded = _COPIED.pop(database_url, None)
    database = Database(database_url, password_hasher=FAST_HASHER)
    if copied:
        _SEEDED[database] = seeded
    yield database
    database.close()


@dataclass
class School:
    admin: Actor
    coordinator: Actor
    teacher: Actor
    other_teacher: Actor
    learner: Actor
    other_learner: Actor
    learner_id: int
    other_learner_id: int
    mobility_id: int
    home_id: int
    host_id: int


def sign(db: Database, username: str) -> Actor:
    return accounts.authenticate(db, None, username, PASSWORD)


@pytest.fixture
def school(db: Database) -> School:
    """The seeded school: copied with the database when ``db`` was made for this test, else
    seeded here (a test module with a ``db`` of its own)."""
    made = _SEEDED.get(db)
    if made is not None:
        return copy.deepcopy(made["school"])
    return seed_school(db)


def seed_school(db: Database) -> School:
    """An administrator, a coordinator, two teachers, two learners with accounts, the home
    school, a host company and a mobility with one participant and its teacher."""
    accounts.create_first_administrator(db, None, "admin", "Anna Admina", PASSWORD)
    admin = sign(db, "admin")
    for name, role in (("coord", "coordinator"), ("teach", "teacher"), ("teach2", "teacher")):
        accounts.create_user(db, admin, name, name.title(), PASSWORD, [role])
    coordinator, teacher, other_teacher = (sign(db, n) for n in ("coord", "teach", "teach2"))
    home = organisations.update_home(
        db, admin, name="Rīgas Valsts tehnikums", country="LV", keep_birth_date=True
    )
    host = organisations.create(db, coordinator, "host", name="Werkstatt GmbH", country="DE")
    janis = learners.create(db, coordinator, "Jānis", "Bērziņš", dt.date(2007, 5, 1))
    liga = learners.create(db, coordinator, "Līga", "Kalniņa", dt.date(2008, 2, 3))
    accounts.create_user(db, admin, "janis", "Jānis", PASSWORD, ["learner"], learner_id=janis.id)
    accounts.create_user(db, admin, "liga", "Līga", PASSWORD, ["learner"], learner_id=liga.id)
    mobility = mobilities.create(
        db,
        coordinator,
        mobilities.MobilityDraft(
            "ER-2026-01",
            "Placement in Munich",
            home.id,
            host.id,
            "DE",
            dt.date(2026, 3, 1),
            dt.date(2026, 3, 28),
            host_mentor="Hans Müller",
            objective="Digital workshop tools",
        ),
    )
    mobilities.add_participants(db, coordinator, mobility.id, [janis.id])
    mobilities.assign_teacher(db, coordinator, mobility.id, teacher.user_id)
    return School(
        admin,
        coordinator,
        teacher,
        other_teacher,
        sign(db, "janis"),
        sign(db, "liga"),
        janis.id,
        liga.id,
        mobility.id,
        home.id,
        host.id,
    )


def complete_self_assessment(
    db: Database, learner: Actor, mobility_id: int | None, moment: str, level_for
) -> int:
    """Answer all 21 competences; ``level_for(competence_id)`` gives the level or None."""
    started = self_assessment.start(db, learner, mobility_id=mobility_id, moment=moment)
    for competence in builtin_library().default().competences():
        self_assessment.answer(db, learner, started.id, competence.id, level_for(competence.id))
    return self_assessment.complete(db, learner, started.id).id


SIGNING_PASSPHRASE = "school signing key"


@pytest.fixture
def signer(db: Database, school: School) -> signing.Signer:
    """The school's signing key, created by the administrator, unlocked by the coordinator
    (a prepared school that has it already, made the same way, is only unlocked)."""
    if prepared(db, "signing_key"):
        return signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE)
    return make_signer(db, school)


def make_signer(db: Database, school: School) -> signing.Signer:
    """The school's signing key, created by the administrator, unlocked by the coordinator."""
    signing.create_key(db, school.admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
    return signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE)
