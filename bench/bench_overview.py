"""The school overview of 20,000 learners × 21 competences: the service call, the screen's
render (offscreen) and both together, against a budget of 1 s, on SQLite and on PostgreSQL.

Setup (not timed): the 20,000-learner SQLite file of ``bench_learners`` (a completed
DigComp 3.0 self-assessment each, 800 groups of 25), plus 200 mobilities of 25 learners
(5,000 learners) with a self-assessment before and after each (210,000 more answers), a case
per participant with 21 assessments (105,000), and a certificate for 4 of every 5.
Timed: ``overview.figures`` as a coordinator on a new ``Database`` (the whole school, then
one group, one mobility), and the overview screen filling its charts and tables and
painting itself (``grab``) for the same figures.

    python -m bench.bench_overview [--url postgresql+psycopg://user@host/empty_database]
                                   [--only sqlite|postgresql]

SQLite: a temporary file. PostgreSQL: when ``DIGCOMP_TEST_DATABASE_URL`` names a server
(as for the tests), a new database on it, dropped afterwards; with ``--url``, that empty
database (the bench creates the schema and leaves the data there). After the load the
PostgreSQL database is vacuumed and analysed, as autovacuum would do on a school's server.
The budget is checked on each database timed.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import os
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import create_engine, insert, literal_column, text

from bench.bench_learners import LEARNERS, PASSWORD, populate
from bench.common import (
    POSTGRES_ENV,
    Budget,
    Timing,
    cpu_clock,
    measure,
    new_postgres_database,
)
from digcomp_app.framework import builtin_library
from digcomp_app.services import accounts, overview
from digcomp_app.services.database import Database
from digcomp_app.services.overview import Filters
from digcomp_app.storage.engine import sqlite_path
from digcomp_app.storage.models import (
    Assessment,
    Certificate,
    Mobility,
    MobilityParticipant,
    Organisation,
    SelfAssessment,
    SelfAssessmentAnswer,
    ValidationCase,
)

BUDGET_MS = 1000.0
MOBILITIES = 200
PER_MOBILITY = 25
RUNS = 7
WARMUP = 1
SEED = 20260315
BATCH = 10_000


def add_mobilities(url: str, hasher: PasswordHasher) -> None:
    """Mobilities with before/after self-assessments, cases, assessments, certificates."""
    rng = random.Random(SEED)
    competences = [c.id for c in builtin_library().get("digcomp", "3.0").competences()]
    db = Database(url, password_hasher=hasher)
    try:
        with db.engine.begin() as connection:
            connection.execute(
                insert(Organisation),
                [
                    {"id": 1, "name": "Skola", "kind": "school", "is_home": True},
                    {"id": 2, "name": "Host GmbH", "kind": "host", "is_home": False},
                ],
            )
            mobilities, participants, sheets, answers = [], [], [], []
            cases, assessments, certificates = [], [], []
            sheet_id, answer_id = LEARNERS, LEARNERS * len(competences)
            case_id = assessment_id = 0
            base = dt.date(2025, 1, 6)
            for m in range(1, MOBILITIES + 1):
                start = base + dt.timedelta(days=7 * m)
                mobilities.append(
                    {
                        "id": m,
                        "code": f"ER-{m:04d}",
                        "title": f"Placement {m}",
                        "sending_organisation_id": 1,
                        "host_organisation_id": 2,
                        "host_country": "DE",
                        "start_date": start,
                        "end_date": start + dt.timedelta(days=21),
                        "texts": {},
                    }
                )
                for k in range(PER_MOBILITY):
                    learner = (m - 1) * PER_MOBILITY + k + 1
                    participants.append({"mobility_id": m, "learner_id": learner})
                    before = [rng.choice([None, 1, 2, 3, 4, 5]) for _ in competences]
                    after = [min(8, (lv or 0) + rng.choice([0, 0, 1, 2])) or None for lv in before]
                    for moment, levels, day in (("before", before, 0), ("after", after, 22)):
                        sheet_id += 1
                        at = dt.datetime.combine(start, dt.time(9), dt.UTC) + dt.timedelta(days=day)
                        sheets.append(
                            {
                                "id": sheet_id,
                                "learner_id": learner,
                                "mobility_id": m,
                                "framework_id": "digcomp",
                                "framework_version": "3.0",
                                "moment": moment,
                                "started_at": at,
                                "completed_at": at + dt.timedelta(minutes=20),
                            }
                        )
                        for competence, level in zip(competences, levels, strict=True):
                            answer_id += 1
                            answers.append(
                                {
                                    "id": answer_id,
                                    "self_assessment_id": sheet_id,
                                    "competence_id": competence,
                                    "level": level,
                                    "note": "",
                                    "answered_at": at,
                                }
                            )
                    case_id += 1
                    certified = rng.random() < 0.8
                    cases.append(
                        {
                            "id": case_id,
                            "learner_id": learner,
                            "mobility_id": m,
                            "framework_id": "digcomp",
                            "framework_version": "3.0",
                            "stage": "certified"
                            if certified
                            else rng.choice(["identification", "documentation", "assessment"]),
                            "created_by": 1,
                        }
                    )
                    for competence, level in zip(competences, after, strict=True):
                        assessment_id += 1
                        assessments.append(
                            {
                                "id": assessment_id,
                                "case_id": case_id,
                                "competence_id": competence,
                                "level": level or 1,
                                "method": "observation",
                                "criteria": "",
                                "comment": "",
                                "assessor_id": 1,
                                "assessed_on": start + dt.timedelta(days=20),
                            }
                        )
                    if certified:
                        certificates.append(
                            {
                                "serial": f"DC-{case_id:06d}",
                                "case_id": case_id,
                                "learner_id": learner,
                                "mobility_id": m,
                                "issued_at": dt.datetime.combine(
                                    start + dt.timedelta(days=30), dt.time(12), dt.UTC
                                ),
                                "issued_by": 1,
                                "snapshot": "{}",
                                "content_hash": "0" * 64,
                            }
                        )
            for statement, rows in (
                (insert(Mobility), mobilities),
                (insert(MobilityParticipant), participants),
                (insert(SelfAssessment), sheets),
                (insert(SelfAssessmentAnswer).values(ticked=literal_column("'[]'")), answers),
                (insert(ValidationCase), cases),
                (insert(Assessment), assessments),
                (insert(Certificate), certificates),
            ):
                for start_at in range(0, len(rows), BATCH):
                    connection.execute(statement, rows[start_at : start_at + BATCH])
    finally:
        db.close()
    file = sqlite_path(url)
    if file is not None:
        with contextlib.closing(sqlite3.connect(file)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _line(label: str, timing: Timing) -> str:
    cpu = f", CPU {timing.cpu_ms:6.1f}" if timing.cpu_ms is not None else ""
    return (
        f"  {label:<40} median {timing.median_ms:7.1f} ms  "
        f"(best {timing.best_ms:6.1f}{cpu}, {timing.runs} runs)"
    )


def _server_pids(db: Database) -> Callable[[], list[int]]:
    """The PostgreSQL server processes serving the bench database (none for SQLite)."""
    if db.backend != "postgresql":
        return list
    with db.engine.connect() as connection:
        # a Unix socket or the loopback address: the server's processes are this machine's
        local = connection.scalar(
            text(
                "SELECT inet_server_addr() IS NULL "
                "OR host(inet_server_addr()) IN ('127.0.0.1', '::1')"
            )
        )
    if not local:
        return list

    def pids() -> list[int]:
        with db.engine.connect() as connection:
            return list(
                connection.scalars(
                    text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
                )
            )

    return pids


def _analyse(url: str) -> None:
    """VACUUM ANALYZE a PostgreSQL database after the bulk load: what autovacuum does on a
    school's server within a minute of so many new rows (the test server runs without
    autovacuum, and a table never analysed is planned from guesses)."""
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            connection.execute(text("VACUUM ANALYZE"))
    finally:
        engine.dispose()


def _time_database(url: str, name: str, hasher: PasswordHasher) -> list[tuple[str, Timing]]:
    """Fill the empty database at ``url`` and time the service, the render and both."""
    from PySide6.QtWidgets import QApplication

    from digcomp_app.ui.context import UiContext
    from digcomp_app.ui.screens.overview.view import OverviewScreen

    app = QApplication.instance() or QApplication([])
    began = time.perf_counter()
    populate(url, hasher)
    add_mobilities(url, hasher)
    file = sqlite_path(url)
    if file is None:
        _analyse(url)
    size = f"file {file.stat().st_size / 2**20:.1f} MiB" if file else "vacuumed and analysed"
    print(
        f"overview on {name}: {LEARNERS:,} learners, {MOBILITIES} mobilities of "
        f"{PER_MOBILITY}; setup {time.perf_counter() - began:.1f} s, {size}"
    )
    results: list[tuple[str, Timing]] = []
    db = Database(url, password_hasher=hasher)
    try:
        coordinator = accounts.authenticate(db, None, "koordinatore", PASSWORD)
        cpu = cpu_clock(_server_pids(db))
        screen = OverviewScreen(UiContext(db, coordinator, builtin_library()))
        screen.resize(1366, 768)
        screen.show()
        app.processEvents()
        for label, filters in (
            ("whole school", Filters()),
            ("one group", Filters(group_id=17)),
            ("one mobility", Filters(mobility_id=42)),
        ):
            figures = overview.figures(db, coordinator, filters)
            assert figures.learners, label

            def render(figures: overview.Overview = figures) -> None:
                screen.overview = figures
                screen.show_overview()
                screen.grab()  # every visible widget painted

            def both(filters: Filters = filters) -> None:
                screen.overview = overview.figures(db, coordinator, filters)
                screen.show_overview()
                screen.grab()

            for part, action in (
                ("service", lambda f=filters: overview.figures(db, coordinator, f)),
                ("render", render),
                ("total", both),
            ):
                timing = measure(action, RUNS, WARMUP, cpu)
                print(_line(f"{label}: {part}", timing))
                results.append((f"{label}: {part}", timing))
        screen.close()
    finally:
        db.close()
    return results


def main(argv: list[str] | None = None) -> int:
    arguments = argparse.ArgumentParser(
        description="The school overview, timed on SQLite and, when a server is given, PostgreSQL."
    )
    arguments.add_argument(
        "--url",
        help="an empty PostgreSQL database to fill (default: a new database on the server "
        f"of ${POSTGRES_ENV}, dropped afterwards)",
    )
    arguments.add_argument(
        "--only", choices=("sqlite", "postgresql"), help="time one database only"
    )
    given = arguments.parse_args(sys.argv[1:] if argv is None else argv)
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    server = given.url or os.environ.get(POSTGRES_ENV, "")
    timed: list[tuple[str, list[tuple[str, Timing]]]] = []
    if given.only != "postgresql":
        with tempfile.TemporaryDirectory(prefix="digcomp-bench-") as folder:
            url = f"sqlite:///{Path(folder) / 'overview.sqlite3'}"
            timed.append(("SQLite", _time_database(url, "SQLite", hasher)))
    if given.only != "sqlite":
        if given.url:
            timed.append(("PostgreSQL", _time_database(given.url, "PostgreSQL", hasher)))
        elif server:
            with new_postgres_database(server) as url:
                timed.append(("PostgreSQL", _time_database(url, "PostgreSQL", hasher)))
        else:
            print(f"overview on PostgreSQL: not timed (set {POSTGRES_ENV} or give --url)")
    budget = Budget("overview")
    for name, results in timed:
        for label, timing in results:
            if label.endswith("total"):
                budget.check(
                    f"{name}, {label}",
                    timing.median_ms < BUDGET_MS,
                    f"{timing.median_ms:.0f} ms < {BUDGET_MS:.0f} ms",
                )
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
