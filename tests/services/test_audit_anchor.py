"""The audit log against someone with write access to the database but without the
school's signing passphrase: rewrites, recomputed chains, cut-off entries and removed
checkpoints are found, by the signed checkpoints and by what a PC saw last."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select

from digcomp_app import anchors
from digcomp_app.services import audit, learners, signing
from digcomp_app.services.auditlog import GENESIS, event_hash
from digcomp_app.storage.models import AuditCheckpoint, AuditEvent, AuditHead
from tests.services.test_printing import certify

pytestmark = pytest.mark.reliability  # part of the reliability suite (tests/reliability)


def recompute_chain(db) -> None:
    """What an insider does after editing entries: recompute every hash and the head."""
    with db.transaction() as session:
        previous = GENESIS
        last = 0
        for event in session.scalars(select(AuditEvent).order_by(AuditEvent.id)):
            event.prev_hash = previous
            event.hash = event_hash(event)
            previous, last = event.hash, event.id
        head = session.get(AuditHead, 1)
        head.last_id, head.last_hash = last, previous


def edit_an_entry(db, action: str) -> None:
    with db.transaction() as session:
        event = session.scalars(select(AuditEvent).where(AuditEvent.action == action)).first()
        event.details = {**(event.details or {}), "level": 8}


def test_issuing_signs_a_checkpoint_and_a_clean_log_verifies(db, school, signer):
    report = audit.verify(db, school.admin)
    assert report.intact and report.checkpoints == 0 and "No signed checkpoint" in report.notes[0]
    certify(db, school, signer, school.learner, school.learner_id)
    report = audit.verify(db, school.admin)
    assert report.intact and report.checkpoints == 1 and report.notes == ()


def test_a_recomputed_chain_does_not_match_the_signed_checkpoint(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    edit_an_entry(db, "validation.record_assessment")
    assert not audit.verify(db, school.admin).intact  # plain edit: the chain breaks
    recompute_chain(db)  # ...so the insider recomputes it (the old check said intact)
    report = audit.verify(db, school.admin)
    assert not report.intact and "rewritten" in report.problem
    assert "checkpoint" in report.problem


def test_entries_cut_off_after_the_last_checkpoint_are_found_by_this_pcs_anchor(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    first = audit.verify(db, school.admin)
    anchor = first.head
    learners.create_group(db, school.coordinator, "DT-9")  # more entries after the checkpoint
    seen = audit.verify(db, school.admin, anchor).head
    with db.transaction() as session:  # the insider removes the newest entries
        session.execute(delete(AuditEvent).where(AuditEvent.id > anchor.last_id))
        head = session.get(AuditHead, 1)
        head.last_id, head.last_hash = anchor.last_id, anchor.last_hash
    report = audit.verify(db, school.admin, seen)
    assert not report.intact and "entries were removed" in report.problem
    assert audit.verify(db, school.admin, anchor).intact  # an older anchor cannot tell


def test_removed_checkpoints_are_found_by_this_pcs_anchor(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    anchor = audit.verify(db, school.admin).head
    assert anchor.checkpoint_id
    with db.transaction() as session:
        session.execute(delete(AuditCheckpoint))
    edit_an_entry(db, "validation.record_assessment")
    recompute_chain(db)
    report = audit.verify(db, school.admin, anchor)
    assert not report.intact and "rewritten" in report.problem


def test_a_checkpoint_forged_with_a_key_of_the_insiders_own_is_refused(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    published = signing.read_key_file(
        signing.export_public_keys(db, school.admin), "school-keys.pem"
    ).keys
    edit_an_entry(db, "validation.record_assessment")
    recompute_chain(db)
    # the insider adds a key of their own to the database and re-signs the checkpoints
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from digcomp_app.documents.payload import key_id_of
    from digcomp_app.services.auditlog import checkpoint_bytes
    from digcomp_app.storage.models import SigningKey

    own = Ed25519PrivateKey.generate()
    own_id = key_id_of(own.public_key().public_bytes_raw())
    with db.transaction() as session:
        session.add(
            SigningKey(
                key_id=own_id,
                public_key=own.public_key().public_bytes_raw(),
                sealed_private_key="{}",
                created_by=school.admin.user_id,
            )
        )
        head = session.get(AuditHead, 1)
        for point in session.scalars(select(AuditCheckpoint)):
            point.last_id, point.last_hash, point.key_id = head.last_id, head.last_hash, own_id
            point.signature = own.sign(
                checkpoint_bytes(point.last_id, point.last_hash, point.signed_at)
            ).hex()
    assert audit.verify(db, school.admin).intact  # the database's own keys are not enough...
    report = audit.verify(db, school.admin, trusted_keys=published)  # ...the published ones are
    assert not report.intact and "not one of the school's keys" in report.problem


def test_this_pc_remembers_what_it_saw(tmp_path, db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    store = tmp_path / "anchors.json"
    head = audit.verify(db, school.admin).head
    anchors.save(db.url, head, store)
    assert anchors.load(db.url, store) == head
    older = audit.ChainAnchor(1, "0" * 64)
    anchors.save(db.url, older, store)  # never backwards
    assert anchors.load(db.url, store) == head
    assert anchors.load("sqlite:///other.sqlite3", store) is None


def test_the_sign_in_comparison_finds_a_recomputed_or_cut_log(db, school, signer):
    certify(db, school, signer, school.learner, school.learner_id)
    problem, seen = audit.compare_head(db, school.teacher, None)
    assert problem == ""
    assert audit.compare_head(db, school.teacher, seen)[0] == ""
    edit_an_entry(db, "validation.record_assessment")
    recompute_chain(db)
    problem, _now = audit.compare_head(db, school.teacher, seen)
    assert "rewritten" in problem
    with db.transaction() as session:
        session.execute(delete(AuditEvent).where(AuditEvent.id >= seen.last_id - 1))
    problem, _now = audit.compare_head(db, school.learner, seen)
    assert "removed" in problem
