"""The print dialog's rules: the language choices, what can be printed (the certificates
chosen in the register, or all those in force of a mobility), what the dialog says about
the choice, the request it makes, and what a print job wrote, in words
(``ui/print_dialog.py`` shows it)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from digcomp_app.i18n import UI_LANGUAGES, _, current_language, language_name, ngettext
from digcomp_app.services.certificates import CertificateInfo

if TYPE_CHECKING:  # the PDF services load reportlab: only when something is printed
    from digcomp_app.services.printing import PrintResult

#: the language choices of a printed attestation: stored value, choice
ATTESTATION_LANGUAGES: tuple[tuple[tuple[str, ...], str], ...] = (
    *(((code,), code) for code in UI_LANGUAGES),
    (("lv", "en"), "both"),
)
#: the chosen certificates named in the dialog before "…"
NAMED = 3


def plain(text: str) -> str:
    """A label without its mnemonic ("&&" stays one "&") or trailing ":" and "…", for an
    accessible name."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":…").strip()


def language_label(choice: str) -> str:
    """The label of a language choice, with its mnemonic."""
    labels = {
        "lv": _("&Latvian"),
        "en": _("&English"),
        "nl": _("&Dutch"),
        "both": _("Both in &one document (Latvian, then English)"),
    }
    return labels.get(choice) or language_name(choice, current_language())


def language_choices(with_both: bool) -> list[tuple[tuple[str, ...], str]]:
    """(languages, label) of each choice; "both in one document" only for attestations."""
    return [
        (languages, language_label(choice))
        for languages, choice in ATTESTATION_LANGUAGES
        if with_both or choice != "both"
    ]


@dataclass(frozen=True, slots=True)
class MobilityChoice:
    code: str
    title: str
    serials: tuple[str, ...]

    @property
    def label(self) -> str:
        count = len(self.serials)
        return ngettext(
            "{code} — {title} ({count} certificate)",
            "{code} — {title} ({count} certificates)",
            count,
        ).format(code=self.code, title=self.title, count=count)


def mobility_choices(
    register: Iterable[CertificateInfo], titles: Mapping[str, str]
) -> list[MobilityChoice]:
    """The mobilities with certificates in force, by code, each with its serials."""
    in_force: dict[str, list[str]] = {}
    for cert in register:
        if cert.status == "issued" and cert.mobility_code:
            in_force.setdefault(cert.mobility_code, []).append(cert.serial)
    return [
        MobilityChoice(code, titles.get(code, ""), tuple(serials))
        for code, serials in sorted(in_force.items())
    ]


def printable(chosen: Sequence[CertificateInfo]) -> list[CertificateInfo]:
    """The chosen certificates that are printed: those in force."""
    return [c for c in chosen if c.status == "issued"]


def chosen_text(chosen: Sequence[CertificateInfo]) -> str:
    count = len(chosen)
    return ngettext(
        "The &chosen certificate ({count})", "The &chosen certificates ({count})", count
    ).format(count=count)


def chosen_note(chosen: Sequence[CertificateInfo]) -> str:
    """Under "the chosen certificates": none chosen, all or some revoked, or their names."""
    count = len(chosen)
    revoked = [c for c in chosen if c.status != "issued"]
    if not count:
        return _("No certificate is chosen in the register.")
    if len(revoked) == count:
        return ngettext(
            "The chosen certificate is revoked and is not printed; print the "
            "certificate that replaced it.",
            "The chosen certificates are revoked and are not printed; print the "
            "certificates that replaced them.",
            count,
        )
    if revoked:
        return ngettext(
            "{count} of them is revoked and is not printed: {serials}.",
            "{count} of them are revoked and are not printed: {serials}.",
            len(revoked),
        ).format(count=len(revoked), serials=", ".join(c.serial for c in revoked))
    note = ", ".join(f"{c.holder} ({c.serial})" for c in chosen[:NAMED])
    return note + " …" if count > NAMED else note


def initial_mobility(chosen: Sequence[CertificateInfo], mobility_code: str) -> str:
    """The mobility the dialog's list starts on: the one asked for, else the first chosen
    certificate's."""
    return mobility_code or (chosen[0].mobility_code if chosen else "")


def starts_with_chosen(
    chosen: Sequence[CertificateInfo], mobility_code: str, choices: Sequence[MobilityChoice]
) -> bool | None:
    """Which scope the dialog starts on: True the chosen certificates, False a mobility,
    None neither (nothing can be printed)."""
    if printable(chosen) and not mobility_code:
        return True
    if choices:
        return False
    return None


def can_print(
    with_chosen: bool, chosen: Sequence[CertificateInfo], choices: Sequence[MobilityChoice]
) -> bool:
    """Whether Print… and Save as PDF are enabled for the scope chosen."""
    return bool(printable(chosen)) if with_chosen else bool(choices)


@dataclass(frozen=True)
class PrintRequest:
    serials: tuple[str, ...]
    languages: tuple[str, ...]
    folder: Path
    #: the mobility whose certificates in force are printed ("" for chosen certificates)
    mobility_code: str = ""
    #: sent to a printer once written (else only saved as PDF files)
    to_printer: bool = False


def folder_of(text: str) -> Path | None:
    """The folder typed ("~" expanded), None when nothing is typed."""
    text = text.strip()
    return Path(text).expanduser() if text else None


class Refused(ValueError):
    """The dialog cannot be accepted as it is filled; the reason in words."""

    def __init__(self, reason: str, field: str) -> None:
        super().__init__(reason)
        #: "folder" or "scope": where the dialog puts the focus
        self.field = field


def print_request(
    folder_text: str,
    mobility: MobilityChoice | None,
    chosen: Sequence[CertificateInfo],
    languages: Sequence[str],
    to_printer: bool,
) -> PrintRequest:
    """The request of an accepted dialog: ``mobility`` when that scope is chosen, else the
    chosen certificates in force. ``Refused`` without a folder or with nothing to print."""
    folder = folder_of(folder_text)
    if folder is None:
        raise Refused(_("Choose the folder where the PDF files are saved."), "folder")
    if mobility is not None:
        serials, code = mobility.serials, mobility.code
    else:
        serials, code = tuple(c.serial for c in printable(chosen)), ""
    if not serials:
        raise Refused(_("There is nothing to print."), "scope")
    return PrintRequest(serials, tuple(languages), folder, code, to_printer)


def print_outcome(result: PrintResult, total: int, folder: Path) -> tuple[str, str]:
    """What a print job wrote, in words: a summary and the list of files."""
    done = len(result.files)
    if result.cancelled:
        text = ngettext(
            "Printing was cancelled: {done} of {total} attestation was written into "
            "{folder}; there is no combined file.",
            "Printing was cancelled: {done} of {total} attestations were written into "
            "{folder}; there is no combined file.",
            total,
        ).format(done=done, total=total, folder=folder)
    else:
        text = ngettext(
            "{count} attestation saved as PDF into {folder}.",
            "{count} attestations saved as PDF into {folder}.",
            done,
        ).format(count=done, folder=folder)
        if result.combined is not None and done > 1:
            text += " " + _("All in one file for printing: {name}").format(
                name=result.combined.name
            )
    lines = [path.name for path in result.files]
    if result.combined is not None and done > 1:
        lines.append(result.combined.name)
    for skipped in result.skipped:
        lines.append(_("Not printed: {reason}").format(reason=skipped.reason))
    if result.skipped:
        text += " " + ngettext(
            "{count} certificate was not printed (see the details).",
            "{count} certificates were not printed (see the details).",
            len(result.skipped),
        ).format(count=len(result.skipped))
    return text, "\n".join(lines)
