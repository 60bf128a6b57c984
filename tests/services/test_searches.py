"""Searching accounts and the certificate register in the database (SQLite and PostgreSQL):
words in any order, case and accents ignored, ``%`` and ``_`` typed literally, roles and
statuses by name, a limit with the number found; and the marks of the teacher's list."""

from __future__ import annotations

import datetime as dt

import pytest

from digcomp_app.i18n import set_language
from digcomp_app.services import accounts, certificates, learners, mobilities, validation
from digcomp_app.services.errors import PermissionDenied
from digcomp_app.services.validation import TargetDraft
from tests.services.conftest import PASSWORD, complete_self_assessment, make_signer, prepared
from tests.services.test_printing import certify


def found_users(db, actor, text, **kwargs) -> list[str]:
    return [u.username for u in accounts.search_users(db, actor, text, **kwargs).users]


@pytest.fixture
def more_users(db, school):
    accounts.create_user(db, school.admin, "erika_b", "Ērika Bērziņa", PASSWORD, ["teacher"])
    accounts.create_user(db, school.admin, "percent", "Ivo 100% Ozols", PASSWORD, ["coordinator"])
    accounts.create_user(db, school.admin, "underxscore", "Zane Liepa", PASSWORD, ["teacher"])


def test_users_are_found_by_name_without_accents_or_case(db, school, more_users):
    assert found_users(db, school.admin, "berzina") == ["erika_b"]
    assert found_users(db, school.admin, "ĒRIKA bērz") == ["erika_b"]
    assert found_users(db, school.admin, "LIGA") == ["liga"]
    assert found_users(db, school.admin, "bērziņa zane") == []
    everyone = accounts.search_users(db, school.admin, "")
    assert everyone.total == len(everyone.users) == 9
    assert [u.username for u in everyone.users] == sorted(u.username for u in everyone.users)


def test_percent_and_underscore_are_matched_literally(db, school, more_users):
    # unescaped, "%" and "_" would match every account
    assert found_users(db, school.admin, "%") == ["percent"]
    assert found_users(db, school.admin, "100%") == ["percent"]
    assert found_users(db, school.admin, "_") == ["erika_b"]
    assert found_users(db, school.admin, "a_b") == ["erika_b"]
    assert found_users(db, school.admin, "\\") == []


def test_users_are_found_by_role_in_english_and_latvian(db, school, more_users):
    assert found_users(db, school.admin, "coordinator") == ["coord", "percent"]
    assert found_users(db, school.admin, "teach") == ["erika_b", "teach", "teach2", "underxscore"]
    assert found_users(db, school.admin, "teacher zane") == ["underxscore"]
    set_language("lv")
    try:
        assert found_users(db, school.admin, "skolotajs") == [
            "erika_b",
            "teach",
            "teach2",
            "underxscore",
        ]
        assert found_users(db, school.admin, "administr") == ["admin"]
    finally:
        set_language("en")


def test_a_user_search_is_limited_and_counts_all_found(db, school, more_users):
    page = accounts.search_users(db, school.admin, "e", limit=2)
    assert len(page.users) == 2
    assert page.total == len(found_users(db, school.admin, "e")) > 2


def test_only_an_administrator_searches_accounts(db, school):
    with pytest.raises(PermissionDenied):
        accounts.search_users(db, school.coordinator, "")


@pytest.fixture
def register(db, school, request):
    """``registered``: copied with the school when ``db`` was, else made here."""
    made = prepared(db, "register")
    return made if made is not None else registered(db, school, request.getfixturevalue("signer"))


