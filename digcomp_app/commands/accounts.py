"""``digcomp-app setup`` (the first administrator) and ``digcomp-app users ...``."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import _
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.inputs import for_terminal
from digcomp_app.services.permissions import Role

ORDER = 30
ENV_NEW_PASSWORD = "DIGCOMP_NEW_PASSWORD"


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    setup = commands.add_parser(
        "setup",
        formatter_class=formatter,
        help=_("create the first administrator"),
        description=_(
            "On a new, empty database: create the first administrator account. "
            "The password is asked twice (or taken from {variable})."
        ).format(variable=ENV_NEW_PASSWORD),
    )
    setup.add_argument("username", metavar=_("NAME"), help=_("the administrator's user name"))
    setup.add_argument(
        "--display-name",
        default="",
        metavar=_("TEXT"),
        help=_("the name shown in the app (default: the user name)"),
    )
    setup.set_defaults(handler=setup_command)

    users = commands.add_parser(
        "users",
        formatter_class=formatter,
        help=_("list and add user accounts (administrators)"),
        description=_("User accounts and their roles."),
    )
    actions = users.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    listing = actions.add_parser(
        "list", formatter_class=formatter, help=_("list every account with its roles")
    )
    listing.set_defaults(handler=list_command)
    add = actions.add_parser(
        "add",
        formatter_class=formatter,
        help=_("add an account"),
        description=_(
            "Add a user account. The new user's password is asked (or taken from {variable})."
        ).format(variable=ENV_NEW_PASSWORD),
    )
    add.add_argument("username", metavar=_("NAME"), help=_("the new user name"))
    add.add_argument(
        "--role",
        action="append",
        required=True,
        choices=[r.value for r in Role],
        help=_("a role of the user; repeat for several"),
    )
    add.add_argument(
        "--display-name",
        default="",
        metavar=_("TEXT"),
        help=_("the name shown in the app (default: the user name)"),
    )
    add.add_argument(
        "--learner",
        type=int,
        metavar=_("NUMBER"),
        help=_("the learner record a learner's account belongs to"),
    )
    add.set_defaults(handler=add_command)

    from digcomp_app.commands.learners import register_users_import

    register_users_import(actions, formatter)


def _new_password(for_user: str) -> str:
    password = os.environ.get(ENV_NEW_PASSWORD)
    if password is not None:
        return password
    if not sys.stdin.isatty():
        raise InvalidInput(
            "password",
            _("No password: set {variable} or run the command in a terminal to be asked.").format(
                variable=ENV_NEW_PASSWORD
            ),
        )
    first = getpass.getpass(_("New password for {user}: ").format(user=for_user))
    if getpass.getpass(_("The same password again: ")) != first:
        raise InvalidInput("password", _("The two passwords differ; nothing was changed."))
    return first


def setup_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import accounts

    db = open_database(args)
    try:
        if not accounts.needs_first_administrator(db, None):
            print(
                _("This database has users already; the first administrator exists."),
                file=sys.stderr,
            )
            return 1
        info = accounts.create_first_administrator(
            db,
            None,
            args.username,
            args.display_name or args.username,
            _new_password(args.username),
        )
    finally:
        db.close()
    print(
        _("Administrator {name} created. Sign in with --user {name}.").format(
            name=for_terminal(info.username)
        )
    )
    return 0


def list_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import accounts

    db = open_database(args)
    try:
        users = accounts.list_users(db, sign_in(db, args))
    finally:
        db.close()
    for user in users:
        roles = ", ".join(sorted(role.value for role in user.roles))
        state = "" if user.active else "  " + _("(inactive)")
        # names are anyone's typing: no escape sequences or bidi overrides reach the terminal
        name, shown = for_terminal(user.username), for_terminal(user.display_name)
        print(f"{name:<20} {shown:<30} {roles}{state}")
    return 0


def add_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import accounts

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        info = accounts.create_user(
            db,
            actor,
            args.username,
            args.display_name or args.username,
            _new_password(args.username),
            args.role,
            args.learner,
        )
    finally:
        db.close()
    print(_("User {name} added.").format(name=for_terminal(info.username)))
    return 0
