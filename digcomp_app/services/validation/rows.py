"""Case rows inside a caller's transaction: the case a person may work on, what the
services return of it, the stage a change needs."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.errors import NotFound, WorkflowError
from digcomp_app.services.permissions import Actor
from digcomp_app.services.scope import require_learner
from digcomp_app.services.user_names import display_names
from digcomp_app.services.validation.model import (
    STAGE_NAMES,
    AssessmentInfo,
    CaseInfo,
    StageStep,
    TargetDraft,
)
from digcomp_app.storage.models import (
    Assessment,
    EvidenceItem,
    Learner,
    StageChange,
    User,
    ValidationCase,
)


def assessment_info(
    session: Session, row: Assessment, names: Mapping[int, str] | None = None
) -> AssessmentInfo:
    """What the services return of an assessment; the assessor's name from ``names`` (user
    id -> display name) when given, else read here."""
    if names is None:
        names = display_names(session, [row.assessor_id])
    return AssessmentInfo(
        row.id,
        row.competence_id,
        row.level,
        row.method,
        row.criteria,
        row.comment,
        names.get(row.assessor_id, ""),
        row.assessed_on,
        row.version,
    )


def case_info(session: Session, case: ValidationCase) -> CaseInfo:
    learner = session.get(Learner, case.learner_id)
    assessments = session.scalars(
        select(Assessment).where(Assessment.case_id == case.id).order_by(Assessment.competence_id)
    ).all()
    assessors = display_names(session, (a.assessor_id for a in assessments))
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
        tuple(assessment_info(session, a, assessors) for a in assessments),
        len(evidence),
        tuple(StageStep(s.from_stage, s.to_stage, s.reason, name, s.at) for s, name in steps),
        case.version,
        _group_name(session, case.group_id),
    )


def unassessed(session: Session, case: ValidationCase) -> tuple[str, ...]:
    """The case's target competences not assessed yet (as :attr:`CaseInfo.unassessed`,
    without reading the rest of the case)."""
    assessed = select(Assessment.competence_id).where(Assessment.case_id == case.id)
    done = set(session.scalars(assessed))
    return tuple(t.competence_id for t in case.targets if t.competence_id not in done)


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


def require_stage(case: ValidationCase, *stages: str) -> None:
    if case.stage not in stages:
        raise WorkflowError(
            _(
                "The case is at the {current} stage; this can be done only at the {needed} stage."
            ).format(
                current=_(STAGE_NAMES[case.stage]),
                needed=", ".join(_(STAGE_NAMES[s]) for s in stages),
            )
        )
