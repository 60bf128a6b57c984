"""Sealing with a passphrase: argon2id turns the passphrase into a key, AES-256-GCM seals.

Two uses share this: a small secret sealed in one piece (the school's signing key,
services/signing.py, docs/decisions/0012-signed-attestations.md) and a stream of any
length sealed in chunks (backups, services/backup/, docs/decisions/0023-sealed-backups.md).

The stream construction is STREAM (Hoang, Reyhanitabar, Rogaway, Vizár 2015): the plaintext
is cut into chunks of ``chunk_size`` bytes; chunk ``i`` is sealed with the nonce
``prefix (7 random bytes) || i (4 bytes, big-endian) || last (1 byte: 1 on the final chunk,
else 0)`` and the stream's header as associated data. So a changed byte anywhere fails its
chunk's tag, a changed header fails every chunk, chunks cannot be reordered, dropped or
repeated (the counter), the stream cannot be cut short at a chunk boundary (the final flag)
and nothing can follow the final chunk. The final chunk holds fewer than ``chunk_size``
bytes (possibly none), so a reader knows it by its length.
"""

from __future__ import annotations

import base64
import secrets
import struct
from collections.abc import Callable
from typing import BinaryIO

from argon2.low_level import Type, hash_secret_raw
from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from digcomp_app.i18n import _
from digcomp_app.services.errors import InvalidInput

MIN_PASSPHRASE = 10
#: argon2id cost: 64 MiB, 3 passes (about 0.2 s here); paid once per unlock or backup
KDF = {"t": 3, "m": 65536, "p": 1}
#: what a file may ask of the key derivation before it is refused (a header is read before
#: anything in it is authenticated: it must not make the program use 50 GB or an hour)
KDF_LIMITS = {"t": (1, 16), "m": (8 * 1024, 1024 * 1024), "p": (1, 16)}
SALT_BYTES = 16
KEY_BYTES = 32
TAG_BYTES = 16
PREFIX_BYTES = 7
#: plaintext bytes per chunk of a sealed stream
CHUNK_SIZE = 1024 * 1024
CHUNK_LIMITS = (1024, 16 * 1024 * 1024)
_KEY_CHECK_COUNTER = 0xFFFFFFFF
_KEY_CHECK_FLAG = 2  # chunks use 0 and 1: this nonce is never a chunk's
_KEY_CHECK_DATA = b"digcomp sealed stream key check"


def derive_key(passphrase: str, salt: bytes, params: dict[str, int]) -> bytes:
    """argon2id: the 256-bit key for ``passphrase`` with ``salt`` and cost ``params``."""
    return hash_secret_raw(
        passphrase.encode("utf-8"),
        salt,
        time_cost=params["t"],
        memory_cost=params["m"],
        parallelism=params["p"],
        hash_len=KEY_BYTES,
        type=Type.ID,
    )


def check_kdf_params(params: dict[str, int]) -> bool:
    """Whether stored cost parameters are within what the program accepts to pay."""
    try:
        return all(low <= int(params[name]) <= high for name, (low, high) in KDF_LIMITS.items())
    except (KeyError, TypeError, ValueError):
        return False


def check_new_passphrase(passphrase: str, repeated: str | None = None) -> None:
    """The rule for a new passphrase: at least MIN_PASSPHRASE characters, typed twice alike."""
    if len(passphrase) < MIN_PASSPHRASE:
        raise InvalidInput(
            "passphrase",
            _("The passphrase must have at least {count} characters.").format(count=MIN_PASSPHRASE),
        )
    if repeated is not None and passphrase != repeated:
        raise InvalidInput("repeated", _("The two passphrases are not the same."))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


# --------------------------------------------------------------------------- one piece


def seal_small(secret: bytes, passphrase: str, associated: bytes) -> dict[str, object]:
    """``secret`` sealed in one piece: the record to store (JSON-ready)."""
    salt, nonce = secrets.token_bytes(SALT_BYTES), secrets.token_bytes(12)
    sealed = AESGCM(derive_key(passphrase, salt, KDF)).encrypt(nonce, secret, associated)
    return {
        "kdf": "argon2id",
        **KDF,
        "salt": _b64(salt),
        "nonce": _b64(nonce),
        "sealed": _b64(sealed),
    }


def unseal_small(record: dict[str, object], passphrase: str, associated: bytes) -> bytes | None:
    """The secret, or None when the passphrase is wrong (or the record was altered)."""
    params = {name: int(record[name]) for name in ("t", "m", "p")}  # type: ignore[call-overload]
    key = derive_key(passphrase, base64.b64decode(str(record["salt"])), params)
    try:
        return AESGCM(key).decrypt(
            base64.b64decode(str(record["nonce"])),
            base64.b64decode(str(record["sealed"])),
            associated,
        )
    except InvalidTag:
        return None


# --------------------------------------------------------------------------- streams


class StreamBroken(Exception):
    """A sealed stream failed its check. ``reason``: "altered", "truncated" or "appended";
    ``offset``: the byte of the file where the failing chunk starts."""

    def __init__(self, reason: str, offset: int) -> None:
        super().__init__(f"{reason} at byte {offset}")
        self.reason = reason
        self.offset = offset


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    return prefix + struct.pack(">IB", counter, 1 if last else 0)


def key_check(key: bytes, prefix: bytes) -> bytes:
    """16 bytes that show, before any chunk is read, whether the key is the right one."""
    nonce = prefix + struct.pack(">IB", _KEY_CHECK_COUNTER, _KEY_CHECK_FLAG)
    return AESGCM(key).encrypt(nonce, b"", _KEY_CHECK_DATA)


def key_matches(key: bytes, prefix: bytes, check: bytes) -> bool:
    return secrets.compare_digest(key_check(key, prefix), check)


def seal_stream(
    source: BinaryIO,
    target: BinaryIO,
    key: bytes,
    prefix: bytes,
    associated: bytes,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Seal everything ``source`` holds onto ``target``; the plaintext bytes sealed.

    ``progress(bytes_done)`` is called after each chunk (an exception it raises stops).
    """
    aead = AESGCM(key)
    counter = done = 0
    while True:
        data = source.read(chunk_size)
        last = len(data) < chunk_size
        target.write(aead.encrypt(_nonce(prefix, counter, last), data, associated))
        done += len(data)
        if progress is not None:
            progress(done)
        if last:
            return done
        counter += 1
        if counter >= _KEY_CHECK_COUNTER:
            raise ValueError("stream too long")


def open_stream(
    source: BinaryIO,
    target: BinaryIO,
    key: bytes,
    prefix: bytes,
    associated: bytes,
    chunk_size: int = CHUNK_SIZE,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Check and open a sealed stream from ``source`` (placed after its header) onto
    ``target``; the plaintext bytes. Raises :class:`StreamBroken` at the first chunk that
    fails: what was written to ``target`` by then must be thrown away."""
    aead = AESGCM(key)
    counter = done = 0
    offset = source.tell()
    while True:
        block = source.read(chunk_size + TAG_BYTES)
        if not block:
            raise StreamBroken("truncated", offset)
        last = len(block) < chunk_size + TAG_BYTES
        try:
            data = aead.decrypt(_nonce(prefix, counter, last), block, associated)
        except InvalidTag:
            raise StreamBroken("altered", offset) from None
        target.write(data)
        done += len(data)
        if progress is not None:
            progress(done)
        offset += len(block)
        if last:
            if source.read(1):
                raise StreamBroken("appended", offset)
            return done
        counter += 1
        if counter >= _KEY_CHECK_COUNTER:
            raise StreamBroken("appended", offset)
