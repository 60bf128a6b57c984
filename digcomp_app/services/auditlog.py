"""The audit log's chain: append-only and hash-chained.

Every row stores the hash of the row before it, and its own hash over its content and that
previous hash; the single ``audit_head`` row holds the newest hash and is locked while a
row is appended, so writers on several PCs form one chain. Passwords and evidence
contents are never written here.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from typing import Any

from sqlalchemy.orm import Session

from digcomp_app.services import audit_rows
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor
from digcomp_app.storage.models import AuditEvent, AuditHead, utcnow

GENESIS = "0" * 64


def _canonical_time(value: dt.datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC).replace(tzinfo=None)
    return value.isoformat(timespec="microseconds")


def event_hash(event: AuditEvent) -> str:
    payload = [
        event.id,
        _canonical_time(event.at),
        event.actor,
        event.action,
        event.entity,
        event.entity_id,
        event.outcome,
        event.details or {},
        event.prev_hash,
    ]
    text = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def append(
    session: Session,
    actor: str,
    action: str,
    outcome: str = "ok",
    entity: str = "",
    entity_id: object = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add one event in the caller's transaction (so it is kept only if the work is)."""
    head = session.get(AuditHead, 1, with_for_update=True)
    if head is None:  # a database created without the migration's genesis row
        head = AuditHead(id=1, last_id=0, last_hash=GENESIS)
        session.add(head)
        session.flush()
    event = AuditEvent(
        at=utcnow(),
        actor=actor,
        action=action,
        entity=entity,
        entity_id=str(entity_id or ""),
        outcome=outcome,
        details=details or {},
        prev_hash=head.last_hash,
        hash="",
    )
    session.add(event)
    session.flush()
    event.hash = event_hash(event)
    head.last_id, head.last_hash = event.id, event.hash
    audit_rows.note_event(session, event, head)
    return event


def record_denied(
    db: Database, actor: Actor | None, action: str, entity: str = "", entity_id: str = ""
) -> None:
    """Audit a refused attempt in its own transaction (the caller's work is abandoned)."""
    with db.transaction() as session:
        append(
            session,
            actor.username if actor else "(not signed in)",
            action,
            "denied",
            entity,
            entity_id,
        )


#: what a checkpoint's signature covers begins with this (never valid for anything else)
CHECKPOINT_CONTEXT = b"digcomp-app audit checkpoint v1\x00"


def checkpoint_bytes(last_id: int, last_hash: str, signed_at: dt.datetime) -> bytes:
    return CHECKPOINT_CONTEXT + f"{last_id}:{last_hash}:{_canonical_time(signed_at)}".encode(
        "ascii"
    )


def sign_checkpoint(session: Session, private_key: Any, key_id: str) -> None:
    """Sign the chain's head as it stands in the caller's transaction (after its events),
    with the school's signing key (``private_key``: an unlocked Ed25519 key)."""
    from digcomp_app.storage.models import AuditCheckpoint

    audit_rows.record(session)  # the rows changed so far belong under the signature
    head = session.get(AuditHead, 1)
    if head is None or not head.last_id:
        return
    signed_at = utcnow()
    signature = private_key.sign(checkpoint_bytes(head.last_id, head.last_hash, signed_at))
    session.add(
        AuditCheckpoint(
            last_id=head.last_id,
            last_hash=head.last_hash,
            signed_at=signed_at,
            key_id=key_id,
            signature=signature.hex(),
        )
    )
    session.flush()
