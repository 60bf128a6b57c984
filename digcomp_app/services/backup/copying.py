"""Every table's rows copied from one database to another, in dependency order and in
batches, times made UTC (a backup from PostgreSQL into SQLite, a restore the other way)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from sqlalchemy import Connection, DateTime, LargeBinary, Table, select

from digcomp_app.storage.models import Base

#: rows per INSERT batch, and the most bytes of file content held in memory per batch
BATCH_ROWS = 500
BATCH_BYTES = 32 * 1024 * 1024


def copy_tables(
    source: Connection, destination: Connection, copied: Callable[[int], None] | None = None
) -> dict[str, int]:
    """Copy every table's rows in dependency order, in batches; rows per table.

    ``copied(rows)`` is called after each batch.
    """
    return {
        table.name: _copy_table(table, source, destination, copied)
        for table in Base.metadata.sorted_tables
    }


def _copy_table(
    table: Table,
    source: Connection,
    destination: Connection,
    copied_rows: Callable[[int], None] | None = None,
) -> int:
    times = [c.key for c in table.columns if isinstance(c.type, DateTime)]
    binaries = [c.key for c in table.columns if isinstance(c.type, LargeBinary)]
    query = select(table).order_by(*table.primary_key.columns)
    copied = 0
    batch: list[dict[str, Any]] = []
    held = 0
    # fetch files a few at a time: each may be 20 MB
    fetch = 4 if binaries else BATCH_ROWS
    for row in source.execute(query.execution_options(yield_per=fetch)).mappings():
        values = dict(row)
        for key in times:
            values[key] = _utc(values[key])
        for key in binaries:
            if values[key] is not None:
                values[key] = bytes(values[key])
                held += len(values[key])
        batch.append(values)
        if len(batch) >= BATCH_ROWS or held >= BATCH_BYTES:
            destination.execute(table.insert(), batch)
            copied += len(batch)
            if copied_rows is not None:
                copied_rows(len(batch))
            batch, held = [], 0
    if batch:
        destination.execute(table.insert(), batch)
        copied += len(batch)
        if copied_rows is not None:
            copied_rows(len(batch))
    return copied


def _utc(value: dt.datetime | None) -> dt.datetime | None:
    """Times are UTC everywhere: SQLite keeps them naive, PostgreSQL in the session's zone."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC)
