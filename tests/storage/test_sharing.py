"""An SQLite file shared by several PCs: leases beside it, network drives, the warning."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.services.configuration import sharing_warning
from digcomp_app.services.database import Database
from digcomp_app.settings import ENV_PROGRAM_FOLDER, PORTABLE_MARKER
from digcomp_app.storage import sharing
from digcomp_app.storage.sharing import (
    ENV_HOST_NAME,
    STALE_AFTER_SECONDS,
    Lease,
    SharingStatus,
    lease_path,
    network_filesystem,
    read_holders,
)
from tests.conftest import ROOT
from tests.program import run_python

#: a PC that opens the database and keeps it open until its input closes
HOLD_OPEN = """
import sys
from digcomp_app.services.database import Database
db = Database(sys.argv[1]) if len(sys.argv) > 1 else None
if db is None:
    from digcomp_app.services.database import open_configured
    db = open_configured()
print("open", flush=True)
sys.stdin.read()
db.close()
"""
#: another PC that opens it and says what the program would say
OPEN_AND_TELL = """
from digcomp_app.services.database import open_configured
db = open_configured()
print(db.sharing_warning())
db.close()
"""


def pc(host: str, program: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DIGCOMP_SETTINGS",)}
    env.update({ENV_HOST_NAME: host, ENV_PROGRAM_FOLDER: str(program)})
    return env


def test_a_second_pc_is_warned_naming_the_first(tmp_path):
    program = tmp_path / "share" / "DigComp"  # a portable install in a shared folder
    program.mkdir(parents=True)
    (program / PORTABLE_MARKER).touch()
    first = subprocess.Popen(
        [sys.executable, "-c", HOLD_OPEN],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env=pc("pc-lab-01", program),
        cwd=ROOT,
    )
    try:
        assert first.stdout is not None and first.stdout.readline().strip() == "open"
        database = program / "data" / "digcomp.sqlite3"
        assert lease_path(database, "pc-lab-01").is_file()
        second = run_python("-c", OPEN_AND_TELL, env=pc("pc-lab-02", program))
        assert second.returncode == 0, second.stderr
        assert "pc-lab-01" in second.stdout and "PostgreSQL" in second.stdout
        # the same PC opening it twice (the window and a command) is not warned
        again = run_python("-c", OPEN_AND_TELL, env=pc("pc-lab-01", program))
        assert again.stdout.strip() == ""
    finally:
        first.communicate("", timeout=60)
    assert first.returncode == 0
    assert not lease_path(program / "data" / "digcomp.sqlite3", "pc-lab-01").exists()
    after = run_python("-c", OPEN_AND_TELL, env=pc("pc-lab-02", program))
    assert after.stdout.strip() == ""  # the first PC closed it: no warning


def test_the_command_line_warns_too(tmp_path, monkeypatch):
    database = tmp_path / "school.sqlite3"
    lease = Lease(database, host="pc-office")
    lease.write()
    env = {**os.environ, ENV_HOST_NAME: "pc-lab-07", "DIGCOMP_NEW_PASSWORD": "first admin pw"}
    done = run_python("-m", "digcomp_app", "--database", str(database), "setup", "admin", env=env)
    assert done.returncode == 0, done.stderr
    assert "pc-office" in done.stderr
    lease.release()


def test_a_stale_lease_is_left_over_not_a_pc(tmp_path):
    database = tmp_path / "school.sqlite3"
    now = time.time()
    Lease(database, host="pc-old", clock=lambda: now - 2 * STALE_AFTER_SECONDS).write()
    old = now - 2 * STALE_AFTER_SECONDS
    os.utime(lease_path(database, "pc-old"), (old, old))
    Lease(database, host="pc-new").write()
    assert [h.host for h in read_holders(database, "pc-here")] == ["pc-new"]
    assert read_holders(database, "PC-NEW") == ()  # our own host, whatever its case


def test_a_lease_is_refreshed_while_open_and_only_its_owner_removes_it(tmp_path, monkeypatch):
    database = tmp_path / "school.sqlite3"
    ticks = iter([100.0, 160.0])
    lease = Lease(database, host="pc-a", clock=lambda: next(ticks))
    lease.write()
    assert json.loads(lease.path.read_text())["time"] == 100.0
    lease.write()
    assert json.loads(lease.path.read_text())["time"] == 160.0
    # another process of the same PC took the lease over: it stays
    lease.path.write_text(json.dumps({"host": "pc-a", "pid": -5, "time": 1.0}))
    lease.release()
    assert lease.path.exists()


def test_the_database_keeps_a_lease_only_while_open(tmp_path, monkeypatch):
    monkeypatch.setenv(ENV_HOST_NAME, "pc-lab-03")
    path = tmp_path / "school.sqlite3"
    db = Database(f"sqlite:///{path}", run_migrations=False)
    assert lease_path(path, "pc-lab-03").is_file()
    assert db.sharing is not None and db.sharing.others == () and db.sharing_warning() == ""
    db.close()
    assert not lease_path(path, "pc-lab-03").exists()


MOUNTS = (
    "/dev/sda1 / ext4 rw,relatime 0 0\n"
    "//nas/school /mnt/school cifs rw,vers=3.0 0 0\n"
    "/dev/sdb1 /mnt/school/local\\040disk ext4 rw 0 0\n"
    "server:/export /srv/nfs nfs4 rw 0 0\n"
    "pi@host:/data /home/t/remote fuse.sshfs rw 0 0\n"
)


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/mnt/school/digcomp.sqlite3", "cifs"),
        ("/mnt/school/local disk/digcomp.sqlite3", ""),  # a local disk mounted inside it
        ("/srv/nfs/a/b.sqlite3", "nfs4"),
        ("/home/t/remote/x.sqlite3", "fuse.sshfs"),
        ("/home/t/x.sqlite3", ""),
        ("/mnt/schoolbooks/x.sqlite3", ""),  # a longer name is not inside /mnt/school
    ],
)
def test_network_file_systems_on_linux(path, kind):
    assert network_filesystem(Path(path), platform="linux", mounts=MOUNTS) == kind


@pytest.mark.parametrize(
    ("path", "drive", "kind"),
    [
        (r"\\server\share\digcomp\digcomp.sqlite3", 3, "UNC"),
        (r"\\?\UNC\server\share\digcomp.sqlite3", 3, "UNC"),
        (r"S:\digcomp\digcomp.sqlite3", sharing.DRIVE_REMOTE, "remote drive"),
        (r"C:\Users\a\digcomp.sqlite3", 3, ""),  # DRIVE_FIXED
        (r"\\?\C:\data\digcomp.sqlite3", sharing.DRIVE_REMOTE, ""),
    ],
)
def test_network_drives_on_windows(path, drive, kind):
    asked: list[str] = []

    def drive_type(root: str) -> int:
        asked.append(root)
        return drive

    assert network_filesystem(path, platform="win32", drive_type=drive_type) == kind
    if path[1] == ":":
        assert asked == [path[:2] + "\\"]


def test_the_warning_on_a_network_drive_points_to_a_server(tmp_path):
    status = SharingStatus(Path(r"\\server\share\digcomp.sqlite3"), "UNC", ())
    text = sharing_warning(status)
    assert "network drive (UNC)" in text and r"\\server\share" in text
    assert "PostgreSQL" in text and "school-setup.md" in text
    set_language("lv")
    latvian = sharing_warning(status)
    assert latvian != text and "PostgreSQL" in latvian and "tīkl" in latvian


def test_the_warning_names_the_other_pcs(tmp_path):
    holders = (sharing.Holder("pc-lab-02", 10, 0.0), sharing.Holder("pc-lab-01", 11, 0.0))
    status = SharingStatus(tmp_path / "digcomp.sqlite3", "cifs", holders)
    text = sharing_warning(status)
    assert "pc-lab-01, pc-lab-02" in text and "PostgreSQL" in text
    assert sharing_warning(SharingStatus(tmp_path / "a.sqlite3", "", ())) == ""
