"""``digcomp-app keys create | list | export``: the school's signing key."""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import _, format_datetime
from digcomp_app.services.errors import ServiceError

ORDER = 65
ENV_PASSPHRASE = "DIGCOMP_PASSPHRASE"


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    group = commands.add_parser(
        "keys",
        formatter_class=formatter,
        help=_("the school's signing key"),
        description=_(
            "Attestations carry a QR code signed with the school's key. An administrator "
            "creates the key (its private half is kept encrypted with a passphrase); "
            "coordinators sign with it; anyone can check with the public key."
        ),
    )
    actions = group.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    create = actions.add_parser(
        "create",
        formatter_class=formatter,
        help=_("create a new signing key (the previous one is retired)"),
        description=_(
            "Create a new key pair. The passphrase comes from {variable} or is asked twice. "
            "Keys retired earlier still verify what they signed."
        ).format(variable=ENV_PASSPHRASE),
    )
    create.set_defaults(handler=create_command)
    listing = actions.add_parser(
        "list", formatter_class=formatter, help=_("list the school's keys")
    )
    listing.set_defaults(handler=list_command)
    export = actions.add_parser(
        "export",
        formatter_class=formatter,
        help=_("write the public keys for verifiers at other schools"),
        description=_(
            "Write the school's public keys (never the private key) to a file that "
            "'verify --key FILE' reads."
        ),
    )
    export.add_argument(
        "--out", metavar=_("FILE"), help=_("the file to write (default: the output)")
    )
    export.add_argument(
        "--html",
        metavar=_("FILE"),
        help=_(
            "also write the verification page for the school's website: one self-contained "
            "HTML file with the public keys that checks an attestation's QR code on a phone"
        ),
    )
    export.add_argument(
        "--revocations",
        metavar=_("FILE"),
        help=_(
            "put this signed revocation list (from 'certificates revoked') into the page; "
            "export the page again whenever a certificate is revoked"
        ),
    )
    export.set_defaults(handler=export_command)


def _passphrase() -> tuple[str, str]:
    given = os.environ.get(ENV_PASSPHRASE)
    if given is not None:
        return given, given
    if not sys.stdin.isatty():
        raise ServiceError(
            _("No passphrase: set {variable} or run the command in a terminal.").format(
                variable=ENV_PASSPHRASE
            )
        )
    first = getpass.getpass(_("Passphrase for the new key: "))
    return first, getpass.getpass(_("The same passphrase again: "))


def create_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import signing

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        passphrase, repeated = _passphrase()
        key = signing.create_key(db, actor, passphrase, repeated)
    finally:
        db.close()
    print(
        _("Created the signing key {key}, fingerprint {fingerprint}.").format(
            key=key.key_id, fingerprint=key.fingerprint
        )
    )
    return 0


def list_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import signing

    db = open_database(args)
    try:
        keys = signing.list_keys(db, sign_in(db, args))
    finally:
        db.close()
    if not keys:
        print(_("The school has no signing key yet."))
        return 0
    for key in keys:
        state = (
            _("active")
            if key.retired_at is None
            else _("retired {date}").format(date=format_datetime(key.retired_at, "short"))
        )
        print(
            f"{key.key_id}  {key.fingerprint}  {format_datetime(key.created_at, 'short')}  "
            f"{key.created_by}  {state}"
        )
    return 0


def _write(path: Path, text: str) -> None:
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as error:
        raise ServiceError(
            _("Cannot write {file}: {error}").format(file=path, error=error.strerror)
        ) from error


def export_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import signing

    if args.revocations and not args.html:
        raise ServiceError(_("--revocations goes with --html: the list is put into the page."))
    revocations = None
    if args.revocations:
        try:
            revocations = Path(args.revocations).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ServiceError(
                _("Cannot read {file}: {error}").format(
                    file=args.revocations, error=getattr(error, "strerror", None) or error
                )
            ) from error
    db = open_database(args)
    try:
        actor = sign_in(db, args)
        text = signing.export_public_keys(db, actor) if args.out or not args.html else ""
        page = signing.verifier_page(db, actor, revocations) if args.html else ""
    finally:
        db.close()
    if args.html:
        _write(Path(args.html), page)
        print(
            _(
                "Wrote the verification page to {file}. Put it on the school's website at "
                "its verification address."
            ).format(file=args.html)
        )
        if revocations is None:
            print(
                _(
                    "The page has no revocation list: it will say that revocation could not "
                    "be checked (see 'certificates revoked' and --revocations)."
                )
            )
    if not text:
        return 0
    if not args.out:
        sys.stdout.write(text)
        return 0
    path = Path(args.out)
    _write(path, text)
    print(_("Wrote the public keys to {file}.").format(file=path))
    return 0
