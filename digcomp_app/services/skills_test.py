"""The DigCompSAT skills test: 82 items answered one at a time, saved as they are answered,
scored into a suggested level band per competence (``framework.digcompsat``).

Like self-assessments, a test is taken for a purpose: before or after one of the learner's
mobilities, or other; the unfinished one for the same purpose is continued. The result is
the learner's self-reflection: it is shown beside their own level ratings and offered to
the teacher's identification stage as a suggestion, never recorded as an assessment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.orm import Session, lazyload

from digcomp_app.framework.digcompsat import (
    AnswerValue,
    Band,
    ItemBank,
    Profile,
    Result,
    builtin_bank,
    large_difference,
    level_difference,
    score,
)
from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, WorkflowError
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.services.scope import require_learner
from digcomp_app.services.self_assessment import MOMENTS, latest_completed, latest_finished
from digcomp_app.storage.models import MobilityParticipant, SkillsTest, SkillsTestAnswer, utcnow


@dataclass(frozen=True, slots=True)
class SkillsTestInfo:
    id: int
    learner_id: int
    mobility_id: int | None
    moment: str
    #: the language of the items: "lv" or "en"
    language: str
    started_at: dt.datetime
    completed_at: dt.datetime | None
    #: item id -> 0-3, or None for "unclear to me"
    answers: Mapping[str, AnswerValue]

    @property
    def answered(self) -> int:
        return len(self.answers)

    def next_open(self, bank: ItemBank) -> int:
        """The index of the first item not answered yet (the number of items when none)."""
        return next((n for n, i in enumerate(bank.items) if i.id not in self.answers), len(bank))


@dataclass(frozen=True, slots=True)
class ComparedCompetence:
    competence_id: str
    #: the test's band and score (None: no item answered on the scale)
    band: Band | None
    percent: int | None
    #: the learner's own level in their latest finished self-assessment (None: "not yet"
    #: or not rated)
    own_level: int | None
    rated: bool
    #: levels between the own level and the band (None without a band)
    difference: int | None
    large: bool


@dataclass(frozen=True, slots=True)
class TestResult:
    test: SkillsTestInfo
    result: Result
    #: per competence: the test beside the learner's own rating
    compared: tuple[ComparedCompetence, ...]
    #: the self-assessment compared with (None: the learner has finished none)
    self_assessment_id: int | None

    def compared_for(self, competence_id: str) -> ComparedCompetence:
        return next(c for c in self.compared if c.competence_id == competence_id)


@dataclass(frozen=True, slots=True)
class BeforeAfterRow:
    id: str  # a competence or area id
    before: int | None  # per cent
    after: int | None
    before_band: Band | None
    after_band: Band | None

    @property
    def change(self) -> int | None:
        if self.before is None or self.after is None:
            return None
        return self.after - self.before


@dataclass(frozen=True, slots=True)
class BeforeAfter:
    before_id: int | None
    after_id: int | None
    competences: tuple[BeforeAfterRow, ...]
    areas: tuple[BeforeAfterRow, ...]


@dataclass(frozen=True, slots=True)
class Suggestion:
    """What a finished test suggests for one competence (for the teacher: not an assessment)."""

    competence_id: str
    band: Band
    percent: int
    test_id: int
    taken_on: dt.datetime


LANGUAGES = ("lv", "en")


def info(row: SkillsTest, answers: Mapping[str, AnswerValue] | None = None) -> SkillsTestInfo:
    """The test as the services return it; its ``answers`` (item -> value, in the order
    they were first given) read from ``row`` unless given."""
    return SkillsTestInfo(
        row.id,
        row.learner_id,
        row.mobility_id,
        row.moment,
        row.language,
        row.started_at,
        row.completed_at,
        {a.item_id: a.value for a in row.answers} if answers is None else answers,
    )


def _may_read(session: Session, actor: Actor, learner_id: int) -> None:
    """Learners their own; teachers their learners; coordinators and administrators all."""
    if actor.has(Role.ADMINISTRATOR):
        return
    require_learner(session, actor, learner_id)


def _own(session: Session, actor: Actor, test_id: int, *, answers: bool = True) -> SkillsTest:
    """The actor's own test; its answers loaded with it unless ``answers`` is False."""
    row = session.get(
        SkillsTest, test_id, options=() if answers else (lazyload(SkillsTest.answers),)
    )
    if row is None:
        raise NotFound(_("There is no skills test with the number {id}.").format(id=test_id))
    if row.learner_id != actor.learner_id:
        deny_object("skills_test", test_id)
    return row


