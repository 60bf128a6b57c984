"""Who takes part in a mobility and who supervises it: participants (with their Europass
Mobility numbers) and teachers."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import NotFound, WorkflowError
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.mobilities.finding import visible_to
from digcomp_app.services.mobilities.model import (
    MAX_EUROPASS_NUMBER,
    MobilityInfo,
    ParticipantInfo,
    TeacherInfo,
)
from digcomp_app.services.mobilities.rows import mobility_info, mobility_row
from digcomp_app.services.permissions import Actor, deny_object, service
from digcomp_app.services.scope import require_teacher
from digcomp_app.storage.models import (
    Certificate,
    Learner,
    Mobility,
    MobilityParticipant,
    MobilityTeacher,
    User,
    ValidationCase,
)


@service("mobilities.add_participants")
def add_participants(
    db: Database, actor: Actor, mobility_id: int, learner_ids: list[int]
) -> MobilityInfo:
    with db.transaction() as session:
        mobility = mobility_row(session, mobility_id)
        present = set(
            session.scalars(
                select(MobilityParticipant.learner_id).where(
                    MobilityParticipant.mobility_id == mobility_id
                )
            )
        )
        for learner_id in learner_ids:
            if session.get(Learner, learner_id) is None:
                raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
            if learner_id not in present:
                session.add(MobilityParticipant(mobility_id=mobility_id, learner_id=learner_id))
                present.add(learner_id)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.add_participants",
            "ok",
            "mobility",
            mobility_id,
            {"learners": list(learner_ids)},
        )
        return mobility_info(session, mobility)


@service("mobilities.assign_teacher")
def assign_teacher(db: Database, actor: Actor, mobility_id: int, user_id: int) -> None:
    with db.transaction() as session:
        mobility_row(session, mobility_id)
        require_teacher(session, user_id, _("Only a teacher can be assigned to a mobility."))
        if session.get(MobilityTeacher, (mobility_id, user_id)) is None:
            session.add(MobilityTeacher(mobility_id=mobility_id, user_id=user_id))
        append(
            session,
            actor.username,
            "mobilities.assign_teacher",
            "ok",
            "mobility",
            mobility_id,
            {"teacher": user_id},
        )


@service("mobilities.set_europass_number")
def set_europass_number(
    db: Database, actor: Actor, mobility_id: int, learner_id: int, number: str
) -> None:
    """The official Europass Mobility number, as assigned by the national centre."""
    with db.transaction() as session:
        row = session.get(MobilityParticipant, (mobility_id, learner_id))
        if row is None:
            raise NotFound(_("This learner does not take part in this mobility."))
        row.europass_number = clean_text(
            number, "europass_number", _("Europass Mobility number"), MAX_EUROPASS_NUMBER
        )
        append(
            session,
            actor.username,
            "mobilities.set_europass_number",
            "ok",
            "mobility",
            mobility_id,
            {"learner": learner_id},
        )


def _visible_mobility(session: Session, actor: Actor, mobility_id: int) -> Mobility:
    """The mobility, if this person may see who takes part in it (see ``visible_to``)."""
    mobility = session.scalar(visible_to(actor).where(Mobility.id == mobility_id))
    if mobility is None:
        mobility_row(session, mobility_id)  # NotFound when there is no such mobility
        deny_object("mobility", mobility_id)
    return mobility  # deny_object raised when it was None


@service("mobilities.list_participants")
def list_participants(db: Database, actor: Actor, mobility_id: int) -> list[ParticipantInfo]:
    """The learners taking part in a mobility, by surname."""
    with db.transaction() as session:
        _visible_mobility(session, actor, mobility_id)
        rows = session.execute(
            select(Learner, MobilityParticipant.europass_number)
            .join(MobilityParticipant, MobilityParticipant.learner_id == Learner.id)
            .where(MobilityParticipant.mobility_id == mobility_id)
            .order_by(Learner.surname, Learner.given_names, Learner.id)
        ).all()
        return [
            ParticipantInfo(
                learner.id,
                learner.given_names,
                learner.surname,
                learner.date_of_birth,
                number,
            )
            for learner, number in rows
        ]


@service("mobilities.list_teachers")
def list_teachers(db: Database, actor: Actor, mobility_id: int) -> list[TeacherInfo]:
    """The teachers who supervise a mobility, by name."""
    with db.transaction() as session:
        _visible_mobility(session, actor, mobility_id)
        users = session.scalars(
            select(User)
            .join(MobilityTeacher, MobilityTeacher.user_id == User.id)
            .where(MobilityTeacher.mobility_id == mobility_id)
            .order_by(User.display_name, User.username, User.id)
        )
        return [TeacherInfo(user.id, user.username, user.display_name) for user in users]


@service("mobilities.remove_participant")
def remove_participant(
    db: Database, actor: Actor, mobility_id: int, learner_id: int
) -> MobilityInfo:
    """Take a learner off a mobility, unless their recognition for it has begun."""
    with db.transaction() as session:
        mobility = mobility_row(session, mobility_id)
        row = session.get(MobilityParticipant, (mobility_id, learner_id))
        if row is None:
            raise NotFound(_("This learner does not take part in this mobility."))
        has_case = session.scalar(
            select(ValidationCase.id)
            .where(
                ValidationCase.mobility_id == mobility_id,
                ValidationCase.learner_id == learner_id,
            )
            .limit(1)
        )
        has_certificate = session.scalar(
            select(Certificate.id)
            .where(Certificate.mobility_id == mobility_id, Certificate.learner_id == learner_id)
            .limit(1)
        )
        if has_certificate is not None:
            raise WorkflowError(
                _(
                    "This learner cannot be removed from the mobility: a certificate has "
                    "been issued for it. Revoke the certificate in Certification if it "
                    "was issued by mistake; the learner stays in the mobility's record."
                )
            )
        if has_case is not None:
            raise WorkflowError(
                _(
                    "This learner cannot be removed from the mobility: a validation case "
                    "for it has been opened (no. {case}). The learner's record for the "
                    "mobility is kept with the case."
                ).format(case=has_case)
            )
        session.delete(row)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.remove_participant",
            "ok",
            "mobility",
            mobility_id,
            {"learner": learner_id},
        )
        return mobility_info(session, mobility)


@service("mobilities.unassign_teacher")
def unassign_teacher(db: Database, actor: Actor, mobility_id: int, user_id: int) -> None:
    """A teacher no longer supervises a mobility (their past work stays recorded)."""
    with db.transaction() as session:
        mobility_row(session, mobility_id)
        row = session.get(MobilityTeacher, (mobility_id, user_id))
        if row is None:
            raise NotFound(_("This teacher does not supervise this mobility."))
        session.delete(row)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.unassign_teacher",
            "ok",
            "mobility",
            mobility_id,
            {"teacher": user_id},
        )
