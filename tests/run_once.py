"""What is built once per test run and then copied: the demo school, empty migrated
databases and a small seeded school, as SQLite files and as PostgreSQL template databases.

The suite runs in several processes (pytest-xdist workers). The first process that needs a
thing builds it, under a lock file in the folder all workers of the run share; the others
wait for it and use the same result. Each test then works on its own copy: a copied SQLite
file, or a PostgreSQL database made with ``CREATE DATABASE … TEMPLATE …`` (the server
copies the files: several times faster than running the migrations again).

The template databases carry the run's name (``RUN_ENV``, set by ``tests/conftest.py``
before the workers start) and are dropped at the end of the run by
:func:`drop_templates`.
"""

from __future__ import annotations

import os
import pickle
import shutil
import sqlite3
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

#: the environment variable naming this run (its template databases start with the name)
RUN_ENV = "DIGCOMP_TEST_RUN"
#: how long a process waits for another to finish building (the demo school takes ~15 s)
WAIT_SECONDS = 900
TEMPLATE_PREFIX = "digcomp_tpl_"


def run_name() -> str:
    """This run's name; a run without ``tests/conftest.py``'s set-up gets one of its own."""
    return os.environ.setdefault(RUN_ENV, uuid.uuid4().hex[:10])


def shared_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder every process of this run sees: pytest-xdist gives each worker a folder
    of its own inside the run's folder."""
    base = tmp_path_factory.getbasetemp()
    return base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base


def once(tmp_path_factory: pytest.TempPathFactory, name: str, build: Callable[[], Any]) -> Any:
    """``build()``'s result (pickled), made by the first process of the run that asks for
    ``name``; the others wait for it. A failed build fails every process that waits."""
    folder = shared_folder(tmp_path_factory) / "run-once"
    folder.mkdir(exist_ok=True)
    result, failed = folder / f"{name}.pickle", folder / f"{name}.failed"
    try:
        os.close(os.open(folder / f"{name}.lock", os.O_CREAT | os.O_EXCL | os.O_WRONLY))
    except FileExistsError:
        deadline = time.monotonic() + WAIT_SECONDS
        while not result.exists():
            if failed.exists():
                pytest.fail(f"building {name} failed in another process:\n{failed.read_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"building {name} in another process took over {WAIT_SECONDS} s")
            time.sleep(0.05)
        return pickle.loads(result.read_bytes())
    try:
        value = build()
    except BaseException as error:
        failed.write_text(f"{type(error).__name__}: {error}", "utf-8")
        raise
    staged = folder / f"{name}.pickle.part"
    staged.write_bytes(pickle.dumps(value))
    staged.replace(result)  # whole or not at all: the waiting processes read it
    return value


def sqlite_file(
    tmp_path_factory: pytest.TempPathFactory, name: str, fill: Callable[[str], Any]
) -> tuple[Path, Any]:
    """An SQLite file made once per run by ``fill(url)`` (which may return a picklable
    value about it); copy it with :func:`copy_sqlite`, never write to it."""

    def build() -> tuple[Path, Any]:
        path = shared_folder(tmp_path_factory) / "run-once" / f"{name}.sqlite3"
        value = fill(f"sqlite:///{path}")
        with sqlite3.connect(path) as connection:  # one self-contained file to copy
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        connection.close()
        return path, value

    path, value = once(tmp_path_factory, f"sqlite-{name}", build)
    return Path(path), value


def copy_sqlite(template: Path, target: Path) -> Path:
    shutil.copyfile(template, target)
    return target


def _server(url: str) -> Any:
    return make_url(url).set(drivername="postgresql+psycopg")


def postgres_template(
    tmp_path_factory: pytest.TempPathFactory, server_url: str, name: str, fill: Callable[[str], Any]
) -> tuple[str, Any]:
    """A template database on the test server made once per run by ``fill(url)`` (which may
    return a picklable value about it); copy it with :func:`new_postgres_database`."""

    def build() -> tuple[str, Any]:
        database = f"{TEMPLATE_PREFIX}{run_name()}_{name}"
        admin = create_engine(_server(server_url), isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{database}"'))
            url = _server(server_url).set(database=database)
            value = fill(url.render_as_string(hide_password=False))
            with admin.connect() as connection:
                # no one connects to it again (a connection would stop its copying)
                connection.execute(text(f'ALTER DATABASE "{database}" ALLOW_CONNECTIONS false'))
        finally:
            admin.dispose()
        return database, value

    return once(tmp_path_factory, f"postgresql-{name}", build)


def new_postgres_database(
    server_url: str, template: str | None = None
) -> tuple[str, Callable[[], None]]:
    """A new database on the test server (empty, or a copy of ``template``), and a function
    that drops it."""
    server = _server(server_url)
    name = f"digcomp_t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))

    def drop() -> None:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


def drop_templates(server_url: str) -> None:
    """Drop this run's template databases (called once, by the process that started the
    run, after every worker has finished)."""
    admin = create_engine(_server(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            names = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE :pattern"),
                {"pattern": f"{TEMPLATE_PREFIX}{run_name()}_%"},
            ).scalars()
            for name in list(names):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
