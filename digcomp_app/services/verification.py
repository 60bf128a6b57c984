"""Checking an attestation: its QR text, a serial typed by hand, or its PDF file, with or
without the register. See docs/attestation-format.md and
docs/decisions/0021-verify-what-is-printed.md.

The verdict on a code comes in this order:

1. the text cannot be read as a payload (checked strictly) → not valid;
2. no known public key has the payload's key id → unknown key;
3. the Ed25519 signature does not match → not valid (altered);
4. a version 2 code copied under another address than the one it signed → not valid;
5. with the register at hand: the serial is there but its content differs from the signed
   content → not valid; it was revoked → revoked (with date and reason); a revocation list
   (``revocations``) that lists the serial → revoked;
6. otherwise → valid.

A PDF is checked as a person sees it: every page is rendered, the QR codes printed on it
are decoded from the image, and the page's text (holder, school, serial, issue date, every
competence's level) is compared with the signed content; so is the PDF's attached data
(never trusted alone) and, at hand, the register's snapshot. Any difference → not valid,
naming it; a page without a readable code → not verifiable. A version 1 code signs only the
snapshot's hash: its content comes from the attachment or the register, trusted only when
their hash is the signed one.

Without a database (another school's verifier) only the public keys are needed: pass the
key files (:func:`digcomp_app.services.signing.read_key_file`) as ``key_files`` (or bare keys
as ``extra_keys``); the verdict names whose keys they claim to be.
"""

from __future__ import annotations

import collections
import datetime as dt
import hashlib
import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import Any

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
from sqlalchemy import select

from digcomp_app.documents import payload as payload_codec
from digcomp_app.framework import Framework, FrameworkLibrary, builtin_library
from digcomp_app.framework.labels import competence_label, level_label
from digcomp_app.i18n import N_, _, ngettext
from digcomp_app.services.certificates import canonical_json
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.signing import fingerprints, public_keys
from digcomp_app.storage.models import Certificate

PublicKeys = Mapping[str, Ed25519PublicKey]

#: resolution the pages are rendered at to read their QR codes (a printed page scanned
#: at 150-200 dpi reads the same); a page whose code is not found is tried once more finer
RENDER_DPI = 170
RETRY_DPI = 300

TRUST_WARNING = N_(
    "A key file is only as trustworthy as where it came from: take it from the school's own "
    "website or from the school."
)


class Verdict(StrEnum):
    VALID = "valid"
    INVALID = "invalid"
    REVOKED = "revoked"
    UNKNOWN_KEY = "unknown_key"
    #: a page with no readable code, or a version 1 code whose content is not at hand
    UNVERIFIABLE = "unverifiable"


@dataclass(frozen=True, slots=True)
class VerifiedCompetence:
    competence_id: str
    title: str
    level: int
    level_label: str


@dataclass(frozen=True, slots=True)
class KeySource:
    """Where a trusted public key came from: a key file, and whose keys it says they are."""

    source: str
    school: str = ""
    address: str = ""
    exported: str = ""


@dataclass(frozen=True, slots=True)
class Verification:
    verdict: Verdict
    #: one or two sentences in plain words saying what the verdict means
    explanation: str
    serial: str = ""
    issued_on: dt.date | None = None
    key_id: str = ""
    fingerprint: str = ""
    holder: str = ""
    issuer: str = ""
    mobility: str = ""
    competences: tuple[VerifiedCompetence, ...] = ()
    #: True: the school's register was consulted; False: it was not at hand
    register_checked: bool = False
    in_register: bool = False
    revoked_at: dt.datetime | None = None
    revoke_reason: str = ""
    #: what differs between the signed content and the page, attachment or register
    differences: tuple[str, ...] = ()
    #: remarks that do not change the verdict (no attachment, revocation not checked…)
    notes: tuple[str, ...] = ()
    #: the key file the signing key was taken from (None: the school's own register)
    key_source: KeySource | None = None
    #: "register", "list" or "" (not checked)
    revocation_checked: str = ""
    revocation_list_issued: str = ""
    #: the PDF pages (1-based) this verdict is about
    pages: tuple[int, ...] = ()
    #: the code's format: 1 or 2 (0: not read)
    code_version: int = 0

    @property
    def valid(self) -> bool:
        return self.verdict is Verdict.VALID


# --- the signed facts ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Facts:
    """What an attestation states, comparable field by field. ``None``: not known here."""

    serial: str
    issued_on: dt.date | None
    holder: str | None = None
    birth_date: str | None = None
    school: str | None = None
    address: str | None = None
    framework: tuple[str, str] | None = None
    competences: tuple[tuple[str, int], ...] | None = None
    mobility_code: str | None = None
    #: a version 1 snapshot knows the birth date whether or not it was printed
    birth_date_optional: bool = False


def facts_of_content(content: Any) -> Facts:
    """The facts of a version 2 signed content (``payload.SignedContent``)."""
    return Facts(
        serial=str(content.serial),
        issued_on=content.issued_on,
        holder=_nfc(content.holder),
        birth_date=str(content.birth_date) if content.birth_date else None,
        school=_nfc(content.school),
        address=str(content.address or ""),
        framework=(str(content.framework_id), str(content.framework_version)),
        competences=tuple((str(c), int(level)) for c, level in content.competences),
        mobility_code=str(content.mobility_code or ""),
    )


