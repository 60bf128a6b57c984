"""Is this SQLite file shared by several PCs? Leases beside the file, and network drives.

SQLite is safe for several programs on one PC, not for several PCs over a network share
(file locks over SMB/NFS are not reliable: the file can be corrupted). Two signs are
checked when a file is opened:

- **leases**: each PC that has the file open keeps a small file beside it,
  ``<database>.open-on-<host>.lease``, holding its host name, process id and the time,
  rewritten every minute while open and removed when closed. A fresh lease of another host
  means another PC has the file open. Each PC writes only its own lease (no locking is
  needed, so this works the same on Windows and Linux, on any file system);
- **the file system**: on Linux the mount's type (``/proc/mounts``: nfs, cifs, smb3,
  sshfs …); on Windows a ``\\\\server\\share`` path or a drive whose type is
  ``DRIVE_REMOTE`` (``GetDriveTypeW``, through ctypes, only on Windows).

No texts here: ``services.database`` turns the findings into a warning.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import socket
import sys
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PureWindowsPath

#: stands for this PC's host name (tests: two "PCs" on one machine)
ENV_HOST_NAME = "DIGCOMP_HOST_NAME"
#: a lease is rewritten this often while the file is open (seconds)
REFRESH_SECONDS = 60.0
#: a lease older than this is left over from a PC that stopped without closing (seconds)
STALE_AFTER_SECONDS = 300.0
#: Linux file system types whose files live on another computer
NETWORK_FILESYSTEMS = frozenset(
    {
        "nfs",
        "nfs4",
        "cifs",
        "smb3",
        "smbfs",
        "fuse.sshfs",
        "sshfs",
        "9p",
        "afs",
        "ncpfs",
        "davfs",
        "fuse.davfs",
        "ceph",
        "glusterfs",
        "fuse.glusterfs",
        "lustre",
    }
)
#: GetDriveTypeW's answer for a network drive
DRIVE_REMOTE = 4
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")


def host_name() -> str:
    return os.environ.get(ENV_HOST_NAME) or socket.gethostname() or "unknown"


@dataclass(frozen=True, slots=True)
class Holder:
    """Another PC that has the file open, from its lease."""

    host: str
    pid: int
    time: float  # seconds since 1970 (UTC), by that PC's clock


@dataclass(frozen=True, slots=True)
class SharingStatus:
    path: Path
    #: the network file system the file is on ("" for a local disk): a Linux file system
    #: type, "UNC" for a \\server\share path, "remote drive" for a mapped network drive
    network: str
    #: other PCs with fresh leases
    others: tuple[Holder, ...]


# --- leases -------------------------------------------------------------------------------


def lease_path(database: Path, host: str) -> Path:
    safe = _UNSAFE.sub("_", host)[:64] or "unknown"
    return database.with_name(f"{database.name}.open-on-{safe}.lease")


def read_holders(
    database: Path, own_host: str, clock: Callable[[], float] = time.time
) -> tuple[Holder, ...]:
    """The other hosts with a fresh lease on ``database``."""
    now = clock()
    found: list[Holder] = []
    try:
        candidates = sorted(database.parent.glob(f"{glob_escape(database.name)}.open-on-*.lease"))
    except OSError:
        return ()
    for path in candidates:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            holder = Holder(str(data["host"]), int(data["pid"]), float(data["time"]))
            modified = path.stat().st_mtime
        except (OSError, ValueError, KeyError, TypeError):
            continue  # being rewritten, or not a lease of ours
        if holder.host.casefold() == own_host.casefold():
            continue
        # fresh by that PC's clock or by the file's time (clocks of PCs may differ)
        if min(abs(now - holder.time), abs(now - modified)) < STALE_AFTER_SECONDS:
            found.append(holder)
    return tuple(found)


def glob_escape(name: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", name)


class Lease:
    """This PC's lease on an SQLite file, kept fresh while the file is open."""

    def __init__(
        self,
        database: Path,
        host: str | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.database = database
        self.host = host or host_name()
        self.pid = os.getpid()
        self.path = lease_path(database, self.host)
        self._clock = clock
        self.released = False

    def write(self) -> None:
        """(Re)write the lease; a failure (read-only folder, a share gone) is not an error."""
        if self.released:
            return
        text = json.dumps({"host": self.host, "pid": self.pid, "time": self._clock()})
        part = self.path.with_name(f"{self.path.name}.{self.pid}.part")
        try:
            part.write_text(text, encoding="utf-8")
            os.replace(part, self.path)
        except OSError:
            with contextlib.suppress(OSError):
                part.unlink(missing_ok=True)

    def release(self) -> None:
        """Remove the lease if it is still this process's own."""
        if self.released:
            return
        self.released = True
        _refresher.forget(self)
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            if data.get("pid") == self.pid and data.get("host") == self.host:
                self.path.unlink()
        except (OSError, ValueError, AttributeError):
            pass


def open_lease(database: Path) -> tuple[Lease, SharingStatus]:
    """Take this PC's lease on ``database`` (kept fresh until released) and say who else has
    it open and whether it is on a network file system."""
    lease = Lease(database)
    others = read_holders(database, lease.host)
    lease.write()
    _refresher.keep(lease)
    return lease, SharingStatus(database, network_filesystem(database), others)


class _Refresher:
    """One background thread rewrites every open lease of the process each minute."""

    def __init__(self) -> None:
        self._leases: weakref.WeakSet[Lease] = weakref.WeakSet()
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def keep(self, lease: Lease) -> None:
        with self._lock:
            self._leases.add(lease)
            if self._thread is None:
                self._thread = threading.Thread(
                    target=self._run, name="digcomp-lease-refresh", daemon=True
                )
                self._thread.start()

    def forget(self, lease: Lease) -> None:
        with self._lock:
            self._leases.discard(lease)

    def _run(self) -> None:
        while True:
            time.sleep(REFRESH_SECONDS)
            with self._lock:
                leases = list(self._leases)
            for lease in leases:
                lease.write()


_refresher = _Refresher()


# --- network file systems -----------------------------------------------------------------


def network_filesystem(
    path: Path | str,
    platform: str | None = None,
    mounts: str | None = None,
    drive_type: Callable[[str], int] | None = None,
) -> str:
    """The kind of network file system ``path`` is on, or "" for a local disk (or unknown).

    ``platform``, ``mounts`` (the text of /proc/mounts) and ``drive_type`` (GetDriveTypeW)
    stand in for the machine's own in tests."""
    platform = platform or sys.platform
    if platform == "win32":
        return _windows_network(str(path), drive_type or _windows_drive_type)
    if platform.startswith("linux"):
        if mounts is None:
            try:
                mounts = Path("/proc/mounts").read_text(encoding="utf-8", errors="replace")
            except OSError:
                return ""
        return _linux_network(Path(path), mounts)
    return ""


def _windows_network(text: str, drive_type: Callable[[str], int]) -> str:
    if text.upper().startswith("\\\\?\\UNC\\"):
        return "UNC"
    drive = PureWindowsPath(text).drive
    if drive.startswith("\\\\") and not drive.startswith(("\\\\?\\", "\\\\.\\")):
        return "UNC"  # \\server\share
    if len(drive) == 2 and drive[1] == ":":
        try:
            kind = drive_type(drive + "\\")
        except OSError:
            return ""
        return "remote drive" if kind == DRIVE_REMOTE else ""
    return ""


def _windows_drive_type(root: str) -> int:  # pragma: no cover - runs on Windows only
    """GetDriveTypeW of a drive's root ("X:\\"); only ever called on Windows."""
    import ctypes

    kernel32 = ctypes.WinDLL("kernel32", use_last_error=True)  # type: ignore[attr-defined]
    function = kernel32.GetDriveTypeW
    function.argtypes = [ctypes.c_wchar_p]
    function.restype = ctypes.c_uint
    return int(function(root))


def _linux_network(path: Path, mounts: str) -> str:
    """The network type of the mount holding ``path`` (the longest matching mount point)."""
    try:
        target = path.resolve()
    except OSError:
        target = path.absolute()
    within = {str(target), *map(str, target.parents)}  # the folders that hold it, itself too
    best, kind = -1, ""
    for line in mounts.splitlines():
        parts = line.split()
        if len(parts) < 3:
            continue
        point = _unescape_mount(parts[1])
        if len(point) > best and str(Path(point)) in within:
            best, kind = len(point), parts[2]
    return kind if kind in NETWORK_FILESYSTEMS else ""


def _unescape_mount(text: str) -> str:
    """/proc/mounts writes a space as \\040, a tab as \\011, a backslash as \\134."""
    if "\\" not in text:
        return text
    return re.sub(r"\\([0-7]{3})", lambda match: chr(int(match.group(1), 8)), text)
