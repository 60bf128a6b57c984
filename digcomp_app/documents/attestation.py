"""The attestation of digital competences: an A4 PDF in the structure of the Europass
Mobility document, drawn from a certificate's frozen snapshot.

1. the holder; 2. who issued it (organisation, serial, date, the official Europass
Mobility number when the National Europass Centre gave one); 3. the sending and host
organisations; 4. the mobility; 5. the digital competences acquired, with the level
reached, what it means, how it was assessed and the learning outcomes shown; signature
lines. Every page's footer carries the framework and its attribution, the verification
QR code, the serial, the signing key's fingerprint and the page number.

Printed in Latvian, English, or both: a bilingual attestation is the Latvian version
followed by the English one (each complete, starting on a new page), under one serial
and one QR code. See docs/decisions/0013-attestation-rendering.md.

Here: what an attestation shows (:class:`AttestationData`), the records its PDF carries,
its file name and metadata. The pages are drawn by :mod:`.attestation_pages`, one language
version by :mod:`.attestation_version`, on the page of :mod:`.attestation_layout`.
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.pdfgen.canvas import Canvas

from digcomp_app import __version__
from digcomp_app.documents import archival, fonts
from digcomp_app.documents.attestation_pages import draw_attestation
from digcomp_app.documents.attestation_wording import SUBJECT, TITLE
from digcomp_app.documents.pdf_data import (
    ATTACHMENT_DESCRIPTION,
    ATTACHMENT_NAME,
    PRINTED_FORMAT,
    EmbeddedDataError,
    EmbeddedRecord,
    Metadata,
    apply_metadata,
    attach_file,
    embedded_records,
    records_json,
    signs_snapshot_hash,
)
from digcomp_app.documents.snapshot import Mobility, Organisation, Snapshot, localised_text
from digcomp_app.documents.texts import framework_short, gettext_for, iso_date
from digcomp_app.framework import Framework
from digcomp_app.i18n import UI_LANGUAGES

#: the languages an attestation can be printed in: those of the interface
LANGUAGES = UI_LANGUAGES
#: readers of printed attestations find their data here too
__all__ = [
    "AttestationData",
    "EmbeddedDataError",
    "EmbeddedRecord",
    "embedded_records",
    "file_name",
    "localised_text",
    "render_attestation",
    "render_attestations",
]


@dataclass(frozen=True, slots=True)
class AttestationData:
    """What one attestation shows: the certificate's frozen snapshot (see
    ``services.certificates.build_snapshot``), its framework, and how it is verified.

    ``snapshot`` is the register's JSON as it was signed (a version 1 PDF carries it
    whole); ``data`` is that snapshot read once (``Snapshot.from_json``), which the
    drawing reads."""

    snapshot: Mapping[str, Any]
    framework: Framework
    qr_text: str  # the signed payload; "" when not signed (a preview)
    key_fingerprint: str
    logo: bytes | None = None
    show_birth_date: bool = False
    data: Snapshot = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "data", Snapshot.from_json(self.snapshot))

    @property
    def serial(self) -> str:
        return self.data.serial

    @property
    def prints_birth_date(self) -> bool:
        """A version 2 attestation prints the date of birth as its code signed it (the
        school's choice when it was issued); older ones follow the school's choice now."""
        signed = self.data.prints_birth_date_signed
        return self.show_birth_date if signed is None else signed

    @property
    def holder(self) -> str:
        return self.data.holder.name


def mobility_text(mobility: Mapping[str, Any] | Mobility, name: str, language: str) -> str:
    """A text of a snapshot's mobility ("title", "objective", "activities",
    "host_description") in ``language``, else in the other language (``Mobility.text``)."""
    if not isinstance(mobility, Mobility):
        mobility = Mobility.from_json(mobility)
    return mobility.text(name, language)


def check_languages(languages: Sequence[str]) -> tuple[str, ...]:
    chosen = tuple(languages)
    if not chosen or len(set(chosen)) != len(chosen) or not set(chosen) <= set(LANGUAGES):
        raise ValueError(f"languages must be some of {', '.join(LANGUAGES)}, not {languages!r}")
    return chosen


def render_attestations(
    items: Sequence[AttestationData],
    languages: Sequence[str],
    metadata: Metadata | None = None,
) -> bytes:
    """One PDF with every attestation of ``items`` (each starting on a new page, with its
    own page numbering) and their data attached (``digcomp-attestations.json``)."""
    chosen = check_languages(languages)
    if not items:
        raise ValueError("nothing to render")
    fonts.register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(
        buffer,
        pagesize=A4,
        pageCompression=1,
        lang=chosen[0],
        initialFontName=fonts.REGULAR,  # type: ignore[arg-type]  # the stubs say float: a name
        initialFontSize=10,
    )
    apply_metadata(canvas, metadata or attestation_metadata(items[0], chosen))
    for number, item in enumerate(items):
        draw_attestation(canvas, item, chosen, f"qr{number}")
    records = [embedded_record(item, chosen) for item in items]
    attach_file(canvas, ATTACHMENT_NAME, records_json(records), ATTACHMENT_DESCRIPTION)
    canvas.save()
    # PDF/A-3b: XMP, output intent, associated file, subset tags (docs/decisions/0022)
    return archival.finish(buffer.getvalue())


def embedded_record(item: AttestationData, languages: Sequence[str]) -> EmbeddedRecord:
    """What the PDF carries for ``item``: its printed record, or, for a version 1 code
    (which signs only the snapshot's hash), the whole snapshot (see ``pdf_data``)."""
    if signs_snapshot_hash(item.qr_text):
        return EmbeddedRecord(item.qr_text, item.snapshot)
    return EmbeddedRecord(item.qr_text, printed_record(item, languages), printed=True)


def printed_record(item: AttestationData, languages: Sequence[str]) -> dict[str, Any]:
    """The snapshot reduced to what the attestation prints in ``languages``: the same keys
    as the snapshot (so a reader of snapshots reads it), without teacher comments, target
    levels or the case number, the date of birth only when printed, the mobility's texts
    as printed in each language."""
    data = item.data
    holder = data.holder
    printed_holder = {"given_names": holder.given_names, "surname": holder.surname}
    if item.prints_birth_date and iso_date(holder.date_of_birth):
        printed_holder["date_of_birth"] = holder.date_of_birth or ""
    issuer = _printed_organisation(data.issuer, signatory=True)
    if data.address:
        issuer["verification_address"] = data.address
    record: dict[str, Any] = {
        "format": PRINTED_FORMAT,
        "languages": list(languages),
        "serial": data.serial,
        "issued_on": data.issue_date,
        "issued_by": data.issued_by,
        "holder": printed_holder,
        "issuer": issuer,
        "framework": {"id": data.framework_id, "version": data.framework_version},
        "mobility": None,
        "competences": [
            {
                "competence": entry.competence,
                "level": entry.level,
                "method": entry.method,
                "assessor": entry.assessor,
                "assessed_on": entry.assessed_on,
                "outcomes": list(entry.outcomes),
            }
            for entry in data.competences
        ],
    }
    mobility = data.mobility
    if mobility:
        texts = {
            language: {
                name: mobility.text(name, language)
                for name in ("title", "objective", "activities", "host_description")
            }
            for language in languages
        }
        first = texts[languages[0]] if languages else {}
        record["mobility"] = {
            "code": mobility.code,
            "title": first.get("title", ""),
            "objective": first.get("objective", ""),
            "texts": texts,
            "programme": mobility.programme,
            "host_country": mobility.host_country,
            "start_date": mobility.start_date,
            "end_date": mobility.end_date,
            "host_mentor": mobility.host_mentor,
            "sending": _printed_organisation(mobility.sending),
            "host": _printed_organisation(mobility.host),
            "europass_number": mobility.europass_number,
        }
    return record


def _printed_organisation(org: Organisation, signatory: bool = False) -> dict[str, str]:
    """An organisation as the attestation prints it: the issuer with its signatory, the
    sending and host organisations with their contact person."""
    printed = {"name": org.name, "address": org.address, "country": org.country}
    if signatory:
        printed |= {"signatory_name": org.signatory_name, "signatory_role": org.signatory_role}
    else:
        printed["contact_person"] = org.contact_person
    return printed


def verification_address(snapshot: Mapping[str, Any] | Snapshot) -> str:
    """The school's verification address frozen in the snapshot ("" in snapshots made
    before schools had one)."""
    if not isinstance(snapshot, Snapshot):
        snapshot = Snapshot.from_json(snapshot)
    return snapshot.address


def render_attestation(item: AttestationData, languages: Sequence[str]) -> bytes:
    return render_attestations([item], languages)


def attestation_metadata(item: AttestationData, languages: Sequence[str]) -> Metadata:
    titles = " / ".join(gettext_for(lang)(TITLE) for lang in languages)
    first = languages[0]
    issuer = item.data.issuer.name
    subject = gettext_for(first)(SUBJECT).format(
        framework=framework_short(item.framework), serial=item.serial
    )
    return Metadata(
        title=f"{titles} — {item.holder}",
        author=issuer,
        subject=subject,
        language=first,
        creator=f"digcomp-app {__version__}",
        keywords=f"DigComp, Europass Mobility, {item.serial}",
    )


def file_name(snapshot: Mapping[str, Any] | Snapshot, languages: Sequence[str] = ()) -> str:
    """A file name safe everywhere: serial, holder in ASCII and the languages, e.g.
    ``DC-ABCD-EFGH-IJKL-MNOP_Eriks-Snore_lv-en.pdf``."""
    if not isinstance(snapshot, Snapshot):
        snapshot = Snapshot.from_json(snapshot)
    holder = snapshot.holder
    name = ascii_name(f"{holder.given_names} {holder.surname}")
    serial = re.sub(r"[^A-Za-z0-9-]", "", snapshot.serial) or "attestation"
    parts = [serial, name, "-".join(languages)]
    return "_".join(p for p in parts if p) + ".pdf"


_NO_DECOMPOSITION = str.maketrans(
    {"ß": "ss", "Æ": "AE", "æ": "ae", "Ø": "O", "ø": "o", "Ł": "L", "ł": "l", "Đ": "D", "đ": "d"}
)


def ascii_name(text: str) -> str:
    """ "Ēriks Šņore" -> "Eriks-Snore" (letters without a plain form are dropped)."""
    plain = unicodedata.normalize("NFKD", text.translate(_NO_DECOMPOSITION))
    plain = plain.encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Za-z0-9]+", "-", plain).strip("-")[:60]
