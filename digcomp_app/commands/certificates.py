"""``digcomp-app certificates ...``: the register, printing attestations, and the text
for the official Europass Mobility document."""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import N_, UI_LANGUAGES, _, format_date, ngettext
from digcomp_app.services.errors import NotFound, ServiceError
from digcomp_app.services.inputs import for_terminal

ORDER = 55
T = TypeVar("T")
ISSUER_FILE = "did.json"
#: documents.status_list.LIST_FILE, without loading the JSON-LD code at start
LIST_FILE = "status-list.json"
ENV_PASSPHRASE = "DIGCOMP_PASSPHRASE"
STATUS_NAMES = {"issued": N_("issued"), "revoked": N_("revoked")}


def languages_argument(text: str) -> tuple[str, ...]:
    """ "lv", "en", "nl"... or "lv,en" (both in one document)."""
    chosen = tuple(part.strip().lower() for part in text.split(",") if part.strip())
    if not chosen or len(set(chosen)) != len(chosen) or not set(chosen) <= set(UI_LANGUAGES):
        raise argparse.ArgumentTypeError(
            _("use one of {languages} or lv,en (both in one document), not {given}").format(
                languages=", ".join(UI_LANGUAGES), given=text
            )
        )
    return chosen


def pages_argument(text: str) -> tuple[int, int]:
    """ "3" or "2-5": the first and last page to print (1-based)."""
    first, _dash, last = text.partition("-")
    try:
        numbers = (int(first), int(last or first))
    except ValueError:
        numbers = (0, 0)
    if numbers[0] < 1 or numbers[1] < numbers[0]:
        raise argparse.ArgumentTypeError(
            _("use a page number or a range such as 2-5, not {given}").format(given=text)
        )
    return numbers


