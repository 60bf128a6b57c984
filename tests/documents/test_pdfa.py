"""Attestations are PDF/A-3b, their attachment holds only what is printed, and the printer's
combined file is for printing only (issue 10; docs/decisions/0022-archival-pdf.md).

veraPDF is not packaged where this project runs, so the structures PDF/A-3b requires are
checked here with pikepdf, and, where Java and Debian's ``libpdfbox2-java`` (Apache PDFBox
Preflight) are installed, the files are also run through Preflight, a real validator: it
knows PDF/A-1b only, so the findings where PDF/A-3 differs from PDF/A-1 are set aside
(embedded files, the ICC profile's version, ``pdfaid:part`` 3) and nothing else may be
reported.
"""

from __future__ import annotations

import copy
import io
import json
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

import pikepdf
import pytest

from digcomp_app.documents.archival import xmp_date
from digcomp_app.documents.attestation import (
    embedded_records,
    printed_record,
    render_attestation,
    render_attestations,
)
from digcomp_app.documents.pdf_data import PRINTED_FORMAT, Metadata, combine
from tests.documents.conftest import make_snapshot

LANGUAGES = [("lv",), ("en",), ("lv", "en")]
ADDRESS = "https://www.daugavkrasts.lv/apliecinajumi/"
#: a version 2 code as the QR carries it (its signature is not what is checked here)
V2_CODE = ADDRESS + "#DC2:6BFOXN*TS0BI1RIAB5K3JK0$V2IC3O7ONZ4E1"

