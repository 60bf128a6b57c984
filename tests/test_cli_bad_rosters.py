"""Malformed roster files through the whole import, in Latvian: each gets a clear,
translated report naming what is wrong and where, and the database is left as it was."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from digcomp_app.cli import main
from digcomp_app.services import accounts, learners, organisations
from digcomp_app.services.database import Database
from tests.run_once import copy_sqlite, sqlite_file

PASSWORD = "admin-password"
HEADER = "Skolēna nr.;Vārds;Uzvārds;Klase;Dzimšanas datums\n"
UNREADABLE, REFUSED = 2, 1


def csv(path: Path, body: str, encoding: str = "utf-8") -> Path:
    path.write_bytes((HEADER + body).encode(encoding))
    return path


def xlsx(path: Path, rows, merge: str | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["Skolēna nr.", "Vārds", "Uzvārds", "Klase"])
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    book.save(path)
    return path


def wrong_encoding(tmp: Path) -> Path:
    path = tmp / "kodejums.csv"
    path.write_bytes(HEADER.encode() + b"1;J\x81nis;B\x90rzi\xf2\xf0;DT-1;\n")
    return path


def formulas(tmp: Path) -> Path:
    return csv(tmp / "formulas.csv", '1;"=HYPERLINK(""http://x"";""Anna"")";Ozola;DT-1;\n')


def empty_and_duplicate_rows(tmp: Path) -> Path:
    return csv(tmp / "dubulti.csv", "1;Anna;Ozola;DT-1;\n;;;;\n\n1;Anna;Ozola;DT-1;\n")


def hundred_thousand_rows(tmp: Path) -> Path:
    body = "".join(f"{n};Anna;Ozola;DT-1;\n" for n in range(100_000))
    return csv(tmp / "liels.csv", body)


def corrupted_xlsx(tmp: Path) -> Path:
    good = xlsx(tmp / "labs.xlsx", [["1", "Anna", "Ozola", "DT-1"]])
    path = tmp / "bojats.xlsx"
    path.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    return path


def zip_bomb(tmp: Path) -> Path:
    path = tmp / "bumba.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(bytes(1 << 20))
    return path


def nul_bytes(tmp: Path) -> Path:
    path = tmp / "nulles.csv"
    path.write_bytes(HEADER.encode() + b"1;An\x00na;Ozola;DT-1;\n")
    return path


def names_of_spaces(tmp: Path) -> Path:
    return csv(tmp / "atstarpes.csv", "1;   ;Ozola;DT-1;\n")


def text_in_the_date_column(tmp: Path) -> Path:
    return csv(tmp / "datums.csv", "1;Anna;Ozola;DT-1;nav zināms\n")


def impossible_date(tmp: Path) -> Path:
    return csv(tmp / "datums2.csv", "1;Anna;Ozola;DT-1;31.02.2009\n")


def duplicate_numbers(tmp: Path) -> Path:
    return csv(tmp / "numuri.csv", "7;Anna;Ozola;DT-1;\n7;Jānis;Bērziņš;DT-1;\n")


def pdf_named_xlsx(tmp: Path) -> Path:
    path = tmp / "saraksts.xlsx"
    path.write_bytes(b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n")
    return path


def empty_file(tmp: Path) -> Path:
    path = tmp / "tukss.csv"
    path.write_bytes(b"")
    return path


def header_only(tmp: Path) -> Path:
    return csv(tmp / "galva.csv", "")


def too_many_columns(tmp: Path) -> Path:
    path = tmp / "kolonnas.csv"
    path.write_text(";".join(f"K{n}" for n in range(80)) + "\n" + ";" * 79 + "x\n")
    return path


def right_to_left_override(tmp: Path) -> Path:
    return csv(tmp / "bidi.csv", "1;Anna;Ozola\u202eexe.fdp;DT-1;\n")


def over_long_name(tmp: Path) -> Path:
    return csv(tmp / "garš.csv", "1;" + "A" * 400 + ";Ozola;DT-1;\n")


def no_learner_number(tmp: Path) -> Path:
    path = tmp / "bez-numura.csv"
    path.write_text("Vārds;Uzvārds;Klase\nAnna;Ozola;DT-1\n", encoding="utf-8")
    return path


def number_of_someone_else(tmp: Path) -> Path:
    return csv(tmp / "svesais.csv", "R-1;Pēteris;Kalns;DT-1;\n")


CASES = [
    # (maker, exit status, words the Latvian report must contain)
    (wrong_encoding, UNREADABLE, ["kodejums.csv"]),
    (formulas, REFUSED, ["2. rinda", "Vārds", "formul"]),
    (empty_and_duplicate_rows, REFUSED, ["5. rinda", "2"]),
    (hundred_thousand_rows, UNREADABLE, ["liels.csv", "100000", "20000"]),
    (corrupted_xlsx, UNREADABLE, ["bojats.xlsx"]),
    (zip_bomb, UNREADABLE, ["bumba.xlsx", "ZIP bumba"]),
    (nul_bytes, UNREADABLE, ["nulles.csv", "NUL"]),
    (names_of_spaces, REFUSED, ["2. rinda", "Vārds"]),
    (text_in_the_date_column, REFUSED, ["2. rinda", "Dzimšanas datums", "nav zināms"]),
    (impossible_date, REFUSED, ["2. rinda", "31.02.2009"]),
    (duplicate_numbers, REFUSED, ["2. rinda", "3. rinda", "Skolēna nr."]),
    (pdf_named_xlsx, UNREADABLE, ["saraksts.xlsx", "PDF"]),
    (empty_file, UNREADABLE, ["tukss.csv"]),
    (header_only, UNREADABLE, ["galva.csv"]),
    (too_many_columns, UNREADABLE, ["kolonnas.csv", "80"]),
    (right_to_left_override, REFUSED, ["2. rinda", "Uzvārds"]),
    (over_long_name, REFUSED, ["2. rinda", "Vārds", "200"]),
    (no_learner_number, REFUSED, ["2. rinda", "numur"]),
    (number_of_someone_else, REFUSED, ["2. rinda", "R-1", "Anna Ozola"]),
]


def fill_school(url: str) -> None:
    """An administrator, the school's name, group DT-1 and its learner Anna Ozola (R-1)."""
    db = Database(url)
    try:
        accounts.create_first_administrator(db, None, "admin", "Admin", PASSWORD)
        admin = accounts.authenticate(db, None, "admin", PASSWORD)
        organisations.update_home(db, admin, name="Skola", keep_birth_date=True)
        group = learners.create_group(db, admin, "DT-1")
        learners.create(db, admin, "Anna", "Ozola", learner_number="R-1", group_id=group.id)
    finally:
        db.close()


