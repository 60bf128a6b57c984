"""Object-level access: whose records a signed-in person may reach."""

from __future__ import annotations

from sqlalchemy import CompoundSelect, exists, select
from sqlalchemy.orm import Session

from digcomp_app.services.permissions import Actor, Role, deny_object
from digcomp_app.storage.models import (
    GroupMember,
    GroupTeacher,
    MobilityParticipant,
    MobilityTeacher,
)


def teaches_learner(session: Session, teacher_id: int, learner_id: int) -> bool:
    via_group = exists().where(
        GroupMember.learner_id == learner_id,
        GroupTeacher.group_id == GroupMember.group_id,
        GroupTeacher.user_id == teacher_id,
    )
    via_mobility = exists().where(
        MobilityParticipant.learner_id == learner_id,
        MobilityTeacher.mobility_id == MobilityParticipant.mobility_id,
        MobilityTeacher.user_id == teacher_id,
    )
    return bool(session.scalar(select(via_group | via_mobility)))


def can_reach_learner(session: Session, actor: Actor, learner_id: int) -> bool:
    if actor.has(Role.COORDINATOR):
        return True
    if actor.has(Role.TEACHER) and teaches_learner(session, actor.user_id, learner_id):
        return True
    return actor.has(Role.LEARNER) and actor.learner_id == learner_id


def require_learner(session: Session, actor: Actor, learner_id: int) -> None:
    if not can_reach_learner(session, actor, learner_id):
        deny_object("learner", learner_id)


def teacher_learner_ids(teacher_id: int) -> CompoundSelect[int]:
    """A SELECT of the learner ids a teacher works with (groups and mobilities)."""
    by_group = (
        select(GroupMember.learner_id)
        .join(GroupTeacher, GroupTeacher.group_id == GroupMember.group_id)
        .where(GroupTeacher.user_id == teacher_id)
    )
    by_mobility = (
        select(MobilityParticipant.learner_id)
        .join(MobilityTeacher, MobilityTeacher.mobility_id == MobilityParticipant.mobility_id)
        .where(MobilityTeacher.user_id == teacher_id)
    )
    return by_group.union(by_mobility)


def require_teacher(session: Session, user_id: int, message: str) -> None:
    """``user_id`` must be a teacher's account (groups and mobilities are given teachers)."""
    from digcomp_app.services.errors import InvalidInput
    from digcomp_app.storage.models import User

    user = session.get(User, user_id)
    if user is None or "teacher" not in {r.role for r in user.roles}:
        raise InvalidInput("user_id", message)
