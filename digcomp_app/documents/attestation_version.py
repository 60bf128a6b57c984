"""One language version of an attestation as blocks of rows: the header, the holder, who
issued it, the organisations, the mobility, the competences and the signature lines."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents.attestation_layout import (
    S_BODY,
    S_COMPETENCE,
    S_DESCRIPTION,
    S_HEADING,
    S_LABEL,
    S_LEVEL,
    S_ORG,
    S_ORG_SMALL,
    S_SMALL,
    S_SMALL_BOLD,
    S_SUBTITLE,
    S_TITLE,
    S_VALUE,
    S_VALUE_BOLD,
    WIDTH,
)
from digcomp_app.documents.attestation_wording import (
    ACTIVITIES,
    ASSESSED_AGAINST,
    ASSESSOR,
    COMPETENCES,
    CONTACT,
    DATE_OF_BIRTH,
    DURATION,
    EUROPASS_NUMBER,
    FROM_TO,
    GIVEN_NAMES,
    HOLDER,
    HOST,
    HOST_COUNTRY,
    HOST_DESCRIPTION,
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
    PROGRAMME,
    SENDING,
    SERIAL,
    SIGNATURE_COORDINATOR,
    SIGNATURE_LINE,
    SIGNATURE_MENTOR,
    SUBTITLE_MOBILITY,
    SUBTITLE_OTHER,
    SURNAMES,
    TITLE,
)
from digcomp_app.documents.layout import (
    WHOLE,
    Block,
    Column,
    Piece,
    Row,
    Style,
    grid_rows,
    spacer,
    stack_columns,
    text_rows,
)
from digcomp_app.documents.logo import logo_for
from digcomp_app.documents.report import INK, NAVY, RULE, TINT, horizontal_line
from digcomp_app.documents.snapshot import Mobility, Organisation
from digcomp_app.documents.texts import (
    competence_title,
    country_name,
    document_date,
    framework_short,
    gettext_for,
    iso_date,
    level_description,
    method_name,
    outcome_text,
)
from digcomp_app.framework.labels import level_label  # "4 – Intermediate", as on screen

if TYPE_CHECKING:
    from digcomp_app.documents.attestation import AttestationData


class LanguageVersion:
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