def _readable(session: Session, actor: Actor, test_id: int) -> SkillsTest:
    row = session.get(SkillsTest, test_id)
    if row is None:
        raise NotFound(_("There is no skills test with the number {id}.").format(id=test_id))
    _may_read(session, actor, row.learner_id)
    return row


@service("skills_test.start")
def start(
    db: Database,
    actor: Actor,
    language: str = "en",
    mobility_id: int | None = None,
    moment: str = "other",
) -> SkillsTestInfo:
    """Begin a skills test, or return the unfinished one for the same purpose (its answers
    kept; the language it was begun in stays)."""
    if actor.learner_id is None:
        raise InvalidInput("learner", _("Your account is not linked to a learner record."))
    if moment not in MOMENTS:
        raise InvalidInput("moment", _("Unknown moment: {moment}").format(moment=moment))
    if language not in LANGUAGES:
        raise InvalidInput(
            "language",
            _("The skills test is in Latvian or English, not {language}.").format(
                language=language
            ),
        )
    with db.transaction() as session:
        if (
            mobility_id is not None
            and session.get(MobilityParticipant, (mobility_id, actor.learner_id)) is None
        ):
            deny_object("mobility", mobility_id)
        unfinished = session.scalar(
            select(SkillsTest)
            .where(
                SkillsTest.learner_id == actor.learner_id,
                SkillsTest.completed_at.is_(None),
                SkillsTest.mobility_id.is_(None)
                if mobility_id is None
                else SkillsTest.mobility_id == mobility_id,
                SkillsTest.moment == moment,
            )
            .order_by(SkillsTest.id.desc())
            .limit(1)
        )
        if unfinished is not None:
            return info(unfinished)
        row = SkillsTest(
            learner_id=actor.learner_id, mobility_id=mobility_id, moment=moment, language=language
        )
        session.add(row)
        session.flush()
        append(session, actor.username, "skills_test.start", "ok", "skills_test", row.id)
        return info(row)


@service("skills_test.answer")
def answer(
    db: Database, actor: Actor, test_id: int, item_id: str, value: AnswerValue
) -> SkillsTestInfo:
    """Save one answer at once: 0-3 on the item's scale, None for "unclear to me" (only
    where the bank offers it in the test's language); may be changed until finished."""
    bank = builtin_bank()
    if not bank.has_item(item_id):
        raise InvalidInput(
            "item", _("There is no item {id} in the skills test.").format(id=item_id)
        )
    item = bank.item(item_id)
    if value is not None and not 0 <= value <= 3:
        raise InvalidInput("value", _("An answer is one of the four choices."))
    with db.transaction() as session:
        row = _own(session, actor, test_id, answers=False)
        if row.completed_at is not None:
            raise WorkflowError(
                _("This skills test is finished; start a new one to change your answers.")
            )
        if value is None and bank.unclear_text(item, row.language) is None:
            raise InvalidInput(
                "value", _('"Unclear to me" is not one of the choices for this item.')
            )
        # The earlier answers as plain rows (up to 82 per test), not loaded as objects:
        # only the one answered now is written.
        given = session.execute(
            select(SkillsTestAnswer.id, SkillsTestAnswer.item_id, SkillsTestAnswer.value)
            .where(SkillsTestAnswer.skills_test_id == row.id)
            .order_by(SkillsTestAnswer.id)
        ).all()
        existing = next((a.id for a in given if a.item_id == item_id), None)
        if existing is None:
            session.add(
                SkillsTestAnswer(
                    skills_test_id=row.id, item_id=item_id, value=value, answered_at=utcnow()
                )
            )
        else:
            session.execute(
                update(SkillsTestAnswer)
                .where(SkillsTestAnswer.id == existing)
                .values(value=value, answered_at=utcnow())
            )
        session.flush()
        answers = {a.item_id: a.value for a in given}
        answers[item_id] = value  # a new answer comes last, as its id does
        return info(row, answers)


@service("skills_test.complete")
def complete(db: Database, actor: Actor, test_id: int) -> SkillsTestInfo:
    bank = builtin_bank()
    with db.transaction() as session:
        row = _own(session, actor, test_id)
        answered = {a.item_id for a in row.answers}
        missing = [i.id for i in bank.items if i.id not in answered]
        if missing:
            raise WorkflowError(
                _("Answer every item first. Still open: {ids}").format(ids=", ".join(missing))
            )
        if row.completed_at is None:
            row.completed_at = utcnow()
            append(session, actor.username, "skills_test.complete", "ok", "skills_test", row.id)
        return info(row)


