"""Roster files from the school register: reading, recognising columns, checking rows.

A pure module: no database, no Qt, no SQLAlchemy. The import service builds on it
(matching learners, creating groups, the transaction); ``learners list --format csv``
uses :func:`neutralise_cell` for its output.

Reading (:func:`read_roster`)
    The format is decided by the content, not the extension: a ZIP with
    ``xl/workbook.xml`` is XLSX, a ZIP whose ``mimetype`` member is
    ``application/vnd.oasis.opendocument.spreadsheet`` is ODS, anything else must be a text
    CSV. Spreadsheets are read with python-calamine (first sheet only, cached values of
    formulas). Before calamine sees a ZIP, its central directory is checked against
    :data:`MAX_UNPACKED_BYTES` and for members compressed more than 200 times (zip bombs).
    Merged cells show their top-left value across the whole merged area, as a person sees
    them: calamine reports merged ranges for XLSX; for ODS it does not (it returns covered
    cells as empty), so the spans are read from ``content.xml`` here.

    CSV encodings: a BOM decides first (UTF-8, UTF-16); then strict UTF-8; otherwise
    Windows-1257 (Baltic) or Windows-1252 (Western), chosen by which one turns the bytes
    above 127 into plausible letters - Latvian letters for cp1257, Western accented
    letters for cp1252; bytes undefined in one code page rule it out. When both give the
    same text the file is reported as cp1252. The delimiter (``;``, ``,`` or tab) is the
    one most frequent outside quotes in the header line; on a tie ``;`` wins (Excel in
    Latvian saves ``;``). Row numbers are the record numbers a person sees in Excel (the
    same as text-editor lines unless a quoted cell holds a line break).

Names
    A full-name column is split as "Surname, Given names" when it holds a comma, else the
    LAST word is the surname: "Anna Marija Bērziņa" -> given names "Anna Marija", surname
    "Bērziņa". Names are normalised to NFC with runs of spaces collapsed.

Dates of birth
    Accepted: DD.MM.YYYY, D.M.YYYY, DD.MM.YYYY. (Latvian trailing dot), DD/MM/YYYY,
    DD-MM-YYYY and YYYY-MM-DD (which is also what spreadsheet date cells become). Slashed
    dates are always read day first (European): 03/04/2009 is 3 April 2009. Two-digit
    years, impossible dates, years before 1900 and future dates are problems.

Personal codes
    "Personas kods" columns are never mapped (the app does not store national personal
    codes); :func:`ignored_sensitive_columns` names them so the UI can say so, and a
    learner number that looks like a personal code (DDMMYY-NNNNN) is refused.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import re
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal, TypeVar

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


# --- reading ------------------------------------------------------------------------------


def read_roster(path: Path, *, should_stop: Callable[[], bool] | None = None) -> RosterTable:
    """Read the first sheet of an XLSX/ODS file or a CSV file into text cells.

    Raises :class:`RosterFileError` when the file cannot be read at all and
    :class:`RosterCancelled` when ``should_stop()`` returns True.
    """
    path = Path(path)
    name = path.name
    try:
        if not path.is_file():
            raise RosterFileError(
                _("{file}: there is no such file.").format(file=name)
                if not path.exists()
                else _("{file}: this is a folder, not a file.").format(file=name)
            )
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise RosterFileError(
                _(
                    "{file}: the file is larger than {limit} MB; split it into smaller files."
                ).format(file=name, limit=MAX_FILE_BYTES // (1024 * 1024))
            )
        if size == 0:
            raise RosterFileError(_("{file}: the file is empty.").format(file=name))
        with path.open("rb") as handle:
            head = handle.read(8)
        if head.startswith(b"PK"):
            return _read_spreadsheet(path, should_stop)
        _refuse_known_binary(name, head)
        data = path.read_bytes()
    except OSError as error:
        raise RosterFileError(
            _("{file}: the file cannot be opened ({reason}).").format(
                file=name, reason=error.strerror or error
            )
        ) from error
    return _read_csv(name, data, should_stop)


_BINARY_SIGNATURES = (
    (b"%PDF", "PDF document"),
    (b"\x89PNG", "PNG image"),
    (b"\xff\xd8\xff", "JPEG image"),
    (b"GIF8", "GIF image"),
    (b"II*\x00", "TIFF image"),
    (b"MM\x00*", "TIFF image"),
    (b"RIFF", "WebP image"),
)


def _refuse_known_binary(name: str, head: bytes) -> None:
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            kinds = {
                "PDF document": _("a PDF document"),
                "PNG image": _("a PNG image"),
                "JPEG image": _("a JPEG image"),
                "GIF image": _("a GIF image"),
                "TIFF image": _("a TIFF image"),
                "WebP image": _("a WebP image"),
            }
            raise RosterFileError(
                _(
                    "{file}: the file is {kind}, not a roster; save the roster as CSV or XLSX."
                ).format(file=name, kind=kinds[kind])
            )
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise RosterFileError(
            _(
                "{file}: the file is an old Excel 97-2003 workbook (.xls) or a password-protected"
                " workbook; save it as XLSX without a password, or as CSV."
            ).format(file=name)
        )


# CSV ---------------------------------------------------------------------------------------

#: Latvian letters as cp1257 decodes them (weight 3; ķ and ģ are rarer, weight 2)
_LATVIAN = {ch: 3 for ch in "āčēīļņšūžĀČĒĪĻŅŠŪŽ"} | {ch: 2 for ch in "ķģĶĢ"}
#: accented letters of Western languages; the ones Latvian letters turn into in cp1252 weigh less
_WESTERN_RARE = set("âêîôûìòùïëãõÂÊÎÔÛÌÒÙÏËÃÕ")
_WESTERN_IMPROBABLE = set("ðþÐÞ")


def _score_cp1257(ch: str) -> int:
    if ch in _LATVIAN:
        return _LATVIAN[ch]
    return 0 if ch.isalpha() else -1


def _score_cp1252(ch: str) -> int:
    if ch in _WESTERN_IMPROBABLE:
        return -3
    if ch in _WESTERN_RARE:
        return 1
    return 2 if ch.isalpha() else -1


_MOSTLY_UTF8 = re.compile(rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}")


def _decode(name: str, data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = ""
    if encoding:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError as error:
            raise _undecodable(name) from error
    if b"\x00" in data:
        raise _nul_bytes(name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as error:
        utf8_error = error
    candidates: dict[str, str] = {}
    for code_page in ("cp1257", "cp1252"):
        with contextlib.suppress(UnicodeDecodeError):
            candidates[code_page] = data.decode(code_page)
    well_formed = len(_MOSTLY_UTF8.findall(data))
    stray = data.decode("utf-8", errors="replace").count("\ufffd")
    if well_formed and well_formed >= stray:
        line = data[: utf8_error.start].count(b"\n") + 1
        raise RosterFileError(
            _(
                "{file}: line {line} is not valid UTF-8 although the rest of the file is; the"
                " file mixes text encodings - save it again as 'CSV UTF-8'."
            ).format(file=name, line=line)
        )
    if not candidates:
        raise _undecodable(name) from utf8_error
    if len(candidates) == 1:
        [(encoding, text)] = candidates.items()
        return text, encoding
    baltic, western = candidates["cp1257"], candidates["cp1252"]
    if baltic == western:
        return western, "cp1252"
    baltic_score = western_score = 0
    for a, b in zip(baltic, western, strict=True):
        if a != b:
            baltic_score += _score_cp1257(a)
            western_score += _score_cp1252(b)
    if western_score > baltic_score:
        return western, "cp1252"
    return baltic, "cp1257"


def _undecodable(name: str) -> RosterFileError:
    return RosterFileError(
        _(
            "{file}: the text is not in an encoding the app can read (UTF-8, UTF-16,"
            " Windows-1257 or Windows-1252); save it as 'CSV UTF-8'."
        ).format(file=name)
    )


def _nul_bytes(name: str) -> RosterFileError:
    return RosterFileError(
        _(
            "{file}: the file contains NUL bytes - it is not a text roster; save it as CSV or XLSX."
        ).format(file=name)
    )


_DELIMITERS = (";", "\t", ",")  # in order of preference on a tie


def _delimiter(text: str) -> str:
    for line in io.StringIO(text):
        if not any(ch.isalnum() for ch in line):
            continue
        counts = dict.fromkeys(_DELIMITERS, 0)
        quoted = False
        for ch in line:
            if ch == '"':
                quoted = not quoted
            elif not quoted and ch in counts:
                counts[ch] += 1
        best = max(_DELIMITERS, key=lambda d: counts[d])  # max keeps the first on a tie
        return best
    return ";"


def _read_csv(name: str, data: bytes, should_stop: Callable[[], bool] | None) -> RosterTable:
    text, encoding = _decode(name, data)
    if "\x00" in text:
        raise _nul_bytes(name)
    start = text.lstrip()[:200].lower()
    if start.startswith(("<!doctype", "<html", "<?xml", "<table")):
        raise RosterFileError(
            _(
                "{file}: the file is a web page or an XML file, not a roster; open it in Excel"
                " and save it as XLSX or CSV."
            ).format(file=name)
        )
    delimiter = _delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)

    def records() -> Iterator[tuple[int, list[str]]]:
        line = 0
        try:
            for record in reader:
                line += 1
                yield line, [_clip(cell.strip()) for cell in record]
        except csv.Error as error:
            raise RosterFileError(
                _("{file}: line {line} cannot be read as CSV ({reason}).").format(
                    file=name, line=line + 1, reason=error
                )
            ) from error

    return _build_table(name, "csv", encoding, delimiter, records(), should_stop)


def _clip(text: str) -> str:
    # one character more than allowed, so the checks can say "too long"
    return text[: MAX_CELL_CHARS + 1]


# the table ---------------------------------------------------------------------------------


def _build_table(
    name: str,
    file_format: str,
    encoding: str,
    delimiter: str,
    records: Iterable[tuple[int, list[str]]],
    should_stop: Callable[[], bool] | None,
) -> RosterTable:
    headers: tuple[str, ...] | None = None
    rows: list[RosterRow] = []
    skipped_empty = 0
    counted = 0
    for seen, (line, cells) in enumerate(records, start=1):
        if should_stop is not None and seen % STOP_POLL_ROWS == 0 and should_stop():
            raise RosterCancelled()
        while cells and not cells[-1]:
            cells.pop()
        if not cells:
            if headers is not None:
                skipped_empty += 1
            continue
        if headers is not None and counted >= MAX_ROWS:
            counted += 1  # past the limit: only count, keep nothing
            continue
        if len(cells) > MAX_COLUMNS:
            raise RosterFileError(
                _(
                    "{file}: row {line} has {count} columns; at most {limit} are allowed -"
                    " delete the extra columns."
                ).format(file=name, line=line, count=len(cells), limit=MAX_COLUMNS)
            )
        if headers is None:
            headers = tuple(cells)
            continue
        counted += 1
        if len(cells) < len(headers):
            cells.extend([""] * (len(headers) - len(cells)))
        rows.append(RosterRow(line, tuple(cells)))
    if headers is None:
        raise RosterFileError(_("{file}: the file has no non-empty rows.").format(file=name))
    if counted > MAX_ROWS:
        raise RosterFileError(
            _(
                "{file}: the file has {count} rows below the header; at most {limit} can be"
                " imported at once - split it into smaller files."
            ).format(file=name, count=counted, limit=MAX_ROWS)
        )
    if not rows:
        raise RosterFileError(
            _("{file}: the file has only a header row, no people below it.").format(file=name)
        )
    return RosterTable(name, file_format, encoding, delimiter, headers, tuple(rows), skipped_empty)


# spreadsheets ------------------------------------------------------------------------------


def _damaged(name: str, detail: object = None) -> RosterFileError:
    message = _(
        "{file}: the spreadsheet is damaged or incomplete; open it in Excel or LibreOffice"
        " and save it again."
    ).format(file=name)
    if detail:
        message += f" ({detail})"
    return RosterFileError(message)


def _check_zip(path: Path) -> tuple[str, list[tuple[tuple[int, int], tuple[int, int]]] | None]:
    """The format of a ZIP ("xlsx"/"ods") after the zip-bomb checks; ODS merged ranges."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            total = 0
            for member in members:
                total += member.file_size
                if member.file_size > BOMB_MEMBER_BYTES and (
                    member.compress_size == 0 or member.file_size / member.compress_size > MAX_RATIO
                ):
                    raise RosterFileError(
                        _(
                            "{file}: a part of the spreadsheet ('{member}') is compressed"
                            " suspiciously well (a 'zip bomb'); the file is not read."
                        ).format(file=name, member=member.filename[:80])
                    )
            if total > MAX_UNPACKED_BYTES:
                raise RosterFileError(
                    _(
                        "{file}: the spreadsheet would unpack to more than {limit} MB; it is too"
                        " large or not a genuine spreadsheet."
                    ).format(file=name, limit=MAX_UNPACKED_BYTES // (1024 * 1024))
                )
            names = {member.filename: member for member in members}
            if "xl/workbook.xml" in names:
                return "xlsx", None
            mimetype = names.get("mimetype")
            if (
                mimetype is not None
                and mimetype.file_size <= 200
                and archive.read(mimetype).strip() == ODS_MIMETYPE
            ):
                if "content.xml" not in names:
                    raise _damaged(name)
                return "ods", _ods_merged_ranges(archive)
            raise RosterFileError(
                _(
                    "{file}: the file is a ZIP archive but not an Excel (.xlsx) or OpenDocument"
                    " (.ods) spreadsheet; save the roster as XLSX or CSV."
                ).format(file=name)
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, EOFError, ET.ParseError) as error:
        raise _damaged(name) from error
    except (NotImplementedError, ValueError, RuntimeError) as error:  # e.g. encrypted members
        raise _damaged(name, error) from error


_TABLE = "{urn:oasis:names:tc:opendocument:xmlns:table:1.0}"


def _ods_merged_ranges(
    archive: zipfile.ZipFile,
) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Merged areas of the first table in content.xml, as calamine reports them for XLSX."""
    ranges: list[tuple[tuple[int, int], tuple[int, int]]] = []
    row = column = 0
    depth = 0  # nesting of table:table (sub-tables inside cells are skipped)
    with archive.open("content.xml") as stream:
        for event, element in ET.iterparse(stream, events=("start", "end")):
            tag = element.tag
            if tag == f"{_TABLE}table":
                depth += 1 if event == "start" else -1
                if event == "end" and depth == 0:
                    break
                continue
            if depth != 1:
                continue
            if tag == f"{_TABLE}table-row":
                if event == "start":
                    column = 0
                else:
                    row += int(element.get(f"{_TABLE}number-rows-repeated", "1"))
                    element.clear()
            elif tag in (f"{_TABLE}table-cell", f"{_TABLE}covered-table-cell"):
                if event != "start":
                    continue
                rows_spanned = int(element.get(f"{_TABLE}number-rows-spanned", "1"))
                columns_spanned = int(element.get(f"{_TABLE}number-columns-spanned", "1"))
                if tag == f"{_TABLE}table-cell" and (rows_spanned > 1 or columns_spanned > 1):
                    ranges.append(
                        ((row, column), (row + rows_spanned - 1, column + columns_spanned - 1))
                    )
                column += int(element.get(f"{_TABLE}number-columns-repeated", "1"))
    return ranges


def _read_spreadsheet(path: Path, should_stop: Callable[[], bool] | None) -> RosterTable:
    name = path.name
    file_format, ods_ranges = _check_zip(path)
    from python_calamine import CalamineWorkbook  # (loaded only when a spreadsheet comes)

    try:
        with CalamineWorkbook.from_path(str(path)) as workbook:
            if not workbook.sheet_names:
                raise RosterFileError(_("{file}: the spreadsheet has no sheets.").format(file=name))
            sheet = workbook.get_sheet_by_index(0)
            merged = sheet.merged_cell_ranges if file_format == "xlsx" else ods_ranges
            start = sheet.start
            # iter_rows yields rows from the sheet's first row but columns from the first used one
            offset = start[1] if start else 0
            records = _spreadsheet_records(sheet.iter_rows(), merged or [], offset)
            return _build_table(name, file_format, "", "", records, should_stop)
    except (RosterFileError, RosterCancelled, KeyboardInterrupt, SystemExit):
        raise
    except BaseException as error:  # calamine raises its own errors and pyo3 panics
        raise _damaged(name, str(error)[:200] or type(error).__name__) from error


def _spreadsheet_records(
    rows: Iterable[Sequence[object]],
    merged: list[tuple[tuple[int, int], tuple[int, int]]],
    offset: int,
) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every sheet row, merged areas filled with their top-left value."""
    pending = sorted(
        (r0, c0 - offset, r1, c1 - offset) for (r0, c0), (r1, c1) in merged if r1 >= r0
    )
    pending.reverse()  # pop() gives the next area by first row
    active: list[tuple[int, int, int, int, str]] = []
    for index, values in enumerate(rows):
        cells = [_cell_text(value) for value in values]
        while pending and pending[-1][0] <= index:
            r0, c0, r1, c1 = pending.pop()
            value = cells[c0] if r0 == index and 0 <= c0 < len(cells) else ""
            if value:
                active.append((r0, c0, r1, c1, value))
        active = [area for area in active if area[2] >= index]
        for r0, c0, _r1, c1, value in active:
            for column in range(max(c0, 0), min(c1, len(cells) - 1) + 1):
                if (index, column) != (r0, c0) and not cells[column]:
                    cells[column] = value
        yield index + 1, cells


def _cell_text(value: object) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        text = value
    elif isinstance(value, bool):
        text = "TRUE" if value else "FALSE"
    elif isinstance(value, int):
        text = str(value)
    elif isinstance(value, float):
        text = str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    elif isinstance(value, dt.datetime):
        text = value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    elif isinstance(value, (dt.date, dt.time)):
        text = value.isoformat()
    else:
        text = str(value)
    return _clip(text.strip())


# --- recognising columns ----------------------------------------------------------------


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    return "".join(ch for ch in folded if ch not in ".:*()")


def _key(header: str) -> str:
    """Header text reduced to letters and digits: "Dz. datums" -> "dzdatums"."""
    return "".join(ch for ch in _fold(header) if ch.isalnum())


_NAME_SYNONYMS = {
    "given_names": {
        "vards", "vardi", "vardsi", "personvards", "personvardi", "firstname", "firstnames",
        "givenname", "givennames", "forename", "forenames", "skolenavards", "izglitojamavards",
    },
    "surname": {
        "uzvards", "uzvardi", "uzvardsi", "surname", "familyname", "lastname",
        "skolenauzvards", "izglitojamauzvards",
    },
    "email": {"epasts", "epastaadrese", "epastadrese", "email", "emailaddress", "mail"},
}  # fmt: skip
_LEARNER_SYNONYMS = _NAME_SYNONYMS | {
    "full_name": {
        "vardsuzvards", "vardiuzvardi", "uzvardsvards", "uzvardivardi", "skolens",
        "izglitojamais", "skolenavardsuzvards", "izglitojamavardsuzvards", "fullname",
        "learner", "student", "pupil", "learnername", "studentname", "pupilname",
    },
    "learner_number": {
        "skolenanr", "skolenanumurs", "izglitojamanr", "izglitojamanumurs", "regnr",
        "registracijasnr", "registracijasnumurs", "learnernumber", "learnerno", "learnerid",
        "studentnumber", "studentno", "studentid", "pupilnumber", "pupilid", "id",
    },
    "group": {"klase", "grupa", "kurss", "class", "group", "form", "klasegrupa", "grupaklase"},
    "date_of_birth": {
        "dzimsanasdatums", "dzdatums", "dzimdatums", "dateofbirth", "birthdate", "dob",
        "birthday",
    },
}  # fmt: skip
_STAFF_SYNONYMS = _NAME_SYNONYMS | {
    "full_name": {
        "vardsuzvards", "vardiuzvardi", "uzvardsvards", "uzvardivardi", "fullname",
        "skolotajs", "skolotaja", "pedagogs", "darbinieks", "teacher", "staffmember",
        "employee",
    },
    "username": {"lietotajvards", "lietotajavards", "username", "login", "lietotajs"},
    "roles": {"loma", "lomas", "amats", "role", "roles"},
}  # fmt: skip

_SENSITIVE_PARTS = (
    "personaskod",
    "perskod",
    "personalcode",
    "personalidenti",
    "personalnumber",
    "nationalid",
    "identitycode",
)


def ignored_sensitive_columns(headers: Sequence[str]) -> tuple[int, ...]:
    """Indices of columns holding national personal codes; they are never mapped."""
    return tuple(
        index
        for index, header in enumerate(headers)
        if any(part in _key(header) for part in _SENSITIVE_PARTS)
    )


def guess_mapping(headers: Sequence[str], kind: Literal["learners", "staff"]) -> ColumnMapping:
    """Recognise the columns of a roster from their headers (Latvian or English)."""
    if kind == "learners":
        synonyms = _LEARNER_SYNONYMS
    elif kind == "staff":
        synonyms = _STAFF_SYNONYMS
    else:
        raise ValueError(f"unknown roster kind {kind!r}")
    sensitive = set(ignored_sensitive_columns(headers))
    keys = [_key(header) for header in headers]
    has_surname = any(key in synonyms["surname"] for key in keys)
    found: dict[str, list[int]] = {}
    unsure = False
    for index, key in enumerate(keys):
        if index in sensitive or not key:
            continue
        if key == "name":
            fields = ["given_names" if has_surname else "full_name"]
        else:
            fields = [field for field, words in synonyms.items() if key in words]
        if len(fields) > 1:
            unsure = True
        for field in fields:
            found.setdefault(field, []).append(index)
    if any(len(indices) > 1 for indices in found.values()):
        unsure = True
    columns = {field: indices[0] for field, indices in found.items()}
    has_names = ("given_names" in columns and "surname" in columns) or "full_name" in columns
    return ColumnMapping(columns, unsure=unsure or not has_names)


# --- checking rows -------------------------------------------------------------------------

_EXTRA_CONTROLS = {"\u2028", "\u2029"}


def _is_control(ch: str) -> bool:
    return unicodedata.category(ch) in ("Cc", "Cf") or ch in _EXTRA_CONTROLS


def _shown(value: str, limit: int = 60) -> str:
    """A value safe to show inside a message: controls escaped, long text shortened."""
    text = "".join(f"\\u{ord(ch):04x}" if _is_control(ch) else ch for ch in value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _formula_start(value: str, *, strict_hyphen: bool = False) -> str:
    """The leading character that makes ``value`` look like a formula ("" when none)."""
    first = value[:1]
    if first in ("=", "+", "@"):
        return first
    if first == "-" and (strict_hyphen or len(value) == 1 or not value[1].isalpha()):
        return "-"
    return ""


_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(\.?)")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")

_LABELS = {
    "given_names": lambda: _("first name"),
    "surname": lambda: _("surname"),
    "full_name": lambda: _("name"),
    "learner_number": lambda: _("learner number"),
    "group": lambda: _("group"),
    "email": lambda: _("e-mail address"),
    "username": lambda: _("user name"),
    "roles": lambda: _("role"),
    "date_of_birth": lambda: _("date of birth"),
}

_PERSONAL_CODE = re.compile(r"\d{6}-?\d{5}")

_ROLE_WORDS = {
    "teacher": "teacher",
    "teachers": "teacher",
    "skolotajs": "teacher",
    "skolotaja": "teacher",
    "skolotaji": "teacher",
    "pedagogs": "teacher",
    "pedagoge": "teacher",
    "coordinator": "coordinator",
    "koordinators": "coordinator",
    "koordinatore": "coordinator",
    "administrator": "administrator",
    "administrators": "administrator",
    "administratore": "administrator",
    "admin": "administrator",
}
_ROLE_FILLERS = {"un", "and", "&"}


class _RowChecker:
    """Collects the problems of one row; each cell is checked once."""

    def __init__(self, table: RosterTable, mapping: ColumnMapping, row: RosterRow) -> None:
        self.table = table
        self.mapping = mapping
        self.row = row
        self.problems: list[RosterProblem] = []

    def column(self, field: str) -> str:
        index = self.mapping.columns[field]
        header = self.table.headers[index] if index < len(self.table.headers) else ""
        return header or _("column {number}").format(number=index + 1)

    def raw(self, field: str) -> str:
        index = self.mapping.columns.get(field)
        if index is None or index >= len(self.row.cells):
            return ""
        return self.row.cells[index]

    def add(self, field: str, message: str) -> None:
        column = self.column(field) if field in self.mapping.columns else ""
        self.problems.append(RosterProblem(self.row.line, column, message))

    def text(self, field: str, limit: int, *, value: str | None = None, name: bool = False) -> str:
        """The cell of ``field`` checked for controls, formulas and length; "" on a problem."""
        value = self.raw(field) if value is None else value
        label = _LABELS[field]()
        if any(_is_control(ch) for ch in value):
            self.add(
                field,
                _(
                    "the {field} '{value}' contains control or invisible formatting characters;"
                    " retype it"
                ).format(field=label, value=_shown(value)),
            )
            return ""
        value = unicodedata.normalize("NFC", " ".join(value.split()))
        start = _formula_start(value, strict_hyphen=field == "learner_number")
        if start and field != "date_of_birth":
            self.add(
                field,
                _(
                    "the {field} '{value}' looks like a spreadsheet formula; remove the"
                    " leading '{char}'"
                ).format(field=label, value=_shown(value), char=start),
            )
            return ""
        if len(value) > limit:
            self.add(
                field,
                _("the {field} '{value}' is longer than {limit} characters; shorten it").format(
                    field=label, value=_shown(value, 40), limit=limit
                ),
            )
            return ""
        if name and value and not any(ch.isalpha() for ch in value):
            self.add(
                field,
                _(
                    "the {field} '{value}' has no letters; write the {field} or delete the row"
                ).format(field=label, value=_shown(value)),
            )
            return ""
        return value

    def names(self) -> tuple[str, str]:
        columns = self.mapping.columns
        if "given_names" in columns and "surname" in columns:
            given = self.text("given_names", MAX_NAME, name=True)
            surname = self.text("surname", MAX_NAME, name=True)
            if not self.raw("given_names").strip() and not self._reported("given_names"):
                self.add("given_names", _("the first name is missing; write it or delete the row"))
            if not self.raw("surname").strip() and not self._reported("surname"):
                self.add("surname", _("the surname is missing; write it or delete the row"))
            return given, surname
        raw = self.raw("full_name")
        if not raw.strip():
            self.add("full_name", _("the name is missing; write it or delete the row"))
            return "", ""
        full = self.text("full_name", 2 * MAX_NAME + 2, name=True)
        if not full:
            return "", ""
        if "," in full:
            surname, _comma, given = full.partition(",")
            given, surname = given.strip(), surname.strip()
        else:
            words = full.split(" ")
            given, surname = " ".join(words[:-1]), words[-1]
        if not given or not surname or not any(ch.isalpha() for ch in given + surname):
            self.add(
                "full_name",
                _(
                    "the name '{value}' does not have both a first name and a surname; write"
                    " 'First name Surname' or 'Surname, First name'"
                ).format(value=_shown(full)),
            )
            return "", ""
        given = self.text("full_name", MAX_NAME, value=given, name=True)
        surname = self.text("full_name", MAX_NAME, value=surname, name=True)
        return given, surname

    def _reported(self, field: str) -> bool:
        column = self.column(field)
        return any(problem.column == column for problem in self.problems)

    def email(self) -> str:
        if "email" not in self.mapping.columns:
            return ""
        email = self.text("email", MAX_EMAIL)
        if email and not re.fullmatch(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+", email):
            self.add(
                "email",
                _(
                    "the e-mail address '{value}' is not an e-mail address (like name@school.lv)"
                ).format(value=_shown(email)),
            )
            return ""
        return email

    def date_of_birth(self) -> dt.date | None:
        if "date_of_birth" not in self.mapping.columns:
            return None
        value = self.text("date_of_birth", 40)
        if not value:
            return None
        compact = "".join(value.split())
        shown = _shown(value)
        day_first = _DMY.fullmatch(compact)
        iso = _YMD.fullmatch(compact) if not day_first else None
        if day_first and not (day_first.group(5) and day_first.group(2) != "."):
            day, month, year = (int(day_first.group(i)) for i in (1, 3, 4))
            if len(day_first.group(4)) == 2:
                self.add(
                    "date_of_birth",
                    _(
                        "the date of birth '{value}' has a two-digit year; write the year in full"
                        " (DD.MM.YYYY)"
                    ).format(value=shown),
                )
                return None
        elif iso:
            year, month, day = (int(iso.group(i)) for i in (1, 2, 3))
        else:
            self.add(
                "date_of_birth",
                _(
                    "the date of birth '{value}' is not a date (use DD.MM.YYYY, or leave the"
                    " cell empty)"
                ).format(value=shown),
            )
            return None
        try:
            born = dt.date(year, month, day)
        except ValueError:
            self.add(
                "date_of_birth",
                _("the date of birth '{value}' is not a real date (use DD.MM.YYYY)").format(
                    value=shown
                ),
            )
            return None
        if born.year < 1900:
            self.add(
                "date_of_birth",
                _("the date of birth '{value}' is before 1900; check the year").format(value=shown),
            )
            return None
        if born > dt.date.today():
            self.add(
                "date_of_birth",
                _("the date of birth '{value}' is in the future; check the year").format(
                    value=shown
                ),
            )
            return None
        return born


def _is_column(index: object) -> bool:
    return isinstance(index, int) and index >= 0


def _check_name_columns(
    table: RosterTable, mapping: ColumnMapping, fields: Sequence[str]
) -> list[RosterProblem]:
    problems = []
    for field, index in mapping.columns.items():
        if field not in fields or not _is_column(index):  # a mapping made elsewhere: checked
            raise ValueError(f"bad column mapping {field!r} -> {index!r}")
    columns = mapping.columns
    if not (("given_names" in columns and "surname" in columns) or "full_name" in columns):
        problems.append(
            RosterProblem(
                0,
                "",
                _(
                    "choose which columns hold the first name and the surname (or the full"
                    " name); the file cannot be imported without them"
                ),
            )
        )
    sensitive = set(ignored_sensitive_columns(table.headers))
    for field, index in columns.items():
        if index in sensitive:
            header = table.headers[index]
            problems.append(
                RosterProblem(
                    0,
                    header,
                    _(
                        "the column '{column}' holds personal codes, which the app does not"
                        " store; choose another column for the {field}"
                    ).format(column=header, field=_LABELS[field]()),
                )
            )
    return problems


def _same_rows(table: RosterTable) -> dict[int, int]:
    """line of a repeated row -> line of its first occurrence."""
    first: dict[tuple[str, ...], int] = {}
    repeats: dict[int, int] = {}
    for row in table.rows:
        key = tuple(unicodedata.normalize("NFC", cell) for cell in row.cells)
        while key and not key[-1]:
            key = key[:-1]
        if key in first:
            repeats[row.line] = first[key]
        else:
            first[key] = row.line
    return repeats


def _repeated_values(
    values: dict[int, str], problems: dict[int, list[RosterProblem]], column: str, message: str
) -> None:
    """One problem on each line whose value also appears on other lines, naming them."""
    lines_of: dict[str, list[int]] = {}
    for line, value in values.items():
        if value:
            lines_of.setdefault(unicodedata.normalize("NFC", value).casefold(), []).append(line)
    for lines in lines_of.values():
        if len(lines) < 2:
            continue
        for line in lines:
            others = ", ".join(str(other) for other in lines if other != line)
            problems.setdefault(line, []).append(
                RosterProblem(
                    line, column, message.format(value=_shown(values[line]), lines=others)
                )
            )


_Record = TypeVar("_Record")


def _finish(
    table: RosterTable, problems: dict[int, list[RosterProblem]], records: dict[int, _Record]
) -> tuple[list[_Record], list[RosterProblem]]:
    ordered = [problem for row in table.rows for problem in problems.get(row.line, [])]
    kept = [record for line, record in records.items() if not problems.get(line)]
    return kept, ordered


def parse_learners(
    table: RosterTable, mapping: ColumnMapping
) -> tuple[list[LearnerRow], list[RosterProblem]]:
    """Checked learner records, and every problem by line and column.

    A row with any problem gives no record, only its problems.
    """
    whole = _check_name_columns(table, mapping, LEARNER_FIELDS)
    if whole:
        return [], whole
    repeats = _same_rows(table)
    problems: dict[int, list[RosterProblem]] = {}
    records: dict[int, LearnerRow] = {}
    numbers: dict[int, str] = {}
    for row in table.rows:
        check = _RowChecker(table, mapping, row)
        given, surname = check.names()
        number = check.text("learner_number", MAX_NUMBER)
        if number and _PERSONAL_CODE.fullmatch(number):
            check.add(
                "learner_number",
                _(
                    "the learner number looks like a personal code, which the app does not"
                    " store; use the number from the school register or leave it empty"
                ),
            )
            number = ""
        group = check.text("group", MAX_GROUP)
        born = check.date_of_birth()
        email = check.email()
        if row.line in repeats:
            check.add(
                "",
                _("this row is the same as line {line}; delete one of them").format(
                    line=repeats[row.line]
                ),
            )
        else:
            numbers[row.line] = number
        problems[row.line] = check.problems
        records[row.line] = LearnerRow(row.line, given, surname, number, group, born, email)
    if "learner_number" in mapping.columns:
        _repeated_values(
            numbers,
            problems,
            mapping.header_for("learner_number", table.headers),
            _(
                "the learner number '{value}' is also on line {lines}; each learner needs a"
                " different number"
            ),
        )
    return _finish(table, problems, records)


def _roles(check: _RowChecker) -> frozenset[str]:
    value = check.text("roles", 200)
    roles = set()
    for word in re.split(r"[,;/\s]+", value):
        key = _key(word)
        if not key or key in _ROLE_FILLERS:
            continue
        role = _ROLE_WORDS.get(key)
        if role is None:
            check.add(
                "roles",
                _(
                    "the role '{value}' is not known; use teacher, coordinator or administrator"
                    " (skolotājs, koordinators, administrators)"
                ).format(value=_shown(word)),
            )
        else:
            roles.add(role)
    return frozenset(roles or {"teacher"})


def parse_staff(
    table: RosterTable, mapping: ColumnMapping
) -> tuple[list[StaffRow], list[RosterProblem]]:
    """Checked staff records, and every problem by line and column."""
    whole = _check_name_columns(table, mapping, STAFF_FIELDS)
    if whole:
        return [], whole
    repeats = _same_rows(table)
    problems: dict[int, list[RosterProblem]] = {}
    records: dict[int, StaffRow] = {}
    usernames: dict[int, str] = {}
    for row in table.rows:
        check = _RowChecker(table, mapping, row)
        given, surname = check.names()
        username = check.text("username", MAX_USERNAME)
        if " " in username:
            check.add(
                "username",
                _("the user name '{value}' must be one word; remove the spaces").format(
                    value=_shown(username)
                ),
            )
            username = ""
        email = check.email()
        roles = _roles(check)
        if row.line in repeats:
            check.add(
                "",
                _("this row is the same as line {line}; delete one of them").format(
                    line=repeats[row.line]
                ),
            )
        else:
            usernames[row.line] = username
        problems[row.line] = check.problems
        records[row.line] = StaffRow(row.line, given, surname, username, email, roles)
    if "username" in mapping.columns:
        _repeated_values(
            usernames,
            problems,
            mapping.header_for("username", table.headers),
            _("the user name '{value}' is also on line {lines}; each person needs a different one"),
        )
    return _finish(table, problems, records)


# --- output -------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise_cell(value: str) -> str:
    """Make a value safe for a CSV/XLSX cell that a spreadsheet program will open.

    Tabs and line breaks become spaces; other control characters (C0, DEL, C1) and
    invisible formatting characters (bidi overrides and isolates, zero-width marks) are
    removed; a value that would start with = + - @ (even after spaces) gets a leading "'"
    so that it is shown as text, not run as a formula.
    """
    cleaned = []
    for ch in value:
        if ch in "\t\r\n":
            cleaned.append(" ")
        elif not _is_control(ch):
            cleaned.append(ch)
    text = "".join(cleaned)
    if text.lstrip(" ").startswith(_FORMULA_STARTS) or text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text
