"""Opening a case (targets seeded from the learner's self-assessment) and finding cases,
with the competences a list marks ⚑."""

from __future__ import annotations

from sqlalchemy import select

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, WorkflowError
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.learners import current_group_id
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import require_learner, teacher_learner_ids
from digcomp_app.services.self_assessment import latest_completed
from digcomp_app.services.validation.model import STAGES, CaseInfo, CaseMark
from digcomp_app.services.validation.rows import case_info, load_case
from digcomp_app.storage.models import MobilityParticipant, TargetCompetence, ValidationCase


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
    with db.transaction() as session:
        if library_of(db, session).find(framework_id, framework_version) is None:
            raise InvalidInput(
                "framework",
                _("The framework {id} {version} is not installed.").format(
                    id=framework_id, version=framework_version
                ),
            )
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
    db: Database,
    actor: Actor,
    mobility_id: int | None = None,
    stage: str | None = None,
    learner_id: int | None = None,
) -> list[CaseInfo]:
    """The cases this person may see, of one mobility, stage or learner when asked."""
    if stage is not None and stage not in STAGES:
        return []  # no case is at an unknown stage (a NUL would fail on PostgreSQL)
    query = select(ValidationCase).order_by(ValidationCase.id)
    if mobility_id is not None:
        query = query.where(ValidationCase.mobility_id == mobility_id)
    if learner_id is not None:
        query = query.where(ValidationCase.learner_id == learner_id)
    if stage is not None:
        query = query.where(ValidationCase.stage == stage)
    if not actor.has(Role.COORDINATOR):
        query = query.where(ValidationCase.learner_id.in_(teacher_learner_ids(actor.user_id)))
    with db.transaction() as session:
        return [case_info(session, c) for c in session.scalars(query)]


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
