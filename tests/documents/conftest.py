"""Documents are checked as a reader sees them: text extracted with poppler's pdftotext,
fonts listed with pdffonts, pages rasterised with pdftoppm and QR codes read with zbar.

CI installs poppler-utils and zbar-tools (see .ci/run) and requires them; elsewhere the
tests that need a missing tool are skipped, saying which.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from digcomp_app.documents import payload
from digcomp_app.documents.attestation import AttestationData
from digcomp_app.framework import builtin_library
from digcomp_app.services.certificates import canonical_json

TOOLS = {
    "pdftotext": "poppler-utils",
    "pdffonts": "poppler-utils",
    "pdftoppm": "poppler-utils",
    "zbarimg": "zbar-tools",
}


def need(tool: str) -> str:
    """The tool's path; the test is skipped without it (CI sets DIGCOMP_REQUIRE_PDF_TOOLS:
    there a missing tool fails the test)."""
    path = shutil.which(tool)
    if path is None:
        reason = f"{tool} is not installed (apt-get install {TOOLS.get(tool, tool)})"
        if os.environ.get("DIGCOMP_REQUIRE_PDF_TOOLS"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path


def pdf_text(
    pdf: bytes,
    tmp_path: Path,
    first: int | None = None,
    last: int | None = None,
    layout: bool = False,
) -> str:
    """The text as pdftotext extracts it (reading order, one line per printed line; with
    ``layout``, as placed on the page: a table's row stays one line)."""
    source = tmp_path / "extract.pdf"
    source.write_bytes(pdf)
    command = [need("pdftotext"), "-enc", "UTF-8", *(["-layout"] if layout else [])]
    if first:
        command += ["-f", str(first)]
    if last:
        command += ["-l", str(last)]
    done = subprocess.run([*command, str(source), "-"], capture_output=True, check=True)
    return done.stdout.decode("utf-8")


def flat(text: str) -> str:
    """Whitespace collapsed: a wrapped sentence reads as one line."""
    return " ".join(text.split())


def pdf_fonts(pdf: bytes, tmp_path: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type, and whether each font is embedded."""
    source = tmp_path / "fonts.pdf"
    source.write_bytes(pdf)
    out = subprocess.run(
        [need("pdffonts"), str(source)], capture_output=True, check=True, text=True
    ).stdout
    fonts = []
    for line in out.splitlines()[2:]:
        parts = line.split()
        # name type [type...] encoding emb sub uni object-id generation
        fonts.append({"name": parts[0], "emb": parts[-5], "sub": parts[-4], "uni": parts[-3]})
    return fonts


def decode_qr(pdf: bytes, tmp_path: Path, page: int = 1, dpi: int = 150) -> list[str]:
    """The QR codes zbar reads on one page rendered at ``dpi`` (in colour, as PPM: the same
    pixels as a PNG, without the time its compression takes)."""
    source = tmp_path / "qr.pdf"
    source.write_bytes(pdf)
    prefix = tmp_path / f"page-{page}-{dpi}"
    pages = ["-f", str(page), "-l", str(page)]
    subprocess.run([need("pdftoppm"), "-r", str(dpi), *pages, str(source), str(prefix)], check=True)
    image = next(tmp_path.glob(f"{prefix.name}*.ppm"))
    done = subprocess.run(
        [
            *(need("zbarimg"), "--quiet", "--nodbus", "--raw"),
            *("-Sdisable", "-Sqrcode.enable", str(image)),
        ],
        capture_output=True,
        text=True,
        check=False,  # status 4: no code found
    )
    return [line for line in done.stdout.splitlines() if line]


def page_count(pdf: bytes) -> int:
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        return len(document)
    finally:
        document.close()


def outcomes(competence_id: str, count: int) -> list[str]:
    competence = builtin_library().get("digcomp", "3.0").competence(competence_id)
    return [o.id for o in competence.learning_outcomes[:count]]


def make_snapshot(**changes: Any) -> dict[str, Any]:
    """A certificate snapshot as services.certificates.build_snapshot freezes it."""
    organisation = {
        "name": "Daugavkrastu tehnikums",
        "address": "Skolas iela 12, Ogre, LV-5001",
        "country": "LV",
        "contact_person": "Baiba Zvaigzne",
        "signatory_name": "Inese Rudzīte",
        "signatory_role": "direktore",
    }
    snapshot: dict[str, Any] = {
        "format": 1,
        "serial": "DC-ABCD-EFGH-IJKL-MNOP",
        "issued_at": "2026-04-02T09:15:00+00:00",
        "issued_on": "2026-04-02",
        "issued_by": "Baiba Zvaigzne",
        "holder": {"given_names": "Ēriks", "surname": "Šņore", "date_of_birth": "2007-05-14"},
        "issuer": organisation,
        "framework": {"id": "digcomp", "version": "3.0"},
        "mobility": {
            "code": "2026-1-LV01-KA121-VET-000123456-DE",
            "title": "Digitālā satura veidošana mediju darbnīcā",
            "programme": "Erasmus+",
            "objective": "Apgūt video montāžu un sociālo mediju satura plānošanu.",
            "host_country": "DE",
            "start_date": "2026-03-02",
            "end_date": "2026-03-27",
            "host_mentor": "Katrin Hoffmann",
            "sending": organisation,
            "host": {
                "name": "Medienwerkstatt Nordlicht GmbH",
                "address": "Hafenstraße 21, 20359 Hamburg",
                "country": "DE",
                "contact_person": "Jürgen Weiß",
                "signatory_name": "",
                "signatory_role": "",
            },
            "europass_number": "LV-2026-00141",
        },
        "competences": [
            {
                "competence": "1.1",
                "target_level": 4,
                "level": 4,
                "method": "practical_task",
                "comment": "",
                "assessor": "Ilze Ozola",
                "assessed_on": "2026-03-26",
                "outcomes": outcomes("1.1", 2),
            },
            {
                "competence": "3.1",
                "target_level": 3,
                "level": 5,
                "method": "portfolio_review",
                "comment": "",
                "assessor": "Ilze Ozola",
                "assessed_on": "2026-03-26",
                "outcomes": [],
            },
        ],
        "case": 7,
    }
    snapshot.update(changes)
    return snapshot


class Signer:
    """A fresh school key: signs snapshots into QR payloads as issuing does."""

    def __init__(self) -> None:
        self.key = Ed25519PrivateKey.generate()
        self.fingerprint = payload.fingerprint_of(self.key.public_key().public_bytes_raw())

    def qr_text(self, snapshot: dict[str, Any]) -> str:
        digest = hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()
        issued_on = dt.date.fromisoformat(snapshot["issued_on"])
        return payload.sign(self.key, snapshot["serial"], issued_on, digest).text()

    def attestation(self, snapshot: dict[str, Any], **options: Any) -> AttestationData:
        framework = builtin_library().get(
            snapshot["framework"]["id"], snapshot["framework"]["version"]
        )
        return AttestationData(
            snapshot, framework, self.qr_text(snapshot), self.fingerprint, **options
        )


@pytest.fixture(scope="session")
def signer() -> Signer:
    return Signer()


@pytest.fixture
def snapshot() -> dict[str, Any]:
    return copy.deepcopy(make_snapshot())
