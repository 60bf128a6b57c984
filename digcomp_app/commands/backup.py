"""``digcomp-app backup FILE`` and ``digcomp-app restore FILE --admin NAME``.

Backups are sealed with a passphrase (docs/decisions/0023-sealed-backups.md): it is asked
twice for a backup and once for a restore, or read from DIGCOMP_BACKUP_PASSPHRASE.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import ENV_PASSWORD, open_database, sign_in
from digcomp_app.i18n import _, format_number
from digcomp_app.services.errors import AuthenticationFailed, InvalidInput
from digcomp_app.services.sealing import MIN_PASSPHRASE

ORDER = 70
ENV_PASSPHRASE = "DIGCOMP_BACKUP_PASSPHRASE"


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    create = commands.add_parser(
        "backup",
        formatter_class=formatter,
        help=_("write a backup of the whole database to a file"),
        description=_(
            "Write the whole school database, evidence files and audit log included, to "
            "one backup file, encrypted and sealed with a passphrase of at least {count} "
            "characters (asked twice, or taken from {variable}). Without the passphrase the "
            "backup cannot be restored: keep it safe, apart from the backup. It can be made "
            "while the program is in use, and restored into SQLite or PostgreSQL. Only an "
            "administrator may make a backup: give --user NAME before the command."
        ).format(count=MIN_PASSPHRASE, variable=ENV_PASSPHRASE),
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
            "before the command). The backup is checked first: every byte of a sealed "
            "backup (its passphrase from {passphrase} or a prompt), its evidence files and "
            "its audit log. The school it comes from is shown and must be confirmed. An "
            "administrator of the backup confirms the restore with their user name and "
            "password (from {variable} or a prompt)."
        ).format(variable=ENV_PASSWORD, passphrase=ENV_PASSPHRASE),
    )
    restore.add_argument("file", type=Path, metavar=_("FILE"), help=_("the backup file to restore"))
    restore.add_argument(
        "--admin",
        required=True,
        metavar=_("NAME"),
        help=_("an administrator's user name in the backup"),
    )
    restore.add_argument(
        "--yes",
        action="store_true",
        help=_("restore without asking to confirm the school the backup comes from"),
    )
    restore.add_argument(
        "--school",
        metavar=_("ID"),
        help=_("restore only a backup of the school with this id (the first characters do)"),
    )
    restore.set_defaults(handler=restore_command)


def backup_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import backup

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        passphrase, repeated = _new_passphrase()
        info = backup.create(db, actor, args.file, passphrase, repeated, overwrite=args.overwrite)
    finally:
        db.close()
    print(
        _(
            "Backup written to {path} ({size} MB). Records: {records}; evidence files: "
            "{files}; database version {revision}. It is sealed with your passphrase: "
            "without it the backup cannot be restored."
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
    from digcomp_app.services import backup

    header = backup.describe(args.file)
    school: str | None = None
    passphrase: str | None = None
    if header is None:
        print(_("Warning: {path} is an old backup that is not sealed.").format(path=args.file))
    else:
        print(
            _("The backup comes from the school {school} (school id {id}), made on {date}.").format(
                school=header.school.name or "-",
                id=header.school.short_id,
                date=header.created_at.date().isoformat(),
            )
        )
        if args.school is not None:
            if not args.school.strip() or not header.school.id.startswith(args.school.strip()):
                raise backup.OtherSchool(backup.other_school(header, args.file))
        elif not args.yes:
            _confirm_school()
        school = header.school.id
        passphrase = _passphrase()
    password = _admin_password(args.admin)
    db = open_database(args)
    try:
        info = backup.restore(db, None, args.file, args.admin, password, passphrase, school=school)
    finally:
        db.close()
    for warning in info.warnings:
        print(_("Warning: {text}").format(text=warning), file=sys.stderr)
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


def _confirm_school() -> None:
    if not sys.stdin.isatty():
        raise InvalidInput(
            "school",
            _("Check the school above, then confirm with --yes (or name it with --school ID)."),
        )
    answer = input(_("Restore this school's backup? [y/N] "))
    if answer.strip().lower() not in {"y", "yes", _("y"), _("yes")}:
        raise InvalidInput("school", _("Nothing was restored."))


def _passphrase() -> str:
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is not None:
        return passphrase
    if not sys.stdin.isatty():
        raise AuthenticationFailed(
            _(
                "No backup passphrase: set {variable} or run the command in a terminal to be asked."
            ).format(variable=ENV_PASSPHRASE)
        )
    return getpass.getpass(_("Backup passphrase: "))


def _new_passphrase() -> tuple[str, str]:
    passphrase = os.environ.get(ENV_PASSPHRASE)
    if passphrase is not None:
        return passphrase, passphrase
    if not sys.stdin.isatty():
        raise AuthenticationFailed(
            _(
                "No backup passphrase: set {variable} or run the command in a terminal to be asked."
            ).format(variable=ENV_PASSPHRASE)
        )
    print(
        _(
            "The backup is sealed with a passphrase of at least {count} characters. Keep it "
            "safe and apart from the backup: a lost passphrase means a lost backup."
        ).format(count=MIN_PASSPHRASE)
    )
    first = getpass.getpass(_("Backup passphrase: "))
    return first, getpass.getpass(_("The same passphrase again: "))
