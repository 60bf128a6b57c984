"""Roster files from the school register: reading, recognising columns, checking rows.

A pure package: no database, no Qt, no SQLAlchemy. The import service builds on it
(matching learners, creating groups, the transaction); ``learners list --format csv``
uses :func:`neutralise_cell` for its output.

- :mod:`.model`: the limits, the fields, the errors and the records;
- :mod:`.reading`: :func:`read_roster` (the format decided by the content), with
  :mod:`.csv_text` (encodings, delimiters) and :mod:`.spreadsheets` (XLSX, ODS) turning a
  file into rows, and :mod:`.table` the rows into a :class:`RosterTable`;
- :mod:`.columns`: recognising the columns from their headers (:func:`guess_mapping`);
- :mod:`.parsing`: the checked learner and staff records (:func:`parse_learners`,
  :func:`parse_staff`), one row at a time by :mod:`.row_checks`;
- :mod:`.cells`: what makes a cell unsafe, and :func:`neutralise_cell` for output.
"""

from digcomp_app.services.roster_files.cells import neutralise_cell
from digcomp_app.services.roster_files.columns import guess_mapping, ignored_sensitive_columns
from digcomp_app.services.roster_files.model import (
    BOMB_MEMBER_BYTES,
    LEARNER_FIELDS,
    MAX_CELL_CHARS,
    MAX_COLUMNS,
    MAX_EMAIL,
    MAX_FILE_BYTES,
    MAX_GROUP,
    MAX_NAME,
    MAX_NUMBER,
    MAX_RATIO,
    MAX_ROWS,
    MAX_UNPACKED_BYTES,
    MAX_USERNAME,
    ODS_MIMETYPE,
    STAFF_FIELDS,
    STOP_POLL_ROWS,
    ColumnMapping,
    LearnerRow,
    RosterCancelled,
    RosterFileError,
    RosterProblem,
    RosterRow,
    RosterTable,
    StaffRow,
    field_label,
)
from digcomp_app.services.roster_files.parsing import parse_learners, parse_staff
from digcomp_app.services.roster_files.reading import read_roster

__all__ = [
    "BOMB_MEMBER_BYTES",
    "LEARNER_FIELDS",
    "MAX_CELL_CHARS",
    "MAX_COLUMNS",
    "MAX_EMAIL",
    "MAX_FILE_BYTES",
    "MAX_GROUP",
    "MAX_NAME",
    "MAX_NUMBER",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_USERNAME",
    "ODS_MIMETYPE",
    "STAFF_FIELDS",
    "STOP_POLL_ROWS",
    "ColumnMapping",
    "LearnerRow",
    "RosterCancelled",
    "RosterFileError",
    "RosterProblem",
    "RosterRow",
    "RosterTable",
    "StaffRow",
    "field_label",
    "guess_mapping",
    "ignored_sensitive_columns",
    "neutralise_cell",
    "parse_learners",
    "parse_staff",
    "read_roster",
]
