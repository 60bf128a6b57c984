"""The school overview: its figures equal a direct computation on the database (the demo
school, and a small synthetic school on SQLite and PostgreSQL), the small-group rule, and
the exported files (XLSX read with openpyxl, CSV with the csv module, PDF with pdftotext)."""

from __future__ import annotations

import csv
import datetime as dt
import shutil
import subprocess
from collections import Counter, defaultdict
from pathlib import Path

import pytest
from sqlalchemy import text

from digcomp_app.framework import builtin_library
from digcomp_app.services import accounts, learners, mobilities, overview
from digcomp_app.services.database import Database
from digcomp_app.services.errors import PermissionDenied
from digcomp_app.services.overview import Filters
from digcomp_app.storage.models import (
    Assessment,
    Certificate,
    SelfAssessment,
    SelfAssessmentAnswer,
    ValidationCase,
)
from tests.services.conftest import FAST_HASHER, School, prepared

FRAMEWORK = builtin_library().get("digcomp", "3.0")
COMPETENCES = [c.id for c in FRAMEWORK.competences()]
AREA_OF = {c.id: a.id for a in FRAMEWORK.areas for c in a.competences}
HOSTILE = "=cmd|' /C calc'!A0"


# --------------------------------------------------------------------------- the reference


def rows(db: Database, sql: str, **params) -> list[tuple]:
    with db.engine.connect() as connection:
        return [tuple(r) for r in connection.execute(text(sql), params)]


def reference_population(db: Database, filters: Filters, teacher_id: int | None) -> set[int]:
    """The learners chosen, worked out with plain SQL reads and Python sets."""
    chosen = {r[0] for r in rows(db, "SELECT id FROM learners WHERE erased_at IS NULL")}
    members = rows(db, "SELECT gm.group_id, gm.learner_id, g.school_year FROM group_members gm "
                   "JOIN groups g ON g.id = gm.group_id")  # fmt: skip
    if filters.group_id is not None:
        chosen &= {learner for group, learner, _y in members if group == filters.group_id}
    if filters.school_year:
        chosen &= {learner for _g, learner, year in members if year == filters.school_year}
    participants = rows(db, "SELECT mobility_id, learner_id FROM mobility_participants")
    if filters.mobility_id is not None:
        chosen &= {learner for m, learner in participants if m == filters.mobility_id}
    if teacher_id is not None:
        taught = {g for g, in rows(db, "SELECT group_id FROM group_teachers WHERE user_id = :u",
                                   u=teacher_id)}  # fmt: skip
        mobilities_taught = {
            m for m, in rows(db, "SELECT mobility_id FROM mobility_teachers WHERE user_id = :u",
                             u=teacher_id)
        }  # fmt: skip
        reach = {learner for g, learner, _y in members if g in taught}
        reach |= {learner for m, learner in participants if m in mobilities_taught}
        chosen &= reach
    return chosen


def _latest(candidates: list[tuple]) -> tuple:
    """The latest by (completed_at, id), as the service orders them."""
    return max(candidates, key=lambda r: (str(r[1]), r[0]))


