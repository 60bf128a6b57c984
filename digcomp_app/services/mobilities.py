"""Mobilities: learning periods abroad (Erasmus+ placements) and who takes part."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.framework import builtin_library
from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConcurrentChange, InvalidInput, NotFound
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.services.scope import require_teacher
from digcomp_app.storage.models import (
    Learner,
    Mobility,
    MobilityParticipant,
    MobilityTeacher,
    Organisation,
)


@dataclass(frozen=True, slots=True)
class MobilityInfo:
    id: int
    code: str
    title: str
    programme: str
    sending_organisation_id: int
    host_organisation_id: int
    host_organisation: str
    host_mentor: str
    host_country: str
    start_date: dt.date
    end_date: dt.date
    objective: str
    framework_id: str
    framework_version: str
    participant_count: int
    version: int


@dataclass(frozen=True, slots=True)
class MobilityDraft:
    """What a coordinator fills in to create or edit a mobility."""

    code: str
    title: str
    sending_organisation_id: int
    host_organisation_id: int
    host_country: str
    start_date: dt.date
    end_date: dt.date
    programme: str = "Erasmus+"
    host_mentor: str = ""
    objective: str = ""
    framework_id: str = "digcomp"
    framework_version: str = "3.0"


def _info(session: Session, mobility: Mobility) -> MobilityInfo:
    host = session.get(Organisation, mobility.host_organisation_id)
    count = (
        session.scalar(
            select(func.count())
            .select_from(MobilityParticipant)
            .where(MobilityParticipant.mobility_id == mobility.id)
        )
        or 0
    )
    return MobilityInfo(
        mobility.id,
        mobility.code,
        mobility.title,
        mobility.programme,
        mobility.sending_organisation_id,
        mobility.host_organisation_id,
        host.name if host else "",
        mobility.host_mentor,
        mobility.host_country,
        mobility.start_date,
        mobility.end_date,
        mobility.objective,
        mobility.framework_id,
        mobility.framework_version,
        count,
        mobility.version,
    )


def _validate(session: Session, draft: MobilityDraft, mobility_id: int | None = None) -> None:
    if not draft.code.strip():
        raise InvalidInput("code", _("A mobility needs a code."))
    if not draft.title.strip():
        raise InvalidInput("title", _("A mobility needs a title."))
    if draft.end_date < draft.start_date:
        raise InvalidInput("end_date", _("The mobility ends before it starts."))
    country = draft.host_country.strip()
    if len(country) != 2 or not country.isalpha():
        raise InvalidInput(
            "host_country", _("The host country must be a two-letter code such as DE.")
        )
    for field, org_id in (
        ("sending_organisation_id", draft.sending_organisation_id),
        ("host_organisation_id", draft.host_organisation_id),
    ):
        if session.get(Organisation, org_id) is None:
            raise InvalidInput(
                field, _("There is no organisation with the number {id}.").format(id=org_id)
            )
    if builtin_library().find(draft.framework_id, draft.framework_version) is None:
        raise InvalidInput(
            "framework",
            _("The framework {id} {version} is not installed.").format(
                id=draft.framework_id, version=draft.framework_version
            ),
        )
    clash = session.scalar(select(Mobility.id).where(Mobility.code == draft.code.strip()))
    if clash is not None and clash != mobility_id:
        raise InvalidInput(
            "code",
            _("The code '{code}' is already used by another mobility.").format(code=draft.code),
        )


def _apply(mobility: Mobility, draft: MobilityDraft) -> None:
    mobility.code = draft.code.strip()
    mobility.title = draft.title.strip()
    mobility.programme = draft.programme.strip()
    mobility.sending_organisation_id = draft.sending_organisation_id
    mobility.host_organisation_id = draft.host_organisation_id
    mobility.host_mentor = draft.host_mentor.strip()
    mobility.host_country = draft.host_country.strip().upper()
    mobility.start_date, mobility.end_date = draft.start_date, draft.end_date
    mobility.objective = draft.objective.strip()
    mobility.framework_id, mobility.framework_version = (
        draft.framework_id,
        draft.framework_version,
    )


def _mobility(session: Session, mobility_id: int) -> Mobility:
    mobility = session.get(Mobility, mobility_id)
    if mobility is None:
        raise NotFound(_("There is no mobility with the number {id}.").format(id=mobility_id))
    return mobility


@service("mobilities.create")
def create(db: Database, actor: Actor, draft: MobilityDraft) -> MobilityInfo:
    with db.transaction() as session:
        _validate(session, draft)
        mobility = Mobility()
        _apply(mobility, draft)
        session.add(mobility)
        session.flush()
        append(
            session,
            actor.username,
            "mobilities.create",
            "ok",
            "mobility",
            mobility.id,
            {"code": mobility.code},
        )
        return _info(session, mobility)


@service("mobilities.update")
def update(
    db: Database, actor: Actor, mobility_id: int, draft: MobilityDraft, expected_version: int
) -> MobilityInfo:
    """Save changes made to the version the editor started from (see ConcurrentChange)."""
    with db.transaction() as session:
        mobility = _mobility(session, mobility_id)
        if mobility.version != expected_version:
            raise ConcurrentChange(
                _(
                    "Someone else changed this mobility while you were "
                    "editing it. Their version is shown; make your changes "
                    "again."
                ),
                _info(session, mobility),
            )
        _validate(session, draft, mobility_id)
        _apply(mobility, draft)
        session.flush()
        append(session, actor.username, "mobilities.update", "ok", "mobility", mobility.id)
        return _info(session, mobility)


@service("mobilities.add_participants")
def add_participants(
    db: Database, actor: Actor, mobility_id: int, learner_ids: list[int]
) -> MobilityInfo:
    with db.transaction() as session:
        mobility = _mobility(session, mobility_id)
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
        return _info(session, mobility)


@service("mobilities.assign_teacher")
def assign_teacher(db: Database, actor: Actor, mobility_id: int, user_id: int) -> None:
    with db.transaction() as session:
        _mobility(session, mobility_id)
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
        row.europass_number = number.strip()
        append(
            session,
            actor.username,
            "mobilities.set_europass_number",
            "ok",
            "mobility",
            mobility_id,
            {"learner": learner_id},
        )


def _visible(actor: Actor):  # type: ignore[no-untyped-def]
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
    query = _visible(actor).order_by(Mobility.start_date.desc(), Mobility.code)
    if text.strip():
        pattern = f"%{text.strip().lower()}%"
        query = query.where(
            func.lower(Mobility.code).like(pattern) | func.lower(Mobility.title).like(pattern)
        )
    with db.transaction() as session:
        return [_info(session, m) for m in session.scalars(query)]


@service("mobilities.get")
def get(db: Database, actor: Actor, mobility_id: int) -> MobilityInfo:
    with db.transaction() as session:
        mobility = session.scalar(_visible(actor).where(Mobility.id == mobility_id))
        if mobility is None:
            if session.get(Mobility, mobility_id) is None:
                raise NotFound(
                    _("There is no mobility with the number {id}.").format(id=mobility_id)
                )
            deny_object("mobility", mobility_id)
        return _info(session, mobility)


def participants(session: Session, mobility_id: int) -> list[int]:
    return list(
        session.scalars(
            select(MobilityParticipant.learner_id).where(
                MobilityParticipant.mobility_id == mobility_id
            )
        )
    )
