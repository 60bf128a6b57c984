"""A learner's self-assessments: answered one competence at a time, kept as history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypeVar

from sqlalchemy import select, update
from sqlalchemy.orm import Session, lazyload

from digcomp_app.framework import Framework
from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, WorkflowError
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, deny_object, service
from digcomp_app.services.scope import require_learner
from digcomp_app.storage.models import (
    MobilityParticipant,
    SelfAssessment,
    SelfAssessmentAnswer,
    SkillsTest,
    utcnow,
)

MOMENTS = ("before", "after", "other")
#: what is "finished" per learner, mobility and moment: a self-assessment or a skills test
Finished = TypeVar("Finished", SelfAssessment, SkillsTest)
#: the longest note a learner may add to an answer, in characters
MAX_NOTE = 2000


@dataclass(frozen=True, slots=True)
class Answer:
    competence_id: str
    level: int | None  # None: "not yet"
    ticked: tuple[str, ...]
    note: str


@dataclass(frozen=True, slots=True)
class SelfAssessmentInfo:
    id: int
    learner_id: int
    mobility_id: int | None
    framework_id: str
    framework_version: str
    moment: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    answers: tuple[Answer, ...]

    def answer_for(self, competence_id: str) -> Answer | None:
        return next((a for a in self.answers if a.competence_id == competence_id), None)


@dataclass(frozen=True, slots=True)
class ComparisonRow:
    competence_id: str
    before: int | None
    after: int | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class Comparison:
    before_id: int | None
    after_id: int | None
    rows: tuple[ComparisonRow, ...]


def info(row: SelfAssessment, answers: tuple[Answer, ...] | None = None) -> SelfAssessmentInfo:
    """The self-assessment as the services return it; its ``answers`` read from ``row``
    unless given (in the order they were first given)."""
    return SelfAssessmentInfo(
        row.id,
        row.learner_id,
        row.mobility_id,
        row.framework_id,
        row.framework_version,
        row.moment,
        row.started_at,
        row.completed_at,
        tuple(Answer(a.competence_id, a.level, tuple(a.ticked or ()), a.note) for a in row.answers)
        if answers is None
        else answers,
    )


def _framework(db: Database, session: Session, framework_id: str, version: str) -> Framework:
    framework = library_of(db, session).find(framework_id, version)
    if framework is None:
        raise InvalidInput(
            "framework",
            _("The framework {id} {version} is not installed.").format(
                id=framework_id, version=version
            ),
        )
    return framework


def _own(
    session: Session, actor: Actor, assessment_id: int, *, answers: bool = True
) -> SelfAssessment:
    """The actor's own self-assessment; its answers loaded with it unless ``answers`` is
    False."""
    row = session.get(
        SelfAssessment,
        assessment_id,
        options=() if answers else (lazyload(SelfAssessment.answers),),
    )
    if row is None:
        raise NotFound(
            _("There is no self-assessment with the number {id}.").format(id=assessment_id)
        )
    if row.learner_id != actor.learner_id:
        deny_object("self_assessment", assessment_id)
    return row


@service("self_assessment.start")
def start(
    db: Database,
    actor: Actor,
    framework_id: str = "digcomp",
    framework_version: str = "3.0",
    mobility_id: int | None = None,
    moment: str = "other",
) -> SelfAssessmentInfo:
    """Begin a new self-assessment, or return the unfinished one for the same purpose."""
    if actor.learner_id is None:
        raise InvalidInput("learner", _("Your account is not linked to a learner record."))
    if moment not in MOMENTS:
        raise InvalidInput("moment", _("Unknown moment: {moment}").format(moment=moment))
    with db.transaction() as session:
        _framework(db, session, framework_id, framework_version)
        if (
            mobility_id is not None
            and session.get(MobilityParticipant, (mobility_id, actor.learner_id)) is None
        ):
            deny_object("mobility", mobility_id)
        unfinished = session.scalar(
            select(SelfAssessment).where(
                SelfAssessment.learner_id == actor.learner_id,
                SelfAssessment.completed_at.is_(None),
                SelfAssessment.framework_id == framework_id,
                SelfAssessment.framework_version == framework_version,
                SelfAssessment.mobility_id.is_(None)
                if mobility_id is None
                else SelfAssessment.mobility_id == mobility_id,
                SelfAssessment.moment == moment,
            )
        )
        if unfinished is not None:
            return info(unfinished)
        row = SelfAssessment(
            learner_id=actor.learner_id,
            mobility_id=mobility_id,
            framework_id=framework_id,
            framework_version=framework_version,
            moment=moment,
        )
        session.add(row)
        session.flush()
        append(session, actor.username, "self_assessment.start", "ok", "self_assessment", row.id)
        return info(row)


@service("self_assessment.answer")
def answer(
    db: Database,
    actor: Actor,
    assessment_id: int,
    competence_id: str,
    level: int | None,
    ticked: tuple[str, ...] = (),
    note: str = "",
) -> SelfAssessmentInfo:
    """Save one answer at once (``level`` None means "not yet"); may be changed later."""
    note = clean_text(note, "note", _("note"), MAX_NOTE, multiline=True)
    with db.transaction() as session:
        row, framework = _open_for_answers(db, session, actor, assessment_id, answers=False)
        checked = _checked(framework, Answer(competence_id, level, tuple(ticked), note))
        # The earlier answers as plain rows, not loaded as objects: only the one answered
        # now is written.
        given = session.execute(
            select(
                SelfAssessmentAnswer.id,
                SelfAssessmentAnswer.competence_id,
                SelfAssessmentAnswer.level,
                SelfAssessmentAnswer.ticked,
                SelfAssessmentAnswer.note,
            )
            .where(SelfAssessmentAnswer.self_assessment_id == row.id)
            .order_by(SelfAssessmentAnswer.id)
        ).all()
        values = {
            "level": checked.level,
            "ticked": list(checked.ticked),
            "note": checked.note,
            "answered_at": utcnow(),
        }
        existing = next((a.id for a in given if a.competence_id == competence_id), None)
        if existing is None:
            session.add(
                SelfAssessmentAnswer(
                    self_assessment_id=row.id, competence_id=competence_id, **values
                )
            )
        else:
            session.execute(
                update(SelfAssessmentAnswer)
                .where(SelfAssessmentAnswer.id == existing)
                .values(**values)
            )
        session.flush()
        answers = {
            a.competence_id: Answer(a.competence_id, a.level, tuple(a.ticked or ()), a.note)
            for a in given
        }
        answers[competence_id] = checked  # a new answer comes last, as its id does
        return info(row, tuple(answers.values()))


@service("self_assessment.answer_many")
def answer_many(
    db: Database, actor: Actor, assessment_id: int, answers: Sequence[Answer]
) -> SelfAssessmentInfo:
    """Save several answers in one go, checked as :func:`answer` checks each; all are saved
    or, when one is refused, none (the refusal names its competence). Saved in the order
    given, as if answered one after the other."""
    cleaned = []
    for given in answers:
        try:
            note = clean_text(given.note, "note", _("note"), MAX_NOTE, multiline=True)
        except InvalidInput as error:
            raise _refused_answer(given.competence_id, error) from None
        cleaned.append(Answer(given.competence_id, given.level, tuple(given.ticked), note))
    with db.transaction() as session:
        row, framework = _open_for_answers(db, session, actor, assessment_id)
        for given in cleaned:
            try:
                _put(row, framework, given)
            except InvalidInput as error:
                raise _refused_answer(given.competence_id, error) from None
        session.flush()
        return info(row)


def _refused_answer(competence_id: str, error: InvalidInput) -> InvalidInput:
    return InvalidInput(
        error.field,
        _("The answer for competence {id} is refused: {problem}").format(
            id=competence_id, problem=str(error)
        ),
    )


def _open_for_answers(
    db: Database, session: Session, actor: Actor, assessment_id: int, *, answers: bool = True
) -> tuple[SelfAssessment, Framework]:
    """The actor's own unfinished self-assessment (with its answers unless ``answers`` is
    False) and its framework."""
    row = _own(session, actor, assessment_id, answers=answers)
    if row.completed_at is not None:
        raise WorkflowError(
            _("This self-assessment is finished; start a new one to change your answers.")
        )
    return row, _framework(db, session, row.framework_id, row.framework_version)


def _put(row: SelfAssessment, framework: Framework, given: Answer) -> None:
    """Check one answer (its note already cleaned) against the framework and save it."""
    checked = _checked(framework, given)
    existing = next((a for a in row.answers if a.competence_id == checked.competence_id), None)
    if existing is None:
        existing = SelfAssessmentAnswer(competence_id=checked.competence_id)
        row.answers.append(existing)
    existing.level = checked.level
    existing.ticked = list(checked.ticked)
    existing.note = checked.note
    existing.answered_at = utcnow()


def _checked(framework: Framework, given: Answer) -> Answer:
    """One answer (its note already cleaned) checked against the framework; as it is
    saved: each ticked item once."""
    competence_id, level, ticked = given.competence_id, given.level, given.ticked
    try:
        competence = framework.competence(competence_id)
    except KeyError:
        raise InvalidInput(
            "competence",
            _("There is no competence {id} in {framework}.").format(
                id=competence_id, framework=framework.label
            ),
        ) from None
    if level is not None and level not in {lv.number for lv in framework.levels}:
        raise InvalidInput(
            "level",
            _("There is no level {level} in {framework}.").format(
                level=level, framework=framework.label
            ),
        )
    known = {s.id for s in competence.statements} | {o.id for o in competence.learning_outcomes}
    unknown = [item for item in ticked if item not in known]
    if unknown:
        raise InvalidInput(
            "ticked",
            _("These do not belong to competence {id}: {items}").format(
                id=competence_id, items=", ".join(unknown)
            ),
        )
    return Answer(competence_id, level, tuple(dict.fromkeys(ticked)), given.note)


@service("self_assessment.complete")
def complete(db: Database, actor: Actor, assessment_id: int) -> SelfAssessmentInfo:
    with db.transaction() as session:
        row = _own(session, actor, assessment_id)
        framework = _framework(db, session, row.framework_id, row.framework_version)
        answered = {a.competence_id for a in row.answers}
        missing = [c.id for c in framework.competences() if c.id not in answered]
        if missing:
            raise WorkflowError(
                _(
                    'Answer every competence first ("not yet" is an answer). Still open: {ids}'
                ).format(ids=", ".join(missing))
            )
        if row.completed_at is None:
            row.completed_at = utcnow()
            append(
                session, actor.username, "self_assessment.complete", "ok", "self_assessment", row.id
            )
        return info(row)


@service("self_assessment.get")
def get(db: Database, actor: Actor, assessment_id: int) -> SelfAssessmentInfo:
    with db.transaction() as session:
        row = session.get(SelfAssessment, assessment_id)
        if row is None:
            raise NotFound(
                _("There is no self-assessment with the number {id}.").format(id=assessment_id)
            )
        require_learner(session, actor, row.learner_id)
        return info(row)


@service("self_assessment.history")
def history(db: Database, actor: Actor, learner_id: int) -> list[SelfAssessmentInfo]:
    with db.transaction() as session:
        require_learner(session, actor, learner_id)
        rows = session.scalars(
            select(SelfAssessment)
            .where(SelfAssessment.learner_id == learner_id)
            .order_by(SelfAssessment.started_at, SelfAssessment.id)
        )
        return [info(r) for r in rows]


def latest_finished(
    session: Session,
    model: type[Finished],
    learner_id: int,
    mobility_id: int | None = None,
    moment: str | None = None,
) -> Finished | None:
    """The learner's newest finished self-assessment or skills test (``model``), of a mobility
    and a moment when given."""
    query = select(model).where(model.learner_id == learner_id, model.completed_at.is_not(None))
    if mobility_id is not None:
        query = query.where(model.mobility_id == mobility_id)
    if moment is not None:
        query = query.where(model.moment == moment)
    return session.scalar(query.order_by(model.completed_at.desc(), model.id.desc()).limit(1))


def latest_completed(
    session: Session, learner_id: int, mobility_id: int | None = None, moment: str | None = None
) -> SelfAssessment | None:
    return latest_finished(session, SelfAssessment, learner_id, mobility_id, moment)


@service("self_assessment.compare")
def compare(
    db: Database, actor: Actor, learner_id: int, mobility_id: int | None = None
) -> Comparison:
    """Before/after per competence: the mobility's "before" and "after" self-assessments,
    or else the learner's first and last completed ones."""
    with db.transaction() as session:
        require_learner(session, actor, learner_id)
        before = latest_completed(session, learner_id, mobility_id, "before")
        after = latest_completed(session, learner_id, mobility_id, "after")
        if before is None or after is None:
            done = session.scalars(
                select(SelfAssessment)
                .where(
                    SelfAssessment.learner_id == learner_id,
                    SelfAssessment.completed_at.is_not(None),
                )
                .order_by(SelfAssessment.completed_at, SelfAssessment.id)
            ).all()
            before, after = (
                (done[0], done[-1]) if len(done) >= 2 else (done[0] if done else None, None)
            )
        before_levels = {a.competence_id: a.level for a in before.answers} if before else {}
        after_levels = {a.competence_id: a.level for a in after.answers} if after else {}
        either = before or after
        framework_key = (
            (either.framework_id, either.framework_version) if either else ("digcomp", "3.0")
        )
        framework = library_of(db, session).get(*framework_key)
        rows = tuple(
            ComparisonRow(c.id, before_levels.get(c.id), after_levels.get(c.id))
            for c in framework.competences()
        )
        return Comparison(before.id if before else None, after.id if after else None, rows)