def reference(db: Database, filters: Filters, teacher_id: int | None = None) -> dict:
    population = reference_population(db, filters, teacher_id)
    sheets = [
        r
        for r in rows(
            db,
            "SELECT id, completed_at, learner_id, mobility_id, moment FROM self_assessments "
            "WHERE completed_at IS NOT NULL AND framework_id = 'digcomp' "
            "AND framework_version = '3.0'",
        )
        if r[2] in population and (filters.mobility_id is None or r[3] == filters.mobility_id)
    ]
    answers = defaultdict(dict)
    for sheet, competence, level in rows(
        db, "SELECT self_assessment_id, competence_id, level FROM self_assessment_answers"
    ):
        answers[sheet][competence] = level
    result: dict = {"learners": len(population)}

    def spread(levels_by_learner: dict[int, dict[str, int | None]]) -> dict:
        counts = {c: Counter() for c in COMPETENCES}
        areas = defaultdict(set)
        for learner, levels in levels_by_learner.items():
            for competence, level in levels.items():
                counts[competence][0 if level is None else level] += 1
                areas[AREA_OF[competence]].add(learner)
        table = {c: tuple(counts[c][i] for i in range(9)) for c in COMPETENCES}
        for area in FRAMEWORK.areas:
            table[area.id] = tuple(sum(counts[c.id][i] for c in area.competences) for i in range(9))
            table[f"learners {area.id}"] = len(areas[area.id])
        table["learners"] = len(levels_by_learner)
        return table

    for source in ("latest", "before", "after"):
        by_learner = defaultdict(list)
        for sheet in sheets:
            if source == "latest" or sheet[4] == source:
                by_learner[sheet[2]].append(sheet)
        result[source] = spread(
            {learner: answers[_latest(found)[0]] for learner, found in by_learner.items()}
        )
    assessed: dict[tuple[int, str], tuple] = {}
    for case_learner, case_mobility, competence, level, on, aid in rows(
        db,
        "SELECT c.learner_id, c.mobility_id, a.competence_id, a.level, a.assessed_on, a.id "
        "FROM assessments a JOIN validation_cases c ON c.id = a.case_id "
        "WHERE c.framework_id = 'digcomp' AND c.framework_version = '3.0'",
    ):
        if case_learner not in population:
            continue
        if filters.mobility_id is not None and case_mobility != filters.mobility_id:
            continue
        key = (case_learner, competence)
        if key not in assessed or (str(on), aid) > (str(assessed[key][0]), assessed[key][1]):
            assessed[key] = (on, aid, level)
    by_learner_levels: dict[int, dict[str, int | None]] = defaultdict(dict)
    for (learner, competence), (_on, _aid, level) in assessed.items():
        by_learner_levels[learner][competence] = level
    result["assessed"] = spread(by_learner_levels)
    # gains per mobility
    gains = {}
    per = defaultdict(list)
    for sheet in sheets:
        if sheet[3] is not None and sheet[4] in ("before", "after"):
            per[(sheet[2], sheet[3], sheet[4])].append(sheet)
    for (learner, mobility, moment), found in per.items():
        if moment != "before" or (learner, mobility, "after") not in per:
            continue
        before = answers[_latest(found)[0]]
        after = answers[_latest(per[(learner, mobility, "after")])[0]]
        entry = gains.setdefault(mobility, Counter())
        entry["learners"] += 1
        for competence, level in before.items():
            if competence not in after:
                continue
            later = after[competence]
            if level is not None and later is not None:
                entry["compared"] += 1
                entry["total"] += later - level
                entry["higher"] += later > level
                entry["same"] += later == level
                entry["lower"] += later < level
            elif level is None and later is not None:
                entry["newly"] += 1
    result["gains"] = gains
    cases = [
        r
        for r in rows(db, "SELECT learner_id, mobility_id, stage FROM validation_cases")
        if r[0] in population and (filters.mobility_id is None or r[1] == filters.mobility_id)
    ]
    result["stages"] = Counter(r[2] for r in cases)
    result["case learners"] = len({r[0] for r in cases})
    certificates = [
        r
        for r in rows(db, "SELECT learner_id, mobility_id, issued_at, status FROM certificates")
        if r[0] in population and (filters.mobility_id is None or r[1] == filters.mobility_id)
    ]
    result["months"] = Counter(
        (r[2] if isinstance(r[2], str) else r[2].astimezone(dt.UTC).isoformat())[:7]
        for r in certificates
    )
    result["revoked"] = Counter(
        (r[2] if isinstance(r[2], str) else r[2].astimezone(dt.UTC).isoformat())[:7]
        for r in certificates
        if r[3] == "revoked"
    )
    result["by mobility"] = Counter(r[1] for r in certificates)
    return result


