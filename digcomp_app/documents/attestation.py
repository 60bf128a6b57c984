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
"""

from __future__ import annotations

import io
import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app import __version__
from digcomp_app.documents import archival, fonts
from digcomp_app.documents.attestation_wording import (
    ASSESSED_AGAINST,
    ASSESSOR,
    CHECK,
    COMPETENCES,
    CONTACT,
    DATE_OF_BIRTH,
    DURATION,
    EUROPASS_NUMBER,
    FOOTER_KEY,
    FOOTER_SERIAL,
    FROM_TO,
    GIVEN_NAMES,
    HOLDER,
    HOST,
    HOST_COUNTRY,
    ISSUE_DATE,
    ISSUED_BY,
    MENTOR,
    METHOD,
    MOBILITY,
    MOBILITY_CODE,
    MOBILITY_TITLE,
    OBJECTIVE,
    ORGANISATION,
    ORGANISATIONS,
    OUTCOMES,
    PAGE,
    PROGRAMME,
    SENDING,
    SERIAL,
    SIGNATURE_COORDINATOR,
    SIGNATURE_LINE,
    SIGNATURE_MENTOR,
    SUBJECT,
    SUBTITLE_MOBILITY,
    SUBTITLE_OTHER,
    SURNAMES,
    TITLE,
    UNSIGNED,
)
from digcomp_app.documents.layout import (
    WHOLE,
    Block,
    Column,
    Painter2D,
    Piece,
    Row,
    Style,
    grid_rows,
    paginate,
    spacer,
    stack_columns,
    text_rows,
    wrap,
)
from digcomp_app.documents.logo import logo_for
from digcomp_app.documents.payload import qr_address, qr_segments
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
from digcomp_app.documents.qr import draw_qr
from digcomp_app.documents.report import GREY, INK, NAVY, RULE, TINT, horizontal_line
from digcomp_app.documents.snapshot import Mobility, Organisation, Snapshot, localised_text
from digcomp_app.documents.texts import (
    competence_title,
    country_name,
    document_date,
    framework_short,
    framework_title,
    gettext_for,
    iso_date,
    level_description,
    method_name,
    outcome_text,
)
from digcomp_app.framework import Framework
from digcomp_app.framework.labels import level_label  # "4 – Intermediate", as on screen
from digcomp_app.i18n import N_, UI_LANGUAGES

#: the languages an attestation can be printed in: those of the interface
LANGUAGES = UI_LANGUAGES
#: the mobility's texts written per language (besides TITLE and OBJECTIVE of the wording)
ACTIVITIES = N_("Activities carried out")
HOST_DESCRIPTION = N_("About the host organisation")
#: under the QR code, when the school has a verification address
CHECK_AT = N_("Check this attestation at {address}")
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

# --- the page ---------------------------------------------------------------------------
PAGE_WIDTH, PAGE_HEIGHT = A4
LEFT = RIGHT = 20 * mm
TOP = 15 * mm
BOTTOM = 11 * mm
#: A version 2 code (the signed content inside, docs/attestation-format.md) is QR version
#: 12-15 at error correction M (65-77 modules plus the quiet zone): at 40 mm a module is
#: about 0.5 mm, which still scans from a page rendered at 120 dpi (2.3 pixels a module).
QR_SIZE = 40 * mm
#: The payload is compressed data and a signature (version 1: base32 of mostly random
#: bytes), so the eight QR data masks score about alike, and segno's search over them
#: (14 ms for a version 2 code, more than the rest of an attestation) buys nothing: one
#: fixed mask, the one the search picks most often for these payloads. See
#: docs/decisions/0013-attestation-rendering.md.
QR_MASK = 4
FOOTER_HEIGHT = QR_SIZE + 3 * mm
WIDTH = PAGE_WIDTH - LEFT - RIGHT
CONTENT_TOP = PAGE_HEIGHT - TOP
CONTENT_HEIGHT = CONTENT_TOP - BOTTOM - FOOTER_HEIGHT - 4 * mm

REG, BOLD, ITAL = fonts.REGULAR, fonts.BOLD, fonts.ITALIC
S_ORG = Style(BOLD, 10.5, 13.5, INK)
S_ORG_SMALL = Style(REG, 8, 10.5, GREY)
S_TITLE = Style(BOLD, 17, 21, NAVY)
S_SUBTITLE = Style(REG, 9.5, 12.5, GREY)
S_HEADING = Style(BOLD, 11, 14, NAVY)
S_LABEL = Style(REG, 7.5, 10, GREY)
S_VALUE = Style(REG, 10, 13.5, INK)
S_VALUE_BOLD = Style(BOLD, 10, 13.5, INK)
S_BODY = Style(REG, 9, 12, INK)
S_BODY_BOLD = Style(BOLD, 9, 12, INK)
S_COMPETENCE = Style(BOLD, 10, 13.5, INK)
S_LEVEL = Style(BOLD, 10, 13.5, NAVY)
S_DESCRIPTION = Style(ITAL, 8.5, 11.2, GREY)
S_SMALL = Style(REG, 8.5, 11.2, INK)
S_SMALL_BOLD = Style(BOLD, 8.5, 11.2, INK)
S_FOOT = Style(REG, 7, 9, GREY)
S_FOOT_BOLD = Style(BOLD, 7, 9, INK)
S_ATTRIBUTION = Style(REG, 6.2, 7.8, GREY)


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
        _draw_attestation(canvas, item, chosen, f"qr{number}")
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


# --- drawing ------------------------------------------------------------------------------


def _draw_attestation(
    canvas: Canvas, item: AttestationData, languages: tuple[str, ...], form: str
) -> None:
    pages = [
        (language, placed)
        for language in languages
        for placed in paginate(_Version(item, language).blocks(), CONTENT_HEIGHT)
    ]
    if item.qr_text:
        # drawn once, shown on every page
        canvas.beginForm(form)
        draw_qr(canvas, qr_segments(item.qr_text), LEFT, BOTTOM, QR_SIZE, mask=QR_MASK)
        canvas.endForm()
    painter = Painter2D(canvas)
    for index, (language, placed) in enumerate(pages):
        painter.new_page()
        painter.rows(placed, LEFT, CONTENT_TOP)
        _footer(canvas, painter, item, language, index + 1, len(pages), form)
        painter.finish_page()
        canvas.showPage()


def _footer(
    canvas: Canvas,
    painter: Painter2D,
    item: AttestationData,
    language: str,
    page: int,
    pages: int,
    form: str,
) -> None:
    _ = gettext_for(language)
    top = BOTTOM + FOOTER_HEIGHT
    canvas.setStrokeColor(RULE)
    canvas.setLineWidth(0.6)
    canvas.line(LEFT, top, LEFT + WIDTH, top)
    if item.qr_text:
        canvas.doForm(form)
        address = qr_address(item.qr_text)
        if address:  # under the code, in the bottom margin
            line_y = BOTTOM - 0.6 * mm
            for line in wrap(_(CHECK_AT).format(address=address), S_FOOT, WIDTH)[:2]:
                painter.text(LEFT, S_FOOT.baseline(line_y), S_FOOT, line)
                line_y -= S_FOOT.leading
    else:
        canvas.setStrokeColor(GREY)
        canvas.setDash(2, 2)
        canvas.rect(LEFT + 2, BOTTOM + 2, QR_SIZE - 4, QR_SIZE - 4, stroke=1, fill=0)
        canvas.setDash()
    x = LEFT + QR_SIZE + 4 * mm
    page_label = _(PAGE).format(page=page, pages=pages)
    text_width = WIDTH - QR_SIZE - 4 * mm
    y = top - 3 * mm
    painter.text(LEFT + WIDTH, S_FOOT.baseline(y), S_FOOT, page_label, "r")
    lines: list[tuple[Style, str]] = []
    first_width = text_width - S_FOOT.width(page_label) - 4 * mm
    check = _(CHECK) if item.qr_text else _(UNSIGNED)
    lines.extend((S_FOOT_BOLD, line) for line in wrap(check, S_FOOT_BOLD, first_width))
    lines.append((S_FOOT, _(FOOTER_SERIAL).format(serial=item.serial)))
    if item.key_fingerprint:
        lines.append((S_FOOT, _(FOOTER_KEY).format(fingerprint=item.key_fingerprint)))
    framework = item.framework
    lines.extend(
        (S_FOOT_BOLD, line)
        for line in wrap(framework_title(framework, language), S_FOOT_BOLD, text_width)
    )
    attribution = framework.attribution.get(language)
    lines.extend((S_ATTRIBUTION, line) for line in wrap(attribution, S_ATTRIBUTION, text_width))
    for style, line in lines:
        painter.text(x, style.baseline(y), style, line)
        y -= style.leading


class _Version:
    """The blocks of one language version of an attestation."""

    def __init__(self, item: AttestationData, language: str) -> None:
        self.item = item
        self.snapshot = item.data
        self.framework = item.framework
        self.language = language
        self._ = gettext_for(language)

    def blocks(self) -> list[Block]:
        mobility = self.snapshot.mobility
        sections: list[Callable[[], list[Row]]] = [self.holder, self.issued_by]
        if mobility:
            sections += [self.organisations, self.mobility]
        blocks = [Block(self.header(), keep=WHOLE)]
        for number, section in enumerate(sections, start=1):
            title = {
                self.holder: HOLDER,
                self.issued_by: ISSUED_BY,
                self.organisations: ORGANISATIONS,
                self.mobility: MOBILITY,
            }[section]
            rows = self.heading(number, self._(title)) + section()
            blocks.append(Block(rows, keep=len(rows), space_before=9))
        competences = self.competences(len(sections) + 1)
        # The signatures never stand alone on a page: they go with the last competence.
        last = competences[-1]
        last.rows += [spacer(16), *self.signatures()]
        last.keep = len(last.rows)
        blocks.extend(competences)
        return blocks

    # -- pieces --------------------------------------------------------------------------

    def header(self) -> list[Row]:
        issuer = self.snapshot.issuer
        logo = logo_for(self.item.logo)
        text_x = 0.0
        rows: list[Row] = []
        if logo is not None:
            width, height = logo.box
            text_x = width + 5 * mm
        org_rows = text_rows(issuer.name, S_ORG, WIDTH - text_x, text_x)
        address = _address(issuer, self.language)
        if address:
            org_rows += text_rows(address, S_ORG_SMALL, WIDTH - text_x, text_x)
        if logo is not None:
            height = logo.box[1]
            text_height = sum(r.height for r in org_rows)
            if text_height < height:
                # centre the organisation's name beside the logo
                shift = (height - text_height) / 2
                org_rows.insert(0, spacer(shift))
                org_rows.append(spacer(height - text_height - shift))
            org_rows[0].painters.append(logo.painter)
        rows += org_rows
        rows.append(spacer(7 * mm))
        rows += text_rows(self._(TITLE), S_TITLE, WIDTH)
        subtitle = SUBTITLE_MOBILITY if self.snapshot.mobility else SUBTITLE_OTHER
        rows += text_rows(self._(subtitle), S_SUBTITLE, WIDTH)
        rule = spacer(4 * mm)
        rule.painters.append(horizontal_line(NAVY, 1.2, WIDTH, -2.5 * mm))
        rows.append(rule)
        return rows

    def _mobility(self) -> Mobility:
        mobility = self.snapshot.mobility
        assert mobility is not None  # the mobility's sections are drawn only when it has one
        return mobility

    def heading(self, number: int, title: str) -> list[Row]:
        row = Row(S_HEADING.leading + 6, [Piece(8, S_HEADING, f"{number}", dy=3)])
        row.pieces.append(Piece(24, S_HEADING, title, dy=3))
        row.painters.append(_band(S_HEADING.leading + 5))
        return [row, spacer(3)]

    def cell(self, label: str, value: str, width: float, style: Style = S_VALUE) -> list[Row]:
        rows = text_rows(label, S_LABEL, width)
        rows += text_rows(value or "—", style, width)
        return rows

    def holder(self) -> list[Row]:
        holder = self.snapshot.holder
        cells = [(SURNAMES, holder.surname), (GIVEN_NAMES, holder.given_names)]
        born = iso_date(holder.date_of_birth)
        if self.item.prints_birth_date and born:
            cells.append((DATE_OF_BIRTH, document_date(born, self.language)))
        column = WIDTH / 3
        return stack_columns(
            [
                (i * column, self.cell(self._(label), value, column - 4 * mm, S_VALUE_BOLD))
                for i, (label, value) in enumerate(cells)
            ]
        )

    def issued_by(self) -> list[Row]:
        issuer = self.snapshot.issuer
        half = WIDTH / 2
        org = text_rows(self._(ORGANISATION), S_LABEL, half - 4 * mm)
        org += text_rows(issuer.name or "—", S_VALUE_BOLD, half - 4 * mm)
        org += text_rows(_address(issuer, self.language), S_SMALL, half - 4 * mm)
        if issuer.signatory_name:
            signatory = ", ".join(p for p in (issuer.signatory_name, issuer.signatory_role) if p)
            org += text_rows(signatory, S_SMALL, half - 4 * mm)
        issued = iso_date(self.snapshot.issued_on or self.snapshot.issued_at)
        fields = [
            (SERIAL, self.item.serial),
            (ISSUE_DATE, document_date(issued, self.language) if issued else ""),
        ]
        number = self.snapshot.mobility.europass_number if self.snapshot.mobility else ""
        if number:  # only the number the National Europass Centre gave; never made up
            fields.append((EUROPASS_NUMBER, number))
        label_width = 34 * mm
        right: list[Row] = []
        for label, value in fields:
            right += grid_rows(
                [
                    Column(0, label_width - 3 * mm, S_LABEL, self._(label)),
                    Column(label_width, half - label_width, S_VALUE, value or "—"),
                ]
            )
            right.append(spacer(3))
        return stack_columns([(0, org), (half, right)])

    def organisations(self) -> list[Row]:
        mobility = self._mobility()
        half = WIDTH / 2
        width = half - 5 * mm
        columns = []
        for x, label, org, extra in (
            (0.0, SENDING, mobility.sending, ""),
            (half, HOST, mobility.host, mobility.host_mentor),
        ):
            rows = text_rows(self._(label), S_LABEL, width)
            rows += text_rows(org.name or "—", S_VALUE_BOLD, width)
            rows += text_rows(_address(org, self.language), S_SMALL, width)
            if org.contact_person:
                rows += text_rows(self._(CONTACT).format(name=org.contact_person), S_SMALL, width)
            if extra:
                rows += text_rows(self._(MENTOR).format(name=extra), S_SMALL_BOLD, width)
            columns.append((x, rows))
        return stack_columns(columns)

    def mobility(self) -> list[Row]:
        mobility = self._mobility()
        start, end = iso_date(mobility.start_date), iso_date(mobility.end_date)
        duration = ""
        if start and end:
            duration = self._(FROM_TO).format(
                start=document_date(start, self.language), end=document_date(end, self.language)
            )
        fields = [
            (MOBILITY_TITLE, mobility.text("title", self.language)),
            (OBJECTIVE, mobility.text("objective", self.language)),
            (ACTIVITIES, mobility.text("activities", self.language)),
            (HOST_DESCRIPTION, mobility.text("host_description", self.language)),
            (PROGRAMME, mobility.programme),
            (HOST_COUNTRY, country_name(mobility.host_country, self.language)),
            (DURATION, duration),
            (MOBILITY_CODE, mobility.code),
        ]
        label_width = 42 * mm
        rows: list[Row] = []
        for label, value in fields:
            if not value:
                continue
            rows += grid_rows(
                [
                    Column(0, label_width - 3 * mm, S_LABEL, self._(label)),
                    Column(label_width, WIDTH - label_width, S_BODY, value),
                ]
            )
            rows.append(spacer(2))
        return rows

    def competences(self, number: int) -> list[Block]:
        framework, language = self.framework, self.language
        top = max((level.number for level in framework.levels), default=8)
        intro = self.heading(number, self._(COMPETENCES))
        intro += text_rows(
            self._(ASSESSED_AGAINST).format(framework=framework_short(framework), top=top),
            S_SMALL,
            WIDTH,
        )
        blocks: list[Block] = []
        level_width = 52 * mm
        title_width = WIDTH - level_width - 4 * mm
        # The codes' column: 9 mm holds DigComp's "4.2"; a longer code of a school's own
        # framework widens it (up to 40 mm) rather than breaking the code over lines.
        code_width = min(
            max(
                [
                    9 * mm,
                    *(S_COMPETENCE.width(e.competence) + 1 * mm for e in self.snapshot.competences),
                ]
            ),
            40 * mm,
        )
        indent = code_width + 2 * mm
        for index, entry in enumerate(self.snapshot.competences):
            cid, level = entry.competence, entry.level
            rows = grid_rows(
                [
                    Column(0, code_width, S_COMPETENCE, cid),
                    Column(
                        indent,
                        title_width - indent,
                        S_COMPETENCE,
                        competence_title(framework, cid, language),
                    ),
                    Column(
                        WIDTH - level_width,
                        level_width,
                        S_LEVEL,
                        level_label(framework, level, language),
                        "r",
                    ),
                ]
            )
            description = level_description(framework, level, language)
            if description:
                rows += text_rows(description, S_DESCRIPTION, WIDTH - indent, indent)
            assessed = iso_date(entry.assessed_on)
            rows.append(spacer(2))
            method = self._(METHOD).format(method=method_name(entry.method, language))
            assessor = self._(ASSESSOR).format(
                name=entry.assessor or "—",
                date=document_date(assessed, language) if assessed else "—",
            )
            rows += text_rows(f"{method}   ·   {assessor}", S_SMALL, WIDTH - indent, indent)
            outcomes = [outcome_text(framework, cid, o, language) for o in entry.outcomes]
            if outcomes:
                rows.append(spacer(2))
                rows += text_rows(self._(OUTCOMES), S_SMALL_BOLD, WIDTH - indent, indent)
                for text in outcomes:
                    rows += _bullet_rows(text, S_SMALL, indent, WIDTH - indent)
            if index == 0:
                rows = [*intro, spacer(5), *rows]
            else:
                separator = Row(7, collapsible=True)
                separator.painters.append(horizontal_line(RULE, 0.5, WIDTH, -3.5))
                rows = [separator, *rows]
            # A competence stays in one piece unless it is longer than a page.
            blocks.append(Block(rows, keep=len(rows), space_before=9 if index == 0 else 0))
        if not blocks:
            blocks.append(Block(intro, keep=len(intro), space_before=9))
        return blocks

    def signatures(self) -> list[Row]:
        mobility = self.snapshot.mobility
        half = WIDTH / 2
        width = half - 10 * mm
        people = []
        if mobility:
            people.append((SIGNATURE_MENTOR, mobility.host_mentor, mobility.host.name))
        people.append((SIGNATURE_COORDINATOR, self.snapshot.issued_by, self.snapshot.issuer.name))
        columns = []
        for i, (role, name, organisation) in enumerate(people):
            rows = text_rows(self._(role), S_LABEL, width)
            line = spacer(13 * mm)
            line.painters.append(horizontal_line(INK, 0.6, width, -13 * mm + 2))
            rows.append(line)
            rows += text_rows(name or " ", S_SMALL_BOLD, width)
            rows += text_rows(organisation, S_SMALL, width)
            rows += text_rows(self._(SIGNATURE_LINE), S_LABEL, width)
            columns.append((i * half, rows))
        return stack_columns(columns)


def _address(org: Organisation, language: str) -> str:
    parts = (org.address, country_name(org.country, language))
    return ", ".join(p for p in parts if p)


def _bullet_rows(text: str, style: Style, x: float, width: float) -> list[Row]:
    indent = 4 * mm
    rows = text_rows(text, style, width - indent, x + indent)
    if rows:
        rows[0].pieces.append(Piece(x + 1, style, "•"))
    return rows


def _band(height: float) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setFillColor(TINT)
        canvas.rect(left, top - height, WIDTH, height, stroke=0, fill=1)
        canvas.setFillColor(NAVY)
        canvas.rect(left, top - height, 2.2, height, stroke=0, fill=1)

    return paint
