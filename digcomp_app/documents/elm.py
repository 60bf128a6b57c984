"""A certificate as a European Digital Credential: ELM 3 JSON-LD, not sealed.

The school seals the file in the European Commission's EDC issuer with its eIDAS seal
(``docs/digital-credentials-edc.md``); this module only writes the credential, from the
certificate's frozen snapshot and its framework. The shape follows the ELM 3 samples
(``credentialProfiles`` Generic, ``credentialSchema`` the EDC generic full SHACL shapes):

- the learner (``credentialSubject``, a Person) has one claim, a ``LearningAchievement``
  "digital competences (framework)", awarded by the school on the issue date;
- it is specified by a ``LearningAchievementSpecification`` whose learning outcomes are
  the assessed competences (with the level reached and the framework's ESCO link when
  the framework has one) and the framework's learning outcomes attested for them;
- it is proven by one ``LearningAssessment`` per competence (the level as the grade,
  the method, the date);
- it was influenced by the mobility as a ``LearningActivity``: its title and objective,
  the period, the host organisation (``directedBy``) and the host country.

Texts are language maps with every language of ``LANGUAGES`` that has a text of its own
(the framework's and the mobility's translations; no language is filled with another's
text). The display page the EDC wallet shows is a small PNG per language drawn here.
"""

from __future__ import annotations

import base64
import datetime as dt
import io
import json
import struct
import uuid
import zlib
from collections.abc import Mapping, Sequence
from typing import Any

from digcomp_app.documents.snapshot import (
    Assessment,
    Holder,
    Mobility,
    Organisation,
    Snapshot,
    SnapshotError,
)
from digcomp_app.documents.texts import (
    framework_short,
    gettext_for,
    level_name,
    method_name,
)
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_

#: the languages written, in this order, where a text exists in them
LANGUAGES = ("lv", "en", "nl")
CONTEXT = [
    "https://www.w3.org/2018/credentials/v1",
    "http://data.europa.eu/snb/model/context/edc-ap",
]
SCHEMA = "http://data.europa.eu/snb/model/ap/edc-generic-full"
_AUTHORITY = "http://publications.europa.eu/resource/authority/"
_SNB = "http://data.europa.eu/snb/"
_LANGUAGE_CODES = {"lv": "LAV", "en": "ENG", "nl": "NLD"}
#: ISO 3166-1 alpha-2 to the EU country authority's codes (alpha-3) for the countries a
#: school sends learners to; any other code is written as the EU's "unknown" country
COUNTRIES = {
    "AT": "AUT", "BE": "BEL", "BG": "BGR", "CH": "CHE", "CY": "CYP", "CZ": "CZE",
    "DE": "DEU", "DK": "DNK", "EE": "EST", "ES": "ESP", "FI": "FIN", "FR": "FRA",
    "GB": "GBR", "GR": "GRC", "HR": "HRV", "HU": "HUN", "IE": "IRL", "IS": "ISL",
    "IT": "ITA", "LI": "LIE", "LT": "LTU", "LU": "LUX", "LV": "LVA", "MK": "MKD",
    "MT": "MLT", "NL": "NLD", "NO": "NOR", "PL": "POL", "PT": "PRT", "RO": "ROU",
    "RS": "SRB", "SE": "SWE", "SI": "SVN", "SK": "SVK", "TR": "TUR", "UA": "UKR",
    "AL": "ALB", "BA": "BIH", "ME": "MNE", "MD": "MDA", "GE": "GEO", "AM": "ARM",
}  # fmt: skip

ACHIEVEMENT_TITLE = N_("Digital competences ({framework})")
ACHIEVEMENT_DESCRIPTION = N_(
    "Digital competences assessed against the European Digital Competence Framework "
    "({framework}) and certified by the school in the attestation {serial}."
)
OUTCOME_TITLE = N_("{code} {title}: level {number} ({level})")
ASSESSMENT_TITLE = N_("Assessment of {code} {title}")
GRADE = N_("Level {number} of {top} ({level})")
METHOD = N_("Assessed by {method}")
ACTIVITY_TITLE = N_("Learning mobility")
SERIAL_SCHEME = N_("Attestation serial number")


