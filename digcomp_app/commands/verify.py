"""``digcomp-app verify INPUT``: is this attestation genuine?"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import open_database
from digcomp_app.i18n import _, format_date, format_datetime
from digcomp_app.services import signing, verification
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ServiceError
from digcomp_app.settings import load_settings
from digcomp_app.storage.engine import resolve_database_url, sqlite_path

ORDER = 60


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    parser = commands.add_parser(
        "verify",
        formatter_class=formatter,
        help=_("check that an attestation is genuine"),
        description=_(
            "Check an attestation's QR code text or its PDF file. The signature is checked "
            "with the school's public keys (from the database, or from --key files); when "
            "the school's database is at hand, the register says whether it was revoked. "
            "Exit status 0 only when the attestation is valid."
        ),
    )
    parser.add_argument(
        "input",
        metavar=_("INPUT"),
        help=_("the text of the QR code, a PDF file, or - to read the text from the input"),
    )
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar=_("FILE"),
        help=_("a public key file written by 'keys export' (may be repeated)"),
    )
    parser.add_argument(
        "--no-register",
        action="store_true",
        help=_("do not open the school's database; check the signature only"),
    )
    parser.set_defaults(handler=verify_command)


def _register(args: argparse.Namespace) -> Database | None:
    """The school's database, when there is one to consult (never a new empty file)."""
    if args.no_register:
        return None
    url = resolve_database_url(getattr(args, "database", None), load_settings().database_url)
    path = sqlite_path(url)
    if path is not None and not path.exists():
        return None
    try:
        return open_database(args)
    except ServiceError as error:
        print(_("The register is not at hand: {error}").format(error=error), file=sys.stderr)
        return None


def verify_command(args: argparse.Namespace) -> int:
    keys: dict[str, Any] = {}
    for name in args.key:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise ServiceError(
                _("Cannot read the key file {file}: {error}").format(file=path, error=error)
            ) from error
        keys.update(signing.read_public_keys(text, str(path)))
    source = args.input
    db = _register(args)
    try:
        if source == "-":
            results = [verification.verify_text(db, None, sys.stdin.read(), keys)]
        elif source.upper().startswith("DC1:"):
            results = [verification.verify_text(db, None, source, keys)]
        else:
            path = Path(source)
            try:
                data = path.read_bytes()
            except OSError as error:
                raise ServiceError(
                    _("Cannot read {file}: {error}").format(file=path, error=error.strerror)
                ) from error
            if data.startswith(b"%PDF"):
                results = verification.verify_pdf(db, None, data, keys)
            else:
                text = data.decode("utf-8", errors="replace")
                results = [verification.verify_text(db, None, text, keys)]
    finally:
        if db is not None:
            db.close()
    for index, result in enumerate(results):
        if index:
            print()
        print_result(result)
    return 0 if results and all(r.valid for r in results) else 1


def print_result(result: verification.Verification) -> None:
    print(result.explanation)
    rows: list[tuple[str, str]] = []
    if result.serial:
        rows.append((_("Serial number"), result.serial))
    if result.issued_on:
        rows.append((_("Issued on"), format_date(result.issued_on, "long")))
    if result.holder:
        rows.append((_("Holder"), result.holder))
    if result.issuer:
        rows.append((_("Issued by"), result.issuer))
    if result.mobility:
        rows.append((_("Mobility"), result.mobility))
    if result.fingerprint or result.key_id:
        rows.append((_("Signing key"), result.fingerprint or result.key_id))
    if result.revoked_at:
        rows.append((_("Revoked on"), format_datetime(result.revoked_at, "short")))
    if result.revoke_reason:
        rows.append((_("Reason"), result.revoke_reason))
    width = max((len(label) for label, _value in rows), default=0)
    for label, value in rows:
        print(f"  {label.ljust(width)}  {value}")
    if result.competences:
        print("  " + _("Digital competences and levels:"))
        for item in result.competences:
            print(f"    {item.title}: {item.level_label}")
