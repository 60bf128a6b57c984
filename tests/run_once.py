"""What is built once per test run and then copied: the demo school, empty migrated
databases and a small seeded school, as SQLite files and as PostgreSQL template databases.

The suite runs in several processes (pytest-xdist workers). The first process that needs a
thing builds it, under a lock file in the folder all workers of the run share; the others
wait for it and use the same result. Each test then works on its own copy: a copied SQLite
file, or on PostgreSQL a copy of a template database (``CREATE DATABASE … TEMPLATE …``, several
times faster than running the migrations again) that each process keeps and gives back, as
it was made, after each test (see ``_Copy``).

The databases carry the run's name (``RUN_ENV``, set by ``tests/conftest.py`` before the
workers start); :func:`drop_run_databases` drops them at the end of the run.
"""

from __future__ import annotations

import os
import pickle
import re
import shutil
import sqlite3
import time
import uuid
from collections import defaultdict
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
CLONE_PREFIX = "digcomp_t_"
#: a run's databases left on the server this long are a killed run's (no run lasts hours)
STALE_HOURS = 12


def new_run_name() -> str:
    """When the run started (seconds, 8 hexadecimal digits) and 4 random ones."""
    return f"{int(time.time()):08x}{uuid.uuid4().hex[:4]}"


def run_name() -> str:
    """This run's name; a run without ``tests/conftest.py``'s set-up gets one of its own."""
    return os.environ.setdefault(RUN_ENV, new_run_name())


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


def _create_database(admin: Any, template: str | None) -> str:
    name = f"{CLONE_PREFIX}{run_name()}_{uuid.uuid4().hex[:12]}"
    copy = f' TEMPLATE "{template}"' if template else ""
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"{copy}'))
    return name


def _drop_database(admin: Any, name: str) -> None:
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def new_postgres_database(
    server_url: str, template: str | None = None
) -> tuple[str, Callable[[], None]]:
    """A new database on the test server (empty, or a copy of ``template``), and a function
    that drops it."""
    server = _server(server_url)
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    name = _create_database(admin, template)

    def drop() -> None:
        _drop_database(admin, name)
        admin.dispose()

    return server.set(database=name).render_as_string(hide_password=False), drop


# --------------------------------------------------------------- copies used again


