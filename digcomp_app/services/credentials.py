"""Digital credentials of issued certificates: Open Badges 3.0 files signed with the
school's key, and the DID document the school publishes so that wallets and verifiers find
its public keys (docs/digital-credentials.md, docs/decisions/0033-digital-credentials.md)."""

from __future__ import annotations

import datetime as dt
import json
import re
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from digcomp_app.documents import openbadges, status_list
from digcomp_app.i18n import UI_LANGUAGES, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, SimultaneousChange, WorkflowError
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.signing import Signer, require_current_key
from digcomp_app.storage.models import Certificate, Organisation, SigningKey, utcnow

#: the file a school publishes at https://<host>/.well-known/did.json
ISSUER_FILE = "did.json"
#: the status list's file, published beside the verification page
STATUS_LIST_FILE = status_list.LIST_FILE


@dataclass(frozen=True, slots=True)
class CredentialFile:
    """One exported credential: its file name and its JSON text."""

    serial: str
    competence: str
    name: str
    text: str


def file_name(serial: str, competence: str) -> str:
    return f"{serial}-{re.sub(r'[^0-9A-Za-z.-]', '_', competence)}.ob3.json"


def dumps(document: object) -> str:
    """The JSON text of an exported file (UTF-8, indented, keys as built)."""
    return json.dumps(document, ensure_ascii=False, indent=2) + "\n"


@dataclass(frozen=True, slots=True)
class StatusListFile:
    """The school's signed status list: where to publish it, its JSON text, and how many
    revoked certificates it marks."""

    address: str
    text: str
    revoked: int


def _address(session: object) -> tuple[str, str]:
    home = session.scalar(  # type: ignore[attr-defined]
        select(Organisation).where(Organisation.is_home.is_(True))
    )
    return (home.name, home.verification_address or "") if home else ("", "")


def _status_index(session: Session, cert: Certificate, used: set[int]) -> int:
    """The certificate's bit in the status list, chosen at random among the free ones the
    first time (the specification asks for random places: a place then tells nothing of
    when or how many). Another PC choosing at the same moment keeps its choice."""
    for _attempt in range(8):
        if cert.status_index is not None:
            return cert.status_index
        if len(used) >= status_list.LIST_SIZE:
            raise WorkflowError(_("The school's status list is full."))
        candidate = secrets.randbelow(status_list.LIST_SIZE)
        while candidate in used:
            candidate = secrets.randbelow(status_list.LIST_SIZE)
        used.add(candidate)
        try:
            with session.begin_nested():
                session.execute(
                    update(Certificate)
                    .where(Certificate.id == cert.id, Certificate.status_index.is_(None))
                    .values(status_index=candidate)
                    .execution_options(synchronize_session=False)
                )
        except IntegrityError:
            continue  # another PC took that place just now
        session.refresh(cert, ["status_index"])
    raise SimultaneousChange(
        _("Someone else exported credentials at the same moment. Nothing was saved; try again.")
    )


