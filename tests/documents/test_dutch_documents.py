"""Documents printed in Dutch, read back as text: the wording from the Dutch catalogue, the
DigComp 3.0 texts of the Dutch translation, dates and countries written the Dutch way."""

from __future__ import annotations

import re

from digcomp_app.documents import attestation_wording
from digcomp_app.documents.attestation import check_languages, render_attestation
from digcomp_app.documents.europass_text import europass_text
from digcomp_app.documents.mobility_summary import render_mobility_summary
from digcomp_app.documents.profile import render_profile
from digcomp_app.framework import builtin_library
from digcomp_app.i18n import translations_for
from tests.documents.conftest import decode_qr, flat, make_snapshot, pdf_fonts, pdf_text
from tests.documents.test_reports import profile_data, summary_data

FRAMEWORK = builtin_library().get("digcomp", "3.0")


def dutch(message: str) -> str:
    return translations_for("nl").gettext(message)


def test_a_dutch_attestation_is_in_dutch(signer, snapshot, tmp_path):
    assert check_languages(["nl"]) == ("nl",)
    pdf = render_attestation(signer.attestation(snapshot), ["nl"])
    text = flat(pdf_text(pdf, tmp_path))
    assert dutch(attestation_wording.TITLE) == "Attest van digitale competenties"
    for message in (
        attestation_wording.TITLE,
        attestation_wording.HOLDER,
        attestation_wording.COMPETENCES,
    ):
        assert dutch(message) in text
    assert "Ēriks" in text and "Šņore" in text and "DC-ABCD-EFGH-IJKL-MNOP" in text
    assert "2 april 2026" in text  # the date of issue, by Babel in Dutch
    assert "2 maart 2026 – 27 maart 2026" in text
    assert "Duitsland" in text  # the host country
    assert "Beoordelingsmethode: Praktische opdracht" in text
    assert "4 – Intermediair" in text and "5 – Gevorderd" in text
    assert "Browsen, zoeken en filteren van informatie" in text
    assert flat(FRAMEWORK.level(4).description.get("nl")) in text
    outcome = FRAMEWORK.competence("1.1").learning_outcomes[0]
    assert flat(outcome.text.get("nl")) in text
    # the Dutch translation's licence is credited at the foot
    assert "Apache-2.0" in text
    # no English wording of the attestation itself slipped through
    for english in ("Holder", "Digital competences acquired", "Assessment method", "Page "):
        assert english not in text
    assert re.search(r"Pagina 1/\d", text)
    assert all(f["emb"] == "yes" for f in pdf_fonts(pdf, tmp_path))
    assert decode_qr(pdf, tmp_path)  # the signed code is printed as on every attestation


def test_the_mobility_texts_fall_back_to_english_for_dutch(signer, tmp_path):
    """A mobility with texts in Latvian and English only: the Dutch attestation prints the
    English ones (the nearest to its reader), not the Latvian."""
    snapshot = make_snapshot()
    snapshot["mobility"]["texts"] = {
        "lv": {"title": "Digitālā satura veidošana", "objective": "Apgūt video montāžu."},
        "en": {"title": "Creating digital content", "objective": "Learn video editing."},
    }
    text = flat(pdf_text(render_attestation(signer.attestation(snapshot), ["nl"]), tmp_path))
    assert "Creating digital content" in text and "Learn video editing." in text
    assert "Digitālā satura veidošana" not in text


def test_the_profile_and_the_mobility_summary_in_dutch(tmp_path):
    profile = flat(pdf_text(render_profile(profile_data(), "nl"), tmp_path))
    assert dutch("Self-assessment results") == "Resultaten van de zelfbeoordeling"
    assert "Resultaten van de zelfbeoordeling" in profile
    assert "28 maart 2026" in profile and "20 februari 2026" in profile
    for area in FRAMEWORK.areas:
        assert area.title.get("nl") in profile
    summary = flat(pdf_text(render_mobility_summary(summary_data(), "nl"), tmp_path))
    assert FRAMEWORK.competence("3.1").title.get("nl") in summary
    assert "Duitsland" in summary and "Ēriks Šņore 0" in summary


def test_the_europass_text_in_dutch():
    text = europass_text(make_snapshot(), FRAMEWORK, "nl")
    assert "niveau 4 (intermediair), beoordeeld door middel van praktische opdracht" in text
    assert FRAMEWORK.competence("1.1").title.get("nl") in text