#: the schema of a database as one digest: relations and their columns, constraints,
#: defaults, functions, triggers, extensions, privileges, the database's own settings and
#: large objects (what a test could change besides rows and sequences)
_SCHEMA_DIGEST = """
SELECT md5(string_agg(item, '|' ORDER BY item)) FROM (
    SELECT 'rel ' || n.nspname || '.' || c.relname || ' ' || c.relkind::text || ' '
        || coalesce(c.relacl::text, '') || coalesce(c.reloptions::text, '') || ' '
        || coalesce((SELECT string_agg(a.attname || ' ' || format_type(a.atttypid, a.atttypmod)
                || ' ' || a.attnotnull || ' ' || coalesce(pg_get_expr(d.adbin, d.adrelid), ''),
                ',' ORDER BY a.attnum)
            FROM pg_attribute a LEFT JOIN pg_attrdef d
                ON d.adrelid = a.attrelid AND d.adnum = a.attnum
            WHERE a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped), '')
    FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND n.nspname NOT LIKE 'pg_toast%' AND n.nspname NOT LIKE 'pg_temp%'
    UNION ALL SELECT 'con ' || conrelid::regclass::text || ' ' || conname || ' '
        || pg_get_constraintdef(oid) FROM pg_constraint
        WHERE conrelid <> 0 AND connamespace::regnamespace::text NOT LIKE 'pg\\_temp\\_%'
    UNION ALL SELECT 'idx ' || indexrelid::regclass::text || ' ' || pg_get_indexdef(indexrelid)
        FROM pg_index WHERE indrelid::regclass::text NOT LIKE 'pg\\_%'
    UNION ALL SELECT 'fun ' || p.oid::regprocedure::text FROM pg_proc p
        JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname NOT IN ('pg_catalog', 'information_schema')
    UNION ALL SELECT 'trg ' || tgrelid::regclass::text || ' ' || tgname
        FROM pg_trigger
        WHERE NOT tgisinternal AND tgrelid::regclass::text NOT LIKE 'pg\\_temp\\_%'
    UNION ALL SELECT 'ext ' || extname || ' ' || extversion FROM pg_extension
    UNION ALL SELECT 'nsp ' || nspname FROM pg_namespace
        WHERE nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
    UNION ALL SELECT 'set ' || setrole || ' ' || array_to_string(setconfig, ',')
        FROM pg_db_role_setting
        WHERE setdatabase = (SELECT oid FROM pg_database WHERE datname = current_database())
    UNION ALL SELECT 'lob ' || count(*) FROM pg_largeobject_metadata
) AS items (item)
"""
_TABLES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname
"""
_FOREIGN_KEYS = """
SELECT child.relname, parent.relname FROM pg_constraint k
JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid
WHERE k.contype = 'f' AND k.connamespace = 'public'::regnamespace
"""
_SEQUENCES = """
SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = 'public' AND c.relkind = 'S' ORDER BY c.relname
"""


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


class _Copy:
    """One copy of a template database, used by one test after another: after each test
    it is given back as it was made. The tables a test changed (seen by their row count
    and newest row version) are emptied with TRUNCATE, together with the tables that
    refer to them, and filled again with the template's rows; every sequence is set back.
    So a test finds the rows, ids and schema of a fresh copy, in fresh table files, and
    the server is spared a CREATE DATABASE and a DROP DATABASE per test (each DROP makes it
    write a checkpoint). A copy whose schema a test changed is dropped instead."""

    def __init__(self, admin: Any, server: Any, template: str) -> None:
        self.admin = admin
        self.name = _create_database(admin, template)
        self.url = server.set(database=self.name)
        self.connection = self._connect()
        run = self.connection.execute
        self.tables = [row[0] for row in run(_TABLES)]
        referring: dict[str, set[str]] = defaultdict(set)
        needs: dict[str, set[str]] = defaultdict(set)
        for child, parent in run(_FOREIGN_KEYS):
            if child != parent:
                referring[parent].add(child)
                needs[child].add(parent)
        self.referring = referring
        self.order = _parents_first(self.tables, needs)
        self.rows = {table: self._copy_out(table) for table in self.tables}
        self.sequences = [
            (name, *run(f"SELECT last_value, is_called FROM {_quoted(name)}").fetchone())
            for (name,) in run(_SEQUENCES)
        ]
        self.schema = run(_SCHEMA_DIGEST).fetchone()[0]
        self.state = self._state()

    def _connect(self) -> Any:
        import psycopg

        conninfo = self.url.set(drivername="postgresql").render_as_string(hide_password=False)
        return psycopg.connect(conninfo, autocommit=True)

    def _copy_out(self, table: str) -> bytes:
        data = bytearray()
        with self.connection.cursor().copy(
            f"COPY {_quoted(table)} TO STDOUT (FORMAT BINARY)"
        ) as copy:
            for chunk in copy:
                data += chunk
        return bytes(data)

    def _state(self) -> dict[str, tuple[int, int]]:
        """Each table's row count and newest row version (xmin)."""
        query = " UNION ALL ".join(
            f"SELECT {i}, count(*), coalesce(max(xmin::text::bigint), 0) FROM {_quoted(table)}"
            for i, table in enumerate(self.tables)
        )
        return {
            self.tables[i]: (count, newest) for i, count, newest in self.connection.execute(query)
        }

    def give_back(self) -> bool:
        """As it was made again (True), or dropped (False: its schema was changed)."""
        import psycopg

        try:
            self.connection.execute("SELECT 1")
        except psycopg.OperationalError:  # the test ended every connection to its database
            self.connection.close()
            self.connection = self._connect()
        run = self.connection.execute
        run(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        if run(_SCHEMA_DIGEST).fetchone()[0] != self.schema:
            self.drop()
            return False
        state = self._state()
        changed = {table for table in self.tables if state[table] != self.state[table]}
        while more := {c for t in changed for c in self.referring[t]} - changed:
            changed |= more
        with self.connection.transaction():
            if changed:
                run("TRUNCATE " + ", ".join(_quoted(t) for t in sorted(changed)))
                for table in self.order:
                    if table in changed and self.rows[table]:
                        with self.connection.cursor().copy(
                            f"COPY {_quoted(table)} FROM STDIN (FORMAT BINARY)"
                        ) as copy:
                            copy.write(self.rows[table])
            if self.sequences:  # all in one statement
                run(
                    "SELECT " + ", ".join(["setval(%s, %s, %s)"] * len(self.sequences)),
                    [
                        value
                        for name, last_value, is_called in self.sequences
                        for value in (_quoted(name), last_value, is_called)
                    ],
                )
        if changed:
            self.state = self._state()
        return True

    def drop(self) -> None:
        self.connection.close()
        _drop_database(self.admin, self.name)


def _parents_first(tables: list[str], needs: dict[str, set[str]]) -> list[str]:
    order: list[str] = []

    def place(table: str, path: tuple[str, ...]) -> None:
        if table in order:
            return
        if table in path:
            raise ValueError(f"the foreign keys of {table} go round in a circle")
        for parent in sorted(needs[table]):
            place(parent, (*path, table))
        order.append(table)

    for table in tables:
        place(table, ())
    return order


class _Copies:
    """This process's copies of the templates, one each, free or in use by a test."""

    def __init__(self, server_url: str) -> None:
        self.server = _server(server_url)
        self.admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
        self.free: dict[str, _Copy] = {}

    def take(self, template: str) -> tuple[str, Callable[[], None]]:
        copy = self.free.pop(template, None) or _Copy(self.admin, self.server, template)

        def give_back() -> None:
            if copy.give_back():
                self.free[template] = copy

        return copy.url.render_as_string(hide_password=False), give_back

    def close(self) -> None:
        for copy in self.free.values():
            copy.drop()
        self.free.clear()
        self.admin.dispose()


_COPIES: dict[str, _Copies] = {}


def postgres_copy(server_url: str, template: str) -> tuple[str, Callable[[], None]]:
    """A database on the test server as ``template`` is (used again after a reset, see
    _Copy), and the function that gives it back after the test."""
    if server_url not in _COPIES:
        _COPIES[server_url] = _Copies(server_url)
    return _COPIES[server_url].take(template)


def stop() -> None:
    """Drop this process's copies (at the end of its session)."""
    while _COPIES:
        _COPIES.popitem()[1].close()


def drop_stale_databases(server_url: str, hours: float = STALE_HOURS) -> None:
    """Drop the databases of runs that started over ``hours`` ago and were killed before
    they could drop their own (called at the start of a run)."""
    admin = create_engine(_server(server_url), isolation_level="AUTOCOMMIT")
    oldest = int(time.time() - hours * 3600)
    try:
        with admin.connect() as connection:
            names = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname ~ :pattern"),
                {"pattern": f"^({CLONE_PREFIX}|{TEMPLATE_PREFIX})[0-9a-f]{{12}}_"},
            ).scalars()
            for name in list(names):
                run = re.match(rf"(?:{TEMPLATE_PREFIX}|{CLONE_PREFIX})([0-9a-f]{{8}})", name)
                if run is not None and int(run[1], 16) < oldest:
                    connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


def drop_run_databases(server_url: str) -> None:
    """Drop this run's template databases, and any copy a process left behind (called once,
    by the process that started the run, after every worker has finished)."""
    admin = create_engine(_server(server_url), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            names = connection.execute(
                text("SELECT datname FROM pg_database WHERE datname LIKE ANY (:patterns)"),
                {
                    "patterns": [
                        f"{prefix}{run_name()}\\_%" for prefix in (CLONE_PREFIX, TEMPLATE_PREFIX)
                    ]
                },
            ).scalars()
            for name in list(names):
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
