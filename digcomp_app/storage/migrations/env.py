"""Alembic environment: always run from ``digcomp_app.storage.migrate`` with a connection."""

from __future__ import annotations

from alembic import context

from digcomp_app.storage.models import Base

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - alembic's own command line is not used
    raise RuntimeError("run migrations through digcomp_app.storage.migrate")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
