"""Checking an attestation: its QR text or its PDF file, with or without the register.

The verdict comes in this order:

1. the text cannot be read as a payload → not valid (altered or not an attestation code);
2. no known public key has the payload's key id → unknown key;
3. the Ed25519 signature does not match → not valid (altered);
4. with the register at hand: the serial is there but its snapshot hash differs → not valid;
   it was revoked → revoked (with date and reason);
5. otherwise → valid, with the holder, competences and levels from the register, or from the
   data embedded in the PDF (whose hash must match the signed one).

Without a database (another school's verifier) only the public keys are needed: pass them
as ``extra_keys`` (read with :func:`digcomp_app.services.signing.read_public_keys`);
revocation is then reported as not checked.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from digcomp_app.documents import payload as payload_codec
from digcomp_app.framework import builtin_library
from digcomp_app.framework.labels import competence_label, level_label
from digcomp_app.i18n import _
from digcomp_app.services.certificates import canonical_json
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.signing import fingerprints, public_keys
from digcomp_app.storage.models import Certificate

PublicKeys = Mapping[str, Ed25519PublicKey]


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    REVOKED = "revoked"
    UNKNOWN_KEY = "unknown_key"


@dataclass(frozen=True, slots=True)
class VerifiedCompetence:
    competence_id: str
    title: str
    level: int
    level_label: str


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    #: one or two sentences in plain words saying what the verdict means
    explanation: str
    serial: str = ""
    issued_on: dt.date | None = None
    key_id: str = ""
    fingerprint: str = ""
    holder: str = ""
    issuer: str = ""
    mobility: str = ""
    competences: tuple[VerifiedCompetence, ...] = ()
    #: True: the school's register was consulted; False: it was not at hand
    register_checked: bool = False
    in_register: bool = False
    revoked_at: dt.datetime | None = None
    revoke_reason: str = ""

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID


def _details(snapshot: Mapping[str, Any]) -> dict[str, Any]:
    holder = snapshot.get("holder") or {}
    framework = builtin_library().find(
        snapshot.get("framework", {}).get("id", ""),
        snapshot.get("framework", {}).get("version", ""),
    )
    competences = []
    for item in snapshot.get("competences", []):
        level = int(item["level"])
        competences.append(
            VerifiedCompetence(
                item["competence"],
                competence_label(framework, item["competence"])
                if framework
                else item["competence"],
                level,
                level_label(framework, level) if framework else str(level),
            )
        )
    mobility = snapshot.get("mobility") or {}
    return {
        "holder": f"{holder.get('given_names', '')} {holder.get('surname', '')}".strip(),
        "issuer": (snapshot.get("issuer") or {}).get("name", ""),
        "mobility": " ".join(x for x in (mobility.get("code", ""), mobility.get("title", "")) if x),
        "competences": tuple(competences),
    }


def check(
    text: str,
    keys: PublicKeys,
    register: Certificate | None = None,
    register_checked: bool = False,
    snapshot: Mapping[str, Any] | None = None,
    key_fingerprints: Mapping[str, str] | None = None,
) -> Verification:
    """The verdict on one payload text (pure: the caller looks up keys and the register)."""
    try:
        found = payload_codec.decode(text)
    except payload_codec.PayloadError:
        return Verification(
            Verdict.INVALID,
            _(
                "NOT VALID: this is not a readable attestation code. It was changed, "
                "damaged, or it comes from something else."
            ),
        )
    common: dict[str, Any] = {
        "serial": found.serial,
        "issued_on": found.issued_on,
        "key_id": found.key_id,
        "fingerprint": (key_fingerprints or {}).get(found.key_id, ""),
        "register_checked": register_checked,
        "in_register": register is not None,
    }
    key = keys.get(found.key_id)
    if key is None:
        return Verification(
            Verdict.UNKNOWN_KEY,
            _(
                "UNKNOWN KEY: the attestation was signed with a key ({key}) that this "
                "computer does not know. Load the issuing school's public key file "
                "and check again."
            ).format(key=found.key_id),
            **common,
        )
    common["fingerprint"] = common["fingerprint"] or payload_codec.fingerprint_of(
        key.public_bytes_raw()
    )
    if not found.signature_matches(key):
        return Verification(
            Verdict.INVALID,
            _(
                "NOT VALID: the signature does not match. The attestation code was altered "
                "or was not made by the school that owns this key."
            ),
            **common,
        )
    if register is not None and register.content_hash != found.content_hash:
        return Verification(
            Verdict.INVALID,
            _(
                "NOT VALID: the school's register holds different content for certificate {serial}."
            ).format(serial=found.serial),
            **common,
        )
    data: Mapping[str, Any] | None = None
    if register is not None:
        data = json.loads(register.snapshot)
    elif snapshot is not None:
        text_of = canonical_json(snapshot)
        if hashlib.sha256(text_of.encode("utf-8")).hexdigest() != found.content_hash:
            return Verification(
                Verdict.INVALID,
                _(
                    "NOT VALID: the data inside the PDF does not match its signed code; "
                    "the file was altered."
                ),
                **common,
            )
        data = snapshot
    details = _details(data) if data is not None else {}
    if register is not None and register.status == "revoked":
        return Verification(
            Verdict.REVOKED,
            _("REVOKED: certificate {serial} was withdrawn by the school.").format(
                serial=found.serial
            ),
            revoked_at=register.revoked_at,
            revoke_reason=register.revoke_reason,
            **common,
            **details,
        )
    if register is not None:
        explanation = _(
            "VALID: the signature is genuine and certificate {serial} is in the school's "
            "register, not revoked."
        ).format(serial=found.serial)
    elif register_checked:
        explanation = _(
            "VALID signature, but this register has no certificate {serial}; whether it "
            "was revoked can only be checked in the issuing school's register."
        ).format(serial=found.serial)
    else:
        explanation = _(
            "VALID signature. The school's register is not at hand, so whether the "
            "certificate was revoked was not checked."
        )
    return Verification(Verdict.VALID, explanation, **common, **details)


def _verify_one(
    db: Database | None,
    text: str,
    extra_keys: PublicKeys | None,
    snapshot: Mapping[str, Any] | None = None,
) -> Verification:
    keys: dict[str, Ed25519PublicKey] = dict(extra_keys or {})
    if db is None:
        return check(text, keys, snapshot=snapshot)
    try:
        serial = payload_codec.decode(text).serial
    except payload_codec.PayloadError:
        serial = ""
    with db.transaction() as session:
        keys.update({key_id: key for key_id, (key, _info) in public_keys(session).items()})
        prints = fingerprints(session)
        cert = (
            session.scalar(select(Certificate).where(Certificate.serial == serial))
            if serial
            else None
        )
        if cert is not None:
            session.expunge(cert)
    return check(text, keys, cert, True, snapshot, prints)


@service("verification.verify_text")
def verify_text(
    db: Database | None, actor: Actor | None, text: str, extra_keys: PublicKeys | None = None
) -> Verification:
    """Check the text of an attestation's QR code (``db`` None: no register at hand)."""
    return _verify_one(db, text, extra_keys)


@service("verification.verify_pdf")
def verify_pdf(
    db: Database | None, actor: Actor | None, data: bytes, extra_keys: PublicKeys | None = None
) -> list[Verification]:
    """Check every attestation in a PDF printed by this application (one per attestation)."""
    from digcomp_app.documents.attestation import embedded_records

    if not data.startswith(b"%PDF"):
        raise InvalidInput("file", _("This file is not a PDF document."))
    try:
        records = embedded_records(data)
    except Exception as error:  # a damaged PDF: say so in words
        raise InvalidInput(
            "file", _("The PDF could not be read: {error}").format(error=error)
        ) from error
    if not records:
        raise InvalidInput(
            "file",
            _(
                "This PDF holds no attestation data. Only attestations printed by this "
                "application can be checked from the file; type or scan the QR code instead."
            ),
        )
    return [_verify_one(db, r.qr_text, extra_keys, r.snapshot) for r in records]
