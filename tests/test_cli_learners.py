"""A school's roster from the command line, starting from an empty database: groups,
learners, roster import with its exit statuses, CSV listing, accounts and slips, staff."""

from __future__ import annotations

import csv
import io
import shutil
import subprocess

import pytest
from openpyxl import Workbook

from digcomp_app.cli import main

ADMIN_PASSWORD = "first admin pw"


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = str(tmp_path / "school.sqlite3")
    monkeypatch.setenv("DIGCOMP_NEW_PASSWORD", ADMIN_PASSWORD)
    assert main(["--database", path, "setup", "admin"]) == 0
    monkeypatch.setenv("DIGCOMP_PASSWORD", ADMIN_PASSWORD)
    return path


def run(database, *arguments):
    return main(["--database", database, "--user", "admin", *arguments])


def roster(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(["Skolēna nr.", "Vārds", "Uzvārds", "Klase"])
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_import_dry_run_import_and_again(database, tmp_path, capsys):
    path = roster(
        tmp_path / "klase.xlsx", [["1", "Anna", "Ozola", "DT-1"], ["2", "Jānis", "Bērziņš", "DT-2"]]
    )
    capsys.readouterr()
    assert run(database, "learners", "import", str(path), "--dry-run") == 0
    out = capsys.readouterr().out
    assert "Would create 2, update 0, leave 0 unchanged; new groups: DT-1, DT-2." in out
    assert "column 'Skolēna nr.' → Learner number" in out
    assert "Nothing was changed (--dry-run)." in out
    assert run(database, "learners", "list") == 0
    assert "0 learner(s)." in capsys.readouterr().out

    assert run(database, "learners", "import", str(path)) == 0
    assert "Imported: 2 created, 0 updated, 0 unchanged" in capsys.readouterr().out
    assert run(database, "learners", "import", str(path)) == 0
    assert "Imported: 0 created, 0 updated, 2 unchanged" in capsys.readouterr().out
    assert run(database, "groups", "list") == 0
    out = capsys.readouterr().out
    assert "DT-1" in out and "DT-2" in out


def test_a_file_with_problems_is_refused_with_exit_1(database, tmp_path, capsys):
    path = roster(
        tmp_path / "bad.xlsx", [["1", "Anna", "Ozola", "DT-1"], ["1", "  ", "Bērziņš", "DT-1"]]
    )
    capsys.readouterr()
    assert run(database, "learners", "import", str(path)) == 1
    captured = capsys.readouterr()
    assert "line 3, column 'Vārds'" in captured.out
    assert "Nothing was imported." in captured.err
    run(database, "learners", "list")
    assert "0 learner(s)." in capsys.readouterr().out


def test_an_unreadable_file_exits_2(database, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(b"PK\x03\x04 this is not really a spreadsheet")
    capsys.readouterr()
    assert run(database, "learners", "import", str(path)) == 2
    assert "roster.xlsx" in capsys.readouterr().err


def test_csv_listing_neutralises_formulas(database, capsys):
    assert run(database, "groups", "add", "=1+2", "--year", "2026/2027") == 0
    assert (
        run(database, "learners", "add", "Anna", "Ozola", "--number", "9", "--group", "=1+2") == 0
    )
    capsys.readouterr()
    assert run(database, "learners", "list", "--format", "csv") == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out), delimiter=";"))
    assert rows[0][:4] == ["Learner number", "First names", "Surname", "Group"]
    assert rows[1][:4] == ["9", "Anna", "Ozola", "'=1+2"]


def test_accounts_for_a_group_write_slips(database, tmp_path, capsys):
    path = roster(
        tmp_path / "k.xlsx", [["1", "Anna", "Ozola", "DT-1"], ["2", "Līga", "Kalniņa", "DT-1"]]
    )
    assert run(database, "learners", "import", str(path)) == 0
    slips = tmp_path / "slips.pdf"
    capsys.readouterr()
    assert run(database, "learners", "accounts", "--group", "DT-1", "--out", str(slips)) == 0
    assert "2 account(s) created" in capsys.readouterr().out
    assert slips.read_bytes().startswith(b"%PDF")
    if shutil.which("pdftotext"):
        text = subprocess.run(
            ["pdftotext", str(slips), "-"], capture_output=True, text=True, check=True
        ).stdout
        assert "anna.ozola" in text and "liga.kalnina" in text and "Pieteikšanās" in text
    # again: both have accounts now
    assert run(database, "learners", "accounts", "--group", "DT-1", "--out", str(slips)) == 0
    assert "Skipped Anna Ozola: already has the account anna.ozola." in capsys.readouterr().out


def test_staff_import_needs_a_place_for_the_slips(database, tmp_path, capsys):
    path = tmp_path / "staff.csv"
    path.write_text("First name,Surname,Role\nInese,Kļaviņa,teacher\n", encoding="utf-8")
    capsys.readouterr()
    assert run(database, "users", "import", str(path)) == 1
    assert "--slips FILE" in capsys.readouterr().err
    slips = tmp_path / "staff.pdf"
    assert run(database, "users", "import", str(path), "--slips", str(slips), "--lang", "en") == 0
    out = capsys.readouterr().out
    assert "inese.klavina: Inese Kļaviņa" in out and slips.exists()
    assert run(database, "users", "list") == 0
    assert "inese.klavina" in capsys.readouterr().out
