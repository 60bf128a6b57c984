"""Filling an empty database at once (the demo school, ``showcase/demo``): a transaction
that holds only while the database has no user, and the counts of what a school holds.

The layers above services/ never reach the database themselves (docs/architecture.md):
these are the two things a filler needs besides the services' ordinary functions, which
it calls with the session of ``empty_school`` where they take one (``accounts.add_user``,
``auditlog.append``).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digcomp_app.services.database import Database
from digcomp_app.services.errors import WorkflowError
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.validation import STAGES
from digcomp_app.storage.models import (
    Certificate,
    EvidenceItem,
    Group,
    Learner,
    Mobility,
    SelfAssessment,
    User,
    ValidationCase,
)


@service("seeding.empty_school")
@contextmanager
def empty_school(db: Database, actor: Actor | None, refusal: str) -> Iterator[Session]:
    """One transaction on a database that has no user: ``WorkflowError(refusal)`` when it
    has one, also when someone creates one at the same moment. Anyone may ask, signed in
    or not: a database without users has nothing to protect."""
    try:
        with db.transaction() as session:
            if session.scalar(select(func.count()).select_from(User)):
                raise WorkflowError(refusal)
            yield session
    except IntegrityError:  # someone created a user at the same moment
        raise WorkflowError(refusal) from None


@dataclass(frozen=True, slots=True)
class Counts:
    users: int
    learners: int
    groups: int
    mobilities: int
    #: every stage of ``validation.STAGES``, also when 0
    cases_by_stage: dict[str, int]
    self_assessments: int
    evidence_items: int
    #: issued and valid
    certificates: int
    revoked_certificates: int
    #: (username, display name, first role) in the order they were created
    users_created: tuple[tuple[str, str, Role], ...]


def counts(session: Session) -> Counts:
    """What the school holds, read in the caller's transaction."""

    def count(model: type, *where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).select_from(model).where(*where)) or 0

    stages = dict.fromkeys(STAGES, 0)
    stages.update(
        session.execute(select(ValidationCase.stage, func.count()).group_by(ValidationCase.stage))
        .tuples()
        .all()
    )
    return Counts(
        users=count(User),
        learners=count(Learner),
        groups=count(Group),
        mobilities=count(Mobility),
        cases_by_stage=stages,
        self_assessments=count(SelfAssessment),
        evidence_items=count(EvidenceItem),
        certificates=count(Certificate, Certificate.status == "issued"),
        revoked_certificates=count(Certificate, Certificate.status == "revoked"),
        users_created=tuple(
            (user.username, user.display_name, Role(user.roles[0].role))
            for user in session.scalars(select(User).order_by(User.id))
        ),
    )
