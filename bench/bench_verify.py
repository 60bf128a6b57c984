"""Verifying a printed attestation PDF in-process: render every page, decode its QR code
from the image, check the signature, compare the signed content with the page's text and
with the attached data.

Budget (issue 10): "``verify FILE.pdf`` (render + decode + checks) under 1 s in-process",
for a one-language attestation and for a two-language one (Latvian then English).

Data (not timed): one certificate snapshot as the services freeze it (Latvian names, a
mobility, 4-8 DigComp 3.0 competences), signed with a fresh Ed25519 key into a version 2
code under the school's verification address, rendered by the real attestation renderer.
Timed: ``services.verification.verify_pdf`` without a register, with the key as a loaded
key file (the path of ``digcomp-app verify --no-register --key FILE FILE.pdf`` after
reading the files); the first run includes loading the QR decoder.
"""

from __future__ import annotations

import random
import sys
import time

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.common import Budget, measure
from digcomp_app.documents import fonts, payload
from digcomp_app.documents.batch import AttestationJob, Options, render_job
from digcomp_app.framework import builtin_library

BUDGET_MS = 1000.0
SEED = 20261204
ADDRESS = "https://www.daugavkrasts.lv/apliecinajumi/"


def signed_pdf(languages: tuple[str, ...], key: Ed25519PrivateKey) -> bytes:
    from bench.bench_attestations import snapshots
    from digcomp_app.services.certificates import signed_content

    snapshot = snapshots(1, random.Random(SEED))[0]
    snapshot["serial"] = payload.new_serial()
    snapshot["verification"] = {"version": 2, "address": ADDRESS, "prints_birth_date": False}
    snapshot["holder"]["date_of_birth"] = None
    content = signed_content(snapshot)
    assert content is not None
    signed = payload.sign_v2(key, content)
    fingerprint = payload.fingerprint_of(key.public_key().public_bytes_raw())
    return render_job(AttestationJob(snapshot, signed.text(), fingerprint), Options(languages))


def main() -> int:
    from digcomp_app.services import verification

    fonts.register_fonts()
    builtin_library()
    key = Ed25519PrivateKey.generate()
    key_id = payload.key_id_of(key.public_key().public_bytes_raw())
    key_file = verification.NamedKeyFile(
        "bench-keys.pem",
        "Daugavkrastu tehnikums",
        ADDRESS,
        "2026-12-04",
        {key_id: key.public_key()},
    )
    print("verify: a printed attestation PDF, in-process (render + decode + checks)")
    budget = Budget("verify")
    for label, languages in (
        ("one language (lv)", ("lv",)),
        ("two languages (lv+en)", ("lv", "en")),
    ):
        pdf = signed_pdf(languages, key)

        def check(pdf: bytes = pdf) -> list:
            return verification.verify_pdf(None, None, pdf, None, [key_file])

        began = time.perf_counter()
        results = check()
        first = (time.perf_counter() - began) * 1000
        pages = sum(len(r.pages) for r in results)
        verdicts = ", ".join(r.verdict.value for r in results)
        timing = measure(check, runs=7, warmup=1)
        print(
            f"  {label:<22} {pages} pages, {len(pdf) / 1024:.0f} KiB: first {first:.0f} ms, "
            f"median {timing.median_ms:.0f} ms, best {timing.best_ms:.0f} ms; verdict {verdicts}"
        )
        budget.check(
            f"{label} valid", all(r.valid for r in results), f"every verdict valid ({verdicts})"
        )
        budget.check(
            label,
            max(first, timing.median_ms) < BUDGET_MS,
            f"first {first:.0f} ms and median {timing.median_ms:.0f} ms < {BUDGET_MS:.0f} ms",
        )
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