def facts_of_snapshot(snapshot: Mapping[str, Any]) -> Facts:
    """The facts of a certificate's snapshot (the register's) or of the printed record in a
    PDF's attachment (the same keys, only what is printed)."""
    holder = snapshot.get("holder") or {}
    framework = snapshot.get("framework") or {}
    issued = snapshot.get("issued_on") or str(snapshot.get("issued_at") or "")[:10]
    issuer = snapshot.get("issuer") or {}
    born = holder.get("date_of_birth") or None
    signing = snapshot.get("verification")
    address = None
    optional = True  # a version 1 snapshot keeps the birth date whether printed or not
    if isinstance(signing, Mapping) and signing.get("version") == 2:
        address = str(signing.get("address") or "")
        born = born if signing.get("prints_birth_date") else None
        optional = False
    return Facts(
        serial=str(snapshot.get("serial", "")),
        issued_on=dt.date.fromisoformat(issued) if issued else None,
        holder=_nfc(f"{holder.get('given_names', '')} {holder.get('surname', '')}".strip()),
        birth_date=born,
        school=_nfc(str(issuer.get("name", ""))),
        address=address,
        framework=(str(framework.get("id", "")), str(framework.get("version", ""))),
        competences=tuple(
            (str(c.get("competence", "")), int(c.get("level", 0)))
            for c in snapshot.get("competences") or ()
        ),
        mobility_code=_nfc(str((snapshot.get("mobility") or {}).get("code", "") or "")),
        birth_date_optional=optional,
    )


#: who shows something other than what was signed
SOURCE_PAGE = N_("the page")
SOURCE_ATTACHMENT = N_("the attached data")
SOURCE_REGISTER = N_("the school's register")


def _q(text: object) -> str:
    return f"“{text}”"


def compare_facts(signed: Facts, other: Facts, source: str) -> list[str]:
    """What ``other`` (the attachment's or the register's snapshot) shows differently from
    the signed facts, in words."""
    where = _(source)
    found: list[str] = []

    def differs(message: str, shown: object, expected: object) -> None:
        found.append(_(message).format(source=where, shown=_q(shown), signed=_q(expected)))

    if _serial_key(other.serial) != _serial_key(signed.serial):
        differs(
            N_("{source} shows the serial {shown}; the signed code says {signed}"),
            other.serial,
            signed.serial,
        )
    if other.issued_on and signed.issued_on and other.issued_on != signed.issued_on:
        differs(
            N_("{source} shows the issue date {shown}; the signed code says {signed}"),
            other.issued_on.isoformat(),
            signed.issued_on.isoformat(),
        )
    if None not in (other.holder, signed.holder) and other.holder != signed.holder:
        differs(
            N_("{source} shows the holder {shown}; the signed code says {signed}"),
            other.holder,
            signed.holder,
        )
    if (
        signed.birth_date is not None
        and other.birth_date is not None
        and other.birth_date != signed.birth_date
    ):
        differs(
            N_("{source} shows the date of birth {shown}; the signed code says {signed}"),
            other.birth_date,
            signed.birth_date,
        )
    if None not in (other.school, signed.school) and other.school != signed.school:
        differs(
            N_("{source} shows the school {shown}; the signed code says {signed}"),
            other.school,
            signed.school,
        )
    if None not in (other.address, signed.address) and other.address != signed.address:
        differs(
            N_("{source} shows the web address {shown}; the signed code says {signed}"),
            other.address or "—",
            signed.address or "—",
        )
    if None not in (other.framework, signed.framework) and other.framework != signed.framework:
        differs(
            N_("{source} shows the framework {shown}; the signed code says {signed}"),
            " ".join(other.framework or ()),
            " ".join(signed.framework or ()),
        )
    if (
        None not in (other.mobility_code, signed.mobility_code)
        and other.mobility_code != signed.mobility_code
    ):
        differs(
            N_("{source} shows the mobility code {shown}; the signed code says {signed}"),
            other.mobility_code or "—",
            signed.mobility_code or "—",
        )
    if other.competences is not None and signed.competences is not None:
        found += _competence_differences(dict(signed.competences), dict(other.competences), where)
    return found


def _competence_differences(
    signed: Mapping[str, int],
    shown: Mapping[str, int],
    where: str,
    labels: Mapping[str, str] | None = None,
) -> list[str]:
    found = []
    for competence, level in signed.items():
        if competence not in shown:
            found.append(
                _(
                    "{source} does not show competence {competence} (signed at level {signed})"
                ).format(source=where, competence=competence, signed=level)
            )
        elif shown[competence] != level:
            found.append(
                _(
                    "{source} shows level {shown} for {competence}; the signed code says {signed}"
                ).format(source=where, shown=shown[competence], competence=competence, signed=level)
            )
    for competence, level in shown.items():
        if competence not in signed:
            found.append(
                _(
                    "{source} shows competence {competence} at level {shown}, which the signed "
                    "code does not contain"
                ).format(source=where, competence=competence, shown=level)
            )
    return found


# --- reading the printed pages ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PageSeen:
    number: int  # 1-based
    codes: tuple[str, ...]
    lines: tuple[str, ...]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", " ".join(str(text).split()))


