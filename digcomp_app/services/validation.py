"""Validation cases through the four Cedefop stages: identification → documentation →
assessment → certification (→ certified, when a coordinator issues the certificate).

A case moves one stage at a time; it may go back one stage with a reason, never skip one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from digcomp_app.i18n import N_, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConcurrentChange, InvalidInput, NotFound, WorkflowError
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.learners import current_group_id
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import require_learner, teacher_learner_ids
from digcomp_app.services.self_assessment import latest_completed
from digcomp_app.storage.models import (
    Assessment,
    EvidenceItem,
    Learner,
    MobilityParticipant,
    StageChange,
    TargetCompetence,
    User,
    ValidationCase,
    utcnow,
)

STAGES = ("identification", "documentation", "assessment", "certification", "certified")
STAGE_NAMES = {
    "identification": N_("Identification"),
    "documentation": N_("Documentation"),
    "assessment": N_("Assessment"),
    "certification": N_("Certification"),
    "certified": N_("Certified"),
}
METHODS = ("observation", "practical_task", "portfolio_review", "interview", "test")
METHOD_NAMES = {
    "observation": N_("Observation"),
    "practical_task": N_("Practical task"),
    "portfolio_review": N_("Portfolio review"),
    "interview": N_("Interview"),
    "test": N_("Test"),
}
FLAG_GAP = 2


#: the longest assessment criteria or comment, and stage-change reason (free text)
MAX_ASSESSMENT_TEXT = 4000
MAX_REASON = 2000


@dataclass(frozen=True, slots=True)
class TargetDraft:
    competence_id: str
    level: int
    outcome_ids: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AssessmentInfo:
    id: int
    competence_id: str
    level: int
    method: str
    criteria: str
    comment: str
    assessor: str
    assessed_on: dt.date
    version: int


@dataclass(frozen=True, slots=True)
class StageStep:
    from_stage: str
    to_stage: str
    reason: str
    by: str
    at: dt.datetime


@dataclass(frozen=True, slots=True)
class CaseInfo:
    id: int
    learner_id: int
    learner_name: str
    mobility_id: int | None
    framework_id: str
    framework_version: str
    stage: str
    targets: tuple[TargetDraft, ...]
    assessments: tuple[AssessmentInfo, ...]
    evidence_count: int
    history: tuple[StageStep, ...]
    version: int
    #: the learner's group when the case was opened ("" when none)
    group: str = ""

    def assessment_for(self, competence_id: str) -> AssessmentInfo | None:
        return next((a for a in self.assessments if a.competence_id == competence_id), None)

    @property
    def unassessed(self) -> tuple[str, ...]:
        done = {a.competence_id for a in self.assessments}
        return tuple(t.competence_id for t in self.targets if t.competence_id not in done)


@dataclass(frozen=True, slots=True)
class GapRow:
    competence_id: str
    self_level: int | None
    assessed_level: int | None

    @property
    def gap(self) -> int | None:
        if self.self_level is None or self.assessed_level is None:
            return None
        return self.self_level - self.assessed_level

    @property
    def flagged(self) -> bool:
        return self.gap is not None and abs(self.gap) >= FLAG_GAP


def _assessment_info(session: Session, row: Assessment) -> AssessmentInfo:
    assessor = session.get(User, row.assessor_id)
    return AssessmentInfo(
        row.id,
        row.competence_id,
        row.level,
        row.method,
        row.criteria,
        row.comment,
        assessor.display_name if assessor else "",
        row.assessed_on,
        row.version,
    )


def case_info(session: Session, case: ValidationCase) -> CaseInfo:
    learner = session.get(Learner, case.learner_id)
    assessments = session.scalars(
        select(Assessment).where(Assessment.case_id == case.id).order_by(Assessment.competence_id)
    ).all()
    evidence = session.scalars(select(EvidenceItem.id).where(EvidenceItem.case_id == case.id)).all()
    steps = session.execute(
        select(StageChange, User.display_name)
        .join(User, User.id == StageChange.by_user)
        .where(StageChange.case_id == case.id)
        .order_by(StageChange.id)
    ).all()
    return CaseInfo(
        case.id,
        case.learner_id,
        f"{learner.given_names} {learner.surname}" if learner else "",
        case.mobility_id,
        case.framework_id,
        case.framework_version,
        case.stage,
        tuple(
            TargetDraft(t.competence_id, t.target_level, tuple(t.outcome_ids or ()))
            for t in case.targets
        ),
        tuple(_assessment_info(session, a) for a in assessments),
        len(evidence),
        tuple(StageStep(s.from_stage, s.to_stage, s.reason, name, s.at) for s, name in steps),
        case.version,
        _group_name(session, case.group_id),
    )


def _group_name(session: Session, group_id: int | None) -> str:
    from digcomp_app.storage.models import Group

    group = session.get(Group, group_id) if group_id is not None else None
    return group.name if group is not None else ""


def load_case(session: Session, actor: Actor, case_id: int) -> ValidationCase:
    """The case, if it exists and this person may work on its learner."""
    case = session.get(ValidationCase, case_id)
    if case is None:
        raise NotFound(_("There is no validation case with the number {id}.").format(id=case_id))
    require_learner(session, actor, case.learner_id)
    return case


def _require_stage(case: ValidationCase, *stages: str) -> None:
    if case.stage not in stages:
        raise WorkflowError(
            _(
                "The case is at the {current} stage; this can be done only at the {needed} stage."
            ).format(
                current=_(STAGE_NAMES[case.stage]),
                needed=", ".join(_(STAGE_NAMES[s]) for s in stages),
            )
        )


def _check_targets(
    db: Database, case: ValidationCase, targets: Iterable[TargetDraft]
) -> list[TargetDraft]:
    framework = library_of(db).get(case.framework_id, case.framework_version)
    levels = {level.number for level in framework.levels}
    seen: set[str] = set()
    checked = []
    for target in targets:
        try:
            competence = framework.competence(target.competence_id)
        except KeyError:
            raise InvalidInput(
                "competence",
                _("There is no competence {id} in {framework}.").format(
                    id=target.competence_id, framework=framework.label
                ),
            ) from None
        if target.competence_id in seen:
            raise InvalidInput(
                "competence", _("Competence {id} is listed twice.").format(id=target.competence_id)
            )
        seen.add(target.competence_id)
        if target.level not in levels:
            raise InvalidInput(
                "level",
                _("There is no level {level} in {framework}.").format(
                    level=target.level, framework=framework.label
                ),
            )
        outcomes = {o.id for o in competence.learning_outcomes}
        wrong = [o for o in target.outcome_ids if o not in outcomes]
        if wrong:
            raise InvalidInput(
                "outcomes",
                _("These learning outcomes do not belong to competence {id}: {items}").format(
                    id=target.competence_id, items=", ".join(wrong)
                ),
            )
        checked.append(target)
    return checked


@service("validation.open_case")
def open_case(
    db: Database,
    actor: Actor,
    learner_id: int,
    mobility_id: int | None = None,
    framework_id: str = "digcomp",
    framework_version: str = "3.0",
) -> CaseInfo:
    """Start a case at identification, with targets seeded from the learner's latest
    completed self-assessment (each competence rated, at the level the learner chose)."""
    if library_of(db).find(framework_id, framework_version) is None:
        raise InvalidInput(
            "framework",
            _("The framework {id} {version} is not installed.").format(
                id=framework_id, version=framework_version
            ),
        )
    with db.transaction() as session:
        require_learner(session, actor, learner_id)
        if (
            mobility_id is not None
            and session.get(MobilityParticipant, (mobility_id, learner_id)) is None
        ):
            raise InvalidInput("mobility", _("This learner does not take part in this mobility."))
        open_case_id = session.scalar(
            select(ValidationCase.id).where(
                ValidationCase.learner_id == learner_id,
                ValidationCase.mobility_id.is_(None)
                if mobility_id is None
                else ValidationCase.mobility_id == mobility_id,
                ValidationCase.stage != "certified",
            )
        )
        if open_case_id is not None:
            raise WorkflowError(
                _("This learner already has an open case for this mobility (number {id}).").format(
                    id=open_case_id
                )
            )
        case = ValidationCase(
            learner_id=learner_id,
            mobility_id=mobility_id,
            framework_id=framework_id,
            framework_version=framework_version,
            created_by=actor.user_id,
            group_id=current_group_id(session, learner_id),
        )
        source = latest_completed(session, learner_id, mobility_id, "before") or latest_completed(
            session, learner_id
        )
        if source is not None and (source.framework_id, source.framework_version) == (
            framework_id,
            framework_version,
        ):
            case.targets = [
                TargetCompetence(
                    competence_id=a.competence_id, target_level=a.level, outcome_ids=[]
                )
                for a in source.answers
                if a.level is not None
            ]
        session.add(case)
        session.flush()
        append(
            session,
            actor.username,
            "validation.open_case",
            "ok",
            "case",
            case.id,
            {
                "learner": learner_id,
                "mobility": mobility_id,
                "seeded_from": source.id if source else None,
            },
        )
        return case_info(session, case)


@service("validation.get_case")
def get_case(db: Database, actor: Actor, case_id: int) -> CaseInfo:
    with db.transaction() as session:
        return case_info(session, load_case(session, actor, case_id))


@service("validation.list_cases")
def list_cases(
    db: Database, actor: Actor, mobility_id: int | None = None, stage: str | None = None
) -> list[CaseInfo]:
    if stage is not None and stage not in STAGES:
        return []  # no case is at an unknown stage (a NUL would fail on PostgreSQL)
    query = select(ValidationCase).order_by(ValidationCase.id)
    if mobility_id is not None:
        query = query.where(ValidationCase.mobility_id == mobility_id)
    if stage is not None:
        query = query.where(ValidationCase.stage == stage)
    if not actor.has(Role.COORDINATOR):
        query = query.where(ValidationCase.learner_id.in_(teacher_learner_ids(actor.user_id)))
    with db.transaction() as session:
        return [case_info(session, c) for c in session.scalars(query)]


@dataclass(frozen=True, slots=True)
class CaseMark:
    """What a list shows of a case: its stage, and the competences marked ⚑ (the
    learner's own rating two or more levels from the level assessed or, until assessed,
    from the target - the case screen's rule)."""

    case_id: int
    learner_id: int
    mobility_id: int | None
    stage: str
    flagged: tuple[str, ...] = ()

    @property
    def gap(self) -> bool:
        return bool(self.flagged)


@service("validation.case_marks")
def case_marks(db: Database, actor: Actor, stage: str | None = None) -> list[CaseMark]:
    """The stage and ⚑ competences of every case of the teacher's learners (a
    coordinator: of every case), or of those at ``stage``; certified cases carry no ⚑."""
    from digcomp_app.services.home import _gaps  # home reads this module's stages

    if stage is not None and stage not in STAGES:
        return []
    query = select(ValidationCase).order_by(ValidationCase.id)
    if stage is not None:
        query = query.where(ValidationCase.stage == stage)
    if not actor.has(Role.COORDINATOR):
        query = query.where(ValidationCase.learner_id.in_(teacher_learner_ids(actor.user_id)))
    with db.transaction() as session:
        marks = []
        for case in session.scalars(query):
            flagged: tuple[str, ...] = ()
            if case.stage != "certified":
                found = _gaps(session, case, "")
                flagged = tuple(dict.fromkeys(g.competence_id for g in found))
            marks.append(CaseMark(case.id, case.learner_id, case.mobility_id, case.stage, flagged))
        return marks


@service("validation.set_targets")
def set_targets(
    db: Database,
    actor: Actor,
    case_id: int,
    targets: list[TargetDraft],
    expected_version: int | None = None,
) -> CaseInfo:
    """Replace the case's target competences (at identification).

    ``expected_version`` is the case version the editor saw (:attr:`CaseInfo.version`); if
    someone saved the targets (or moved the case and back) in between, :class:`ConcurrentChange`
    carries the case as it is now and nothing is overwritten. None skips the check.
    """
    try:
        with db.transaction() as session:
            case = load_case(session, actor, case_id)
            _require_stage(case, "identification")
            if expected_version is not None and case.version != expected_version:
                raise ConcurrentChange(_targets_changed_message(), case_info(session, case))
            checked = _check_targets(db, case, targets)
            # The case row carries the version: writing it first checks it (and, on a
            # server, makes a second editor wait here until the first has committed).
            case.updated_at = utcnow()
            session.flush()
            # Update in place: replacing the list would insert before deleting (unique key).
            wanted = {t.competence_id: t for t in checked}
            for row in list(case.targets):
                if row.competence_id not in wanted:
                    case.targets.remove(row)
            session.flush()
            existing = {row.competence_id: row for row in case.targets}
            for target in checked:
                kept = existing.get(target.competence_id)
                if kept is None:
                    kept = TargetCompetence(competence_id=target.competence_id)
                    case.targets.append(kept)
                kept.target_level, kept.outcome_ids = target.level, list(target.outcome_ids)
            session.flush()
            append(
                session,
                actor.username,
                "validation.set_targets",
                "ok",
                "case",
                case.id,
                {"targets": [[t.competence_id, t.level] for t in checked]},
            )
            return case_info(session, case)
    except StaleDataError:
        # Someone saved between our read and our write (checked by the version column).
        with db.transaction() as session:
            current = load_case(session, actor, case_id)
            raise ConcurrentChange(
                _targets_changed_message(), case_info(session, current)
            ) from None


def _targets_changed_message() -> str:
    return _(
        "Someone else saved the targets of this case while you were editing them. Their "
        "targets are shown; nothing of yours was saved over theirs."
    )


def _move(
    session: Session, actor: Actor, case: ValidationCase, to_stage: str, reason: str = ""
) -> None:
    session.add(
        StageChange(
            case_id=case.id,
            from_stage=case.stage,
            to_stage=to_stage,
            reason=reason,
            by_user=actor.user_id,
        )
    )
    case.stage = to_stage


@service("validation.advance")
def advance(db: Database, actor: Actor, case_id: int) -> CaseInfo:
    """Move to the next stage when this one is complete.

    Identification needs at least one target; documentation at least one evidence item;
    assessment an assessment of every target (this is "send to certification"). The last
    step, to certified, happens only when a coordinator issues the certificate.
    """
    with db.transaction() as session:
        case = load_case(session, actor, case_id)
        if case.stage in ("certification", "certified"):
            raise WorkflowError(
                _("Only issuing the certificate completes the certification stage.")
            )
        if case.stage == "identification" and not case.targets:
            raise WorkflowError(_("Choose at least one target competence first."))
        if case.stage == "documentation" and not session.scalar(
            select(EvidenceItem.id).where(EvidenceItem.case_id == case.id).limit(1)
        ):
            raise WorkflowError(_("Add at least one piece of evidence first."))
        if case.stage == "assessment":
            missing = case_info(session, case).unassessed
            if missing:
                raise WorkflowError(
                    _("Assess every target competence first. Not yet assessed: {ids}").format(
                        ids=", ".join(missing)
                    )
                )
        to_stage = STAGES[STAGES.index(case.stage) + 1]
        _move(session, actor, case, to_stage)
        session.flush()
        append(
            session, actor.username, "validation.advance", "ok", "case", case.id, {"to": to_stage}
        )
        return case_info(session, case)


@service("validation.go_back")
def go_back(db: Database, actor: Actor, case_id: int, reason: str) -> CaseInfo:
    reason = clean_text(reason, "reason", _("reason"), MAX_REASON, multiline=True)
    if not reason:
        raise InvalidInput("reason", _("Say why the case goes back a stage."))
    with db.transaction() as session:
        case = load_case(session, actor, case_id)
        if case.stage == "identification":
            raise WorkflowError(_("The case is at its first stage already."))
        if case.stage == "certified":
            raise WorkflowError(_("An issued certificate never changes: revoke it to correct it."))
        to_stage = STAGES[STAGES.index(case.stage) - 1]
        _move(session, actor, case, to_stage, reason)
        session.flush()
        append(
            session, actor.username, "validation.go_back", "ok", "case", case.id, {"to": to_stage}
        )
        return case_info(session, case)


@service("validation.record_assessment")
def record_assessment(
    db: Database,
    actor: Actor,
    case_id: int,
    competence_id: str,
    level: int,
    method: str,
    comment: str = "",
    criteria: str = "",
    assessed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> AssessmentInfo:
    """Record (or correct) the level reached in one target competence.

    ``expected_version`` is the version the assessor saw (None for a new assessment); if
    someone saved in between, :class:`ConcurrentChange` carries their values and nothing
    is overwritten.
    """
    if method not in METHODS:
        raise InvalidInput("method", _("Unknown assessment method: {method}").format(method=method))
    comment = clean_text(comment, "comment", _("comment"), MAX_ASSESSMENT_TEXT, multiline=True)
    criteria = clean_text(
        criteria, "criteria", _("assessment criteria"), MAX_ASSESSMENT_TEXT, multiline=True
    )
    try:
        with db.transaction() as session:
            case = load_case(session, actor, case_id)
            _require_stage(case, "assessment")
            if competence_id not in {t.competence_id for t in case.targets}:
                raise InvalidInput(
                    "competence",
                    _("Competence {id} is not a target of this case.").format(id=competence_id),
                )
            framework = library_of(db).get(case.framework_id, case.framework_version)
            if level not in {lv.number for lv in framework.levels}:
                raise InvalidInput(
                    "level",
                    _("There is no level {level} in {framework}.").format(
                        level=level, framework=framework.label
                    ),
                )
            row = session.scalar(
                select(Assessment).where(
                    Assessment.case_id == case_id, Assessment.competence_id == competence_id
                )
            )
            if row is not None and row.version != expected_version:
                raise ConcurrentChange(_changed_message(), _assessment_info(session, row))
            if row is None:
                if expected_version is not None:
                    raise NotFound(_("The assessment you were editing was removed."))
                row = Assessment(case_id=case_id, competence_id=competence_id)
                session.add(row)
            row.level, row.method = level, method
            row.comment, row.criteria = comment, criteria
            row.assessor_id = actor.user_id
            row.assessed_on = assessed_on or dt.date.today()
            session.flush()
            append(
                session,
                actor.username,
                "validation.record_assessment",
                "ok",
                "case",
                case_id,
                {"competence": competence_id, "level": level, "method": method},
            )
            return _assessment_info(session, row)
    except (StaleDataError, IntegrityError) as error:
        # Someone saved between our read and our write: checked by the version column
        # (StaleDataError), or, for a first assessment, by the unique key of the case and
        # competence (IntegrityError: both assessors found none and inserted one).
        if isinstance(error, IntegrityError) and not _is_first_assessment_clash(
            db, case_id, competence_id
        ):
            raise
        with db.transaction() as session:
            current = session.scalar(
                select(Assessment).where(
                    Assessment.case_id == case_id, Assessment.competence_id == competence_id
                )
            )
            raise ConcurrentChange(
                _changed_message(), _assessment_info(session, current) if current else None
            ) from None


def _is_first_assessment_clash(db: Database, case_id: int, competence_id: str) -> bool:
    """Whether an assessment of the competence now exists (so the refused insert was a
    second one, made at the same moment)."""
    with db.transaction() as session:
        found = session.scalar(
            select(Assessment.id).where(
                Assessment.case_id == case_id, Assessment.competence_id == competence_id
            )
        )
    return found is not None


def _changed_message() -> str:
    return _(
        "Someone else saved this assessment while you were editing it. Their values "
        "are shown; nothing of yours was saved over theirs."
    )


@service("validation.self_vs_assessed")
def self_vs_assessed(db: Database, actor: Actor, case_id: int) -> list[GapRow]:
    """Per target competence: the learner's own latest rating beside the assessed level."""
    with db.transaction() as session:
        case = load_case(session, actor, case_id)
        source = latest_completed(
            session, case.learner_id, case.mobility_id, "after"
        ) or latest_completed(session, case.learner_id)
        own = {a.competence_id: a.level for a in source.answers} if source else {}
        assessed = {
            a.competence_id: a.level
            for a in session.scalars(select(Assessment).where(Assessment.case_id == case_id))
        }
        return [
            GapRow(t.competence_id, own.get(t.competence_id), assessed.get(t.competence_id))
            for t in case.targets
        ]
