"""Organisations: the school itself (the "home" organisation), host companies, partners."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import select

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import Organisation

KINDS = ("school", "host", "partner")


@dataclass(frozen=True, slots=True)
class OrganisationInfo:
    id: int
    name: str
    kind: str
    address: str = ""
    country: str = ""
    contact_person: str = ""
    email: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    #: the school prints the holder's date of birth on attestations
    print_birth_date: bool = False


_EDITABLE = (
    "name",
    "address",
    "country",
    "contact_person",
    "email",
    "signatory_name",
    "signatory_role",
)


def info(org: Organisation) -> OrganisationInfo:
    return OrganisationInfo(**{f.name: getattr(org, f.name) for f in fields(OrganisationInfo)})


def _validate(values: dict[str, str]) -> dict[str, str]:
    clean = {key: str(values.get(key, "")).strip() for key in _EDITABLE if key in values}
    if "name" in clean and not clean["name"]:
        raise InvalidInput("name", _("An organisation needs a name."))
    country = clean.get("country", "")
    if country and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput("country", _("The country must be a two-letter code such as LV."))
    if country:
        clean["country"] = country.upper()
    return clean


@service("organisations.get_home")
def get_home(db: Database, actor: Actor) -> OrganisationInfo | None:
    with db.transaction() as session:
        org = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        return info(org) if org else None


@service("organisations.update_home")
def update_home(db: Database, actor: Actor, **values: str) -> OrganisationInfo:
    clean = _validate(values)
    with db.transaction() as session:
        org = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        if org is None:
            if not clean.get("name"):
                raise InvalidInput("name", _("An organisation needs a name."))
            org = Organisation(kind="school", is_home=True, name=clean["name"])
            session.add(org)
        for key, value in clean.items():
            setattr(org, key, value)
        session.flush()
        append(
            session,
            actor.username,
            "organisations.update_home",
            "ok",
            "organisation",
            org.id,
            {"fields": sorted(clean)},
        )
        return info(org)


@service("organisations.create")
def create(db: Database, actor: Actor, kind: str, **values: str) -> OrganisationInfo:
    if kind not in KINDS:
        raise InvalidInput("kind", _("Unknown kind of organisation: {kind}").format(kind=kind))
    clean = _validate(values)
    if not clean.get("name"):
        raise InvalidInput("name", _("An organisation needs a name."))
    with db.transaction() as session:
        org = Organisation(kind=kind, **clean)
        session.add(org)
        session.flush()
        append(session, actor.username, "organisations.create", "ok", "organisation", org.id)
        return info(org)


@service("organisations.list")
def list_all(db: Database, actor: Actor) -> list[OrganisationInfo]:
    with db.transaction() as session:
        return [info(o) for o in session.scalars(select(Organisation).order_by(Organisation.name))]