def read_pages(pdf: bytes) -> list[PageSeen]:
    """Each page's QR codes (decoded from its image, as a scanner would) and text lines."""
    import pypdfium2
    import zxingcpp

    qr_only = zxingcpp.BarcodeFormats(zxingcpp.BarcodeFormat.QRCode)

    try:
        document = pypdfium2.PdfDocument(pdf)
    except pypdfium2.PdfiumError as error:
        raise InvalidInput(
            "file", _("The PDF could not be read: {error}").format(error=error)
        ) from error
    seen = []
    try:
        for index in range(len(document)):
            page = document[index]
            try:
                text_page = page.get_textpage()
                text = text_page.get_text_range()
                text_page.close()
                codes: list[str] = []
                for dpi in (RENDER_DPI, RETRY_DPI):
                    bitmap = page.render(scale=dpi / 72, grayscale=True)
                    image = bitmap.to_pil()
                    bitmap.close()
                    found = zxingcpp.read_barcodes(image, formats=qr_only)
                    codes = [r.text for r in found if r.valid and r.text]
                    if codes:
                        break
            finally:
                page.close()
            lines = tuple(
                line for line in (_nfc(raw) for raw in re.split(r"[\r\n]+", text)) if line
            )
            seen.append(PageSeen(index + 1, tuple(dict.fromkeys(codes)), lines))
    finally:
        document.close()
    return seen


def _wording(language: str) -> Any:
    from digcomp_app.documents import attestation_wording as words
    from digcomp_app.documents.texts import gettext_for

    gettext = gettext_for(language)
    return {
        name: _nfc(gettext(getattr(words, name)))
        for name in (
            "PAGE",
            "TITLE",
            "SURNAMES",
            "GIVEN_NAMES",
            "DATE_OF_BIRTH",
            "ISSUED_BY",
            "ISSUE_DATE",
        )
    }


def _page_pattern(language: str) -> re.Pattern[str]:
    template = re.escape(_wording(language)["PAGE"])
    template = template.replace(r"\{page\}", r"(\d+)").replace(r"\{pages\}", r"(\d+)")
    return re.compile(template)


def _page_language(page: PageSeen) -> tuple[str, int, int] | None:
    """(language, page number, pages) from the page's footer, or None."""
    from digcomp_app.documents.attestation import LANGUAGES

    for language in LANGUAGES:
        pattern = _page_pattern(language)
        for line in page.lines:
            match = pattern.search(line)
            if match:
                return language, int(match.group(1)), int(match.group(2))
    return None


SERIAL_PATTERN = re.compile(r"\bDC-[0-9A-Z]{4}(?:-[0-9A-Z]{4}){3}\b")


def page_differences(
    pages: Sequence[PageSeen], facts: Facts, library: FrameworkLibrary | None = None
) -> list[str]:
    """What the printed pages of one attestation show differently from the signed facts.
    ``library``: the frameworks known here (the school's own too); the built-in ones when
    None. Under a framework not known here, the printed levels are compared by number."""
    where = _(SOURCE_PAGE)
    found: list[str] = []

    def differs(message: str, shown: object, expected: object, page: int | str) -> None:
        text = _(message).format(source=where, shown=_q(shown), signed=_q(expected))
        found.append(_("page {page}: {difference}").format(page=page, difference=text))

    framework = _framework_of(facts, library)
    versions: list[tuple[str, list[PageSeen]]] = []
    numbering: set[tuple[int, int]] = set()
    for page in pages:
        seen = _page_language(page)  # (language, page number, pages)
        if seen is None:
            found.append(
                _(
                    "page {page}: its wording is not that of an attestation printed by this "
                    "application, so what it shows cannot be compared with the signed code"
                ).format(page=page.number)
            )
            continue
        numbering.add(seen[1:])
        if versions and versions[-1][0] == seen[0] and not _title_page(page, seen[0]):
            versions[-1][1].append(page)
        else:
            versions.append((seen[0], [page]))
    totals = {total for _number, total in numbering}
    if len(totals) == 1:
        total = totals.pop()
        missing = sorted(set(range(1, total + 1)) - {n for n, _t in numbering})
        for number in missing:
            found.append(
                _("page {number} of {total} of this attestation is missing").format(
                    number=number, total=total
                )
            )
    wrong: dict[str, list[int]] = {}
    for page in pages:
        for serial in dict.fromkeys(SERIAL_PATTERN.findall(" ".join(page.lines))):
            if _serial_key(serial) != _serial_key(facts.serial):
                wrong.setdefault(serial, []).append(page.number)
        if not SERIAL_PATTERN.search(" ".join(page.lines)) and _page_language(page):
            found.append(_("page {page}: the page shows no serial number").format(page=page.number))
    for serial, numbers in wrong.items():
        differs(
            N_("{source} shows the serial {shown}; the signed code says {signed}"),
            serial,
            facts.serial,
            _pages(numbers),
        )
    for language, version in versions:
        words = _wording(language)
        first = version[0]
        lines = list(first.lines)
        # the school: the lines above the title
        title = next((i for i, line in enumerate(lines) if line == words["TITLE"]), None)
        if title is None:
            found.append(
                _(
                    "page {page}: the page has no title; the beginning of this version is missing"
                ).format(page=first.number)
            )
        else:
            if facts.school is not None and not any(
                " ".join(lines[:k]) == facts.school for k in range(1, title + 1)
            ):
                differs(
                    N_("{source} shows the school {shown}; the signed code says {signed}"),
                    " ".join(lines[:1]) or "—",
                    facts.school,
                    first.number,
                )
            _check_holder(lines, words, facts, language, first.number, found, differs)
            _check_issue_date(lines, words, facts, language, first.number, found, differs)
        if facts.competences is not None:
            signed = dict(facts.competences)
            shown, labels, printed_on = _printed_levels(version, framework, signed, language, found)
            every_page = _pages(p.number for p in version)
            for competence, level in signed.items():
                on = _pages([printed_on[competence]]) if competence in printed_on else every_page
                expected = (
                    _nfc(level_label(framework, level, language))
                    if framework is not None
                    else labels.get(competence, "")  # names unknown here: the number counts
                )
                if competence not in shown:
                    text = _(
                        "{source} does not show competence {competence} (signed at level {signed})"
                    ).format(source=where, competence=competence, signed=level)
                elif shown[competence] != level:
                    text = _(
                        "{source} shows level {shown} for {competence}; the signed code says "
                        "{signed}"
                    ).format(
                        source=where, shown=shown[competence], competence=competence, signed=level
                    )
                elif labels[competence] != expected:
                    text = _(
                        "{source} shows {shown} for {competence}; the signed level is {signed}"
                    ).format(
                        source=where,
                        shown=_q(labels[competence]),
                        competence=competence,
                        signed=_q(expected),
                    )
                else:
                    continue
                found.append(_("page {page}: {difference}").format(page=on, difference=text))
            for competence, level in shown.items():
                if competence not in signed:
                    text = _(
                        "{source} shows competence {competence} at level {shown}, which the "
                        "signed code does not contain"
                    ).format(source=where, competence=competence, shown=level)
                    found.append(
                        _("page {page}: {difference}").format(
                            page=_pages([printed_on[competence]]), difference=text
                        )
                    )
    return found


