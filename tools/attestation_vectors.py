#!/usr/bin/env python3
"""Write docs/attestation-vectors.json: test vectors of docs/attestation-format.md.

    python tools/attestation_vectors.py

The private key below is a published TEST key (32 bytes from SHA-256 of a fixed phrase):
it signs nothing real. Ed25519 signatures are deterministic, so the file is the same on
every run; tests/test_attestation_spec.py checks it without the app's payload code.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json
import sys
import zlib
from pathlib import Path

import cbor2
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digcomp_app.documents import payload  # noqa: E402
from digcomp_app.documents.payload import SignedContent  # noqa: E402

TEST_KEY_SEED = hashlib.sha256(b"digcomp-app attestation vectors: published TEST key").digest()
OTHER_KEY_SEED = hashlib.sha256(b"digcomp-app attestation vectors: another TEST key").digest()
ADDRESS = "https://www.daugavkrasts.lv/apliecinajumi/"


def serial(body: str) -> str:
    return "DC-" + "-".join((body + payload.check_symbol(body))[i : i + 4] for i in range(0, 16, 4))


BASE = SignedContent(
    serial=serial("BCDFGHJKMNPQRST"),
    issued_on=dt.date(2026, 12, 4),
    holder="Anna Bērziņa",
    birth_date=None,
    school="Daugavkrastu tehnikums",
    address=ADDRESS,
    framework_id="digcomp",
    framework_version="3.0",
    competences=(("1.1", 4), ("2.1", 5), ("3.1", 3), ("5.2", 6)),
    mobility_code="2026-1-LV01-KA122-VET-000123456",
)


def fields(content: SignedContent) -> dict:
    out = {
        "serial": content.serial,
        "issued_on": content.issued_on.isoformat(),
        "holder": content.holder,
        "school": content.school,
        "address": content.address,
        "framework_id": content.framework_id,
        "framework_version": content.framework_version,
        "competences": [list(c) for c in content.competences],
        "mobility_code": content.mobility_code,
    }
    if content.birth_date is not None:
        out["birth_date"] = content.birth_date.isoformat()
    return out


def text_of(envelope: bytes, address: str = "") -> str:
    code = "DC2:" + payload.base45_encode(zlib.compress(envelope, 9))
    return f"{address}#{payload.fragment_of(code)}" if address else code


def main() -> int:
    key = Ed25519PrivateKey.from_private_bytes(TEST_KEY_SEED)
    other = Ed25519PrivateKey.from_private_bytes(OTHER_KEY_SEED)
    public = key.public_key().public_bytes_raw()
    contents = {
        "with address": BASE,
        "without address": dataclasses.replace(BASE, address="", mobility_code=""),
        "with date of birth": dataclasses.replace(
            BASE, serial=serial("ZXWVTSRQPNMKJHG"), birth_date=dt.date(2008, 3, 1)
        ),
        "Latvian diacritics, 8 competences": dataclasses.replace(
            BASE,
            serial=serial("2345678923456789"[:15]),
            holder="Ēriks Šņore-Ķīķēns",
            school="Ģimnāzija „Žagariņš”",
            competences=tuple(
                (cid, level)
                for cid, level in zip(
                    ("1.1", "1.2", "1.3", "2.1", "2.2", "3.1", "4.1", "5.2"),
                    (2, 3, 4, 5, 6, 7, 8, 1),
                    strict=True,
                )
            ),
        ),
    }
    vectors = []
    for name, content in contents.items():
        signed = payload.sign_v2(key, content)
        vectors.append(
            {
                "name": name,
                "qr_text": signed.text(),
                "content_hex": signed.content_bytes.hex(),
                "signed_bytes_hex": signed.signed_bytes().hex(),
                "envelope_hex": signed.envelope().hex(),
                "key_id": signed.key_id,
                "expected": {"verdict": "valid", "fields": fields(content)},
            }
        )
    good = payload.sign_v2(key, BASE)
    text = good.text()
    at = len(text) - 20
    changed = text[:at] + ("0" if text[at] != "0" else "1") + text[at + 1 :]
    key_id = bytes.fromhex(good.key_id)
    stranger = payload.sign_v2(other, BASE)
    noncanonical = (
        b"\xb9\x00" + bytes([len(cbor2.loads(good.content_bytes))]) + good.content_bytes[1:]
    )
    invalid = [
        # a changed character breaks the zlib stream's Adler-32 (or the deflate data) far
        # more often than it survives to the signature check: unreadable, shown as not valid
        {"name": "one character changed", "qr_text": changed, "verdict": "unreadable"},
        {"name": "signed by an unknown key", "qr_text": stranger.text(), "verdict": "unknown key"},
        {
            "name": "another school's address in front of a genuine code",
            "qr_text": "https://forged.example/#" + payload.fragment_of(good.code()),
            "verdict": "not valid",
        },
        {
            "name": "content not in canonical CBOR (a map length in 2 bytes), correctly signed",
            "qr_text": text_of(
                cbor2.dumps([key_id, noncanonical, key.sign(payload.CONTEXT_V2 + noncanonical)]),
                ADDRESS,
            ),
            "verdict": "not valid",
        },
        {
            "name": "zlib bomb (inflates to more than 4096 bytes)",
            "qr_text": text_of(b"\x00" * 8192),
            "verdict": "unreadable",
        },
        {
            "name": "base45 triple above 65535",
            "qr_text": "DC2:GGW",
            "verdict": "unreadable",
        },
    ]
    document = {
        "about": "Test vectors of docs/attestation-format.md. The private key is a published "
        "TEST key: never trust anything it signed.",
        "context_hex": payload.CONTEXT_V2.hex(),
        "test_private_key_hex": TEST_KEY_SEED.hex(),
        "public_key_hex": public.hex(),
        "key_id": payload.key_id_of(public),
        "valid": vectors,
        "invalid": invalid,
        "serials": {
            "well formed": [BASE.serial, BASE.serial.lower().replace("-", "")],
            "mistyped": [BASE.serial[:-1] + ("2" if BASE.serial[-1] != "2" else "3")],
            "version 1": ["DC-ABCD-EFGH-IJKL-MNOP"],
        },
    }
    out = ROOT / "docs" / "attestation-vectors.json"
    out.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
