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

Version 2 (``DC2:``, docs/attestation-format.md and decisions/0020) carries the signed
content itself: ``<verification address>#DC2:<base45(zlib(CBOR envelope))>``. Version 1
codes keep verifying with :func:`decode`; :func:`decode_any` reads either.
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import secrets
import struct
import unicodedata
import zlib
from dataclasses import dataclass
from typing import Any

import cbor2
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


# --- version 2: the signed content travels in the code ----------------------------------
# docs/attestation-format.md is the contract; docs/decisions/0020-attestation-payload-v2.md
# says why.

PREFIX_V2 = "DC2:"
CONTENT_VERSION = 2
CONTEXT_V2 = b"digcomp-app attestation v2\x00"
KEY_ID_SIZE = 8
#: the most bytes the compressed envelope may inflate to (a zlib bomb is unreadable)
MAX_INFLATED = 4096
BASE45_ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_BASE45_VALUES = {char: value for value, char in enumerate(BASE45_ALPHABET)}
#: v2 serials: no vowels (no words), no 0/O, 1/I/L; 27 symbols
SERIAL_ALPHABET = "23456789BCDFGHJKMNPQRSTVWXZ"
_SERIAL_VALUES = {char: value for value, char in enumerate(SERIAL_ALPHABET)}
_V1_SERIAL_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
SERIAL_SYMBOLS = 16

# content map keys (contract section 3)
_K_VERSION, _K_SERIAL, _K_ISSUED, _K_HOLDER, _K_BIRTH, _K_SCHOOL = 1, 2, 3, 4, 5, 6
_K_ADDRESS, _K_FRAMEWORK, _K_FRAMEWORK_VERSION, _K_COMPETENCES, _K_MOBILITY = 7, 8, 9, 10, 11
_REQUIRED_KEYS = frozenset({1, 2, 3, 4, 6, 7, 8, 9, 10, 11})
_ALL_KEYS = _REQUIRED_KEYS | {_K_BIRTH}


def base45_encode(data: bytes) -> str:
    """RFC 9285: every 2 bytes -> 3 characters, a last single byte -> 2 characters."""
    out: list[str] = []
    for i in range(0, len(data) - 1, 2):
        value = data[i] * 256 + data[i + 1]
        c, value = value % 45, value // 45
        d, e = value % 45, value // 45
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d], BASE45_ALPHABET[e])
    if len(data) % 2:
        c, d = data[-1] % 45, data[-1] // 45
        out += (BASE45_ALPHABET[c], BASE45_ALPHABET[d])
    return "".join(out)


def base45_decode(text: str) -> bytes:
    """RFC 9285, strictly: PayloadError for a character outside the alphabet, a length
    of 1 mod 3, a triple above 65535 or a final pair above 255."""
    try:
        values = [_BASE45_VALUES[char] for char in text]
    except KeyError as error:
        raise PayloadError(f"not base45: character {error.args[0]!r}") from None
    if len(values) % 3 == 1:
        raise PayloadError("not base45: the length is 1 more than a multiple of 3")
    out = bytearray()
    for i in range(0, len(values), 3):
        chunk = values[i : i + 3]
        if len(chunk) == 3:
            value = chunk[0] + chunk[1] * 45 + chunk[2] * 45 * 45
            if value > 0xFFFF:
                raise PayloadError("not base45: a group of three is above 65535")
            out += value.to_bytes(2, "big")
        else:
            value = chunk[0] + chunk[1] * 45
            if value > 0xFF:
                raise PayloadError("not base45: the last pair is above 255")
            out.append(value)
    return bytes(out)


def _check_text(name: str, value: Any, *, empty: bool = True) -> str:
    if not isinstance(value, str):
        raise PayloadError(f"{name}: text expected")
    if not empty and not value:
        raise PayloadError(f"{name}: must not be empty")
    if unicodedata.normalize("NFC", value) != value:
        raise PayloadError(f"{name}: not in Unicode NFC")
    return value


def _check_uint(name: str, value: Any) -> int:
    if type(value) is not int or value < 0:  # bool is not an int here
        raise PayloadError(f"{name}: unsigned integer expected")
    return value


def _canonical_cbor(data: bytes, what: str) -> Any:
    """Decode ``data`` as one CBOR item in canonical form (re-encoding gives the same bytes:
    shortest forms, definite lengths, sorted keys, nothing after it)."""
    try:
        value = cbor2.loads(data, allow_duplicate_keys=False)
        again = cbor2.dumps(value, canonical=True)
    except (cbor2.CBORError, ValueError, TypeError, RecursionError) as error:
        raise PayloadError(f"{what}: not CBOR ({error})") from None
    if again != data:
        raise PayloadError(f"{what}: not canonical CBOR (or bytes after it)")
    return value