def _pages(numbers: Iterable[int]) -> str:
    return ", ".join(str(n) for n in dict.fromkeys(numbers))


#: reports one difference: (message, what the page shows, what is signed, the page)
_Differs = Callable[[str, object, object, int | str], None]


def _title_page(page: PageSeen, language: str) -> bool:
    return _wording(language)["TITLE"] in page.lines


def _check_holder(
    lines: list[str],
    words: Any,
    facts: Facts,
    language: str,
    number: int,
    found: list[str],
    differs: _Differs,
) -> None:
    from digcomp_app.documents.texts import document_date

    if facts.holder is None:
        return
    start = next((i for i, line in enumerate(lines) if line.startswith(words["SURNAMES"])), None)
    if start is None:
        found.append(_("page {page}: the page shows no holder").format(page=number))
        return
    stop = next(
        (
            i
            for i in range(start + 1, len(lines))
            if re.fullmatch(r"\d+ " + re.escape(words["ISSUED_BY"]), lines[i])
        ),
        min(start + 2, len(lines)),
    )
    shown = " ".join(lines[start + 1 : stop])
    expected = [collections.Counter(facts.holder.split())]
    if facts.birth_date:
        born = document_date(dt.date.fromisoformat(facts.birth_date), language)
        with_birth = collections.Counter(f"{facts.holder} {born}".split())
        expected = [with_birth, *expected] if facts.birth_date_optional else [with_birth]
    if collections.Counter(shown.split()) not in expected:
        signed = facts.holder
        if facts.birth_date and not facts.birth_date_optional:
            signed = f"{facts.holder}, {born}"
        differs(
            N_("{source} shows the holder {shown}; the signed code says {signed}"),
            shown or "—",
            signed,
            number,
        )


def _check_issue_date(
    lines: list[str],
    words: Any,
    facts: Facts,
    language: str,
    number: int,
    found: list[str],
    differs: _Differs,
) -> None:
    from digcomp_app.documents.texts import document_date

    if facts.issued_on is None:
        return
    label = words["ISSUE_DATE"]
    line = next((line for line in lines if label in line), None)
    if line is None:
        found.append(_("page {page}: the page shows no issue date").format(page=number))
        return
    shown = line.split(label, 1)[1].strip()
    expected = _nfc(document_date(facts.issued_on, language))
    if shown != expected:
        differs(
            N_("{source} shows the issue date {shown}; the signed code says {signed}"),
            shown or "—",
            expected,
            number,
        )


_LEVEL_AT_END = re.compile(r"\s(\d{1,2})\s*[–—-]\s*([^–—\d][^–—]*)$")


def _printed_levels(
    version: Sequence[PageSeen],
    framework: Framework | None,
    signed: Mapping[str, int],
    language: str,
    found: list[str],
) -> tuple[dict[str, int], dict[str, str], dict[str, int]]:
    """{competence id: level} as printed in one language version, the level labels, and
    the page each competence is printed on. Without the framework, the competences are
    those signed and a level is read from its number ("… 4 – name")."""
    ids = {c.id for c in framework.competences()} if framework is not None else set(signed)
    labels = (
        {
            level.number: _nfc(level_label(framework, level.number, language))
            for level in framework.levels
        }
        if framework is not None
        else {}
    )
    shown: dict[str, int] = {}
    printed: dict[str, str] = {}
    printed_on: dict[str, int] = {}
    for page in version:
        for line in page.lines:
            head = line.split(" ", 1)[0]
            if head not in ids or " " not in line:
                continue
            level = next((n for n, text in labels.items() if line.endswith(" " + text)), None)
            label = labels.get(level or 0, "")
            if level is None:
                match = _LEVEL_AT_END.search(line)
                if match is None:
                    continue
                level, label = int(match.group(1)), f"{match.group(1)} – {match.group(2).strip()}"
            if head in shown and shown[head] != level:
                found.append(
                    _(
                        "page {page}: competence {competence} is printed twice, at levels {first} "
                        "and {second}"
                    ).format(page=page.number, competence=head, first=shown[head], second=level)
                )
                continue
            shown[head] = level
            printed[head] = label
            printed_on.setdefault(head, page.number)
    return shown, printed, printed_on


# --- decoding codes and serials -----------------------------------------------------------


class _Unreadable(Exception):
    pass


