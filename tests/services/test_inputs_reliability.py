"""Hostile text at the service boundary, wildcards in filters, stale saves and races.

Every text field a service writes is tried with a NUL and with 10,000 characters, on SQLite
and PostgreSQL: the service refuses it with InvalidInput naming the field, and nothing of
the call is saved (every table is compared before and after).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import threading
from collections.abc import Callable

import pytest
from sqlalchemy import select

from digcomp_app.services import (
    accounts,
    certificates,
    evidence,
    learners,
    mobilities,
    organisations,
    self_assessment,
    validation,
)
from digcomp_app.services.errors import ConcurrentChange, InvalidInput, SimultaneousChange
from digcomp_app.services.inputs import clean_text, for_terminal
from digcomp_app.storage.models import Base
from tests.services.conftest import FAST_HASHER, PASSWORD, School, prepared, sign
from tests.services.test_workflow import PDF, to_assessment

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)

NUL = "Ab\x00cd"
LONG = "x" * 10_000
BAD_VALUES = pytest.mark.parametrize("bad", [NUL, LONG], ids=["nul", "long"])


#: each table's SELECT of every column, compiled once per SQL dialect (each test's new
#: engine would compile them all again)
_SELECTS: dict[str, list[tuple[str, str]]] = {}


def _everything(db) -> dict[str, list[tuple]]:
    """Every row of every table, to show that a refused call left no trace (the values as
    the database driver reads them)."""
    dialect = db.engine.dialect
    if dialect.name not in _SELECTS:
        _SELECTS[dialect.name] = [
            (table.name, str(select(table).compile(dialect=dialect)))
            for table in Base.metadata.sorted_tables
        ]
    with db.transaction() as session:
        connection = session.connection()
        return {
            name: sorted(
                (tuple(map(repr, row)) for row in connection.exec_driver_sql(sql)), key=repr
            )
            for name, sql in _SELECTS[dialect.name]
        }


def _draft(school: School, **changes) -> mobilities.MobilityDraft:
    draft = mobilities.MobilityDraft(
        "ER-2026-02",
        "Placement in Vienna",
        school.home_id,
        school.host_id,
        "AT",
        dt.date(2026, 4, 1),
        dt.date(2026, 4, 20),
    )
    return dataclasses.replace(draft, **changes)


def _mobility_update(db, school: School, **changes) -> None:
    current = mobilities.get(db, school.coordinator, school.mobility_id)
    draft = mobilities.MobilityDraft(
        current.code,
        current.title,
        current.sending_organisation_id,
        current.host_organisation_id,
        current.host_country,
        current.start_date,
        current.end_date,
        current.programme,
        current.host_mentor,
        current.objective,
    )
    mobilities.update(
        db,
        school.coordinator,
        school.mobility_id,
        dataclasses.replace(draft, **changes),
        current.version,
    )


#: (what is tried, the field named, the call with the bad value)
CALLS: list[tuple[str, str, Callable[..., object]]] = [
    *(
        (
            f"mobilities.create {name}",
            name,
            lambda db, s, v, n=name: mobilities.create(db, s.coordinator, _draft(s, **{n: v})),
        )
        for name in ("code", "programme", "host_mentor", "host_country")
    ),
    *(
        (
            f"mobilities.create {name} (the Latvian text)",
            f"texts.lv.{name}",
            lambda db, s, v, n=name: mobilities.create(db, s.coordinator, _draft(s, **{n: v})),
        )
        for name in ("title", "objective")
    ),
    *(
        (
            f"mobilities.create texts {name}",
            f"texts.en.{name}",
            lambda db, s, v, n=name: mobilities.create(
                db,
                s.coordinator,
                _draft(s, texts={"lv": {"title": "Prakse"}, "en": {n: v}}),
            ),
        )
        for name in mobilities.TEXT_FIELDS
    ),
    *(
        (
            f"mobilities.update {name}",
            field,
            lambda db, s, v, n=name: _mobility_update(db, s, **{n: v}),
        )
        for name, field in (
            ("code", "code"),
            ("title", "texts.lv.title"),
            ("programme", "programme"),
            ("host_mentor", "host_mentor"),
            ("objective", "texts.lv.objective"),
        )
    ),
    (
        "mobilities.set_europass_number",
        "europass_number",
        lambda db, s, v: mobilities.set_europass_number(
            db, s.coordinator, s.mobility_id, s.learner_id, v
        ),
    ),
    *(
        (
            f"organisations.create {name}",
            name,
            lambda db, s, v, n=name: organisations.create(
                db, s.coordinator, "host", **{"name": "Host", n: v}
            ),
        )
        for name in (
            "name",
            "address",
            "country",
            "contact_person",
            "email",
            "signatory_name",
            "signatory_role",
        )
    ),
    *(
        (
            f"organisations.update_home {name}",
            name,
            lambda db, s, v, n=name: organisations.update_home(db, s.admin, **{n: v}),
        )
        for name in ("name", "address", "contact_person", "signatory_name", "verification_address")
    ),
    (
        "accounts.create_user username",
        "username",
        lambda db, s, v: accounts.create_user(db, s.admin, v, "Name", PASSWORD, ["teacher"]),
    ),
    (
        "accounts.create_user display_name",
        "display_name",
        lambda db, s, v: accounts.create_user(db, s.admin, "newuser", v, PASSWORD, ["teacher"]),
    ),
    (
        "accounts.create_staff given_names",
        "given_names",
        lambda db, s, v: accounts.create_staff(db, s.admin, v, "Ozols", ["teacher"]),
    ),
    (
        "accounts.create_staff surname",
        "surname",
        lambda db, s, v: accounts.create_staff(db, s.admin, "Andris", v, ["teacher"]),
    ),
    (
        "accounts.create_staff username",
        "username",
        lambda db, s, v: accounts.create_staff(db, s.admin, "Andris", "Ozols", ["teacher"], v),
    ),
    (
        "learners.create given_names",
        "given_names",
        lambda db, s, v: learners.create(db, s.coordinator, v, "Ozols"),
    ),
    (
        "learners.create surname",
        "surname",
        lambda db, s, v: learners.create(db, s.coordinator, "Pēteris", v),
    ),
    (
        "learners.create email",
        "email",
        lambda db, s, v: learners.create(db, s.coordinator, "Pēteris", "Ozols", None, v),
    ),
    (
        "learners.create learner_number",
        "learner_number",
        lambda db, s, v: learners.create(db, s.coordinator, "Pēteris", "Ozols", None, "", v),
    ),
    (
        "learners.create_group name",
        "name",
        lambda db, s, v: learners.create_group(db, s.coordinator, v),
    ),
    (
        "learners.create_group school_year",
        "school_year",
        lambda db, s, v: learners.create_group(db, s.coordinator, "3.B", v),
    ),
]

#: calls on a validation case at its assessment stage (the case's number comes in ``case``)
CASE_CALLS: list[tuple[str, str, Callable[..., object]]] = [
    (
        "validation.record_assessment comment",
        "comment",
        lambda db, s, case, v: validation.record_assessment(
            db, s.teacher, case, "1.1", 4, "observation", comment=v
        ),
    ),
    (
        "validation.record_assessment criteria",
        "criteria",
        lambda db, s, case, v: validation.record_assessment(
            db, s.teacher, case, "1.1", 4, "observation", criteria=v
        ),
    ),
    (
        "validation.go_back reason",
        "reason",
        lambda db, s, case, v: validation.go_back(db, s.teacher, case, v),
    ),
]


@BAD_VALUES
@pytest.mark.parametrize(("what", "field", "call"), CALLS, ids=[c[0] for c in CALLS])
def test_every_text_field_refuses_nul_and_overlong_values(db, school, what, field, call, bad):
    before = _everything(db)
    with pytest.raises(InvalidInput) as refused:
        call(db, school, bad)
    assert refused.value.field == field, (what, str(refused.value))
    assert str(refused.value)
    assert _everything(db) == before, what


@pytest.fixture
def case_at_assessment(db, school):
    """``to_assessment``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "case_at_assessment")
    return made if made is not None else assessed_case(db, school)