@dataclass(frozen=True, slots=True)
class SignedContent:
    """What a version 2 code signs: what the attestation prints, nothing more."""

    serial: str
    issued_on: dt.date
    holder: str
    birth_date: dt.date | None
    school: str
    address: str
    framework_id: str
    framework_version: str
    competences: tuple[tuple[str, int], ...]
    mobility_code: str

    def encode(self) -> bytes:
        """The canonical CBOR map of the contract, section 3 (PayloadError when a field
        cannot be signed: a non-NFC text, a level outside 1-8, a date before 2000)."""
        days = (self.issued_on - EPOCH).days
        if days < 0:
            raise PayloadError(f"issue date out of range: {self.issued_on}")
        if serial_problem(self.serial) or normalise_serial(self.serial) != self.serial:
            raise PayloadError(f"not a serial as printed: {self.serial!r}")
        content: dict[int, Any] = {
            _K_VERSION: CONTENT_VERSION,
            _K_SERIAL: self.serial,
            _K_ISSUED: days,
            _K_HOLDER: _check_text("holder", self.holder, empty=False),
            _K_SCHOOL: _check_text("school", self.school, empty=False),
            _K_ADDRESS: _check_text("address", self.address),
            _K_FRAMEWORK: _check_text("framework id", self.framework_id, empty=False),
            _K_FRAMEWORK_VERSION: _check_text("framework version", self.framework_version),
            _K_COMPETENCES: [
                [_check_text("competence", cid, empty=False), _level(level)]
                for cid, level in self.competences
            ],
            _K_MOBILITY: _check_text("mobility code", self.mobility_code),
        }
        if self.birth_date is not None:
            content[_K_BIRTH] = self.birth_date.isoformat()
        return cbor2.dumps(content, canonical=True)

    @classmethod
    def decode(cls, data: bytes) -> SignedContent:
        """Read signed content; PayloadError unless it is canonical and well-typed."""
        value = _canonical_cbor(data, "content")
        if not isinstance(value, dict):
            raise PayloadError("content: a map expected")
        keys = set(value)
        if not all(type(k) is int for k in keys) or not _REQUIRED_KEYS <= keys <= _ALL_KEYS:
            raise PayloadError(f"content: unexpected keys {sorted(map(repr, keys))}")
        if value[_K_VERSION] != CONTENT_VERSION or type(value[_K_VERSION]) is not int:
            raise PayloadError(f"content: unknown version {value[_K_VERSION]!r}")
        serial = _check_text("serial", value[_K_SERIAL], empty=False)
        if serial_problem(serial) or normalise_serial(serial) != serial:
            raise PayloadError(f"content: not a serial as printed: {serial!r}")
        days = _check_uint("issue date", value[_K_ISSUED])
        try:
            issued_on = EPOCH + dt.timedelta(days=days)
        except OverflowError:
            raise PayloadError("issue date out of range") from None
        birth_date = None
        if _K_BIRTH in value:
            text = _check_text("date of birth", value[_K_BIRTH])
            try:
                birth_date = dt.date.fromisoformat(text)
            except ValueError:
                birth_date = None
            if birth_date is None or birth_date.isoformat() != text:
                raise PayloadError("date of birth: YYYY-MM-DD expected")
        entries = value[_K_COMPETENCES]
        if not isinstance(entries, list):
            raise PayloadError("competences: an array expected")
        competences = []
        for entry in entries:
            if not isinstance(entry, list) or len(entry) != 2:
                raise PayloadError("competences: [id, level] pairs expected")
            cid = _check_text("competence", entry[0], empty=False)
            competences.append((cid, _level(entry[1])))
        return cls(
            serial=serial,
            issued_on=issued_on,
            holder=_check_text("holder", value[_K_HOLDER], empty=False),
            birth_date=birth_date,
            school=_check_text("school", value[_K_SCHOOL], empty=False),
            address=_check_text("address", value[_K_ADDRESS]),
            framework_id=_check_text("framework id", value[_K_FRAMEWORK], empty=False),
            framework_version=_check_text("framework version", value[_K_FRAMEWORK_VERSION]),
            competences=tuple(competences),
            mobility_code=_check_text("mobility code", value[_K_MOBILITY]),
        )


def _level(value: Any) -> int:
    if type(value) is not int or not 1 <= value <= 8:
        raise PayloadError(f"competence level must be 1-8, not {value!r}")
    return value


