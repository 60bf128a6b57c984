"""Searching 20,000 learners by a name fragment, and loading one learner's full record.

Budget (issue text): "times searching learners by name fragment and loading one learner's
full record. Budget: each under 50 ms on SQLite".

Setup (not timed): a fresh, migrated SQLite file with 20,000 learners with Latvian names
and one completed DigComp 3.0 self-assessment each (21 answers: 420,000 answer rows), a
learner number each and 800 groups of 25 (as after a roster import; a search shows each
found learner's group and whether they have an account),
bulk-inserted with SQLAlchemy Core into the storage models' tables, the columns filled as
the services fill them. Timed: the public services, called as a coordinator, on a new
``Database`` object (nothing cached in SQLAlchemy between setup and timing).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import itertools
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import insert, literal_column

from bench.common import Budget, Timing, measure
from digcomp_app.framework import builtin_library
from digcomp_app.services import accounts, learners, self_assessment
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor, Role
from digcomp_app.storage.engine import sqlite_path
from digcomp_app.storage.models import (
    Group,
    GroupMember,
    Learner,
    SelfAssessment,
    SelfAssessmentAnswer,
)

BUDGET_MS = 50.0
LEARNERS = 20_000
SEED = 20260301
BATCH = 10_000
RUNS = 25
WARMUP = 3
PASSWORD = "bench-password"
#: the issue's examples, then a single letter: nearly every learner matches, so the
#: sort before LIMIT works on the whole table (the first keystroke of a search box)
FRAGMENTS = ("berz", "līg", "janis ozol", "a", "S-1234")
#: learners per group (class); each learner is in one group, as after a roster import
GROUP_SIZE = 25

MALE_GIVEN = (
    "Jānis", "Andris", "Mārtiņš", "Kārlis", "Roberts", "Edgars", "Artūrs", "Pēteris",
    "Juris", "Aleksandrs", "Dāvis", "Kristaps", "Rihards", "Ralfs", "Markuss", "Gustavs",
    "Emīls", "Daniels", "Ēriks", "Oskars", "Ričards", "Krišjānis", "Toms", "Renārs",
    "Raivis", "Valters", "Edvards", "Matīss", "Miķelis", "Ivars", "Raimonds", "Gints",
    "Mārcis", "Uldis", "Armands", "Jēkabs", "Niks", "Reinis", "Aigars", "Kristiāns",
)  # fmt: skip
FEMALE_GIVEN = (
    "Anna", "Līga", "Laura", "Elīza", "Marta", "Sofija", "Alise", "Ance", "Keita",
    "Katrīna", "Kristīne", "Ilze", "Inese", "Zane", "Dace", "Santa", "Evelīna", "Paula",
    "Estere", "Emīlija", "Amēlija", "Elizabete", "Madara", "Agnese", "Sanita", "Lāsma",
    "Līva", "Linda", "Dārta", "Beāte", "Rūta", "Ieva", "Gunta", "Baiba", "Marija",
    "Līna", "Ligita", "Annija", "Viktorija", "Everita",
)  # fmt: skip
#: (masculine, feminine) forms of common Latvian surnames
SURNAMES = (
    ("Bērziņš", "Bērziņa"), ("Kalniņš", "Kalniņa"), ("Ozoliņš", "Ozoliņa"),
    ("Jansons", "Jansone"), ("Ozols", "Ozola"), ("Liepiņš", "Liepiņa"),
    ("Krūmiņš", "Krūmiņa"), ("Balodis", "Balode"), ("Eglītis", "Eglīte"),
    ("Zariņš", "Zariņa"), ("Pētersons", "Pētersone"), ("Vītols", "Vītola"),
    ("Kļaviņš", "Kļaviņa"), ("Kārkliņš", "Kārkliņa"), ("Vanags", "Vanaga"),
    ("Lācis", "Lāce"), ("Zvirbulis", "Zvirbule"), ("Siliņš", "Siliņa"),
    ("Jankovskis", "Jankovska"), ("Krastiņš", "Krastiņa"), ("Strautiņš", "Strautiņa"),
    ("Bērzs", "Bērza"), ("Kalējs", "Kalēja"), ("Grīnbergs", "Grīnberga"),
    ("Rozenbergs", "Rozenberga"), ("Sproģis", "Sproģe"), ("Celmiņš", "Celmiņa"),
    ("Dūmiņš", "Dūmiņa"), ("Jurēvičs", "Jurēviča"), ("Lapiņš", "Lapiņa"),
    ("Ābols", "Ābola"), ("Saulītis", "Saulīte"), ("Vilks", "Vilka"),
    ("Skujiņš", "Skujiņa"), ("Šmits", "Šmite"), ("Āboliņš", "Āboliņa"),
    ("Puriņš", "Puriņa"), ("Gailītis", "Gailīte"), ("Mežs", "Meža"),
    ("Ziediņš", "Ziediņa"), ("Ķēniņš", "Ķēniņa"), ("Briedis", "Briede"),
)  # fmt: skip


def _name(rng: random.Random) -> tuple[str, str]:
    male = rng.random() < 0.5
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    given = rng.choice(pool)
    if rng.random() < 0.05:  # a second given name now and then: "Anna Marija"
        given = f"{given} {rng.choice([n for n in pool if n != given])}"
    surname = rng.choice(SURNAMES)[0 if male else 1]
    return given, surname


def populate(url: str, hasher: PasswordHasher) -> None:
    """Fill the database: learners, self-assessments, answers; an administrator and a
    coordinator (through the accounts service)."""
    rng = random.Random(SEED)
    competences = [c.id for c in builtin_library().get("digcomp", "3.0").competences()]
    assert len(competences) == 21, competences
    levels: list[int | None] = [None, *range(1, 9)]
    level_weights = [3, 6, 10, 12, 10, 6, 3, 1, 1]  # a school: mostly 2-5, some "not yet"
    base = dt.datetime(2025, 9, 1, 8, 0, tzinfo=dt.UTC)

    learner_rows, assessment_rows, answer_rows = [], [], []
    answer_id = 0
    for learner_id in range(1, LEARNERS + 1):
        given, surname = _name(rng)
        created = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 30))
        learner_rows.append(
            {
                "id": learner_id,
                "given_names": given,
                "surname": surname,
                "search_name": learners.fold(f"{given} {surname} {surname} {given}"),
                "date_of_birth": dt.date(2005 + rng.randrange(6), rng.randrange(1, 13), 1)
                + dt.timedelta(days=rng.randrange(28)),
                "email": "",
                "organisation_id": None,
                "created_at": created,
                "learner_number": f"S-{learner_id:05d}",
                "active": True,
            }
        )
        started = created + dt.timedelta(days=rng.randrange(1, 200), minutes=rng.randrange(600))
        answered = started
        chosen = rng.choices(levels, level_weights, k=len(competences))
        for competence_id, level in zip(competences, chosen, strict=True):
            answered += dt.timedelta(seconds=rng.randrange(20, 180))
            answer_id += 1
            answer_rows.append(
                {
                    "id": answer_id,
                    "self_assessment_id": learner_id,
                    "competence_id": competence_id,
                    "level": level,
                    "note": "",
                    "answered_at": answered,
                }
            )
        assessment_rows.append(
            {
                "id": learner_id,
                "learner_id": learner_id,
                "mobility_id": None,
                "framework_id": "digcomp",
                "framework_version": "3.0",
                "moment": "other",
                "started_at": started,
                "completed_at": answered + dt.timedelta(seconds=30),
            }
        )

    group_rows = [
        {"id": n + 1, "name": f"G-{n + 1:03d}", "school_year": "2026/2027"}
        for n in range(LEARNERS // GROUP_SIZE)
    ]
    member_rows = [
        {"group_id": (learner_id - 1) // GROUP_SIZE + 1, "learner_id": learner_id}
        for learner_id in range(1, LEARNERS + 1)
    ]
    db = Database(url, password_hasher=hasher)
    try:
        with db.engine.begin() as connection:
            for statement, rows in (
                (insert(Learner), learner_rows),
                (insert(Group), group_rows),
                (insert(GroupMember), member_rows),
                (insert(SelfAssessment), assessment_rows),
                # ticked: no box ticked, stored as the JSON type stores [] - written once
                # into the statement instead of json.dumps-ing 420,000 empty lists
                (insert(SelfAssessmentAnswer).values(ticked=literal_column("'[]'")), answer_rows),
            ):
                for start in range(0, len(rows), BATCH):
                    connection.execute(statement, rows[start : start + BATCH])
        accounts.create_first_administrator(db, None, "admin", "Administrator", PASSWORD)
        admin = accounts.authenticate(db, None, "admin", PASSWORD)
        accounts.create_user(
            db, admin, "koordinatore", "Inga Koordinatore", PASSWORD, ["coordinator"]
        )
    finally:
        db.close()
    # Fold the WAL into the file before sizing it (outside SQLAlchemy: the engine starts
    # every transaction with BEGIN IMMEDIATE, and a checkpoint cannot run inside one).
    file = sqlite_path(url)
    if file is not None:
        with contextlib.closing(sqlite3.connect(file)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _line(label: str, timing: Timing, extra: str = "") -> str:
    return (
        f"  {label:<34} median {timing.median_ms:6.2f} ms  "
        f"(best {timing.best_ms:5.2f}, {timing.runs} runs){extra}"
    )


def main() -> int:
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    with tempfile.TemporaryDirectory(prefix="digcomp-bench-") as folder:
        path = Path(folder) / "learners.sqlite3"
        url = f"sqlite:///{path}"
        began = time.perf_counter()
        populate(url, hasher)
        setup_s = time.perf_counter() - began
        size_mib = path.stat().st_size / 2**20
        print(
            f"learners: {LEARNERS:,} learners, {LEARNERS:,} self-assessments, "
            f"{LEARNERS * 21:,} answers; setup {setup_s:.1f} s, file {size_mib:.1f} MiB"
        )

        db = Database(url, password_hasher=hasher)  # new engine: nothing cached from setup
        try:
            coordinator: Actor = accounts.authenticate(db, None, "koordinatore", PASSWORD)
            assert coordinator.has(Role.COORDINATOR)
            results: list[tuple[str, Timing]] = []
            for fragment in FRAGMENTS:
                found = learners.search(db, coordinator, fragment)
                timing = measure(
                    lambda f=fragment: learners.search(db, coordinator, f), RUNS, WARMUP
                )
                label = f'search "{fragment}"'
                print(_line(label, timing, f"  -> {len(found)} shown"))
                results.append((label, timing))

            ids = itertools.cycle(random.Random(SEED + 1).sample(range(1, LEARNERS + 1), 50))

            def full_record() -> None:
                learner_id = next(ids)
                record = learners.get_record(db, coordinator, learner_id)
                history = self_assessment.history(db, coordinator, learner_id)
                assert record.self_assessment_ids == (history[0].id,)
                assert len(history[0].answers) == 21

            timing = measure(full_record, RUNS, WARMUP)
            print(_line("full record (get_record + history)", timing))
            results.append(("full record", timing))
        finally:
            db.close()

    budget = Budget("learners")
    for label, timing in results:
        budget.check(
            label,
            timing.median_ms < BUDGET_MS,
            f"{timing.median_ms:.2f} ms < {BUDGET_MS:.0f} ms",
        )
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