def _decode(text: str) -> Any:
    """The payload of a QR text (v1 ``Payload`` or v2 ``PayloadV2``), read strictly: only
    surrounding white space is ignored; anything else that is not the code → unreadable."""
    # only line ends around it: a space is one of base45's characters, even the last one
    cleaned = text.strip("\r\n\t\f\v")
    if not cleaned.rpartition("#")[2].startswith("DC2:"):
        cleaned = cleaned.strip(" ")  # a version 1 code has no space
        if any(ch.isspace() for ch in cleaned):
            raise _Unreadable
    if not cleaned or any(ch.isspace() and ch != " " for ch in cleaned):
        raise _Unreadable
    decode_any = getattr(payload_codec, "decode_any", None)
    try:
        if decode_any is not None:
            return decode_any(cleaned)
        return payload_codec.decode(cleaned)
    except (payload_codec.PayloadError, ValueError) as error:
        raise _Unreadable from error


def _is_v2(found: Any) -> bool:
    return hasattr(found, "content")


def _serial_of(found: Any) -> str:
    return str(found.content.serial) if _is_v2(found) else str(found.serial)


def _issued_on(found: Any) -> dt.date:
    issued: dt.date = found.content.issued_on if _is_v2(found) else found.issued_on
    return issued


def _serial_key(serial: str) -> str:
    return re.sub(r"[^0-9A-Z]", "", str(serial).upper())


def _looks_like_serial(text: str) -> bool:
    cleaned = text.strip().upper()
    return cleaned.startswith("DC") and ":" not in cleaned and "#" not in cleaned


def serial_problem(text: str) -> str | None:
    """None for a well-formed serial, "mistyped" (its check symbol is wrong) or "malformed"."""
    own = getattr(payload_codec, "serial_problem", None)
    if own is not None:
        problem: str | None = own(text)
        return problem
    try:
        payload_codec.serial_bytes(text)  # a version 1 serial
    except payload_codec.PayloadError:
        return "malformed"
    return None


# --- the verdict on one code --------------------------------------------------------------


def _framework_of(facts: Facts, library: FrameworkLibrary | None) -> Framework | None:
    if not facts.framework:
        return None
    return (library or builtin_library()).find(*facts.framework)


def _details(
    facts: Facts | None, snapshot: Mapping[str, Any] | None, library: FrameworkLibrary | None
) -> dict[str, Any]:
    if facts is None:
        return {}
    framework = _framework_of(facts, library)
    competences = tuple(
        VerifiedCompetence(
            competence,
            competence_label(framework, competence) if framework else competence,
            level,
            level_label(framework, level) if framework else str(level),
        )
        for competence, level in facts.competences or ()
    )
    mobility = (snapshot or {}).get("mobility") or {}
    code = facts.mobility_code or mobility.get("code", "")
    return {
        "holder": facts.holder or "",
        "issuer": facts.school or "",
        "mobility": " ".join(x for x in (code, mobility.get("title", "")) if x),
        "competences": competences,
    }


def _snapshot_matches_hash(snapshot: Mapping[str, Any], content_hash: str) -> bool:
    digest = hashlib.sha256(canonical_json(snapshot).encode("utf-8")).hexdigest()
    return digest == content_hash


def check(
    text: str,
    keys: PublicKeys,
    register: Certificate | None = None,
    register_checked: bool = False,
    snapshot: Mapping[str, Any] | None = None,
    key_fingerprints: Mapping[str, str] | None = None,
    key_sources: Mapping[str, KeySource] | None = None,
    revocations: Any = None,
    library: FrameworkLibrary | None = None,
) -> Verification:
    """The verdict on one payload text (pure: the caller looks up keys and the register).

    ``snapshot``: the PDF's attached snapshot for this code (a version 1 code's content);
    ``revocations``: a revocation list read with ``documents.revocations``; ``library``:
    the frameworks that name the competences (the built-in ones when None)."""
    try:
        found = _decode(text)
    except _Unreadable:
        return Verification(
            Verdict.INVALID,
            _(
                "NOT VALID: this is not a readable attestation code. It was changed, "
                "damaged, or it comes from something else."
            ),
        )
    version = 2 if _is_v2(found) else 1
    serial = _serial_of(found)
    source = (key_sources or {}).get(found.key_id)
    common: dict[str, Any] = {
        "serial": serial,
        "issued_on": _issued_on(found),
        "key_id": found.key_id,
        "fingerprint": (key_fingerprints or {}).get(found.key_id, ""),
        "register_checked": register_checked,
        "in_register": register is not None,
        "key_source": source,
        "code_version": version,
    }
    key = keys.get(found.key_id)
    if key is None:
        return Verification(
            Verdict.UNKNOWN_KEY,
            _(
                "UNKNOWN KEY: the attestation was signed with a key ({key}) that this "
                "computer does not know. Load the issuing school's public key file "
                "and check again."
            ).format(key=found.key_id),
            **common,
        )
    common["fingerprint"] = common["fingerprint"] or payload_codec.fingerprint_of(
        key.public_bytes_raw()
    )
    if not found.signature_matches(key):
        return Verification(
            Verdict.INVALID,
            _(
                "NOT VALID: the signature does not match. The attestation code was altered "
                "or was not made by the school that owns this key."
            ),
            **common,
        )
    facts: Facts | None = None
    data: Mapping[str, Any] | None = None
    if version == 2:
        try:
            facts = facts_of_content(found.content)
        except (AttributeError, TypeError, ValueError):
            return Verification(
                Verdict.INVALID,
                _("NOT VALID: the signed content of this code is not readable."),
                **common,
            )
        address = getattr(found, "address", "") or ""
        if address and address != (facts.address or ""):
            return Verification(
                Verdict.INVALID,
                _(
                    "NOT VALID: this code was copied under another web address ({address}) "
                    "than the one its school signed ({signed})."
                ).format(address=address, signed=facts.address or "—"),
                **common,
            )
    differences: list[str] = []
    if register is not None:
        data = json.loads(register.snapshot)
        if data.get("erased"):
            # the holder's data was erased (decision 0027): the register still answers
            # "issued / revoked" and keeps the content's hash, not the content
            data = None
            if version == 1 and register.content_hash != found.content_hash:
                return Verification(
                    Verdict.INVALID,
                    _(
                        "NOT VALID: the school's register holds different content for "
                        "certificate {serial}."
                    ).format(serial=serial),
                    **common,
                )
        elif version == 1:
            if register.content_hash != found.content_hash:
                return Verification(
                    Verdict.INVALID,
                    _(
                        "NOT VALID: the school's register holds different content for "
                        "certificate {serial}."
                    ).format(serial=serial),
                    **common,
                )
            facts = facts_of_snapshot(data)
        else:
            assert facts is not None
            differences += compare_facts(facts, facts_of_snapshot(data), SOURCE_REGISTER)
    if snapshot is not None and version == 1:
        if not _snapshot_matches_hash(snapshot, found.content_hash):
            return Verification(
                Verdict.INVALID,
                _(
                    "NOT VALID: the data inside the PDF does not match its signed code; "
                    "the file was altered."
                ),
                **common,
            )
        facts = facts or facts_of_snapshot(snapshot)
        data = data or snapshot
    elif snapshot is not None and facts is not None:
        differences += compare_facts(facts, facts_of_snapshot(snapshot), SOURCE_ATTACHMENT)
        data = data or snapshot
    details = _details(facts, data, library)
    if differences:
        return _not_valid(differences, common, details)
    return _revocation_verdict(
        found, serial, register, register_checked, revocations, common, details, facts
    )


