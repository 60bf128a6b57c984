"""Records (line, cells) of any format made into a :class:`RosterTable`: the header row,
the limits on rows, columns and cell length, empty rows dropped, cancelling."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from digcomp_app.i18n import _
from digcomp_app.services.roster_files.model import (
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_ROWS,
    STOP_POLL_ROWS,
    RosterCancelled,
    RosterFileError,
    RosterRow,
    RosterTable,
)


def clip(text: str) -> str:
    # one character more than allowed, so the checks can say "too long"
    return text[: MAX_CELL_CHARS + 1]


def build_table(
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