@pytest.fixture
def school(tmp_path, tmp_path_factory, monkeypatch):
    """A copy of the school made once per run (tests/run_once.py)."""
    template, _ = sqlite_file(tmp_path_factory, "bad-rosters-school", fill_school)
    path = copy_sqlite(template, tmp_path / "skola.sqlite3")
    monkeypatch.setenv("DIGCOMP_PASSWORD", PASSWORD)
    return path


def state(path: Path):
    db = Database(f"sqlite:///{path}")
    try:
        admin = accounts.authenticate(db, None, "admin", PASSWORD)
        return (
            learners.list_learners(db, admin, include_inactive=True),
            learners.list_groups(db, admin, include_archived=True),
        )
    finally:
        db.close()


@pytest.mark.parametrize(("make", "status", "words"), CASES, ids=[c[0].__name__ for c in CASES])
def test_a_bad_roster_is_explained_in_latvian_and_changes_nothing(
    school, tmp_path, capsys, make, status, words
):
    files = tmp_path / "faili"
    files.mkdir()
    roster = make(files)
    before = state(school)
    arguments = ["--language", "lv", "--database", str(school), "--user", "admin"]
    assert main([*arguments, "learners", "import", str(roster)]) == status
    captured = capsys.readouterr()
    report = captured.out + captured.err
    for word in words:
        assert word in report, report
    if status == REFUSED:
        assert "Nekas netika importēts." in captured.err
    assert "Traceback" not in report
    assert state(school) == before


def test_merged_group_cells_count_for_every_row_they_cover(school, tmp_path, capsys):
    rows = [
        ["1", "Anna", "Kalna", "DT-2"],
        ["2", "Jānis", "Bērziņš", None],
        ["3", "Līga", "Zāle", None],
    ]
    roster = xlsx(tmp_path / "apvienots.xlsx", rows, merge="D2:D4")
    arguments = ["--language", "lv", "--database", str(school), "--user", "admin"]
    assert main([*arguments, "learners", "import", str(roster)]) == 0
    _listed, groups = state(school)
    assert {g.name: g.member_count for g in groups} == {"DT-1": 1, "DT-2": 3}
