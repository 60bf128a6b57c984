"""Schema migrations: every committed old database reaches the newest schema with its data,
and the models and the migrations describe the same schema."""

from __future__ import annotations

import shutil
import sqlite3

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from digcomp_app.services import accounts, audit, evidence, learners, mobilities, validation
from digcomp_app.services.database import Database
from digcomp_app.storage.engine import create_engine
from digcomp_app.storage.migrate import copy_sqlite_file, current_revision, head_revision, migrate
from digcomp_app.storage.models import Base
from tests.conftest import DATA

SCHEMAS = sorted((DATA / "schemas").glob("*.sqlite3"))


def test_there_is_a_fixture_for_every_revision_so_far():
    revisions = [f"{n:04d}" for n in range(1, int(head_revision()) + 1)]
    assert [p.stem for p in SCHEMAS] == revisions


@pytest.mark.parametrize("fixture", SCHEMAS, ids=[p.stem for p in SCHEMAS])
def test_old_database_migrates_and_keeps_its_data(tmp_path, fixture):
    path = tmp_path / fixture.name
    shutil.copy(fixture, path)
    db = Database(f"sqlite:///{path}")
    try:
        assert current_revision(db.engine) == head_revision()
        coord = accounts.authenticate(db, None, "coord", "fixture-password")
        teach = accounts.authenticate(db, None, "teach", "fixture-password")
        found = learners.search(db, coord, "snore eriks")
        assert [(x.given_names, x.surname) for x in found] == [("Ēriks", "Šņore")]
        case = validation.list_cases(db, teach)[0]
        assert case.stage == "documentation"
        item = evidence.list_items(db, teach, case.id)[0]
        assert evidence.open_file(db, teach, item.id).content == "Piezīmes ā č ē".encode()
        assert audit.verify(db, coord).intact
        if fixture.stem >= "0003":  # learner numbers, groups on cases, mobility texts
            assert found[0].learner_number == "R-0042" and found[0].groups == ("DT-23",)
            assert case.group == "DT-23"
            texts = mobilities.get(db, coord, case.mobility_id).texts
            assert texts["en"]["activities"] == "Workshop tasks"
        else:  # the upgrade kept the school's dates of birth and named their texts Latvian
            assert found[0].date_of_birth is not None
            mobility = mobilities.get(db, coord, case.mobility_id)
            assert mobility.texts["lv"]["title"] == mobility.title == "Fixture mobility"
    finally:
        db.close()


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
def test_models_and_migrations_agree(request, tmp_path, backend):
    if backend == "sqlite":
        url = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = create_engine(url)
    try:
        migrate(engine)
        with engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection), Base.metadata)
    finally:
        engine.dispose()
    assert differences == []


def test_an_up_to_date_database_is_not_copied(tmp_path):
    engine = create_engine(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    first = migrate(engine)
    again = migrate(engine)
    engine.dispose()
    assert first.from_revision is None and first.backup is None  # a new file needs no copy
    assert again.from_revision == head_revision() and again.backup is None


def test_the_copy_taken_before_migrating_is_a_whole_database(tmp_path):
    source = tmp_path / fixture_name()
    shutil.copy(SCHEMAS[0], source)
    copy = tmp_path / "copy.sqlite3"
    copy_sqlite_file(source, copy)
    with sqlite3.connect(copy) as connection:
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert connection.execute("SELECT COUNT(*) FROM learners").fetchone() == (1,)
    connection.close()


def fixture_name() -> str:
    return SCHEMAS[0].name


def test_the_head_revision_constant_is_alembics_head():
    from digcomp_app.storage.migrate import alembic_head_revision

    assert alembic_head_revision() == head_revision()
