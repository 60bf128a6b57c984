"""Immutable objects for a competence framework (DigComp 2.2, 3.0, or any other).

A framework is language-neutral structure plus :class:`Text` slots that carry one
string per language. ``text.get("lv")`` falls back along the framework's fallback
chain (the asked language, then the source language), and ``text.resolve`` says which
language was actually used, so callers can flag untranslated text.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any

_EMPTY: Mapping[Any, Any] = MappingProxyType({})


def _empty() -> Mapping[Any, Any]:
    return _EMPTY


class TranslationStatus(StrEnum):
    """How far a language's texts can be trusted."""

    OFFICIAL = "official"  # published wording of the framework's owner or a national body
    REVIEWED = "reviewed"  # a translation approved by a reviewer
    DRAFT = "draft"  # a translation awaiting review


class OutcomeType(StrEnum):
    KNOWLEDGE = "knowledge"
    SKILL = "skill"
    ATTITUDE = "attitude"


class AiLabel(StrEnum):
    """DigComp 3.0's marking of how a statement relates to artificial intelligence."""

    EXPLICIT = "explicit"
    IMPLICIT = "implicit"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class Text:
    """One translatable text: ``values`` maps a language code to the string."""

    key: str
    values: Mapping[str, str]
    fallback: tuple[str, ...]
    statuses: Mapping[str, TranslationStatus] = field(default_factory=_empty)

    def resolve(self, language: str) -> tuple[str, str]:
        """The text in ``language`` or the nearest fallback, and the language used."""
        value = self.values.get(language)
        if value is not None:
            return value, language
        for candidate in self.fallback:
            value = self.values.get(candidate)
            if value is not None:
                return value, candidate
        return "", language

    def get(self, language: str) -> str:
        return self.resolve(language)[0]

    def has(self, language: str) -> bool:
        return language in self.values

    def __bool__(self) -> bool:
        return bool(self.values)


@dataclass(frozen=True, slots=True)
class LevelDimension:
    """A named aspect every level is described by (DigComp 2.2: complexity, autonomy...)."""

    id: str
    label: Text


@dataclass(frozen=True, slots=True)
class LevelBand:
    """A named group of levels (DigComp 3.0: Basic, Intermediate, Advanced, Highly advanced)."""

    id: str
    levels: tuple[int, ...]
    name: Text
    description: Text
    purpose: Text


@dataclass(frozen=True, slots=True)
class ProficiencyLevel:
    number: int
    band_id: str | None
    name: Text
    description: Text
    dimensions: Mapping[str, Text] = field(default_factory=_empty)
    #: Codes of the level in other scales, e.g. ``{"six_levels": "B1"}``.
    mappings: Mapping[str, str] = field(default_factory=_empty)


@dataclass(frozen=True, slots=True)
class CompetenceStatement:
    id: str
    competence_id: str
    band_id: str | None
    levels: tuple[int, ...]
    text: Text
    ai_label: AiLabel | None = None


@dataclass(frozen=True, slots=True)
class LearningOutcome:
    id: str
    competence_id: str
    band_id: str | None
    levels: tuple[int, ...]
    type: OutcomeType
    text: Text
    ai_label: AiLabel | None = None


@dataclass(frozen=True, slots=True)
class Competence:
    id: str
    area_id: str
    title: Text
    description: Text
    statements: tuple[CompetenceStatement, ...] = ()
    learning_outcomes: tuple[LearningOutcome, ...] = ()
    #: the ESCO skill or collection concept of this competence (an http(s) URI), or ""
    esco: str = ""


@dataclass(frozen=True, slots=True)
class Area:
    id: str
    title: Text
    description: Text
    competences: tuple[Competence, ...] = ()


@dataclass(frozen=True, slots=True)
class GlossaryTerm:
    id: str
    term: Text
    text: Text


@dataclass(frozen=True, slots=True)
class Source:
    """Where the framework's content comes from (shown as attribution)."""

    publisher: str
    citation: str
    url: str = ""
    doi: str = ""
    identifiers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Licence:
    spdx: str
    url: str


@dataclass(frozen=True, slots=True)
class RelatedFramework:
    """Another framework whose competence codes and level numbers mean the same."""

    id: str
    version: str
    relation: str


@dataclass(frozen=True, slots=True)
class LanguageInfo:
    code: str
    status: TranslationStatus
    note: str = ""


@dataclass(frozen=True, slots=True)
class Framework:
    id: str
    version: str
    source_language: str
    languages: Mapping[str, LanguageInfo]
    title: Text
    attribution: Text
    source: Source
    licence: Licence
    dimensions: tuple[LevelDimension, ...]
    bands: tuple[LevelBand, ...]
    levels: tuple[ProficiencyLevel, ...]
    areas: tuple[Area, ...]
    glossary: tuple[GlossaryTerm, ...] = ()
    related: tuple[RelatedFramework, ...] = ()
    _competences: Mapping[str, Competence] = field(
        default_factory=_empty, repr=False, compare=False
    )

    @property
    def key(self) -> tuple[str, str]:
        return (self.id, self.version)

    @property
    def label(self) -> str:
        return f"{self.id} {self.version}"

    def competences(self) -> Iterator[Competence]:
        for area in self.areas:
            yield from area.competences

    def competence(self, competence_id: str) -> Competence:
        return self._competences[competence_id]

    def level(self, number: int) -> ProficiencyLevel:
        for level in self.levels:
            if level.number == number:
                return level
        raise KeyError(number)

    def band(self, band_id: str) -> LevelBand:
        for band in self.bands:
            if band.id == band_id:
                return band
        raise KeyError(band_id)

    def band_of(self, level_number: int) -> LevelBand | None:
        band_id = self.level(level_number).band_id
        return self.band(band_id) if band_id else None

    def statements(self) -> Iterator[CompetenceStatement]:
        for competence in self.competences():
            yield from competence.statements

    def learning_outcomes(self) -> Iterator[LearningOutcome]:
        for competence in self.competences():
            yield from competence.learning_outcomes

    def status_of(self, text: Text, language: str) -> TranslationStatus | None:
        """The translation status of ``text`` in ``language`` (None: not translated)."""
        if not text.has(language):
            return None
        return text.statuses.get(language) or self.languages[language].status

    def is_related_to(self, other: Framework) -> bool:
        return any(r.id == other.id and r.version == other.version for r in self.related) or any(
            r.id == self.id and r.version == self.version for r in other.related
        )
