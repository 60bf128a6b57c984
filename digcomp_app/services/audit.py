"""Audit services: check the hash chain, read the log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from sqlalchemy import select

from digcomp_app.i18n import _
from digcomp_app.services import audit_rows
from digcomp_app.services.auditlog import GENESIS, append, event_hash
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import AuditCheckpoint, AuditEvent, AuditHead


@dataclass(frozen=True, slots=True)
class ChainAnchor:
    """What a PC (or a backup) last saw of a database's audit log: its newest entry and its
    newest signed checkpoint. Kept outside the database (see ``digcomp_app.anchors``)."""

    last_id: int
    last_hash: str
    checkpoint_id: int = 0
    checkpoint_last_id: int = 0


@dataclass(frozen=True, slots=True)
class ChainReport:
    intact: bool
    checked: int
    first_broken_id: int | None = None
    problem: str = ""
    #: signed checkpoints whose signature and hash matched
    checkpoints: int = 0
    #: the newest entry now (to be remembered as the next anchor)
    head: ChainAnchor | None = None
    #: things that are not a broken chain but worth saying (no checkpoint yet, ...)
    notes: tuple[str, ...] = field(default=())
    #: data rows that no longer match their last audited value, one line each
    changed_rows: tuple[str, ...] = field(default=())


def _broken(checked: int, entry_id: int | None, problem: str) -> ChainReport:
    return ChainReport(False, checked, entry_id, problem)


@service("audit.verify")
def verify(
    db: Database,
    actor: Actor,
    anchor: ChainAnchor | None = None,
    trusted_keys: Mapping[str, Any] | None = None,
) -> ChainReport:
    """Recompute the chain and name the first event whose content or link does not match;
    check every signed checkpoint (its signature, and that the chain still has its entry with
    its hash: a recomputed chain or removed entries after it are found); and check ``anchor``
    (what this PC saw last). ``trusted_keys`` (key id → public key, e.g. from the school's
    published key file) are the keys checkpoints must be signed with; without them the
    database's own public keys are used (which someone with write access could replace)."""
    from cryptography.exceptions import InvalidSignature

    from digcomp_app.services.auditlog import checkpoint_bytes
    from digcomp_app.services.signing import public_keys
    from digcomp_app.storage.models import AuditCheckpoint

    previous = GENESIS
    checked = 0
    with db.transaction() as session:
        checkpoints = list(session.scalars(select(AuditCheckpoint).order_by(AuditCheckpoint.id)))
        keys = (
            dict(trusted_keys)
            if trusted_keys is not None
            else {key_id: key for key_id, (key, _info) in public_keys(session).items()}
        )
        wanted: dict[int, list[str]] = {}
        for point in checkpoints:
            wanted.setdefault(point.last_id, []).append(point.last_hash)
        if anchor is not None and anchor.last_id:
            wanted.setdefault(anchor.last_id, []).append(anchor.last_hash)
        seen: dict[int, str] = {}
        audited: dict[str, tuple[str, int]] = {}
        baseline = False
        rows = session.scalars(select(AuditEvent).order_by(AuditEvent.id)).yield_per(2000)
        last_id = 0
        for event in rows:
            checked += 1
            recorded = (event.details or {}).get("rows")
            if isinstance(recorded, dict):
                baseline = baseline or event.action == audit_rows.BASELINE_ACTION
                for key, value in recorded.items():
                    audited[str(key)] = (str(value), event.id)
            if event.prev_hash != previous:
                return _broken(
                    checked,
                    event.id,
                    _(
                        "entry {id} does not follow the entry before it (an entry was removed, "
                        "inserted or changed)"
                    ).format(id=event.id),
                )
            if event_hash(event) != event.hash:
                return _broken(
                    checked,
                    event.id,
                    _("entry {id} was changed after it was written").format(id=event.id),
                )
            if event.id in wanted:
                seen[event.id] = event.hash
            previous, last_id = event.hash, event.id
        head = session.get(AuditHead, 1)
        if head is not None and head.last_hash != previous:
            return _broken(
                checked,
                head.last_id or None,
                _("the newest entries were removed: the log ends before entry {id}").format(
                    id=head.last_id
                ),
            )
        for point in checkpoints:
            key = keys.get(point.key_id)
            when = point.signed_at.date().isoformat()
            if key is None:
                return _broken(
                    checked,
                    point.last_id,
                    _(
                        "the checkpoint of {date} is signed with key {key}, which is not one "
                        "of the school's keys"
                    ).format(date=when, key=point.key_id),
                )
            try:
                key.verify(
                    bytes.fromhex(point.signature),
                    checkpoint_bytes(point.last_id, point.last_hash, point.signed_at),
                )
            except (InvalidSignature, ValueError):
                return _broken(
                    checked,
                    point.last_id,
                    _("the signed checkpoint of {date} was changed").format(date=when),
                )
            if point.last_id > last_id:
                return _broken(
                    checked,
                    last_id + 1,
                    _(
                        "entries were removed: the checkpoint signed on {date} covers entry "
                        "{id}, the log ends at entry {last}"
                    ).format(date=when, id=point.last_id, last=last_id),
                )
            if seen.get(point.last_id) != point.last_hash:
                return _broken(
                    checked,
                    point.last_id,
                    _(
                        "the log was rewritten: entry {id} is not the one the checkpoint of "
                        "{date} signed (the chain was recomputed)"
                    ).format(id=point.last_id, date=when),
                )
        if anchor is not None:
            problem = _anchor_problem(anchor, last_id, seen, checkpoints)
            if problem:
                return _broken(checked, anchor.last_id or None, problem)
        mismatches = [
            m for m in audit_rows.compare(session, audited) if baseline or m.kind != "added"
        ]
        if mismatches:
            lines = tuple(_describe(m) for m in mismatches)
            shown = "; ".join(lines[:10]) + ("; …" if len(lines) > 10 else "")
            broken = _broken(
                checked,
                min((m.entry_id for m in mismatches if m.entry_id), default=None),
                _(
                    "{count} records no longer match their last audited value (changed "
                    "outside the app): {rows}"
                ).format(count=len(lines), rows=shown),
            )
            append(
                session,
                actor.username,
                "audit.verify",
                "failed",
                details={"checked": checked, "changed_rows": len(lines)},
            )
            return ChainReport(
                False, checked, broken.first_broken_id, broken.problem, changed_rows=lines
            )
        newest = checkpoints[-1] if checkpoints else None
        notes: tuple[str, ...] = ()
        if not baseline:
            notes += (
                _(
                    "The records' values are audited from the next change made with this "
                    "version on; records older than that are taken as they are."
                ),
            )
        if newest is None:
            notes += (
                _(
                    "No signed checkpoint yet: one is made whenever a coordinator issues an "
                    "attestation. Until then a rewrite of the whole log cannot be told from "
                    "the real one."
                ),
            )
        report_head = ChainAnchor(
            last_id,
            previous,
            newest.id if newest else 0,
            newest.last_id if newest else 0,
        )
        append(
            session,
            actor.username,
            "audit.verify",
            "ok",
            details={"checked": checked, "checkpoints": len(checkpoints)},
        )
    return ChainReport(True, checked, checkpoints=len(checkpoints), head=report_head, notes=notes)