def assert_matches(figures: overview.Overview, expected: dict) -> None:
    """Every figure of an unprotected overview equals the reference."""
    assert not figures.protected
    assert figures.learners == expected["learners"]
    for series in figures.series:
        table = expected[series.source]
        assert series.learners == table["learners"], series.source
        for row in series.rows:
            assert row.counts == table[row.key], (series.source, row.key)
            if row.is_area:
                assert row.learners == table[f"learners {row.key}"]
            else:
                assert row.learners == sum(table[row.key])
            rated = sum(table[row.key][1:])
            mean = sum(i * table[row.key][i] for i in range(1, 9)) / rated if rated else None
            assert row.mean == pytest.approx(mean)
    gains = expected["gains"]
    assert {g.mobility_id for g in figures.gains} == set(gains)
    for gain in figures.gains:
        entry = gains[gain.mobility_id]
        assert (gain.learners, gain.compared, gain.higher, gain.same, gain.lower) == (
            entry["learners"],
            entry["compared"],
            entry["higher"],
            entry["same"],
            entry["lower"],
        )
        assert gain.newly_rated == entry["newly"]
        assert gain.mean_change == pytest.approx(
            entry["total"] / entry["compared"] if entry["compared"] else None
        )
    assert {r.stage: r.cases for r in figures.stages.rows} == {
        s: expected["stages"].get(s, 0) for s in overview.STAGES
    }
    assert figures.stages.learners == expected["case learners"]
    assert {m.month: m.certificates for m in figures.months} == dict(expected["months"])
    assert {m.month: m.revoked for m in figures.months} == {
        month: expected["revoked"].get(month, 0) for month in expected["months"]
    }
    assert {m.mobility_id: m.certificates for m in figures.by_mobility} == dict(
        expected["by mobility"]
    )


# --------------------------------------------------------------------------- the demo school


@pytest.fixture
def demo(demo_file: Path):
    database = Database(f"sqlite:///{demo_file}", password_hasher=FAST_HASHER)
    yield database
    database.close()


def test_demo_school_figures_equal_a_direct_computation(demo):
    coordinator = accounts.authenticate(demo, None, "coordinator", "demo")
    options = overview.options(demo, coordinator)
    assert options.scope == "school" and not options.protected
    figures = overview.figures(demo, coordinator)
    expected = reference(demo, Filters())
    assert_matches(figures, expected)
    # the demo has data in every part, so the comparison compares something
    assert all(s.learners for s in figures.series)
    assert figures.gains and figures.months and figures.stages.cases
    for filters in (
        Filters(group_id=options.groups[0].group_id),
        Filters(school_year=options.school_years[0]),
        Filters(mobility_id=options.mobilities[0].mobility_id),
        Filters(group_id=options.groups[0].group_id, mobility_id=options.mobilities[0].mobility_id),
    ):
        assert_matches(overview.figures(demo, coordinator, filters), reference(demo, filters))


def test_demo_teacher_sees_their_own_learners(demo):
    teacher = accounts.authenticate(demo, None, "teacher1", "demo")
    options = overview.options(demo, teacher)
    assert options.scope == "teacher" and not options.protected
    figures = overview.figures(demo, teacher)
    expected = reference(demo, Filters(), teacher_id=teacher.user_id)
    assert_matches(figures, expected)
    everyone = reference(demo, Filters())["learners"]
    assert 0 < figures.learners < everyone


# --------------------------------------------------------------------------- a small school


def _sheet(session, learner_id, mobility_id, moment, day, levels) -> None:
    completed = dt.datetime(2026, 3, day, 10, 0, tzinfo=dt.UTC)
    sheet = SelfAssessment(
        learner_id=learner_id,
        mobility_id=mobility_id,
        framework_id="digcomp",
        framework_version="3.0",
        moment=moment,
        started_at=completed - dt.timedelta(hours=1),
        completed_at=completed,
    )
    session.add(sheet)
    session.flush()
    for competence, level in zip(COMPETENCES, levels, strict=True):
        session.add(
            SelfAssessmentAnswer(
                self_assessment_id=sheet.id, competence_id=competence, level=level, ticked=[]
            )
        )