# --- the numbers shown on screen and on paper ---------------------------------------------
#
# The results screen and the profile report take their averages and counts from here, so
# the two always agree. "Not yet" is not a level: it is left out of an area's average, and
# the count of rated competences ("3 of 5 rated") says how many the average stands on.


@dataclass(frozen=True, slots=True)
class AreaScore:
    area_id: str
    #: the mean level of the rated competences (None when none of them is rated)
    average: float | None
    rated: int
    total: int

    @property
    def shown(self) -> float | None:
        """The average as shown and printed: one decimal."""
        return None if self.average is None else round(self.average, 1)


@dataclass(frozen=True, slots=True)
class Scores:
    areas: tuple[AreaScore, ...]
    #: competences with a level, of all the framework's competences
    rated: int
    total: int

    def area(self, area_id: str) -> AreaScore:
        return next(a for a in self.areas if a.area_id == area_id)


@dataclass(frozen=True, slots=True)
class Changes:
    """Competences compared between two self-assessments."""

    higher: int
    same: int
    lower: int
    #: rated both times (the ones counted above)
    compared: int
    #: "not yet" before, a level after
    newly_rated: int
    total: int


def scores(framework: Framework, levels: Mapping[str, int | None]) -> Scores:
    """Each area's average level and how many of its competences are rated."""
    areas = []
    for area in framework.areas:
        given = [level for c in area.competences if (level := levels.get(c.id)) is not None]
        average = sum(given) / len(given) if given else None
        areas.append(AreaScore(area.id, average, len(given), len(area.competences)))
    return Scores(tuple(areas), sum(a.rated for a in areas), sum(a.total for a in areas))


def level_change(before: float | None, after: float | None) -> float | None:
    """After minus before; None unless both are rated ("not yet" is not a level 0)."""
    if before is None or after is None:
        return None
    return after - before


def changes(pairs: Sequence[tuple[int | None, int | None]]) -> Changes:
    """How many of the (before, after) levels went up, stayed and went down."""
    higher = same = lower = newly = 0
    for before, after in pairs:
        change = level_change(before, after)
        if change is None:
            newly += before is None and after is not None
            continue
        higher += change > 0
        same += change == 0
        lower += change < 0
    return Changes(higher, same, lower, higher + same + lower, newly, len(pairs))
