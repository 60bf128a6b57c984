"""``digcomp-app audit verify``: check the audit log's hash chain."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import _
from digcomp_app.services.errors import InvalidInput

ORDER = 80


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    group = commands.add_parser(
        "audit",
        formatter_class=formatter,
        help=_("check the audit log"),
        description=_(
            "The audit log records who did what and when; "
            "each entry is chained to the one before by a "
            "hash, so a changed entry is found."
        ),
    )
    actions = group.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    verify = actions.add_parser(
        "verify",
        formatter_class=formatter,
        help=_("check that no audit entry was changed or removed"),
        description=_(
            "Recompute the audit log's hash chain. Exit "
            "status 0 when it is intact; 1, naming the first "
            "broken entry, when it is not."
        ),
    )
    verify.add_argument(
        "--key",
        type=Path,
        metavar=_("FILE"),
        help=_(
            "the school's published key file: signed checkpoints must carry one of its keys "
            "(otherwise the database's own public keys are used)"
        ),
    )
    verify.set_defaults(handler=verify_command)


def verify_command(args: argparse.Namespace) -> int:
    from digcomp_app import anchors
    from digcomp_app.services import audit

    trusted = None
    if args.key is not None:
        from digcomp_app.services.signing import read_key_file

        try:
            text = args.key.read_text(encoding="utf-8")
        except OSError as error:
            raise InvalidInput(
                "key", _("Cannot read {path}: {error}").format(path=args.key, error=error.strerror)
            ) from error
        trusted = read_key_file(text, str(args.key)).keys
    db = open_database(args)
    try:
        anchor = anchors.load(db.url)
        report = audit.verify(db, sign_in(db, args), anchor, trusted)
        if report.intact and report.head is not None:
            anchors.save(db.url, report.head)
    finally:
        db.close()
    if report.intact:
        print(
            _(
                "The audit log is intact: {count} entries checked, {points} signed checkpoints."
            ).format(count=report.checked, points=report.checkpoints)
        )
        if anchor is not None:
            print(
                _("It still holds entry {id} as this computer saw it last.").format(
                    id=anchor.last_id
                )
            )
        for note in report.notes:
            print(_("Note: {note}").format(note=note))
        return 0
    print(
        _("The audit log is broken at entry {id}: {problem}").format(
            id=report.first_broken_id, problem=report.problem
        )
    )
    return 1
