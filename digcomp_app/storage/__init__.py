"""Persistence: SQLAlchemy models, the engine factory and migrations. Used only by services."""