def assessed_case(db, school):
    """Jānis's case taken to its assessment stage (``to_assessment``)."""
    return to_assessment(db, school)


@BAD_VALUES
@pytest.mark.parametrize(("what", "field", "call"), CASE_CALLS, ids=[c[0] for c in CASE_CALLS])
def test_validation_texts_refuse_nul_and_overlong_values(
    db, school, case_at_assessment, what, field, call, bad
):
    case = case_at_assessment
    before = _everything(db)
    with pytest.raises(InvalidInput) as refused:
        call(db, school, case.id, bad)
    assert refused.value.field == field, (what, str(refused.value))
    assert _everything(db) == before, what


#: calls adding evidence to a case at its documentation stage (tied to 1.1)
EVIDENCE_CALLS: list[tuple[str, str, Callable[..., object]]] = [
    (
        "evidence.add_file file_name",
        "file_name",
        lambda db, s, case, v: evidence.add_file(db, s.teacher, case, v, PDF, "R", ("1.1",)),
    ),
    (
        "evidence.add_file title",
        "title",
        lambda db, s, case, v: evidence.add_file(db, s.teacher, case, "r.pdf", PDF, v, ("1.1",)),
    ),
    (
        "evidence.add_file description",
        "description",
        lambda db, s, case, v: evidence.add_file(
            db, s.teacher, case, "r.pdf", PDF, "R", ("1.1",), v
        ),
    ),
    (
        "evidence.add_link url",
        "url",
        lambda db, s, case, v: evidence.add_link(
            db, s.teacher, case, "https://example.org/" + v, "Link", ("1.1",)
        ),
    ),
    (
        "evidence.add_link title",
        "title",
        lambda db, s, case, v: evidence.add_link(
            db, s.teacher, case, "https://example.org/", v, ("1.1",)
        ),
    ),
    (
        "evidence.add_link description",
        "description",
        lambda db, s, case, v: evidence.add_link(
            db, s.teacher, case, "https://example.org/", "Link", ("1.1",), v
        ),
    ),
    (
        "evidence.add_note title",
        "title",
        lambda db, s, case, v: evidence.add_note(db, s.teacher, case, v, "Text", ("1.1",)),
    ),
    (
        "evidence.add_note text",
        "text",
        lambda db, s, case, v: evidence.add_note(db, s.teacher, case, "Note", v, ("1.1",)),
    ),
]


