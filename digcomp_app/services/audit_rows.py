"""The audited value of the rows that decide grades and rights.

Every transaction made through the app that adds, changes or removes such a row (an
assessment's level, a user's roles or password hash, a case's stage, a certificate, a
signing key, a teacher's groups …) writes the row's fingerprint into the audit chain, in
the details of the transaction's last audit event (``details["rows"]``: ``"table/key"`` →
fingerprint, ``""`` for a removed row). The chain is hash-linked and its head is signed
(decision 0026), so the fingerprints cannot be changed unnoticed either; ``audit verify``
recomputes the fingerprint of every such row in the database and reports those that no
longer match their last audited value, and those that appeared without one.

The first write after this started (a new database, or one upgraded from an earlier
version) records a *baseline*: the fingerprint of every such row present then.

Only columns that matter are covered (not sign-in counters or timestamps), and no personal
names: a fingerprint is a SHA-256 over the canonical JSON of the values (decision 0026).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import weakref
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Table, event, select, tuple_
from sqlalchemy.orm import Session

from digcomp_app.storage.models import AuditEvent, AuditHead, Base

#: table → the columns whose value is audited (the primary key is always included)
TRACKED: dict[str, tuple[str, ...]] = {
    "users": ("username", "password_hash", "active", "learner_id", "must_change_password"),
    "user_roles": (),
    "group_teachers": (),
    "mobility_teachers": (),
    "organisations": ("name", "kind", "is_home", "verification_address"),
    "validation_cases": ("learner_id", "mobility_id", "framework_id", "framework_version", "stage"),
    "target_competences": ("case_id", "competence_id", "target_level"),
    "evidence_items": ("case_id", "kind", "blob_sha256", "url", "competence_ids"),
    "assessments": ("case_id", "competence_id", "level", "method", "assessor_id", "assessed_on"),
    "certificates": (
        "serial",
        "case_id",
        "learner_id",
        "content_hash",
        "signature",
        "key_id",
        "status",
        "revoked_at",
        "replaces_serial",
    ),
    "signing_keys": ("key_id", "public_key", "retired_at"),
}

BASELINE_ACTION = "audit.rows_baseline"
_PENDING = "audit_rows_pending"
_LAST_EVENT = "audit_rows_last_event"
_HEAD = "audit_rows_head"
_CHUNK = 500
#: engines whose database is known to hold the baseline event (asked once per process)
_HAS_BASELINE: weakref.WeakSet[Any] = weakref.WeakSet()


def _table(name: str) -> Table:
    return Base.metadata.tables[name]


def _pk_columns(table: Table) -> list[Any]:
    return list(table.primary_key.columns)


def _canonical(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value.isoformat(timespec="microseconds")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bytes | bytearray | memoryview):
        return bytes(value).hex()
    return value


def row_key(table: str, pk: Iterable[Any]) -> str:
    return table + "/" + ":".join(str(part) for part in pk)


def fingerprint(table: str, values: Iterable[Any]) -> str:
    text = json.dumps(
        [table, *(_canonical(v) for v in values)],
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _select_columns(name: str) -> tuple[Table, list[Any], list[Any]]:
    table = _table(name)
    pk = _pk_columns(table)
    pk_names = {c.name for c in pk}
    columns = pk + [table.c[c] for c in TRACKED[name] if c not in pk_names]
    return table, pk, columns


def current_rows(session: Session, name: str) -> Iterator[tuple[str, str]]:
    """Every row of a tracked table as (key, fingerprint), streamed."""
    _unused, pk, columns = _select_columns(name)
    result = session.execute(select(*columns).order_by(*pk).execution_options(yield_per=2000))
    for row in result:
        yield row_key(name, row[: len(pk)]), fingerprint(name, row)


def _fingerprints(session: Session, name: str, keys: list[tuple[Any, ...]]) -> dict[str, str]:
    _unused, pk, columns = _select_columns(name)
    found: dict[str, str] = {}
    for start in range(0, len(keys), _CHUNK):
        chunk = keys[start : start + _CHUNK]
        single = len(pk) == 1
        condition = pk[0].in_([k[0] for k in chunk]) if single else tuple_(*pk).in_(chunk)
        for row in session.execute(select(*columns).where(condition)):
            found[row_key(name, row[: len(pk)])] = fingerprint(name, row)
    return found


def _pending(session: Session) -> dict[str, dict[tuple[Any, ...], bool]]:
    pending: dict[str, dict[tuple[Any, ...], bool]] = session.info.setdefault(_PENDING, {})
    return pending


def _identity(obj: Any) -> tuple[str, tuple[Any, ...]] | None:
    table = getattr(obj, "__table__", None)
    if table is None or table.name not in TRACKED:
        return None
    values = tuple(getattr(obj, c.key) for c in _pk_columns(table))
    if any(v is None for v in values):
        return None
    return table.name, values


def _changed(obj: Any) -> bool:
    from sqlalchemy import inspect

    state = inspect(obj)
    names = TRACKED[obj.__table__.name]
    return any(state.attrs[name].history.has_changes() for name in names if name in state.attrs)


def _cascaded(session: Session, obj: Any, pending: dict[str, dict[tuple[Any, ...], bool]]) -> None:
    """Rows the database removes with ``obj`` (ON DELETE CASCADE), which the session never
    sees: mark them removed too."""
    parent = obj.__table__
    for name in TRACKED:
        child = _table(name)
        for fk in child.foreign_keys:
            if fk.column.table is not parent or (fk.ondelete or "").upper() != "CASCADE":
                continue
            value = getattr(obj, fk.column.key, None)
            if value is None:
                continue
            pk = _pk_columns(child)
            for row in session.execute(select(*pk).where(fk.parent == value)):
                pending.setdefault(name, {})[tuple(row)] = True


def _before_flush(session: Session, _context: Any, _instances: Any) -> None:
    pending = _pending(session)
    for obj in session.deleted:
        if hasattr(obj, "__table__"):
            _cascaded(session, obj, pending)


def _deleted(session: Session, obj: Any) -> None:
    """Any row the flush removed, orphans of a relationship included."""
    identity = _identity(obj)
    if identity:
        _pending(session).setdefault(identity[0], {})[identity[1]] = True


def mark(session: Session, table: str, pk: tuple[Any, ...]) -> None:
    """A row added, changed or removed with a Core statement (not seen by the session)."""
    _pending(session).setdefault(table, {})[tuple(pk)] = True


def _after_flush(session: Session, _context: Any) -> None:
    pending = _pending(session)
    for obj in list(session.new) + [o for o in session.dirty if _identity(o) and _changed(o)]:
        identity = _identity(obj)
        if identity:
            pending.setdefault(identity[0], {})[identity[1]] = True


def note_event(session: Session, event_row: AuditEvent, head: AuditHead) -> None:
    """Called by ``auditlog.append``: the rows are written into the last event. The chain's
    head (locked by the append) is kept with it, so that it stays in the session's identity
    map (which holds clean objects weakly) and is not read again at commit."""
    session.info[_LAST_EVENT] = event_row
    session.info[_HEAD] = head


def record(session: Session) -> None:
    """Write the fingerprints of the rows changed so far in this transaction into the
    chain (into its last audit event, or a new one). Called before commit and before a
    checkpoint is signed."""
    from digcomp_app.services import auditlog

    session.flush()
    pending = session.info.pop(_PENDING, None)
    if not pending:
        return
    rows: dict[str, str] = {}
    for name, keys in pending.items():
        present = _fingerprints(session, name, list(keys))
        for key in keys:
            k = row_key(name, key)
            rows[k] = present.get(k, "")
    if not rows:
        return
    if _needs_baseline(session):
        return  # the baseline holds every row as it is now
    target: AuditEvent | None = session.info.get(_LAST_EVENT)
    head = session.get(AuditHead, 1)
    if target is None or head is None or head.last_id != target.id:
        target = auditlog.append(session, "(app)", "audit.rows", "ok")
        session.info.pop(_PENDING, None)  # the append itself changes no tracked row
    details = dict(target.details or {})
    merged = dict(details.get("rows") or {})
    merged.update(rows)
    details["rows"] = dict(sorted(merged.items()))
    target.details = details
    target.hash = auditlog.event_hash(target)
    head = session.get(AuditHead, 1)
    assert head is not None and head.last_id == target.id
    head.last_hash = target.hash
    session.flush()  # the details and the hash in one UPDATE of the event
    session.info.pop(_PENDING, None)


def _needs_baseline(session: Session) -> bool:
    """Write the baseline event if the chain has none yet. True when one was written."""
    from digcomp_app.services import auditlog

    bind = session.get_bind()
    if bind in _HAS_BASELINE:
        return False
    exists = session.scalar(
        select(AuditEvent.id).where(AuditEvent.action == BASELINE_ACTION).limit(1)
    )
    if exists is None:
        rows: dict[str, str] = {}
        for name in TRACKED:
            rows.update(current_rows(session, name))
        auditlog.append(session, "(app)", BASELINE_ACTION, "ok", details={"rows": rows})
        session.info.pop(_PENDING, None)
        _HAS_BASELINE.add(bind)
        return True
    _HAS_BASELINE.add(bind)
    return False


def forget_baseline(engine: Any) -> None:
    """The database's log was replaced (a restore): look for its baseline again."""
    _HAS_BASELINE.discard(engine)


