"""Consent records: recorded, withdrawn (kept), listed per learner and scope; teachers see
their own learners' only; the giver's name never in the audit log."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from sqlalchemy import select

from digcomp_app.services import consent, mobilities
from digcomp_app.services.errors import InvalidInput, PermissionDenied, WorkflowError
from digcomp_app.storage.models import AuditEvent


def test_record_withdraw_and_list(db, school):
    given = consent.record_consent(
        db,
        school.coordinator,
        school.learner_id,
        "evidence_photos",
        "guardian",
        " Inese Bērziņa ",
        "2026-01-10",
        "signed form in the file",
    )
    assert (given.giver_name, given.given_on, given.current) == (
        "Inese Bērziņa",
        dt.date(2026, 1, 10),
        True,
    )
    consent.record_consent(db, school.admin, school.learner_id, "publication", "learner", "Jānis")
    withdrawn = consent.withdraw_consent(db, school.coordinator, given.id, dt.date(2026, 2, 1))
    assert withdrawn.withdrawn_on == dt.date(2026, 2, 1) and not withdrawn.current
    listed = consent.list_consents(db, school.coordinator, school.learner_id)
    assert [(c.scope, c.current) for c in listed] == [
        ("publication", True),
        ("evidence_photos", False),
    ]
    assert [c.scope for c in consent.list_consents(db, school.admin, current_only=True)] == [
        "publication"
    ]
    assert consent.list_consents(db, school.admin, scope="host_sharing") == []
    with pytest.raises(WorkflowError):
        consent.withdraw_consent(db, school.coordinator, given.id)
    with db.transaction() as session:
        details = [
            json.dumps(e.details, ensure_ascii=False)
            for e in session.scalars(
                select(AuditEvent).where(AuditEvent.action.like("privacy.%consent"))
            )
        ]
    assert len(details) == 3 and not any("Inese" in d or "Jānis" in d for d in details)


def test_bad_input_names_the_field(db, school):
    def record(**changes):
        values = {
            "learner_id": school.learner_id,
            "scope": "host_sharing",
            "given_by": "learner",
            "giver_name": "Jānis Bērziņš",
            "given_on": None,
        }
        values.update(changes)
        return consent.record_consent(db, school.coordinator, **values)

    for changes, field in (
        ({"scope": "everything"}, "scope"),
        ({"given_by": "teacher"}, "given_by"),
        ({"giver_name": "  "}, "giver_name"),
        ({"giver_name": "a\x00b"}, "giver_name"),
        ({"giver_name": "x" * 201}, "giver_name"),
        ({"given_on": "yesterday"}, "given_on"),
        ({"given_on": dt.date.today() + dt.timedelta(days=1)}, "given_on"),
        ({"note": "n\x00"}, "note"),
    ):
        with pytest.raises(InvalidInput) as refused:
            record(**changes)
        assert refused.value.field == field, changes
    made = record(given_on=dt.date(2026, 3, 1))
    with pytest.raises(InvalidInput) as refused:
        consent.withdraw_consent(db, school.coordinator, made.id, dt.date(2026, 2, 1))
    assert refused.value.field == "withdrawn_on"


def test_teachers_read_their_learners_consents_only(db, school):
    consent.record_consent(
        db, school.coordinator, school.learner_id, "host_sharing", "learner", "J"
    )
    consent.record_consent(
        db, school.coordinator, school.other_learner_id, "host_sharing", "learner", "L"
    )
    # the teacher teaches the mobility Janis is on; Liga is on none
    assert [c.learner_id for c in consent.list_consents(db, school.teacher)] == [school.learner_id]
    assert len(consent.list_consents(db, school.teacher, school.learner_id)) == 1
    with pytest.raises(PermissionDenied):
        consent.list_consents(db, school.teacher, school.other_learner_id)
    with pytest.raises(PermissionDenied):
        consent.list_consents(db, school.other_teacher, school.learner_id)
    for who in (school.teacher, school.learner):
        with pytest.raises(PermissionDenied):
            consent.record_consent(db, who, school.learner_id, "publication", "learner", "J")
    mobilities.add_participants(
        db, school.coordinator, school.mobility_id, [school.other_learner_id]
    )
    assert len(consent.list_consents(db, school.teacher)) == 2
