"""The school's signing key and the verification of attestation codes."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from sqlalchemy import select

from digcomp_app.documents import payload
from digcomp_app.services import audit, certificates, signing, validation, verification
from digcomp_app.services.errors import (
    AuthenticationFailed,
    InvalidInput,
    PermissionDenied,
    WorkflowError,
)
from digcomp_app.services.verification import Verdict
from digcomp_app.storage.models import AuditEvent, SigningKey
from tests.services.conftest import SIGNING_PASSPHRASE, make_signer, prepared
from tests.services.test_workflow import to_assessment


def issue_one(db, school, signer):
    case = to_assessment(db, school)
    validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "practical_task")
    validation.record_assessment(db, school.teacher, case.id, "2.1", 3, "interview")
    validation.advance(db, school.teacher, case.id)
    return certificates.issue(db, school.coordinator, case.id, signer)


@pytest.fixture
def issued_one(db, school, signer):
    """``issue_one``'s certificate: copied with the school (and its key, which ``signer``
    unlocks) when ``db`` was, else issued here."""
    made = prepared(db, "issued_one")
    return made if made is not None else issue_one(db, school, signer)


def signed_and_issued(db, school):
    """The school's signing key made as ``signer`` makes it, and ``issue_one``."""
    return issue_one(db, school, make_signer(db, school))


def test_only_an_administrator_creates_a_key_with_a_good_passphrase(db, school):
    with pytest.raises(PermissionDenied):
        signing.create_key(db, school.coordinator, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
    with pytest.raises(InvalidInput) as short:
        signing.create_key(db, school.admin, "short", "short")
    assert short.value.field == "passphrase" and "10" in str(short.value)
    with pytest.raises(InvalidInput) as differ:
        signing.create_key(db, school.admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE + "!")
    assert differ.value.field == "repeated"
    key = signing.create_key(db, school.admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
    assert len(key.key_id) == 16 and len(key.fingerprint.split()) == 8 and key.active
    assert key.created_by == "Anna Admina"
    assert [(k.key_id, k.created_by) for k in signing.list_keys(db, school.coordinator)] == [
        (key.key_id, "Anna Admina")
    ]


def test_the_private_key_is_stored_sealed_and_opens_only_with_its_passphrase(db, school):
    signing.create_key(db, school.admin, SIGNING_PASSPHRASE, SIGNING_PASSPHRASE)
    signer = signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE)
    raw = signer.private_key.private_bytes_raw()
    with db.transaction() as session:
        row = session.scalars(select(SigningKey)).one()
        stored = row.sealed_private_key + row.public_key.hex()
    assert raw.hex() not in stored and raw.hex().upper() not in stored
    assert "sealed" in json.loads(stored[: -len(row.public_key.hex())])
    with pytest.raises(AuthenticationFailed):
        signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE + "x")
    with pytest.raises(PermissionDenied):
        signing.unlock(db, school.teacher, SIGNING_PASSPHRASE)
    with pytest.raises(PermissionDenied):
        signing.unlock(db, school.admin, SIGNING_PASSPHRASE)  # administrators never sign
    with db.transaction() as session:
        outcomes = [
            e.outcome
            for e in session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action == "signing.unlock")
                .order_by(AuditEvent.id)
            )
        ]
    assert outcomes == ["ok", "denied", "denied", "denied"]  # passphrase, teacher, admin
    assert audit.verify(db, school.coordinator).intact


def test_no_key_means_a_clear_message_and_no_certificate(db, school):
    with pytest.raises(WorkflowError) as error:
        signing.unlock(db, school.coordinator, SIGNING_PASSPHRASE)
    assert "administrator" in str(error.value)


def test_an_issued_certificate_verifies_with_holder_competences_and_levels(
    db, school, signer, issued_one
):
    cert = issued_one
    assert cert.qr_text.startswith("DC2:") and cert.key_fingerprint == signer.fingerprint
    result = verification.verify_text(db, None, cert.qr_text)
    assert result.verdict is Verdict.VALID and result.valid
    assert result.serial == cert.serial and result.issued_on == cert.issued_on
    assert result.holder == "Jānis Bērziņš" and result.issuer == "Rīgas Valsts tehnikums"
    assert [(c.competence_id, c.level) for c in result.competences] == [("1.1", 4), ("2.1", 3)]
    assert result.competences[0].level_label.startswith("4 ")
    assert result.register_checked and result.in_register
    assert result.fingerprint == signer.fingerprint
    # the same answer with only the exported public key, no register at hand
    keys = signing.read_public_keys(signing.export_public_keys(db, school.coordinator))
    offline = verification.verify_text(None, None, cert.qr_text, keys)
    assert offline.verdict is Verdict.VALID and not offline.register_checked
    assert "not checked" in offline.explanation


