"""The printed attestation, read back as its reader would: text, fonts, QR code, data."""

from __future__ import annotations

import copy
import io
import json

import pypdfium2
import pytest

from digcomp_app.documents import attestation, attestation_wording
from digcomp_app.documents.attestation import (
    embedded_records,
    file_name,
    render_attestation,
    render_attestations,
)
from digcomp_app.documents.pdf_data import EmbeddedDataError
from digcomp_app.framework import builtin_library
from digcomp_app.i18n import translations_for
from tests.documents.conftest import (
    decode_qr,
    flat,
    make_snapshot,
    outcomes,
    page_count,
    pdf_fonts,
    pdf_text,
)

LANGUAGES = [("lv",), ("en",), ("lv", "en")]


def words(language: str, message: str) -> str:
    return translations_for(language).gettext(message)


@pytest.mark.parametrize("languages", LANGUAGES, ids=["lv", "en", "lv+en"])
def test_every_version_shows_the_holder_levels_and_dates_as_written(
    signer, snapshot, languages, tmp_path
):
    pdf = render_attestation(signer.attestation(snapshot), languages)
    text = flat(pdf_text(pdf, tmp_path))
    # Names with Latvian and German letters, exactly as written
    for name in ("Ēriks", "Šņore", "Daugavkrastu tehnikums", "Inese Rudzīte", "Jürgen Weiß"):
        assert name in text
    assert "Medienwerkstatt Nordlicht GmbH" in text and "Hafenstraße 21" in text
    assert "DC-ABCD-EFGH-IJKL-MNOP" in text
    assert "LV-2026-00141" in text  # the official Europass Mobility number, as entered
    assert "Erasmus+" in text
    if "lv" in languages:
        assert "4 – Vidējs" in text and "5 – Augsts" in text  # level names in Latvian
        assert "Informācijas pārlūkošana, meklēšana un filtrēšana" in text
        assert "2026. gada 2. aprīlis" in text  # issue date
        assert "2026. gada 2. marts – 2026. gada 27. marts" in text  # from–to
        assert "Vācija" in text  # host country
        assert words("lv", attestation_wording.HOLDER) in text
        assert words("lv", attestation_wording.COMPETENCES) in text
    if "en" in languages:
        assert "4 – Intermediate" in text and "5 – Advanced" in text
        assert "Browsing, searching and filtering information" in text
        assert "2 April 2026" in text
        assert "2 March 2026 – 27 March 2026" in text
        assert "Germany" in text
        assert "Holder" in text and "Digital competences acquired" in text
        assert "Assessment method: Practical task" in text
        assert "Assessor: Ilze Ozola, 26 March 2026" in text
    # what the levels mean, and the learning outcomes shown (DigComp 3.0 texts)
    framework = builtin_library().get("digcomp", "3.0")
    for language in languages:
        assert flat(framework.level(4).description.get(language)) in text
        outcome = framework.competence("1.1").learning_outcomes[0]
        assert flat(outcome.text.get(language)) in text


def test_the_date_of_birth_is_printed_only_when_the_school_chooses(signer, snapshot, tmp_path):
    hidden = flat(pdf_text(render_attestation(signer.attestation(snapshot), ["en"]), tmp_path))
    shown = render_attestation(signer.attestation(snapshot, show_birth_date=True), ["en"])
    shown_text = flat(pdf_text(shown, tmp_path))
    assert "14 May 2007" in shown_text and "Date of birth" in shown_text
    assert "14 May 2007" not in hidden and "Date of birth" not in hidden


def test_no_europass_number_is_invented(signer, tmp_path):
    snapshot = make_snapshot()
    snapshot["mobility"]["europass_number"] = ""
    text = flat(pdf_text(render_attestation(signer.attestation(snapshot), ["en"]), tmp_path))
    assert "Europass Mobility number" not in text
    assert "LV-2026" not in text