class ElmError(ValueError):
    """The snapshot lacks something an EDC credential must have."""


def credential_id(snapshot: Snapshot | Mapping[str, Any]) -> str:
    """The credential's stable URN: the same certificate always gets the same id."""
    serial = snapshot.serial if isinstance(snapshot, Snapshot) else str(snapshot["serial"])
    return f"urn:credential:{uuid.uuid5(uuid.NAMESPACE_URL, 'digcomp-app:' + serial)}"


def _read(snapshot: Snapshot | Mapping[str, Any]) -> Snapshot:
    if isinstance(snapshot, Snapshot):
        return snapshot
    try:
        return Snapshot.from_json(snapshot)
    except SnapshotError as error:
        raise ElmError(str(error)) from None


def edc_credential(
    given: Snapshot | Mapping[str, Any],
    framework: Framework,
    legal_identifier: str,
    *,
    email: str = "",
) -> dict[str, Any]:
    """The unsealed ELM 3 credential of a certificate (a JSON-LD document as a dict).

    ``legal_identifier`` is the school's registration number as its eIDAS seal names it
    (ELM needs one for the issuer; the EDC issuer checks it against the seal).
    """
    legal_identifier = legal_identifier.strip()
    if not legal_identifier:
        raise ElmError("the school's legal identifier is needed")
    snapshot = _read(given)
    serial = snapshot.serial
    if not serial:
        raise ElmError("the certificate has no serial number")
    mobility = snapshot.mobility
    languages = _languages(framework, mobility)
    issued = _datetime(snapshot.issued_at or snapshot.issued_on)
    ids = _Ids()
    school = _organisation(ids, snapshot.issuer, languages, legal_identifier, email)
    awarding = {
        "id": ids.next("awardingProcess"),
        "type": "AwardingProcess",
        "awardingBody": school,
        "awardingDate": issued,
    }
    short = framework_short(framework)
    achievement: dict[str, Any] = {
        "id": ids.next("learningAchievement"),
        "type": "LearningAchievement",
        "title": _each(languages, lambda g, _l: g(ACHIEVEMENT_TITLE).format(framework=short)),
        "description": _each(
            languages,
            lambda g, _l: g(ACHIEVEMENT_DESCRIPTION).format(framework=short, serial=serial),
        ),
        "awardedBy": awarding,
        "specifiedBy": _specification(ids, snapshot, framework, languages),
        "provenBy": _assessments(ids, snapshot, framework, languages, school, awarding),
    }
    if mobility is not None:
        achievement["influencedBy"] = _activity(ids, mobility, languages, awarding)
    holder = snapshot.holder
    primary = languages[0]
    person: dict[str, Any] = {
        "id": ids.next("person"),
        "type": "Person",
        "givenName": {primary: holder.given_names},
        "familyName": {primary: holder.surname},
        "fullName": {primary: _full_name(holder)},
        "hasClaim": achievement,
    }
    if holder.date_of_birth and snapshot.verification and snapshot.verification.prints_birth_date:
        person["dateOfBirth"] = _datetime(holder.date_of_birth)
    return {
        "@context": list(CONTEXT),
        "id": credential_id(snapshot),
        "type": ["VerifiableCredential", "EuropeanDigitalCredential"],
        "credentialProfiles": _concept(
            _SNB + "credential/e34929035b", _SNB + "credential/25831c2", {"en": "Generic"}
        ),
        "displayParameter": _display(ids, snapshot, framework, languages),
        "identifier": {
            "id": ids.next("identifier"),
            "type": "Identifier",
            "schemeName": gettext_for(primary)(SERIAL_SCHEME),
            "notation": serial,
        },
        "credentialSchema": {"id": SCHEMA, "type": "ShaclValidator2017"},
        "credentialSubject": person,
        "issuer": school,
        "issuanceDate": issued,
        "issued": issued,
        "validFrom": issued,
    }


