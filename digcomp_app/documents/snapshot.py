"""A certificate's frozen snapshot, typed: what the documents read from it.

The register keeps each certificate's snapshot as JSON (``services.certificates.
build_snapshot``), and its exact keys and values are what a version 1 code signs (by hash)
and what a version 2 code's signed content is built from, so the JSON itself never
changes here. ``Snapshot.from_json`` reads it once, checks the types, and fills the
defaults of older snapshots (no mobility texts per language, no verification block, no
issue day of the school's own calendar); the documents then read attributes, not keys.

A field that is missing or ``null`` reads as its default ("" for a text, 0 for a level,
nothing for a list); a field of the wrong kind (a list where a name belongs, a level that
is not a number) is refused with ``SnapshotError``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from digcomp_app.i18n import SOURCE_LANGUAGE, UI_LANGUAGES

#: the mobility's texts kept per language
MOBILITY_TEXTS = ("title", "objective", "activities", "host_description")


class SnapshotError(ValueError):
    """A snapshot field is not of the kind it must be."""


def _text(data: Mapping[str, Any], key: str, where: str) -> str:
    value = data.get(key)
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise SnapshotError(f"{where}.{key} must be a text, not {type(value).__name__}")
    return str(value)


def _mapping(data: Mapping[str, Any], key: str, where: str) -> Mapping[str, Any]:
    value = data.get(key)
    if value is None or value == "":
        return {}
    if not isinstance(value, Mapping):
        raise SnapshotError(f"{where}.{key} must be an object, not {type(value).__name__}")
    return value


def _list(data: Mapping[str, Any], key: str, where: str) -> list[Any]:
    value = data.get(key)
    if value is None:
        return []
    if not isinstance(value, list | tuple):
        raise SnapshotError(f"{where}.{key} must be a list, not {type(value).__name__}")
    return list(value)


def _level(data: Mapping[str, Any], key: str, where: str) -> int:
    value = data.get(key)
    if value is None or value == "":
        return 0
    if isinstance(value, bool):
        raise SnapshotError(f"{where}.{key} must be a number, not {value!r}")
    try:
        return int(value)
    except (TypeError, ValueError):
        raise SnapshotError(f"{where}.{key} must be a number, not {value!r}") from None


def localised_text(
    texts: Mapping[str, Mapping[str, Any]], name: str, language: str
) -> tuple[str, bool]:
    """``texts[language][name]``, or, when that is empty, the first other language's
    (English, then the others in menu order); and whether it is that fallback."""
    own = (texts.get(language) or {}).get(name) or ""
    if isinstance(own, str) and own.strip():
        return own.strip(), False
    for other in dict.fromkeys((SOURCE_LANGUAGE, *UI_LANGUAGES, *texts)):
        if other == language:
            continue
        text = (texts.get(other) or {}).get(name) or ""
        if isinstance(text, str) and text.strip():
            return text.strip(), True
    return "", False


@dataclass(frozen=True, slots=True)
class Organisation:
    """The issuing school, or a mobility's sending or host organisation."""

    name: str = ""
    address: str = ""
    country: str = ""
    contact_person: str = ""
    signatory_name: str = ""
    signatory_role: str = ""
    verification_address: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], where: str = "organisation") -> Organisation:
        return cls(
            name=_text(data, "name", where),
            address=_text(data, "address", where),
            country=_text(data, "country", where),
            contact_person=_text(data, "contact_person", where),
            signatory_name=_text(data, "signatory_name", where),
            signatory_role=_text(data, "signatory_role", where),
            verification_address=_text(data, "verification_address", where),
        )


@dataclass(frozen=True, slots=True)
class Holder:
    given_names: str = ""
    surname: str = ""
    #: ISO date, or None when not known
    date_of_birth: str | None = None

    @property
    def name(self) -> str:
        return f"{self.given_names} {self.surname}".strip()

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Holder:
        born = _text(data, "date_of_birth", "holder")
        return cls(
            given_names=_text(data, "given_names", "holder"),
            surname=_text(data, "surname", "holder"),
            date_of_birth=born or None,
        )


@dataclass(frozen=True, slots=True)
class Mobility:
    code: str = ""
    #: the school language's title and objective (all that older snapshots have)
    title: str = ""
    objective: str = ""
    programme: str = ""
    host_country: str = ""
    start_date: str = ""
    end_date: str = ""
    host_mentor: str = ""
    sending: Organisation = Organisation()
    host: Organisation = Organisation()
    europass_number: str = ""
    #: {language: {"title", "objective", "activities", "host_description"}}; empty in
    #: snapshots made before texts were kept per language
    texts: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def text(self, name: str, language: str) -> str:
        """A text ("title", "objective", "activities", "host_description") in
        ``language``, else in another language. A snapshot made before texts were kept per
        language has only the school language's title and objective."""
        if self.texts:
            text, _fallback = localised_text(self.texts, name, language)
            if text or name not in ("title", "objective"):
                return text
        return self.title if name == "title" else self.objective if name == "objective" else ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Mobility:
        where = "mobility"
        texts: dict[str, dict[str, str]] = {}
        for language, values in _mapping(data, "texts", where).items():
            if not isinstance(values, Mapping):
                raise SnapshotError(f"{where}.texts.{language} must be an object")
            texts[str(language)] = {
                str(name): _text(values, str(name), f"{where}.texts.{language}") for name in values
            }
        return cls(
            code=_text(data, "code", where),
            title=_text(data, "title", where),
            objective=_text(data, "objective", where),
            programme=_text(data, "programme", where),
            host_country=_text(data, "host_country", where),
            start_date=_text(data, "start_date", where),
            end_date=_text(data, "end_date", where),
            host_mentor=_text(data, "host_mentor", where),
            sending=Organisation.from_json(_mapping(data, "sending", where), "mobility.sending"),
            host=Organisation.from_json(_mapping(data, "host", where), "mobility.host"),
            europass_number=_text(data, "europass_number", where),
            texts=texts,
        )