@dataclass(frozen=True, slots=True)
class PayloadV2:
    key_id: str  # 16 hex digits
    content: SignedContent
    content_bytes: bytes  # exactly what was signed after CONTEXT_V2
    signature: bytes
    #: the URL part of the QR text before "#" ("" when there is none)
    address: str

    def envelope(self) -> bytes:
        return cbor2.dumps(
            [bytes.fromhex(self.key_id), self.content_bytes, self.signature], canonical=True
        )

    def code(self) -> str:
        """``DC2:`` + base45 of the compressed envelope (the part after ``#``)."""
        return PREFIX_V2 + base45_encode(zlib.compress(self.envelope(), 9))

    def text(self) -> str:
        """The whole QR text: ``<address>#<fragment>``, or ``DC2:<base45>``. In a URL the
        code's space and ``%`` are written ``%20`` and ``%25`` (see :func:`fragment_of`)."""
        return f"{self.address}#{fragment_of(self.code())}" if self.address else self.code()

    def signed_bytes(self) -> bytes:
        return CONTEXT_V2 + self.content_bytes

    def signature_matches(self, public_key: Ed25519PublicKey) -> bool:
        try:
            public_key.verify(self.signature, self.signed_bytes())
        except InvalidSignature:
            return False
        return True

    def segments(self) -> list[tuple[str, str]]:
        """The QR segments for segno: the address with its ``#`` in byte mode, the code in
        alphanumeric mode (every base45 character is one of that mode's 45)."""
        if not self.address:
            return [(self.code(), "alphanumeric")]
        return [(self.address + "#", "byte"), (fragment_of(self.code()), "alphanumeric")]


def sign_v2(private_key: Ed25519PrivateKey, content: SignedContent) -> PayloadV2:
    """Sign ``content``; the QR text carries ``content.address`` as its address part."""
    content_bytes = content.encode()
    public_raw = private_key.public_key().public_bytes_raw()
    return PayloadV2(
        key_id_of(public_raw),
        content,
        content_bytes,
        private_key.sign(CONTEXT_V2 + content_bytes),
        content.address,
    )


def fragment_of(code: str) -> str:
    """A code as written after ``#`` in a URL: base45's space and ``%`` as ``%20`` and
    ``%25`` (a raw space ends a link; a browser would rewrite it). Still QR-alphanumeric."""
    return code.replace("%", "%25").replace(" ", "%20")


def code_of_fragment(fragment: str) -> str:
    """The code behind a URL fragment: ``%20`` and ``%25`` back to space and ``%``; any other
    ``%`` escape, a raw space or a lone ``%`` is not a fragment this app writes."""
    parts = fragment.split("%")
    out = [parts[0]]
    for part in parts[1:]:
        if part[:2] == "20":
            out.append(" " + part[2:])
        elif part[:2] == "25":
            out.append("%" + part[2:])
        else:
            raise PayloadError("a % in the address part that is not %20 or %25")
    if " " in parts[0] or any(" " in part[2:] for part in parts[1:]):
        raise PayloadError("a raw space in the address part")
    return "".join(out)


def _inflate_once(data: bytes) -> bytes:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, MAX_INFLATED + 1)
    except zlib.error as error:
        raise PayloadError(f"not zlib data ({error})") from None
    if len(out) > MAX_INFLATED or inflater.unconsumed_tail:
        raise PayloadError(f"inflates to more than {MAX_INFLATED} bytes")
    if not inflater.eof:
        raise PayloadError("the zlib data is cut short")
    if inflater.unused_data:
        raise PayloadError("bytes after the zlib data")
    return out


def _inflate(data: bytes) -> bytes:
    """Inflate strictly: besides the size limit and nothing after the stream, the unused
    bits after the last deflate block must be zero - otherwise a changed character of the
    code could flip only those bits and still carry the same, validly signed envelope."""
    out = _inflate_once(data)
    last = len(data) - 5  # the last byte of deflate data, before the 4-byte Adler-32
    if last >= 2:
        for bit in range(8):
            if data[last] >> bit & 1:
                changed = bytearray(data)
                changed[last] &= ~(1 << bit) & 0xFF
                try:
                    same = _inflate_once(bytes(changed)) == out
                except PayloadError:
                    same = False
                if same:
                    raise PayloadError("set bits after the end of the zlib data")
    return out