def copies_argument(text: str) -> int:
    try:
        copies = int(text)
    except ValueError:
        copies = 0
    if not 1 <= copies <= 99:
        raise argparse.ArgumentTypeError(
            _("use a number of copies from 1 to 99, not {given}").format(given=text)
        )
    return copies


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    group = commands.add_parser(
        "certificates",
        formatter_class=formatter,
        help=_("list and print certificates (coordinators)"),
        description=_(
            "The register of issued certificates; their printed attestations (one PDF "
            "each and one combined file for the printer); the digital-skills text for the "
            "official Europass Mobility document."
        ),
    )
    actions = group.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    listing = actions.add_parser(
        "list",
        formatter_class=formatter,
        help=_("show the register: serial, holder, mobility, issue date, status"),
    )
    listing.add_argument(
        "--mobility", metavar=_("CODE"), help=_("only the certificates of this mobility")
    )
    listing.set_defaults(handler=list_command)

    printing = actions.add_parser(
        "print",
        formatter_class=formatter,
        help=_("write the attestations as PDF files and print them"),
        description=_(
            "Write one PDF attestation per certificate and one combined PDF for the "
            "printer into a folder; with --printer, send the combined file to that "
            "printer too. Revoked certificates are never printed: choosing a mobility or "
            "--all prints the certificates in force."
        ),
    )
    which = printing.add_mutually_exclusive_group(required=True)
    which.add_argument(
        "--mobility", metavar=_("CODE"), help=_("the certificates in force of this mobility")
    )
    which.add_argument(
        "--serial",
        action="append",
        metavar=_("SERIAL"),
        help=_("one certificate (may be repeated)"),
    )
    which.add_argument(
        "--all", action="store_true", help=_("every certificate in force in the register")
    )
    printing.add_argument(
        "--lang",
        type=languages_argument,
        default=("lv",),
        metavar="LANG",
        help=_("{languages}, or lv,en for both in one document (default: lv)").format(
            languages=", ".join(UI_LANGUAGES)
        ),
    )
    printing.add_argument(
        "--out", required=True, metavar=_("FOLDER"), help=_("where the PDF files go")
    )
    printing.add_argument(
        "--workers",
        type=int,
        metavar=_("NUMBER"),
        help=_("processes to render with (default: one per processor core)"),
    )
    printing.add_argument(
        "--printer",
        metavar=_("NAME"),
        help=_("also print on this printer (its name as the system lists it)"),
    )
    printing.add_argument(
        "--copies",
        type=copies_argument,
        default=1,
        metavar=_("NUMBER"),
        help=_("copies to print with --printer (default: 1)"),
    )
    printing.add_argument(
        "--pages",
        type=pages_argument,
        metavar=_("FROM-TO"),
        help=_("only these pages of the combined file with --printer, e.g. 1-2"),
    )
    printing.set_defaults(handler=print_command)

    text = actions.add_parser(
        "europass-text",
        formatter_class=formatter,
        help=_("print the digital-skills text for the official Europass Mobility document"),
        description=_(
            'The text for the "skills and competences acquired" part of the official '
            "Europass Mobility document, from the certificate's assessed competences."
        ),
    )
    text.add_argument("--serial", required=True, metavar=_("SERIAL"), help=_("the certificate"))
    text.add_argument(
        "--lang",
        choices=UI_LANGUAGES,
        default="lv",
        metavar="LANG",
        help=_("one of {languages} (default: lv)").format(languages=", ".join(UI_LANGUAGES)),
    )
    text.set_defaults(handler=europass_text_command)

    revoked = actions.add_parser(
        "revoked",
        formatter_class=formatter,
        help=_("write the signed list of revoked certificates for the school's website"),
        description=_(
            "Write every revoked certificate (serial, date, reason) as a list signed with "
            "the school's key; 'keys export --html FILE --revocations LIST' puts it into the "
            "verification page. The passphrase of the signing key comes from {variable} or "
            "is asked."
        ).format(variable=ENV_PASSPHRASE),
    )
    revoked.add_argument("--out", required=True, metavar=_("FILE"), help=_("the file to write"))
    revoked.set_defaults(handler=revoked_command)

    export = actions.add_parser(
        "export",
        formatter_class=formatter,
        help=_("write certificates as digital credentials (Open Badges 3.0)"),
        description=_(
            "Write each certificate as Open Badges 3.0 credentials, one file per competence, "
            "signed with the school's key, for the learner's wallet or another platform "
            "(docs/digital-credentials.md). The school publishes its issuer profile "
            "('certificates export-issuer-profile') so that they can be checked. The "
            "passphrase of the signing key comes from {variable} or is asked."
        ).format(variable=ENV_PASSPHRASE),
    )
    export.add_argument(
        "--format",
        required=True,
        choices=("ob3", "edc"),
        help=_(
            "ob3: Open Badges 3.0 (Verifiable Credentials 2.0, eddsa-rdfc-2022 proof); "
            "edc: a European Digital Credential (ELM 3), to seal in the EU's EDC issuer "
            "(docs/digital-credentials-edc.md)"
        ),
    )
    export.add_argument(
        "--registration",
        default="",
        metavar=_("NUMBER"),
        help=_("edc: the school's registration number as its electronic seal names it"),
    )
    export.add_argument(
        "--serial",
        action="append",
        required=True,
        metavar=_("SERIAL"),
        help=_("one certificate (may be repeated)"),
    )
    export.add_argument(
        "--lang",
        choices=UI_LANGUAGES,
        default="en",
        metavar="LANG",
        help=_("one of {languages} (default: en)").format(languages=", ".join(UI_LANGUAGES)),
    )
    export.add_argument(
        "--out", default=".", metavar=_("FOLDER"), help=_("where the files go (default: here)")
    )
    export.set_defaults(handler=export_command)

    profile = actions.add_parser(
        "export-issuer-profile",
        formatter_class=formatter,
        help=_("write the school's DID document (did.json) for its website"),
        description=_(
            "Write the school's DID document: its public signing keys, named by the host of "
            "the verification address. Publish it at the address this command prints, and "
            "again after every new signing key."
        ),
    )
    profile.add_argument(
        "--out", default=ISSUER_FILE, metavar=_("FILE"), help=_("the file to write")
    )
    profile.set_defaults(handler=issuer_profile_command)

    status = actions.add_parser(
        "export-status-list",
        formatter_class=formatter,
        help=_("write the school's status list of digital credentials for its website"),
        description=_(
            "Write the school's status list (W3C Bitstring Status List), signed with its "
            "key: wallets read there whether a credential was revoked. Publish it at the "
            "address this command prints, beside the verification page, and again after "
            "every revocation. The passphrase of the signing key comes from {variable} or "
            "is asked."
        ).format(variable=ENV_PASSPHRASE),
    )
    status.add_argument("--out", default=LIST_FILE, metavar=_("FILE"), help=_("the file to write"))
    status.set_defaults(handler=status_list_command)


def list_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import certificates

    db = open_database(args)
    try:
        found = certificates.list_register(db, sign_in(db, args), args.mobility)
    finally:
        db.close()
    if not found:
        print(_("No certificates."))
        return 0
    rows = [
        (
            c.serial,
            # names and codes are anyone's typing: no escape sequences reach the terminal
            for_terminal(c.holder),
            for_terminal(c.mobility_code) or "—",
            format_date(c.issued_on),
            _(STATUS_NAMES.get(c.status, c.status)),
        )
        for c in found
    ]
    headers = (_("Serial number"), _("Holder"), _("Mobility"), _("Issued"), _("Status"))
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for row in [headers, *rows]:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def _chosen_serials(db: Any, actor: Any, args: argparse.Namespace) -> list[str]:
    from digcomp_app.services import certificates

    if args.serial:
        return list(args.serial)
    in_force = [
        c.serial
        for c in certificates.list_register(db, actor, args.mobility if args.mobility else None)
        if c.status == "issued"
    ]
    if not in_force:
        if args.mobility:
            raise NotFound(
                _("The mobility {code} has no certificates in force.").format(code=args.mobility)
            )
        raise NotFound(_("The register has no certificates in force."))
    return in_force


