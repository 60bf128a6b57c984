"""``digcomp-app audit verify``: check the audit log's hash chain."""

from __future__ import annotations

import argparse
from typing import Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import _
from digcomp_app.services import audit

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
    verify.set_defaults(handler=verify_command)


def verify_command(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        report = audit.verify(db, sign_in(db, args))
    finally:
        db.close()
    if report.intact:
        print(_("The audit log is intact: {count} entries checked.").format(count=report.checked))
        return 0
    print(
        _("The audit log is broken at entry {id}: {problem}").format(
            id=report.first_broken_id, problem=report.problem
        )
    )
    return 1
