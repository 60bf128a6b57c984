"""The school's signing key: an administrator creates it, coordinators sign with it.

The key is an Ed25519 pair. Its private half is sealed with a passphrase (services/sealing.py):
argon2id turns the passphrase into a 256-bit key, AES-256-GCM encrypts the 32 private bytes,
with the key id as associated data (a sealed key cannot be moved onto another key's row).
The database holds only the sealed form; a coordinator unlocks it for one sign-in session and the
unlocked :class:`Signer` lives in memory only. A new key retires the previous one, which
still verifies what it signed. See docs/decisions/0012-signed-attestations.md.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from dataclasses import dataclass, field

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.documents.payload import (
    PayloadV2,
    SignedContent,
    fingerprint_of,
    key_id_of,
    sign_v2,
)
from digcomp_app.i18n import _
from digcomp_app.services import sealing
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import AuthenticationFailed, InvalidInput, WorkflowError
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.user_names import display_names
from digcomp_app.storage.models import Organisation, SigningKey, utcnow

#: the passphrase rule and the argon2id cost (64 MiB, 3 passes: about 0.2 s here, paid once
#: per unlock, not per signature) are shared with sealed backups (services/sealing.py)
MIN_PASSPHRASE = sealing.MIN_PASSPHRASE
KDF = sealing.KDF
PEM_LABEL = "PUBLIC KEY"


@dataclass(frozen=True, slots=True)
class KeyInfo:
    key_id: str
    fingerprint: str
    created_at: dt.datetime
    created_by: str
    retired_at: dt.datetime | None

    @property
    def active(self) -> bool:
        return self.retired_at is None


@dataclass(frozen=True, slots=True)
class Signer:
    """An unlocked private key. Keep it for the sign-in session only; never store it."""

    key_id: str
    fingerprint: str
    private_key: Ed25519PrivateKey = field(repr=False, compare=False)

    def sign_content(self, content: SignedContent) -> PayloadV2:
        """A version 2 payload: ``content`` signed (docs/attestation-format.md)."""
        return sign_v2(self.private_key, content)


def seal(private_key: Ed25519PrivateKey, passphrase: str, key_id: str) -> str:
    raw = private_key.private_bytes_raw()
    return json.dumps(sealing.seal_small(raw, passphrase, key_id.encode("ascii")), sort_keys=True)


def unseal(sealed: str, passphrase: str, key_id: str) -> Ed25519PrivateKey | None:
    """The private key, or None when the passphrase is wrong (or the record was altered)."""
    raw = sealing.unseal_small(json.loads(sealed), passphrase, key_id.encode("ascii"))
    return None if raw is None else Ed25519PrivateKey.from_private_bytes(raw)


def _info(session: Session, key: SigningKey, names: Mapping[int, str] | None = None) -> KeyInfo:
    """What the services return of a key; ``names`` (user id -> display name, for its
    creator) spares a list its query per key."""
    if names is None:
        names = display_names(session, [key.created_by])
    return KeyInfo(
        key.key_id,
        fingerprint_of(key.public_key),
        key.created_at,
        names.get(key.created_by, ""),
        key.retired_at,
    )


def require_current_key(session: Session, signer: Signer) -> None:
    """Refuse to sign with ``signer`` when its key was retired since it was unlocked."""
    active = session.scalar(
        select(SigningKey.key_id).where(
            SigningKey.key_id == signer.key_id, SigningKey.retired_at.is_(None)
        )
    )
    if active is None:
        raise WorkflowError(
            _(
                "The signing key was replaced since it was unlocked. "
                "Unlock the school's current key and try again."
            )
        )


def _active(session: Session) -> SigningKey | None:
    return session.scalar(
        select(SigningKey)
        .where(SigningKey.retired_at.is_(None))
        .order_by(SigningKey.id.desc())
        .limit(1)
    )


@service("signing.create_key")
def create_key(db: Database, actor: Actor, passphrase: str, repeated: str) -> KeyInfo:
    """Make a new key pair for the school; the previous key is retired (it still verifies)."""
    sealing.check_new_passphrase(passphrase, repeated)
    private_key = Ed25519PrivateKey.generate()
    public_raw = private_key.public_key().public_bytes_raw()
    key_id = key_id_of(public_raw)
    sealed = seal(private_key, passphrase, key_id)
    with db.transaction() as session:
        now = utcnow()
        for old in session.scalars(select(SigningKey).where(SigningKey.retired_at.is_(None))):
            old.retired_at = now
        key = SigningKey(
            key_id=key_id,
            public_key=public_raw,
            sealed_private_key=sealed,
            created_at=now,
            created_by=actor.user_id,
        )
        session.add(key)
        session.flush()
        append(session, actor.username, "signing.create_key", "ok", "signing_key", key_id)
        return _info(session, key)


@service("signing.list_keys")
def list_keys(db: Database, actor: Actor) -> list[KeyInfo]:
    """Every key the school has had, newest first."""
    with db.transaction() as session:
        keys = session.scalars(select(SigningKey).order_by(SigningKey.id.desc())).all()
        names = display_names(session, (key.created_by for key in keys))
        return [_info(session, key, names) for key in keys]


@service("signing.unlock")
def unlock(db: Database, actor: Actor, passphrase: str) -> Signer:
    """Open the school's active key for signing certificates in this session."""
    with db.transaction() as session:
        key = _active(session)
        if key is None:
            raise WorkflowError(
                _(
                    "The school has no signing key yet. An administrator creates one on the "
                    "Signing key screen (or with 'digcomp-app keys create')."
                )
            )
        key_id, public_raw, sealed = key.key_id, key.public_key, key.sealed_private_key
    private_key = unseal(sealed, passphrase, key_id)
    if private_key is None or private_key.public_key().public_bytes_raw() != public_raw:
        with db.transaction() as session:
            append(session, actor.username, "signing.unlock", "denied", "signing_key", key_id)
        raise AuthenticationFailed(_("This passphrase does not open the school's signing key."))
    with db.transaction() as session:
        append(session, actor.username, "signing.unlock", "ok", "signing_key", key_id)
    return Signer(key_id, fingerprint_of(public_raw), private_key)


