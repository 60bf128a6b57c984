"""Storage tests share the PostgreSQL fixtures of the service tests."""

from tests.services.conftest import postgres_url  # noqa: F401
