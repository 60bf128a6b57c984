"""Consent records: where the school relies on consent (decision 0027).

Most of what the app holds the school needs for its educational task (no consent asked).
Consent matters for a few extras: photos of the learner in evidence, sharing their data
with the host organisation of a mobility, and publishing their work or results. A record
says who consented (the learner, or a parent or guardian for a minor, by name), on which
date, to what, and when it was withdrawn. Withdrawing keeps the record (proof of what was
allowed until then). Coordinators and administrators keep the records; teachers read those
of their own learners.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import N_, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, WorkflowError
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import require_learner, teacher_learner_ids
from digcomp_app.storage.models import Consent, Learner, User

#: what a consent can be for, with its name for people
SCOPES: dict[str, str] = {
    "evidence_photos": N_("photos or videos of the learner in evidence"),
    "host_sharing": N_("data shared with the host organisation"),
    "publication": N_("publication of work or results"),
}
#: who gave it
GIVERS: dict[str, str] = {
    "learner": N_("the learner"),
    "guardian": N_("a parent or guardian"),
}
MAX_NAME = 200
MAX_NOTE = 2000


def scope_label(scope: str) -> str:
    return _(SCOPES[scope]) if scope in SCOPES else scope


def giver_label(given_by: str) -> str:
    return _(GIVERS[given_by]) if given_by in GIVERS else given_by


@dataclass(frozen=True, slots=True)
class ConsentInfo:
    id: int
    learner_id: int
    scope: str
    given_by: str
    giver_name: str
    given_on: dt.date
    withdrawn_on: dt.date | None
    note: str
    recorded_by: str
    recorded_at: dt.datetime

    @property
    def current(self) -> bool:
        return self.withdrawn_on is None


def _info(session: Session, row: Consent) -> ConsentInfo:
    user = session.get(User, row.recorded_by)
    return ConsentInfo(
        row.id,
        row.learner_id,
        row.scope,
        row.given_by,
        row.giver_name,
        row.given_on,
        row.withdrawn_on,
        row.note,
        user.display_name if user else "",
        row.recorded_at,
    )


def _date(value: object, field: str, label: str) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise InvalidInput(field, _("The {field} must be a date (YYYY-MM-DD).").format(field=label))


def _day(value: object, field: str, label: str) -> dt.date:
    """A date given as a date or "YYYY-MM-DD" (today when None), not in the future."""
    day = dt.date.today() if value is None else _date(value, field, label)
    if day > dt.date.today():
        raise InvalidInput(field, _("The {field} cannot be in the future.").format(field=label))
    return day


@service("privacy.record_consent")
def record_consent(
    db: Database,
    actor: Actor,
    learner_id: int,
    scope: str,
    given_by: str,
    giver_name: str,
    given_on: dt.date | str | None = None,
    note: str = "",
) -> ConsentInfo:
    """Record a consent given on ``given_on`` (today when None)."""
    if scope not in SCOPES:
        raise InvalidInput("scope", _("Choose what the consent is for."))
    if given_by not in GIVERS:
        raise InvalidInput("given_by", _("Choose who gave the consent."))
    name = clean_text(giver_name, "giver_name", _("name of the person who consented"), MAX_NAME)
    if not name:
        raise InvalidInput("giver_name", _("Give the name of the person who consented."))
    note = clean_text(note, "note", _("note"), MAX_NOTE, multiline=True)
    day = _day(given_on, "given_on", _("consent date"))
    with db.transaction() as session:
        learner = session.get(Learner, int(learner_id))
        if learner is None:
            raise NotFound(_("There is no such learner."))
        if learner.erased_at is not None:
            raise WorkflowError(_("This learner's data was erased."))
        row = Consent(
            learner_id=learner.id,
            scope=scope,
            given_by=given_by,
            giver_name=name,
            given_on=day,
            note=note,
            recorded_by=actor.user_id,
        )
        session.add(row)
        session.flush()
        # never the name of the person who consented
        append(
            session,
            actor.username,
            "privacy.record_consent",
            "ok",
            "consent",
            row.id,
            {"learner": learner.id, "scope": scope, "given_by": given_by},
        )
        return _info(session, row)


@service("privacy.withdraw_consent")
def withdraw_consent(
    db: Database, actor: Actor, consent_id: int, withdrawn_on: dt.date | str | None = None
) -> ConsentInfo:
    """Mark a consent withdrawn on ``withdrawn_on`` (today when None); the record stays."""
    day = _day(withdrawn_on, "withdrawn_on", _("withdrawal date"))
    with db.transaction() as session:
        row = session.get(Consent, int(consent_id))
        if row is None:
            raise NotFound(_("There is no such consent record."))
        if row.withdrawn_on is not None:
            raise WorkflowError(_("This consent was already withdrawn."))
        if day < row.given_on:
            raise InvalidInput(
                "withdrawn_on", _("A consent cannot be withdrawn before it was given.")
            )
        row.withdrawn_on = day
        append(
            session,
            actor.username,
            "privacy.withdraw_consent",
            "ok",
            "consent",
            row.id,
            {"learner": row.learner_id, "scope": row.scope},
        )
        return _info(session, row)


@service("privacy.list_consents")
def list_consents(
    db: Database,
    actor: Actor,
    learner_id: int | None = None,
    scope: str | None = None,
    current_only: bool = False,
) -> list[ConsentInfo]:
    """Consent records, newest first: one learner's, or everyone's the actor may see."""
    if scope is not None and scope not in SCOPES:
        raise InvalidInput("scope", _("Choose what the consent is for."))
    with db.transaction() as session:
        query = select(Consent).order_by(Consent.given_on.desc(), Consent.id.desc())
        teacher_only = not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR))
        if learner_id is not None:
            if teacher_only:
                require_learner(session, actor, int(learner_id))
            query = query.where(Consent.learner_id == int(learner_id))
        elif teacher_only:
            query = query.where(Consent.learner_id.in_(teacher_learner_ids(actor.user_id)))
        if scope is not None:
            query = query.where(Consent.scope == scope)
        if current_only:
            query = query.where(Consent.withdrawn_on.is_(None))
        return [_info(session, row) for row in session.scalars(query)]
