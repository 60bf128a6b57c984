"""The school's signed revocation list (docs/attestation-format.md, section 7).

JSON published beside the verification page, so a verifier without the school's register
can still see that an attestation was withdrawn::

    {"format": "digcomp-revocations-1", "school": "…", "address": "https://…",
     "issued_at": "2026-12-04T10:00:00Z", "key_id": "3f2a9c0d1e2b4a5c",
     "revoked": [{"serial": "DC-…", "revoked_on": "2026-11-02", "reason": "…"}],
     "signature": "<base64 of Ed25519 signature>"}

The signature covers ``CONTEXT`` + the canonical JSON of the object without
``"signature"`` (keys sorted, no whitespace, UTF-8, not ASCII-escaped). Pure: no database.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import json
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from digcomp_app.documents.payload import key_id_of
from digcomp_app.i18n import _

FORMAT = "digcomp-revocations-1"
CONTEXT = b"digcomp-app revocations v1\x00"
FIELDS = frozenset({"format", "school", "address", "issued_at", "key_id", "revoked", "signature"})
ENTRY_FIELDS = frozenset({"serial", "revoked_on", "reason"})
_ISSUED_AT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z\Z")
_KEY_ID = re.compile(r"[0-9a-f]{16}\Z")


class RevocationListError(ValueError):
    """The text is not a revocation list signed by one of the given keys (translated)."""


@dataclass(frozen=True, slots=True)
class RevocationList:
    school: str
    address: str
    #: when the list was made (UTC)
    issued_at: dt.datetime
    key_id: str
    #: serial → (revoked on, reason)
    entries: dict[str, tuple[dt.date, str]]


def canonical_json(data: Any) -> str:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def signed_bytes(document: Mapping[str, Any]) -> bytes:
    """What the signature covers: CONTEXT + canonical JSON of everything but the signature."""
    unsigned = {name: value for name, value in document.items() if name != "signature"}
    return CONTEXT + canonical_json(unsigned).encode("utf-8")


def sign_revocation_list(
    private_key: Ed25519PrivateKey,
    school: str,
    address: str,
    issued_at: dt.datetime,
    revoked: Iterable[tuple[str, dt.date, str]],
) -> str:
    """The signed list as JSON text (serial, revoked on, reason per entry)."""
    key_id = key_id_of(private_key.public_key().public_bytes_raw())
    document: dict[str, Any] = {
        "format": FORMAT,
        "school": school,
        "address": address,
        "issued_at": issued_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "key_id": key_id,
        "revoked": [
            {"serial": serial, "revoked_on": revoked_on.isoformat(), "reason": reason}
            for serial, revoked_on, reason in revoked
        ],
    }
    document["signature"] = base64.b64encode(private_key.sign(signed_bytes(document))).decode(
        "ascii"
    )
    return json.dumps(document, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def read_revocation_list(
    text: str, keys: Mapping[str, Ed25519PublicKey], source: str = ""
) -> RevocationList:
    """Check and read a revocation list against ``keys`` (key id → public key).

    Raises :class:`RevocationListError` naming ``source`` when the text is not a list of
    this format, when no key of ``keys`` made it, or when its signature is wrong."""
    name = source or _("The revocation list")

    def refuse(why: str) -> RevocationListError:
        return RevocationListError(
            _("{file} is not a valid revocation list: {reason}").format(file=name, reason=why)
        )

    try:
        document = json.loads(text)
    except ValueError as error:
        raise refuse(_("it is not JSON")) from error
    if (
        not isinstance(document, dict)
        or set(document) != FIELDS
        or document["format"] != FORMAT
        or not all(isinstance(document[field], str) for field in FIELDS - {"revoked"})
        or not isinstance(document["revoked"], list)
    ):
        raise refuse(_("its fields are not those of a revocation list"))
    if not _KEY_ID.match(document["key_id"]) or not _ISSUED_AT.match(document["issued_at"]):
        raise refuse(_("its fields are not those of a revocation list"))
    entries: dict[str, tuple[dt.date, str]] = {}
    for entry in document["revoked"]:
        if (
            not isinstance(entry, dict)
            or set(entry) != ENTRY_FIELDS
            or not all(isinstance(value, str) for value in entry.values())
        ):
            raise refuse(_("its fields are not those of a revocation list"))
        try:
            revoked_on = dt.date.fromisoformat(entry["revoked_on"])
        except ValueError as error:
            raise refuse(_("its fields are not those of a revocation list")) from error
        entries[entry["serial"]] = (revoked_on, entry["reason"])
    public_key = keys.get(document["key_id"])
    if public_key is None:
        raise refuse(
            _("it was signed with the key {key_id}, which is not in the key file").format(
                key_id=document["key_id"]
            )
        )
    try:
        signature = base64.b64decode(document["signature"], validate=True)
        public_key.verify(signature, signed_bytes(document))
    except (binascii.Error, ValueError, InvalidSignature) as error:
        raise refuse(_("its signature does not match (the list was changed)")) from error
    issued_at = dt.datetime.strptime(document["issued_at"], "%Y-%m-%dT%H:%M:%SZ").replace(
        tzinfo=dt.UTC
    )
    return RevocationList(
        document["school"], document["address"], issued_at, document["key_id"], entries
    )
