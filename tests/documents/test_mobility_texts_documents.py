"""Documents print a mobility's texts in their own language (read back with pdftotext)."""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt

from digcomp_app.documents.attestation import render_attestation
from digcomp_app.documents.europass_text import europass_text
from digcomp_app.documents.mobility_summary import (
    MobilitySummaryData,
    SummaryParticipant,
    render_mobility_summary,
)
from digcomp_app.framework import builtin_library
from tests.documents.conftest import flat, make_snapshot, pdf_text

LATVIAN = {
    "title": "Digitālā satura veidošana mediju darbnīcā",
    "objective": "Apgūt video montāžu un sociālo mediju satura plānošanu.",
    "activities": "Īsu video montāža un publicēšanas plāna sastādīšana.",
    "host_description": "Hamburgas mediju darbnīca jauniešiem.",
}
ENGLISH = {
    "title": "Creating digital content in a media workshop",
    "objective": "Learn video editing and social media content planning.",
    "activities": "Editing short videos and drawing up a publishing plan.",
    "host_description": "A media workshop for young people in Hamburg.",
}


def with_texts(lv: dict[str, str], en: dict[str, str]) -> dict:
    snapshot = make_snapshot()
    snapshot["mobility"]["texts"] = {"lv": lv, "en": en}
    return snapshot


def test_an_english_attestation_shows_the_english_texts_and_not_the_latvian(signer, tmp_path):
    pdf = render_attestation(signer.attestation(with_texts(LATVIAN, ENGLISH)), ["en"])
    text = flat(pdf_text(pdf, tmp_path))
    for value in ENGLISH.values():
        assert value in text
    for value in LATVIAN.values():
        assert value not in text
    assert "Activities carried out" in text and "About the host organisation" in text


def test_a_bilingual_attestation_prints_each_language_with_its_own_texts(signer, tmp_path):
    pdf = render_attestation(signer.attestation(with_texts(LATVIAN, ENGLISH)), ["lv", "en"])
    whole = pdf_text(pdf, tmp_path)
    latvian_part, english_part = whole.split("Attestation of digital competences", 1)
    latvian_part, english_part = flat(latvian_part), flat(english_part)
    assert LATVIAN["title"] in latvian_part and ENGLISH["title"] not in latvian_part
    assert ENGLISH["title"] in english_part and LATVIAN["title"] not in english_part
    assert LATVIAN["activities"] in latvian_part
    assert ENGLISH["activities"] in english_part


def test_an_empty_english_text_is_printed_from_the_latvian(signer, tmp_path):
    english = dict(ENGLISH, objective="", host_description="")
    pdf = render_attestation(signer.attestation(with_texts(LATVIAN, english)), ["en"])
    text = flat(pdf_text(pdf, tmp_path))
    assert ENGLISH["title"] in text and LATVIAN["title"] not in text
    assert LATVIAN["objective"] in text  # the fallback
    assert LATVIAN["host_description"] in text


def test_an_old_snapshot_without_texts_prints_its_single_title_and_objective(signer, tmp_path):
    snapshot = make_snapshot()
    assert "texts" not in snapshot["mobility"]
    text = flat(pdf_text(render_attestation(signer.attestation(snapshot), ["en"]), tmp_path))
    assert "Digitālā satura veidošana mediju darbnīcā" in text
    assert "Apgūt video montāžu" in text
    assert "Activities carried out" not in text  # nothing to print there


def test_the_europass_text_starts_with_the_mobility_in_its_language():
    framework = builtin_library().get("digcomp", "3.0")
    snapshot = with_texts(LATVIAN, dict(ENGLISH, activities=""))
    english = europass_text(snapshot, framework, "en").splitlines()
    assert english[0] == f"Learning mobility: {ENGLISH['title']}"
    assert english[1] == f"Objective: {ENGLISH['objective']}"
    assert english[2] == f"Activities carried out: {LATVIAN['activities']}"  # fallback
    assert english[4].startswith("Digital competences assessed against")
    old = europass_text(make_snapshot(), framework, "en").splitlines()
    # an older snapshot has no mobility texts: the text starts with the competences
    assert old[0].startswith("Digital competences assessed against")
    assert not any(line.startswith("Learning mobility:") for line in old)


def test_the_mobility_summary_uses_the_texts_of_its_language(tmp_path):
    data = MobilitySummaryData(
        code="2026-1-LV01-KA121-VET-000123456-DE",
        title=LATVIAN["title"],
        organisation="Daugavkrastu tehnikums",
        host="Medienwerkstatt Nordlicht GmbH",
        host_country="DE",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 27),
        framework=builtin_library().get("digcomp", "3.0"),
        printed_on=dt.date(2026, 4, 2),
        participants=(SummaryParticipant("Ēriks Šņore", {"1.1": 4}, "certified"),),
        texts={"lv": copy.deepcopy(LATVIAN), "en": dict(ENGLISH, host_description="")},
    )
    english = flat(pdf_text(render_mobility_summary(data, "en"), tmp_path))
    assert ENGLISH["title"] in english and LATVIAN["title"] not in english
    assert ENGLISH["objective"] in english and ENGLISH["activities"] in english
    assert LATVIAN["host_description"] in english  # the English one is empty
    latvian = flat(pdf_text(render_mobility_summary(data, "lv"), tmp_path))
    assert LATVIAN["title"] in latvian and ENGLISH["title"] not in latvian
    # without texts (as before): the title given
    plain = dataclasses.replace(data, texts={})
    assert LATVIAN["title"] in flat(pdf_text(render_mobility_summary(plain, "en"), tmp_path))
