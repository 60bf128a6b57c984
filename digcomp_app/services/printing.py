"""Printing attestations: one PDF per certificate plus one combined file for the printer,
and the digital-skills text for the official Europass Mobility document.

The database is read first, in the calling process; rendering needs nothing but the
frozen snapshots (and the files of any framework the school added, which the workers load
once), so a big batch is spread over every core (worker processes that load the fonts and
frameworks once each). Progress is reported and cancellation checked
between documents. See docs/decisions/0013-attestation-rendering.md.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import select

from digcomp_app import __version__
from digcomp_app.documents.attestation import ascii_name, check_languages, file_name
from digcomp_app.documents.batch import AttestationJob, Cancelled, Options, Progress, render_batch
from digcomp_app.documents.europass_text import europass_text as _europass_text
from digcomp_app.documents.pdf_data import Metadata, combine
from digcomp_app.documents.texts import framework_short, gettext_for
from digcomp_app.framework import Framework, builtin_library
from digcomp_app.i18n import N_, UI_LANGUAGES, _, format_date
from digcomp_app.services import certificates
from digcomp_app.services.auditlog import append
from digcomp_app.services.certificates import CertificateInfo
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, ServiceError, WorkflowError
from digcomp_app.services.frameworks_library import framework_files, framework_of
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import EvidenceBlob, Organisation

#: the combined file's title and subject, in the document's language
COMBINED_TITLE = N_("Attestations of digital competences for printing ({count})")
COMBINED_SUBJECT = N_("Digital competences acquired ({framework})")
#: the combined file is for the printer: verifying is done with each attestation's own PDF
#: (which carries its data) or its QR code; the combined file carries no data
COMBINED_TITLE_PRINT_ONLY = N_("{title} - for printing only, not for verification")
COMBINED_SUBJECT_PRINT_ONLY = N_(
    "{subject}. For printing only: this file carries no attestation data and is not for "
    "verification; verify each attestation by its QR code or its own PDF file."
)


@dataclass(frozen=True, slots=True)
class Skipped:
    serial: str
    reason: str


@dataclass(frozen=True, slots=True)
class PrintResult:
    #: one PDF per certificate printed, in the order asked for
    files: tuple[Path, ...]
    #: all of them in one file for the printer (the single file when only one was printed;
    #: None when cancelled or nothing was printed)
    combined: Path | None
    cancelled: bool
    #: certificates refused (revoked, unsigned), with the reason in words
    skipped: tuple[Skipped, ...]


def _languages(languages: Sequence[str]) -> tuple[str, ...]:
    try:
        return check_languages(languages)
    except ValueError:
        raise InvalidInput(
            "languages",
            _("Print in one of {languages}, or in both lv,en, not: {given}").format(
                languages=", ".join(UI_LANGUAGES), given=",".join(languages)
            ),
        ) from None


def _refusal(cert: CertificateInfo) -> str:
    if cert.status == "revoked":
        when = format_date(cert.revoked_at.date()) if cert.revoked_at else ""
        return _(
            "{serial} was revoked on {date} ({reason}) and is not printed; "
            "print the certificate that replaced it."
        ).format(serial=cert.serial, date=when, reason=cert.revoke_reason)
    if not cert.qr_text:
        return _(
            "{serial} has no signature, so its attestation could not be checked; it is not "
            "printed. Revoke it and issue it again with the school's signing key."
        ).format(serial=cert.serial)
    return ""


def _home(db: Database) -> tuple[bytes | None, bool, str]:
    """The school's logo, whether it prints dates of birth, and its name."""
    with db.transaction() as session:
        home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        if home is None:
            return None, False, ""
        logo = None
        if home.logo_sha256:
            blob = session.get(EvidenceBlob, home.logo_sha256)
            logo = bytes(blob.content) if blob is not None else None
        return logo, bool(home.print_birth_date), home.name