def public_keys(session: Session) -> dict[str, tuple[Ed25519PublicKey, KeyInfo]]:
    """All of this school's public keys by key id (for verification; no permission needed:
    public keys are public)."""
    keys = session.scalars(select(SigningKey)).all()
    names = display_names(session, (key.created_by for key in keys))
    return {
        key.key_id: (Ed25519PublicKey.from_public_bytes(key.public_key), _info(session, key, names))
        for key in keys
    }


def fingerprints(session: Session) -> dict[str, str]:
    return {
        key.key_id: fingerprint_of(key.public_key) for key in session.scalars(select(SigningKey))
    }


#: the first line of a key file (docs/attestation-format.md, section 6)
KEY_FILE_TITLE = "# DigComp recognition - public signing keys"


@dataclass(frozen=True, slots=True)
class KeyFile:
    """A key file read back: whose keys these are, and the keys by key id."""

    school: str
    address: str
    #: the export date as written in the file (``YYYY-MM-DD``; "" in old files)
    exported: str
    keys: dict[str, Ed25519PublicKey]


def _home(session: Session) -> Organisation | None:
    return session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))


def _address(home: Organisation | None) -> str:
    # Organisation.verification_address arrives with schema 0004
    return (getattr(home, "verification_address", "") or "") if home else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


