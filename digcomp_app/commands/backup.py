"""``digcomp-app backup FILE`` and ``digcomp-app restore FILE --admin NAME``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import ENV_PASSWORD, open_database, sign_in
from digcomp_app.i18n import _, format_number
from digcomp_app.services import backup
from digcomp_app.services.errors import AuthenticationFailed

ORDER = 70


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    create = commands.add_parser(
        "backup",
        formatter_class=formatter,
        help=_("write a backup of the whole database to a file"),
        description=_(
            "Write the whole school database, evidence files and audit log included, to "
            "one backup file (an SQLite database). It can be made while the program is in "
            "use, and restored into SQLite or PostgreSQL. Only an administrator may make "
            "a backup: give --user NAME before the command."
        ),
    )
    create.add_argument("file", type=Path, metavar=_("FILE"), help=_("the backup file to write"))
    create.add_argument(
        "--overwrite",
        action="store_true",
        help=_("replace the file if it already exists"),
    )
    create.set_defaults(handler=backup_command)

    restore = commands.add_parser(
        "restore",
        formatter_class=formatter,
        help=_("restore a backup into a new, empty database"),
        description=_(
            "Restore a backup file into a new, empty database (name it with --database "
            "before the command). The backup is checked first: its evidence files and its "
            "audit log must be intact. An administrator of the backup confirms the restore "
            "with their user name and password (from {variable} or a prompt)."
        ).format(variable=ENV_PASSWORD),
    )
    restore.add_argument("file", type=Path, metavar=_("FILE"), help=_("the backup file to restore"))
    restore.add_argument(
        "--admin",
        required=True,
        metavar=_("NAME"),
        help=_("an administrator's user name in the backup"),
    )
    restore.set_defaults(handler=restore_command)


def backup_command(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        info = backup.create(db, sign_in(db, args), args.file, overwrite=args.overwrite)
    finally:
        db.close()
    print(
        _(
            "Backup written to {path} ({size} MB). Records: {records}; evidence files: "
            "{files}; database version {revision}."
        ).format(
            path=info.path,
            size=format_number(round(info.size / 2**20, 1)),
            records=format_number(info.records),
            files=format_number(info.evidence_files),
            revision=info.revision,
        )
    )
    return 0


def restore_command(args: argparse.Namespace) -> int:
    password = _admin_password(args.admin)
    db = open_database(args)
    try:
        info = backup.restore(db, None, args.file, args.admin, password)
    finally:
        db.close()
    print(
        _(
            "Restored {path}. Records: {records}; users: {users}; evidence files: {files}. "
            "The backup's evidence files and audit log were checked and are intact."
        ).format(
            path=info.source,
            records=format_number(info.records),
            users=format_number(info.users),
            files=format_number(info.evidence_files),
        )
    )
    print(
        _("Sign in as {user} with the password you had when the backup was made.").format(
            user=info.administrator
        )
    )
    return 0


def _admin_password(username: str) -> str:
    password = os.environ.get(ENV_PASSWORD)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise AuthenticationFailed(
            _("No password: set {variable} or run the command in a terminal to be asked.").format(
                variable=ENV_PASSWORD
            )
        )
    return getpass.getpass(_("Password for {user}: ").format(user=username))