def _not_valid(
    differences: Sequence[str], common: Mapping[str, Any], details: Mapping[str, Any]
) -> Verification:
    return Verification(
        Verdict.INVALID,
        _summary(differences),
        differences=tuple(differences),
        **common,
        **details,
    )


def _summary(differences: Sequence[str]) -> str:
    """The explanation of a NOT VALID verdict: the first difference, and how many more."""
    first = _("NOT VALID: what is shown differs from what was signed: {difference}.").format(
        difference=differences[0]
    )
    if len(differences) == 1:
        return first
    more = ngettext(
        "{count} more difference is listed below.",
        "{count} more differences are listed below.",
        len(differences) - 1,
    ).format(count=len(differences) - 1)
    return f"{first} {more}"


def _revocation_verdict(
    found: Any,
    serial: str,
    register: Certificate | None,
    register_checked: bool,
    revocations: Any,
    common: Mapping[str, Any],
    details: Mapping[str, Any],
    facts: Facts | None,
) -> Verification:
    listed = None
    issued = ""
    if revocations is not None:
        issued_at = getattr(revocations, "issued_at", None)
        issued = (
            issued_at.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
            if isinstance(issued_at, dt.datetime)
            else str(issued_at or "")
        )
        entries = {_serial_key(s): v for s, v in (revocations.entries or {}).items()}
        listed = entries.get(_serial_key(serial))
    if register is not None and register.status == "revoked":
        return Verification(
            Verdict.REVOKED,
            _("REVOKED: certificate {serial} was withdrawn by the school.").format(serial=serial),
            revoked_at=register.revoked_at,
            revoke_reason=register.revoke_reason,
            revocation_checked="register",
            **common,
            **details,
        )
    if listed is not None:
        when, reason = listed
        when_text = when.isoformat() if hasattr(when, "isoformat") else str(when)
        return Verification(
            Verdict.REVOKED,
            _(
                "REVOKED: certificate {serial} was withdrawn by the school on {date}, "
                "according to its revocation list issued {issued}."
            ).format(serial=serial, date=when_text, issued=issued),
            revoked_at=dt.datetime.combine(when, dt.time())
            if isinstance(when, dt.date) and not isinstance(when, dt.datetime)
            else when
            if isinstance(when, dt.datetime)
            else None,
            revoke_reason=str(reason),
            revocation_checked="list",
            revocation_list_issued=issued,
            **common,
            **details,
        )
    notes = []
    if facts is None:
        # a version 1 code proves a hash only: it shows nothing to compare with the paper
        notes.append(
            _(
                "This version 1 code carries only a fingerprint of the content, not the "
                "holder or the levels: check the attestation's PDF file, or ask the school."
            )
        )
    if register is not None:
        explanation = _(
            "VALID: the signature is genuine and certificate {serial} is in the school's "
            "register, not revoked."
        ).format(serial=serial)
        checked = "register"
    elif revocations is not None:
        explanation = _(
            "VALID signature; certificate {serial} is not on the school's revocation list "
            "issued {issued}."
        ).format(serial=serial, issued=issued)
        checked = "list"
    elif register_checked:
        explanation = _(
            "VALID signature, but this register has no certificate {serial}; whether it "
            "was revoked can only be checked in the issuing school's register."
        ).format(serial=serial)
        checked = ""
    else:
        explanation = _(
            "VALID signature. The school's register is not at hand, so whether the "
            "certificate was revoked was not checked."
        )
        checked = ""
    return Verification(
        Verdict.VALID,
        explanation,
        notes=tuple(notes),
        revocation_checked=checked,
        revocation_list_issued=issued if checked == "list" else "",
        **common,
        **details,
    )


