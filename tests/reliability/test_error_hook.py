"""An error that escapes a button's handler while the window runs becomes a message box in
plain words, not a traceback on a console nobody reads."""

from __future__ import annotations

import sys

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.services.errors import DiskFull, database_problem
from digcomp_app.ui.app import _log_file, show_unexpected_error

pytestmark = pytest.mark.reliability


def test_a_database_problem_is_shown_in_the_users_language(qtbot):
    set_language("lv")
    import sqlite3

    full = sqlite3.OperationalError("database or disk is full")
    full.sqlite_errorcode = sqlite3.SQLITE_FULL
    problem = database_problem(full)
    assert isinstance(problem, DiskFull)
    box = show_unexpected_error(DiskFull, problem, None)
    assert box is not None and box.isVisible()
    assert box.text().startswith("Disks, kurā glabājas datubāze, ir pilns")
    box.close()


def test_anything_else_is_written_to_the_log_and_named(qtbot):
    try:
        raise RuntimeError("a bug of ours")
    except RuntimeError:
        kind, error, trace = sys.exc_info()
    box = show_unexpected_error(kind, error, trace)
    assert str(_log_file()) in box.text() and "Traceback" not in box.text()
    assert "RuntimeError: a bug of ours" in _log_file().read_text(encoding="utf-8")
    box.close()
