"""Importing a roster of 2,000 learners from an XLSX file: reading, preview and import.

Budget (issue 9): "importing 2,000 learners from XLSX (preview + import) under 5 s and under
300 MB peak memory on this machine".

Setup (not timed): an XLSX file written with openpyxl as a school register exports it
(Latvian headers: Nr. p.k., Skolēna nr., Vārds, Uzvārds, Klase, E-pasts), 2,000 learners in
80 groups of 25, and a new, migrated SQLite database with the first administrator.
Timed, in a child process started for each run so its peak memory is its own: reading the
file, recognising the columns, the preview and the import (one transaction), then the same
file again (every row unchanged: the re-import must not duplicate). Peak memory is the
child's peak resident set size: Python, SQLAlchemy, the XLSX reader and the
data together, the figure a school PC would see (``VmHWM`` on Linux: ``ru_maxrss`` of a
child started by a large parent would report the parent's size).
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.common import Budget

LEARNERS = 2_000
GROUP_SIZE = 25
RUNS = 3
BUDGET_S = 5.0
BUDGET_MB = 300.0
SEED = 20261204

_CHILD = r"""
import json, resource, sys, time
from pathlib import Path
from argon2 import PasswordHasher
from digcomp_app.services import accounts, rosters
from digcomp_app.services.database import Database
from digcomp_app.services.roster_files import guess_mapping, read_roster

path, url = Path(sys.argv[1]), sys.argv[2]
db = Database(url, password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
accounts.create_first_administrator(db, None, "admin", "Admin", "bench-password")
admin = accounts.authenticate(db, None, "admin", "bench-password")
figures = {}
for label in ("first", "again"):
    began = time.perf_counter()
    table = read_roster(path)
    mapping = guess_mapping(table.headers, "learners")
    plan = rosters.preview_learners(db, admin, table, mapping)
    assert plan.ok, plan.problems[:3]
    read_s = time.perf_counter() - began
    result = rosters.import_learners(db, admin, table, mapping)
    figures[label] = {
        "seconds": time.perf_counter() - began,
        "read_and_preview_s": read_s,
        "created": result.created,
        "unchanged": result.unchanged,
    }
db.close()
try:  # this process's own peak (ru_maxrss would include the parent's at fork time)
    with open("/proc/self/status", encoding="ascii") as status:
        hwm = next(line for line in status if line.startswith("VmHWM:"))
    figures["peak_mb"] = int(hwm.split()[1]) / 1024
except OSError:
    figures["peak_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps(figures))
"""


def write_roster(path: Path) -> None:
    from openpyxl import Workbook

    from bench.bench_learners import _name

    rng = random.Random(SEED)
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Skolēni")
    sheet.append(["Nr. p.k.", "Skolēna nr.", "Vārds", "Uzvārds", "Klase", "E-pasts"])
    for n in range(1, LEARNERS + 1):
        given, surname = _name(rng)
        group = f"{(n - 1) // GROUP_SIZE + 1:02d}-DT"
        sheet.append([n, f"R{100000 + n}", given, surname, group, f"skolens{n}@skola.lv"])
    book.save(path)


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="digcomp-bench-") as folder:
        roster = Path(folder) / "skoleni.xlsx"
        write_roster(roster)
        print(
            f"roster import: {LEARNERS:,} learners in {LEARNERS // GROUP_SIZE} groups, "
            f"XLSX {roster.stat().st_size / 1024:.0f} KiB"
        )
        runs = []
        for run in range(RUNS):
            url = f"sqlite:///{Path(folder) / f'school{run}.sqlite3'}"
            child = subprocess.run(
                [sys.executable, "-c", _CHILD, str(roster), url],
                capture_output=True,
                text=True,
                check=True,
            )
            runs.append(json.loads(child.stdout.strip().splitlines()[-1]))
    first = statistics.median(r["first"]["seconds"] for r in runs)
    preview = statistics.median(r["first"]["read_and_preview_s"] for r in runs)
    again = statistics.median(r["again"]["seconds"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    print(
        f"  import (read + preview + import)   median {first:5.2f} s "
        f"(read + preview {preview:4.2f} s; {RUNS} runs, {runs[0]['first']['created']} created)"
    )
    print(
        f"  same file again                    median {again:5.2f} s "
        f"({runs[0]['again']['unchanged']} unchanged, {runs[0]['again']['created']} created)"
    )
    print(f"  peak memory of the importing process {peak:.0f} MB")
    budget = Budget("roster import")
    budget.check("import 2,000 learners", first < BUDGET_S, f"{first:.2f} s < {BUDGET_S:.0f} s")
    budget.check(
        "re-import creates nothing",
        all(r["again"]["created"] == 0 and r["again"]["unchanged"] == LEARNERS for r in runs),
        f"{runs[0]['again']['created']} created",
    )
    budget.check("peak memory", peak < BUDGET_MB, f"{peak:.0f} MB < {BUDGET_MB:.0f} MB")
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