@dataclass(frozen=True, slots=True)
class NamedKeyFile:
    """A key file read with ``signing.read_key_file``, with the name it was loaded from."""

    source: str
    school: str
    address: str
    exported: Any
    keys: Mapping[str, Ed25519PublicKey]


def named_key_file(key_file: Any, source: str) -> NamedKeyFile:
    return NamedKeyFile(
        source,
        str(getattr(key_file, "school", "") or ""),
        str(getattr(key_file, "address", "") or ""),
        getattr(key_file, "exported", "") or "",
        dict(key_file.keys),
    )


# --- keys and the register ----------------------------------------------------------------


def _key_sources(
    key_files: Iterable[Any],
) -> tuple[dict[str, Ed25519PublicKey], dict[str, KeySource]]:
    keys: dict[str, Ed25519PublicKey] = {}
    sources: dict[str, KeySource] = {}
    for key_file in key_files:
        exported = getattr(key_file, "exported", "") or ""
        source = KeySource(
            str(getattr(key_file, "source", "") or ""),
            str(getattr(key_file, "school", "") or ""),
            str(getattr(key_file, "address", "") or ""),
            exported.isoformat() if hasattr(exported, "isoformat") else str(exported),
        )
        for key_id, key in key_file.keys.items():
            keys[key_id] = key
            sources.setdefault(key_id, source)
    return keys, sources


@dataclass
class _Context:
    db: Database | None
    keys: dict[str, Ed25519PublicKey]
    sources: dict[str, KeySource]
    revocations: Any
    prints: dict[str, str] = field(default_factory=dict)
    #: the frameworks known here: the school's own too when its database is at hand
    library: FrameworkLibrary = field(default_factory=builtin_library)


def _context(
    db: Database | None,
    extra_keys: PublicKeys | None,
    key_files: Sequence[Any],
    revocations: Any,
) -> _Context:
    file_keys, sources = _key_sources(key_files or ())
    keys: dict[str, Ed25519PublicKey] = {**dict(extra_keys or {}), **file_keys}
    context = _Context(db, keys, sources, revocations)
    if db is not None:
        with db.transaction() as session:
            own = {key_id: key for key_id, (key, _info) in public_keys(session).items()}
            context.prints = fingerprints(session)
        context.library = library_of(db)
        keys.update(own)
        for key_id in own:  # the school's own register outranks any file
            sources.pop(key_id, None)
    return context


@service("verification.own_public_keys")
def own_public_keys(db: Database, actor: Actor | None = None) -> dict[str, Ed25519PublicKey]:
    """The school's own public keys (public: anyone may check with them)."""
    with db.transaction() as session:
        return {key_id: key for key_id, (key, _info) in public_keys(session).items()}


def _register_entry(db: Database, serial: str) -> Certificate | None:
    if not serial:
        return None
    with db.transaction() as session:
        wanted = list(dict.fromkeys((serial, payload_codec.normalise_serial(serial))))
        cert = session.scalar(select(Certificate).where(Certificate.serial.in_(wanted)))
        if cert is not None:
            session.expunge(cert)
    return cert


def _verify_code(
    context: _Context, text: str, snapshot: Mapping[str, Any] | None = None
) -> Verification:
    register = None
    if context.db is not None:
        try:
            serial = _serial_of(_decode(text))
        except _Unreadable:
            serial = ""
        register = _register_entry(context.db, serial)
    return check(
        text,
        context.keys,
        register,
        context.db is not None,
        snapshot,
        context.prints,
        context.sources,
        context.revocations,
        context.library,
    )


def _verify_serial(context: _Context, text: str) -> Verification:
    """A serial typed by hand: looked up in the register first (a version 1 serial has no
    check symbol), then checked for typing mistakes."""
    normalise = getattr(payload_codec, "normalise_serial", str.upper)
    serial = normalise(text.strip())
    cert = _register_entry(context.db, serial) if context.db is not None else None
    code = _stored_code(context.db, cert) if cert is not None and context.db else ""
    if code:
        result = _verify_code(context, code)
        return replace(
            result,
            notes=(
                *result.notes,
                _(
                    "Found by its serial number in the register: compare the details with "
                    "the paper."
                ),
            ),
        )
    problem = serial_problem(serial)
    if problem == "mistyped":
        return Verification(
            Verdict.INVALID,
            _(
                "NOT VALID: this serial is mistyped (check symbol): one of its symbols is "
                "wrong or two are swapped. Type it again from the paper."
            ),
            serial=serial,
            register_checked=context.db is not None,
        )
    if problem is not None:
        return Verification(
            Verdict.INVALID,
            _("NOT VALID: this is neither an attestation code nor a serial number."),
        )
    if context.db is None:
        return Verification(
            Verdict.UNVERIFIABLE,
            _(
                "NOT VERIFIABLE: a serial number alone can be checked only in the issuing "
                "school's register. Scan the QR code instead."
            ),
            serial=serial,
        )
    return Verification(
        Verdict.INVALID,
        _("NOT VALID: this school's register has no certificate {serial}.").format(serial=serial),
        serial=serial,
        register_checked=True,
    )


def _stored_code(db: Database, cert: Certificate) -> str:
    """The QR text the register prints for ``cert`` ("" when it was issued unsigned)."""
    from digcomp_app.services import certificates

    with db.transaction() as session:
        try:
            return certificates._info(session, session.merge(cert), {}).qr_text
        except (KeyError, ValueError, TypeError):
            return ""


