"""Reading a certificate's snapshot once, typed (documents/snapshot.py)."""

from __future__ import annotations

import re

import pytest

from digcomp_app.documents.snapshot import Snapshot, SnapshotError

FULL = {
    "format": 3,
    "serial": "DC-AAAA-BBBB-CCCC-DDDD",
    "issued_at": "2026-05-31T22:30:00+00:00",
    "issued_on": "2026-06-01",
    "issued_by": "Ilze Kalniņa",
    "holder": {"given_names": "Ēriks", "surname": "Šņore", "date_of_birth": "2008-03-14"},
    "issuer": {"name": "Rīgas skola", "address": "Brīvības 1", "country": "LV"},
    "framework": {"id": "digcomp", "version": "2.2"},
    "mobility": {
        "code": "M-1",
        "title": "Prakse Minhenē",
        "objective": "Mērķis",
        "texts": {"en": {"title": "Placement in Munich", "activities": ""}},
        "host": {"name": "Werk GmbH", "contact_person": "Anna"},
        "host_mentor": "Hans",
        "europass_number": None,
    },
    "competences": [
        {"competence": "1.1", "level": 4, "method": "observation", "outcomes": ["1.1-a"]},
        {"competence": "2.1", "level": "3"},
    ],
    "case": 7,
    "verification": {"version": 2, "address": " https://check.example ", "prints_birth_date": 1},
}


def test_a_full_snapshot_reads_into_attributes():
    snapshot = Snapshot.from_json(FULL)
    assert snapshot.holder.name == "Ēriks Šņore"
    assert snapshot.issuer.name == "Rīgas skola"
    assert (snapshot.framework_id, snapshot.framework_version) == ("digcomp", "2.2")
    assert snapshot.mobility is not None
    assert snapshot.mobility.host.contact_person == "Anna"
    assert snapshot.mobility.sending.name == ""
    assert snapshot.mobility.europass_number == ""  # null reads as empty
    assert [c.level for c in snapshot.competences] == [4, 3]
    assert snapshot.competences[0].outcomes == ("1.1-a",)
    assert snapshot.competences[1].outcomes == ()
    assert snapshot.issue_date == "2026-06-01"
    assert snapshot.address == "https://check.example"
    assert snapshot.prints_birth_date_signed is True


def test_mobility_texts_fall_back_to_another_language_and_to_the_old_fields():
    mobility = Snapshot.from_json(FULL).mobility
    assert mobility is not None
    assert mobility.text("title", "en") == "Placement in Munich"
    assert mobility.text("title", "lv") == "Placement in Munich"  # lv has none: English
    assert mobility.text("objective", "en") == "Mērķis"  # no text at all: the old field
    assert mobility.text("activities", "en") == ""


def test_an_old_snapshot_gets_its_defaults():
    old = {
        "serial": "DC1-OLD",
        "issued_at": "2024-09-01T08:00:00+00:00",
        "holder": {"given_names": "Anna", "surname": "Bērziņa"},
        "issuer": {"name": "Skola", "verification_address": "https://old.example"},
        "framework": {"id": "digcomp", "version": "2.2"},
        "mobility": None,
        "competences": [],
    }
    snapshot = Snapshot.from_json(old)
    assert snapshot.issue_date == "2024-09-01"  # no issued_on: the timestamp's day
    assert snapshot.mobility is None
    assert snapshot.verification is None
    assert snapshot.prints_birth_date_signed is None  # the school's choice now applies
    assert snapshot.holder.date_of_birth is None
    assert snapshot.address == "https://old.example"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"holder": ["Anna"]}, "snapshot.holder must be an object"),
        ({"competences": {"1.1": 4}}, "snapshot.competences must be a list"),
        ({"competences": [{"competence": "1.1", "level": "four"}]}, "competences[0].level"),
        ({"competences": [{"competence": "1.1", "level": True}]}, "competences[0].level"),
        ({"competences": ["1.1"]}, "competences[0] must be an object"),
        ({"serial": ["DC"]}, "snapshot.serial must be a text"),
        ({"mobility": {"texts": {"en": "Title"}}}, "mobility.texts.en must be an object"),
    ],
)
def test_a_field_of_the_wrong_kind_is_refused(change, message):
    with pytest.raises(SnapshotError, match="^" + re.escape(message)):
        Snapshot.from_json({**FULL, **change})


def test_not_an_object_is_refused():
    with pytest.raises(SnapshotError):
        Snapshot.from_json(["DC"])  # type: ignore[arg-type]