def test_every_single_byte_change_of_a_version_1_payload_is_rejected(
    db, school, signer, issued_one
):
    cert = issued_one
    with db.transaction() as session:
        keys = {k: key for k, (key, _info) in signing.public_keys(session).items()}
    old = payload.sign(signer.private_key, certificates.old_serial(), cert.issued_on, "cd" * 32)
    raw = payload.encoded_bytes(old.text())
    assert payload.text_from_bytes(raw) == old.text()
    key_bytes = range(1 + 10 + 2, 1 + 10 + 2 + 8)
    verdicts = {}
    for position in range(len(raw)):
        for change in (0x01, 0x80, 0xFF):
            changed = bytearray(raw)
            changed[position] ^= change
            result = verification.check(payload.text_from_bytes(bytes(changed)), keys)
            verdicts[(position, change)] = result.verdict
            expected = Verdict.UNKNOWN_KEY if position in key_bytes else Verdict.INVALID
            assert result.verdict is expected, (position, change)
    assert len(verdicts) == 117 * 3
    # and through the register too, for a sample of positions
    for position in (0, 5, 12, 20, 40, 60, 116):
        changed = bytearray(raw)
        changed[position] ^= 0x01
        result = verification.verify_text(db, None, payload.text_from_bytes(bytes(changed)))
        assert not result.valid


def test_every_changed_character_of_the_text_is_rejected(db, school, signer, issued_one):
    cert = issued_one
    with db.transaction() as session:
        keys = {k: key for k, (key, _info) in signing.public_keys(session).items()}
    text = cert.qr_text
    for position in range(len(text)):
        replacement = "B" if text[position] != "B" else "C"
        changed = text[:position] + replacement + text[position + 1 :]
        assert not verification.check(changed, keys).valid, position
    assert verification.check(text, keys).valid
    old = payload.sign(signer.private_key, certificates.old_serial(), cert.issued_on, "cd" * 32)
    assert verification.check(old.text().lower(), keys).valid  # what some scanners return


def test_the_qr_code_rebuilt_from_the_register_is_the_one_signed(db, school, signer, issued_one):
    """Reprinting needs no key: every certificate's code is rebuilt from its snapshot, and
    the content rebuilt is byte for byte what was signed."""
    issued = [issued_one]
    for cert in certificates.list_register(db, school.coordinator) + issued:
        read = payload.decode_v2(cert.qr_text)
        content = certificates.signed_content(cert.snapshot)
        assert content is not None and content.encode() == read.content_bytes
        assert read.signature_matches(signer.private_key.public_key())
        assert read.content.holder == cert.holder and read.content.serial == cert.serial
        assert payload.serial_problem(cert.serial) is None


def test_a_swapped_signature_an_unknown_key_and_a_revoked_serial_are_rejected(
    db, school, signer, issued_one
):
    first = issued_one
    decoded = payload.decode_v2(first.qr_text)
    # another certificate's signature on this one's data
    other = payload.sign_v2(
        signer.private_key, dataclasses.replace(decoded.content, competences=(("1.1", 8),))
    )
    swapped = dataclasses.replace(decoded, signature=other.signature).text()
    result = verification.verify_text(db, None, swapped)
    assert result.verdict is Verdict.INVALID and "signature" in result.explanation
    # genuinely signed by the school but with other content than the register's
    forged = verification.verify_text(db, None, other.text())
    assert forged.verdict is Verdict.INVALID and "register" in forged.explanation
    # a key nobody here knows
    stranger = payload.sign_v2(Ed25519PrivateKey.generate(), decoded.content)
    unknown = verification.verify_text(db, None, stranger.text())
    assert unknown.verdict is Verdict.UNKNOWN_KEY and stranger.key_id in unknown.explanation
    # not an attestation code at all
    assert verification.verify_text(db, None, "hello").verdict is Verdict.INVALID
    # revoked: the verdict says when and why
    certificates.revoke(db, school.coordinator, first.serial, "Kļūda 2.1 līmenī")
    revoked = verification.verify_text(db, None, first.qr_text)
    assert revoked.verdict is Verdict.REVOKED and not revoked.valid
    assert revoked.revoke_reason == "Kļūda 2.1 līmenī" and revoked.revoked_at is not None
    assert revoked.holder == "Jānis Bērziņš"
    # without the register the revocation cannot be seen, and the answer says so
    keys = signing.read_public_keys(signing.export_public_keys(db, school.admin))
    offline = verification.verify_text(None, None, first.qr_text, keys)
    assert offline.verdict is Verdict.VALID and "not checked" in offline.explanation


def test_a_retired_key_still_verifies_and_no_longer_signs(db, school, signer, issued_one):
    first = issued_one
    signing.create_key(db, school.admin, "a brand new passphrase", "a brand new passphrase")
    keys = signing.list_keys(db, school.admin)
    assert [k.active for k in keys] == [True, False]
    assert verification.verify_text(db, None, first.qr_text).valid
    case = validation.get_case(db, school.teacher, first.case_id)
    certificates.revoke(db, school.coordinator, first.serial, "Labojums")
    validation.go_back(db, school.teacher, case.id, "Labojums")
    validation.advance(db, school.teacher, case.id)
    with pytest.raises(WorkflowError) as stale:
        certificates.issue(db, school.coordinator, case.id, signer)
    assert "replaced" in str(stale.value)
    new_signer = signing.unlock(db, school.coordinator, "a brand new passphrase")
    second = certificates.issue(db, school.coordinator, case.id, new_signer)
    assert payload.decode_any(second.qr_text).key_id == keys[0].key_id
    assert verification.verify_text(db, None, second.qr_text).valid


def test_the_payload_is_small_enough_for_a_small_qr_code():
    signer = Ed25519PrivateKey.generate()
    made = payload.sign(signer, certificates.old_serial(), dt.date(2026, 11, 22), "00" * 32)
    text = made.text()
    assert len(text) == 192
    assert set(text) <= set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:")
    assert payload.decode(text) == made
