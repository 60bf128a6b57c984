"""Small helpers shared by the benchmarks: repeated timing and budget reporting."""

from __future__ import annotations

import contextlib
import gc
import os
import statistics
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

#: a PostgreSQL server to time on as well (the tests' variable): benchmarks that time
#: PostgreSQL make a new database on it and drop it afterwards
POSTGRES_ENV = "DIGCOMP_TEST_DATABASE_URL"


@dataclass
class Timing:
    median_ms: float
    best_ms: float
    runs: int
    #: the median CPU time of a run, when ``measure`` was given a CPU clock
    cpu_ms: float | None = None


def measure(
    action: Callable[[], object],
    runs: int = 15,
    warmup: int = 2,
    cpu: Callable[[], float] | None = None,
) -> Timing:
    """Wall time of ``action`` (median and best of ``runs``) and, with ``cpu`` (a clock in
    ms, e.g. :func:`cpu_clock`), the median CPU time: on a shared machine the wall time
    includes waiting for the cores, the CPU time does not."""
    for _ in range(warmup):
        action()
    samples, used = [], []
    for _ in range(runs):
        gc.collect()
        start, start_cpu = time.perf_counter(), cpu() if cpu else 0.0
        action()
        samples.append((time.perf_counter() - start) * 1000)
        if cpu is not None:
            used.append(cpu() - start_cpu)
    return Timing(
        statistics.median(samples), min(samples), runs, statistics.median(used) if used else None
    )


def cpu_clock(server_pids: Callable[[], Sequence[int]] = tuple) -> Callable[[], float]:
    """A clock of CPU milliseconds used by this process and by the processes
    ``server_pids()`` names (a database server's on this machine; Linux ``/proc``, which
    counts in nanoseconds; processes gone or unreadable count nothing)."""

    def used(pid: int | str) -> float:
        try:
            with open(f"/proc/{pid}/schedstat", encoding="ascii") as stat:
                return int(stat.read().split()[0]) / 1e6
        except (OSError, ValueError, IndexError):
            return 0.0

    def clock() -> float:
        own = used("self") if os.path.exists("/proc/self/schedstat") else time.process_time() * 1e3
        return own + sum(used(pid) for pid in server_pids())

    return clock


class Budget:
    """Collects pass/fail lines; ``exit_code`` is 1 when any budget was missed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.failures: list[str] = []

    def check(self, label: str, ok: bool, detail: str) -> None:
        print(f"  [{'ok' if ok else 'OVER BUDGET'}] {label}: {detail}")
        if not ok:
            self.failures.append(label)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0


@contextlib.contextmanager
def new_postgres_database(server_url: str) -> Iterator[str]:
    """The URL of a new, empty database on the PostgreSQL server of ``server_url``,
    dropped when done."""
    server = make_url(server_url).set(drivername="postgresql+psycopg")
    name = f"digcomp_bench_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield server.set(database=name).render_as_string(hide_password=False)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()
