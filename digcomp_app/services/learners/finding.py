"""Finding learners (by name or learner number, a teacher only theirs) and one learner's
whole record."""

from __future__ import annotations

import unicodedata

from sqlalchemy import Select, func, or_, select

from digcomp_app.services.database import Database
from digcomp_app.services.learners.model import (
    SEARCH_LIMIT,
    LearnerRecord,
    LearnerSummary,
    escape_like,
    fold,
    summaries_of,
    summary,
)
from digcomp_app.services.learners.rows import learner_row
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import require_learner, teacher_learner_ids
from digcomp_app.storage.models import (
    Certificate,
    Group,
    GroupMember,
    Learner,
    MobilityParticipant,
    SelfAssessment,
    User,
    ValidationCase,
)


def _learner_query(
    actor: Actor, fragment: str, group_id: int | None, include_inactive: bool
) -> Select[Learner]:
    query = select(Learner)
    # control characters (NUL, which PostgreSQL refuses) separate words; no name holds them
    plain = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in fragment)
    words = fold(plain).split()
    for word in words:
        escaped = escape_like(word)
        query = query.where(
            or_(
                Learner.search_name.like(f"%{escaped}%", escape="\\"),
                func.lower(Learner.learner_number).like(f"{escaped}%", escape="\\"),
            )
        )
    if group_id is not None:
        query = query.where(
            Learner.id.in_(select(GroupMember.learner_id).where(GroupMember.group_id == group_id))
        )
    if not include_inactive:
        query = query.where(Learner.active.is_(True))
    if not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR)):
        query = query.where(Learner.id.in_(teacher_learner_ids(actor.user_id)))
    return query.order_by(Learner.surname, Learner.given_names, Learner.id)


@service("learners.search")
def search(
    db: Database,
    actor: Actor,
    fragment: str,
    limit: int = SEARCH_LIMIT,
    group_id: int | None = None,
    include_inactive: bool = False,
) -> list[LearnerSummary]:
    """Learners whose name contains every word of ``fragment`` (case and accents ignored),
    or whose learner number starts with it; optionally only one group's.

    A teacher finds only the learners of their groups and mobilities.
    """
    query = _learner_query(actor, fragment, group_id, include_inactive).limit(limit)
    with db.transaction() as session:
        return summaries_of(session, list(session.scalars(query)))


@service("learners.list")
def list_learners(
    db: Database, actor: Actor, group_id: int | None = None, include_inactive: bool = False
) -> list[LearnerSummary]:
    """Every learner (a teacher: theirs), or one group's, by surname."""
    query = _learner_query(actor, "", group_id, include_inactive)
    with db.transaction() as session:
        return summaries_of(session, list(session.scalars(query)))


@service("learners.get_record")
def get_record(db: Database, actor: Actor, learner_id: int) -> LearnerRecord:
    """Everything recorded about one learner, as ids to open with the other services."""
    with db.transaction() as session:
        if not actor.has(Role.ADMINISTRATOR):
            require_learner(session, actor, learner_id)
        learner = learner_row(session, learner_id)
        all_groups = session.execute(
            select(Group.name, Group.archived_at)
            .join(GroupMember)
            .where(GroupMember.learner_id == learner_id)
            .order_by(Group.name)
        ).all()
        groups = [name for name, archived in all_groups if archived is None]
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
            summary(learner, groups, username is not None),
            learner.email,
            username,
            tuple(groups),
            tuple(mobilities),
            tuple(assessments),
            tuple(cases),
            tuple(serials),
            tuple(name for name, _archived in all_groups),
        )
