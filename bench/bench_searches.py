"""Searching 20,000 accounts (the users screen) and 20,000 certificates (the register).

Budget (issue 12, "lists that scale"): each search, as typed into the screen's search box,
under 150 ms on SQLite - the whole service call: the count of all found, and the first
page (200 rows) as DTOs; for certificates that includes each shown one's QR text.

Setup (not timed): a fresh, migrated SQLite file with 20,000 learners with Latvian names,
20,000 accounts (19,000 learners' linked to them, 1,000 teachers), 200 mobilities and
20,000 issued certificates (one per learner, 5 % revoked) whose snapshots are made as the
services freeze them (``bench_attestations.snapshots``), bulk-inserted with SQLAlchemy
Core. Timed: the public services on a new ``Database`` object, as an administrator
(accounts) and a coordinator (register).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import random
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import insert

from bench.bench_attestations import snapshots
from bench.bench_learners import _name
from bench.common import Budget, Timing, measure
from digcomp_app.services import accounts, certificates, learners, organisations
from digcomp_app.services.database import Database
from digcomp_app.storage.engine import sqlite_path
from digcomp_app.storage.models import (
    Certificate,
    Learner,
    Mobility,
    User,
    UserRole,
    ValidationCase,
)

BUDGET_MS = 150.0
ROWS = 20_000
TEACHERS = 1_000
MOBILITIES = 200
SEED = 20261206
BATCH = 5_000
RUNS = 15
WARMUP = 2
PASSWORD = "bench-password"
#: a key id as the signing service makes them (the key itself is not needed to search)
KEY_ID = "5a1e" * 4
#: what an administrator types: a surname without accents, a full name with them, a role,
#: a user name's "%" (none has one: found nothing, quickly), one letter (nearly all match)
USER_SEARCHES = ("berzin", "Līga Kalniņa", "teach", "100%", "a", "")
#: what a coordinator types: a surname, a serial's start, a mobility code's number, a status
CERTIFICATE_SEARCHES = ("ozol", "DC-", "000042", "revoked", "janis berz", "")


def populate(url: str, hasher: PasswordHasher) -> None:
    rng = random.Random(SEED)
    db = Database(url, password_hasher=hasher)
    try:
        accounts.create_first_administrator(db, None, "admin", "Administrator", PASSWORD)
        admin = accounts.authenticate(db, None, "admin", PASSWORD)
        accounts.create_user(
            db, admin, "koordinatore", "Inga Koordinatore", PASSWORD, ["coordinator"]
        )
        home = organisations.update_home(db, admin, name="Daugavkrasta tehnikums", country="LV")
        coordinator = accounts.authenticate(db, None, "koordinatore", PASSWORD)
        host = organisations.create(db, coordinator, "host", name="Medien GmbH", country="DE")

        made = snapshots(ROWS, rng)
        learner_rows, user_rows, role_rows, case_rows, cert_rows = [], [], [], [], []
        mobility_rows = [
            {
                "id": n + 1,
                "code": made[n]["mobility"]["code"],
                "title": made[n]["mobility"]["title"],
                "programme": "Erasmus+",
                "sending_organisation_id": home.id,
                "host_organisation_id": host.id,
                "host_mentor": "",
                "host_country": made[n]["mobility"]["host_country"],
                "start_date": dt.date(2026, 2, 2),
                "end_date": dt.date(2026, 2, 27),
                "objective": "",
                "texts": {},
                "framework_id": "digcomp",
                "framework_version": "3.0",
                "version": 1,
            }
            for n in range(MOBILITIES)
        ]
        password_hash = hasher.hash(PASSWORD)
        issued = dt.datetime(2026, 3, 1, 10, tzinfo=dt.UTC)
        for number, snapshot in enumerate(made):
            learner_id = number + 1
            given, surname = _name(rng)
            mobility = mobility_rows[number % MOBILITIES]
            snapshot["holder"] |= {"given_names": given, "surname": surname}
            snapshot["mobility"]["code"] = mobility["code"]
            learner_rows.append(
                {
                    "id": learner_id,
                    "given_names": given,
                    "surname": surname,
                    "search_name": learners.search_key(given, surname),
                    "email": "",
                    "created_at": issued,
                    "learner_number": f"S-{learner_id:05d}",
                    "active": True,
                }
            )
            teacher = number >= ROWS - TEACHERS
            user_rows.append(
                {
                    "id": learner_id + 10,
                    "username": f"{learners.fold(given).split()[0]}.{learners.fold(surname)}"
                    f"{learner_id}",
                    "display_name": f"{given} {surname}",
                    "password_hash": password_hash,
                    "active": True,
                    "failed_logins": 0,
                    "learner_id": None if teacher else learner_id,
                    "created_at": issued,
                    "must_change_password": False,
                }
            )
            role_rows.append(
                {"user_id": learner_id + 10, "role": "teacher" if teacher else "learner"}
            )
            case_rows.append(
                {
                    "id": learner_id,
                    "learner_id": learner_id,
                    "mobility_id": mobility["id"],
                    "framework_id": "digcomp",
                    "framework_version": "3.0",
                    "stage": "certified",
                    "created_by": 1,
                    "created_at": issued,
                    "updated_at": issued,
                    "version": 1,
                }
            )
            text = json.dumps(snapshot, ensure_ascii=False, sort_keys=True)
            revoked = rng.random() < 0.05
            cert_rows.append(
                {
                    "id": learner_id,
                    "serial": snapshot["serial"],
                    "case_id": learner_id,
                    "learner_id": learner_id,
                    "mobility_id": mobility["id"],
                    "issued_at": issued + dt.timedelta(minutes=number),
                    "issued_by": 2,
                    "snapshot": text,
                    "content_hash": hashlib.sha256(text.encode()).hexdigest(),
                    "signature": rng.randbytes(64).hex(),
                    "key_id": KEY_ID,
                    "status": "revoked" if revoked else "issued",
                    "revoked_at": issued + dt.timedelta(days=3) if revoked else None,
                    "revoked_by": 2 if revoked else None,
                    "revoke_reason": "Wrong level" if revoked else "",
                    "replaces_serial": "",
                }
            )
        with db.engine.begin() as connection:
            for model, rows in (
                (Mobility, mobility_rows),
                (Learner, learner_rows),
                (User, user_rows),
                (UserRole, role_rows),
                (ValidationCase, case_rows),
                (Certificate, cert_rows),
            ):
                for start in range(0, len(rows), BATCH):
                    connection.execute(insert(model), rows[start : start + BATCH])
    finally:
        db.close()
    with contextlib.closing(sqlite3.connect(sqlite_path(url))) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _line(label: str, timing: Timing, extra: str) -> str:
    return (
        f"  {label:<34} median {timing.median_ms:6.2f} ms  "
        f"(best {timing.best_ms:5.2f}, {timing.runs} runs){extra}"
    )


def main() -> int:
    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    results: list[tuple[str, Timing]] = []
    with tempfile.TemporaryDirectory(prefix="digcomp-bench-") as folder:
        path = Path(folder) / "searches.sqlite3"
        url = f"sqlite:///{path}"
        began = time.perf_counter()
        populate(url, hasher)
        print(
            f"searches: {ROWS:,} accounts, {ROWS:,} certificates; setup "
            f"{time.perf_counter() - began:.1f} s, file {path.stat().st_size / 2**20:.1f} MiB"
        )
        db = Database(url, password_hasher=hasher)  # new engine: nothing cached from setup
        try:
            admin = accounts.authenticate(db, None, "admin", PASSWORD)
            coordinator = accounts.authenticate(db, None, "koordinatore", PASSWORD)
            for text in USER_SEARCHES:
                page = accounts.search_users(db, admin, text)
                timing = measure(lambda t=text: accounts.search_users(db, admin, t), RUNS, WARMUP)
                label = f'users "{text}"'
                print(_line(label, timing, f"  -> {len(page.users)} of {page.total:,}"))
                results.append((label, timing))
            for text in CERTIFICATE_SEARCHES:
                found = certificates.search_register(db, coordinator, text)
                timing = measure(
                    lambda t=text: certificates.search_register(db, coordinator, t), RUNS, WARMUP
                )
                label = f'register "{text}"'
                print(_line(label, timing, f"  -> {len(found.certificates)} of {found.total:,}"))
                results.append((label, timing))
        finally:
            db.close()

    budget = Budget("searches")
    for label, timing in results:
        budget.check(
            label, timing.median_ms < BUDGET_MS, f"{timing.median_ms:.2f} ms < {BUDGET_MS:.0f} ms"
        )
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
