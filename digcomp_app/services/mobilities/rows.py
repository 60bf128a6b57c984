"""Mobility rows inside a caller's transaction: looking one up, what the services return
of it, its participants."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.errors import NotFound
from digcomp_app.services.mobilities.model import MobilityInfo
from digcomp_app.services.mobilities.texts import stored_texts
from digcomp_app.storage.models import Mobility, MobilityParticipant, Organisation


def mobility_info(session: Session, mobility: Mobility) -> MobilityInfo:
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
        stored_texts(mobility),
    )


def mobility_row(session: Session, mobility_id: int) -> Mobility:
    mobility = session.get(Mobility, mobility_id)
    if mobility is None:
        raise NotFound(_("There is no mobility with the number {id}.").format(id=mobility_id))
    return mobility


def participants(session: Session, mobility_id: int) -> list[int]:
    return list(
        session.scalars(
            select(MobilityParticipant.learner_id).where(
                MobilityParticipant.mobility_id == mobility_id
            )
        )
    )
