"""Schema migrations: every committed old database reaches the newest schema with its data,
and the models and the migrations describe the same schema."""

from __future__ import annotations

import ast
import contextlib
import shutil
import sqlite3
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from digcomp_app.services import accounts, audit, evidence, learners, mobilities, validation
from digcomp_app.services.database import Database
from digcomp_app.storage import migrate as migrate_module
from digcomp_app.storage.engine import create_engine
from digcomp_app.storage.migrate import copy_sqlite_file, current_revision, head_revision, migrate
from digcomp_app.storage.models import Base
from tests.conftest import DATA

SCHEMAS = sorted((DATA / "schemas").glob("*.sqlite3"))
VERSIONS = Path(migrate_module.__file__).parent / "migrations" / "versions"


def migration_revisions() -> dict[str, str | None]:
    """``revision: down_revision`` of every migration script in the migrations folder, read
    from the scripts themselves (not from a list kept by hand)."""
    found: dict[str, str | None] = {}
    for script in sorted(VERSIONS.glob("*.py")):
        values = {}
        for node in ast.parse(script.read_text(encoding="utf-8")).body:
            if (
                isinstance(node, ast.Assign)
                and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in ("revision", "down_revision")
            ):
                values[node.targets[0].id] = ast.literal_eval(node.value)
        if "revision" in values:
            assert values["revision"] not in found, f"{script.name}: a revision seen twice"
            found[values["revision"]] = values.get("down_revision")
    return found


def stored_revision(fixture: Path) -> str:
    with contextlib.closing(sqlite3.connect(f"file:{fixture}?mode=ro", uri=True)) as db:
        return str(db.execute("SELECT version_num FROM alembic_version").fetchone()[0])


def test_the_migrations_folder_is_read():
    revisions = migration_revisions()
    assert len(revisions) >= 6 and head_revision() in revisions
    # one chain from the first revision to the head, as Alembic runs them
    chain, revision = [], head_revision()
    while revision is not None:
        chain.append(revision)
        revision = revisions[revision]
    assert sorted(chain) == sorted(revisions)


def test_there_is_a_fixture_for_every_revision_so_far():
    """An old database per revision, named after it and holding it: a new migration comes
    with a database at the schema before it (tools/make_schema_fixture.py)."""
    missing = sorted(set(migration_revisions()) - {p.stem for p in SCHEMAS})
    assert missing == [], f"no old database in tests/data/schemas for revisions {missing}"
    unknown = sorted({p.stem for p in SCHEMAS} - set(migration_revisions()))
    assert unknown == [], f"databases for revisions no migration has: {unknown}"
    assert {p.stem: stored_revision(p) for p in SCHEMAS} == {p.stem: p.stem for p in SCHEMAS}


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
