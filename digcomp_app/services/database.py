"""The open school database: engine, migrations, sessions and the password hasher."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from digcomp_app.storage.engine import backend_name, create_engine, normalise_url
from digcomp_app.storage.migrate import MigrationResult, migrate


class Database:
    """One per process and URL. Every service call runs in :meth:`transaction`."""

    def __init__(
        self,
        url: str,
        *,
        password_hasher: PasswordHasher | None = None,
        run_migrations: bool = True,
    ) -> None:
        self.url = normalise_url(url)
        self.engine = create_engine(self.url)
        self.migration: MigrationResult | None = migrate(self.engine) if run_migrations else None
        self._sessions = sessionmaker(self.engine, expire_on_commit=False)
        self.hasher = password_hasher or PasswordHasher()

    @property
    def backend(self) -> str:
        return backend_name(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()
