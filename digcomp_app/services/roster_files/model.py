"""The limits, fields, errors and records of a roster file."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from digcomp_app.i18n import _

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_CELL_CHARS = 500
MAX_UNPACKED_BYTES = 200 * 1024 * 1024
#: a ZIP member bigger than this and compressed more than MAX_RATIO times is a zip bomb
BOMB_MEMBER_BYTES = 1024 * 1024
MAX_RATIO = 200

MAX_NAME = 200
MAX_NUMBER = 50
MAX_GROUP = 100
MAX_EMAIL = 200
MAX_USERNAME = 100

#: how often (in rows) ``should_stop`` is asked
STOP_POLL_ROWS = 256

LEARNER_FIELDS = (
    "given_names",
    "surname",
    "full_name",
    "learner_number",
    "group",
    "date_of_birth",
    "email",
)
STAFF_FIELDS = ("given_names", "surname", "full_name", "username", "email", "roles")

ODS_MIMETYPE = b"application/vnd.oasis.opendocument.spreadsheet"


class RosterFileError(Exception):
    """The file cannot be read at all (the CLI exits 2).

    ``str()`` is the translated message, naming the file and what is wrong.
    """

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class RosterCancelled(Exception):
    """``should_stop()`` asked :func:`read_roster` to stop."""


@dataclass(frozen=True, slots=True)
class RosterRow:
    #: 1-based row number as a person sees it in Excel / a text editor
    line: int
    #: every cell as text, stripped; date cells as ISO "YYYY-MM-DD"; 12345.0 as "12345"
    cells: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RosterTable:
    file_name: str
    file_format: str  # "csv" | "xlsx" | "ods"
    encoding: str  # CSV only: "utf-8", "utf-8-sig", "utf-16", "cp1257", "cp1252"
    delimiter: str  # CSV only: ";", "," or "\t"
    headers: tuple[str, ...]
    rows: tuple[RosterRow, ...]  # data rows only, fully empty rows dropped
    skipped_empty: int


class _FrozenMapping(Mapping[str, int]):
    """A read-only, hashable field -> column mapping."""

    __slots__ = ("_data",)

    def __init__(self, data: Mapping[str, int] | Iterable[tuple[str, int]] = ()) -> None:
        self._data = dict(data)

    def __getitem__(self, key: str) -> int:
        return self._data[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __hash__(self) -> int:
        return hash(frozenset(self._data.items()))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"{{{', '.join(f'{k!r}: {v}' for k, v in self._data.items())}}}"


@dataclass(frozen=True, slots=True)
class ColumnMapping:
    #: field -> column index in the table's headers (read-only and hashable)
    columns: Mapping[str, int]
    #: True when a required field is missing or a header matched twice: show a mapping step
    unsure: bool

    def __post_init__(self) -> None:
        if not isinstance(self.columns, _FrozenMapping):
            object.__setattr__(self, "columns", _FrozenMapping(self.columns))

    def header_for(self, field: str, headers: Sequence[str]) -> str:
        """The header text of the column mapped to ``field`` ("" when none)."""
        index = self.columns.get(field)
        if index is None or not 0 <= index < len(headers):
            return ""
        return headers[index]


@dataclass(frozen=True, slots=True)
class RosterProblem:
    line: int  # 1-based as in RosterRow; 0 for whole-file problems
    column: str  # header text of the column, "" when not about one column
    message: str  # translated: what is wrong and what to do


@dataclass(frozen=True, slots=True)
class LearnerRow:
    line: int
    given_names: str
    surname: str
    learner_number: str
    group: str
    date_of_birth: dt.date | None
    email: str


@dataclass(frozen=True, slots=True)
class StaffRow:
    line: int
    given_names: str
    surname: str
    username: str
    email: str
    roles: frozenset[str]


def field_label(field: str) -> str:
    """The translated name of a roster field (for the columns step and the command line)."""
    names = {
        "given_names": _("First name(s)"),
        "surname": _("Surname"),
        "full_name": _("Full name (in one column)"),
        "learner_number": _("Learner number"),
        "group": _("Group (class)"),
        "date_of_birth": _("Date of birth"),
        "email": _("E-mail"),
        "username": _("User name"),
        "roles": _("Roles"),
    }
    return names[field]
