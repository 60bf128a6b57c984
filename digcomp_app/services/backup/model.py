"""What a backup and a restore report, the school a database belongs to, the progress of
the work and the refusals of a backup."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from digcomp_app.i18n import _
from digcomp_app.services.errors import IntegrityProblem, ServiceError
from digcomp_app.storage.models import EvidenceBlob, User

#: ``progress(done, total, text)``: how far the work is (total 0: no measure, just busy)
Progress = Callable[[int, int, str], None]


class BackupCancelled(ServiceError):
    """The backup was stopped on request; no file was written."""


class OtherSchool(IntegrityProblem):
    """The backup is another school's than the one the restore was confirmed for."""


@dataclass(frozen=True, slots=True)
class SchoolIdentity:
    """Which school a database belongs to.

    ``id`` is the hash of the school's first audit entry: written at the school's first
    action, different for every school (it covers a time to the microsecond, a user and
    the entry's details), carried over by every backup and restore, and not changeable
    without breaking the audit chain. ``name`` is the home organisation's name, for people.
    """

    id: str
    name: str

    @property
    def short_id(self) -> str:
        return self.id[:12] or "-"


@dataclass(frozen=True, slots=True)
class BackupHeader:
    """What a sealed backup says about itself (authenticated once the passphrase opened it)."""

    school: SchoolIdentity
    created_at: dt.datetime
    revision: str
    #: the newest audit entry in the backup: its id and hash
    audit_head_id: int
    audit_head_hash: str
    counts: dict[str, int]


class Steps:
    """Reports progress and stops the work when the caller asks it to."""

    def __init__(self, progress: Progress | None, cancelled: Callable[[], bool] | None) -> None:
        self._progress = progress
        self._cancelled = cancelled

    def check(self) -> None:
        if self._cancelled is not None and self._cancelled():
            raise BackupCancelled(_("The backup was cancelled; no file was written."))

    def report(self, done: int, total: int, text: str) -> None:
        self.check()
        if self._progress is not None:
            self._progress(done, total, text)


class _TableCounts:
    """Totals read off ``counts`` (rows per table)."""

    __slots__ = ()
    counts: dict[str, int]

    @property
    def records(self) -> int:
        return sum(self.counts.values())

    @property
    def evidence_files(self) -> int:
        return self.counts.get(EvidenceBlob.__tablename__, 0)

    @property
    def users(self) -> int:
        return self.counts.get(User.__tablename__, 0)


@dataclass(frozen=True, slots=True)
class BackupInfo(_TableCounts):
    path: Path
    #: bytes
    size: int
    #: rows per table
    counts: dict[str, int]
    #: the schema's migration revision
    revision: str
    created_at: dt.datetime
    school: SchoolIdentity | None = None


@dataclass(frozen=True, slots=True)
class RestoreInfo(_TableCounts):
    source: Path
    #: rows per table, as copied from the backup
    counts: dict[str, int]
    #: the revision the backup had (older backups are upgraded on the way)
    backup_revision: str
    #: the administrator whose credentials were checked, as spelled in the backup
    administrator: str
    restored_at: dt.datetime
    #: False for a backup written before backups were sealed
    sealed: bool = True
    #: the school the backup came from (None for an unsealed backup)
    school: SchoolIdentity | None = None
    #: translated warnings to show with the result
    warnings: tuple[str, ...] = ()
