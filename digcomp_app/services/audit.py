"""Audit services: check the hash chain, read the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import select

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import GENESIS, append, event_hash
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import AuditEvent, AuditHead


@dataclass(frozen=True, slots=True)
class ChainReport:
    intact: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""


@service("audit.verify")
def verify(db: Database, actor: Actor) -> ChainReport:
    """Recompute the chain; name the first event whose content or link does not match."""
    previous = GENESIS
    checked = 0
    with db.transaction() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(2000)
        for event in rows:
            checked += 1
            if event.prev_hash != previous:
                return ChainReport(
                    False,
                    checked,
                    event.id,
                    _(
                        "entry {id} does not follow the entry before it (an entry was removed, "
                        "inserted or changed)"
                    ).format(id=event.id),
                )
            if event_hash(event) != event.hash:
                return ChainReport(
                    False,
                    checked,
                    event.id,
                    _("entry {id} was changed after it was written").format(id=event.id),
                )
            previous = event.hash
        head = session.get(AuditHead, 1)
        if head is not None and head.last_hash != previous:
            return ChainReport(
                False,
                checked,
                head.last_id or None,
                _("the newest entries were removed: the log ends before entry {id}").format(
                    id=head.last_id
                ),
            )
        append(session, actor.username, "audit.verify", "ok", details={"checked": checked})
    return ChainReport(True, checked)


@dataclass(frozen=True, slots=True)
class AuditEntry:
    id: int
    at: dt.datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    outcome: str
    #: what the event recorded besides (counts, changed fields; never passwords), read-only
    details: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))


@service("audit.list_events")
def list_events(db: Database, actor: Actor, limit: int = 200) -> list[AuditEntry]:
    with db.transaction() as session:
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc()).limit(limit))
        return [
            AuditEntry(
                e.id,
                e.at,
                e.actor,
                e.action,
                e.entity,
                e.entity_id,
                e.outcome,
                MappingProxyType(dict(e.details or {})),
            )
            for e in rows
        ]
