"""Certification: a coordinator approves a case and issues a certificate from a frozen
snapshot. An issued certificate never changes; correcting it means revoking it (with a
reason) and issuing a new one, which names the serial it replaces."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import secrets
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.documents import payload, revocations
from digcomp_app.i18n import N_, _
from digcomp_app.services.auditlog import append, sign_checkpoint
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, WorkflowError
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.mobilities import stored_texts
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import require_learner
from digcomp_app.services.search import PAGE, containing, first_page, named_by, words
from digcomp_app.services.signing import Signer, fingerprints, require_current_key
from digcomp_app.services.user_names import display_names
from digcomp_app.services.validation import CaseInfo, case_info, load_case
from digcomp_app.services.validation.rows import unassessed
from digcomp_app.services.validation.stages import move_to_stage
from digcomp_app.storage.models import (
    Assessment,
    Certificate,
    Learner,
    Mobility,
    MobilityParticipant,
    Organisation,
    User,
    ValidationCase,
    utcnow,
)

SNAPSHOT_FORMAT = 1
#: the longest reason for revoking a certificate, in characters
MAX_REVOKE_REASON = 2000


def new_serial() -> str:
    """A version 2 serial: DC- and 16 symbols without vowels, the last a check symbol
    (docs/attestation-format.md, section 5)."""
    return payload.new_serial()


def old_serial() -> str:
    """A version 1 serial (80 random bits in base32 groups), as issued before version 2;
    tests and tools make old certificates with it."""
    raw = base64.b32encode(secrets.token_bytes(10)).decode("ascii")
    return "DC-" + "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


@dataclass(frozen=True, slots=True)
class CertificateInfo:
    serial: str
    case_id: int
    learner_id: int
    holder: str
    mobility_code: str
    issued_at: dt.datetime
    issued_by: str
    status: str
    revoked_at: dt.datetime | None
    revoke_reason: str
    replaces_serial: str
    content_hash: str
    snapshot: dict[str, Any]
    #: the date printed on the attestation and signed in its QR code
    issued_on: dt.date
    key_id: str = ""
    #: the verification payload for the QR code ("" for a certificate issued unsigned)
    qr_text: str = ""
    key_fingerprint: str = ""


def _organisation(session: Session, org_id: int | None) -> dict[str, str]:
    org = session.get(Organisation, org_id) if org_id else None
    if org is None:
        return {}
    return {
        "name": org.name,
        "address": org.address,
        "country": org.country,
        "contact_person": org.contact_person,
        "signatory_name": org.signatory_name,
        "signatory_role": org.signatory_role,
    }


def _snapshot_texts(mobility: Mobility) -> dict[str, dict[str, str]]:
    return {
        language: values
        for language, values in stored_texts(mobility).items()
        if any(values.values())
    }


def build_snapshot(
    session: Session,
    case: ValidationCase,
    serial: str,
    issued_at: dt.datetime,
    issuer: User,
    issued_on: dt.date | None = None,
) -> dict[str, Any]:
    """Everything an attestation shows, frozen at issue time (names, levels, methods...)."""
    learner = session.get(Learner, case.learner_id)
    assert learner is not None
    mobility = session.get(Mobility, case.mobility_id) if case.mobility_id else None
    participant = (
        session.get(MobilityParticipant, (case.mobility_id, case.learner_id))
        if case.mobility_id
        else None
    )
    home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
    assessments = {
        a.competence_id: a
        for a in session.scalars(select(Assessment).where(Assessment.case_id == case.id))
    }
    assessors = display_names(session, (a.assessor_id for a in assessments.values()))
    competences = []
    for target in case.targets:
        assessed = assessments[target.competence_id]
        competences.append(
            {
                "competence": target.competence_id,
                "target_level": target.target_level,
                "level": assessed.level,
                "method": assessed.method,
                "comment": assessed.comment,
                "assessor": assessors.get(assessed.assessor_id, ""),
                "assessed_on": assessed.assessed_on.isoformat(),
                "outcomes": list(target.outcome_ids or ()),
            }
        )
    return {
        "format": SNAPSHOT_FORMAT,
        "serial": serial,
        "issued_at": issued_at.astimezone(dt.UTC).isoformat(timespec="seconds"),
        # the school's own calendar day, as printed and signed
        "issued_on": (issued_on or issued_at.astimezone().date()).isoformat(),
        "issued_by": issuer.display_name,
        "holder": {
            "given_names": learner.given_names,
            "surname": learner.surname,
            "date_of_birth": learner.date_of_birth.isoformat() if learner.date_of_birth else None,
        },
        "issuer": _organisation(session, home.id if home else None),
        "framework": {"id": case.framework_id, "version": case.framework_version},
        "mobility": None
        if mobility is None
        else {
            "code": mobility.code,
            # the school language's title and objective (all that snapshots made before
            # texts were kept per language have; their documents print these)
            "title": mobility.title,
            "programme": mobility.programme,
            "objective": mobility.objective,
            # {language: {"title", "objective", "activities", "host_description"}}: the
            # languages that have any text; a document prints its language's, falling back
            # to the other language's where its own is empty
            "texts": _snapshot_texts(mobility),
            "host_country": mobility.host_country,
            "start_date": mobility.start_date.isoformat(),
            "end_date": mobility.end_date.isoformat(),
            "host_mentor": mobility.host_mentor,
            "sending": _organisation(session, mobility.sending_organisation_id),
            "host": _organisation(session, mobility.host_organisation_id),
            "europass_number": participant.europass_number if participant else "",
        },
        "competences": competences,
        "case": case.id,
        # what the version 2 QR code signs besides the above (see signed_content): the
        # school's verification address and whether it prints the date of birth, both as
        # they were at issue time, so the code can be rebuilt exactly when reprinting
        "verification": {
            "version": payload.CONTENT_VERSION,
            "address": (home.verification_address or "") if home else "",
            "prints_birth_date": bool(home.print_birth_date) if home else False,
        },
    }


def _nfc(text: Any) -> str:
    return unicodedata.normalize("NFC", str(text or "").strip())


def signed_content(snapshot: dict[str, Any]) -> payload.SignedContent | None:
    """What a version 2 code signs, built from the frozen snapshot (None for a snapshot
    made before version 2: its certificate keeps its DC1 code). The holder is "given names
    surname" as printed; the date of birth only when the school printed it at issue time."""
    verification = snapshot.get("verification")
    if not isinstance(verification, dict) or verification.get("version") != 2:
        return None
    holder = snapshot.get("holder") or {}
    name = " ".join(p for p in (_nfc(holder.get("given_names")), _nfc(holder.get("surname"))) if p)
    born = holder.get("date_of_birth")
    mobility = snapshot.get("mobility") or {}
    framework = snapshot.get("framework") or {}
    return payload.SignedContent(
        serial=snapshot["serial"],
        issued_on=issue_date(snapshot),
        holder=name,
        birth_date=(
            dt.date.fromisoformat(born) if born and verification.get("prints_birth_date") else None
        ),
        school=_nfc((snapshot.get("issuer") or {}).get("name")),
        address=str(verification.get("address") or ""),
        framework_id=str(framework.get("id", "")),
        framework_version=str(framework.get("version", "")),
        competences=tuple(
            (str(entry["competence"]), int(entry["level"]))
            for entry in snapshot.get("competences") or ()
        ),
        mobility_code=_nfc(mobility.get("code")),
    )