def test_a_case_without_a_mobility_leaves_out_the_organisations_and_mobility(signer, tmp_path):
    snapshot = make_snapshot(mobility=None)
    text = flat(pdf_text(render_attestation(signer.attestation(snapshot), ["en"]), tmp_path))
    assert "Sending and host organisations" not in text and "The mobility" not in text
    assert "3 Digital competences acquired" in text
    assert "Host mentor" not in text and "Coordinator" in text


@pytest.mark.parametrize("languages", LANGUAGES, ids=["lv", "en", "lv+en"])
def test_fonts_are_embedded_and_every_page_has_the_verifiable_footer(
    signer, snapshot, languages, tmp_path
):
    item = signer.attestation(snapshot)
    pdf = render_attestation(item, languages)
    fonts = pdf_fonts(pdf, tmp_path)
    assert fonts, "no fonts listed"
    assert all(f["emb"] == "yes" and f["uni"] == "yes" for f in fonts), fonts
    assert {f["name"].split("+", 1)[1] for f in fonts} <= {
        "NotoSans-Regular",
        "NotoSans-Bold",
        "NotoSans-Italic",
    }
    pages = page_count(pdf)
    assert pages >= len(languages)
    for page in range(1, pages + 1):
        text = flat(pdf_text(pdf, tmp_path, page, page))
        assert "DC-ABCD-EFGH-IJKL-MNOP" in text
        assert signer.fingerprint in text
        assert f"{page}/{pages}" in text
        assert "CC BY 4.0" in text  # the framework's attribution
        assert decode_qr(pdf, tmp_path, page) == [item.qr_text]


def test_the_qr_code_decodes_to_the_signed_payload_exactly(signer, snapshot, tmp_path):
    item = signer.attestation(snapshot)
    pdf = render_attestation(item, ["lv"])
    assert decode_qr(pdf, tmp_path, dpi=150) == [item.qr_text]
    assert decode_qr(pdf, tmp_path, dpi=300) == [item.qr_text]


def test_pdf_metadata_title_author_subject_language(signer, snapshot):
    pdf = render_attestation(signer.attestation(snapshot), ["lv", "en"])
    document = pypdfium2.PdfDocument(pdf)
    try:
        meta = document.get_metadata_dict()
    finally:
        document.close()
    assert meta["Title"].endswith("— Ēriks Šņore")
    assert words("lv", attestation_wording.TITLE) in meta["Title"]
    assert "Attestation of digital competences" in meta["Title"]
    assert meta["Author"] == "Daugavkrastu tehnikums"
    assert "DC-ABCD-EFGH-IJKL-MNOP" in meta["Subject"] and "DigComp 3.0" in meta["Subject"]
    assert meta["Creator"].startswith("digcomp-app ")
    assert b"/Lang (lv)" in _catalog(pdf)


def _catalog(pdf: bytes) -> bytes:
    """The document catalog's dictionary as written (reportlab writes it uncompressed)."""
    start = pdf.index(b"/Type /Catalog")
    return pdf[pdf.rindex(b"obj", 0, start) : pdf.index(b"endobj", start)]


def test_embedded_records_round_trip(signer, snapshot):
    second = make_snapshot(serial="DC-QRST-UVWX-YZ23-4567")
    second["holder"] = {"given_names": "Līga", "surname": "Ķēniņa", "date_of_birth": None}
    items = [signer.attestation(snapshot), signer.attestation(second)]
    pdf = render_attestations(items, ["en"])
    records = embedded_records(pdf)
    assert [r.qr_text for r in records] == [i.qr_text for i in items]
    assert [dict(r.snapshot) for r in records] == [snapshot, second]
    # exactly what was signed: the snapshot's canonical JSON hashes to the payload's hash
    import hashlib

    from digcomp_app.documents.payload import decode
    from digcomp_app.services.certificates import canonical_json

    for record in records:
        digest = hashlib.sha256(canonical_json(record.snapshot).encode("utf-8")).hexdigest()
        assert decode(record.qr_text).content_hash == digest