def build_small_school(db: Database, school: School) -> dict:
    """Group "Small" of 4 learners (taught by the school's teacher), group "Big" of 6, a
    mobility with a hostile title for the 6 and 2 of the 4; self-assessments before and
    after, cases at various stages with assessments, certificates in two months."""
    coordinator = school.coordinator
    small = learners.create_group(db, coordinator, "Small", "2026/2027")
    big = learners.create_group(db, coordinator, "Big", "2026/2027")
    learners.assign_group_teacher(db, coordinator, small.id, school.teacher.user_id)
    small_ids = [learners.create(db, coordinator, f"S{n}", "Mazā").id for n in range(4)]
    big_ids = [learners.create(db, coordinator, f"B{n}", "Lielā").id for n in range(6)]
    learners.add_to_group(db, coordinator, small.id, small_ids)
    learners.add_to_group(db, coordinator, big.id, big_ids)
    mobility = mobilities.create(
        db,
        coordinator,
        mobilities.MobilityDraft(
            "ER-2026-09", HOSTILE, school.home_id, school.host_id, "DE",
            dt.date(2026, 3, 2), dt.date(2026, 3, 20),
        ),
    )  # fmt: skip
    mobilities.add_participants(db, coordinator, mobility.id, big_ids + small_ids[:2])
    with db.transaction() as session:
        for n, learner_id in enumerate(small_ids + big_ids):
            levels = [((n + i) % 9) or None for i in range(len(COMPETENCES))]
            _sheet(session, learner_id, None, "other", 1, levels)
            if learner_id in big_ids or learner_id in small_ids[:2]:
                _sheet(session, learner_id, mobility.id, "before", 2, levels)
                later = [min(8, (lv or 0) + (i % 3)) or None for i, lv in enumerate(levels)]
                _sheet(session, learner_id, mobility.id, "after", 21, later)
            if n % 3 == 2:  # an older "latest" that must lose to the newer ones
                _sheet(session, learner_id, None, "other", 3, [1] * len(COMPETENCES))
        stages = ["identification", "documentation", "assessment", "certification", "certified"]
        for n, learner_id in enumerate(small_ids + big_ids):
            case = ValidationCase(
                learner_id=learner_id,
                mobility_id=mobility.id if n % 2 else None,
                framework_id="digcomp",
                framework_version="3.0",
                stage=stages[n % 5],
                created_by=school.teacher.user_id,
            )
            session.add(case)
            session.flush()
            for i, competence in enumerate(COMPETENCES[: 3 + n]):
                session.add(
                    Assessment(
                        case_id=case.id,
                        competence_id=competence,
                        level=1 + (n + i) % 8,
                        method="observation",
                        assessor_id=school.teacher.user_id,
                        assessed_on=dt.date(2026, 3, 25),
                    )
                )
            if case.stage == "certified" or n < 7:
                session.add(
                    Certificate(
                        serial=f"T-{n:04d}",
                        case_id=case.id,
                        learner_id=learner_id,
                        mobility_id=case.mobility_id,
                        issued_at=dt.datetime(2026, 3 + n % 2, 27, 12, tzinfo=dt.UTC),
                        issued_by=coordinator.user_id,
                        snapshot="{}",
                        content_hash="0" * 64,
                        status="revoked" if n == 3 else "issued",
                    )
                )
    return {"small": small.id, "big": big.id, "mobility": mobility.id}