def qr_payload(
    snapshot: dict[str, Any], serial: str, key_id: str, signature: bytes, content_hash: str
) -> payload.Payload | payload.PayloadV2:
    """The signed payload of a certificate, rebuilt from what the register stores: version 2
    from the snapshot's signed content, version 1 from the snapshot's hash."""
    content = signed_content(snapshot)
    if content is None:
        return payload.Payload(serial, issue_date(snapshot), key_id, content_hash, signature)
    return payload.PayloadV2(key_id, content, content.encode(), signature, content.address)


def issue_date(snapshot: dict[str, Any]) -> dt.date:
    if snapshot.get("issued_on"):
        return dt.date.fromisoformat(snapshot["issued_on"])
    return dt.datetime.fromisoformat(snapshot["issued_at"]).date()


def _info(
    session: Session,
    cert: Certificate,
    prints: dict[str, str] | None = None,
    names: Mapping[int, str] | None = None,
) -> CertificateInfo:
    """The DTO of ``cert``; ``prints`` (key id → fingerprint) and ``names`` (user id →
    display name, for the issuer) spare a list its queries per row."""
    snapshot = json.loads(cert.snapshot)
    holder = snapshot["holder"]
    if names is None:
        names = display_names(session, [cert.issued_by])
    mobility = snapshot.get("mobility") or {}
    issued_on = issue_date(snapshot)
    qr_text = fingerprint = ""
    if cert.signature and cert.key_id:
        qr_text = qr_payload(
            snapshot, cert.serial, cert.key_id, bytes.fromhex(cert.signature), cert.content_hash
        ).text()
        if prints is None:
            prints = fingerprints(session)
        fingerprint = prints.get(cert.key_id, "")
    return CertificateInfo(
        cert.serial,
        cert.case_id,
        cert.learner_id,
        f"{holder['given_names']} {holder['surname']}",
        mobility.get("code", ""),
        cert.issued_at,
        names.get(cert.issued_by, ""),
        cert.status,
        cert.revoked_at,
        cert.revoke_reason,
        cert.replaces_serial,
        cert.content_hash,
        snapshot,
        issued_on,
        cert.key_id,
        qr_text,
        fingerprint,
    )