NS = {
    "x": "adobe:ns:meta/",
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "xmp": "http://ns.adobe.com/xap/1.0/",
    "pdf": "http://ns.adobe.com/pdf/1.3/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def _v2(signer: Any, snapshot: dict[str, Any], **options: Any) -> Any:
    item = signer.attestation(snapshot, **options)
    from dataclasses import replace

    return replace(item, qr_text=V2_CODE)


def _xmp(pdf: pikepdf.Pdf) -> ElementTree.Element:
    stream = pdf.Root.Metadata
    assert stream.Type == "/Metadata" and stream.Subtype == "/XML"
    assert "/Filter" not in stream, "the XMP stays readable without decoding"
    raw = stream.read_bytes()
    assert raw.startswith(b"<?xpacket begin=") and raw.rstrip().endswith(b'<?xpacket end="w"?>')
    assert b"bytes=" not in raw.split(b"?>", 1)[0]
    return ElementTree.fromstring(raw.split(b"?>", 1)[1].rsplit(b"<?xpacket", 1)[0])


def _one(root: ElementTree.Element, path: str) -> str:
    found = root.findall(f".//{path}", NS)
    assert len(found) == 1, path
    return (found[0].text or "").strip()


def check_pdfa_3b(data: bytes, attachments: bool) -> pikepdf.Pdf:
    """The structures PDF/A-3b requires, as a validator would look for them."""
    assert data.startswith(b"%PDF-1.")
    assert all(b > 127 for b in data.split(b"\n", 2)[1][1:5]), "binary comment line"
    assert not re.search(rb"[^\r\n]endstream", data), "an EOL before every endstream"
    pdf = pikepdf.open(io.BytesIO(data))
    assert not pdf.is_encrypted and "/Encrypt" not in pdf.trailer
    ids = pdf.trailer.ID
    assert len(ids) == 2 and all(len(bytes(i)) >= 16 for i in ids)
    root = pdf.Root
    for forbidden in ("/JavaScript", "/AA", "/OpenAction"):
        assert forbidden not in root
    assert "/JavaScript" not in (root.get("/Names") or {})
    # XMP: PDF/A identification, and the same facts as the Info dictionary
    xmp = _xmp(pdf)
    assert _one(xmp, "pdfaid:part") == "3" and _one(xmp, "pdfaid:conformance") == "B"
    info = {str(k)[1:]: str(v) for k, v in pdf.docinfo.items()}
    assert "Trapped" not in info
    assert _one(xmp, "dc:title/rdf:Alt/rdf:li") == info["Title"]
    assert _one(xmp, "dc:creator/rdf:Seq/rdf:li") == info["Author"]
    assert _one(xmp, "dc:description/rdf:Alt/rdf:li") == info["Subject"]
    assert _one(xmp, "pdf:Keywords") == info["Keywords"]
    assert _one(xmp, "pdf:Producer") == info["Producer"]
    assert _one(xmp, "xmp:CreatorTool") == info["Creator"]
    assert _one(xmp, "xmp:CreateDate") == xmp_date(info["CreationDate"])
    assert _one(xmp, "xmp:ModifyDate") == xmp_date(info["ModDate"])
    # the output intent: sRGB, RGB profile for the DeviceRGB colours drawn
    (intent,) = root.OutputIntents
    assert intent.S == "/GTS_PDFA1" and str(intent.OutputConditionIdentifier)
    profile = intent.DestOutputProfile
    assert profile.N == 3
    header = profile.read_bytes()[:40]
    assert header[12:16] == b"mntr" and header[16:20] == b"RGB " and header[36:40] == b"acsp"
    assert header[8] <= 4, "ICC version 4 at most (PDF 1.7)"
    # fonts: every one embedded (TrueType program), with a ToUnicode map, tags unique
    names = []
    for page in pdf.pages:
        assert "/AA" not in page.obj
        for annotation in page.obj.get("/Annots") or ():
            assert annotation.Subtype not in ("/Movie", "/Sound", "/FileAttachment")
        fonts = dict((page.obj.Resources.get("/Font") or {}).items())
        for _key, font in fonts.items():
            descriptor = font.FontDescriptor
            assert "/FontFile2" in descriptor, font.BaseFont
            assert "/ToUnicode" in font
            assert descriptor.FontName == font.BaseFont
            if font.objgen not in {n[1] for n in names}:
                names.append((str(font.BaseFont), font.objgen))
            if "/Encoding" not in font:  # symbolic: one cmap subtable (6.2.11.6)
                assert int(descriptor.Flags) & 4
    assert len({n for n, _objgen in names}) == len(names), "a subset tag used twice"
    assert all(re.match(r"^/[A-Z]{6}\+", n) for n, _objgen in names)
    # associated files
    embedded = (root.get("/Names") or {}).get("/EmbeddedFiles")
    if attachments:
        specs = list(root.AF)
        assert specs and embedded is not None
        tree = dict(pikepdf.NameTree(embedded).items())
        assert {s.objgen for s in specs} == {s.objgen for s in tree.values()}
        for spec in specs:
            assert spec.Type == "/Filespec" and "/F" in spec and "/UF" in spec
            assert spec.AFRelationship == "/Data"
            stream = spec.EF.F
            assert stream.Subtype == "/application#2Fjson" or str(stream.Subtype) == (
                "/application/json"
            )
            assert "/ModDate" in stream.Params
    else:
        assert embedded is None and "/AF" not in root
    return pdf


def printers_file(signer: Any) -> tuple[list[bytes], bytes]:
    """Three attestations (two holders) in one file for the printer: the parts and the file."""
    first = make_snapshot()
    second = make_snapshot(serial="DC-QRST-UVWX-YZ23-4567")
    second["holder"] = {"given_names": "Ģirts", "surname": "Žūriņš", "date_of_birth": None}
    parts = [render_attestation(_v2(signer, s), ["lv", "en"]) for s in (first, second, first)]
    metadata = Metadata(
        "Apliecinājumi drukāšanai (3) – tikai drukāšanai, nevis pārbaudei",
        "Daugavkrastu tehnikums",
        "For printing only: this file carries no attestation data",
        "lv",
        "digcomp-app test",
        "DC-ABCD-EFGH-IJKL-MNOP",
    )
    return parts, combine(parts, metadata)


@dataclass
class Preflighted:
    """The files these tests check with Preflight, run through it together (one JVM)."""

    attestations: dict[tuple[str, ...], bytes]
    printers_parts: list[bytes]
    printers_file: bytes
    reports: dict[str, str] | None  # Preflight's report per file name; None: not installed

    def check(self, name: str) -> None:
        if self.reports is not None:
            preflight_report_is_clean(self.reports[name])


@pytest.fixture(scope="module")
def preflighted(signer, tmp_path_factory) -> Preflighted:
    attestations = {
        languages: render_attestation(_v2(signer, make_snapshot()), languages)
        for languages in LANGUAGES
    }
    parts, combined = printers_file(signer)
    files = {"-".join(languages): pdf for languages, pdf in attestations.items()}
    files["printers"] = combined
    return Preflighted(attestations, parts, combined, preflight(files, tmp_path_factory))


@pytest.mark.parametrize("languages", LANGUAGES, ids=["lv", "en", "lv+en"])
def test_an_attestation_is_pdfa_3b(preflighted, languages):
    check_pdfa_3b(preflighted.attestations[languages], attachments=True)
    preflighted.check("-".join(languages))


def test_a_version_1_attestation_and_a_preview_are_pdfa_3b(signer, snapshot, tmp_path):
    check_pdfa_3b(render_attestation(signer.attestation(snapshot), ["lv"]), attachments=True)
    from dataclasses import replace

    preview = replace(signer.attestation(snapshot), qr_text="", key_fingerprint="")
    check_pdfa_3b(render_attestation(preview, ["en"]), attachments=True)


def test_the_printers_file_is_pdfa_for_printing_only_with_a_tag_per_subset(preflighted):
    parts, combined = preflighted.printers_parts, preflighted.printers_file
    pdf = check_pdfa_3b(combined, attachments=False)  # tags unique across all three
    assert embedded_records(combined) == []
    assert len(pdf.pages) == sum(len(pikepdf.open(io.BytesIO(p)).pages) for p in parts)
    xmp = _xmp(pdf)
    assert "not for verification" in _one(xmp, "dc:title/rdf:Alt/rdf:li") or (
        "nevis pārbaudei" in _one(xmp, "dc:title/rdf:Alt/rdf:li")
    )
    assert "For printing only" in _one(xmp, "dc:description/rdf:Alt/rdf:li")
    assert str(pdf.Root.Lang) == "lv"
    preflighted.check("printers")


def test_one_attestation_printed_alone_gets_tags_from_its_own_subsets(signer, snapshot):
    """Two attestations printed apart, with other letters, carry other tags: joined by any
    tool they still do not clash."""
    other = make_snapshot(serial="DC-QRST-UVWX-YZ23-4567")
    other["holder"] = {"given_names": "Ģirts", "surname": "Žūriņš", "date_of_birth": None}

    def tags(pdf: bytes) -> set[str]:
        return set(re.findall(rb"/BaseFont\s*/([A-Z]{6}\+[\w-]+)", pdf))

    first = tags(render_attestation(_v2(signer, snapshot), ["lv"]))
    again = tags(render_attestation(_v2(signer, snapshot), ["lv"]))
    assert first == again  # the same subsets, the same tags
    assert tags(render_attestation(_v2(signer, other), ["lv"])) != first


# --- what the attachment holds ------------------------------------------------------------


def _attached(pdf: bytes) -> list[dict[str, Any]]:
    with pikepdf.open(io.BytesIO(pdf)) as document:
        return json.loads(document.attachments["digcomp-attestations.json"].get_file().read_bytes())


def test_the_attachment_of_a_version_2_attestation_holds_only_what_is_printed(signer, snapshot):
    snapshot["competences"][0]["comment"] = "Needs reminding to cite sources"
    snapshot["issuer"]["verification_address"] = ADDRESS
    pdf = render_attestation(_v2(signer, snapshot), ["lv"])
    (item,) = _attached(pdf)
    assert set(item) == {"qr", "printed"} and item["qr"] == V2_CODE
    record = item["printed"]
    text = json.dumps(record, ensure_ascii=False)
    for private in ("2007-05-14", "Needs reminding", "target_level", '"case"', "issued_at"):
        assert private not in text, private
    assert record["format"] == PRINTED_FORMAT and record["languages"] == ["lv"]
    assert record["holder"] == {"given_names": "Ēriks", "surname": "Šņore"}
    assert record["issuer"]["verification_address"] == ADDRESS
    assert "contact_person" not in record["issuer"]  # not printed for the issuer
    assert [c["competence"] for c in record["competences"]] == ["1.1", "3.1"]
    assert set(record["competences"][0]) == {
        "competence",
        "level",
        "method",
        "assessor",
        "assessed_on",
        "outcomes",
    }
    assert set(record["mobility"]["texts"]) == {"lv"}
    # the reading API gives it as a snapshot-shaped mapping, marked as printed
    (read,) = embedded_records(pdf)
    assert read.printed and read.snapshot == record and read.qr_text == V2_CODE


def test_the_date_of_birth_is_attached_only_when_printed(signer, snapshot):
    shown = printed_record(_v2(signer, snapshot, show_birth_date=True), ["en"])
    assert shown["holder"]["date_of_birth"] == "2007-05-14"
    hidden = printed_record(_v2(signer, snapshot), ["en"])
    assert "date_of_birth" not in hidden["holder"]


def test_a_version_1_attestation_keeps_its_whole_snapshot(signer, snapshot):
    """A DC1 code signs only the snapshot's hash: the attachment keeps the snapshot whole,
    or a verifier away from the register could not check it."""
    items = [signer.attestation(snapshot), _v2(signer, copy.deepcopy(snapshot))]
    attached = _attached(render_attestations(items, ["en"]))
    assert attached[0] == {"qr": items[0].qr_text, "snapshot": snapshot}
    assert set(attached[1]) == {"qr", "printed"}


# --- a real validator, where installed ----------------------------------------------------

PREFLIGHT_JARS = (
    "preflight.jar",
    "pdfbox2.jar",
    "fontbox2.jar",
    "xmpbox.jar",
    "commons-logging.jar",
    "javax.activation.jar",
    "jaxb-api.jar",
)
#: findings where PDF/A-1b (all Preflight knows) is stricter than PDF/A-3b
PDFA_1_ONLY = (
    "1.2.9 : Body Syntax error, EmbeddedFile entry is present in a FileSpecification",
    "1.4.7 : Trailer Syntax error, EmbeddedFile entry is present in the Names dictionary",
    "2.1.6 : Invalid graphics object, Invalid version of the ICCProfile",
    "7.11.2 : Error on MetaData, part must be 1",
)


#: the JVM's quick compiler only and one garbage collector thread: a short run of Preflight
#: does not wait for (or pay for) the optimising compiler
JAVA_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")


def preflight(
    files: dict[str, bytes], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str] | None:
    """Apache PDFBox Preflight on each file (its ``batch`` mode: every file of a folder, in
    one JVM): the report per name, or None where Preflight is not installed."""
    java = shutil.which("java")
    folder = Path("/usr/share/java")
    jars = [folder / jar for jar in PREFLIGHT_JARS]
    if java is None or not all(jar.exists() for jar in jars):
        reason = (
            "Preflight not installed "
            "(apt-get install default-jre-headless libpdfbox2-java libactivation-java "
            "libjaxb-api-java)"
        )
        if os.environ.get("DIGCOMP_REQUIRE_PDFA_VALIDATOR"):
            pytest.fail(reason)
        return None
    batch = tmp_path_factory.mktemp("preflight")
    for name, pdf in files.items():
        (batch / f"{name}.pdf").write_bytes(pdf)
    done = subprocess.run(
        [
            java,
            *JAVA_OPTIONS,
            "-cp",
            ":".join(str(j) for j in jars),
            "org.apache.pdfbox.preflight.Validator_A1b",
            "batch",
            str(batch),
        ],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    # one report per file: "The file NAME.pdf is a valid PDF/A-1b file", or "… is not valid
    # …, error(s) :" and a line per finding
    reports = re.split(r"(?m)^(?=The file \S+\.pdf is )", done.stdout)
    by_name = {
        report.split()[2].removesuffix(".pdf"): report
        for report in reports
        if report.startswith("The file ")
    }
    missing = sorted(set(files) - set(by_name))
    assert not missing, f"no report for {missing}:\n{done.stdout}{done.stderr}"
    return by_name


def preflight_report_is_clean(report: str) -> None:
    """Preflight's findings, less the PDF/A-1-only ones: none may be left."""
    findings = [
        line.strip() for line in report.splitlines() if re.match(r"^\s*\d+(\.\d+)+ :", line)
    ]
    left = [f for f in findings if not f.startswith(PDFA_1_ONLY)]
    assert not left, "\n".join(left)
    assert "valid PDF/A-1b" in report or findings, report