@pytest.fixture
def small_school(db: Database, school: School) -> dict:
    """``build_small_school``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "small_school")
    return made if made is not None else build_small_school(db, school)


def test_small_school_figures_equal_a_direct_computation(db, school, small_school):
    made = small_school
    for filters in (
        Filters(),
        Filters(group_id=made["big"]),
        Filters(school_year="2026/2027"),
        Filters(mobility_id=made["mobility"]),
    ):
        assert_matches(overview.figures(db, school.coordinator, filters), reference(db, filters))
    teacher = overview.figures(db, school.teacher, Filters(group_id=made["small"]))
    expected = reference(db, Filters(group_id=made["small"]), teacher_id=school.teacher.user_id)
    assert_matches(teacher, expected)


def test_sheets_without_an_area_are_counted_sheet_by_sheet(db, school, small_school):
    """A completed self-assessment answers every competence, so the number of learners with
    an answer in an area follows from the competences' counts; sheets that lack some
    answers (completed under other rules, or altered) are counted one by one."""
    with db.engine.begin() as connection:
        sheets = [
            r[0]
            for r in connection.execute(
                text("SELECT id FROM self_assessments ORDER BY completed_at DESC, id DESC")
            )
        ]
        # the newest sheet loses all of area 2, the next one competence 1.1 only, a third
        # everything but 5.4
        connection.execute(
            text("DELETE FROM self_assessment_answers WHERE self_assessment_id = :s "
                 "AND competence_id LIKE '2.%'"), {"s": sheets[0]}
        )  # fmt: skip
        connection.execute(
            text("DELETE FROM self_assessment_answers WHERE self_assessment_id = :s "
                 "AND competence_id = '1.1'"), {"s": sheets[1]}
        )  # fmt: skip
        connection.execute(
            text("DELETE FROM self_assessment_answers WHERE self_assessment_id = :s "
                 "AND competence_id <> '5.4'"), {"s": sheets[2]}
        )  # fmt: skip
    figures = overview.figures(db, school.coordinator)
    expected = reference(db, Filters())
    assert_matches(figures, expected)
    latest = figures.source("latest")
    assert latest.row("2", is_area=True).learners < latest.learners
    assert latest.row("1", is_area=True).learners < latest.learners


def test_a_group_of_four_is_hidden_from_an_administrator_but_shown_to_its_teacher(
    db, school, small_school
):
    made = small_school
    small = Filters(group_id=made["small"])
    hidden = overview.figures(db, school.admin, small)
    assert hidden.protected and hidden.population_suppressed and hidden.learners is None
    for series in hidden.series:
        assert series.suppressed and series.learners is None
        # a row on nobody says nothing about anyone: only those stay
        assert all(
            (r.suppressed and r.counts is None and r.mean is None) or r.learners == 0
            for r in series.rows
        )
        assert sum(r.suppressed for r in series.rows) >= 6
    assert hidden.stages.suppressed and all(r.cases is None for r in hidden.stages.rows)
    # the teacher of the group sees each of the 4 anyway; the coordinator may reach anyone
    for viewer in (school.teacher, school.coordinator):
        shown = overview.figures(db, viewer, small)
        assert not shown.protected and shown.learners == 4
        assert shown.source("latest").row("1.1").counts is not None
    # a group of 6 is shown to the administrator
    big = overview.figures(db, school.admin, Filters(group_id=made["big"]))
    assert big.learners == 6 and not big.population_suppressed
    assert big.source("latest").row("1.1").learners == 6
    expected = reference(db, Filters(group_id=made["big"]))
    assert big.source("after").row("2", is_area=True).counts == expected["after"]["2"]
    assert [g.suppressed for g in hidden.gains] == [True]  # 2 of the 4 went on the mobility
    assert hidden.gains[0].learners is None and hidden.gains[0].mean_change is None
    # certificates per month: a month with fewer than 5 is words, not a number
    months = {m.month: m for m in overview.figures(db, school.admin).months}
    assert any(m.suppressed and m.certificates is None for m in months.values())
    # the numbers tables say it in words
    tables = overview.numbers_tables(hidden, FRAMEWORK, "en")
    latest = next(t for t in tables if t.name == "latest")
    assert all(row[2] == "fewer than 5" and set(row[3:]) == {None} for row in latest.rows)
    lv = overview.numbers_tables(hidden, FRAMEWORK, "lv")
    assert next(t for t in lv if t.name == "latest").rows[0][2] != "fewer than 5"


def test_a_teacher_filters_only_by_their_own_groups(db, school, small_school):
    made = small_school
    with pytest.raises(PermissionDenied):
        overview.figures(db, school.teacher, Filters(group_id=made["big"]))
    assert [g.name for g in overview.options(db, school.teacher).groups] == ["Small"]
    with pytest.raises(PermissionDenied):
        overview.figures(db, school.learner)


# --------------------------------------------------------------------------- exports


def _xlsx_rows(path: Path) -> dict[str, list[tuple]]:
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.load_workbook(path)
    return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in workbook}


def test_exports_hold_the_figures_with_formulas_neutralised(db, school, small_school, tmp_path):
    made = small_school
    filters = Filters(mobility_id=made["mobility"])
    figures = overview.figures(db, school.coordinator, filters)
    row_11 = figures.source("latest").row("1.1")

    xlsx = overview.export(db, school.coordinator, filters, tmp_path / "o.xlsx", "xlsx", "en")
    sheets = _xlsx_rows(xlsx)
    latest = sheets["Self-assessed, latest"]
    # the filter line does not start like a formula: it stays as it is
    assert latest[1][0] == f"DigComp 3.0: mobility ER-2026-09 {HOSTILE}"
    line = next(r for r in latest if r[0] == "1.1")
    assert list(line[2:12]) == [row_11.learners, *row_11.counts]
    gains = sheets["Before and after each mobility"]
    hostile = next(r for r in gains if r[0] == "ER-2026-09")
    assert hostile[1] == "'" + HOSTILE  # shown as text, never run as a formula
    assert hostile[2] == figures.gains[0].learners
    assert not any(
        isinstance(cell, str) and cell.startswith(("=", "+", "-", "@"))
        for sheet in sheets.values()
        for row in sheet
        for cell in row
    )

    csv_path = overview.export(db, school.coordinator, filters, tmp_path / "o.csv", "csv", "en")
    with csv_path.open(encoding="utf-8-sig", newline="") as handle:
        lines = list(csv.reader(handle))
    line = next(r for r in lines if r and r[0] == "1.1")
    assert line[2:12] == [str(row_11.learners), *(str(c) for c in row_11.counts)]
    assert next(r for r in lines if r[:1] == ["ER-2026-09"])[:2] == ["ER-2026-09", "'" + HOSTILE]

    # an administrator's export of the group of 4: words, no numbers
    small = Filters(group_id=made["small"])
    hidden = _xlsx_rows(
        overview.export(db, school.admin, small, tmp_path / "s.xlsx", "xlsx", "en")
    )["Self-assessed, latest"]
    line = next(r for r in hidden if r[0] == "1.1")
    assert line[2] == "fewer than 5" and set(line[3:12]) == {None}
    assert any(r[0] == "Learners: fewer than 5" for r in hidden)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler's pdftotext")
def test_pdf_export_is_real_text_in_latvian(db, school, small_school, tmp_path):
    made = small_school
    path = overview.export(
        db, school.admin, Filters(group_id=made["small"]), tmp_path / "o.pdf", "pdf", "lv"
    )
    content = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Informācijas pārlūkošana" in content  # a competence title, with its diacritics
    assert overview.fewer_text("lv") in content
    assert "DigComp 3.0" in content
    shown = overview.export(db, school.coordinator, Filters(), tmp_path / "c.pdf", "pdf", "en")
    content = subprocess.run(
        ["pdftotext", "-layout", str(shown), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "School overview" in content and "ER-2026-09" in content
    assert "fewer than 5" not in content.replace("Figures on fewer than 5", "")
