"""Several answers of one self-assessment saved at once (``self_assessment.answer_many``):
checked as one answer is, all saved or none, only on the learner's own sheet."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from digcomp_app.framework import builtin_library
from digcomp_app.framework.moodle import import_csv
from digcomp_app.services import accounts, frameworks_library, learners, self_assessment
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, PermissionDenied, WorkflowError
from digcomp_app.services.self_assessment import Answer
from digcomp_app.storage.models import AuditEvent, SelfAssessmentAnswer
from tests.conftest import DATA
from tests.services.conftest import FAST_HASHER, PASSWORD, sign


@pytest.fixture
def two_learners(db):
    """An empty database with two learners who can sign in."""
    accounts.create_first_administrator(db, None, "admin", "Anna Admina", PASSWORD)
    admin = sign(db, "admin")
    accounts.create_user(db, admin, "coord", "Coord", PASSWORD, ["coordinator"])
    coordinator = sign(db, "coord")
    for username, first, last in (("janis", "Jānis", "Bērziņš"), ("liga", "Līga", "Kalniņa")):
        learner = learners.create(db, coordinator, first, last)
        accounts.create_user(
            db, admin, username, first, PASSWORD, ["learner"], learner_id=learner.id
        )
    return sign(db, "janis"), sign(db, "liga")


def saved(db, assessment_id):
    with db.transaction() as session:
        rows = session.scalars(
            select(SelfAssessmentAnswer)
            .where(SelfAssessmentAnswer.self_assessment_id == assessment_id)
            .order_by(SelfAssessmentAnswer.competence_id)
        )
        return [(r.competence_id, r.level, list(r.ticked or ()), r.note) for r in rows]


def test_several_answers_are_saved_at_once_and_can_be_changed(db, two_learners):
    janis, _liga = two_learners
    started = self_assessment.start(db, janis)
    result = self_assessment.answer_many(
        db,
        janis,
        started.id,
        [
            Answer("1.1", 3, ("CS1.1.05", "CS1.1.05"), "  Google\r\nand Bing "),
            Answer("1.2", None, (), ""),
            Answer("2.1", 5, (), ""),
        ],
    )
    assert result.answer_for("1.1") == Answer("1.1", 3, ("CS1.1.05",), "Google\nand Bing")
    assert result.answer_for("1.2") == Answer("1.2", None, (), "")
    assert saved(db, started.id) == [
        ("1.1", 3, ["CS1.1.05"], "Google\nand Bing"),
        ("1.2", None, [], ""),
        ("2.1", 5, [], ""),
    ]
    # A second batch changes what was answered and adds the rest, in the order given.
    self_assessment.answer_many(
        db,
        janis,
        started.id,
        [Answer("2.1", 2, (), ""), Answer("2.2", 4, (), ""), Answer("2.2", 1, (), "")],
    )
    assert saved(db, started.id)[2:] == [("2.1", 2, [], ""), ("2.2", 1, [], "")]
    assert self_assessment.get(db, janis, started.id).answer_for("1.1").level == 3


@pytest.mark.parametrize(
    ("bad", "field", "named"),
    [
        (Answer("2.2", 9, (), ""), "level", "2.2"),
        (Answer("9.9", 3, (), ""), "competence", "9.9"),
        (Answer("2.2", 3, ("CS1.1.05",), ""), "ticked", "2.2"),
        (Answer("2.2", 3, (), "bell\x07"), "note", "2.2"),
    ],
    ids=["level", "competence", "ticked", "note"],
)
def test_one_bad_answer_refuses_the_whole_batch_and_names_it(db, two_learners, bad, field, named):
    janis, _liga = two_learners
    started = self_assessment.start(db, janis)
    self_assessment.answer(db, janis, started.id, "1.1", 2)
    with pytest.raises(InvalidInput) as refused:
        self_assessment.answer_many(
            db, janis, started.id, [Answer("1.1", 4, (), ""), bad, Answer("2.3", 1, (), "")]
        )
    assert refused.value.field == field
    assert f"The answer for competence {named} is refused: " in str(refused.value)
    assert saved(db, started.id) == [("1.1", 2, [], "")]  # nothing of the batch was kept


def test_another_learners_sheet_is_refused_and_audited(db, two_learners):
    janis, liga = two_learners
    started = self_assessment.start(db, janis)
    with pytest.raises(PermissionDenied):
        self_assessment.answer_many(db, liga, started.id, [Answer("1.1", 1, (), "")])
    assert saved(db, started.id) == []
    with db.transaction() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
        assert (event.actor, event.action, event.outcome, event.entity_id) == (
            "liga",
            "self_assessment.answer_many",
            "denied",
            str(started.id),
        )


def test_a_finished_sheet_takes_no_more_answers(db, two_learners):
    janis, _liga = two_learners
    started = self_assessment.start(db, janis)
    competences = [c.id for c in builtin_library().default().competences()]
    self_assessment.answer_many(db, janis, started.id, [Answer(c, 2, (), "") for c in competences])
    self_assessment.complete(db, janis, started.id)
    with pytest.raises(WorkflowError):
        self_assessment.answer_many(db, janis, started.id, [Answer("1.1", 5, (), "")])
    assert {level for _c, level, _t, _n in saved(db, started.id)} == {2}


def test_a_framework_another_pc_adds_is_answered_at_once(db, two_learners, tmp_path):
    """The services read the school's frameworks in their own transaction: what another PC
    added a moment ago is there, also after this PC kept the library of the ones before."""
    janis, _liga = two_learners
    other_pc = Database(db.url, password_hasher=FAST_HASHER)
    try:
        admin = sign(other_pc, "admin")
        for version in ("1.0", "2.0"):
            with pytest.raises(InvalidInput, match=f"school-dl {version} is not installed"):
                self_assessment.start(db, janis, "school-dl", version)
            folder = tmp_path / version
            import_csv(DATA / "moodle" / "small-framework.csv", version=version).write(folder)
            frameworks_library.add(other_pc, admin, folder)
            started = self_assessment.start(db, janis, "school-dl", version)
            [competence, *_rest] = (
                frameworks_library.library_of(db).get("school-dl", version).competences()
            )
            answered = self_assessment.answer_many(
                db, janis, started.id, [Answer(competence.id, 1, (), "")]
            )
            assert answered.answer_for(competence.id).level == 1
    finally:
        other_pc.close()