@service("signing.export_public_keys")
def export_public_keys(db: Database, actor: Actor) -> str:
    """The school's public keys as a text file another school's verifier can load: whose
    keys they are (school, verification address), when exported, then each key."""
    with db.transaction() as session:
        home = _home(session)
        keys = list(session.scalars(select(SigningKey).order_by(SigningKey.id)))
        if not keys:
            raise WorkflowError(_("The school has no signing key yet."))
        blocks = [
            KEY_FILE_TITLE,
            f"# School: {_one_line(home.name if home else '')}",
            f"# Verification address: {_one_line(_address(home))}",
            f"# Exported: {dt.date.today().isoformat()}",
        ]
        for key in keys:
            public = Ed25519PublicKey.from_public_bytes(key.public_key)
            pem = public.public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            ).decode("ascii")
            state = "retired " + key.retired_at.date().isoformat() if key.retired_at else "active"
            blocks.append(
                f"# Key {key.key_id}, fingerprint {fingerprint_of(key.public_key)}, "
                f"created {key.created_at.date().isoformat()}, {state}"
            )
            blocks.append(pem.strip())
        append(session, actor.username, "signing.export_public_keys", "ok", "signing_key", "")
        return "\n".join(blocks) + "\n"


@service("signing.verifier_page")
def verifier_page(db: Database, actor: Actor, revocations: str | None = None) -> str:
    """The self-contained verification page for the school's website: its public keys and,
    when given, a revocation list (checked here against the school's keys)."""
    from digcomp_app.documents.revocations import RevocationListError, read_revocation_list
    from digcomp_app.documents.verifier_page import render_verifier_page

    with db.transaction() as session:
        home = _home(session)
        school, address = (home.name if home else ""), _address(home)
        rows = list(session.scalars(select(SigningKey).order_by(SigningKey.id)))
        if not rows:
            raise WorkflowError(_("The school has no signing key yet."))
        keys = [(row.key_id, bytes(row.public_key)) for row in rows]
    if revocations is not None:
        try:
            read_revocation_list(
                revocations,
                {key_id: Ed25519PublicKey.from_public_bytes(raw) for key_id, raw in keys},
                _("The revocation list"),
            )
        except RevocationListError as error:
            raise InvalidInput("revocations", str(error)) from error
    page = render_verifier_page(school, address, keys, revocations, dt.date.today())
    with db.transaction() as session:
        append(
            session,
            actor.username,
            "signing.verifier_page",
            "ok",
            "signing_key",
            "",
            {"revocations": revocations is not None},
        )
    return page


def read_key_file(text: str, source: str = "") -> KeyFile:
    """A key file written by :func:`export_public_keys` (or an older one, or any PEM file
    with Ed25519 public keys: then school, address and date are empty). Raises
    InvalidInput naming the file when it holds no key."""
    header = {"school": "", "verification address": "", "exported": "", "organisation": ""}
    for line in text.splitlines():
        if line.startswith("-----BEGIN"):
            break
        if not line.startswith("#") or ":" not in line:
            continue
        name, _sep, value = line[1:].partition(":")
        if name.strip().lower() in header:
            header[name.strip().lower()] = value.strip()
    return KeyFile(
        header["school"] or header["organisation"],
        header["verification address"],
        header["exported"],
        read_public_keys(text, source),
    )


def read_public_keys(text: str, source: str = "") -> dict[str, Ed25519PublicKey]:
    """Public keys from a file written by :func:`export_public_keys` (or any PEM file with
    Ed25519 public keys). Raises InvalidInput naming the file when nothing can be read."""
    found: dict[str, Ed25519PublicKey] = {}
    begin, end = f"-----BEGIN {PEM_LABEL}-----", f"-----END {PEM_LABEL}-----"
    for chunk in text.split(begin)[1:]:
        body = chunk.split(end)[0]
        pem = f"{begin}{body}{end}\n".encode("ascii", "replace")
        try:
            key = serialization.load_pem_public_key(pem)
        except ValueError:
            continue
        if isinstance(key, Ed25519PublicKey):
            found[key_id_of(key.public_bytes_raw())] = key
    if not found:
        raise InvalidInput(
            "key",
            _("{file} holds no Ed25519 public key.").format(file=source or _("The key file")),
        )
    return found
