"""The verification payload printed as a QR code on every attestation.

It is compact so the code stays small on paper, and it is made only of characters of the
QR alphanumeric mode (upper-case letters, digits, ``:``), so a scanner returns it exactly
as printed::

    DC1:<base32 of 117 bytes, no padding>

The 117 bytes are::

    version        1 byte   (1)
    serial        10 bytes  (the 80 random bits of "DC-XXXX-XXXX-XXXX-XXXX")
    issue date     2 bytes  (days since 2000-01-01, big-endian)
    key id         8 bytes  (first 8 bytes of SHA-256 of the raw Ed25519 public key)
    snapshot hash 32 bytes  (SHA-256 of the certificate's canonical JSON snapshot)
    signature     64 bytes  (Ed25519 over CONTEXT + the 53 bytes before it)

Nothing here touches the database: a verifier at another school needs only the text and
the public key. See docs/decisions/0012-signed-attestations.md.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import struct
from dataclasses import dataclass

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

PREFIX = "DC1:"
VERSION = 1
CONTEXT = b"digcomp-app attestation v1\x00"
EPOCH = dt.date(2000, 1, 1)
_HEADER = struct.Struct(">B10sH8s32s")
SIGNATURE_SIZE = 64
PAYLOAD_SIZE = _HEADER.size + SIGNATURE_SIZE


class PayloadError(ValueError):
    """The text is not a readable payload (wrong prefix, characters, length or version)."""


@dataclass(frozen=True, slots=True)
class Payload:
    serial: str
    issued_on: dt.date
    key_id: str  # 16 hex digits
    content_hash: str  # 64 hex digits
    signature: bytes

    def signed_bytes(self) -> bytes:
        return CONTEXT + _header(self.serial, self.issued_on, self.key_id, self.content_hash)

    def text(self) -> str:
        raw = _header(self.serial, self.issued_on, self.key_id, self.content_hash)
        encoded = base64.b32encode(raw + self.signature).decode("ascii").rstrip("=")
        return PREFIX + encoded

    def signature_matches(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.signed_bytes())
        except InvalidSignature:
            return False
        return True


def serial_bytes(serial: str) -> bytes:
    """The 10 random bytes behind ``DC-XXXX-XXXX-XXXX-XXXX``."""
    text = serial.strip().upper()
    if not text.startswith("DC-"):
        raise PayloadError(f"not a certificate serial: {serial!r}")
    try:
        raw = base64.b32decode(text[3:].replace("-", ""))
    except binascii.Error as error:
        raise PayloadError(f"not a certificate serial: {serial!r}") from error
    if len(raw) != 10:
        raise PayloadError(f"not a certificate serial: {serial!r}")
    return raw


def serial_text(raw: bytes) -> str:
    encoded = base64.b32encode(raw).decode("ascii")
    return "DC-" + "-".join(encoded[i : i + 4] for i in range(0, 16, 4))


def key_id_of(public_raw: bytes) -> str:
    return hashlib.sha256(public_raw).hexdigest()[:16]


def fingerprint_of(public_raw: bytes) -> str:
    """What the attestation's footer prints: 128 bits of SHA-256 in groups of four."""
    digest = hashlib.sha256(public_raw).hexdigest()[:32].upper()
    return " ".join(digest[i : i + 4] for i in range(0, 32, 4))


def _header(serial: str, issued_on: dt.date, key_id: str, content_hash: str) -> bytes:
    days = (issued_on - EPOCH).days
    if not 0 <= days <= 0xFFFF:
        raise PayloadError(f"issue date out of range: {issued_on}")
    try:
        key = bytes.fromhex(key_id)
        digest = bytes.fromhex(content_hash)
    except ValueError as error:
        raise PayloadError(str(error)) from error
    if len(key) != 8 or len(digest) != 32:
        raise PayloadError("key id must be 8 bytes and the snapshot hash 32 bytes")
    return _HEADER.pack(VERSION, serial_bytes(serial), days, key, digest)


def sign(
    private_key: Ed25519PrivateKey, serial: str, issued_on: dt.date, content_hash: str
) -> Payload:
    public_raw = private_key.public_key().public_bytes_raw()
    unsigned = Payload(serial, issued_on, key_id_of(public_raw), content_hash, b"")
    return Payload(
        serial,
        issued_on,
        unsigned.key_id,
        content_hash,
        private_key.sign(unsigned.signed_bytes()),
    )


def decode(text: str) -> Payload:
    """Read a payload; raises PayloadError when it cannot be read at all."""
    cleaned = "".join(text.split()).upper()
    if not cleaned.startswith(PREFIX):
        raise PayloadError("missing the DC1: prefix")
    body = cleaned[len(PREFIX) :]
    try:
        raw = base64.b32decode(body + "=" * (-len(body) % 8))
    except binascii.Error as error:
        raise PayloadError("not base32") from error
    if len(raw) != PAYLOAD_SIZE:
        raise PayloadError(f"{len(raw)} bytes instead of {PAYLOAD_SIZE}")
    if text_from_bytes(raw) != cleaned:
        raise PayloadError("not in canonical form")  # e.g. stray bits in the last character
    version, serial, days, key, digest = _HEADER.unpack(raw[: _HEADER.size])
    if version != VERSION:
        raise PayloadError(f"unknown payload version {version}")
    return Payload(
        serial_text(serial),
        EPOCH + dt.timedelta(days=days),
        key.hex(),
        digest.hex(),
        raw[_HEADER.size :],
    )


def encoded_bytes(text: str) -> bytes:
    """The raw 117 bytes of a payload text (tests change them one at a time)."""
    body = "".join(text.split()).upper()[len(PREFIX) :]
    return base64.b32decode(body + "=" * (-len(body) % 8))


def text_from_bytes(raw: bytes) -> str:
    return PREFIX + base64.b32encode(raw).decode("ascii").rstrip("=")