@pytest.fixture
def documented_case(db, school) -> int:
    """``document_case``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "documented_case")
    return made if made is not None else document_case(db, school)


def document_case(db, school) -> int:
    """A case at its documentation stage, with 1.1 as a target."""
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [validation.TargetDraft("1.1", 4)])
    validation.advance(db, school.teacher, case.id)
    return case.id


@BAD_VALUES
@pytest.mark.parametrize(
    ("what", "field", "call"), EVIDENCE_CALLS, ids=[c[0] for c in EVIDENCE_CALLS]
)
def test_evidence_texts_refuse_nul_and_overlong_values(
    db, school, documented_case, what, field, call, bad
):
    before = _everything(db)
    with pytest.raises(InvalidInput) as refused:
        call(db, school, documented_case, bad)
    assert refused.value.field == field, (what, str(refused.value))
    assert str(refused.value)
    assert _everything(db) == before, what


def test_evidence_texts_within_the_limits_are_kept(db, school, documented_case):
    url = "https://example.org/" + "a" * (evidence.MAX_URL - 20)
    link = evidence.add_link(
        db, school.teacher, documented_case, url, " Line\tone\n", ("1.1",), "a\r\nb"
    )
    assert (link.url, link.title, link.description) == (url, "Line one", "a\nb")
    note = evidence.add_note(
        db, school.teacher, documented_case, "N", "x" * evidence.MAX_NOTE, ("1.1",)
    )
    assert len(note.description) == evidence.MAX_NOTE
    # a long name from outside is still shortened for display, not refused
    item = evidence.add_file(
        db, school.teacher, documented_case, "y" * 900 + ".pdf", PDF, "", ("1.1",)
    )
    assert item.file_name == "y" * 196 + ".pdf" and item.title == item.file_name


@BAD_VALUES
def test_the_revoke_reason_refuses_nul_and_overlong_values(db, school, signer, bad):
    case = to_assessment(db, school)
    for competence in ("1.1", "2.1"):
        validation.record_assessment(db, school.teacher, case.id, competence, 3, "interview")
    validation.advance(db, school.teacher, case.id)
    cert = certificates.issue(db, school.coordinator, case.id, signer)
    before = _everything(db)
    with pytest.raises(InvalidInput) as refused:
        certificates.revoke(db, school.coordinator, cert.serial, bad)
    assert refused.value.field == "reason"
    assert _everything(db) == before
    kept = certificates.revoke(db, school.coordinator, cert.serial, " Wrong\r\nlevel ")
    assert kept.revoke_reason == "Wrong\nlevel"


@BAD_VALUES
def test_a_self_assessment_note_refuses_nul_and_overlong_values(db, school, bad):
    started = self_assessment.start(
        db, school.learner, mobility_id=school.mobility_id, moment="before"
    )
    before = _everything(db)
    with pytest.raises(InvalidInput) as refused:
        self_assessment.answer(db, school.learner, started.id, "1.1", 3, (), bad)
    assert refused.value.field == "note"
    assert _everything(db) == before
    saved = self_assessment.answer(db, school.learner, started.id, "1.1", 3, (), " a\tb ")
    assert saved.answer_for("1.1").note == "a\tb"


def test_a_stage_filter_with_nul_or_an_unknown_stage_finds_nothing(db, school):
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    assert validation.list_cases(db, school.coordinator, stage="identification")[0].id == case.id
    assert validation.list_cases(db, school.coordinator, stage="identifi\x00cation") == []
    assert validation.list_cases(db, school.coordinator, stage="nowhere") == []


def test_signing_in_with_a_nul_in_the_name_is_a_wrong_name(db, school):
    from digcomp_app.services.errors import AuthenticationFailed

    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(db, None, "ad\x00min", PASSWORD)
    assert sign(db, "admin").username == "admin"


def test_filters_with_nul_do_not_fail(db, school):
    assert mobilities.list_all(db, school.coordinator, "ER\x00") != []  # the NUL is ignored
    # a NUL separates words, which each must be found
    found = learners.search(db, school.coordinator, "Jā\x00nis")
    assert [x.id for x in found] == [school.learner_id]


def test_the_helpers():
    assert clean_text("  a\tb\r\nc  ", "f", "field", 10, multiline=True) == "a\tb\nc"
    with pytest.raises(InvalidInput):
        clean_text("a\tb", "f", "field", 10)
    with pytest.raises(InvalidInput):
        clean_text("a\x1b[2Jb", "f", "field", 10, multiline=True)
    assert for_terminal("Anna\x1b[2J\u202eBērziņa\n\x9b") == "Anna[2JBērziņa "


# --- the mobility filter's wildcards --------------------------------------------------------


def test_percent_and_underscore_in_the_filter_match_only_themselves(db, school):
    for code, title in (("PCT-1", "Growth 100% digital"), ("UND_1", "Placement"), ("PLAIN", "x")):
        mobilities.create(db, school.coordinator, _draft(school, code=code, title=title))

    def found(text: str) -> list[str]:
        return sorted(m.code for m in mobilities.list_all(db, school.coordinator, text))

    assert found("%") == ["PCT-1"]
    assert found("_") == ["UND_1"]
    assert found("0%") == ["PCT-1"]
    assert found("\\") == []
    assert found("er") == ["ER-2026-01"]  # plain text still filters as before


# --- stale saves and races on PostgreSQL ----------------------------------------------------


def _release_once_we_wait(database_url: str, release: threading.Event) -> None:
    """Set ``release`` once a session of this database waits on a lock (our write behind
    theirs), so the other PC commits exactly while we wait, however slow the machine."""
    from sqlalchemy import create_engine, text

    def watch() -> None:
        engine = create_engine(database_url)
        try:
            with engine.connect() as connection:
                for _attempt in range(1000):  # 20 s at most
                    waiting = connection.execute(
                        text(
                            "SELECT count(*) FROM pg_stat_activity "
                            "WHERE datname = current_database() AND wait_event_type = 'Lock'"
                        )
                    ).scalar_one()
                    connection.rollback()
                    if waiting:
                        break
                    release.wait(0.02)
        finally:
            engine.dispose()
            release.set()

    threading.Thread(target=watch, daemon=True).start()


@pytest.fixture
def other_pc(database_url):
    """A second PC on the same PostgreSQL database (the tests run on PostgreSQL only)."""
    from digcomp_app.services.database import Database

    assert database_url.startswith("postgresql"), "a race between two PCs: mark it postgres"
    other = Database(database_url, password_hasher=FAST_HASHER)
    yield other
    other.close()


@pytest.mark.postgres
def test_a_stale_mobility_save_on_postgresql_says_someone_else_saved_first(
    db, school, other_pc, database_url
):
    """Two coordinators opened the mobility at version 1. The other PC's save holds the row
    while ours checks the version (still 1 for us) and writes: ours then finds the row
    changed. We get ConcurrentChange with their values, not a raw StaleDataError."""
    mine = mobilities.get(db, school.coordinator, school.mobility_id)
    updated, release = threading.Event(), threading.Event()

    def other() -> None:
        from digcomp_app.storage.models import Mobility

        with other_pc.transaction() as session:
            row = session.get(Mobility, school.mobility_id)
            row.title = "Their title"
            session.flush()  # the row is locked until commit, version 2
            updated.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert updated.wait(10)
    _release_once_we_wait(database_url, release)  # they commit while we wait on the row
    draft = mobilities.MobilityDraft(
        mine.code,
        "My title",
        mine.sending_organisation_id,
        mine.host_organisation_id,
        mine.host_country,
        mine.start_date,
        mine.end_date,
    )
    with pytest.raises(ConcurrentChange, match="Someone else changed this mobility") as raised:
        mobilities.update(db, school.coordinator, school.mobility_id, draft, mine.version)
    thread.join(10)
    assert raised.value.current.title == "Their title"
    assert mobilities.get(db, school.coordinator, school.mobility_id).title == "Their title"


@pytest.mark.postgres
def test_two_first_assessments_at_once_on_postgresql_keep_the_first(
    db, school, other_pc, database_url
):
    """Two teachers record the first assessment of 1.1 at the same moment: both found none
    and inserted one; the second is refused by the unique key and told who saved first."""
    from digcomp_app.storage.models import Assessment

    case = to_assessment(db, school)
    inserted, release = threading.Event(), threading.Event()

    def other() -> None:  # the other teacher's first assessment, not yet committed
        with other_pc.transaction() as session:
            session.add(
                Assessment(
                    case_id=case.id,
                    competence_id="1.1",
                    level=5,
                    method="interview",
                    comment="theirs",
                    assessor_id=school.other_teacher.user_id,
                    assessed_on=dt.date(2026, 4, 1),
                )
            )
            session.flush()
            inserted.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert inserted.wait(10)
    _release_once_we_wait(database_url, release)  # they commit while our insert waits
    with pytest.raises(ConcurrentChange, match="Someone else saved this assessment") as raised:
        validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "observation")
    thread.join(10)
    assert raised.value.current is not None
    assert (raised.value.current.level, raised.value.current.comment) == (5, "theirs")
    stored = validation.get_case(db, school.teacher, case.id).assessment_for("1.1")
    assert (stored.level, stored.comment) == (5, "theirs")


@pytest.mark.postgres
@pytest.mark.parametrize("how", ["create", "rename"])
def test_two_coordinators_giving_one_code_at_once_on_postgresql(
    db, school, other_pc, how, database_url
):
    """The other PC renames the school's mobility to ER-RACE and has not committed yet; we
    create (or rename another mobility) with the same code: both checks found the code free.
    The unique code refuses ours once theirs is committed: SimultaneousChange, not a raw
    duplicate-key error, and nothing of ours is saved."""
    from digcomp_app.storage.models import Mobility

    second = None
    if how == "rename":
        second = mobilities.create(db, school.coordinator, _draft(school, code="ER-SECOND"))
    updated, release = threading.Event(), threading.Event()

    def other() -> None:
        with other_pc.transaction() as session:
            session.get(Mobility, school.mobility_id).code = "ER-RACE"
            session.flush()  # the new code holds its place in the unique index until commit
            updated.set()
            release.wait(10)

    thread = threading.Thread(target=other)
    thread.start()
    assert updated.wait(10)
    _release_once_we_wait(database_url, release)  # they commit while our write waits
    with pytest.raises(SimultaneousChange, match="mobility code") as raised:
        if second is None:
            mobilities.create(db, school.coordinator, _draft(school, code="ER-RACE"))
        else:
            current = mobilities.get(db, school.coordinator, second.id)
            draft = mobilities.MobilityDraft(
                "ER-RACE",
                current.title,
                current.sending_organisation_id,
                current.host_organisation_id,
                current.host_country,
                current.start_date,
                current.end_date,
            )
            mobilities.update(db, school.coordinator, second.id, draft, current.version)
    thread.join(10)
    assert "same moment" in str(raised.value)
    codes = sorted(m.code for m in mobilities.list_all(db, school.coordinator, ""))
    assert codes == (["ER-RACE"] if second is None else ["ER-RACE", "ER-SECOND"])
