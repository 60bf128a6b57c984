"""Learners and their groups (classes)."""

from __future__ import annotations

import datetime as dt
import unicodedata
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import require_learner, require_teacher, teacher_learner_ids
from digcomp_app.storage.models import (
    Certificate,
    Group,
    GroupMember,
    GroupTeacher,
    Learner,
    MobilityParticipant,
    SelfAssessment,
    User,
    ValidationCase,
)

SEARCH_LIMIT = 50


def fold(text: str) -> str:
    """Lower case without diacritics, so "berzins" finds "Bērziņš"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@dataclass(frozen=True, slots=True)
class LearnerSummary:
    id: int
    given_names: str
    surname: str
    date_of_birth: dt.date | None

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"


@dataclass(frozen=True, slots=True)
class GroupInfo:
    id: int
    name: str
    school_year: str
    member_count: int


@dataclass(frozen=True, slots=True)
class LearnerRecord:
    learner: LearnerSummary
    email: str
    username: str | None
    groups: tuple[str, ...]
    mobility_ids: tuple[int, ...]
    self_assessment_ids: tuple[int, ...]
    case_ids: tuple[int, ...]
    certificate_serials: tuple[str, ...]


def summary(learner: Learner) -> LearnerSummary:
    return LearnerSummary(learner.id, learner.given_names, learner.surname, learner.date_of_birth)


def new_learner(
    session: Session,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None = None,
    email: str = "",
    organisation_id: int | None = None,
) -> Learner:
    given_names, surname = given_names.strip(), surname.strip()
    if not given_names or not surname:
        raise InvalidInput("name", _("A learner needs a first name and a surname."))
    learner = Learner(
        given_names=given_names,
        surname=surname,
        search_name=fold(f"{given_names} {surname} {surname} {given_names}"),
        date_of_birth=date_of_birth,
        email=email.strip(),
        organisation_id=organisation_id,
    )
    session.add(learner)
    session.flush()
    return learner


def _learner(session: Session, learner_id: int) -> Learner:
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
    return learner


@service("learners.create")
def create(
    db: Database,
    actor: Actor,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None = None,
    email: str = "",
) -> LearnerSummary:
    with db.transaction() as session:
        learner = new_learner(session, given_names, surname, date_of_birth, email)
        append(session, actor.username, "learners.create", "ok", "learner", learner.id)
        return summary(learner)


@service("learners.update")
def update(
    db: Database,
    actor: Actor,
    learner_id: int,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None,
    email: str,
) -> LearnerSummary:
    with db.transaction() as session:
        learner = _learner(session, learner_id)
        if not given_names.strip() or not surname.strip():
            raise InvalidInput("name", _("A learner needs a first name and a surname."))
        learner.given_names, learner.surname = given_names.strip(), surname.strip()
        learner.search_name = fold(
            f"{learner.given_names} {learner.surname} {learner.surname} {learner.given_names}"
        )
        learner.date_of_birth, learner.email = date_of_birth, email.strip()
        append(session, actor.username, "learners.update", "ok", "learner", learner.id)
        return summary(learner)


@service("learners.search")
def search(
    db: Database, actor: Actor, fragment: str, limit: int = SEARCH_LIMIT
) -> list[LearnerSummary]:
    """Learners whose name contains every word of ``fragment`` (case and accents ignored).

    A teacher finds only the learners of their groups and mobilities.
    """
    words = fold(fragment).split()
    query = select(Learner)
    for word in words:
        escaped = word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        query = query.where(Learner.search_name.like(f"%{escaped}%", escape="\\"))
    if not actor.has(Role.COORDINATOR):
        query = query.where(Learner.id.in_(teacher_learner_ids(actor.user_id)))
    query = query.order_by(Learner.surname, Learner.given_names, Learner.id).limit(limit)
    with db.transaction() as session:
        return [summary(learner) for learner in session.scalars(query)]


@service("learners.get_record")
def get_record(db: Database, actor: Actor, learner_id: int) -> LearnerRecord:
    """Everything recorded about one learner, as ids to open with the other services."""
    with db.transaction() as session:
        require_learner(session, actor, learner_id)
        learner = _learner(session, learner_id)
        groups = session.scalars(
            select(Group.name)
            .join(GroupMember)
            .where(GroupMember.learner_id == learner_id)
            .order_by(Group.name)
        ).all()
        mobilities = session.scalars(
            select(MobilityParticipant.mobility_id).where(
                MobilityParticipant.learner_id == learner_id
            )
        ).all()
        assessments = session.scalars(
            select(SelfAssessment.id)
            .where(SelfAssessment.learner_id == learner_id)
            .order_by(SelfAssessment.started_at)
        ).all()
        cases = session.scalars(
            select(ValidationCase.id)
            .where(ValidationCase.learner_id == learner_id)
            .order_by(ValidationCase.id)
        ).all()
        serials = session.scalars(
            select(Certificate.serial)
            .where(Certificate.learner_id == learner_id)
            .order_by(Certificate.issued_at)
        ).all()
        username = session.scalar(select(User.username).where(User.learner_id == learner_id))
        return LearnerRecord(
            summary(learner),
            learner.email,
            username,
            tuple(groups),
            tuple(mobilities),
            tuple(assessments),
            tuple(cases),
            tuple(serials),
        )


@service("learners.create_group")
def create_group(db: Database, actor: Actor, name: str, school_year: str = "") -> GroupInfo:
    name = name.strip()
    if not name:
        raise InvalidInput("name", _("A group needs a name."))
    with db.transaction() as session:
        if session.scalar(select(Group.id).where(Group.name == name)):
            raise InvalidInput(
                "name", _("There is already a group called '{name}'.").format(name=name)
            )
        group = Group(name=name, school_year=school_year.strip())
        session.add(group)
        session.flush()
        append(session, actor.username, "learners.create_group", "ok", "group", group.id)
        return GroupInfo(group.id, group.name, group.school_year, 0)


def _group(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound(_("There is no group with the number {id}.").format(id=group_id))
    return group


@service("learners.add_to_group")
def add_to_group(db: Database, actor: Actor, group_id: int, learner_ids: list[int]) -> None:
    with db.transaction() as session:
        _group(session, group_id)
        present = set(
            session.scalars(select(GroupMember.learner_id).where(GroupMember.group_id == group_id))
        )
        for learner_id in learner_ids:
            _learner(session, learner_id)
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


@service("learners.assign_group_teacher")
def assign_group_teacher(db: Database, actor: Actor, group_id: int, user_id: int) -> None:
    with db.transaction() as session:
        _group(session, group_id)
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


@service("learners.list_groups")
def list_groups(db: Database, actor: Actor) -> list[GroupInfo]:
    """All groups for a coordinator; a teacher's own groups for a teacher."""
    counts = (
        select(GroupMember.group_id, func.count().label("n"))
        .group_by(GroupMember.group_id)
        .subquery()
    )
    query = (
        select(Group, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .order_by(Group.name)
    )
    if not actor.has(Role.COORDINATOR):
        query = query.join(GroupTeacher, GroupTeacher.group_id == Group.id).where(
            GroupTeacher.user_id == actor.user_id
        )
    with db.transaction() as session:
        return [GroupInfo(g.id, g.name, g.school_year, n) for g, n in session.execute(query)]


@service("learners.group_members")
def group_members(db: Database, actor: Actor, group_id: int) -> list[LearnerSummary]:
    with db.transaction() as session:
        _group(session, group_id)
        if (
            not actor.has(Role.COORDINATOR)
            and session.get(GroupTeacher, (group_id, actor.user_id)) is None
        ):
            from digcomp_app.services.permissions import deny_object

            deny_object("group", group_id)
        learners = session.scalars(
            select(Learner)
            .join(GroupMember)
            .where(GroupMember.group_id == group_id)
            .order_by(Learner.surname, Learner.given_names)
        )
        return [summary(learner) for learner in learners]