@service("certificates.certification_queue")
def certification_queue(db: Database, actor: Actor) -> list[CaseInfo]:
    """Cases waiting for a coordinator's approval."""
    with db.transaction() as session:
        cases = session.scalars(
            select(ValidationCase)
            .where(ValidationCase.stage == "certification")
            .order_by(ValidationCase.updated_at)
        )
        return [case_info(session, c) for c in cases]


@service("certificates.issue")
def issue(db: Database, actor: Actor, case_id: int, signer: Signer) -> CertificateInfo:
    """Approve a case at the certification stage and issue its certificate, signed with the
    school's key (``signer`` comes from :func:`digcomp_app.services.signing.unlock`)."""
    with db.transaction() as session:
        require_current_key(session, signer)
        case = load_case(session, actor, case_id)
        if case.stage != "certification":
            raise WorkflowError(_("Only a case sent to certification can be certified."))
        missing = unassessed(session, case)
        if missing or not case.targets:
            raise WorkflowError(
                _("Every target competence must be assessed first. Not yet assessed: {ids}").format(
                    ids=", ".join(missing)
                )
            )
        previous = session.scalar(
            select(Certificate)
            .where(Certificate.case_id == case_id, Certificate.status == "revoked")
            .order_by(Certificate.id.desc())
            .limit(1)
        )
        issuer = session.get(User, actor.user_id)
        assert issuer is not None
        serial = new_serial()
        while session.scalar(select(Certificate.id).where(Certificate.serial == serial)):
            serial = new_serial()  # pragma: no cover - 71 random bits
        issued_at = utcnow()
        issued_on = issued_at.astimezone().date()
        snapshot = build_snapshot(session, case, serial, issued_at, issuer, issued_on)
        text = canonical_json(snapshot)
        content_hash = hashlib.sha256(text.encode("utf-8")).hexdigest()
        content = signed_content(snapshot)
        assert content is not None
        try:
            signed = signer.sign_content(content)
        except payload.PayloadError as error:
            raise WorkflowError(
                _("The certificate cannot be signed: {problem}").format(problem=error)
            ) from error
        cert = Certificate(
            serial=serial,
            case_id=case.id,
            learner_id=case.learner_id,
            mobility_id=case.mobility_id,
            issued_at=issued_at,
            issued_by=actor.user_id,
            snapshot=text,
            content_hash=content_hash,
            signature=signed.signature.hex(),
            key_id=signed.key_id,
            replaces_serial=previous.serial if previous else "",
        )
        session.add(cert)
        move_to_stage(
            session,
            actor,
            case,
            "certified",
            _("certificate {serial} issued").format(serial=serial),
        )
        session.flush()
        append(
            session,
            actor.username,
            "certificates.issue",
            "ok",
            "certificate",
            serial,
            {"case": case.id, "content_hash": cert.content_hash, "key": signed.key_id},
        )
        # the chain as it stands now, signed: a later rewrite by someone without the
        # signing passphrase cannot match it (docs/decisions/0026)
        sign_checkpoint(session, signer.private_key, signer.key_id)
        issued = _info(session, cert)
        if issued.qr_text != signed.text():  # pragma: no cover - a bug, never a user's error
            raise RuntimeError(f"{serial}: the QR code rebuilt from the snapshot differs")
        return issued


def _certificate(session: Session, serial: str) -> Certificate:
    cert = session.scalar(select(Certificate).where(Certificate.serial == serial.strip()))
    if cert is None:
        raise NotFound(
            _("There is no certificate with the serial number {serial}.").format(serial=serial)
        )
    return cert


@service("certificates.revoke")
def revoke(db: Database, actor: Actor, serial: str, reason: str) -> CertificateInfo:
    """Withdraw a certificate; its case returns to certification for a corrected one."""
    reason = clean_text(reason, "reason", _("reason"), MAX_REVOKE_REASON, multiline=True)
    if not reason:
        raise InvalidInput("reason", _("Say why the certificate is revoked."))
    with db.transaction() as session:
        cert = _certificate(session, serial)
        if cert.status == "revoked":
            raise WorkflowError(_("This certificate was revoked already."))
        cert.status, cert.revoked_at = "revoked", utcnow()
        cert.revoked_by, cert.revoke_reason = actor.user_id, reason
        case = session.get(ValidationCase, cert.case_id)
        if case is not None and case.stage == "certified":
            move_to_stage(session, actor, case, "certification", reason)
        session.flush()
        append(
            session,
            actor.username,
            "certificates.revoke",
            "ok",
            "certificate",
            cert.serial,
            {"reason": reason},
        )
        return _info(session, cert)


