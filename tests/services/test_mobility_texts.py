"""A mobility's texts in Latvian and English: saved, checked, read back, and frozen into
the certificates issued for it."""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import json

import pytest
from sqlalchemy import select, update

from digcomp_app.documents import payload
from digcomp_app.documents.attestation import mobility_text as snapshot_text
from digcomp_app.services import certificates, mobilities, printing, verification
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.mobilities import MobilityDraft, mobility_text
from digcomp_app.storage.models import Certificate, Mobility
from tests.services.test_signing import issue_one

BOTH = {
    "lv": {
        "title": "Prakse Minhenē",
        "objective": "Apgūt digitālos darbnīcas rīkus.",
        "activities": "Video montāža.\nSociālo mediju plāns.",
        "host_description": "Mediju darbnīca Minhenē.",
    },
    "en": {
        "title": "Placement in Munich",
        "objective": "Learn digital workshop tools.",
        "activities": "Video editing.\nA social media plan.",
        "host_description": "A media workshop in Munich.",
    },
}


def draft(school, **changes) -> MobilityDraft:
    values = {
        "code": "ER-2026-02",
        "title": "",
        "sending_organisation_id": school.home_id,
        "host_organisation_id": school.host_id,
        "host_country": "DE",
        "start_date": dt.date(2026, 4, 1),
        "end_date": dt.date(2026, 4, 25),
        "texts": BOTH,
    }
    values.update(changes)
    return MobilityDraft(**values)


def test_a_mobility_is_created_and_updated_with_both_languages(db, school):
    created = mobilities.create(db, school.coordinator, draft(school))
    # every language the app writes in is there; those not written are empty
    blank = dict.fromkeys(mobilities.TEXT_FIELDS, "")
    assert created.texts == {lang: BOTH.get(lang, blank) for lang in mobilities.TEXT_LANGUAGES}
    assert set(mobilities.TEXT_LANGUAGES) >= {"lv", "en"}
    # the columns for lists and searches hold the Latvian texts
    assert (created.title, created.objective) == ("Prakse Minhenē", BOTH["lv"]["objective"])
    assert mobilities.list_all(db, school.coordinator, text="minhenē")[0].id == created.id

    changed = {"lv": dict(BOTH["lv"]), "en": dict(BOTH["en"], title="  Munich placement \n")}
    updated = mobilities.update(
        db,
        school.coordinator,
        created.id,
        draft(school, texts=changed),
        expected_version=created.version,
    )
    again = mobilities.get(db, school.coordinator, created.id)
    assert again == updated
    assert again.texts["en"]["title"] == "Munich placement"  # stripped
    assert again.texts["lv"] == BOTH["lv"]
    assert mobility_text(again, "activities", "en") == (BOTH["en"]["activities"], False)


def test_an_empty_text_falls_back_to_the_other_language(db, school):
    only_latvian_objective = {
        "lv": {"title": "Prakse", "objective": "Mērķis latviski"},
        "en": {"title": "Placement", "objective": "", "activities": "Editing"},
    }
    info = mobilities.create(db, school.coordinator, draft(school, texts=only_latvian_objective))
    assert mobility_text(info, "title", "en") == ("Placement", False)
    assert mobility_text(info, "objective", "en") == ("Mērķis latviski", True)
    assert mobility_text(info, "activities", "lv") == ("Editing", True)
    assert mobility_text(info, "host_description", "lv") == ("", False)
    # an English title alone is enough, and is then the title lists show
    english = {"en": {"title": "Only in English"}}
    other = mobilities.create(
        db, school.coordinator, draft(school, code="ER-2026-03", texts=english)
    )
    assert other.title == "Only in English"
    assert mobility_text(other, "title", "lv") == ("Only in English", True)


def test_a_title_is_needed_in_one_language(db, school):
    no_title = {"lv": {"objective": "Mērķis"}, "en": {"title": "   "}}
    with pytest.raises(InvalidInput) as raised:
        mobilities.create(db, school.coordinator, draft(school, texts=no_title))
    assert raised.value.field == "title"


@pytest.mark.parametrize(
    ("language", "name", "limit"),
    [("en", "title", 300), ("lv", "objective", 4000), ("en", "host_description", 4000)],
)
def test_each_text_has_a_length_limit_named_with_its_language(db, school, language, name, limit):
    texts = {lang: dict(values) for lang, values in BOTH.items()}
    texts[language][name] = "x" * limit
    mobilities.create(db, school.coordinator, draft(school, texts=texts))  # just fits
    texts[language][name] = "x" * (limit + 1)
    with pytest.raises(InvalidInput) as raised:
        mobilities.create(db, school.coordinator, draft(school, code="ER-2026-09", texts=texts))
    assert raised.value.field == f"texts.{language}.{name}"
    message = str(raised.value)
    assert str(limit) in message and str(limit + 1) in message
    assert ("English" if language == "en" else "Latvian") in message


@pytest.mark.parametrize("bad", ["\x00", "\x1b", "\x07", "\x7f", "\x85"])
def test_control_characters_are_refused(db, school, bad):
    texts = {lang: dict(values) for lang, values in BOTH.items()}
    texts["en"]["activities"] = f"Video{bad}editing"
    with pytest.raises(InvalidInput) as raised:
        mobilities.create(db, school.coordinator, draft(school, texts=texts))
    assert raised.value.field == "texts.en.activities"
    assert "control character" in str(raised.value)
    assert mobilities.list_all(db, school.coordinator, text="ER-2026-02") == []