def decode_v2(text: str) -> PayloadV2:
    """Read a version 2 QR text strictly (nothing is stripped or changed): PayloadError
    naming what is wrong. The signature is not checked here."""
    address, hashmark, code = text.rpartition("#")
    if not hashmark:
        address = ""
    else:
        code = code_of_fragment(code)
    if not code.startswith(PREFIX_V2):
        raise PayloadError("missing the DC2: prefix")
    envelope = _canonical_cbor(_inflate(base45_decode(code[len(PREFIX_V2) :])), "envelope")
    if (
        not isinstance(envelope, list)
        or len(envelope) != 3
        or not all(isinstance(part, bytes) for part in envelope)
    ):
        raise PayloadError("envelope: an array of three byte strings expected")
    key, content_bytes, signature = envelope
    if len(key) != KEY_ID_SIZE or len(signature) != SIGNATURE_SIZE:
        raise PayloadError("envelope: key id must be 8 bytes and the signature 64")
    return PayloadV2(
        key.hex(), SignedContent.decode(content_bytes), content_bytes, signature, address
    )


def is_v2(text: str) -> bool:
    return text.rpartition("#")[2].startswith(PREFIX_V2)


def decode_any(text: str) -> Payload | PayloadV2:
    """A version 2 text (``…#DC2:…`` or ``DC2:…``), else a version 1 text (``DC1:…``)."""
    return decode_v2(text) if is_v2(text) else decode(text)


# --- version 2 serials ------------------------------------------------------------------


def _weighted_sum(values: list[int], factor: int) -> int:
    """The sum of ``values`` weighted 1 and 2 alternately from the right, the rightmost by
    ``factor``, mod 27. (Luhn mod N folds doubled values as digits do; for an odd N that
    maps two values onto one, so here a doubled value is taken mod 27: 2 is invertible mod
    27, so every single changed symbol and every swap of two different neighbours changes
    the sum.)"""
    total, n = 0, len(SERIAL_ALPHABET)
    for value in reversed(values):
        total += value * factor
        factor = 1 if factor == 2 else 2
    return total % n


def check_symbol(symbols: str) -> str:
    """The check symbol of ``symbols`` (v2 serial alphabet): the one that makes the
    weighted sum of all of them, check symbol included, 0 mod 27."""
    total = _weighted_sum([_SERIAL_VALUES[s] for s in symbols], 2)
    return SERIAL_ALPHABET[-total % len(SERIAL_ALPHABET)]


def new_serial() -> str:
    """``DC-`` + 15 random symbols and a check symbol (mod 27), in groups of four."""
    body = "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(SERIAL_SYMBOLS - 1))
    return _grouped(body + check_symbol(body))


def _grouped(symbols: str) -> str:
    return "DC-" + "-".join(symbols[i : i + 4] for i in range(0, SERIAL_SYMBOLS, 4))


def _symbols(text: str) -> str:
    """The serial's symbols: upper case, hyphens and spaces dropped, ``DC`` prefix off."""
    plain = "".join(text.split()).upper().replace("-", "")
    return plain[2:] if plain.startswith("DC") else "\0"


def normalise_serial(text: str) -> str:
    """``dc-bcdf ghjk…`` -> ``DC-BCDF-GHJK-…``: lower case, missing or extra hyphens and
    spaces are tolerated. Text that is not 16 symbols comes back stripped, upper case."""
    symbols = _symbols(text)
    if len(symbols) == SERIAL_SYMBOLS and symbols.isalnum() and symbols.isascii():
        return _grouped(symbols)
    return text.strip().upper()


def serial_problem(text: str) -> str | None:
    """None for a well-formed serial; "mistyped" for one made only of v2 symbols whose
    check symbol is wrong (a typo); "malformed" for anything else.

    A v1 serial (base32) uses some vowels or L or Y in nearly every case; the few (about
    2 %) that use only v2 symbols pass the check 1 time in 27, so look serials up in the
    register first and ask this only of a serial the register does not hold."""
    symbols = _symbols(text)
    if len(symbols) != SERIAL_SYMBOLS:
        return "malformed"
    if all(s in _SERIAL_VALUES for s in symbols):
        values = [_SERIAL_VALUES[s] for s in symbols]
        return None if _weighted_sum(values, 1) == 0 else "mistyped"
    if all(s in _V1_SERIAL_ALPHABET for s in symbols):
        return None
    return "malformed"


def qr_segments(text: str) -> str | list[tuple[str, str]]:
    """How to put a QR text into the symbol: a version 2 text as its segments (address in
    byte mode, code in alphanumeric mode, see :meth:`PayloadV2.segments`), any other text
    whole (segno chooses; a ``DC1:`` text is all alphanumeric)."""
    address, hashmark, code = text.rpartition("#")
    if not code.startswith(PREFIX_V2):
        return text
    segments = [(code, "alphanumeric")]
    return [(address + hashmark, "byte"), *segments] if hashmark else segments


def qr_address(text: str) -> str:
    """The verification address of a version 2 QR text ("" when it has none)."""
    address, _hashmark, code = text.rpartition("#")
    return address if code.startswith(PREFIX_V2) else ""
