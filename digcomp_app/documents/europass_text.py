"""The digital-skills text for the official Europass Mobility document.

Schools fill the official Europass Mobility document too; its "skills and competences
acquired" part takes free text. This writes that text from a certificate's snapshot, in
Latvian or English, so nobody retypes it: a sentence introducing the framework, then one
line per competence (code and title, the level reached with its band, how it was
assessed) followed by the learning outcomes attested for it (the framework's texts, in
the text's language), then the attestation that has the details and the address where it
is verified (the school's verification page; "its QR code" for a certificate issued before
schools had one).

Latvian: no sentence puts a name where Latvian would decline it or make a participle agree
with it ("X ir izdevusi/izdevis" depends on the name's gender): names and dates stand after
a label ("Izdevējs: …", "Izdošanas datums: …").

A certificate issued since mobility texts are kept per language (its snapshot's mobility
has "texts") starts with the mobility's title, objective, activities and host
organisation, in the text's language (the other language's where its own is empty). The
text of an older certificate stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from digcomp_app.documents.snapshot import Snapshot
from digcomp_app.documents.texts import (
    competence_title,
    document_date,
    framework_short,
    gettext_for,
    iso_date,
    level_name,
    method_name,
    outcome_text,
)
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_

INTRO = N_(
    "Digital competences assessed against the European Digital Competence Framework "
    "({framework}, proficiency levels 1 to {top}):"
)
#: languages that write a level's band name in lower case inside a sentence
LOWER_CASE_BANDS = frozenset({"lv", "nl"})
LINE = N_("{code} {title}: level {number} ({band}), assessed by {method}.")
LINE_NO_BAND = N_("{code} {title}: level {number}, assessed by {method}.")
MOBILITY_LINES = (
    ("title", N_("Learning mobility: {text}")),
    ("objective", N_("Objective: {text}")),
    ("activities", N_("Activities carried out: {text}")),
    ("host_description", N_("Host organisation: {text}")),
)
OUTCOMES = N_("Learning outcomes attested:")
DETAILS = N_("The levels and learning outcomes are attested in detail in the attestation {serial}.")
ISSUER = N_("Issued by: {organisation}.")
ISSUE_DATE = N_("Date of issue: {date}.")
#: no full stop after the address: a reader copying it must not copy one with it
VERIFY_AT = N_("Verify the attestation at {address}")
VERIFY_QR = N_("The attestation can be verified with its QR code.")


def europass_text(
    snapshot: Mapping[str, Any] | Snapshot, framework: Framework, language: str
) -> str:
    """The text, lines separated by newlines, ready to paste."""
    if not isinstance(snapshot, Snapshot):
        snapshot = Snapshot.from_json(snapshot)
    _ = gettext_for(language)
    top = max((level.number for level in framework.levels), default=8)
    lines = []
    mobility = snapshot.mobility
    if mobility is not None and mobility.texts:
        for name, line in MOBILITY_LINES:
            text = " ".join(mobility.text(name, language).split())
            if text:
                lines.append(_(line).format(text=text))
    lines.append(_(INTRO).format(framework=framework_short(framework), top=top))
    for entry in snapshot.competences:
        code, number = entry.competence, entry.level
        band = level_name(framework, number, language)
        method = method_name(entry.method, language)
        values = {
            "code": code,
            "title": competence_title(framework, code, language) or code,
            "number": number,
            "band": band.lower() if language in LOWER_CASE_BANDS else band,
            "method": method[:1].lower() + method[1:],
        }
        lines.append("- " + _(LINE if band else LINE_NO_BAND).format(**values))
        outcomes = [
            " ".join(outcome_text(framework, code, o, language).split()) for o in entry.outcomes
        ]
        if outcomes:
            lines.append("  " + _(OUTCOMES))
            lines.extend(f"  – {text}" for text in outcomes)
    organisation = snapshot.issuer.name.strip()
    closing = [_(DETAILS).format(serial=snapshot.serial)]
    if organisation:
        closing.append(_(ISSUER).format(organisation=organisation))
    issued = iso_date(snapshot.issued_on or snapshot.issued_at)
    if issued:
        closing.append(_(ISSUE_DATE).format(date=document_date(issued, language)))
    lines.append(" ".join(closing))
    address = snapshot.address
    lines.append(_(VERIFY_AT).format(address=address) if address else _(VERIFY_QR))
    return "\n".join(lines)
