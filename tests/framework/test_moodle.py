"""Moodle competency-framework CSVs: DigComp out and back keeps every area, competence,
level, competence statement and learning outcome (with their levels, types and AI labels)
and every ESCO link; Moodle's own example imports; the test vector of
docs/moodle-frameworks.md; bad files are refused with the row named, and nothing is made."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from digcomp_app.framework import builtin_library, load_framework
from digcomp_app.framework.moodle import (
    COLUMNS,
    HEADER,
    MoodleError,
    export_csv,
    import_csv,
    import_stream,
)
from tests.conftest import DATA, ROOT

MOODLE_EXAMPLE = ROOT.parent / "shared" / "reference" / "interop" / "moodle" / "example.csv"
VECTOR = DATA / "moodle" / "small-framework.csv"


def imported(tmp_path: Path, path: Path, **options):
    made = import_csv(path, **options)
    folder = tmp_path / made.framework_id
    made.write(folder)
    return made, load_framework(folder)


def statements_of(framework, language):
    return [
        (s.id, s.competence_id, s.levels, s.ai_label, s.text.get(language))
        for s in framework.statements()
    ]


def outcomes_of(framework, language):
    return [
        (o.id, o.competence_id, o.levels, o.type, o.ai_label, o.text.get(language))
        for c in framework.competences()
        for o in c.learning_outcomes
    ]


@pytest.mark.parametrize(("version", "language"), [("3.0", "en"), ("3.0", "lv"), ("2.2", "en")])
def test_digcomp_round_trip_keeps_every_area_competence_level_statement_and_outcome(
    tmp_path, version, language
):
    source = builtin_library().get("digcomp", version)
    text = export_csv(source, language)
    rows = list(csv.reader(io.StringIO(text)))
    assert rows[0] == list(HEADER) and {len(r) for r in rows} == {COLUMNS}
    frameworks = [r for r in rows if r[12] == "1"]
    deep = "domain,competency,indicator" if version == "3.0" else "domain,competency"
    assert len(frameworks) == 1 and frameworks[0][13] == deep
    assert all(len(r[1]) <= 100 and len(r[2]) <= 100 for r in rows)  # Moodle's limits
    scale = frameworks[0][5].split(",")
    assert len(scale) == len(source.levels)
    configuration = json.loads(frameworks[0][6])
    assert configuration[0] == {"scaleid": "1"} and len(configuration) == len(scale) + 1
    path = tmp_path / "digcomp.csv"
    path.write_text(text, encoding="utf-8")
    made, back = imported(
        tmp_path, path, framework_id="digcomp-moodle", version=version, language=language
    )
    assert back.key == ("digcomp-moodle", version)
    assert [(a.id, a.title.get(language)) for a in back.areas] == [
        (a.id, a.title.get(language)) for a in source.areas
    ]
    assert [
        (c.id, c.area_id, c.title.get(language), c.description.get(language), c.esco)
        for c in back.competences()
    ] == [
        (c.id, c.area_id, c.title.get(language), c.description.get(language), c.esco)
        for c in source.competences()
    ]
    assert [lv.number for lv in back.levels] == [lv.number for lv in source.levels]
    assert [lv.name.get(language) for lv in back.levels] == scale
    # every statement and outcome: id, competence, levels, type, AI label and text
    assert statements_of(back, language) == statements_of(source, language)
    assert outcomes_of(back, language) == outcomes_of(source, language)
    assert (made.areas, made.competences, made.levels, made.statements, made.outcomes) == (
        len(source.areas),
        len(list(source.competences())),
        len(source.levels),
        len(statements_of(source, language)),
        len(outcomes_of(source, language)),
    )
    if version == "3.0":
        assert (made.statements, made.outcomes) == (362, 523)
        # the statements and outcomes are the children of their competence
        parents = {r[1]: r[0] for r in rows[2:]}
        assert parents["CS4.2.01"] == parents["LO4.2.01"] == "4.2"
        assert parents["4.2"] == "4"
    assert len(made.notes) == 1  # only the licence: nothing was guessed


def test_the_vector_of_the_public_specification(tmp_path):
    made, framework = imported(tmp_path, VECTOR)
    assert framework.key == ("school-dl", "1.0")
    assert framework.title.get("en") == "School digital literacy"
    assert framework.attribution.get("en") == "Our school's own framework & its levels."
    assert [lv.name.get("en") for lv in framework.levels] == ["Beginner", "Practitioner", "Expert"]
    assert [a.id for a in framework.areas] == ["A", "B"]
    assert [(c.id, c.area_id) for c in framework.competences()] == [
        ("A.1", "A"),
        ("A.2", "A"),
        ("B-1", "B"),  # "B 1": a space is not allowed in an id
    ]
    assert framework.competence("A.1").description.get("en") == (
        "Searching the web\nand library catalogues."
    )
    # no description: the short name stands in
    assert framework.competence("A.2").description.get("en") == "Judging sources"
    statements = list(framework.statements())
    assert [(s.id, s.competence_id, s.levels) for s in statements] == [("A.2.i", "A.2", (1, 2, 3))]
    assert len(made.notes) == 3
    # and back to Moodle: the same tree and scale, the statement with its levels
    again = list(csv.reader(io.StringIO(export_csv(framework, "en"))))
    assert [r[:3] for r in again[1:]] == [
        ["", "school-dl", "School digital literacy"],
        ["", "A", "Working with information"],
        ["A", "A.1", "Searching"],
        ["A", "A.2", "Judging sources"],
        ["A.2", "A.2.i", "Names the author of a page"],
        ["", "B", "Safety"],
        ["B", "B-1", "Strong passwords"],
    ]
    assert again[1][5] == "1 Beginner,2 Practitioner,3 Expert"
    assert again[1][13] == "domain,competency,indicator"
    assert again[5][3] == "Names the author of a page\n\nCompetence statement · levels 1–3"


def test_details_lines_make_outcomes_and_levels_and_a_bad_level_is_refused(tmp_path):
    lines = VECTOR.read_text(encoding="utf-8").splitlines()
    outcome = (
        'A.1,A.1.k,Knows two catalogues,"Knows two library catalogues.\n\n'
        'Learning outcome (knowledge) · levels 2–3 · AI: none",2,,,,0,null,,7,,'
    )
    statement = (
        'B-1,B.s,Uses a manager,"Uses one.\n\nCompetence statement · levels 1, 3",2,,,,0,null,,8,,'
    )
    path = tmp_path / "more.csv"
    path.write_text("\n".join([*lines, outcome, statement.replace("B-1", "B 1")]) + "\n", "utf-8")
    made, framework = imported(tmp_path, path)
    assert (made.statements, made.outcomes) == (2, 1)
    [known] = framework.competence("A.1").learning_outcomes
    assert (known.id, known.levels, known.type.value, known.ai_label.value) == (
        "A.1.k",
        (2, 3),
        "knowledge",
        "none",
    )
    assert known.text.get("en") == "Knows two library catalogues."
    [uses] = framework.competence("B-1").statements
    assert (uses.levels, uses.ai_label, uses.text.get("en")) == ((1, 3), None, "Uses one.")
    # one statement without a details line was guessed: at every level, and said so
    assert any("valid at every level" in note for note in made.notes)
    wrong = tmp_path / "wrong.csv"
    wrong.write_text("\n".join([*lines, outcome.replace("2–3", "2–4")]) + "\n", "utf-8")
    with pytest.raises(MoodleError, match=r"Row 9: the levels 2–4 are not all on the scale"):
        import_csv(wrong)


@pytest.mark.skipif(not MOODLE_EXAMPLE.is_file(), reason="the shared Moodle example is not here")
def test_moodles_own_example_imports(tmp_path):
    _made, framework = imported(tmp_path, MOODLE_EXAMPLE)
    assert framework.key == ("oecd-core", "1.0")
    assert [a.id for a in framework.areas] == ["levels", "competencies"]
    assert len(list(framework.competences())) == 8  # level-1..5, delivery, interpersonal, ...
    assert len(list(framework.statements())) == 54  # the competencies and their indicators
    assert [lv.name.get("en") for lv in framework.levels] == ["Not yet competent", "Competent"]
    assert "Analytical Thinking" in {s.text.get("en") for s in framework.statements()}


ROW_FRAMEWORK = (
    ',fw,Framework,,1,"No,Yes","[{""scaleid"":""1""},{""id"":2,""scaledefault"":1,'
    '""proficient"":1}]",,,,,,1,"domain,competency"'
)
HEAD = ",".join(HEADER)


def refused(tmp_path, text, encoding="utf-8"):
    path = tmp_path / "bad.csv"
    path.write_bytes(text.encode(encoding) if isinstance(text, str) else text)
    with pytest.raises(MoodleError) as caught:
        import_csv(path)
    assert not list(tmp_path.glob("fw*"))  # nothing was made
    return "\n".join(caught.value.problems)


@pytest.mark.reliability
@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        (["a,b,c", ",x,y"], "Row 1: a Moodle competency framework has 14 columns"),
        ([HEAD, ROW_FRAMEWORK, ",a,A,,1,,,,0,null,,1"], "Row 3: 12 columns instead of 14"),
        (
            [HEAD, ROW_FRAMEWORK, ",a,A,,1,,,,0,null,,1,,", ",a,Again,,1,,,,0,null,,2,,"],
            "Row 4: the ID number “a” is already used in row 3.",
        ),
        (
            [
                *(HEAD, ROW_FRAMEWORK, "c,a,A,,1,,,,0,null,,1,,", "a,b,B,,1,,,,0,null,,2,,"),
                *("b,c,C,,1,,,,0,null,,3,,", ",d,D,,1,,,,0,null,,4,,"),
            ],
            "Row 3: “a” is in a cycle of parents",
        ),
        (
            [HEAD, ROW_FRAMEWORK, "a,a,A,,1,,,,0,null,,1,,"],
            "Row 3: “a” names itself as its parent.",
        ),
        (
            [HEAD, ROW_FRAMEWORK, "zz,a,A,,1,,,,0,null,,1,,"],
            "Row 3: the parent “zz” is not an ID number in this file.",
        ),
        (
            [HEAD, ROW_FRAMEWORK, ",a,\"=cmd|' /C calc'!A0\",,1,,,,0,null,,1,,"],
            "Row 3, column “Short name”: the cell starts like a spreadsheet formula",
        ),
        (
            [HEAD, ROW_FRAMEWORK, ",a,A,@SUM(1+1),1,,,,0,null,,1,,"],
            "Row 3, column “Description”: the cell starts like a spreadsheet formula",
        ),
        ([HEAD, ",a,A,,1,,,,0,null,,1,,"], "No framework row"),
        (
            [HEAD, ROW_FRAMEWORK, ROW_FRAMEWORK.replace(",fw,", ",fw2,")],
            "Row 3: a second framework row (row 2 is already the framework)",
        ),
        (
            [HEAD, ",fw,Framework,,1,,,,,,,,1,", ",a,A,,1,,,,0,null,,1,,"],
            "Row 2: the framework row has no scale values",
        ),
        (
            [HEAD, ',fw,Framework,,1,"No,Yes",[1],,,,,,1,', ",a,A,,1,,,,0,null,,1,,"],
            "Row 2: the scale configuration must be a JSON list",
        ),
        ([HEAD, ROW_FRAMEWORK, ',a,"A,,1'], "Row 3: not a valid CSV record"),
    ],
    ids=[
        "columns",
        "short-row",
        "duplicate",
        "cycle",
        "self-parent",
        "unknown-parent",
        "formula-cmd",
        "formula-at",
        "no-framework",
        "two-frameworks",
        "no-scale",
        "bad-scale-config",
        "broken-quote",
    ],
)
def test_bad_files_are_refused_with_the_row_named(tmp_path, rows, expected):
    assert expected in refused(tmp_path, "\n".join(rows) + "\n")


@pytest.mark.reliability
def test_text_that_is_not_utf8_is_refused(tmp_path):
    text = HEAD + "\n" + ROW_FRAMEWORK + "\n,a,Būvniecība,,1,,,,0,null,,1,,\n"
    assert "not UTF-8" in refused(tmp_path, text.encode("utf-16"))


@pytest.mark.reliability
def test_a_50_mb_file_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "big.csv"
    with path.open("wb") as out:  # a sparse file: 50 MB on paper, nothing on the disk
        out.truncate(50 * 1024 * 1024)
    with pytest.raises(MoodleError, match="larger than 10 MB"):
        import_csv(path)


@pytest.mark.reliability
def test_a_stream_longer_than_the_cap_is_stopped(tmp_path):
    """A pipe has no size: the reader stops at the cap, having held little of it."""

    text = "long description " * 20
    rows = (f",x{n},y,{text},1,,,,0,null,,{n},,\n".encode() for n in range(10**9))
    pending = bytearray()

    class Endless(io.RawIOBase):
        def readinto(self, buffer):
            while len(pending) < len(buffer):
                pending.extend(next(rows))
            buffer[:] = pending[: len(buffer)]
            del pending[: len(buffer)]
            return len(buffer)

    head = io.BytesIO((HEAD + "\n" + ROW_FRAMEWORK + "\n").encode())

    class Joined(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            data = head.read(len(buffer))
            if not data:
                return Endless().readinto(buffer)
            buffer[: len(data)] = data
            return len(data)

    with pytest.raises(MoodleError, match="larger than 2 MB"):
        import_stream(io.BufferedReader(Joined()), max_bytes=2 * 1024 * 1024)


def test_cells_that_look_like_formulas_are_defused_on_export(tmp_path):
    _made, framework = imported(tmp_path, VECTOR)
    text = export_csv(framework, "en")
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(("=", "+", "@"))
