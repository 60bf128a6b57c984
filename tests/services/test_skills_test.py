"""The skills test as a learner takes it, and who may read it."""

from __future__ import annotations

import pytest

from digcomp_app.framework.digcompsat import builtin_bank
from digcomp_app.services import skills_test
from digcomp_app.services.errors import InvalidInput, PermissionDenied, WorkflowError
from tests.services.conftest import complete_self_assessment


def take(db, learner, mobility_id=None, moment="other", language="lv", value_for=None):
    """Answer all 82 items (``value_for(item)``: 0-3 or None) and finish."""
    started = skills_test.start(db, learner, language, mobility_id=mobility_id, moment=moment)
    for item in builtin_bank().items:
        skills_test.answer(db, learner, started.id, item.id, value_for(item) if value_for else 2)
    return skills_test.complete(db, learner, started.id)


def test_answers_are_saved_as_they_go_and_the_test_resumes(db, school):
    started = skills_test.start(db, school.learner, "lv", school.mobility_id, "before")
    skills_test.answer(db, school.learner, started.id, "Q1", 3)
    skills_test.answer(db, school.learner, started.id, "Q2", None)  # unclear (Latvian)
    skills_test.answer(db, school.learner, started.id, "Q1", 1)  # changed
    again = skills_test.start(db, school.learner, "en", school.mobility_id, "before")
    assert again.id == started.id and again.language == "lv"
    assert dict(again.answers) == {"Q1": 1, "Q2": None}
    assert again.next_open(builtin_bank()) == 2
    with pytest.raises(WorkflowError, match="Still open: Q3"):
        skills_test.complete(db, school.learner, started.id)


def test_unclear_only_where_the_bank_offers_it(db, school):
    started = skills_test.start(db, school.learner, "en")
    with pytest.raises(InvalidInput):
        skills_test.answer(db, school.learner, started.id, "Q1", None)
    with pytest.raises(InvalidInput):
        skills_test.answer(db, school.learner, started.id, "Q1", 4)
    with pytest.raises(InvalidInput):
        skills_test.answer(db, school.learner, started.id, "Q99", 1)
    with pytest.raises(InvalidInput):
        skills_test.start(db, school.learner, "nl", moment="before")


def test_a_finished_test_is_scored_beside_the_self_assessment(db, school):
    complete_self_assessment(
        db, school.learner, school.mobility_id, "before", lambda c: 6 if c == "1.1" else 3
    )
    done = take(
        db,
        school.learner,
        school.mobility_id,
        "before",
        value_for=lambda item: 1 if item.competence == "1.1" else 2,
    )
    assert done.completed_at is not None
    with pytest.raises(WorkflowError):
        skills_test.answer(db, school.learner, done.id, "Q1", 3)
    found = skills_test.result(db, school.learner, done.id)
    first = found.compared_for("1.1")
    # 1.1: all answers 1 -> 33 % Foundation (levels 1-2); own level 6 -> 4 levels away
    assert (first.percent, first.band.id, first.own_level) == (33, "foundation", 6)
    assert first.difference == 4 and first.large
    other = found.compared_for("2.1")  # 67 % Intermediate (3-4), own 3
    assert (other.band.id, other.difference, other.large) == ("intermediate", 0, False)
    assert found.self_assessment_id is not None
    assert found.result.competence("1.1").by_type["knowledge"].percent == 33


def test_before_and_after_a_mobility(db, school):
    take(db, school.learner, school.mobility_id, "before", value_for=lambda i: 1)
    take(db, school.learner, school.mobility_id, "after", value_for=lambda i: 3)
    compared = skills_test.compare(db, school.learner, school.learner_id, school.mobility_id)
    row = next(r for r in compared.competences if r.id == "3.4")
    assert (row.before, row.after, row.change) == (33, 100, 67)
    assert (row.before_band.id, row.after_band.id) == ("foundation", "advanced")
    assert len(compared.areas) == 5 and len(compared.competences) == 21


def test_suggestions_for_the_teacher_come_from_the_before_test(db, school):
    assert skills_test.suggestions(db, school.teacher, school.learner_id, school.mobility_id) == {}
    take(db, school.learner, school.mobility_id, "before", value_for=lambda i: 2)
    take(db, school.learner, school.mobility_id, "after", value_for=lambda i: 3)
    found = skills_test.suggestions(db, school.teacher, school.learner_id, school.mobility_id)
    assert len(found) == 21
    assert found["1.1"].band.id == "intermediate" and found["1.1"].percent == 67


def test_who_may_read_and_take_a_test(db, school):
    done = take(db, school.learner)
    # a teacher of the learner, the coordinator and the administrator read it
    for reader in (school.teacher, school.coordinator, school.admin):
        assert skills_test.get(db, reader, done.id).id == done.id
        assert len(skills_test.history(db, reader, school.learner_id)) == 1
    # another teacher and another learner may not
    for stranger in (school.other_teacher, school.other_learner):
        with pytest.raises(PermissionDenied):
            skills_test.get(db, stranger, done.id)
        with pytest.raises(PermissionDenied):
            skills_test.result(db, stranger, done.id)
    # only a learner takes a test, and only their own
    with pytest.raises(PermissionDenied):
        skills_test.start(db, school.teacher, "lv")
    mine = skills_test.start(db, school.learner, "lv", moment="after")
    with pytest.raises(PermissionDenied):
        skills_test.answer(db, school.other_learner, mine.id, "Q1", 2)
    with pytest.raises(PermissionDenied):
        skills_test.answer(db, school.teacher, mine.id, "Q1", 2)


def test_erasing_a_learner_removes_their_tests(db, school):
    from digcomp_app.services import erasure

    take(db, school.learner)
    skills_test.start(db, school.learner, "lv", moment="after")
    assert len(skills_test.history(db, school.coordinator, school.learner_id)) == 2
    erasure.erase_learner(db, school.admin, school.learner_id, "Jānis Bērziņš")
    assert skills_test.history(db, school.coordinator, school.learner_id) == []
