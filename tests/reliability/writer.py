"""A PC saving learners in a loop, to be killed with SIGKILL (``test_kill9``).

``python -m tests.reliability.writer URL USER PASSWORD TAG``: signs in, prints ``ready``,
waits for a line on stdin, then creates learners ``TAG-00000``, ``TAG-00001``, … and prints
each one's number once the service has returned (the commit is then acknowledged)."""

from __future__ import annotations

import sys


def main() -> None:
    url, username, password, tag = sys.argv[1:5]
    from digcomp_app.services import accounts, learners
    from digcomp_app.services.database import Database
    from tests.services.conftest import FAST_HASHER

    db = Database(url, password_hasher=FAST_HASHER, run_migrations=False)
    actor = accounts.authenticate(db, None, username, password)
    print("ready", flush=True)
    sys.stdin.readline()
    number = 0
    while True:
        learners.create(db, actor, "Kill", f"{tag}-{number:05d}")
        print(number, flush=True)
        number += 1


if __name__ == "__main__":
    main()