def registered(db, school, signer=None):
    """Three certificates: Jānis Bērziņš's (revoked and reissued) on ER-2026-01, Līga
    Kalniņa's on a mobility whose code holds "%" and "_" (the school's signing key made
    first when no ``signer`` is given)."""
    signer = signer or make_signer(db, school)
    first = certify(db, school, signer, school.learner, school.learner_id)
    certificates.revoke(db, school.coordinator, first.serial, "Wrong level")
    case = validation.list_cases(db, school.coordinator)[0]
    second = certificates.issue(db, school.coordinator, case.id, signer)
    info = mobilities.get(db, school.coordinator, school.mobility_id)
    odd = mobilities.create(
        db,
        school.coordinator,
        mobilities.MobilityDraft(
            "KA1_50%-FI",
            "Helsinki",
            info.sending_organisation_id,
            school.host_id,
            "FI",
            dt.date(2026, 4, 1),
            dt.date(2026, 4, 20),
        ),
    )
    mobilities.add_participants(db, school.coordinator, odd.id, [school.other_learner_id])
    mobilities.assign_teacher(db, school.coordinator, odd.id, school.teacher.user_id)
    school.mobility_id, kept = odd.id, school.mobility_id
    third = certify(db, school, signer, school.other_learner, school.other_learner_id)
    school.mobility_id = kept
    return first, second, third


def serials(db, actor, text="", **kwargs) -> list[str]:
    page = certificates.search_register(db, actor, text, **kwargs)
    return [c.serial for c in page.certificates]


def test_the_register_is_searched_by_serial_holder_code_and_status(db, school, register):
    first, second, third = register
    coordinator = school.coordinator
    assert serials(db, coordinator) == [third.serial, second.serial, first.serial]  # newest first
    assert serials(db, coordinator, first.serial.lower()) == [first.serial]
    assert serials(db, coordinator, first.serial[3:9]) == [first.serial]
    assert serials(db, coordinator, "berzins") == [second.serial, first.serial]
    assert serials(db, coordinator, "KALNIŅA līga") == [third.serial]
    assert serials(db, coordinator, "er-2026") == [second.serial, first.serial]
    assert serials(db, coordinator, "revoked") == [first.serial]
    assert serials(db, coordinator, "berzins issued") == [second.serial]
    assert serials(db, coordinator, "berzins", status="revoked") == [first.serial]
    assert serials(db, coordinator, "", status="issued") == [third.serial, second.serial]
    set_language("lv")
    try:
        assert serials(db, coordinator, "atsaukt") == [first.serial]
    finally:
        set_language("en")


def test_the_register_matches_percent_and_underscore_literally(db, school, register):
    third = register[2]
    # unescaped, "%" and "_" would match every certificate
    assert serials(db, school.coordinator, "%") == [third.serial]
    assert serials(db, school.coordinator, "_") == [third.serial]
    assert serials(db, school.coordinator, "1_50%-fi") == [third.serial]
    assert serials(db, school.coordinator, "1%50") == []


def test_a_register_search_is_limited_and_counts_all_found(db, school, register):
    page = certificates.search_register(db, school.coordinator, "", limit=1)
    assert [(c.serial, c.issued_by) for c in page.certificates] == [(register[2].serial, "Coord")]
    assert page.total == 3
    with pytest.raises(PermissionDenied):
        certificates.search_register(db, school.teacher, "")


def test_case_marks_give_each_case_its_stage_and_gap(db, school):
    complete_self_assessment(db, school.learner, school.mobility_id, "after", lambda c: 6)
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(
        db, school.teacher, case.id, [TargetDraft("1.1", 6), TargetDraft("2.1", 3)]
    )
    other = learners.create(db, school.coordinator, "Pēteris", "Ozols", dt.date(2007, 1, 1))
    mobilities.add_participants(db, school.coordinator, school.mobility_id, [other.id])
    quiet = validation.open_case(db, school.teacher, other.id, school.mobility_id)
    validation.set_targets(db, school.teacher, quiet.id, [TargetDraft("1.1", 2)])
    validation.advance(db, school.teacher, quiet.id)

    marks = {m.case_id: m for m in validation.case_marks(db, school.teacher)}
    # 2.1: own rating 6, target 3 → ⚑; 1.1: 6 and 6 → none; no self-assessment → none
    assert (marks[case.id].stage, marks[case.id].flagged) == ("identification", ("2.1",))
    assert (marks[quiet.id].stage, marks[quiet.id].gap) == ("documentation", False)
    assert validation.case_marks(db, school.other_teacher) == []
    assert [m.case_id for m in validation.case_marks(db, school.coordinator, "documentation")] == [
        quiet.id
    ]
    assert validation.case_marks(db, school.coordinator, "no\0stage") == []
    with pytest.raises(PermissionDenied):
        validation.case_marks(db, school.learner)
