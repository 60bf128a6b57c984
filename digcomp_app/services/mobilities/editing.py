"""Creating and editing a mobility: its details checked, and edits made at the same
moment by someone else refused."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConcurrentChange, InvalidInput, simultaneous_changes_refused
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.mobilities.model import (
    MAX_CODE,
    MAX_HOST_MENTOR,
    MAX_PROGRAMME,
    MobilityDraft,
    MobilityInfo,
)
from digcomp_app.services.mobilities.rows import mobility_info, mobility_row
from digcomp_app.services.mobilities.texts import clean_texts, merged_texts, primary_text
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import Mobility, Organisation


def _validate(
    db: Database, session: Session, draft: MobilityDraft, mobility: Mobility | None = None
) -> dict[str, dict[str, str]]:
    """Check ``draft``; the texts to save (every language and field)."""
    mobility_id = mobility.id if mobility is not None else None
    code = clean_text(draft.code, "code", _("code"), MAX_CODE)
    if not code:
        raise InvalidInput("code", _("A mobility needs a code."))
    # title and objective are checked with the texts (as texts.<language>.<field>)
    clean_text(draft.programme, "programme", _("programme"), MAX_PROGRAMME)
    clean_text(draft.host_mentor, "host_mentor", _("host mentor"), MAX_HOST_MENTOR)
    clean_text(draft.host_country, "host_country", _("host country"), 2)
    texts = merged_texts(mobility, draft, clean_texts(draft))
    if not primary_text(texts, "title"):
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
    if library_of(db, session).find(draft.framework_id, draft.framework_version) is None:
        raise InvalidInput(
            "framework",
            _("The framework {id} {version} is not installed.").format(
                id=draft.framework_id, version=draft.framework_version
            ),
        )
    clash = session.scalar(select(Mobility.id).where(Mobility.code == code))
    if clash is not None and clash != mobility_id:
        raise InvalidInput(
            "code",
            _("The code '{code}' is already used by another mobility.").format(code=draft.code),
        )
    return texts


def _apply(mobility: Mobility, draft: MobilityDraft, texts: dict[str, dict[str, str]]) -> None:
    mobility.code = draft.code.strip()
    mobility.title = primary_text(texts, "title")
    mobility.programme = draft.programme.strip()
    mobility.sending_organisation_id = draft.sending_organisation_id
    mobility.host_organisation_id = draft.host_organisation_id
    mobility.host_mentor = draft.host_mentor.strip()
    mobility.host_country = draft.host_country.strip().upper()
    mobility.start_date, mobility.end_date = draft.start_date, draft.end_date
    mobility.objective = primary_text(texts, "objective")
    # only the languages that have a text; a new dict, so that the JSON column is saved
    mobility.texts = {
        language: dict(values) for language, values in texts.items() if any(values.values())
    }
    mobility.framework_id, mobility.framework_version = (
        draft.framework_id,
        draft.framework_version,
    )


@service("mobilities.create")
def create(db: Database, actor: Actor, draft: MobilityDraft) -> MobilityInfo:
    # another coordinator may create a mobility with the same code between our check and
    # our commit: the unique code refuses ours (SimultaneousChange)
    with simultaneous_changes_refused(), db.transaction() as session:
        texts = _validate(db, session, draft)
        mobility = Mobility()
        _apply(mobility, draft, texts)
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
        return mobility_info(session, mobility)


@service("mobilities.update")
def update(
    db: Database, actor: Actor, mobility_id: int, draft: MobilityDraft, expected_version: int
) -> MobilityInfo:
    """Save changes made to the version the editor started from (see ConcurrentChange); a
    code someone else gave another mobility at the same moment is a SimultaneousChange."""
    try:
        with simultaneous_changes_refused(), db.transaction() as session:
            mobility = mobility_row(session, mobility_id)
            if mobility.version != expected_version:
                raise ConcurrentChange(
                    _mobility_changed_message(), mobility_info(session, mobility)
                )
            texts = _validate(db, session, draft, mobility)
            _apply(mobility, draft, texts)
            session.flush()
            append(session, actor.username, "mobilities.update", "ok", "mobility", mobility.id)
            return mobility_info(session, mobility)
    except StaleDataError:
        # Someone saved between our read and our write (checked by the version column; on
        # PostgreSQL the second writer waits for the first and then finds no row to update).
        with db.transaction() as session:
            current = mobility_row(session, mobility_id)
            raise ConcurrentChange(
                _mobility_changed_message(), mobility_info(session, current)
            ) from None


def _mobility_changed_message() -> str:
    return _(
        "Someone else changed this mobility while you were editing it. Their version is "
        "shown; make your changes again."
    )
