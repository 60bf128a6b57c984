"""Which mobilities a person sees (a coordinator all, a teacher theirs and their groups'
learners', a learner their own), and finding them."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.database import Database
from digcomp_app.services.errors import NotFound
from digcomp_app.services.mobilities.model import MobilityInfo
from digcomp_app.services.mobilities.rows import mobility_info, mobility_row
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.storage.models import (
    GroupMember,
    GroupTeacher,
    Mobility,
    MobilityParticipant,
    MobilityTeacher,
)


def visible_to(actor: Actor) -> Select[Mobility]:
    query = select(Mobility)
    if actor.has(Role.COORDINATOR):
        return query
    conditions = []
    if actor.has(Role.TEACHER):
        conditions.append(
            Mobility.id.in_(
                select(MobilityTeacher.mobility_id).where(MobilityTeacher.user_id == actor.user_id)
            )
        )
    if actor.has(Role.LEARNER) and actor.learner_id is not None:
        conditions.append(
            Mobility.id.in_(
                select(MobilityParticipant.mobility_id).where(
                    MobilityParticipant.learner_id == actor.learner_id
                )
            )
        )
    if not conditions:
        return query.where(Mobility.id.is_(None))
    from sqlalchemy import or_

    return query.where(or_(*conditions))


@service("mobilities.list")
def list_all(db: Database, actor: Actor, text: str = "") -> list[MobilityInfo]:
    """The mobilities this person may see, newest first; ``text`` filters code and title."""
    query = visible_to(actor).order_by(Mobility.start_date.desc(), Mobility.code)
    # control characters (NUL, which PostgreSQL refuses) never match a stored code or title
    wanted = "".join(ch for ch in text if unicodedata.category(ch) != "Cc").strip().lower()
    if wanted:
        escaped = wanted.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        pattern = f"%{escaped}%"
        query = query.where(
            func.lower(Mobility.code).like(pattern, escape="\\")
            | func.lower(Mobility.title).like(pattern, escape="\\")
        )
    with db.transaction() as session:
        return [mobility_info(session, m) for m in session.scalars(query)]


def _teaches_a_participant(session: Session, actor: Actor, mobility_id: int) -> bool:
    """Whether a teacher teaches, through one of their groups, a learner of the mobility."""
    if not actor.has(Role.TEACHER):
        return False
    found = session.scalar(
        select(MobilityParticipant.learner_id)
        .join(GroupMember, GroupMember.learner_id == MobilityParticipant.learner_id)
        .join(GroupTeacher, GroupTeacher.group_id == GroupMember.group_id)
        .where(
            MobilityParticipant.mobility_id == mobility_id,
            GroupTeacher.user_id == actor.user_id,
        )
        .limit(1)
    )
    return found is not None


@service("mobilities.get")
def get(db: Database, actor: Actor, mobility_id: int) -> MobilityInfo:
    """One mobility; a teacher also sees the mobilities of their groups' learners."""
    with db.transaction() as session:
        mobility = session.scalar(visible_to(actor).where(Mobility.id == mobility_id))
        if mobility is None:
            if session.get(Mobility, mobility_id) is None:
                raise NotFound(
                    _("There is no mobility with the number {id}.").format(id=mobility_id)
                )
            if not _teaches_a_participant(session, actor, mobility_id):
                deny_object("mobility", mobility_id)
            mobility = mobility_row(session, mobility_id)
        return mobility_info(session, mobility)