def test_embedded_records_of_other_files(tmp_path):
    assert embedded_records(_plain_pdf()) == []
    with pytest.raises(EmbeddedDataError):
        embedded_records(b"%PDF-1.4 this is not really a PDF")


def _plain_pdf() -> bytes:
    from reportlab.pdfgen.canvas import Canvas

    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.drawString(100, 100, "no data here")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def test_the_attachment_is_a_standard_embedded_file(signer, snapshot, tmp_path):
    pdf = render_attestation(signer.attestation(snapshot), ["en"])
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert document.count_attachments() == 1
        attached = document.get_attachment(0)
        assert attached.get_name() == "digcomp-attestations.json"
        data = json.loads(bytes(attached.get_data()))
    finally:
        document.close()
    assert data == [{"qr": signer.qr_text(snapshot), "snapshot": snapshot}]


def test_long_content_flows_over_pages_with_numbered_footers(signer, tmp_path):
    framework = builtin_library().get("digcomp", "3.0")
    many = [
        {
            "competence": c.id,
            "target_level": 5,
            "level": 1 + i % 8,
            "method": "observation",
            "comment": "",
            "assessor": "Dace Priede",
            "assessed_on": "2026-03-20",
            "outcomes": outcomes(c.id, 6),
        }
        for i, c in enumerate(framework.competences())
    ]
    snapshot = make_snapshot(competences=many)
    pdf = render_attestation(signer.attestation(snapshot), ["lv", "en"])
    pages = page_count(pdf)
    assert pages >= 10
    text = flat(pdf_text(pdf, tmp_path))
    for competence in framework.competences():
        assert competence.title.get("en") in text
        assert competence.title.get("lv") in text
    assert f"{pages}/{pages}" in text
    # the signatures close each language version, after the last competence
    last = flat(pdf_text(pdf, tmp_path, pages, pages))
    assert "Katrin Hoffmann" in last and "Baiba Zvaigzne" in last


def test_an_unsigned_preview_says_it_cannot_be_verified(snapshot, tmp_path):
    framework = builtin_library().get("digcomp", "3.0")
    item = attestation.AttestationData(snapshot, framework, "", "")
    pdf = render_attestation(item, ["en"])
    assert "Not signed: this copy cannot be verified." in flat(pdf_text(pdf, tmp_path))
    assert decode_qr(pdf, tmp_path) == []


def test_the_school_logo_is_printed_when_there_is_one(signer, snapshot, tmp_path):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (300, 120), (20, 60, 140)).save(buffer, "PNG")
    pdf = render_attestation(signer.attestation(snapshot, logo=buffer.getvalue()), ["en"])
    document = pypdfium2.PdfDocument(pdf)
    try:
        images = [
            o for o in document[0].get_objects() if o.type == pypdfium2.raw.FPDF_PAGEOBJ_IMAGE
        ]
    finally:
        document.close()
    assert len(images) == 1
    # an unreadable logo is left out, never an error
    broken = render_attestation(signer.attestation(snapshot, logo=b"not an image"), ["en"])
    assert "Daugavkrastu tehnikums" in pdf_text(broken, tmp_path)


def test_file_names_are_safe_ascii():
    snapshot = make_snapshot()
    assert file_name(snapshot, ["lv", "en"]) == "DC-ABCD-EFGH-IJKL-MNOP_Eriks-Snore_lv-en.pdf"
    odd = copy.deepcopy(snapshot)
    odd["holder"] = {"given_names": "Ødegård Łucja/..", "surname": "Straße", "date_of_birth": None}
    assert file_name(odd) == "DC-ABCD-EFGH-IJKL-MNOP_Odegard-Lucja-Strasse.pdf"


def test_languages_are_checked(signer, snapshot):
    with pytest.raises(ValueError):
        render_attestation(signer.attestation(snapshot), ["de"])
    with pytest.raises(ValueError):
        render_attestation(signer.attestation(snapshot), ["lv", "lv"])