def _before_commit(session: Session) -> None:
    record(session)  # flushes first: the commit's own flush comes after this hook
    session.info.pop(_LAST_EVENT, None)
    session.info.pop(_HEAD, None)


def _after_rollback(session: Session) -> None:
    session.info.pop(_PENDING, None)
    session.info.pop(_LAST_EVENT, None)
    session.info.pop(_HEAD, None)


def install(session_factory: Any) -> None:
    """Attach the hooks to a ``sessionmaker`` (done by ``Database``)."""
    event.listen(session_factory, "before_flush", _before_flush)
    event.listen(session_factory, "after_flush", _after_flush)
    event.listen(session_factory, "persistent_to_deleted", _deleted)
    event.listen(session_factory, "before_commit", _before_commit)
    event.listen(session_factory, "after_soft_rollback", lambda s, _t: _after_rollback(s))


@dataclass(frozen=True, slots=True)
class RowMismatch:
    key: str
    #: "changed" | "added" (no audited value) | "removed" | "reappeared"
    kind: str
    #: the audit entry that recorded the row's last value (0 when none)
    entry_id: int


def compare(session: Session, audited: dict[str, tuple[str, int]]) -> list[RowMismatch]:
    """Rows whose value differs from ``audited`` (key → (fingerprint, entry id))."""
    problems: list[RowMismatch] = []
    seen: set[str] = set()
    for name in TRACKED:
        for key, value in current_rows(session, name):
            seen.add(key)
            last = audited.get(key)
            if last is None:
                problems.append(RowMismatch(key, "added", 0))
            elif last[0] == "":
                problems.append(RowMismatch(key, "reappeared", last[1]))
            elif last[0] != value:
                problems.append(RowMismatch(key, "changed", last[1]))
    for key, (value, entry_id) in audited.items():
        if value and key not in seen:
            problems.append(RowMismatch(key, "removed", entry_id))
    return problems
