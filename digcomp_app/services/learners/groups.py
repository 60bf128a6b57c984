"""Groups (the school's classes): creating, renaming, archiving at the end of a school year,
members and teachers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services import audit_rows
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, simultaneous_changes_refused
from digcomp_app.services.learners.checks import checked_text
from digcomp_app.services.learners.model import (
    MAX_GROUP,
    MAX_SCHOOL_YEAR,
    GroupInfo,
    LearnerSummary,
    summaries_of,
)
from digcomp_app.services.learners.rows import (
    group_row,
    learner_row,
    open_group_row,
    place_in_group,
)
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.services.scope import require_teacher
from digcomp_app.storage.models import (
    Group,
    GroupMember,
    GroupTeacher,
    Learner,
    User,
    UserRole,
    utcnow,
)


def _group_name(session: Session, name: str, group_id: int | None = None) -> str:
    name = checked_text(name, "name", _("group name"), MAX_GROUP)
    if not name:
        raise InvalidInput("name", _("A group needs a name."))
    clash = session.scalar(
        select(Group).where(func.lower(Group.name) == name.lower(), Group.id != (group_id or 0))
    )
    if clash is not None:
        if clash.archived_at is not None:
            raise InvalidInput(
                "name",
                _(
                    "There is already an archived group called '{name}' (school year {year}). "
                    "Give the new group a name of its own, such as '{name} {next}'."
                ).format(name=clash.name, year=clash.school_year or "?", next=_next_year_label()),
            )
        raise InvalidInput("name", _("There is already a group called '{name}'.").format(name=name))
    return name


def _next_year_label() -> str:
    today = dt.date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{start + 1}"


def new_group(session: Session, name: str, school_year: str = "") -> Group:
    group = Group(
        name=_group_name(session, name),
        school_year=checked_text(school_year, "school_year", _("school year"), MAX_SCHOOL_YEAR),
    )
    session.add(group)
    session.flush()
    return group


def _group_info(session: Session, group: Group, member_count: int | None = None) -> GroupInfo:
    if member_count is None:
        member_count = session.scalar(
            select(func.count()).select_from(GroupMember).where(GroupMember.group_id == group.id)
        )
    teachers = session.execute(
        select(User.id, User.display_name)
        .join(GroupTeacher, GroupTeacher.user_id == User.id)
        .where(GroupTeacher.group_id == group.id)
        .order_by(User.display_name)
    ).all()
    return GroupInfo(
        group.id,
        group.name,
        group.school_year,
        member_count or 0,
        group.archived_at is not None,
        tuple((uid, name) for uid, name in teachers),
    )


@service("learners.create_group")
def create_group(db: Database, actor: Actor, name: str, school_year: str = "") -> GroupInfo:
    with simultaneous_changes_refused(), db.transaction() as session:
        group = new_group(session, name, school_year)
        append(session, actor.username, "learners.create_group", "ok", "group", group.id)
        return GroupInfo(group.id, group.name, group.school_year, 0)


@service("learners.rename_group")
def rename_group(
    db: Database, actor: Actor, group_id: int, name: str, school_year: str | None = None
) -> GroupInfo:
    with simultaneous_changes_refused(), db.transaction() as session:
        group = group_row(session, group_id)
        old = group.name
        group.name = _group_name(session, name, group.id)
        if school_year is not None:
            group.school_year = checked_text(
                school_year, "school_year", _("school year"), MAX_SCHOOL_YEAR
            )
        append(
            session,
            actor.username,
            "learners.rename_group",
            "ok",
            "group",
            group.id,
            {"from": old, "to": group.name},
        )
        return _group_info(session, group)


@service("learners.archive_group")
def archive_group(db: Database, actor: Actor, group_id: int, archived: bool = True) -> GroupInfo:
    """Archive a group at the end of a school year (or bring it back). Its members stay
    recorded as its members; cases opened in it keep it."""
    with db.transaction() as session:
        group = group_row(session, group_id)
        group.archived_at = utcnow() if archived else None
        append(
            session,
            actor.username,
            "learners.archive_group",
            "ok",
            "group",
            group.id,
            {"archived": archived},
        )
        return _group_info(session, group)


@service("learners.add_to_group")
def add_to_group(db: Database, actor: Actor, group_id: int, learner_ids: list[int]) -> None:
    """Add learners to a group, keeping their other groups."""
    with simultaneous_changes_refused(), db.transaction() as session:
        open_group_row(session, group_id)
        present = set(
            session.scalars(select(GroupMember.learner_id).where(GroupMember.group_id == group_id))
        )
        for learner_id in learner_ids:
            learner_row(session, learner_id)
            if learner_id not in present:
                session.add(GroupMember(group_id=group_id, learner_id=learner_id))
                present.add(learner_id)
        append(
            session,
            actor.username,
            "learners.add_to_group",
            "ok",
            "group",
            group_id,
            {"learners": list(learner_ids)},
        )


@service("learners.move_to_group")
def move_to_group(db: Database, actor: Actor, group_id: int, learner_ids: Iterable[int]) -> int:
    """Move learners into a group, out of their current ones; returns how many moved.
    Cases already opened keep the group they were opened in."""
    learner_ids = list(dict.fromkeys(learner_ids))
    with simultaneous_changes_refused(), db.transaction() as session:
        group = open_group_row(session, group_id)
        moved = 0
        for learner_id in learner_ids:
            learner_row(session, learner_id)
            moved += place_in_group(session, learner_id, group_id)
        append(
            session,
            actor.username,
            "learners.move_to_group",
            "ok",
            "group",
            group.id,
            {"learners": learner_ids, "moved": moved},
        )
        return moved


@service("learners.remove_from_group")
def remove_from_group(db: Database, actor: Actor, group_id: int, learner_ids: list[int]) -> None:
    with db.transaction() as session:
        open_group_row(session, group_id)
        session.execute(
            delete(GroupMember).where(
                GroupMember.group_id == group_id, GroupMember.learner_id.in_(learner_ids)
            )
        )
        append(
            session,
            actor.username,
            "learners.remove_from_group",
            "ok",
            "group",
            group_id,
            {"learners": list(learner_ids)},
        )


@service("learners.assign_group_teacher")
def assign_group_teacher(db: Database, actor: Actor, group_id: int, user_id: int) -> None:
    with db.transaction() as session:
        group_row(session, group_id)
        require_teacher(session, user_id, _("Only a teacher can be assigned to a group."))
        if session.get(GroupTeacher, (group_id, user_id)) is None:
            session.add(GroupTeacher(group_id=group_id, user_id=user_id))
        append(
            session,
            actor.username,
            "learners.assign_group_teacher",
            "ok",
            "group",
            group_id,
            {"teacher": user_id},
        )


@service("learners.unassign_group_teacher")
def unassign_group_teacher(db: Database, actor: Actor, group_id: int, user_id: int) -> None:
    with db.transaction() as session:
        group_row(session, group_id)
        session.execute(
            delete(GroupTeacher).where(
                GroupTeacher.group_id == group_id, GroupTeacher.user_id == user_id
            )
        )
        audit_rows.mark(session, GroupTeacher.__tablename__, (group_id, user_id))
        append(
            session,
            actor.username,
            "learners.unassign_group_teacher",
            "ok",
            "group",
            group_id,
            {"teacher": user_id},
        )


@service("learners.list_groups")
def list_groups(db: Database, actor: Actor, include_archived: bool = False) -> list[GroupInfo]:
    """All groups for a coordinator or administrator; a teacher's own groups for a teacher.
    Archived groups only when asked for."""
    counts = (
        select(GroupMember.group_id, func.count().label("n"))
        .group_by(GroupMember.group_id)
        .subquery()
    )
    query = (
        select(Group, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .order_by(Group.archived_at.is_not(None), Group.name)
    )
    if not include_archived:
        query = query.where(Group.archived_at.is_(None))
    if not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR)):
        query = query.join(GroupTeacher, GroupTeacher.group_id == Group.id).where(
            GroupTeacher.user_id == actor.user_id
        )
    with db.transaction() as session:
        return [_group_info(session, g, n) for g, n in session.execute(query)]


@service("learners.group_members")
def group_members(db: Database, actor: Actor, group_id: int) -> list[LearnerSummary]:
    with db.transaction() as session:
        group_row(session, group_id)
        if (
            not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR))
            and session.get(GroupTeacher, (group_id, actor.user_id)) is None
        ):
            deny_object("group", group_id)
        learners = session.scalars(
            select(Learner)
            .join(GroupMember)
            .where(GroupMember.group_id == group_id)
            .order_by(Learner.surname, Learner.given_names)
        )
        return summaries_of(session, list(learners))


def group_by_name(session: Session, name: str) -> Group | None:
    return session.scalar(select(Group).where(func.lower(Group.name) == name.strip().lower()))


def teacher_ids(session: Session) -> set[int]:
    return set(session.scalars(select(UserRole.user_id).where(UserRole.role == Role.TEACHER.value)))
