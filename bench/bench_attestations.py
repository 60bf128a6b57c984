"""Printing 200 attestations through the real rendering path, in one process and on
every core.

Budget (issue #5): "at least 40 attestations per second per core on this machine".

Data (not timed): 200 certificate snapshots as the services freeze them - Latvian names,
a Latvian school, host companies in Germany and Spain, 4-8 DigComp 3.0 competences each
with 1-3 learning outcomes, levels 2-6, methods and assessors - each signed with an
Ed25519 key into a real QR payload. Timed: ``documents.batch.render_batch`` (what
``services.printing.print_attestations`` runs after reading the database), writing each
PDF to a folder, then joining them into the combined file for the printer; once in one
process and once on every core, with the workers' start-up included (the fork server that
loads the renderer, fonts and frameworks once, on Linux and macOS; a fresh interpreter
per worker on Windows). Other programs running at the same time slow the all-cores run
most: the load average is printed first.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import random
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from bench.common import Budget
from digcomp_app.documents import fonts, payload
from digcomp_app.documents.attestation import file_name
from digcomp_app.documents.batch import AttestationJob, Options, render_batch, worker_count
from digcomp_app.documents.pdf_data import EmbeddedRecord, Metadata, combine
from digcomp_app.framework import builtin_library

ATTESTATIONS = 200
BUDGET_PER_CORE = 40.0
SEED = 20260405


def accelerated() -> bool:
    """Whether reportlab formats numbers with its C accelerator (rl_accel)."""
    from reportlab.lib import rl_accel

    return getattr(rl_accel.fp_str, "__module__", "") == "_rl_accel"


def snapshots(count: int, rng: random.Random) -> list[dict]:
    # Imported here, not above: every worker process imports this module again (it is
    # the main module), and should not pay for the database layer it never uses.
    from bench.bench_learners import FEMALE_GIVEN, MALE_GIVEN, SURNAMES
    from digcomp_app.services.certificates import new_serial
    from digcomp_app.showcase.demo.content import AREA_METHODS, HOME, HOSTS, STAFF

    framework = builtin_library().get("digcomp", "3.0")
    competences = list(framework.competences())
    teachers = [name for _user, name, role in STAFF if role.value == "teacher"]
    organisation = {k: HOME[k] for k in ("name", "address", "country", "contact_person")}
    organisation |= {"signatory_name": HOME["signatory_name"], "signatory_role": "direktore"}
    made = []
    for number in range(count):
        male = rng.random() < 0.5
        given = rng.choice(MALE_GIVEN if male else FEMALE_GIVEN)
        surname = rng.choice(SURNAMES)[0 if male else 1]
        host = HOSTS[number % len(HOSTS)]
        start = dt.date(2026, 2, 2) + dt.timedelta(weeks=rng.randrange(20))
        chosen = sorted(rng.sample(competences, rng.randint(4, 8)), key=lambda c: c.id)
        entries = []
        for competence in chosen:
            outcomes = [o.id for o in competence.learning_outcomes]
            entries.append(
                {
                    "competence": competence.id,
                    "target_level": 4,
                    "level": rng.randint(2, 6),
                    "method": rng.choice(AREA_METHODS[competence.area_id]),
                    "comment": "",
                    "assessor": rng.choice(teachers),
                    "assessed_on": (start + dt.timedelta(days=25)).isoformat(),
                    "outcomes": rng.sample(outcomes, min(len(outcomes), rng.randint(1, 3))),
                }
            )
        issued = dt.datetime.combine(start + dt.timedelta(days=30), dt.time(10), dt.UTC)
        made.append(
            {
                "format": 1,
                "serial": new_serial(),
                "issued_at": issued.isoformat(timespec="seconds"),
                "issued_on": issued.date().isoformat(),
                "issued_by": "Baiba Zvaigzne",
                "holder": {
                    "given_names": given,
                    "surname": surname,
                    "date_of_birth": dt.date(2007, 1, 1).isoformat(),
                },
                "issuer": organisation,
                "framework": {"id": "digcomp", "version": "3.0"},
                "mobility": {
                    "code": f"2026-1-LV01-KA121-VET-000{number:06d}-{host['country']}",
                    "title": "Digitālā satura veidošana mediju uzņēmumā",
                    "programme": "Erasmus+",
                    "objective": "Četru nedēļu prakse: foto un video satura sagatavošana, "
                    "darbs komandā ar mākoņrīkiem, personas datu aizsardzība.",
                    "host_country": host["country"],
                    "start_date": start.isoformat(),
                    "end_date": (start + dt.timedelta(days=25)).isoformat(),
                    "host_mentor": host["contact_person"],
                    "sending": organisation,
                    "host": {k: host[k] for k in ("name", "address", "country", "contact_person")},
                    "europass_number": f"LV-2026-{number + 100:05d}",
                },
                "competences": entries,
                "case": number + 1,
                # version 2 codes: the signed content in the QR, under the school's address
                "verification": {
                    "version": 2,
                    "address": "https://www.daugavkrasts.lv/apliecinajumi/",
                    "prints_birth_date": False,
                },
            }
        )
    return made


def signed_jobs(items: list[dict]) -> list[AttestationJob]:
    from digcomp_app.services.certificates import canonical_json, signed_content

    key = Ed25519PrivateKey.generate()
    fingerprint = payload.fingerprint_of(key.public_key().public_bytes_raw())
    jobs = []
    for snapshot in items:
        content = signed_content(snapshot)
        if content is None:  # a version 1 snapshot
            digest = hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()
            issued_on = dt.date.fromisoformat(snapshot["issued_on"])
            text = payload.sign(key, snapshot["serial"], issued_on, digest).text()
        else:
            text = payload.sign_v2(key, content).text()
        jobs.append(AttestationJob(snapshot, text, fingerprint))
    return jobs


def print_batch(
    jobs: list[AttestationJob], languages: tuple[str, ...], folder: Path, workers: int
) -> tuple[float, float, int]:
    """(seconds to render and write every file, seconds to combine, combined bytes)."""
    parts: dict[int, bytes] = {}

    def sink(index: int, pdf: bytes) -> None:
        (folder / file_name(jobs[index].snapshot, languages)).write_bytes(pdf)
        parts[index] = pdf

    began = time.perf_counter()
    render_batch(jobs, Options(languages), sink, workers=workers)
    rendered = time.perf_counter()
    metadata = Metadata(
        "Attestations", "Daugavkrastu tehnikums", "DigComp 3.0", languages[0], "bench"
    )
    records = [EmbeddedRecord(j.qr_text, j.snapshot) for j in jobs]
    combined = combine([parts[i] for i in range(len(jobs))], metadata, records)
    (folder / "combined.pdf").write_bytes(combined)
    return rendered - began, time.perf_counter() - rendered, len(combined)


def timed(action: Callable[[], object]) -> float:
    began = time.perf_counter()
    action()
    return time.perf_counter() - began


def main() -> int:
    cores = worker_count(None)
    print(
        f"attestations: {ATTESTATIONS} signed attestations, 4-8 competences each; "
        f"rl_accel {'active' if accelerated() else 'NOT active (pure-Python number formatting)'}; "
        f"{cores} cores"
    )
    setup = timed(fonts.register_fonts) + timed(builtin_library)
    print(f"  fonts and frameworks, once per process: {setup * 1000:.0f} ms")
    rng = random.Random(SEED)
    jobs = signed_jobs(snapshots(ATTESTATIONS, rng))
    pages_competences = sum(len(j.snapshot["competences"]) for j in jobs) / len(jobs)
    print(f"  {pages_competences:.1f} competences per attestation on average")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    print(f"  load average before the runs: {load:.2f} (other programs slow the all-cores run)")
    budget = Budget("attestations")
    with tempfile.TemporaryDirectory(prefix="digcomp-bench-") as folder:
        results = {}
        for label, languages, workers in (
            ("one process, lv", ("lv",), 1),
            (f"{cores} processes, lv", ("lv",), cores),
            ("one process, lv+en", ("lv", "en"), 1),
        ):
            out = Path(folder) / label.replace(" ", "_").replace(",", "")
            out.mkdir()
            render_s, combine_s, size = print_batch(jobs, languages, out, workers)
            total = render_s + combine_s
            rate = ATTESTATIONS / total
            results[label] = (rate, workers)
            print(
                f"  {label:<20} {total:5.2f} s = render+write {render_s:4.2f} s "
                f"+ combine {combine_s:4.2f} s -> {rate:6.1f} attestations/s "
                f"({rate / workers:5.1f} per core); combined file {size / 2**20:.1f} MiB"
            )
    for label in ("one process, lv", f"{cores} processes, lv"):
        rate, workers = results[label]
        budget.check(
            label,
            rate / workers >= BUDGET_PER_CORE,
            f"{rate / workers:.1f} attestations/s per core >= {BUDGET_PER_CORE:.0f}",
        )
    budget.check("rl_accel active", accelerated(), "reportlab's C accelerator is imported")
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
