#!/usr/bin/env python3
"""Save a small database at the current schema revision for the migration tests.

    python tools/make_schema_fixture.py

Run it once for each new schema revision, *before* writing the next migration, and commit
tests/data/schemas/<revision>.sqlite3: tests/storage/test_migrations.py then migrates every
committed revision to the newest schema and checks that the data is still there.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import sys
from pathlib import Path

from argon2 import PasswordHasher

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digcomp_app.services import (  # noqa: E402
    accounts,
    evidence,
    learners,
    mobilities,
    organisations,
    validation,
)
from digcomp_app.services.database import Database  # noqa: E402
from digcomp_app.storage.migrate import head_revision  # noqa: E402

PASSWORD = "fixture-password"


def main() -> int:
    target = ROOT / "tests" / "data" / "schemas" / f"{head_revision()}.sqlite3"
    target.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    db = Database(
        f"sqlite:///{target}",
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    accounts.create_first_administrator(db, None, "admin", "Admin", PASSWORD)
    admin = accounts.authenticate(db, None, "admin", PASSWORD)
    accounts.create_user(db, admin, "coord", "Coordinator", PASSWORD, ["coordinator"])
    accounts.create_user(db, admin, "teach", "Teacher", PASSWORD, ["teacher"])
    coord = accounts.authenticate(db, None, "coord", PASSWORD)
    teach = accounts.authenticate(db, None, "teach", PASSWORD)
    home = organisations.update_home(
        db, admin, name="Liepājas Valsts tehnikums", country="LV", keep_birth_date=True
    )
    host = organisations.create(db, coord, "host", name="Taller Sevilla", country="ES")
    group = learners.create_group(db, coord, "DT-23", "2026/2027")
    learner = learners.create(
        db, coord, "Ēriks", "Šņore", dt.date(2007, 9, 9), learner_number="R-0042", group_id=group.id
    )
    mobility = mobilities.create(
        db,
        coord,
        mobilities.MobilityDraft(
            "FX-1",
            "Fixture mobility",
            home.id,
            host.id,
            "ES",
            dt.date(2025, 4, 1),
            dt.date(2025, 4, 30),
            texts={
                "lv": {"title": "Fixture mobility", "objective": "Mērķis"},
                "en": {"title": "Fixture mobility (EN)", "activities": "Workshop tasks"},
            },
        ),
    )
    mobilities.add_participants(db, coord, mobility.id, [learner.id])
    mobilities.assign_teacher(db, coord, mobility.id, teach.user_id)
    case = validation.open_case(db, teach, learner.id, mobility.id)
    validation.set_targets(db, teach, case.id, [validation.TargetDraft("1.1", 3)])
    validation.advance(db, teach, case.id)
    evidence.add_file(db, teach, case.id, "notes.txt", "Piezīmes ā č ē".encode(), "Notes", ("1.1",))
    db.close()
    # One self-contained, compact file to commit (no -wal / -shm beside it).
    with sqlite3.connect(target) as connection:
        connection.execute("PRAGMA journal_mode=DELETE")
    connection.close()
    with sqlite3.connect(target, isolation_level=None) as connection:
        connection.execute("VACUUM")
    connection.close()
    print(f"wrote {target.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
