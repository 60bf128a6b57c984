"""A PC switched off while saving: a child process creates learners in a loop and is killed
with SIGKILL at a random moment, round after round. Every save the service acknowledged is
still there, the database opens (SQLite's integrity check passes) and the audit chain
verifies. The writers are forked from one process that has imported the program, so each
round pays for its writing, not for starting Python again."""

from __future__ import annotations

import json
import os
import random
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TextIO

import pytest
from sqlalchemy import text

from digcomp_app.services import audit
from digcomp_app.services.database import Database
from tests.reliability.figures import record
from tests.services.conftest import FAST_HASHER, PASSWORD, sign

pytestmark = [
    pytest.mark.reliability,
    pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only"),
]

ROUNDS = 10
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


class Writers:
    """Starts writers (``tests/reliability/writer.py``) by fork from one process that has
    imported the program: each writer is a process of its own, killed on its own."""

    def __init__(self) -> None:
        self._requests, theirs = socket.socketpair(socket.AF_UNIX, socket.SOCK_SEQPACKET)
        self._requests.settimeout(60)
        self._server = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.writer", "--fork-from", str(theirs.fileno())],
            cwd=ROOT,
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        theirs.close()
        assert self._requests.recv(64) == b"ready"

    def start(self, url: str, tag: str) -> Writer:
        """A writer signed in as the coordinator, ready to write learners ``TAG-NNNNN``."""
        stdin_r, stdin_w = os.pipe()
        stdout_r, stdout_w = os.pipe()
        request = {"url": url, "user": "coord", "password": PASSWORD, "tag": tag}
        socket.send_fds(self._requests, [json.dumps(request).encode()], [stdin_r, stdout_w])
        os.close(stdin_r)
        os.close(stdout_w)
        writer = Writer(
            int(self._requests.recv(64)),
            os.fdopen(stdin_w, "w", buffering=1),
            os.fdopen(stdout_r, "r"),
        )
        assert writer.stdout.readline().strip() == "ready"
        return writer

    def exit_code(self, writer: Writer) -> int:
        """Waits for the writer to end: its exit code, negative for the signal that ended it."""
        self._requests.send(json.dumps({"wait": writer.pid}).encode())
        return int(self._requests.recv(64))

    def close(self) -> None:
        self._requests.close()  # the server ends the writers still running, then itself
        self._server.wait(timeout=60)


@dataclass
class Writer:
    pid: int
    stdin: TextIO
    stdout: TextIO


@pytest.fixture(scope="module")
def writers() -> Iterator[Writers]:
    server = Writers()
    yield server
    server.close()


def _run_round(writers: Writers, child: Writer, delay: float) -> list[int]:
    """Let the child write for ``delay`` seconds, kill it, return the acknowledged numbers."""
    child.stdin.write("go\n")
    child.stdin.flush()
    time.sleep(delay)
    os.kill(child.pid, signal.SIGKILL)
    acknowledged = [int(line) for line in child.stdout.read().split()]
    child.stdin.close()
    child.stdout.close()
    assert writers.exit_code(child) == -signal.SIGKILL
    return acknowledged


def test_kill_9_while_saving_loses_no_acknowledged_row(database_url, db, school, writers):
    db.close()  # the writers and the checks below use their own connections
    rng = random.Random(int.from_bytes(os.urandom(4), "big"))
    committed = lost = acknowledged_total = 0
    # The next round's writer starts (imports, signs in) while this round's one runs.
    ready = writers.start(database_url, "r00")
    for round_number in range(ROUNDS):
        child = ready
        if round_number + 1 < ROUNDS:
            ready = writers.start(database_url, f"r{round_number + 1:02d}")
        acknowledged = _run_round(writers, child, rng.uniform(0.02, 0.35))
        reopened = Database(database_url, password_hasher=FAST_HASHER)
        try:
            with reopened.transaction() as session:
                stored = {
                    int(name.rsplit("-", 1)[1])
                    for name in session.execute(
                        text("SELECT surname FROM learners WHERE surname LIKE :tag"),
                        {"tag": f"r{round_number:02d}-%"},
                    ).scalars()
                }
                if reopened.backend == "sqlite":
                    check = session.execute(text("PRAGMA integrity_check")).scalar()
                    assert check == "ok", check
            missing = set(acknowledged) - stored
            # at most the save in flight when the kill came may be there unacknowledged
            assert stored - set(acknowledged) <= {len(acknowledged)}, (acknowledged, stored)
            lost += len(missing)
            committed += len(stored)
            acknowledged_total += len(acknowledged)
            report = audit.verify(reopened, sign(reopened, "coord"))
            assert report.intact, report.problem
        finally:
            reopened.close()
    assert lost == 0
    assert committed >= ROUNDS  # the kills did land in the middle of saving
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    record(
        f"kill -9 ({backend})",
        {
            "rounds": ROUNDS,
            "rows acknowledged": acknowledged_total,
            "rows committed": committed,
            "rows lost": lost,
        },
    )
