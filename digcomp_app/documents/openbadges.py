"""Open Badges 3.0 credentials of an issued certificate, signed with the school's key
(docs/digital-credentials.md; docs/decisions/0033-digital-credentials.md).

One ``OpenBadgeCredential`` (Verifiable Credentials Data Model 2.0) per assessed competence,
with a Data Integrity proof, cryptosuite ``eddsa-rdfc-2022``: both the proof options and the
credential are canonicalised with RDF Dataset Canonicalization (URDNA2015 = RDFC-1.0, pyld),
hashed with SHA-256, and the two hashes (options first) signed with Ed25519. The JSON-LD
contexts come only from ``resources/jsonld/``: the document loader refuses every other
address, so canonicalising never reaches the network.

The issuer is ``did:web:<host of the verification address>``; its DID document
(:func:`did_document`) lists the school's public keys as Multikey verification methods.

Pure: no database, no services.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld  # type: ignore[import-untyped]

from digcomp_app.documents.payload import key_id_of
from digcomp_app.documents.snapshot import Assessment, Snapshot, SnapshotError
from digcomp_app.documents.texts import country_name, gettext_for, method_name
from digcomp_app.framework.export import level_description
from digcomp_app.framework.model import Framework
from digcomp_app.i18n import N_, _
from digcomp_app.resources import resources_dir

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
OB_CONTEXT = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXTS = {
    VC_CONTEXT: "credentials-v2.jsonld",
    OB_CONTEXT: "ob-context-3.0.3.json",
}
DID_CONTEXTS = ["https://www.w3.org/ns/did/v1", "https://w3id.org/security/multikey/v1"]
CRYPTOSUITE = "eddsa-rdfc-2022"
#: where VC 2.0's @vocab puts terms no context defines
ISSUER_DEPENDENT = "https://www.w3.org/ns/credentials/issuer-dependent#"
#: multicodec prefix of an Ed25519 public key (ed25519-pub, 0xed as a varint)
ED25519_PUB = b"\xed\x01"
_B58 = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
#: names the credential ids: uuid5(this, "<issuer DID> <serial> <competence>")
ID_NAMESPACE = uuid.UUID("6f1c3c1e-8f0b-5a3e-9a57-2d0c6a7f0b33")


#: the texts of a credential, in the credential's language (not the interface's)
NAME = N_("{framework} {code} {title}: level {level}")
CRITERIA = N_("{band}, level {level}: {text}")
EVIDENCE = N_("Assessment")
DESCRIPTION = N_("Attestation {serial} of {school}, issued on {date}.")
ASSESSED = N_("Assessed by {method} on {date}: level {level} (target {target}).")
MOBILITY = N_("Mobility {code}, {start} to {end}, {country}.")


class CredentialError(ValueError):
    """The credential cannot be made or checked (translated message)."""


# --- base58btc, multibase, multikey ---------------------------------------------------------


def base58btc(data: bytes) -> str:
    number = int.from_bytes(data, "big")
    digits = []
    while number:
        number, rest = divmod(number, 58)
        digits.append(_B58[rest])
    zeros = len(data) - len(data.lstrip(b"\0"))
    return "1" * zeros + "".join(reversed(digits))


def from_base58btc(text: str) -> bytes:
    number = 0
    for char in text:
        index = _B58.find(char)
        if index < 0:
            raise CredentialError(_("not base58btc text"))
        number = number * 58 + index
    zeros = len(text) - len(text.lstrip("1"))
    body = number.to_bytes((number.bit_length() + 7) // 8, "big") if number else b""
    return b"\0" * zeros + body


def multikey(public_raw: bytes) -> str:
    """``publicKeyMultibase`` of an Ed25519 key: "z" + base58btc(0xed01 + 32 bytes)."""
    return "z" + base58btc(ED25519_PUB + public_raw)


# --- the issuer -------------------------------------------------------------------------------


def did_web(address: str) -> str:
    """``did:web`` of the host of the school's verification address (a port as ``%3A``)."""
    parts = urlsplit(address)
    if parts.scheme != "https" or not parts.hostname:
        raise CredentialError(
            _(
                "The school's verification address must be an https address to name the "
                "school in digital credentials; set it in School details."
            )
        )
    host = parts.hostname.encode("idna").decode("ascii")
    return "did:web:" + host + (quote(f":{parts.port}") if parts.port else "")


def did_document_url(did: str) -> str:
    """Where a school publishes its DID document: https://<host>/.well-known/did.json."""
    host = did.removeprefix("did:web:").replace("%3A", ":")
    return f"https://{host}/.well-known/did.json"


def verification_method(did: str, public_raw: bytes) -> str:
    return f"{did}#{key_id_of(public_raw)}"


