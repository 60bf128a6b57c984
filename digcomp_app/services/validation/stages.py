"""Moving a case one stage on, when the stage is complete, or one back, with a reason."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, WorkflowError
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.validation.model import MAX_REASON, STAGES, CaseInfo
from digcomp_app.services.validation.rows import case_info, load_case, unassessed
from digcomp_app.storage.models import EvidenceItem, StageChange, ValidationCase


def move_to_stage(
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
            missing = unassessed(session, case)
            if missing:
                raise WorkflowError(
                    _("Assess every target competence first. Not yet assessed: {ids}").format(
                        ids=", ".join(missing)
                    )
                )
        to_stage = STAGES[STAGES.index(case.stage) + 1]
        move_to_stage(session, actor, case, to_stage)
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
        move_to_stage(session, actor, case, to_stage, reason)
        session.flush()
        append(
            session, actor.username, "validation.go_back", "ok", "case", case.id, {"to": to_stage}
        )
        return case_info(session, case)
