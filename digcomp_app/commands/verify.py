"""``digcomp-app verify INPUT``: is this attestation genuine?"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digcomp_app.commands.session import open_database
from digcomp_app.i18n import _, format_date
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.inputs import for_terminal
from digcomp_app.settings import load_settings

# the services load when the command runs, not when the command line is read
if TYPE_CHECKING:
    from digcomp_app.services import verification
    from digcomp_app.services.database import Database

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
        help=_(
            "the text of the QR code, a serial number, a PDF file, or - to read the text "
            "from the input"
        ),
    )
    parser.add_argument(
        "--key",
        action="append",
        default=[],
        metavar=_("FILE"),
        help=_("a public key file written by 'keys export' (may be repeated)"),
    )
    parser.add_argument(
        "--revocations",
        metavar=_("FILE"),
        help=_(
            "the school's signed revocation list (from its website, written by "
            "'certificates revoked --out'): a certificate on it is REVOKED"
        ),
    )
    parser.add_argument(
        "--no-register",
        action="store_true",
        help=_("do not open the school's database; check the signature only"),
    )
    parser.set_defaults(handler=verify_command)


def _register(args: argparse.Namespace) -> Database | None:
    """The school's database, when there is one to consult (never a new empty file)."""
    from digcomp_app.services.database import resolve_database_url, sqlite_path

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


def _read_text(path: Path, what: str) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise ServiceError(what.format(file=path, error=reason)) from error


def read_key_file(text: str, source: str) -> Any:
    """``signing.read_key_file`` (whose keys: school, address, exported date, keys)."""
    from digcomp_app.services import signing

    reader = getattr(signing, "read_key_file", None)
    if reader is not None:
        return reader(text, source)
    return _LegacyKeyFile(text, source)


class _LegacyKeyFile:
    """A key file of the first format (``# organisation: …`` and PEM blocks)."""

    def __init__(self, text: str, source: str) -> None:
        from digcomp_app.services import signing

        self.keys = signing.read_public_keys(text, source)
        self.source = source
        self.school = self.address = self.exported = ""
        for line in text.splitlines():
            name, _sep, value = line.lstrip("# ").partition(":")
            if name.strip().lower() in ("organisation", "school"):
                self.school = value.strip()
            elif name.strip().lower() == "verification address":
                self.address = value.strip()
            elif name.strip().lower() == "exported":
                self.exported = value.strip()


def read_revocations(path: Path, keys: dict[str, Any]) -> Any:
    from digcomp_app.documents import revocations

    text = _read_text(path, _("Cannot read the revocation list {file}: {error}"))
    try:
        return revocations.read_revocation_list(text, keys, str(path))
    except ValueError as error:
        raise ServiceError(
            _("{file} is not a revocation list this application can trust: {error}").format(
                file=path, error=error
            )
        ) from error


def _is_code_or_serial(source: str) -> bool:
    """Text to check rather than a file to read (a printed PDF's own name starts with its
    serial: an existing file, or a name ending in .pdf, is a file)."""
    if source.lower().endswith((".pdf", ".txt")) or Path(source).is_file():
        return False
    upper = source.strip().upper()
    return upper.startswith(("DC1:", "DC2:", "DC-", "HTTPS://", "HTTP://")) or "#DC" in upper


def verify_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import verification

    key_files = []
    for name in args.key:
        path = Path(name)
        text = _read_text(path, _("Cannot read the key file {file}: {error}"))
        key_file = verification.named_key_file(read_key_file(text, str(path)), str(path))
        key_files.append(key_file)
        print_key_file(key_file, path)
    revocations = None
    if args.revocations:
        trusted: dict[str, Any] = {}
        for key_file in key_files:
            trusted.update(key_file.keys)
        revocations = read_revocations(Path(args.revocations), trusted)
    source = args.input
    db = _register(args)

    def check_text(text: str) -> list[verification.Verification]:
        return [
            verification.verify_text(
                db, None, text, None, key_files=key_files, revocations=revocations
            )
        ]

    try:
        if source == "-":
            results = check_text(sys.stdin.read())
        elif _is_code_or_serial(source):
            results = check_text(source)
        else:
            path = Path(source)
            try:
                data = path.read_bytes()
            except OSError as error:
                raise ServiceError(
                    _("Cannot read {file}: {error}").format(file=path, error=error.strerror)
                ) from error
            if data.startswith(b"%PDF"):
                results = verification.verify_pdf(
                    db, None, data, None, key_files=key_files, revocations=revocations
                )
            else:
                text = data.decode("utf-8", errors="replace")
                results = check_text(text)
    finally:
        if db is not None:
            db.close()
    for index, result in enumerate(results):
        if index:
            print()
        print_result(result)
    return 0 if results and all(r.valid for r in results) else 1


def print_key_file(key_file: Any, path: Path) -> None:
    """Whose keys these are, as the file says, and how far to trust that."""
    from digcomp_app.services import verification

    when = getattr(key_file, "exported", "") or ""
    exported = format_date(when, "long") if isinstance(when, dt.date) else str(when)
    print(
        _("Key file {file}: keys of {school} ({address}), exported {exported}.").format(
            file=path.name,
            school=getattr(key_file, "school", "") or _("an unnamed school"),
            address=getattr(key_file, "address", "") or _("no web address given"),
            exported=exported or "—",
        )
    )
    print(_(verification.TRUST_WARNING))
    print()


def print_result(result: verification.Verification) -> None:
    from digcomp_app.presenters.verification import detail_rows
    from digcomp_app.services import verification

    print(result.explanation)
    rows = detail_rows(result)
    width = max((len(label) for label, _value in rows), default=0)
    for label, value in rows:  # values come from the scanned document: no escape sequences
        print(f"  {label.ljust(width)}  {for_terminal(value)}")
    if result.competences:
        print("  " + _("Digital competences and levels:"))
        for item in result.competences:
            print(f"    {for_terminal(item.title)}: {for_terminal(item.level_label)}")
    if result.differences:
        print("  " + _("What differs:"))
        for difference in result.differences:
            print(f"    - {for_terminal(difference)}")
    for note in result.notes:
        print("  " + note)
    if result.key_source is not None:
        print("  " + _(verification.TRUST_WARNING))