def did_document(address: str, public_keys: Iterable[bytes]) -> dict[str, Any]:
    """The DID document the school publishes (every key it has signed with, newest first)."""
    did = did_web(address)
    methods = [
        {
            "id": verification_method(did, raw),
            "type": "Multikey",
            "controller": did,
            "publicKeyMultibase": multikey(raw),
        }
        for raw in public_keys
    ]
    if not methods:
        raise CredentialError(_("The school has no signing key yet."))
    return {
        "@context": DID_CONTEXTS,
        "id": did,
        "verificationMethod": methods,
        "assertionMethod": [method["id"] for method in methods],
    }


# --- JSON-LD, offline -------------------------------------------------------------------------


@cache
def _context(name: str) -> Any:
    path = Path(resources_dir()) / "jsonld" / name
    return json.loads(path.read_text(encoding="utf-8"))


def document_loader(url: str, options: Any = None) -> dict[str, Any]:
    """pyld's document loader: the bundled contexts, nothing else (no network)."""
    name = CONTEXTS.get(url)
    if name is None:
        raise CredentialError(
            _("The JSON-LD context {url} is not one this application holds.").format(url=url)
        )
    return {"contextUrl": None, "documentUrl": url, "document": _context(name)}


def canonical(document: Mapping[str, Any], strict: bool = False) -> str:
    """RDF Dataset Canonicalization (URDNA2015 / RDFC-1.0) of ``document`` as N-Quads. A
    property the contexts drop is an error; with ``strict`` (what we sign) so is a term the
    contexts do not define (VC 2.0 would map it to its issuer-dependent vocabulary)."""

    def dropped(name: str | None) -> None:
        raise CredentialError(_("The term {term} is not defined.").format(term=name))

    processor = jsonld.JsonLdProcessor(on_property_dropped=dropped)
    options = {
        "algorithm": "URDNA2015",
        "format": "application/n-quads",
        "documentLoader": document_loader,
    }
    try:
        quads = str(processor.normalize(dict(document), options))
    except jsonld.JsonLdError as error:
        raise CredentialError(
            _("The credential is not valid JSON-LD: {error}").format(error=_root_cause(error))
        ) from error
    if strict and ISSUER_DEPENDENT in quads:
        term = quads[quads.index(ISSUER_DEPENDENT) :].split(">", 1)[0]
        raise CredentialError(_("The term {term} is not defined.").format(term=term))
    return quads


def _root_cause(error: BaseException) -> str:
    while error.__cause__ is not None:
        error = error.__cause__
    return str(error).splitlines()[0] if str(error) else type(error).__name__


def _hash_data(
    credential: Mapping[str, Any], options: Mapping[str, Any], strict: bool = False
) -> bytes:
    config = {**{k: v for k, v in options.items() if k != "proofValue"}}
    config["@context"] = credential["@context"]
    unsigned = {k: v for k, v in credential.items() if k != "proof"}
    return (
        hashlib.sha256(canonical(config, strict).encode("utf-8")).digest()
        + hashlib.sha256(canonical(unsigned, strict).encode("utf-8")).digest()
    )


def utc_text(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def sign(
    credential: Mapping[str, Any], private_key: Ed25519PrivateKey, method: str, created: dt.datetime
) -> dict[str, Any]:
    """``credential`` with its ``eddsa-rdfc-2022`` proof."""
    options = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": utc_text(created),
        "verificationMethod": method,
        "proofPurpose": "assertionMethod",
    }
    signature = private_key.sign(_hash_data(credential, options, strict=True))
    # an array, as the Open Badges 3.0 schema requires (a proof set of one)
    return {**credential, "proof": [{**options, "proofValue": "z" + base58btc(signature)}]}


def verify(credential: Mapping[str, Any], public_keys: Mapping[str, Ed25519PublicKey]) -> str:
    """Check the proof against ``public_keys`` (verification method id → key); returns the
    method id, raises CredentialError."""
    proof = credential.get("proof")
    if isinstance(proof, list) and len(proof) == 1:
        proof = proof[0]
    if not isinstance(proof, dict) or proof.get("cryptosuite") != CRYPTOSUITE:
        raise CredentialError(_("The credential has no eddsa-rdfc-2022 proof."))
    method = str(proof.get("verificationMethod", ""))
    key = public_keys.get(method)
    if key is None:
        raise CredentialError(_("The credential was signed by an unknown key."))
    value = str(proof.get("proofValue", ""))
    if not value.startswith("z"):
        raise CredentialError(_("The proof value is not base58btc."))
    try:
        key.verify(from_base58btc(value[1:]), _hash_data(credential, proof))
    except InvalidSignature as error:
        raise CredentialError(_("The credential's signature is not valid.")) from error
    return method


# --- the credential ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Holder:
    """How the learner is named: a salted SHA-256 hash of the name as printed (no e-mail,
    no date of birth: docs/decisions/0033)."""

    name: str
    salt: str

    def identity(self) -> dict[str, Any]:
        plain = unicodedata.normalize("NFC", " ".join(self.name.split()))
        digest = hashlib.sha256((plain + self.salt).encode("utf-8")).hexdigest()
        return {
            "type": "IdentityObject",
            "identityType": "name",
            "hashed": True,
            "identityHash": f"sha256${digest}",
            "salt": self.salt,
        }


