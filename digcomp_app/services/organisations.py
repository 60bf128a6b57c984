"""Organisations: the school itself (the "home" organisation), host companies, partners.

The school's logo is stored like evidence files, once per content under its SHA-256 (see
docs/decisions/0008-evidence-in-the-database.md); only PNG and JPEG pictures are accepted,
recognised by their content.
"""

from __future__ import annotations

import hashlib
import struct
import urllib.parse
from dataclasses import dataclass, fields

from sqlalchemy import CursorResult, select, update
from sqlalchemy.orm import Session

from digcomp_app.i18n import N_, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import IntegrityProblem, InvalidInput, NotFound
from digcomp_app.services.evidence import put_blob, release_blob, sniff_media_type
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, service
from digcomp_app.settings import load_settings
from digcomp_app.storage.models import EvidenceBlob, Learner, Organisation

KINDS = ("school", "host", "partner")
#: the longest verification address (it is printed and carried in every QR code)
MAX_ADDRESS = 300
#: the largest logo accepted (it is printed a few centimetres wide)
MAX_LOGO_BYTES = 2 * 1024 * 1024
LOGO_TYPES = ("image/png", "image/jpeg")


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
    #: the school records learners' dates of birth at all (off: none is stored)
    keep_birth_date: bool = False
    #: the school's page where attestations are checked ("" when none; administrators set it)
    verification_address: str = ""


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


#: the longest value of each field (the columns' sizes; the address is free text), and its
#: name in messages
_LIMITS: dict[str, tuple[int | None, str]] = {
    "name": (300, N_("organisation name")),
    "address": (4000, N_("address")),
    "country": (2, N_("country")),
    "contact_person": (200, N_("contact person")),
    "email": (200, N_("e-mail address")),
    "signatory_name": (200, N_("signatory's name")),
    "signatory_role": (200, N_("signatory's role")),
}


def _validate(values: dict[str, str]) -> dict[str, str]:
    clean = {}
    for key in _EDITABLE:
        if key in values:
            limit, label = _LIMITS[key]
            value = values.get(key)
            clean[key] = clean_text(
                "" if value is None else str(value),
                key,
                _(label),
                limit,
                multiline=key == "address",
            )
    if "name" in clean and not clean["name"]:
        raise InvalidInput("name", _("An organisation needs a name."))
    country = clean.get("country", "")
    if country and (len(country) != 2 or not country.isalpha()):
        raise InvalidInput("country", _("The country must be a two-letter code such as LV."))
    if country:
        clean["country"] = country.upper()
    return clean


def verification_address(text: str) -> str:
    """The school's verification address, checked: an https address without user name,
    password or fragment (the signed data goes after its "#"), ending in "/" or a path, at
    most 300 characters. A host name in another script is kept in its ASCII (IDNA) form and
    other non-ASCII characters are percent-encoded, so the QR code holds plain ASCII.
    "" clears it. Raises InvalidInput."""
    text = clean_text(text, "verification_address", _("verification address"), None)
    if not text:
        return ""

    def refuse(reason: str) -> InvalidInput:
        return InvalidInput("verification_address", reason)

    try:
        parts = urllib.parse.urlsplit(text)
        host = parts.hostname or ""
        port = parts.port
    except ValueError:
        raise refuse(_("This is not a web address.")) from None
    if parts.scheme.lower() != "https":
        raise refuse(_("The verification address must start with https://."))
    if not host or any(c.isspace() for c in text):
        raise refuse(_("This is not a web address."))
    if parts.username is not None or parts.password is not None:
        raise refuse(_("The verification address must not hold a user name or password."))
    if "#" in text:
        raise refuse(_("The verification address must not hold a '#' part."))
    if not parts.path:
        raise refuse(
            _("End the verification address with '/' or the page's path, e.g. {example}").format(
                example="https://www.school.lv/attestations/"
            )
        )
    try:
        ascii_host = host.encode("idna").decode("ascii")
    except UnicodeError:
        raise refuse(_("This is not a web address.")) from None
    netloc = ascii_host + (f":{port}" if port is not None else "")
    path = urllib.parse.quote(parts.path, safe="/%:@!$&'()*+,;=-._~")
    query = urllib.parse.quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    address = urllib.parse.urlunsplit(("https", netloc, path, query, ""))
    if len(address) > MAX_ADDRESS:
        raise refuse(
            _("The verification address can have at most {count} characters.").format(
                count=MAX_ADDRESS
            )
        )
    return address


def _machine_address(default: bool = False) -> str | None:
    """The verification address of the machine-wide file: the locked one (None when not
    locked), or with ``default`` the one set there at all; None when it is not valid."""
    settings = load_settings()
    wanted = default or settings.is_locked("verification_address")
    if not settings.verification_address or not wanted:
        return None
    try:
        return verification_address(settings.verification_address)
    except InvalidInput:
        return None


def _home(session: Session) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))


@service("organisations.get_home")
def get_home(db: Database, actor: Actor) -> OrganisationInfo | None:
    with db.transaction() as session:
        org = _home(session)
        return info(org) if org else None


