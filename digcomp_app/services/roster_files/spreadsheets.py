"""XLSX and ODS rosters: the first sheet, read with python-calamine.

Formulas give their cached values. Before calamine sees a ZIP, its central directory is
checked against :data:`MAX_UNPACKED_BYTES` and for members compressed more than 200 times
(zip bombs). Merged cells show their top-left value across the whole merged area, as a
person sees them: calamine reports merged ranges for XLSX; for ODS it does not (it returns
covered cells as empty), so the spans are read from ``content.xml`` here.
"""

from __future__ import annotations

import datetime as dt
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from digcomp_app.i18n import _
from digcomp_app.services.roster_files.model import (
    BOMB_MEMBER_BYTES,
    MAX_RATIO,
    MAX_UNPACKED_BYTES,
    ODS_MIMETYPE,
    RosterCancelled,
    RosterFileError,
    RosterTable,
)
from digcomp_app.services.roster_files.table import build_table, clip


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


def read_spreadsheet(path: Path, should_stop: Callable[[], bool] | None) -> RosterTable:
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
            return build_table(name, file_format, "", "", records, should_stop)
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
    return clip(text.strip())