def credential_id(did: str, serial: str, competence: str) -> str:
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, f'{did} {serial} {competence}')}"


def achievement_id(did: str, framework: Framework, competence: str, level: int) -> str:
    key = f"{did} {framework.id} {framework.version} {competence} {level}"
    return f"urn:uuid:{uuid.uuid5(ID_NAMESPACE, key)}"


def _school_url(address: str) -> str:
    parts = urlsplit(address)
    return f"{parts.scheme}://{parts.netloc}/"


def credentials(
    given: Snapshot | Mapping[str, Any],
    framework: Framework,
    holder: Holder,
    language: str,
    status: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The unsigned credentials of one certificate (one per competence, in printed order)
    from its frozen snapshot; texts in ``language``; ``status`` the certificate's entry in
    the school's status list (``credentialStatus``, documents/status_list.py)."""
    try:
        snapshot = given if isinstance(given, Snapshot) else Snapshot.from_json(given)
    except SnapshotError as error:
        raise CredentialError(str(error)) from None
    if not snapshot.competences:
        raise CredentialError(_("The certificate has no assessed competences."))
    return [
        _credential(snapshot, framework, holder, language, entry, status)
        for entry in snapshot.competences
    ]


def _credential(
    snapshot: Snapshot,
    framework: Framework,
    holder: Holder,
    language: str,
    entry: Assessment,
    status: Mapping[str, Any] | None,
) -> dict[str, Any]:
    g = gettext_for(language)
    # the address the version 2 code signed (not a later setting of the school's)
    address = snapshot.verification.address if snapshot.verification else ""
    did = did_web(address)
    school = snapshot.issuer
    serial = snapshot.serial
    competence = framework.competence(entry.competence)
    level = framework.level(entry.level)
    title = competence.title.get(language)
    framework_name = (
        f"DigComp {framework.version}"
        if framework.id == "digcomp"
        else framework.title.get(language) or framework.label
    )
    name = g(NAME).format(
        framework=framework_name, code=competence.id, title=title, level=level.number
    )
    criteria = level_description(framework, level, language)
    if level.band_id:
        band = framework.band(level.band_id).name.get(language)
        criteria = g(CRITERIA).format(band=band, level=level.number, text=criteria)
    alignment = []
    published = framework.source.url or (
        f"https://doi.org/{framework.source.doi}" if framework.source.doi else ""
    )
    if published:  # a framework without a public address (a school's own) is not aligned
        alignment.append(
            {
                "type": ["Alignment"],
                "targetName": f"{competence.id} {title}",
                "targetDescription": competence.description.get(language),
                "targetUrl": published,
                "targetCode": competence.id,
                "targetFramework": framework.title.get(language),
                "targetType": "ceasn:Competency",
            }
        )
    if competence.esco:
        alignment.append(
            {
                "type": ["Alignment"],
                "targetName": f"{competence.id} {title}",
                "targetUrl": competence.esco,
                "targetFramework": "ESCO",
                "targetType": "ceasn:Competency",
            }
        )
    achievement = {
        "id": achievement_id(did, framework, competence.id, level.number),
        "type": ["Achievement"],
        "achievementType": "Competency",
        "name": name,
        "description": competence.description.get(language) or title,
        "criteria": {"narrative": criteria},
        **({"alignment": alignment} if alignment else {}),
        "humanCode": competence.id,
        "fieldOfStudy": framework.title.get(language),
        "inLanguage": language,
    }
    evidence = [
        {
            "type": ["Evidence"],
            "name": g(EVIDENCE),
            "description": _evidence_text(entry, snapshot, language),
        }
    ]
    issued = dt.datetime.fromisoformat(snapshot.issued_at)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT, OB_CONTEXT],
        "id": credential_id(did, serial, competence.id),
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": name,
        "description": g(DESCRIPTION).format(
            serial=serial, school=school.name, date=snapshot.issued_on
        ),
        "issuer": {
            "id": did,
            "type": ["Profile"],
            "name": school.name,
            "url": _school_url(address),
        },
        "validFrom": utc_text(issued),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [holder.identity()],
            "achievement": achievement,
        },
        "evidence": evidence,
    }
    if status is not None:
        credential["credentialStatus"] = dict(status)
    return credential


def _evidence_text(entry: Assessment, snapshot: Snapshot, language: str) -> str:
    """What was assessed and how, without names, comments or files."""
    g = gettext_for(language)
    text = g(ASSESSED).format(
        method=method_name(entry.method, language).lower() or "—",
        date=entry.assessed_on,
        level=entry.level,
        target=entry.target_level or "—",
    )
    mobility = snapshot.mobility
    if mobility is not None:
        text += " " + g(MOBILITY).format(
            code=mobility.code,
            start=mobility.start_date,
            end=mobility.end_date,
            country=country_name(mobility.host_country, language),
        )
    return text