@service("printing.print_attestations")
def print_attestations(
    db: Database,
    actor: Actor,
    serials: Sequence[str],
    languages: Sequence[str],
    out_dir: Path,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    workers: int | None = None,
) -> PrintResult:
    """Write the attestations of ``serials`` in ``languages`` ("lv", "en" or both, in one
    document) to ``out_dir``: one PDF each (``<serial>_<holder>_<lang>.pdf``) and one
    combined PDF. Revoked and unsigned certificates are skipped with the reason; when
    none is left, nothing is printed and the reasons are raised."""
    chosen = _languages(languages)
    wanted = list(dict.fromkeys(s.strip() for s in serials if s.strip()))
    if not wanted:
        raise InvalidInput("serials", _("Choose at least one certificate to print."))
    found = [certificates.get(db, actor, serial) for serial in wanted]
    refusals = {c.serial: _refusal(c) for c in found}
    skipped = tuple(Skipped(serial, reason) for serial, reason in refusals.items() if reason)
    printable = [c for c in found if not refusals[c.serial]]
    if not printable:
        raise WorkflowError(" ".join(s.reason for s in skipped))
    folder = _folder(out_dir)
    logo, show_birth_date, school = _home(db)
    jobs = [AttestationJob(c.snapshot, c.qr_text, c.key_fingerprint) for c in printable]
    paths = [folder / file_name(c.snapshot, chosen) for c in printable]
    rendered: dict[int, bytes] = {}

    def store(index: int, pdf: bytes) -> None:
        _write(paths[index], pdf)
        rendered[index] = pdf

    options = Options(chosen, logo, show_birth_date, _school_frameworks(db, jobs))
    was_cancelled = render_batch(jobs, options, store, progress, cancelled, workers)
    combined = None
    if not was_cancelled:
        combined = paths[0]
        if len(jobs) > 1:
            combined = folder / _combined_name(printable, chosen)
            parts = [rendered[i] for i in range(len(jobs))]
            frameworks = [_framework(db, c.snapshot) for c in printable]
            _write(combined, _combined(printable, chosen, parts, school, frameworks))
    files = tuple(paths[i] for i in sorted(rendered))
    with db.transaction() as session:
        append(
            session,
            actor.username,
            "printing.print_attestations",
            "cancelled" if was_cancelled else "ok",
            "certificate",
            printable[0].serial if len(printable) == 1 else "",
            {
                "printed": [printable[i].serial for i in sorted(rendered)],
                "skipped": [s.serial for s in skipped],
                "languages": list(chosen),
            },
        )
    return PrintResult(files, combined, was_cancelled, skipped)


def _school_frameworks(
    db: Database, jobs: Sequence[AttestationJob]
) -> dict[tuple[str, str], dict[str, str]]:
    """The files of the frameworks the school added that ``jobs`` use (the workers load
    the built-in ones themselves); a framework no longer in the library is refused."""
    found: dict[tuple[str, str], dict[str, str]] = {}
    for key in dict.fromkeys(job.framework_key for job in jobs):
        if builtin_library().find(*key) is not None:
            continue
        files = framework_files(db, *key)
        if files is None:
            raise WorkflowError(
                _("The school's library has no framework {id} {version}.").format(
                    id=key[0], version=key[1]
                )
            )
        found[key] = files
    return found


def _folder(out_dir: Path) -> Path:
    folder = Path(out_dir)
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise InvalidInput(
            "out_dir",
            _("Cannot create the folder {folder}: {error}").format(
                folder=folder, error=error.strerror or error
            ),
        ) from error
    return folder


def _write(path: Path, data: bytes) -> None:
    temporary = path.with_name(path.name + ".part")
    try:
        temporary.write_bytes(data)
        temporary.replace(path)
    except OSError as error:
        raise ServiceError(
            _("Cannot write {path}: {error}").format(path=path, error=error.strerror or error)
        ) from error


def _combined_name(printable: Sequence[CertificateInfo], languages: tuple[str, ...]) -> str:
    codes = {c.mobility_code for c in printable}
    label = ascii_name(codes.pop()) if len(codes) == 1 and "" not in codes else ""
    label = label or f"{len(printable)}"
    return f"attestations_{label}_{'-'.join(languages)}.pdf"


def _combined(
    printable: Sequence[CertificateInfo],
    languages: tuple[str, ...],
    parts: Sequence[bytes],
    school: str,
    used: Sequence[Framework],
) -> bytes:
    gettext = gettext_for(languages[0])
    frameworks = dict.fromkeys(framework_short(framework) for framework in used)
    title = gettext(COMBINED_TITLE).format(count=len(printable))
    subject = gettext(COMBINED_SUBJECT).format(framework=", ".join(frameworks))
    metadata = Metadata(
        title=gettext(COMBINED_TITLE_PRINT_ONLY).format(title=title),
        author=school,
        subject=gettext(COMBINED_SUBJECT_PRINT_ONLY).format(subject=subject),
        language=languages[0],
        creator=f"digcomp-app {__version__}",
        keywords=", ".join(c.serial for c in printable),
    )
    # no attachment: the printer's file is not for verification (issue 10, privacy)
    return combine(parts, metadata)


def _framework(db: Database, snapshot: dict[str, Any]) -> Framework:
    key = snapshot["framework"]
    framework = framework_of(db, key["id"], key["version"])
    if framework is None:
        raise WorkflowError(
            _("The school's library has no framework {id} {version}.").format(
                id=key["id"], version=key["version"]
            )
        )
    return framework


# --- the official Europass Mobility document ----------------------------------------------


@service("printing.europass_text")
def europass_text(db: Database, actor: Actor, serial: str, language: str) -> str:
    """The "skills and competences acquired" text of a certificate, in ``language``."""
    chosen = _languages([language])[0]
    cert = certificates.get(db, actor, serial)
    if cert.status == "revoked":
        raise WorkflowError(
            _("{serial} was revoked; use the certificate that replaced it.").format(
                serial=cert.serial
            )
        )
    with db.transaction() as session:
        append(session, actor.username, "printing.europass_text", "ok", "certificate", cert.serial)
    return _europass_text(cert.snapshot, _framework(db, cert.snapshot), chosen)
