"""Roster files: real CSV, XLSX and ODS files written to disk and read as a caller would."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from xml.sax.saxutils import escape

import openpyxl
import pytest

from digcomp_app.services.roster_files import (
    MAX_COLUMNS,
    MAX_ROWS,
    ColumnMapping,
    LearnerRow,
    RosterCancelled,
    RosterFileError,
    guess_mapping,
    ignored_sensitive_columns,
    neutralise_cell,
    parse_learners,
    parse_staff,
    read_roster,
)

# --- helpers ------------------------------------------------------------------------------


def csv_file(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "r.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def xlsx_file(tmp_path: Path, rows, merges=(), name: str = "r.xlsx", origin: str = "A1") -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    first = openpyxl.utils.cell.coordinate_from_string(origin)
    first_column = openpyxl.utils.column_index_from_string(first[0])
    for r, row in enumerate(rows):
        for c, value in enumerate(row):
            if value is not None:
                sheet.cell(row=first[1] + r, column=first_column + c, value=value)
    for area in merges:
        sheet.merge_cells(area)
    workbook.create_sheet("Second").append(["not", "read"])
    path = tmp_path / name
    workbook.save(path)
    return path


_ODS_NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
)


def _ods_cell(value) -> str:
    """str, None (empty), "covered", ("date", iso), ("float", n) or ("span", rows, text)."""
    if value is None:
        return "<table:table-cell/>"
    if value == "covered":
        return "<table:covered-table-cell/>"
    if isinstance(value, tuple) and value[0] == "date":
        return (
            f'<table:table-cell office:value-type="date" office:date-value="{value[1]}">'
            f"<text:p>{value[1]}</text:p></table:table-cell>"
        )
    if isinstance(value, tuple) and value[0] == "float":
        return (
            f'<table:table-cell office:value-type="float" office:value="{value[1]}">'
            f"<text:p>{value[1]}</text:p></table:table-cell>"
        )
    spanned = ""
    if isinstance(value, tuple) and value[0] == "span":
        spanned = f' table:number-rows-spanned="{value[1]}"'
        value = value[2]
    return (
        f'<table:table-cell office:value-type="string"{spanned}>'
        f"<text:p>{escape(value)}</text:p></table:table-cell>"
    )


def ods_file(tmp_path: Path, rows, name: str = "r.ods") -> Path:
    body = "".join(
        "<table:table-row>" + "".join(_ods_cell(v) for v in row) + "</table:table-row>"
        for row in rows
    )
    # LibreOffice ends a sheet with a huge repeated empty row
    body += (
        '<table:table-row table:number-rows-repeated="1048000">'
        '<table:table-cell table:number-columns-repeated="1024"/></table:table-row>'
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {_ODS_NS} '
        'office:version="1.2"><office:body><office:spreadsheet>'
        f'<table:table table:name="Skolēni">{body}</table:table>'
        '<table:table table:name="Otra"><table:table-row>'
        f"{_ods_cell('not read')}</table:table-row></table:table>"
        "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2"><manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"),
            "application/vnd.oasis.opendocument.spreadsheet",
            compress_type=zipfile.ZIP_STORED,
        )
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
    return path


def learners_of(path: Path):
    table = read_roster(path)
    mapping = guess_mapping(table.headers, "learners")
    return table, mapping, *parse_learners(table, mapping)


def messages(problems) -> list[tuple[int, str, str]]:
    return [(p.line, p.column, p.message) for p in problems]


def refused(path: Path) -> str:
    with pytest.raises(RosterFileError) as caught:
        read_roster(path)
    return str(caught.value)


LATVIAN_CSV = (
    "Vārds;Uzvārds;Klase;Dzimšanas datums\n"
    "Jānis;Bērziņš;7.a;01.02.2010\n"
    "Līga;Ķēniņa;7.a;3.4.2010.\n"
    "Žanis;Ūdris;8.b;2009-12-31\n"
)


# --- column recognition -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (
            ["Nr. p.k.", "Vārds", "Uzvārds", "Skolēna nr.", "Klase", "Dz. datums", "E-pasts"],
            {
                "given_names": 1,
                "surname": 2,
                "learner_number": 3,
                "group": 4,
                "date_of_birth": 5,
                "email": 6,
            },
        ),
        (
            ["VĀRDI", "uzvardi", "Izglītojamā numurs", "Grupa", "Dzimšanas datums:", "Epasts"],
            {
                "given_names": 0,
                "surname": 1,
                "learner_number": 2,
                "group": 3,
                "date_of_birth": 4,
                "email": 5,
            },
        ),
        (
            ["Vārds, uzvārds", "Kurss", "Reģ. nr."],
            {"full_name": 0, "group": 1, "learner_number": 2},
        ),
        (["Izglītojamais", "Klase"], {"full_name": 0, "group": 1}),
        (
            ["First name", "Last name", "Student ID", "Form", "Date of birth", "E-mail"],
            {
                "given_names": 0,
                "surname": 1,
                "learner_number": 2,
                "group": 3,
                "date_of_birth": 4,
                "email": 5,
            },
        ),
        (
            ["Name", "Surname", "Class", "DOB"],
            {"given_names": 0, "surname": 1, "group": 2, "date_of_birth": 3},
        ),
        (
            ["Name", "Group", "ID", "Mail"],
            {"full_name": 0, "group": 1, "learner_number": 2, "email": 3},
        ),
        (
            ["Forename", "Family name", "Learner number", "Birth date"],
            {"given_names": 0, "surname": 1, "learner_number": 2, "date_of_birth": 3},
        ),
    ],
)
def test_learner_headers_are_recognised_in_latvian_and_english(headers, expected):
    mapping = guess_mapping(headers, "learners")
    assert dict(mapping.columns) == expected
    assert not mapping.unsure


def test_a_row_counter_and_personal_codes_are_never_mapped():
    headers = ["Nr. p.k.", "Personas kods", "Vārds", "Uzvārds"]
    mapping = guess_mapping(headers, "learners")
    assert dict(mapping.columns) == {"given_names": 2, "surname": 3}
    assert ignored_sensitive_columns(headers) == (1,)
    assert ignored_sensitive_columns(["Name", "Personal code", "Pers. kods"]) == (1, 2)
    assert mapping.header_for("surname", headers) == "Uzvārds"
    hash(mapping)  # frozen and hashable, usable as a cache key


def test_the_mapping_is_unsure_without_names_or_with_a_repeated_header():
    assert guess_mapping(["Vārds", "Klase"], "learners").unsure  # no surname
    assert guess_mapping(["Skolēns", "Klase", "Klase"], "learners").unsure
    assert guess_mapping(["Foo", "Bar"], "learners") == ColumnMapping({}, unsure=True)


def test_staff_headers():
    mapping = guess_mapping(["Vārds", "Uzvārds", "Lietotājvārds", "E-pasts", "Lomas"], "staff")
    assert dict(mapping.columns) == {
        "given_names": 0,
        "surname": 1,
        "username": 2,
        "email": 3,
        "roles": 4,
    }
    english = guess_mapping(["Full name", "User name", "Role"], "staff")
    assert dict(english.columns) == {"full_name": 0, "username": 1, "roles": 2}
    assert not english.unsure


# --- CSV: delimiters and encodings ---------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "delimiter"),
    [
        (LATVIAN_CSV, ";"),
        (LATVIAN_CSV.replace(";", ","), ","),
        (LATVIAN_CSV.replace(";", "\t"), "\t"),
        ('"Vārds, uzvārds";Klase\n"Bērziņš, Jānis";7.a\n', ";"),
    ],
)
def test_delimiters(tmp_path, text, delimiter):
    table = read_roster(csv_file(tmp_path, text))
    assert table.delimiter == delimiter
    assert table.file_format == "csv"
    assert len(table.headers) in (2, 4)
    assert len(table.rows[0].cells) == len(table.headers)


@pytest.mark.parametrize(
    ("encoding", "reported"),
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("cp1257", "cp1257"),
    ],
)
def test_latvian_names_in_every_encoding(tmp_path, encoding, reported):
    text = LATVIAN_CSV.replace(";", "\t") if encoding == "utf-16" else LATVIAN_CSV
    table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text, encoding))
    assert table.encoding == reported
    assert problems == []
    assert [(x.given_names, x.surname, x.group, x.date_of_birth) for x in learners] == [
        ("Jānis", "Bērziņš", "7.a", dt.date(2010, 2, 1)),
        ("Līga", "Ķēniņa", "7.a", dt.date(2010, 4, 3)),
        ("Žanis", "Ūdris", "8.b", dt.date(2009, 12, 31)),
    ]
    assert [x.line for x in learners] == [2, 3, 4]


def test_western_names_in_cp1252(tmp_path):
    text = (
        "First name;Surname\nJosé;Müller\nFrançois;Gonçalves\nÑuño;Núñez\nMarta;Šťastná\n"
    ).replace("Šťastná", "Stastna")
    table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text, "cp1252"))
    assert table.encoding == "cp1252"
    assert problems == []
    assert [(x.given_names, x.surname) for x in learners][:3] == [
        ("José", "Müller"),
        ("François", "Gonçalves"),
        ("Ñuño", "Núñez"),
    ]


def test_full_names_are_split(tmp_path):
    text = "Skolēns;Klase\nAnna Marija Bērziņa;5.a\nKalniņš, Jānis Pēteris;5.a\nOzols;5.a\n"
    _table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert [(x.given_names, x.surname) for x in learners] == [
        ("Anna Marija", "Bērziņa"),
        ("Jānis Pēteris", "Kalniņš"),
    ]
    assert messages(problems) == [
        (
            4,
            "Skolēns",
            "the name 'Ozols' does not have both a first name and a surname; write"
            " 'First name Surname' or 'Surname, First name'",
        )
    ]


# --- spreadsheets ---------------------------------------------------------------------------


def test_xlsx_merged_group_cell_dates_and_numbers(tmp_path):
    rows = [
        ["Skolēnu saraksts 2024./2025."],
        [],
        ["Vārds", "Uzvārds", "Klase", "Dzimšanas datums", "Skolēna nr."],
        ["Anna", "Bērziņa", "7.a", dt.date(2010, 5, 1), 12345],
        ["Jānis", "Kalniņš", None, dt.datetime(2010, 6, 2), 12346.0],
        ["Līga", "Ozola", None, "03.07.2010", "A-17"],
        [],
        ["Pēteris", "Liepa", "7.b", None, None],
    ]
    path = xlsx_file(tmp_path, rows, merges=["D4:D6"], origin="B1")
    table = read_roster(path)
    assert (table.file_format, table.encoding, table.delimiter) == ("xlsx", "", "")
    # the title above the header is the first non-empty row: a real export has the header there
    assert table.headers == ("Skolēnu saraksts 2024./2025.",)
    table = read_roster(xlsx_file(tmp_path, rows[2:], merges=["D4:D6"], origin="B3"))
    assert table.headers == ("Vārds", "Uzvārds", "Klase", "Dzimšanas datums", "Skolēna nr.")
    assert [row.line for row in table.rows] == [4, 5, 6, 8]
    assert table.skipped_empty == 1
    assert [row.cells for row in table.rows][:3] == [
        ("Anna", "Bērziņa", "7.a", "2010-05-01", "12345"),
        ("Jānis", "Kalniņš", "7.a", "2010-06-02", "12346"),
        ("Līga", "Ozola", "7.a", "03.07.2010", "A-17"),
    ]
    learners, problems = parse_learners(table, guess_mapping(table.headers, "learners"))
    assert problems == []
    assert learners[1] == LearnerRow(5, "Jānis", "Kalniņš", "12346", "7.a", dt.date(2010, 6, 2), "")


def test_ods_with_spanned_cells_dates_and_numbers(tmp_path):
    rows = [
        [None, "Vārds", "Uzvārds", "Klase", "Dz. datums", "Izglītojamā nr."],
        [None, "Anna", "Bērziņa", ("span", 2, "9.c"), ("date", "2009-03-04"), ("float", 501)],
        [None, "Jānis", "Kalniņš", "covered", ("date", "2009-11-30"), ("float", 502)],
        [],
        [None, "Līga", "Ozola", "9.d", None, None],
    ]
    table = read_roster(ods_file(tmp_path, rows))
    assert table.file_format == "ods"
    assert table.headers == ("Vārds", "Uzvārds", "Klase", "Dz. datums", "Izglītojamā nr.")
    assert [(row.line, row.cells) for row in table.rows] == [
        (2, ("Anna", "Bērziņa", "9.c", "2009-03-04", "501")),
        (3, ("Jānis", "Kalniņš", "9.c", "2009-11-30", "502")),
        (5, ("Līga", "Ozola", "9.d", "", "")),
    ]
    learners, problems = parse_learners(table, guess_mapping(table.headers, "learners"))
    assert problems == []
    assert [x.group for x in learners] == ["9.c", "9.c", "9.d"]


def test_reading_can_be_cancelled(tmp_path):
    text = "Vārds;Uzvārds\n" + "Anna;Bērziņa\n" * 1000
    with pytest.raises(RosterCancelled):
        read_roster(csv_file(tmp_path, text), should_stop=lambda: True)


# --- malformed files ----------------------------------------------------------------------


def test_undecodable_and_mixed_encodings(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes(b"V\x81rds;Uzv\x90rds\nA\x81;B\x90\n")  # undefined in cp1257 and cp1252
    assert refused(path) == (
        "bad.csv: the text is not in an encoding the app can read (UTF-8, UTF-16,"
        " Windows-1257 or Windows-1252); save it as 'CSV UTF-8'."
    )
    mixed = "Vārds;Uzvārds\nJānis;Bērziņš\n".encode() + "Līga;Ķēniņa\n".encode("cp1257")
    path.write_bytes(mixed)
    assert refused(path) == (
        "bad.csv: line 3 is not valid UTF-8 although the rest of the file is; the file"
        " mixes text encodings - save it again as 'CSV UTF-8'."
    )


def test_formulas_and_control_characters_are_problems(tmp_path):
    text = (
        "Vārds;Uzvārds;Skolēna nr.;Klase;E-pasts\n"
        '"=HYPERLINK(""http://x.example"";""Anna"")";Bērziņa;1;7.a;\n'
        "Anna-Marija;Kalniņa;+371;7.a;\n"
        "Jānis;Ozols;3;@SUM(A1);\n"
        "Pēteris;Liepa;4;-2+3;\n"
        "Līga;\u202eanilreB;5;7.a;\n"
        "Rūta;Egle;6;7.a;-1@skola.lv\n"
    )
    _table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert [x.given_names for x in learners] == []
    assert messages(problems) == [
        (
            2,
            "Vārds",
            'the first name \'=HYPERLINK("http://x.example";"Anna")\' looks like a'
            " spreadsheet formula; remove the leading '='",
        ),
        (
            3,
            "Skolēna nr.",
            "the learner number '+371' looks like a spreadsheet formula; remove the leading '+'",
        ),
        (
            4,
            "Klase",
            "the group '@SUM(A1)' looks like a spreadsheet formula; remove the leading '@'",
        ),
        (5, "Klase", "the group '-2+3' looks like a spreadsheet formula; remove the leading '-'"),
        (
            6,
            "Uzvārds",
            "the surname '\\u202eanilreB' contains control or invisible formatting"
            " characters; retype it",
        ),
        (
            7,
            "E-pasts",
            "the e-mail address '-1@skola.lv' looks like a spreadsheet formula;"
            " remove the leading '-'",
        ),
    ]


def test_hyphenated_names_are_fine(tmp_path):
    text = "Vārds;Uzvārds\nAnna-Marija;Kalniņa-Ozola\n"
    _table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert problems == []
    assert (learners[0].given_names, learners[0].surname) == ("Anna-Marija", "Kalniņa-Ozola")


def test_empty_rows_are_skipped_and_duplicate_rows_reported(tmp_path):
    text = "Vārds;Uzvārds;Klase\n\n;;\nAnna;Bērziņa;7.a\n ; ; \nJānis;Ozols;7.a\nAnna;Bērziņa;7.a\n"
    table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert table.skipped_empty == 3
    assert [x.line for x in learners] == [4, 6]
    assert messages(problems) == [(7, "", "this row is the same as line 4; delete one of them")]


def test_duplicate_learner_numbers(tmp_path):
    text = (
        "Vārds;Uzvārds;Skolēna nr.\nAnna;Bērziņa;17\nJānis;Ozols;18\nLiene;Egle;17\nRita;Kļava;17\n"
    )
    _table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert [x.line for x in learners] == [3]
    assert messages(problems) == [
        (
            2,
            "Skolēna nr.",
            "the learner number '17' is also on line 4, 5; each learner needs a different number",
        ),
        (
            4,
            "Skolēna nr.",
            "the learner number '17' is also on line 2, 5; each learner needs a different number",
        ),
        (
            5,
            "Skolēna nr.",
            "the learner number '17' is also on line 2, 4; each learner needs a different number",
        ),
    ]


def test_names_and_dates_that_are_not_right(tmp_path):
    text = (
        "Vārds;Uzvārds;Dzimšanas datums\n"
        '"   ";Bērziņa;01.02.2010\n'
        "...;Ozols;\n"
        "Jānis;Kalniņš;nav zināms\n"
        "Līga;Liepa;31.02.2009\n"
        "Rita;Egle;12.05.09\n"
        "Ilze;Vītola;01.01.1850\n"
        "Aiga;Zariņa;01.01.2999\n"
        "Ints;Bērziņš;03/04/2009\n"
    )
    _table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert [(x.line, x.date_of_birth) for x in learners] == [(9, dt.date(2009, 4, 3))]
    assert messages(problems) == [
        (2, "Vārds", "the first name is missing; write it or delete the row"),
        (3, "Vārds", "the first name '...' has no letters; write the first name or delete the row"),
        (
            4,
            "Dzimšanas datums",
            "the date of birth 'nav zināms' is not a date (use DD.MM.YYYY,"
            " or leave the cell empty)",
        ),
        (
            5,
            "Dzimšanas datums",
            "the date of birth '31.02.2009' is not a real date (use DD.MM.YYYY)",
        ),
        (
            6,
            "Dzimšanas datums",
            "the date of birth '12.05.09' has a two-digit year; write the"
            " year in full (DD.MM.YYYY)",
        ),
        (7, "Dzimšanas datums", "the date of birth '01.01.1850' is before 1900; check the year"),
        (8, "Dzimšanas datums", "the date of birth '01.01.2999' is in the future; check the year"),
    ]


def test_over_long_cells_and_bad_emails(tmp_path):
    long_name = "A" * 700
    text = f"Vārds;Uzvārds;E-pasts\n{long_name};Bērziņa;\nAnna;Ozola;anna.skola.lv\n"
    table, _mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert len(table.rows[0].cells[0]) == 501  # kept one over the cell limit, no more
    assert learners == []
    assert messages(problems) == [
        (2, "Vārds", f"the first name '{'A' * 39}…' is longer than 200 characters; shorten it"),
        (
            3,
            "E-pasts",
            "the e-mail address 'anna.skola.lv' is not an e-mail address (like name@school.lv)",
        ),
    ]


def test_a_learner_number_that_is_a_personal_code_is_refused(tmp_path):
    text = "Vārds;Uzvārds;Skolēna nr.;Personas kods\nAnna;Bērziņa;010210-12345;010210-12345\n"
    table, mapping, learners, problems = learners_of(csv_file(tmp_path, text))
    assert "Personas kods" not in [table.headers[i] for i in mapping.columns.values()]
    assert learners == []
    assert messages(problems) == [
        (
            2,
            "Skolēna nr.",
            "the learner number looks like a personal code, which the app does not store;"
            " use the number from the school register or leave it empty",
        )
    ]
    chosen = ColumnMapping({"given_names": 0, "surname": 1, "learner_number": 3}, unsure=False)
    assert messages(parse_learners(table, chosen)[1]) == [
        (
            0,
            "Personas kods",
            "the column 'Personas kods' holds personal codes, which the app does not store;"
            " choose another column for the learner number",
        )
    ]


def test_a_mapping_without_names_is_a_whole_file_problem(tmp_path):
    table = read_roster(csv_file(tmp_path, "Klase;Vārds\n7.a;Anna\n"))
    mapping = guess_mapping(table.headers, "learners")
    assert mapping.unsure
    assert messages(parse_learners(table, mapping)[1]) == [
        (
            0,
            "",
            "choose which columns hold the first name and the surname (or the full name);"
            " the file cannot be imported without them",
        )
    ]


def test_too_many_rows_are_refused(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(b"Vards;Uzvards\n" + b"Anna;Berzina\n" * 100_000)
    assert refused(path) == (
        f"big.csv: the file has 100000 rows below the header; at most {MAX_ROWS} can be"
        " imported at once - split it into smaller files."
    )


def test_too_many_columns_are_refused(tmp_path):
    header = ";".join(f"K{i}" for i in range(MAX_COLUMNS + 1))
    path = csv_file(tmp_path, f"{header}\n", name="wide.csv")
    assert refused(path) == (
        f"wide.csv: row 1 has {MAX_COLUMNS + 1} columns; at most {MAX_COLUMNS} are allowed -"
        " delete the extra columns."
    )


def test_nul_bytes_empty_files_and_header_only(tmp_path):
    path = tmp_path / "nul.csv"
    path.write_bytes(b"Vards;Uzvards\nAnna\x00;Berzina\n")
    assert refused(path) == (
        "nul.csv: the file contains NUL bytes - it is not a text roster; save it as CSV or XLSX."
    )
    (tmp_path / "empty.csv").write_bytes(b"")
    assert refused(tmp_path / "empty.csv") == "empty.csv: the file is empty."
    assert refused(csv_file(tmp_path, "\n;;\n \n", name="blank.csv")) == (
        "blank.csv: the file has no non-empty rows."
    )
    assert refused(csv_file(tmp_path, "Vārds;Uzvārds\n;\n", name="head.csv")) == (
        "head.csv: the file has only a header row, no people below it."
    )


def test_images_and_pdfs_renamed(tmp_path):
    png = tmp_path / "klase.csv"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(100))
    assert refused(png) == (
        "klase.csv: the file is a PNG image, not a roster; save the roster as CSV or XLSX."
    )
    pdf = tmp_path / "klase.xlsx"
    pdf.write_bytes(b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n")
    assert refused(pdf) == (
        "klase.xlsx: the file is a PDF document, not a roster; save the roster as CSV or XLSX."
    )
    html = csv_file(tmp_path, "<html><table><tr><td>Vārds</td></tr></table></html>", name="e.xls")
    assert refused(html) == (
        "e.xls: the file is a web page or an XML file, not a roster; open it in Excel and save"
        " it as XLSX or CSV."
    )


def test_corrupted_xlsx_and_other_zips(tmp_path):
    good = xlsx_file(tmp_path, [["Vārds", "Uzvārds"], ["Anna", "Bērziņa"]])
    data = good.read_bytes()
    truncated = tmp_path / "cut.xlsx"
    truncated.write_bytes(data[: len(data) // 2])
    damaged = (
        "cut.xlsx: the spreadsheet is damaged or incomplete; open it in Excel or LibreOffice"
        " and save it again."
    )
    assert refused(truncated) == damaged
    # a valid zip whose sheet is missing
    broken = tmp_path / "cut.xlsx"
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(broken, "w") as target:
        for member in source.infolist():
            if "worksheets" not in member.filename:
                target.writestr(member, source.read(member))
    assert refused(broken).startswith(damaged)
    archive = tmp_path / "photos.xlsx"
    with zipfile.ZipFile(archive, "w") as target:
        target.writestr("photo.txt", "hello")
    assert refused(archive) == (
        "photos.xlsx: the file is a ZIP archive but not an Excel (.xlsx) or OpenDocument (.ods)"
        " spreadsheet; save the roster as XLSX or CSV."
    )


def test_xlsx_zip_bomb_is_refused_before_reading(tmp_path):
    path = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        chunk = bytes(1 << 20)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as member:
            for _ in range(300):
                member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    assert refused(path) == (
        "bomb.xlsx: a part of the spreadsheet ('xl/worksheets/sheet1.xml') is compressed"
        " suspiciously well (a 'zip bomb'); the file is not read."
    )


# --- staff --------------------------------------------------------------------------------


def test_staff_roles_in_latvian_and_english(tmp_path):
    text = (
        "Vārds;Uzvārds;Lietotājvārds;Loma\n"
        "Anna;Bērziņa;anna;skolotāja\n"
        "Jānis;Ozols;janis;Koordinators, administrators\n"
        "Rita;Egle;;\n"
        "Ilze;Liepa;ilze b;teacher/admin\n"
        "Ints;Kalns;ints;direktors\n"
        "Aiga;Zariņa;ANNA;skolotājs un koordinatore\n"
    )
    table = read_roster(csv_file(tmp_path, text))
    staff, problems = parse_staff(table, guess_mapping(table.headers, "staff"))
    assert [(x.line, x.username, sorted(x.roles)) for x in staff] == [
        (3, "janis", ["administrator", "coordinator"]),
        (4, "", ["teacher"]),
    ]
    assert messages(problems) == [
        (
            2,
            "Lietotājvārds",
            "the user name 'anna' is also on line 7; each person needs a different one",
        ),
        (5, "Lietotājvārds", "the user name 'ilze b' must be one word; remove the spaces"),
        (
            6,
            "Loma",
            "the role 'direktors' is not known; use teacher, coordinator or administrator"
            " (skolotājs, koordinators, administrators)",
        ),
        (
            7,
            "Lietotājvārds",
            "the user name 'ANNA' is also on line 2; each person needs a different one",
        ),
    ]


# --- output -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "safe"),
    [
        ("Bērziņa", "Bērziņa"),
        ("Anna-Marija", "Anna-Marija"),
        ('=HYPERLINK("x")', '\'=HYPERLINK("x")'),
        ("+371 2000", "'+371 2000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "' =1"),
        ("\r=1", "' =1"),
        ("Ann\x00a\x1b[31m", "Anna[31m"),
        ("\u202eanilreB\u202c", "anilreB"),
        ("line\nbreak", "line break"),
        ("\x85x\x7f", "x"),
    ],
)
def test_neutralise_cell(value, safe):
    assert neutralise_cell(value) == safe
