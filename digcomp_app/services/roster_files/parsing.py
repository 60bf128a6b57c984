"""Checked learner and staff records from a roster table, and every problem by line and
column: the name columns, each row (:mod:`.row_checks`), repeated rows, numbers and user
names, roles.

A learner number that looks like a personal code (DDMMYY-NNNNN) is refused: the app does
not store national personal codes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from typing import TypeVar

from digcomp_app.i18n import _
from digcomp_app.services.roster_files.cells import shown_text
from digcomp_app.services.roster_files.columns import header_key, ignored_sensitive_columns
from digcomp_app.services.roster_files.model import (
    LEARNER_FIELDS,
    MAX_GROUP,
    MAX_NUMBER,
    MAX_USERNAME,
    STAFF_FIELDS,
    ColumnMapping,
    LearnerRow,
    RosterProblem,
    RosterTable,
    StaffRow,
)
from digcomp_app.services.roster_files.row_checks import LABELS, RowChecker

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
                    ).format(column=header, field=LABELS[field]()),
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
                    line, column, message.format(value=shown_text(values[line]), lines=others)
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
        check = RowChecker(table, mapping, row)
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


def _roles(check: RowChecker) -> frozenset[str]:
    value = check.text("roles", 200)
    roles = set()
    for word in re.split(r"[,;/\s]+", value):
        key = header_key(word)
        if not key or key in _ROLE_FILLERS:
            continue
        role = _ROLE_WORDS.get(key)
        if role is None:
            check.add(
                "roles",
                _(
                    "the role '{value}' is not known; use teacher, coordinator or administrator"
                    " (skolotājs, koordinators, administrators)"
                ).format(value=shown_text(word)),
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
        check = RowChecker(table, mapping, row)
        given, surname = check.names()
        username = check.text("username", MAX_USERNAME)
        if " " in username:
            check.add(
                "username",
                _("the user name '{value}' must be one word; remove the spaces").format(
                    value=shown_text(username)
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
