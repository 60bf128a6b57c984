"""The open school database: engine, migrations, sessions and the password hasher."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from argon2 import PasswordHasher
from sqlalchemy.orm import Session, sessionmaker

from digcomp_app.services import audit_rows
from digcomp_app.services.errors import install_translator
from digcomp_app.storage.engine import backend_name, create_engine
from digcomp_app.storage.migrate import MigrationResult, migrate
from digcomp_app.storage.sharing import Lease, SharingStatus, open_lease

# Database addresses for the layers above (the window, the commands): one home, storage.urls.
from digcomp_app.storage.urls import (
    ENV_DATABASE_URL,
    hide_password,
    is_postgresql,
    is_sqlite,
    normalise_url,
    resolve_database_url,
    safe_url,
    scheme,
    sqlite_file,
    sqlite_path,
    sqlite_url,
)

install_translator()  # every engine made from here on says its errors in plain words


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
        audit_rows.install(self._sessions)
        self.hasher = password_hasher or PasswordHasher()
        self._lease: Lease | None = None
        #: for an SQLite file: other PCs that have it open, a network drive (see
        #: ``sharing_warning``); None for a database server
        self.sharing: SharingStatus | None = None
        path = sqlite_path(self.url)
        if path is not None:
            self._lease, self.sharing = open_lease(path)

    @property
    def backend(self) -> str:
        return backend_name(self.engine)

    @contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose work is committed at the end, or rolled back on any error."""
        with self._sessions.begin() as session:
            yield session

    def sharing_warning(self) -> str:
        """A warning in the user's language when the SQLite file is open on another PC or
        lies on a network drive ("" when neither)."""
        from digcomp_app.services.configuration import sharing_warning

        return sharing_warning(self.sharing) if self.sharing is not None else ""

    def close(self) -> None:
        if self._lease is not None:
            self._lease.release()
        self.engine.dispose()


def open_configured(explicit_url: str | None = None, settings_url: str | None = None) -> Database:
    """The database the user chose: explicit URL, then DIGCOMP_DATABASE_URL, the settings,
    the default SQLite file (see ``storage.urls.resolve_database_url``)."""
    return Database(resolve_database_url(explicit_url, settings_url))


__all__ = [
    "ENV_DATABASE_URL",
    "Database",
    "SharingStatus",
    "hide_password",
    "is_postgresql",
    "is_sqlite",
    "normalise_url",
    "open_configured",
    "resolve_database_url",
    "safe_url",
    "scheme",
    "sqlite_file",
    "sqlite_path",
    "sqlite_url",
]
