#!/usr/bin/env python3
"""Write docs/digital-credentials-vector.json: the test vector of docs/digital-credentials.md.

    python tools/credential_vector.py

The private key is a published TEST key (SHA-256 of a fixed phrase): it signs nothing real.
Ed25519 is deterministic and every input (snapshot, salt, time) is fixed, so the file is the
same on every run; tests/test_digital_credentials.py rebuilds it and checks its proof
without the application's proof code.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import sys
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from digcomp_app.documents import openbadges, status_list  # noqa: E402
from digcomp_app.framework import builtin_library  # noqa: E402

OUT = ROOT / "docs" / "digital-credentials-vector.json"
TEST_KEY_SEED = hashlib.sha256(b"digcomp-app digital credentials: published TEST key").digest()
SALT = "0f1e2d3c4b5a69788796a5b4c3d2e1f0"
CREATED = dt.datetime(2026, 12, 4, 10, 0, 0, tzinfo=dt.UTC)
#: the certificate's place in the status list, and the list's revoked places
STATUS_INDEX = 40327
REVOKED = [7, STATUS_INDEX]
LISTED = dt.datetime(2027, 1, 15, 8, 0, 0, tzinfo=dt.UTC)
SNAPSHOT: dict[str, Any] = {
    "serial": "DC-BCDF-GHJK-MNPQ-RSTV",
    "issued_at": "2026-12-04T09:30:00+00:00",
    "issued_on": "2026-12-04",
    "holder": {"given_names": "Anna", "surname": "Bērziņa", "date_of_birth": "2008-03-01"},
    "issuer": {"name": "Daugavkrastu tehnikums"},
    "framework": {"id": "digcomp", "version": "3.0"},
    "mobility": {
        "code": "2026-1-LV01-KA121-VET-000000001",
        "start_date": "2026-05-18",
        "end_date": "2026-06-12",
        "host_country": "DE",
    },
    "competences": [
        {
            "competence": "4.2",
            "target_level": 4,
            "level": 5,
            "method": "practical_task",
            "assessed_on": "2026-06-10",
        }
    ],
    "verification": {"version": 2, "address": "https://www.daugavkrasts.lv/apliecinajumi/"},
}


def build() -> dict[str, Any]:
    private_key = Ed25519PrivateKey.from_private_bytes(TEST_KEY_SEED)
    public_raw = private_key.public_key().public_bytes_raw()
    address = SNAPSHOT["verification"]["address"]
    did = openbadges.did_web(address)
    framework = builtin_library().get("digcomp", "3.0")
    holder_name = "Anna Bērziņa"
    list_address = status_list.list_address(address)
    [unsigned] = openbadges.credentials(
        SNAPSHOT,
        framework,
        openbadges.Holder(holder_name, SALT),
        "en",
        status_list.entry(list_address, STATUS_INDEX),
    )
    method = openbadges.verification_method(did, public_raw)
    signed = openbadges.sign(unsigned, private_key, method, CREATED)
    listed = status_list.signed_status_list(address, REVOKED, private_key, LISTED)
    return {
        "about": "Test vector of docs/digital-credentials.md. TEST key: signs nothing real.",
        "private_key_hex": TEST_KEY_SEED.hex(),
        "public_key_hex": public_raw.hex(),
        "holder_name": holder_name,
        "salt": SALT,
        "created": openbadges.utc_text(CREATED),
        "snapshot": SNAPSHOT,
        "did_document": openbadges.did_document(address, [public_raw]),
        "canonical_proof_options": openbadges.canonical(
            {
                **{k: v for k, v in signed["proof"][0].items() if k != "proofValue"},
                "@context": signed["@context"],
            }
        ),
        "canonical_credential": openbadges.canonical(unsigned),
        "credential": signed,
        "status_list_revoked": REVOKED,
        "status_list": listed,
    }


def main() -> int:
    OUT.write_text(json.dumps(build(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
