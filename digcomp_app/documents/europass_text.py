"""The digital-skills text for the official Europass Mobility document.

Schools fill the official Europass Mobility document too; its "skills and competences
acquired" part takes free text. This writes that text from a certificate's snapshot, in
Latvian or English, so nobody retypes it: a sentence introducing the framework, then one
line per competence (code and title, the level reached with its band, how it was
assessed), then where the detailed, verifiable attestation is found.

A certificate issued since mobility texts are kept per language (its snapshot's mobility
has "texts") starts with the mobility's title, objective, activities and host
organisation, in the text's language (the other language's where its own is empty). The
text of an older certificate stays as it was.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from digcomp_app.documents.attestation import mobility_text
from digcomp_app.documents.texts import (
    competence_title,
    framework_short,
    gettext_for,
    level_name,
    method_name,
)
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_

INTRO = N_(
    "Digital competences assessed against the European Digital Competence Framework "
    "({framework}, proficiency levels 1 to {top}):"
)
LINE = N_("{code} {title}: level {number} ({band}), assessed by {method}.")
LINE_NO_BAND = N_("{code} {title}: level {number}, assessed by {method}.")
MOBILITY_LINES = (
    ("title", N_("Learning mobility: {text}")),
    ("objective", N_("Objective: {text}")),
    ("activities", N_("Activities carried out: {text}")),
    ("host_description", N_("Host organisation: {text}")),
)
CLOSING = N_(
    "The levels are attested in detail, with the learning outcomes shown, in the "
    "attestation {serial} issued by {organisation}, which can be verified with its QR code."
)


def europass_text(snapshot: Mapping[str, Any], framework: Framework, language: str) -> str:
    """The text, lines separated by newlines, ready to paste."""
    _ = gettext_for(language)
    top = max((level.number for level in framework.levels), default=8)
    lines = []
    mobility = snapshot.get("mobility") or {}
    if mobility.get("texts"):
        for name, line in MOBILITY_LINES:
            text = " ".join(mobility_text(mobility, name, language).split())
            if text:
                lines.append(_(line).format(text=text))
    lines.append(_(INTRO).format(framework=framework_short(framework), top=top))
    for entry in snapshot.get("competences") or ():
        code = str(entry.get("competence", ""))
        number = int(entry.get("level", 0))
        band = level_name(framework, number, language)
        method = method_name(str(entry.get("method", "")), language)
        values = {
            "code": code,
            "title": competence_title(framework, code, language) or code,
            "number": number,
            "band": band.lower() if language == "lv" else band,
            "method": method[:1].lower() + method[1:],
        }
        lines.append("- " + _(LINE if band else LINE_NO_BAND).format(**values))
    organisation = (snapshot.get("issuer") or {}).get("name", "")
    lines.append(
        _(CLOSING).format(serial=snapshot.get("serial", ""), organisation=organisation).strip()
    )
    return "\n".join(lines)
