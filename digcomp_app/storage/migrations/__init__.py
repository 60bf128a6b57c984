"""Alembic migrations of the school database (run by ``storage.migrate``)."""
