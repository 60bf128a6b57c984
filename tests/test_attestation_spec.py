"""docs/attestation-format.md is enough to write a verifier: this one is written from it alone
(its own base45, zlib, cbor2 and cryptography's Ed25519), never importing the app's payload
code, and checks every vector of docs/attestation-vectors.json."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import unicodedata
import zlib
from pathlib import Path

import cbor2
import pytest
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VECTORS = json.loads(
    (Path(__file__).resolve().parent.parent / "docs" / "attestation-vectors.json").read_text(
        encoding="utf-8"
    )
)
ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
CONTEXT = b"digcomp-app attestation v2\x00"
SERIAL_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXZ"


class Unreadable(Exception):
    pass


def b45decode(text: str) -> bytes:
    if any(c not in ALPHABET for c in text) or len(text) % 3 == 1:
        raise Unreadable("base45")
    out = bytearray()
    for i in range(0, len(text), 3):
        values = [ALPHABET.index(c) for c in text[i : i + 3]]
        n = sum(v * 45**k for k, v in enumerate(values))
        if n > (0xFFFF if len(values) == 3 else 0xFF):
            raise Unreadable("base45 value")
        out += n.to_bytes(len(values) - 1, "big")
    return bytes(out)


def canonical(data: bytes):
    value = cbor2.loads(data)
    if cbor2.dumps(value, canonical=True) != data:
        raise ValueError("not canonical")
    return value


def serial_ok(serial: str) -> bool:
    symbols = serial.upper().replace("-", "")[2:]
    if not serial.upper().startswith("DC") or len(symbols) != 16:
        return False
    if all(s in SERIAL_ALPHABET for s in symbols):
        weights = [1 if i % 2 == 0 else 2 for i in range(16)]
        values = [SERIAL_ALPHABET.index(s) for s in reversed(symbols)]
        return sum(w * v for w, v in zip(weights, values, strict=True)) % 27 == 0
    return all(s in "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567" for s in symbols)


def inflate(raw: bytes) -> bytes:
    inflater = zlib.decompressobj()
    out = inflater.decompress(raw, 4097)
    if len(out) > 4096 or not inflater.eof or inflater.unused_data:
        raise Unreadable("zlib")
    return out


def padding_bits_are_zero(raw: bytes, out: bytes) -> bool:
    """Spec section 2: the unused bits after the last deflate block are zero. A set bit of
    the last deflate byte that can be cleared without changing the output is such a bit."""
    last = len(raw) - 5
    for bit in range(8):
        if last >= 2 and raw[last] >> bit & 1:
            changed = bytearray(raw)
            changed[last] ^= 1 << bit
            try:
                if inflate(bytes(changed)) == out:
                    return False
            except (Unreadable, zlib.error):
                pass
    return True


def verify(text: str, keys: dict[str, Ed25519PublicKey]) -> tuple[str, dict | None]:
    address, hashmark, code = text.rpartition("#")
    if hashmark:  # spec section 1: in a URL, space and % are written %20 and %25
        pieces = code.split("%")
        if " " in code or any(piece[:2] not in ("20", "25") for piece in pieces[1:]):
            return "unreadable", None
        code = pieces[0] + "".join(
            (" " if piece[:2] == "20" else "%") + piece[2:] for piece in pieces[1:]
        )
    if not code.startswith("DC2:"):
        return "unreadable", None
    try:
        raw = b45decode(code[4:])
        envelope_bytes = inflate(raw)
        if not padding_bits_are_zero(raw, envelope_bytes):
            raise Unreadable("zlib padding")
        envelope = canonical(envelope_bytes)
        if not (
            isinstance(envelope, list)
            and len(envelope) == 3
            and all(isinstance(x, bytes) for x in envelope)
            and len(envelope[0]) == 8
            and len(envelope[2]) == 64
        ):
            raise Unreadable("envelope")
    except (Unreadable, zlib.error, ValueError, cbor2.CBORError):
        return "unreadable", None
    key_id, content, signature = envelope
    key = keys.get(key_id.hex())
    if key is None:
        return "unknown key", None
    try:
        key.verify(signature, CONTEXT + content)
    except InvalidSignature:
        return "not valid", None
    try:
        m = canonical(content)
        keys_present = set(m)
        required = {1, 2, 3, 4, 6, 7, 8, 9, 10, 11}
        assert required <= keys_present <= required | {5} and m[1] == 2
        texts = [m[k] for k in (2, 4, 6, 7, 8, 9, 11)] + ([m[5]] if 5 in m else [])
        assert all(isinstance(t, str) and unicodedata.is_normalized("NFC", t) for t in texts)
        assert type(m[3]) is int and m[3] >= 0 and serial_ok(m[2])
        assert all(
            isinstance(c, list)
            and len(c) == 2
            and isinstance(c[0], str)
            and type(c[1]) is int
            and 1 <= c[1] <= 8
            for c in m[10]
        )
    except (AssertionError, ValueError, TypeError, KeyError, cbor2.CBORError):
        return "not valid", None
    if hashmark and address != m[7]:
        return "not valid", None
    found = {
        "serial": m[2],
        "issued_on": (dt.date(2000, 1, 1) + dt.timedelta(days=m[3])).isoformat(),
        "holder": m[4],
        "school": m[6],
        "address": m[7],
        "framework_id": m[8],
        "framework_version": m[9],
        "competences": m[10],
        "mobility_code": m[11],
    }
    if 5 in m:
        found["birth_date"] = m[5]
    return "valid", found


@pytest.fixture(scope="module")
def keys() -> dict[str, Ed25519PublicKey]:
    raw = bytes.fromhex(VECTORS["public_key_hex"])
    assert hashlib.sha256(raw).hexdigest()[:16] == VECTORS["key_id"]
    return {VECTORS["key_id"]: Ed25519PublicKey.from_public_bytes(raw)}


def test_the_context_is_the_documented_one():
    assert bytes.fromhex(VECTORS["context_hex"]) == CONTEXT and len(CONTEXT) == 27


@pytest.mark.parametrize("vector", VECTORS["valid"], ids=lambda v: v["name"])
def test_every_valid_vector_verifies_with_its_fields(vector, keys):
    verdict, found = verify(vector["qr_text"], keys)
    assert verdict == vector["expected"]["verdict"] == "valid"
    assert found == vector["expected"]["fields"]
    content = bytes.fromhex(vector["content_hex"])
    assert bytes.fromhex(vector["signed_bytes_hex"]) == CONTEXT + content
    assert cbor2.loads(bytes.fromhex(vector["envelope_hex"]))[1] == content


@pytest.mark.parametrize("vector", VECTORS["invalid"], ids=lambda v: v["name"])
def test_every_invalid_vector_gets_its_verdict(vector, keys):
    assert verify(vector["qr_text"], keys)[0] == vector["verdict"]


def test_the_serials_are_checked_as_documented():
    assert all(serial_ok(s) for s in VECTORS["serials"]["well formed"])
    assert not any(serial_ok(s) for s in VECTORS["serials"]["mistyped"])
    assert all(serial_ok(s) for s in VECTORS["serials"]["version 1"])


def test_the_base45_of_the_spec_is_rfc_9285():
    assert b45decode("%69 VD92EX0") == b"Hello!!" and b45decode("BB8") == b"AB"


def test_the_spec_verifier_does_not_use_the_app_payload_code():
    source = Path(__file__).read_text(encoding="utf-8")
    assert "digcomp_app" + ".documents" not in source
