"""Roster imports against the database: preview, all-or-nothing import, re-import without
duplicates, problems against the school's data, staff, the audit record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from openpyxl import Workbook

from digcomp_app.services import accounts, audit, learners, organisations, rosters
from digcomp_app.services.database import Database
from digcomp_app.services.roster_files import RosterCancelled, guess_mapping, read_roster

HEADERS = ["Nr. p.k.", "Skolēna nr.", "Vārds", "Uzvārds", "Klase", "Dzimšanas datums", "E-pasts"]


def class_list(count: int = 30) -> list[list[object]]:
    rows: list[list[object]] = []
    for n in range(1, count + 1):
        group = "DT-1" if n <= count // 2 else "DT-2"
        rows.append(
            [n, f"R{1000 + n}", f"Jānis{n}", "Bērziņš", group, dt.date(2009, 1, n % 28 + 1), ""]
        )
    return rows


def write_xlsx(path: Path, rows: list[list[object]], headers: list[str] = HEADERS) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def load(path: Path, kind: str = "learners"):
    table = read_roster(path)
    return table, guess_mapping(table.headers, kind)


def test_thirty_learners_in_two_groups_then_the_same_file_again(db, school, tmp_path):
    table, mapping = load(write_xlsx(tmp_path / "klase.xlsx", class_list()))
    plan = rosters.preview_learners(db, school.admin, table, mapping)
    assert plan.ok and plan.count("create") == 30
    assert plan.new_groups == ("DT-1", "DT-2")
    assert (
        learners.list_learners(db, school.admin) != []
        and len(learners.list_learners(db, school.admin)) == 2
    )  # the preview changed nothing

    result = rosters.import_learners(db, school.admin, table, mapping)
    assert (result.created, result.updated, result.unchanged) == (30, 0, 0)
    assert result.groups_created == ("DT-1", "DT-2")
    groups = {g.name: g for g in learners.list_groups(db, school.admin)}
    assert groups["DT-1"].member_count == 15 and groups["DT-2"].member_count == 15
    first = learners.search(db, school.admin, "R1001")[0]
    assert (first.full_name, first.groups, first.date_of_birth) == (
        "Jānis1 Bērziņš",
        ("DT-1",),
        dt.date(2009, 1, 2),
    )

    again = rosters.import_learners(db, school.admin, table, mapping)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 30)
    assert len(learners.list_learners(db, school.admin)) == 32

    events = [
        e for e in audit.list_events(db, school.admin) if e.action == "rosters.import_learners"
    ]
    assert [(e.details["created"], e.details["unchanged"]) for e in events] == [(0, 30), (30, 0)]
    assert "Jānis1" not in str(events)  # counts, never names


def test_a_changed_register_updates_and_moves_learners(db, school, tmp_path):
    rows = class_list(4)
    table, mapping = load(write_xlsx(tmp_path / "a.xlsx", rows))
    rosters.import_learners(db, school.admin, table, mapping)
    rows[0][4] = "DT-2"  # moved to the other class
    rows[1][3] = "Bērziņa-Ozola"  # a new surname, same first name
    table, mapping = load(write_xlsx(tmp_path / "b.xlsx", rows))
    plan = rosters.preview_learners(db, school.admin, table, mapping)
    assert [(r.line, r.action, r.changes) for r in plan.rows if r.action != "unchanged"] == [
        (2, "update", ("group",)),
        (3, "update", ("name",)),
    ]
    result = rosters.import_learners(db, school.admin, table, mapping)
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    moved = learners.search(db, school.admin, "R1001")[0]
    assert moved.groups == ("DT-2",)


def test_problems_against_the_database_refuse_the_whole_file(db, school, tmp_path):
    learners.create(db, school.coordinator, "Pēteris", "Ozols", learner_number="R1003")
    archived = learners.create_group(db, school.coordinator, "DT-9", "2024/2025")
    learners.archive_group(db, school.coordinator, archived.id)
    rows = class_list(4)
    rows[3][4] = "DT-9"
    table, mapping = load(write_xlsx(tmp_path / "c.xlsx", rows))
    plan = rosters.preview_learners(db, school.admin, table, mapping, create_groups=False)
    messages = [(p.line, p.column, p.message) for p in plan.problems]
    assert (2, "Klase", "the group 'DT-1' does not exist") in messages
    assert any(
        line == 4 and column == "Skolēna nr." and "belongs to Pēteris Ozols" in message
        for line, column, message in messages
    )
    assert (5, "Klase", "the group 'DT-9' is archived and takes no learners") in messages
    before = learners.list_learners(db, school.admin, include_inactive=True)
    with pytest.raises(rosters.ImportRefused) as refused:
        rosters.import_learners(db, school.admin, table, mapping, create_groups=False)
    assert "Nothing was imported" in str(refused.value)
    assert learners.list_learners(db, school.admin, include_inactive=True) == before
    assert [g.name for g in learners.list_groups(db, school.admin)] == []


def test_dates_of_birth_are_left_out_when_the_school_does_not_keep_them(db, school, tmp_path):
    organisations.update_home(db, school.admin, keep_birth_date=False)
    headers = [*HEADERS, "Personas kods"]
    rows = [[*row, "010109-12345"] for row in class_list(2)]
    table, mapping = load(write_xlsx(tmp_path / "d.xlsx", rows, headers))
    plan = rosters.preview_learners(db, school.admin, table, mapping)
    assert any("'Personas kods' is not imported" in n for n in plan.notices)
    assert any("'Dzimšanas datums' are not imported" in n for n in plan.notices)
    rosters.import_learners(db, school.admin, table, mapping)
    assert learners.search(db, school.admin, "R1001")[0].date_of_birth is None


def test_rows_without_a_group_take_the_one_given(db, school, tmp_path):
    headers = ["Skolēna nr.", "Vārds", "Uzvārds"]
    table, mapping = load(write_xlsx(tmp_path / "e.xlsx", [["7", "Anna", "Ozola"]], headers))
    result = rosters.import_learners(db, school.coordinator, table, mapping, default_group="ME-3")
    assert result.groups_created == ("ME-3",)
    assert learners.search(db, school.coordinator, "anna ozola")[0].groups == ("ME-3",)


def test_cancel_leaves_nothing(db, school, tmp_path):
    table, mapping = load(write_xlsx(tmp_path / "f.xlsx", class_list(250)))
    calls = []

    def stop() -> bool:
        calls.append(1)
        return len(calls) > 2  # after some rows were written in the transaction

    with pytest.raises(RosterCancelled):
        rosters.import_learners(db, school.admin, table, mapping, should_stop=stop)
    assert len(learners.list_learners(db, school.admin)) == 2
    assert learners.list_groups(db, school.admin) == []


def test_staff_import_makes_accounts_with_one_time_passwords(db, school, tmp_path):
    path = tmp_path / "staff.csv"
    path.write_text(
        "Vārds;Uzvārds;Loma\nInese;Kļaviņa;skolotāja\nAndris;Ozols;skolotājs, koordinators\n"
        "Teach;;teacher\n",
        encoding="utf-8",
    )
    table, mapping = load(path, "staff")
    plan = rosters.preview_staff(db, school.admin, table, mapping)
    assert not plan.ok and plan.problems[0].line == 4
    path.write_text(
        "Vārds;Uzvārds;Loma\nInese;Kļaviņa;skolotāja\nAndris;Ozols;skolotājs, koordinators\n",
        encoding="utf-8",
    )
    table, mapping = load(path, "staff")
    result = rosters.import_staff(db, school.admin, table, mapping)
    assert [(c.username, c.full_name) for c in result.credentials] == [
        ("inese.klavina", "Inese Kļaviņa"),
        ("andris.ozols", "Andris Ozols"),
    ]
    andris = accounts.authenticate(db, None, "andris.ozols", result.credentials[1].password)
    assert {r.value for r in andris.roles} == {"teacher", "coordinator"}
    assert andris.must_change_password
    again = rosters.import_staff(db, school.admin, table, mapping)
    assert (again.created, again.unchanged, again.credentials) == (0, 2, ())


@pytest.mark.postgres
def test_a_learner_number_saved_by_someone_else_meanwhile_refuses_the_import(
    postgres_url, tmp_path
):
    """Two PCs at once: the import checked the number was free, then another PC saved a
    learner with it before the import committed. The import says so; nothing of it stays."""
    import threading

    from digcomp_app.services.errors import SimultaneousChange
    from digcomp_app.storage.models import Learner
    from tests.services.conftest import FAST_HASHER

    db = Database(postgres_url, password_hasher=FAST_HASHER)
    other_pc = Database(postgres_url, password_hasher=FAST_HASHER)
    try:
        accounts.create_first_administrator(db, None, "admin", "Admin", "admin password")
        admin = accounts.authenticate(db, None, "admin", "admin password")
        table, mapping = load(write_xlsx(tmp_path / "race.xlsx", class_list(3)))
        inserted, release = threading.Event(), threading.Event()

        def other() -> None:  # holds the number R1002 in an uncommitted transaction
            with other_pc.transaction() as session:
                session.add(
                    Learner(
                        given_names="Pēteris",
                        surname="Ozols",
                        search_name="peteris ozols",
                        learner_number="R1002",
                    )
                )
                session.flush()
                inserted.set()
                release.wait(10)

        thread = threading.Thread(target=other)
        thread.start()
        assert inserted.wait(10)
        threading.Timer(0.5, release.set).start()  # the other PC commits while we insert
        with pytest.raises(SimultaneousChange, match="same moment"):
            rosters.import_learners(db, admin, table, mapping)
        thread.join(10)
        numbers = [x.learner_number for x in learners.list_learners(db, admin)]
        assert numbers == ["R1002"]  # only the other PC's learner
        assert learners.list_groups(db, admin) == []
    finally:
        db.close()
        other_pc.close()
