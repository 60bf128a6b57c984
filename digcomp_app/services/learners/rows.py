"""Learner and group rows inside a caller's transaction: a new learner, looking rows up,
the learner's current group (also for roster imports and new cases)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.learners.checks import (
    check_email,
    check_learner_number,
    checked_birth_date,
    checked_names,
    require_number_free,
)
from digcomp_app.services.learners.model import search_key
from digcomp_app.storage.models import Group, GroupMember, Learner


def new_learner(
    session: Session,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None = None,
    email: str = "",
    organisation_id: int | None = None,
    learner_number: str = "",
) -> Learner:
    given_names, surname = checked_names(given_names, surname)
    number = check_learner_number(learner_number) or None
    if number:
        require_number_free(session, number)
    learner = Learner(
        given_names=given_names,
        surname=surname,
        search_name=search_key(given_names, surname),
        date_of_birth=checked_birth_date(session, date_of_birth),
        email=check_email(email),
        organisation_id=organisation_id,
        learner_number=number,
        active=True,
    )
    session.add(learner)
    session.flush()
    return learner


def learner_row(session: Session, learner_id: int) -> Learner:
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
    return learner


def group_row(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound(_("There is no group with the number {id}.").format(id=group_id))
    return group


def open_group_row(session: Session, group_id: int) -> Group:
    group = group_row(session, group_id)
    if group.archived_at is not None:
        raise InvalidInput(
            "group",
            _("The group {name} is archived; it takes no learners.").format(name=group.name),
        )
    return group


def place_in_group(session: Session, learner_id: int, group_id: int) -> bool:
    """Make ``group_id`` the learner's only current group; True when something changed.
    Memberships of archived groups stay (they are the learner's history)."""
    current = set(
        session.scalars(
            select(GroupMember.group_id)
            .join(Group, Group.id == GroupMember.group_id)
            .where(GroupMember.learner_id == learner_id, Group.archived_at.is_(None))
        )
    )
    if current == {group_id}:
        return False
    others = current - {group_id}
    if others:
        session.execute(
            delete(GroupMember).where(
                GroupMember.learner_id == learner_id, GroupMember.group_id.in_(others)
            )
        )
    if group_id not in current:
        session.add(GroupMember(group_id=group_id, learner_id=learner_id))
    return True


def current_group_id(session: Session, learner_id: int) -> int | None:
    """The learner's current group (the first by name when in several), for a new case."""
    return session.scalar(
        select(Group.id)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.learner_id == learner_id, Group.archived_at.is_(None))
        .order_by(Group.name)
        .limit(1)
    )