@service("verification.verify_text")
def verify_text(
    db: Database | None,
    actor: Actor | None,
    text: str,
    extra_keys: PublicKeys | None = None,
    key_files: Sequence[Any] = (),
    revocations: Any = None,
) -> Verification:
    """Check the text of an attestation's QR code, or a serial typed by hand (``db`` None:
    no register at hand). ``key_files``: ``signing.read_key_file`` results to trust too."""
    context = _context(db, extra_keys, key_files, revocations)
    if _looks_like_serial(text):
        return _verify_serial(context, text)
    return _verify_code(context, text)


@service("verification.verify_pdf")
def verify_pdf(
    db: Database | None,
    actor: Actor | None,
    data: bytes,
    extra_keys: PublicKeys | None = None,
    key_files: Sequence[Any] = (),
    revocations: Any = None,
) -> list[Verification]:
    """Check every attestation printed in a PDF as a person sees it (one verdict per
    attestation, in page order, plus one per page that has no readable code)."""
    from digcomp_app.documents.attestation import embedded_records

    if not data.startswith(b"%PDF"):
        raise InvalidInput("file", _("This file is not a PDF document."))
    context = _context(db, extra_keys, key_files, revocations)
    pages = read_pages(data)
    attachment_problem = ""
    try:
        records = embedded_records(data)
    except Exception as error:
        records = []
        attachment_problem = _("the attached data cannot be read ({error})").format(error=error)
    by_code: dict[str, Any] = {}
    for record in records:
        by_code.setdefault(record.qr_text.strip(), record)
    groups: dict[str, list[PageSeen]] = {}
    results: list[tuple[int, Verification]] = []
    for page in pages:
        if not page.codes:
            results.append(
                (
                    page.number,
                    Verification(
                        Verdict.UNVERIFIABLE,
                        _(
                            "NOT VERIFIABLE: page {page} has no readable QR code, so what it shows "
                            "cannot be checked."
                        ).format(page=page.number),
                        pages=(page.number,),
                    ),
                )
            )
            continue
        if len(page.codes) > 1:
            results.append(
                (
                    page.number,
                    Verification(
                        Verdict.INVALID,
                        _(
                            "NOT VALID: page {page} carries {count} different attestation codes."
                        ).format(page=page.number, count=len(page.codes)),
                        pages=(page.number,),
                    ),
                )
            )
            continue
        groups.setdefault(page.codes[0], []).append(page)
    if not pages:
        raise InvalidInput("file", _("This PDF has no pages."))
    for code, printed in groups.items():
        results.append(
            (
                printed[0].number,
                _verify_printed(context, code, printed, by_code, records, attachment_problem),
            )
        )
    return [result for _first, result in sorted(results, key=lambda item: item[0])]


def _verify_printed(
    context: _Context,
    code: str,
    printed: Sequence[PageSeen],
    by_code: Mapping[str, Any],
    records: Sequence[Any],
    attachment_problem: str,
) -> Verification:
    numbers = tuple(p.number for p in printed)
    record = by_code.get(code.strip())
    differences: list[str] = []
    notes: list[str] = []
    if attachment_problem:
        differences.append(attachment_problem)
    elif record is None and records:
        others = ", ".join(dict.fromkeys(str(r.snapshot.get("serial", "?")) for r in records))
        differences.append(
            _(
                "the attached data belongs to another attestation ({serials}), not to the "
                "code printed on the page"
            ).format(serials=others)
        )
    elif record is None:
        notes.append(_("The PDF carries no attached data; the printed code and page were checked."))
    snapshot = dict(record.snapshot) if record is not None else None
    result = _verify_code(context, code, snapshot)
    result = replace(result, pages=numbers, notes=(*result.notes, *notes))
    if result.verdict in (Verdict.UNKNOWN_KEY,) or (
        result.verdict is Verdict.INVALID and not result.differences
    ):
        if differences:
            result = replace(result, differences=(*differences, *result.differences))
        return result
    facts = _signed_facts(context, code, snapshot)
    if facts is not None:
        differences = [*page_differences(printed, facts, context.library), *differences]
    elif not differences:
        return replace(
            result,
            verdict=Verdict.UNVERIFIABLE,
            explanation=_(
                "NOT VERIFIABLE: the code's signature is genuine, but it is a version 1 code "
                "that carries only a fingerprint of the content, and neither the PDF's "
                "attached data nor the school's register holds that content; what the pages "
                "show cannot be compared with what was signed."
            ),
        )
    if differences or result.differences:
        common = {
            name: getattr(result, name)
            for name in (
                "serial",
                "issued_on",
                "key_id",
                "fingerprint",
                "register_checked",
                "in_register",
                "key_source",
                "code_version",
                "pages",
                "notes",
                "holder",
                "issuer",
                "mobility",
                "competences",
            )
        }
        return Verification(
            Verdict.INVALID,
            _summary([*differences, *result.differences]),
            differences=(*differences, *result.differences),
            **common,
        )
    return result


def _signed_facts(context: _Context, code: str, snapshot: Mapping[str, Any] | None) -> Facts | None:
    """The content the code vouches for: its own (v2) or a snapshot with its hash (v1)."""
    found = _decode(code)
    if _is_v2(found):
        return facts_of_content(found.content)
    if context.db is not None:
        cert = _register_entry(context.db, found.serial)
        if cert is not None and cert.content_hash == found.content_hash:
            data = json.loads(cert.snapshot)
            if not data.get("erased"):  # an erased holder's content is gone (0027)
                return facts_of_snapshot(data)
    if snapshot is not None and _snapshot_matches_hash(snapshot, found.content_hash):
        return facts_of_snapshot(snapshot)
    return None
