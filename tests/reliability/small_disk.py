"""A small filesystem for the disk-full tests.

As root (CI runs as root: ``.ci/run``) a 4 MiB tmpfs is mounted on a folder of the test's
own; the database lives there and the disk is filled with a filler file, so SQLite meets a
real ENOSPC (SQLITE_FULL). Where mounting is not permitted (not root, or a container
without CAP_SYS_ADMIN), the same SQLITE_FULL error comes from ``PRAGMA max_page_count``
set to the database's current size on every new connection: the database cannot grow,
exactly as on a full disk, though the operating system is not involved.
"""

from __future__ import annotations

import contextlib
import errno
import os
import sqlite3
import subprocess
from pathlib import Path
from typing import Any

from sqlalchemy import event

SIZE = "4m"
_NO_LIMIT = 1073741823  # SQLite's default max_page_count


class SmallDisk:
    def __init__(self, folder: Path, *, mount: bool = True) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        self.mounted = mount and _mount(folder)
        self._filler = folder / "filler.bin"
        self._page_limit = _NO_LIMIT

    @property
    def how(self) -> str:
        return "tmpfs" if self.mounted else "max_page_count"

    def database_url(self) -> str:
        return f"sqlite:///{self.folder / 'school.sqlite3'}"

    def attach(self, engine: Any) -> None:
        """Where nothing was mounted, hold the database at its size while the disk is 'full'."""
        if self.mounted:
            return

        @event.listens_for(engine, "connect")
        def _limit(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute(f"PRAGMA max_page_count={int(self._page_limit)}")
            cursor.close()

    def fill(self) -> None:
        """No free space left (the write-ahead log is emptied into the database first, so
        the next write needs new space)."""
        path = self.folder / "school.sqlite3"
        with contextlib.closing(sqlite3.connect(path)) as connection:
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = connection.execute("PRAGMA page_count").fetchone()[0]
        if not self.mounted:
            self._page_limit = pages
            return
        chunk = b"\0" * 65536
        with open(self._filler, "wb", buffering=0) as handle:
            while True:
                try:
                    handle.write(chunk)
                except OSError as error:
                    if error.errno != errno.ENOSPC:
                        raise
                    break
            with contextlib.suppress(OSError):  # the last few bytes, one at a time
                while handle.write(b"\0"):
                    pass

    def free(self) -> None:
        self._page_limit = _NO_LIMIT
        with contextlib.suppress(FileNotFoundError):
            self._filler.unlink()

    def close(self) -> None:
        if self.mounted:
            subprocess.run(["umount", "-l", str(self.folder)], check=False, capture_output=True)


def _mount(folder: Path) -> bool:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return False
    try:
        done = subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={SIZE}", "tmpfs", str(folder)],
            capture_output=True,
            check=False,
            timeout=30,
        )
    except OSError:  # no mount command
        return False
    return done.returncode == 0
