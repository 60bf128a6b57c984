"""Opening the database and signing in, for commands that work on school data."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from digcomp_app.i18n import _
from digcomp_app.services.errors import AuthenticationFailed, ServiceError
from digcomp_app.settings import load_settings

# The database code loads when a command opens the database, not when the command line is
# read: ``--help``, ``--version`` and the parsers of every command do without it.
if TYPE_CHECKING:
    from argon2 import PasswordHasher

    from digcomp_app.services.database import Database
    from digcomp_app.services.permissions import Actor

ENV_PASSWORD = "DIGCOMP_PASSWORD"


def open_database(
    args: argparse.Namespace, password_hasher: PasswordHasher | None = None
) -> Database:
    """The database locked by the school's IT, else the one named by --database,
    DIGCOMP_DATABASE_URL, the settings or the default (with ``password_hasher``, when
    given, instead of the default one)."""
    from digcomp_app.services.configuration import overridden_notice
    from digcomp_app.services.database import (
        ENV_DATABASE_URL,
        Database,
        resolve_database_url,
        safe_url,
    )

    asked = getattr(args, "database", None) or os.environ.get(ENV_DATABASE_URL)
    notice = overridden_notice("database_url", asked)
    if notice:
        print(notice, file=sys.stderr)
    url = resolve_database_url(getattr(args, "database", None), load_settings().database_url)
    try:
        db = Database(url, password_hasher=password_hasher)
    except Exception as error:  # connection refused, bad URL, unreadable file ...
        raise ServiceError(
            _("Cannot open the database {url}: {error}").format(
                url=safe_url(url), error=str(error).splitlines()[0]
            )
        ) from error
    if db.migration and db.migration.backup:
        print(
            _("The database was upgraded; a copy of the old one was kept at {path}").format(
                path=db.migration.backup
            ),
            file=sys.stderr,
        )
    warning = db.sharing_warning()
    if warning:
        print(warning, file=sys.stderr)
    return db


def sign_in(db: Database, args: argparse.Namespace) -> Actor:
    """Act as --user; the password comes from DIGCOMP_PASSWORD or a prompt."""
    from digcomp_app.services import accounts

    username = getattr(args, "user", None)
    if not username:
        raise ServiceError(
            _("Say who you are with --user NAME (this command works on school data).")
        )
    password = os.environ.get(ENV_PASSWORD)
    if password is None:
        if not sys.stdin.isatty():
            raise AuthenticationFailed(
                _(
                    "No password: set {variable} or run the command in a terminal to be asked."
                ).format(variable=ENV_PASSWORD)
            )
        password = getpass.getpass(_("Password for {user}: ").format(user=username))
    return accounts.authenticate(db, None, username, password)