@dataclass(frozen=True, slots=True)
class Assessment:
    """One competence of the attestation: the level reached and how it was assessed."""

    competence: str
    level: int = 0
    method: str = ""
    assessor: str = ""
    #: ISO date
    assessed_on: str = ""
    #: the learning outcomes shown (ids in the framework)
    outcomes: tuple[str, ...] = ()
    target_level: int = 0
    comment: str = ""

    @classmethod
    def from_json(cls, data: Mapping[str, Any], index: int = 0) -> Assessment:
        where = f"competences[{index}]"
        return cls(
            competence=_text(data, "competence", where),
            level=_level(data, "level", where),
            method=_text(data, "method", where),
            assessor=_text(data, "assessor", where),
            assessed_on=_text(data, "assessed_on", where),
            outcomes=tuple(str(o) for o in _list(data, "outcomes", where)),
            target_level=_level(data, "target_level", where),
            comment=_text(data, "comment", where),
        )


@dataclass(frozen=True, slots=True)
class Verification:
    """What a version 2 code signs besides the rest, as it was at issue time."""

    version: int = 0
    address: str = ""
    prints_birth_date: bool = False

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Verification:
        return cls(
            version=_level(data, "version", "verification"),
            address=_text(data, "address", "verification"),
            prints_birth_date=bool(data.get("prints_birth_date")),
        )


@dataclass(frozen=True, slots=True)
class Snapshot:
    """A certificate's frozen snapshot, read once (``from_json``)."""

    serial: str = ""
    #: when it was issued, ISO date and time in UTC
    issued_at: str = ""
    #: the school's own calendar day of issue (older snapshots: "", see ``issue_date``)
    issued_on: str = ""
    issued_by: str = ""
    holder: Holder = Holder()
    issuer: Organisation = Organisation()
    framework_id: str = ""
    framework_version: str = ""
    mobility: Mobility | None = None
    competences: tuple[Assessment, ...] = ()
    #: None in snapshots made before version 2 codes
    verification: Verification | None = None
    #: the verification address where some older snapshots kept it
    verification_address: str = ""

    @property
    def issue_date(self) -> str:
        """The day of issue as printed: the school's day, else the UTC timestamp's."""
        return self.issued_on or self.issued_at[:10]

    @property
    def prints_birth_date_signed(self) -> bool | None:
        """Whether the version 2 code signed the date of birth as printed (None: not a
        version 2 snapshot, the school's present choice applies)."""
        if self.verification is not None and self.verification.version == 2:
            return self.verification.prints_birth_date
        return None

    @property
    def address(self) -> str:
        """The school's verification address frozen in the snapshot ("" in snapshots made
        before schools had one)."""
        candidates = (
            self.issuer.verification_address,
            self.verification_address,
            self.verification.address if self.verification else "",
        )
        return next((value.strip() for value in candidates if value.strip()), "")

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Snapshot:
        if not isinstance(data, Mapping):
            raise SnapshotError(f"a snapshot must be an object, not {type(data).__name__}")
        framework = _mapping(data, "framework", "snapshot")
        mobility = _mapping(data, "mobility", "snapshot")
        verification = data.get("verification")
        entries = _list(data, "competences", "snapshot")
        for index, entry in enumerate(entries):
            if not isinstance(entry, Mapping):
                raise SnapshotError(f"competences[{index}] must be an object")
        return cls(
            serial=_text(data, "serial", "snapshot"),
            issued_at=_text(data, "issued_at", "snapshot"),
            issued_on=_text(data, "issued_on", "snapshot"),
            issued_by=_text(data, "issued_by", "snapshot"),
            holder=Holder.from_json(_mapping(data, "holder", "snapshot")),
            issuer=Organisation.from_json(_mapping(data, "issuer", "snapshot"), "issuer"),
            framework_id=_text(framework, "id", "framework"),
            framework_version=_text(framework, "version", "framework"),
            mobility=Mobility.from_json(mobility) if mobility else None,
            competences=tuple(Assessment.from_json(e, i) for i, e in enumerate(entries)),
            verification=(
                Verification.from_json(verification) if isinstance(verification, Mapping) else None
            ),
            verification_address=_text(data, "verification_address", "snapshot"),
        )