@service("credentials.export_ob3")
def export_ob3(
    db: Database,
    actor: Actor,
    serials: Sequence[str],
    signer: Signer,
    language: str = "en",
    *,
    salt: Callable[[], str] | None = None,
    now: dt.datetime | None = None,
) -> list[CredentialFile]:
    """Each certificate as Open Badges 3.0 credentials, one per competence, signed with the
    unlocked school key. Revoked certificates are refused; the learner is named only by a
    salted hash of the name (``salt`` makes the salt, for reproducible test vectors)."""
    if language not in UI_LANGUAGES:
        raise InvalidInput("language", _("Unknown language: {language}").format(language=language))
    if not serials:
        raise InvalidInput("serials", _("Choose at least one certificate."))
    created = now or utcnow()
    make_salt = salt or (lambda: secrets.token_hex(16))
    library = library_of(db)  # the built-in frameworks and the school's own
    files: list[CredentialFile] = []
    with db.transaction() as session:
        require_current_key(session, signer)
        _school, address = _address(session)
        try:
            did = openbadges.did_web(address)
            list_address = status_list.list_address(address)
        except openbadges.CredentialError as error:
            raise WorkflowError(str(error)) from error
        used = {
            index
            for index in session.scalars(select(Certificate.status_index))
            if index is not None
        }
        public_raw = signer.private_key.public_key().public_bytes_raw()
        method = openbadges.verification_method(did, public_raw)
        for serial in dict.fromkeys(serials):
            cert = session.scalar(select(Certificate).where(Certificate.serial == serial))
            if cert is None:
                raise NotFound(_("No certificate {serial}.").format(serial=serial))
            if cert.status != "issued":
                raise WorkflowError(
                    _("The certificate {serial} is revoked: it is not exported.").format(
                        serial=serial
                    )
                )
            snapshot = json.loads(cert.snapshot)
            # the credentials name the school by the address the certificate was issued under
            snapshot.setdefault("verification", {})
            if not snapshot["verification"].get("address"):
                snapshot["verification"] = {**snapshot["verification"], "address": address}
            elif openbadges.did_web(snapshot["verification"]["address"]) != did:
                raise WorkflowError(
                    _(
                        "The certificate {serial} was issued under another web address than "
                        "the school's present one: it cannot be signed for that address."
                    ).format(serial=serial)
                )
            framework_key = snapshot["framework"]
            framework = library.find(framework_key["id"], framework_key["version"])
            if framework is None:
                raise WorkflowError(
                    _("The framework {framework} of {serial} is not available.").format(
                        framework=f"{framework_key['id']} {framework_key['version']}",
                        serial=serial,
                    )
                )
            holder = snapshot["holder"]
            name = f"{holder['given_names']} {holder['surname']}"
            index = _status_index(session, cert, used)
            try:
                unsigned = openbadges.credentials(
                    snapshot,
                    framework,
                    openbadges.Holder(name, make_salt()),
                    language,
                    status_list.entry(list_address, index),
                )
                signed = [
                    openbadges.sign(credential, signer.private_key, method, created)
                    for credential in unsigned
                ]
            except openbadges.CredentialError as error:
                raise WorkflowError(str(error)) from error
            for credential in signed:
                code = credential["credentialSubject"]["achievement"]["humanCode"]
                files.append(
                    CredentialFile(serial, code, file_name(serial, code), dumps(credential))
                )
            append(
                session,
                actor.username,
                "credentials.export_ob3",
                "ok",
                "certificate",
                serial,
                {
                    "credentials": len(signed),
                    "key_id": signer.key_id,
                    "language": language,
                    "status_index": index,
                },
            )
    return files


@service("credentials.revocation_status_list")
def revocation_status_list(
    db: Database, actor: Actor, signer: Signer, *, now: dt.datetime | None = None
) -> StatusListFile:
    """The school's status list (W3C Bitstring Status List) signed with the unlocked key:
    the bit of every revoked certificate that was exported as credentials set to 1. The
    school publishes it at ``StatusListFile.address``, beside its verification page, and
    again after every revocation (docs/digital-credentials.md, section 5)."""
    with db.transaction() as session:
        require_current_key(session, signer)
        _school, address = _address(session)
        revoked = [
            index
            for index in session.scalars(
                select(Certificate.status_index).where(Certificate.status == "revoked")
            )
            if index is not None
        ]
        try:
            document = status_list.signed_status_list(
                address, revoked, signer.private_key, now or utcnow()
            )
        except openbadges.CredentialError as error:
            raise WorkflowError(str(error)) from error
        append(
            session,
            actor.username,
            "credentials.revocation_status_list",
            "ok",
            "signing_key",
            signer.key_id,
            {"revoked": len(revoked)},
        )
        return StatusListFile(str(document["id"]), dumps(document), len(revoked))


@service("credentials.issuer_profile")
def issuer_profile(db: Database, actor: Actor) -> str:
    """The school's DID document (JSON): every public key it has signed with, to publish at
    https://<host of the verification address>/.well-known/did.json."""
    with db.transaction() as session:
        _school, address = _address(session)
        keys = [
            bytes(key.public_key)
            for key in session.scalars(select(SigningKey).order_by(SigningKey.id.desc()))
        ]
        try:
            document = openbadges.did_document(address, keys)
        except openbadges.CredentialError as error:
            raise WorkflowError(str(error)) from error
        return dumps(document)
