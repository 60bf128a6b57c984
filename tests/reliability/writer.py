"""A PC saving learners in a loop, to be killed with SIGKILL (``test_kill9``).

A writer signs in, prints ``ready``, waits for a line on its stdin, then creates learners
``TAG-00000``, ``TAG-00001``, … and prints each one's number once the service has returned
(the commit is then acknowledged).

``python -m tests.reliability.writer URL USER PASSWORD TAG`` is one writer.
``python -m tests.reliability.writer --fork-from FD`` imports the program once and then
starts writers by ``fork`` for each request on the Unix socket FD (a SOCK_SEQPACKET): a JSON
``{"url", "user", "password", "tag"}`` with the writer's stdin and stdout as two attached
file descriptors, answered with the writer's process id; ``{"wait": pid}`` is answered with
its exit code once it has ended (negative: the signal that ended it). Each writer is a
process of its own with its own database connection, opened after the fork."""

from __future__ import annotations

import json
import os
import signal
import socket
import sys
import traceback
from typing import TextIO


def write(url: str, username: str, password: str, tag: str, inp: TextIO, out: TextIO) -> None:
    from digcomp_app.services import accounts, learners
    from digcomp_app.services.database import Database
    from tests.services.conftest import FAST_HASHER

    db = Database(url, password_hasher=FAST_HASHER, run_migrations=False)
    actor = accounts.authenticate(db, None, username, password)
    print("ready", file=out, flush=True)
    inp.readline()
    number = 0
    while True:
        learners.create(db, actor, "Kill", f"{tag}-{number:05d}")
        print(number, file=out, flush=True)
        number += 1


def serve(requests: socket.socket) -> None:
    """Starts writers by fork until the socket is closed; then ends those still running."""
    # what a writer imports and sets up before it writes, done once before the forks
    import psycopg  # noqa: F401 - the PostgreSQL driver, imported by a writer's first engine
    from sqlalchemy.orm import configure_mappers

    from digcomp_app.services import accounts, database, learners  # noqa: F401
    from tests.services import conftest  # noqa: F401

    configure_mappers()

    started: set[int] = set()
    requests.send(b"ready")
    while True:
        message, fds, _, _ = socket.recv_fds(requests, 65536, 2)
        if not message:
            break
        request = json.loads(message)
        if "wait" in request:
            pid = request["wait"]
            _, status = os.waitpid(pid, 0)
            started.discard(pid)
            requests.send(str(os.waitstatus_to_exitcode(status)).encode())
            continue
        pid = os.fork()
        if pid == 0:  # the writer: it never returns here, it is killed or fails
            try:
                requests.close()
                inp = os.fdopen(fds[0], "r")
                out = os.fdopen(fds[1], "w")
                write(
                    request["url"], request["user"], request["password"], request["tag"], inp, out
                )
            except BaseException:
                traceback.print_exc()
            finally:
                os._exit(1)
        for fd in fds:
            os.close(fd)
        started.add(pid)
        requests.send(str(pid).encode())
    for pid in started:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def main() -> None:
    if sys.argv[1] == "--fork-from":
        serve(socket.socket(fileno=int(sys.argv[2])))
        return
    url, username, password, tag = sys.argv[1:5]
    write(url, username, password, tag, sys.stdin, sys.stdout)


if __name__ == "__main__":
    main()