@service("certificates.list")
def list_register(
    db: Database, actor: Actor, mobility_code: str | None = None, text: str = ""
) -> list[CertificateInfo]:
    query = select(Certificate).order_by(Certificate.issued_at, Certificate.id)
    if mobility_code:
        query = query.join(Mobility, Mobility.id == Certificate.mobility_id).where(
            Mobility.code == mobility_code
        )
    with db.transaction() as session:
        prints = fingerprints(session)
        rows = session.scalars(query).all()
        names = display_names(session, (c.issued_by for c in rows))
        found = [_info(session, c, prints, names) for c in rows]
    needle = text.strip().casefold()
    if needle:
        found = [c for c in found if needle in c.holder.casefold() or needle in c.serial.casefold()]
    return found


#: a certificate's status as the register names it
STATUS_TITLES = {"issued": N_("Issued"), "revoked": N_("Revoked")}


@dataclass(frozen=True, slots=True)
class RegisterPage:
    """The newest certificates found, and how many were found in all."""

    certificates: tuple[CertificateInfo, ...]
    total: int


@service("certificates.search")
def search_register(
    db: Database, actor: Actor, text: str = "", status: str | None = None, limit: int = PAGE
) -> RegisterPage:
    """Certificates whose serial, holder's name or mobility code contains every word of
    ``text`` (case and accents ignored; ``%`` and ``_`` literal), or whose status is named
    by the word ("revoked", "atsaukts"); only ``status`` ones when given. Newest first, at
    most ``limit``, with the number found."""
    query = (
        select(Certificate.id)
        .join(Learner, Learner.id == Certificate.learner_id)
        .outerjoin(Mobility, Mobility.id == Certificate.mobility_id)
    )
    if status is not None:
        query = query.where(Certificate.status == status)
    for word in words(text):
        pattern = containing(word)
        condition = (
            func.lower(Certificate.serial).like(pattern, escape="\\")
            | Learner.search_name.like(pattern, escape="\\")
            | func.lower(Mobility.code).like(pattern, escape="\\")
        )
        statuses = named_by(word, STATUS_TITLES)
        if statuses:
            condition = condition | Certificate.status.in_(statuses)
        query = query.where(condition)
    newest = (Certificate.issued_at.desc(), Certificate.id.desc())
    with db.transaction() as session:
        ids, total = first_page(session, query.order_by(*newest), limit)
        prints = fingerprints(session)
        found = session.scalars(
            select(Certificate).where(Certificate.id.in_(ids)).order_by(*newest)
        ).all()
        names = display_names(session, (c.issued_by for c in found))
        return RegisterPage(tuple(_info(session, c, prints, names) for c in found), total)


@service("certificates.get")
def get(db: Database, actor: Actor, serial: str) -> CertificateInfo:
    with db.transaction() as session:
        cert = _certificate(session, serial)
        if not actor.has(Role.COORDINATOR):
            require_learner(session, actor, cert.learner_id)
        return _info(session, cert)


@service("certificates.revocation_list")
def revocation_list(db: Database, actor: Actor, signer: Signer) -> str:
    """Every revoked certificate (serial, day revoked, reason) as a list signed with the
    school's key, for its website and for verifiers without the register
    (docs/attestation-format.md, section 7). ``signer`` comes from
    :func:`digcomp_app.services.signing.unlock`."""
    with db.transaction() as session:
        require_current_key(session, signer)
        home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        school = home.name if home else ""
        # Organisation.verification_address arrives with schema 0004
        address = (getattr(home, "verification_address", "") or "") if home else ""
        revoked = [
            (
                cert.serial,
                (cert.revoked_at or cert.issued_at).astimezone().date(),
                cert.revoke_reason,
            )
            for cert in session.scalars(
                select(Certificate)
                .where(Certificate.status == "revoked")
                .order_by(Certificate.revoked_at, Certificate.id)
            )
        ]
        text = revocations.sign_revocation_list(
            signer.private_key, school, address, utcnow(), revoked
        )
        append(
            session,
            actor.username,
            "certificates.revocation_list",
            "ok",
            "signing_key",
            signer.key_id,
            {"revoked": len(revoked)},
        )
        return text


def read_revocation_list(
    text: str, keys: dict[str, Ed25519PublicKey], source: str = ""
) -> revocations.RevocationList:
    """A revocation list checked against ``keys`` (key id → public key); raises InvalidInput
    naming ``source`` when it is not one, or was not signed by one of the keys."""
    try:
        return revocations.read_revocation_list(text, keys, source)
    except revocations.RevocationListError as error:
        raise InvalidInput("revocations", str(error)) from error
