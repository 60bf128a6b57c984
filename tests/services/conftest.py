"""Service tests run on SQLite and, when DIGCOMP_TEST_DATABASE_URL names a server, PostgreSQL.

Each test gets a new, migrated database, seeded through the public services.
"""

from __future__ import annotations

import datetime as dt
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import pytest
from argon2 import PasswordHasher
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

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

PG_URL = os.environ.get("DIGCOMP_TEST_DATABASE_URL", "")
#: cheap hashing for tests; the app uses argon2-cffi's defaults
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
PASSWORD = "correct horse"


def new_postgres_database() -> tuple[str, Callable[[], None]]:
    """A new, empty database on the test server, and a function that drops it."""
    server = make_url(PG_URL).set(drivername="postgresql+psycopg")
    name = f"digcomp_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


@pytest.fixture
def postgres_url() -> Iterator[str]:
    if not PG_URL:
        pytest.skip("DIGCOMP_TEST_DATABASE_URL is not set")
    url, drop = new_postgres_database()
    try:
        yield url
    finally:
        drop()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'school.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def db(database_url) -> Iterator[Database]:
    database = Database(database_url, password_hasher=FAST_HASHER)
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
    """The school's signing key, created by the administrator, unlocked by the coordinator."""
    signing.create_key(db, school.admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
    return signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE)
