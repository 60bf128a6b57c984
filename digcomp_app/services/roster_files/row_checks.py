"""Checking the cells of one row (:class:`RowChecker`): text, names, e-mail, date of birth.

Names
    A full-name column is split as "Surname, Given names" when it holds a comma, else the
    LAST word is the surname: "Anna Marija Bērziņa" -> given names "Anna Marija", surname
    "Bērziņa". Names are normalised to NFC with runs of spaces collapsed.

Dates of birth
    Accepted: DD.MM.YYYY, D.M.YYYY, DD.MM.YYYY. (Latvian trailing dot), DD/MM/YYYY,
    DD-MM-YYYY and YYYY-MM-DD (which is also what spreadsheet date cells become). Slashed
    dates are always read day first (European): 03/04/2009 is 3 April 2009. Two-digit
    years, impossible dates, years before 1900 and future dates are problems.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from digcomp_app.i18n import _
from digcomp_app.services.roster_files.cells import formula_start, is_control, shown_text
from digcomp_app.services.roster_files.model import (
    MAX_EMAIL,
    MAX_NAME,
    ColumnMapping,
    RosterProblem,
    RosterRow,
    RosterTable,
)

_DMY = re.compile(r"(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(\.?)")
_YMD = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")

LABELS = {
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


class RowChecker:
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
        label = LABELS[field]()
        if any(is_control(ch) for ch in value):
            self.add(
                field,
                _(
                    "the {field} '{value}' contains control or invisible formatting characters;"
                    " retype it"
                ).format(field=label, value=shown_text(value)),
            )
            return ""
        value = unicodedata.normalize("NFC", " ".join(value.split()))
        start = formula_start(value, strict_hyphen=field == "learner_number")
        if start and field != "date_of_birth":
            self.add(
                field,
                _(
                    "the {field} '{value}' looks like a spreadsheet formula; remove the"
                    " leading '{char}'"
                ).format(field=label, value=shown_text(value), char=start),
            )
            return ""
        if len(value) > limit:
            self.add(
                field,
                _("the {field} '{value}' is longer than {limit} characters; shorten it").format(
                    field=label, value=shown_text(value, 40), limit=limit
                ),
            )
            return ""
        if name and value and not any(ch.isalpha() for ch in value):
            self.add(
                field,
                _(
                    "the {field} '{value}' has no letters; write the {field} or delete the row"
                ).format(field=label, value=shown_text(value)),
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
                ).format(value=shown_text(full)),
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
                ).format(value=shown_text(email)),
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
        shown = shown_text(value)
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
