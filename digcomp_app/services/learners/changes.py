"""Adding and changing learners; a learner who left is deactivated, never deleted."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import simultaneous_changes_refused
from digcomp_app.services.learners.checks import (
    check_email,
    check_learner_number,
    checked_birth_date,
    checked_names,
    require_number_free,
)
from digcomp_app.services.learners.model import LearnerSummary, search_key, summaries_of, summary
from digcomp_app.services.learners.rows import (
    learner_row,
    new_learner,
    open_group_row,
    place_in_group,
)
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import User


@service("learners.create")
def create(
    db: Database,
    actor: Actor,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None = None,
    email: str = "",
    learner_number: str = "",
    group_id: int | None = None,
) -> LearnerSummary:
    with simultaneous_changes_refused(), db.transaction() as session:
        learner = new_learner(
            session, given_names, surname, date_of_birth, email, learner_number=learner_number
        )
        groups: list[str] = []
        if group_id is not None:
            groups.append(open_group_row(session, group_id).name)
            place_in_group(session, learner.id, group_id)
        append(session, actor.username, "learners.create", "ok", "learner", learner.id)
        return summary(learner, groups)


@service("learners.update")
def update(
    db: Database,
    actor: Actor,
    learner_id: int,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None,
    email: str,
    learner_number: str | None = None,
) -> LearnerSummary:
    """Change a learner's details; ``learner_number`` None keeps the number as it is."""
    with simultaneous_changes_refused(), db.transaction() as session:
        learner = learner_row(session, learner_id)
        learner.given_names, learner.surname = checked_names(given_names, surname)
        learner.search_name = search_key(learner.given_names, learner.surname)
        if date_of_birth != learner.date_of_birth:
            learner.date_of_birth = checked_birth_date(session, date_of_birth)
        learner.email = check_email(email)
        if learner_number is not None:
            number = check_learner_number(learner_number) or None
            if number:
                require_number_free(session, number, learner.id)
            learner.learner_number = number
        append(session, actor.username, "learners.update", "ok", "learner", learner.id)
        return summaries_of(session, [learner])[0]


@service("learners.set_active")
def set_active(db: Database, actor: Actor, learner_id: int, active: bool) -> LearnerSummary:
    """Deactivate a learner who left (their account too) or bring them back. Nothing is
    deleted: cases, self-assessments and certificates stay."""
    with db.transaction() as session:
        learner = learner_row(session, learner_id)
        learner.active = active
        account = session.scalar(select(User).where(User.learner_id == learner_id))
        if account is not None:
            account.active = active
        append(
            session,
            actor.username,
            "learners.set_active",
            "ok",
            "learner",
            learner.id,
            {"active": active, "account": account.username if account else None},
        )
        return summaries_of(session, [learner])[0]