def test_line_breaks_are_kept_in_texts_but_not_in_a_title(db, school):
    texts = {lang: dict(values) for lang, values in BOTH.items()}
    texts["lv"]["title"] = "Divas\nrindas"
    with pytest.raises(InvalidInput) as raised:
        mobilities.create(db, school.coordinator, draft(school, texts=texts))
    assert raised.value.field == "texts.lv.title"
    texts["lv"]["title"] = "Viena rinda"
    texts["lv"]["activities"] = "Pirmā\r\n\tOtrā"
    info = mobilities.create(db, school.coordinator, draft(school, texts=texts))
    assert info.texts["lv"]["activities"] == "Pirmā\n\tOtrā"


def test_unknown_languages_and_fields_are_refused(db, school):
    for texts in ({"de": {"title": "Praktikum"}}, {"en": {"title": "A", "summary": "B"}}):
        with pytest.raises(InvalidInput) as raised:
            mobilities.create(db, school.coordinator, draft(school, texts=texts))
        assert raised.value.field == "texts"


def test_a_single_language_caller_keeps_the_other_language(db, school):
    """Callers that give only title and objective (the demo, older code) write Latvian and
    leave the English texts as they were."""
    info = mobilities.create(db, school.coordinator, draft(school))
    plain = draft(school, title="Jauns nosaukums", objective="Jauns mērķis", texts={})
    saved = mobilities.update(db, school.coordinator, info.id, plain, info.version)
    assert saved.texts["lv"]["title"] == "Jauns nosaukums"
    assert saved.texts["lv"]["objective"] == "Jauns mērķis"
    assert saved.texts["lv"]["activities"] == BOTH["lv"]["activities"]
    assert saved.texts["en"] == BOTH["en"]
    assert saved.title == "Jauns nosaukums"


def test_a_mobility_saved_before_texts_per_language_reads_as_latvian(db, school):
    with db.transaction() as session:
        session.execute(update(Mobility).where(Mobility.id == school.mobility_id).values(texts={}))
    info = mobilities.get(db, school.coordinator, school.mobility_id)
    assert info.texts["lv"]["title"] == "Placement in Munich" == info.title
    assert info.texts["lv"]["objective"] == "Digital workshop tools"
    assert info.texts["en"] == dict.fromkeys(mobilities.TEXT_FIELDS, "")
    assert mobility_text(info, "title", "en") == ("Placement in Munich", True)
    # and it can still be edited the old way
    saved = mobilities.update(
        db,
        school.coordinator,
        info.id,
        dataclasses.replace(draft(school, code=info.code, texts={}), title="Cits", objective=""),
        info.version,
    )
    assert saved.title == "Cits"


def test_a_certificate_freezes_the_texts_of_both_languages(db, school, signer):
    info = mobilities.get(db, school.coordinator, school.mobility_id)
    texts = {"lv": dict(BOTH["lv"]), "en": dict(BOTH["en"], objective="")}
    mobilities.update(
        db,
        school.coordinator,
        info.id,
        draft(school, code=info.code, texts=texts),
        info.version,
    )
    cert = issue_one(db, school, signer)
    mobility = cert.snapshot["mobility"]
    assert mobility["title"] == "Prakse Minhenē"  # as before, for older readers
    assert mobility["texts"]["en"]["title"] == "Placement in Munich"
    assert snapshot_text(mobility, "title", "en") == "Placement in Munich"
    assert snapshot_text(mobility, "objective", "en") == BOTH["lv"]["objective"]
    # the texts are part of what is signed, and the certificate verifies
    verdict = verification.verify_text(db, None, cert.qr_text)
    assert verdict.verdict == verification.Verdict.VALID
    english = printing.europass_text(db, school.coordinator, cert.serial, "en")
    assert english.splitlines()[0] == "Learning mobility: Placement in Munich"
    assert "Activities carried out: Video editing. A social media plan." in english
    assert "Prakse" not in english
    latvian = printing.europass_text(db, school.coordinator, cert.serial, "lv")
    assert "Prakse Minhenē" in latvian and "Placement" not in latvian


def test_a_certificate_issued_before_texts_per_language_still_verifies(db, school, signer):
    cert = issue_one(db, school, signer)
    # made as before: no texts in the snapshot, its hash and signature over that
    with db.transaction() as session:
        row = session.scalar(select(Certificate).where(Certificate.serial == cert.serial))
        snapshot = json.loads(row.snapshot)
        del snapshot["mobility"]["texts"]
        snapshot.pop("verification", None)  # version 1: a serial in base32, the hash signed
        serial = snapshot["serial"] = certificates.old_serial()
        text = certificates.canonical_json(snapshot)
        digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
        signed = payload.sign(signer.private_key, serial, cert.issued_on, digest)
        row.serial, row.snapshot, row.content_hash = serial, text, digest
        row.signature, row.key_id = signed.signature.hex(), signed.key_id
    old = certificates.get(db, school.coordinator, serial)
    assert "texts" not in old.snapshot["mobility"]
    assert verification.verify_text(db, None, old.qr_text).verdict == verification.Verdict.VALID
    assert snapshot_text(old.snapshot["mobility"], "title", "en") == "Placement in Munich"
    # its Europass text is as it always was: no mobility lines
    english = printing.europass_text(db, school.coordinator, serial, "en")
    assert english.startswith("Digital competences assessed against")