@service("organisations.update_home")
def update_home(db: Database, actor: Actor, **values: str | bool) -> OrganisationInfo:
    """Change the school's details; ``print_birth_date`` (a bool) is the school's choice to
    print the holder's date of birth on attestations, ``keep_birth_date`` to record learners'
    dates of birth at all. Turning ``keep_birth_date`` off erases every stored date of birth
    (and stops printing them): the school no longer has a reason to hold them.
    ``verification_address`` is the school's page where attestations are checked (see
    :func:`verification_address`); certificates issued from then on carry it."""
    print_birth_date = values.pop("print_birth_date", None)
    if print_birth_date is not None and not isinstance(print_birth_date, bool):
        raise InvalidInput("print_birth_date", _("Printing the date of birth is either on or off."))
    keep_birth_date = values.pop("keep_birth_date", None)
    if keep_birth_date is not None and not isinstance(keep_birth_date, bool):
        raise InvalidInput("keep_birth_date", _("Keeping dates of birth is either on or off."))
    clean = _validate(values)  # type: ignore[arg-type]
    address = values.pop("verification_address", None)
    if address is not None:
        clean["verification_address"] = verification_address(str(address))
    locked = _machine_address()
    if locked is not None:  # the school's IT locked it in the machine-wide file
        clean["verification_address"] = locked
    with db.transaction() as session:
        org = _home(session)
        if org is None:
            if not clean.get("name"):
                raise InvalidInput("name", _("An organisation needs a name."))
            if "verification_address" not in clean:  # a new school: the address IT set
                clean["verification_address"] = _machine_address(default=True) or ""
            org = Organisation(kind="school", is_home=True, name=clean["name"])
            session.add(org)
        for key, value in clean.items():
            setattr(org, key, value)
        changed = sorted(clean)
        erased = 0
        if keep_birth_date is not None:
            org.keep_birth_date = keep_birth_date
            changed = sorted([*changed, "keep_birth_date"])
            if not keep_birth_date:
                done = session.execute(
                    update(Learner)
                    .where(Learner.date_of_birth.is_not(None))
                    .values(date_of_birth=None)
                )
                assert isinstance(done, CursorResult)  # an UPDATE's result counts its rows
                erased = done.rowcount
                org.print_birth_date = False
        if print_birth_date is not None:
            if print_birth_date and not org.keep_birth_date:
                raise InvalidInput(
                    "print_birth_date",
                    _(
                        "Dates of birth can be printed only when the school keeps them: "
                        "turn on 'Keep learners' dates of birth' first."
                    ),
                )
            org.print_birth_date = print_birth_date
            changed = sorted([*changed, "print_birth_date"])
        session.flush()
        append(
            session,
            actor.username,
            "organisations.update_home",
            "ok",
            "organisation",
            org.id,
            {"fields": changed, **({"birth_dates_erased": erased} if erased else {})},
        )
        return info(org)


def image_size(content: bytes) -> tuple[int, int] | None:
    """Width and height of a PNG or JPEG picture, read from its header; None if unreadable."""
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        if len(content) < 24 or content[12:16] != b"IHDR":
            return None
        width, height = struct.unpack(">II", content[16:24])
        return (width, height) if width and height else None
    if content.startswith(b"\xff\xd8"):
        return _jpeg_size(content)
    return None


#: JPEG start-of-frame markers (they carry the picture's size)
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}


def _jpeg_size(content: bytes) -> tuple[int, int] | None:
    at = 2
    while at + 4 <= len(content):
        if content[at] != 0xFF:
            return None
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            at += 2
            continue
        (length,) = struct.unpack(">H", content[at + 2 : at + 4])
        if marker in _SOF:
            if at + 9 > len(content) or length < 7:
                return None
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            return (width, height) if width and height else None
        if marker == 0xDA or length < 2:  # image data before any frame header
            return None
        at += 2 + length
    return None


def check_logo(content: bytes) -> str:
    """The logo's media type, after checking that it is a PNG or JPEG picture that fits."""
    if len(content) > MAX_LOGO_BYTES:
        raise InvalidInput(
            "logo",
            _("The picture is {size} MB; a logo may be at most {limit} MB.").format(
                size=round(len(content) / 2**20, 1), limit=MAX_LOGO_BYTES // 2**20
            ),
        )
    media_type = sniff_media_type(content) if content else None
    if media_type not in LOGO_TYPES:
        raise InvalidInput("logo", _("A logo must be a PNG or JPEG picture."))
    if image_size(content) is None:
        raise InvalidInput(
            "logo",
            _("The picture cannot be read; it may be damaged. Save it again as PNG or JPEG."),
        )
    return media_type


@service("organisations.set_home_logo")
def set_home_logo(db: Database, actor: Actor, data: bytes | None) -> OrganisationInfo:
    """Set the school's logo (a PNG or JPEG picture of at most 2 MB); None removes it."""
    media_type = check_logo(data) if data is not None else None
    with db.transaction() as session:
        org = _home(session)
        if org is None:
            raise NotFound(
                _("The school's details are not filled in yet. Save at least its name first.")
            )
        previous = org.logo_sha256
        if data is None or media_type is None:
            org.logo_sha256 = None
        else:
            org.logo_sha256 = put_blob(session, data, media_type).sha256
        session.flush()
        if previous != org.logo_sha256:
            release_blob(session, previous)
        append(
            session,
            actor.username,
            "organisations.set_home_logo",
            "ok",
            "organisation",
            org.id,
            {"sha256": org.logo_sha256 or "", "previous": previous or ""},
        )
        return info(org)


@service("organisations.home_logo")
def home_logo(db: Database, actor: Actor) -> bytes | None:
    """The school's logo (PNG or JPEG), or None when it has none."""
    with db.transaction() as session:
        org = _home(session)
        if org is None or not org.logo_sha256:
            return None
        blob = session.get(EvidenceBlob, org.logo_sha256)
        content = bytes(blob.content) if blob is not None else b""
        if hashlib.sha256(content).hexdigest() != org.logo_sha256:
            raise IntegrityProblem(
                _(
                    "The stored logo has been damaged or altered (its checksum does not "
                    "match). Choose the logo again, or restore a backup."
                )
            )
        return content


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