def _row_label(table: str) -> str:
    labels = {
        "users": _("user account"),
        "user_roles": _("role of user"),
        "group_teachers": _("teacher of group"),
        "mobility_teachers": _("teacher of mobility"),
        "organisations": _("organisation"),
        "validation_cases": _("case"),
        "target_competences": _("case target"),
        "evidence_items": _("evidence item"),
        "assessments": _("assessment"),
        "certificates": _("certificate"),
        "signing_keys": _("signing key"),
    }
    return labels.get(table, table)


def _describe(mismatch: audit_rows.RowMismatch) -> str:
    table, _sep, key = mismatch.key.partition("/")
    what = f"{_row_label(table)} {key}"
    if mismatch.kind == "added":
        return _("{what} was added outside the app").format(what=what)
    if mismatch.kind == "removed":
        return _("{what} was removed (last audited in entry {id})").format(
            what=what, id=mismatch.entry_id
        )
    if mismatch.kind == "reappeared":
        return _("{what} is back after it was removed in entry {id}").format(
            what=what, id=mismatch.entry_id
        )
    return _("{what} was changed (last audited in entry {id})").format(
        what=what, id=mismatch.entry_id
    )


def _anchor_problem(
    anchor: ChainAnchor,
    last_id: int,
    seen: dict[int, str],
    checkpoints: Sequence[AuditCheckpoint],
) -> str:
    if anchor.last_id > last_id:
        return _(
            "entries were removed: this computer saw entry {id}, the log now ends at entry {last}"
        ).format(id=anchor.last_id, last=last_id)
    if anchor.last_id and seen.get(anchor.last_id) != anchor.last_hash:
        return _(
            "the log was rewritten: entry {id} is not the one this computer saw (the chain was "
            "recomputed)"
        ).format(id=anchor.last_id)
    if anchor.checkpoint_id and not any(
        point.id == anchor.checkpoint_id and point.last_id == anchor.checkpoint_last_id
        for point in checkpoints
    ):
        return _(
            "a signed checkpoint this computer saw (number {id}) is no longer in the database"
        ).format(id=anchor.checkpoint_id)
    return ""


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


@service("audit.compare_head")
def compare_head(
    db: Database, actor: Actor | None, anchor: ChainAnchor | None
) -> tuple[str, ChainAnchor]:
    """The cheap check made at every sign-in: does the log still hold the entry this PC saw
    last, with the same hash, and no fewer entries? Returns a problem ("" when none) and the
    head now (to remember). The full check is :func:`verify`."""
    from digcomp_app.storage.models import AuditCheckpoint

    with db.transaction() as session:
        head = session.get(AuditHead, 1)
        last_id, last_hash = (head.last_id, head.last_hash) if head else (0, GENESIS)
        newest = session.scalars(
            select(AuditCheckpoint).order_by(AuditCheckpoint.id.desc()).limit(1)
        ).first()
        now = ChainAnchor(
            last_id, last_hash, newest.id if newest else 0, newest.last_id if newest else 0
        )
        if anchor is None or not anchor.last_id:
            return "", now
        seen = session.get(AuditEvent, anchor.last_id)
        problem = ""
        if last_id < anchor.last_id or seen is None:
            problem = _(
                "entries were removed from the audit log: this computer saw entry {id}, the log "
                "now ends at entry {last}"
            ).format(id=anchor.last_id, last=last_id)
        elif seen.hash != anchor.last_hash:
            problem = _(
                "the audit log was rewritten: entry {id} is not the one this computer saw"
            ).format(id=anchor.last_id)
        elif anchor.checkpoint_id and session.get(AuditCheckpoint, anchor.checkpoint_id) is None:
            problem = _(
                "a signed checkpoint of the audit log this computer saw (number {id}) was removed"
            ).format(id=anchor.checkpoint_id)
        if problem:
            append(
                session,
                actor.username if actor else "(not signed in)",
                "audit.compare_head",
                "failed",
                details={"problem": problem},
            )
        return problem, now