def print_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import printing  # reportlab is loaded only when printing

    if args.printer:  # a wrong name is said before anything is written
        from digcomp_app.ui.printing import require_printer

        require_printer(args.printer)
    db = open_database(args)
    try:
        actor = sign_in(db, args)
        serials = _chosen_serials(db, actor, args)
        result = printing.print_attestations(
            db,
            actor,
            serials,
            args.lang,
            Path(args.out),
            progress=_progress if sys.stderr.isatty() else None,
            workers=args.workers,
        )
    finally:
        db.close()
    if sys.stderr.isatty():
        print(file=sys.stderr)
    for path in result.files:
        print(path)
    if result.combined is not None and len(result.files) > 1:
        print(_("For the printer, all in one file: {path}").format(path=result.combined))
    if args.printer and result.combined is not None:
        print(_send_to_printer(args, result.combined))
    for skipped in result.skipped:
        print(_("not printed: {reason}").format(reason=skipped.reason), file=sys.stderr)
    return 1 if result.skipped else 0


def _send_to_printer(args: argparse.Namespace, path: Path) -> str:
    # Qt's printing is loaded only when a printer is named: the rest of the command line
    # never loads Qt (docs/decisions/0028-printing.md)
    from digcomp_app.ui.printing import outcome_text, print_on_named_printer

    first, last = args.pages or (0, 0)
    outcome = print_on_named_printer(
        args.printer, path.read_bytes(), path.stem, args.copies, first, last
    )
    return outcome_text(outcome)


def _progress(done: int, total: int) -> None:
    print(
        "\r" + _("Printed {done} of {total}").format(done=done, total=total),
        end="",
        file=sys.stderr,
        flush=True,
    )


def europass_text_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import printing

    db = open_database(args)
    try:
        text = printing.europass_text(db, sign_in(db, args), args.serial, args.lang)
    finally:
        db.close()
    print(text)
    return 0


def _signing_passphrase() -> str:
    given = os.environ.get(ENV_PASSPHRASE)
    if given is not None:
        return given
    if not sys.stdin.isatty():
        raise ServiceError(
            _("No passphrase: set {variable} or run the command in a terminal.").format(
                variable=ENV_PASSPHRASE
            )
        )
    return getpass.getpass(_("Passphrase of the school's signing key: "))


def _signed(args: argparse.Namespace, make: Callable[[Any, Any, Any], T]) -> T:
    """``make(db, actor, signer)`` with the school's key unlocked by its passphrase."""
    from digcomp_app.services import signing

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        return make(db, actor, signing.unlock(db, actor, _signing_passphrase()))
    finally:
        db.close()


def revoked_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import certificates

    text = _signed(args, certificates.revocation_list)
    path = Path(args.out)
    _write(path, text)
    count = len(json.loads(text)["revoked"])
    print(
        ngettext(
            "Wrote the signed revocation list ({count} certificate) to {file}.",
            "Wrote the signed revocation list ({count} certificates) to {file}.",
            count,
        ).format(count=count, file=path)
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
    from digcomp_app.services import credentials

    if args.format == "edc":
        return export_edc_command(args)
    files = _signed(
        args,
        lambda db, actor, signer: credentials.export_ob3(db, actor, args.serial, signer, args.lang),
    )
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ServiceError(
            _("Cannot write {file}: {error}").format(file=folder, error=error.strerror)
        ) from error
    for file in files:
        _write(folder / file.name, file.text)
        print(folder / file.name)
    return 0


def issuer_profile_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import credentials

    db = open_database(args)
    try:
        text = credentials.issuer_profile(db, sign_in(db, args))
    finally:
        db.close()
    path = Path(args.out)
    _write(path, text)
    did = json.loads(text)["id"]
    host = did.removeprefix("did:web:").replace("%3A", ":")
    print(
        _("Wrote {file}. Publish it at https://{host}/.well-known/did.json").format(
            file=path, host=host
        )
    )
    return 0


def status_list_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import credentials

    written = _signed(args, credentials.revocation_status_list)
    path = Path(args.out)
    _write(path, written.text)
    print(
        ngettext(
            "Wrote {file} ({count} revoked certificate). Publish it at {address}",
            "Wrote {file} ({count} revoked certificates). Publish it at {address}",
            written.revoked,
        ).format(file=path, count=written.revoked, address=written.address)
    )
    return 0


def export_edc_command(args: argparse.Namespace) -> int:
    """One unsealed European Digital Credential (ELM 3 JSON-LD) per certificate."""
    from digcomp_app.documents.elm import edc_file_name
    from digcomp_app.services import european_credentials

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        files = [
            (serial, european_credentials.export_edc(db, actor, serial, args.registration))
            for serial in args.serial
        ]
    finally:
        db.close()
    folder = Path(args.out)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise ServiceError(
            _("Cannot write {file}: {error}").format(file=folder, error=error.strerror)
        ) from error
    for serial, data in files:
        _write(folder / edc_file_name(serial), data.decode("utf-8"))
        print(folder / edc_file_name(serial))
    return 0