@service("skills_test.get")
def get(db: Database, actor: Actor, test_id: int) -> SkillsTestInfo:
    with db.transaction() as session:
        return info(_readable(session, actor, test_id))


@service("skills_test.history")
def history(db: Database, actor: Actor, learner_id: int) -> list[SkillsTestInfo]:
    with db.transaction() as session:
        _may_read(session, actor, learner_id)
        rows = session.scalars(
            select(SkillsTest)
            .where(SkillsTest.learner_id == learner_id)
            .order_by(SkillsTest.started_at, SkillsTest.id)
        )
        return [info(r) for r in rows]


def compare_with_levels(
    result: Result, levels: Mapping[str, int | None]
) -> tuple[ComparedCompetence, ...]:
    """Each competence's band beside the own level (absent from ``levels``: not rated)."""
    rows = []
    for profile in result.competences:
        own = levels.get(profile.id)
        rated = profile.id in levels
        found = profile.band
        rows.append(
            ComparedCompetence(
                profile.id,
                found,
                profile.overall.percent,
                own,
                rated,
                level_difference(found, own) if rated else None,
                rated and large_difference(found, own),
            )
        )
    return tuple(rows)


@service("skills_test.result")
def result(db: Database, actor: Actor, test_id: int) -> TestResult:
    """The test scored, beside the learner's latest finished self-assessment (the one for
    the same mobility and moment when there is one)."""
    with db.transaction() as session:
        row = _readable(session, actor, test_id)
        test = info(row)
        own = None
        if row.mobility_id is not None:
            own = latest_completed(session, row.learner_id, row.mobility_id, row.moment)
        own = own or latest_completed(session, row.learner_id)
        levels = {a.competence_id: a.level for a in own.answers} if own else {}
    scored = score(builtin_bank(), test.answers)
    return TestResult(test, scored, compare_with_levels(scored, levels), own.id if own else None)


def _latest_done(
    session: Session, learner_id: int, mobility_id: int | None, moment: str | None
) -> SkillsTest | None:
    return latest_finished(session, SkillsTest, learner_id, mobility_id, moment)


@service("skills_test.compare")
def compare(
    db: Database, actor: Actor, learner_id: int, mobility_id: int | None = None
) -> BeforeAfter:
    """Before/after per competence and area: the mobility's "before" and "after" tests, or
    else the learner's first and last finished ones."""
    with db.transaction() as session:
        _may_read(session, actor, learner_id)
        before = _latest_done(session, learner_id, mobility_id, "before")
        after = _latest_done(session, learner_id, mobility_id, "after")
        if before is None or after is None:
            done = session.scalars(
                select(SkillsTest)
                .where(SkillsTest.learner_id == learner_id, SkillsTest.completed_at.is_not(None))
                .order_by(SkillsTest.completed_at, SkillsTest.id)
            ).all()
            before, after = (done[0], done[-1]) if len(done) >= 2 else (None, None)
        first = info(before) if before else None
        last = info(after) if after else None
    bank = builtin_bank()
    empty: dict[str, AnswerValue] = {}
    old = score(bank, first.answers if first else empty)
    new = score(bank, last.answers if last else empty)

    def rows(olds: tuple[Profile, ...], news: tuple[Profile, ...]) -> tuple[BeforeAfterRow, ...]:
        return tuple(
            BeforeAfterRow(a.id, a.overall.percent, b.overall.percent, a.band, b.band)
            for a, b in zip(olds, news, strict=True)
        )

    return BeforeAfter(
        first.id if first else None,
        last.id if last else None,
        rows(old.competences, new.competences),
        rows(old.areas, new.areas),
    )


@service("skills_test.suggestions")
def suggestions(
    db: Database, actor: Actor, learner_id: int, mobility_id: int | None = None
) -> dict[str, Suggestion]:
    """What the learner's skills test suggests per competence, for the identification
    stage: the mobility's "before" test, or else their latest finished one."""
    with db.transaction() as session:
        _may_read(session, actor, learner_id)
        row = None
        if mobility_id is not None:
            row = _latest_done(session, learner_id, mobility_id, "before")
        row = row or _latest_done(session, learner_id, None, None)
        if row is None:
            return {}
        test = info(row)
    assert test.completed_at is not None
    scored = score(builtin_bank(), test.answers)
    return {
        p.id: Suggestion(p.id, p.band, p.overall.percent, test.id, test.completed_at)
        for p in scored.competences
        if p.band is not None and p.overall.percent is not None
    }