def edc_json(credential: Mapping[str, Any]) -> bytes:
    """The file's bytes: UTF-8 JSON, indented for a person who opens it."""
    return (json.dumps(credential, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def edc_file_name(serial: str) -> str:
    return f"{serial}.edc.jsonld"


# --- parts ----------------------------------------------------------------------------


class _Ids:
    def __init__(self) -> None:
        self._counts: dict[str, int] = {}

    def next(self, kind: str) -> str:
        self._counts[kind] = self._counts.get(kind, 0) + 1
        return f"urn:epass:{kind}:{self._counts[kind]}"


def _full_name(holder: Holder) -> str:
    return " ".join(part for part in (holder.given_names, holder.surname) if part)


def _languages(framework: Framework, mobility: Mobility | None) -> tuple[str, ...]:
    """The languages with texts of their own: the framework's title, or the mobility's."""
    texts = mobility.texts if mobility is not None else {}
    found = tuple(
        language
        for language in LANGUAGES
        if framework.title.has(language) or (texts.get(language) or {}).get("title")
    )
    return found or (framework.source_language,)


def _each(languages: Sequence[str], make: Any) -> dict[str, str]:
    """A language map of a text of the app's own wording, in every language."""
    return {language: make(gettext_for(language), language) for language in languages}


def _framework_text(text: Any, languages: Sequence[str], fallback: str) -> dict[str, str]:
    """A framework text in the languages it exists in (its source language at least)."""
    values = {language: text.get(language) for language in languages if text.has(language)}
    if not values:
        values = {"en": text.get("en") or fallback}
    return values


def _concept(uri: str, scheme: str, labels: Mapping[str, str] | None = None) -> dict[str, Any]:
    concept: dict[str, Any] = {
        "id": uri,
        "type": "Concept",
        "inScheme": {"id": scheme, "type": "ConceptScheme"},
    }
    if labels:
        concept["prefLabel"] = dict(labels)
    return concept


def _country(code: str) -> dict[str, Any]:
    alpha3 = COUNTRIES.get((code or "").upper(), "00A")  # 00A: the authority's "unknown"
    return _concept(_AUTHORITY + "country/" + alpha3, _AUTHORITY + "country")


def _language(code: str) -> dict[str, Any]:
    return _concept(_AUTHORITY + "language/" + _LANGUAGE_CODES[code], _AUTHORITY + "language")


def _location(ids: _Ids, country: str, address: str, language: str) -> dict[str, Any]:
    full: dict[str, Any] = {
        "id": ids.next("address"),
        "type": "Address",
        "countryCode": _country(country),
    }
    if address:
        full["fullAddress"] = {
            "id": ids.next("note"),
            "type": "Note",
            "noteLiteral": {language: address},
        }
    return {"id": ids.next("location"), "type": "Location", "address": full}


def _organisation(
    ids: _Ids,
    data: Organisation,
    languages: Sequence[str],
    legal_identifier: str = "",
    email: str = "",
) -> dict[str, Any]:
    name = data.name.strip()
    if not name:
        raise ElmError("an organisation has no name")
    country = data.country
    organisation: dict[str, Any] = {
        "id": ids.next("org"),
        "type": "Organisation",
        "legalName": {languages[0]: name},
        "location": _location(ids, country, data.address, languages[0]),
    }
    if legal_identifier:
        organisation["eIDASIdentifier"] = {
            "id": ids.next("legalIdentifier"),
            "type": "LegalIdentifier",
            "notation": legal_identifier,
            "spatial": _country(country),
        }
    if email:
        organisation["contactPoint"] = {
            "id": ids.next("contactPoint"),
            "type": "ContactPoint",
            "emailAddress": {"id": f"mailto:{email}", "type": "Mailbox"},
        }
    return organisation


def _competences(snapshot: Snapshot) -> list[Assessment]:
    return [c for c in snapshot.competences if c.level]


def _specification(
    ids: _Ids, snapshot: Snapshot, framework: Framework, languages: Sequence[str]
) -> dict[str, Any]:
    short = framework_short(framework)
    outcomes: list[dict[str, Any]] = []
    for item in _competences(snapshot):
        code, number = item.competence, item.level
        try:
            competence = framework.competence(code)
        except KeyError:
            raise ElmError(f"{framework.label} has no competence {code}") from None
        titles = _framework_text(competence.title, languages, code)
        outcome: dict[str, Any] = {
            "id": ids.next("learningOutcome"),
            "type": "LearningOutcome",
            "title": {
                language: gettext_for(language)(OUTCOME_TITLE).format(
                    code=code,
                    title=title,
                    number=number,
                    level=level_name(framework, number, language),
                )
                for language, title in titles.items()
            },
        }
        esco = getattr(competence, "esco", "")
        if esco:
            outcome["relatedESCOSkill"] = _concept(
                esco,
                "http://data.europa.eu/esco/concept-scheme/skills",
                {"en": titles.get("en", next(iter(titles.values())))},
            )
        outcomes.append(outcome)
        attested = set(item.outcomes)
        for learning in competence.learning_outcomes:
            if learning.id in attested:
                outcomes.append(
                    {
                        "id": ids.next("learningOutcome"),
                        "type": "LearningOutcome",
                        "title": _framework_text(learning.text, languages, learning.id),
                        "identifier": {
                            "id": ids.next("identifier"),
                            "type": "Identifier",
                            "schemeName": short,
                            "notation": learning.id,
                        },
                    }
                )
    return {
        "id": ids.next("learningAchievementSpec"),
        "type": "LearningAchievementSpecification",
        "title": _each(languages, lambda g, _l: g(ACHIEVEMENT_TITLE).format(framework=short)),
        "learningOutcome": outcomes,
    }


def _assessments(
    ids: _Ids,
    snapshot: Snapshot,
    framework: Framework,
    languages: Sequence[str],
    school: Mapping[str, Any],
    awarding: Mapping[str, Any],
) -> list[dict[str, Any]]:
    top = max((level.number for level in framework.levels), default=0)
    found: list[dict[str, Any]] = []
    for item in _competences(snapshot):
        code, number = item.competence, item.level
        competence = framework.competence(code)
        titles = _framework_text(competence.title, languages, code)
        assessment: dict[str, Any] = {
            "id": ids.next("learningAssessment"),
            "type": "LearningAssessment",
            "title": {
                language: gettext_for(language)(ASSESSMENT_TITLE).format(code=code, title=title)
                for language, title in titles.items()
            },
            "grade": {
                "id": ids.next("note"),
                "type": "Note",
                "noteLiteral": _each(
                    languages,
                    lambda g, lang, n=number: g(GRADE).format(
                        number=n, top=top, level=level_name(framework, n, lang)
                    ),
                ),
            },
            "awardedBy": awarding,
            "assessedBy": school,
        }
        if item.method:
            assessment["description"] = _each(
                languages,
                lambda g, lang, m=item.method: g(METHOD).format(
                    method=method_name(m, lang).lower()
                ),
            )
        if item.assessed_on:
            assessment["dateIssued"] = _datetime(item.assessed_on)
        found.append(assessment)
    return found


def _activity(
    ids: _Ids,
    mobility: Mobility,
    languages: Sequence[str],
    awarding: Mapping[str, Any],
) -> dict[str, Any]:
    texts = mobility.texts

    def own(name: str) -> dict[str, str]:
        if texts:
            return {
                language: texts[language][name]
                for language in languages
                if (texts.get(language) or {}).get(name)
            }
        value = {"title": mobility.title, "objective": mobility.objective}.get(name, "")
        return {languages[0]: value} if value else {}

    title = own("title") or _each(languages, lambda g, _l: g(ACTIVITY_TITLE))
    activity: dict[str, Any] = {
        "id": ids.next("activity"),
        "type": "LearningActivity",
        "title": title,
        "awardedBy": awarding,
    }
    description = own("objective")
    if description:
        activity["description"] = description
    period: dict[str, Any] = {"id": ids.next("period"), "type": "PeriodOfTime"}
    if mobility.start_date:
        period["startDate"] = _datetime(mobility.start_date)
    if mobility.end_date:
        period["endDate"] = _datetime(mobility.end_date)
    if len(period) > 2:
        activity["temporal"] = period
    host = mobility.host
    country = mobility.host_country or host.country
    if host.name:
        activity["directedBy"] = _organisation(ids, host, languages)
    if country:
        activity["location"] = _location(ids, country, host.address, languages[0])
    if mobility.code:
        activity["identifier"] = {
            "id": ids.next("identifier"),
            "type": "Identifier",
            "schemeName": mobility.programme or "Erasmus+",
            "notation": mobility.code,
        }
    return activity


def _datetime(text: str) -> str:
    """An xsd:dateTime: a date becomes midnight UTC; an aware time is written in UTC."""
    if len(text) == 10:
        return f"{text}T00:00:00Z"
    moment = dt.datetime.fromisoformat(text)
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# --- the display page ------------------------------------------------------------------

DISPLAY_LINES = (
    N_("European Digital Credential"),
    N_("Holder: {holder}"),
    N_("Issued by: {issuer}"),
    N_("Attestation: {serial}"),
)


def _display(
    ids: _Ids, snapshot: Snapshot, framework: Framework, languages: Sequence[str]
) -> dict[str, Any]:
    short = framework_short(framework)
    name = _full_name(snapshot.holder)
    displays = []
    for language in languages:
        gettext = gettext_for(language)
        lines = [
            gettext(ACHIEVEMENT_TITLE).format(framework=short),
            gettext(DISPLAY_LINES[0]),
            gettext(DISPLAY_LINES[1]).format(holder=name),
            gettext(DISPLAY_LINES[2]).format(issuer=snapshot.issuer.name),
            gettext(DISPLAY_LINES[3]).format(serial=snapshot.serial),
        ]
        displays.append(
            {
                "id": ids.next("individualDisplay"),
                "type": "IndividualDisplay",
                "language": _language(language),
                "displayDetail": {
                    "id": ids.next("displayDetail"),
                    "type": "DisplayDetail",
                    "page": 1,
                    "image": {
                        "id": ids.next("mediaObject"),
                        "type": "MediaObject",
                        "content": base64.b64encode(display_png(lines)).decode("ascii"),
                        "contentEncoding": _concept(
                            _SNB + "encoding/6146cde7dd",
                            _SNB + "encoding/25831c2",
                            {"en": "base64"},
                        ),
                        "contentType": _concept(
                            _AUTHORITY + "file-type/PNG", _AUTHORITY + "file-type"
                        ),
                    },
                },
            }
        )
    return {
        "id": ids.next("displayParameter"),
        "type": "DisplayParameter",
        "title": _each(languages, lambda g, _l: g(ACHIEVEMENT_TITLE).format(framework=short)),
        "language": [_language(language) for language in languages],
        "primaryLanguage": _language(languages[0]),
        "individualDisplay": displays,
    }


def display_png(lines: Sequence[str], width_pt: float = 420, height_pt: float = 200) -> bytes:
    """A small grey-scale PNG with ``lines`` (the first bold), drawn by reportlab and
    rasterised by pdfium (no imaging library needed)."""
    import pypdfium2
    from reportlab.pdfgen.canvas import Canvas

    from digcomp_app.documents.fonts import BOLD, REGULAR, register_fonts

    register_fonts()
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=(width_pt, height_pt), invariant=True)
    y = height_pt - 36
    for index, line in enumerate(lines):
        canvas.setFont(BOLD if index == 0 else REGULAR, 14 if index == 0 else 10)
        canvas.drawString(24, y, line[:90])
        y -= 30 if index == 0 else 18
    canvas.showPage()
    canvas.save()
    document = pypdfium2.PdfDocument(buffer.getvalue())
    try:
        bitmap = document[0].render(scale=2, grayscale=True)
        width, height, stride = bitmap.width, bitmap.height, bitmap.stride
        raw = bytes(bitmap.buffer)
    finally:
        document.close()
    rows = b"".join(b"\x00" + raw[row * stride : row * stride + width] for row in range(height))
    return _png(width, height, rows)


def _png(width: int, height: int, rows: bytes) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit grey
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows, 9))
        + chunk(b"IEND", b"")
    )
