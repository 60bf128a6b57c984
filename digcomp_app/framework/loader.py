"""Read a framework folder (``framework.yaml`` + ``texts.<lang>.yaml``) into a Framework.

The format is documented in ``docs/framework-format.md``. Every problem found is
collected (not just the first) and reported with file, line and key.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from digcomp_app.framework import plainyaml
from digcomp_app.framework.checks import FileChecker, KeyPath
from digcomp_app.framework.errors import FrameworkError, FrameworkIssue
from digcomp_app.framework.model import (
    AiLabel,
    Area,
    Competence,
    CompetenceStatement,
    Framework,
    GlossaryTerm,
    LanguageInfo,
    LearningOutcome,
    LevelBand,
    LevelDimension,
    Licence,
    OutcomeType,
    ProficiencyLevel,
    RelatedFramework,
    Source,
    Text,
)
from digcomp_app.framework.texts import TextSlots, read_texts
from digcomp_app.i18n import _

FORMAT_VERSION = 1
STRUCTURE_FILE = "framework.yaml"

_TOP_KEYS = frozenset(
    {
        "format",
        "id",
        "version",
        "source_language",
        "required_languages",
        "languages",
        "source",
        "licence",
        "related",
        "level_dimensions",
        "level_bands",
        "levels",
        "areas",
        "competences",
        "statements",
        "learning_outcomes",
        "glossary",
    }
)
_SOURCE_KEYS = frozenset({"publisher", "citation", "url", "doi", "identifiers"})
_LICENCE_KEYS = frozenset({"spdx", "url"})
_RELATED_KEYS = frozenset({"id", "version", "relation"})
_BAND_KEYS = frozenset({"id", "levels"})
_LEVEL_KEYS = frozenset({"number", "band", "mappings"})
_AREA_KEYS = frozenset({"id"})
_COMPETENCE_KEYS = frozenset({"id", "area", "esco"})
_STATEMENT_KEYS = frozenset({"id", "competence", "band", "levels", "ai_label"})
_OUTCOME_KEYS = _STATEMENT_KEYS | {"type"}
_ID_ONLY = frozenset({"id"})
_RELATIONS = {"same-codes": "same-codes"}
_AI_LABELS = {label.value: label for label in AiLabel}
_OUTCOME_TYPES = {kind.value: kind for kind in OutcomeType}


@dataclass(slots=True)
class _Statement:
    id: str
    competence: str
    band: str | None
    levels: tuple[int, ...]
    ai_label: AiLabel | None
    type: OutcomeType | None
    keys: KeyPath


def _is_web_uri(text: str) -> bool:
    """An absolute http(s) URI with a host and no spaces (an ESCO concept, for one)."""
    if text != text.strip() or any(c.isspace() or ord(c) < 32 for c in text):
        return False
    try:
        parts = urlsplit(text)
        port_ok = parts.port is None or parts.port > 0
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and port_ok


def resolve_framework_dir(path: Path) -> Path:
    """Accept either a framework folder or the ``framework.yaml`` inside it."""
    return path.parent if path.is_file() else path


def load_framework(path: Path) -> Framework:
    """Load and validate a framework; raises :class:`FrameworkError` listing every problem."""
    framework, issues = _load(resolve_framework_dir(path))
    if issues or framework is None:
        raise FrameworkError(issues)
    return framework


def validate_framework(path: Path) -> list[FrameworkIssue]:
    """Every problem in the framework at ``path`` (an empty list when it is valid)."""
    return _load(resolve_framework_dir(path))[1]


def _load(folder: Path) -> tuple[Framework | None, list[FrameworkIssue]]:
    structure_path = folder / STRUCTURE_FILE
    if not structure_path.is_file():
        message = _("no {file} in this folder").format(file=STRUCTURE_FILE)
        return None, [FrameworkIssue(folder, 0, "", message)]
    try:
        text, data = plainyaml.load(structure_path)
    except plainyaml.PlainYamlError as problem:
        return None, [FrameworkIssue(problem.path, problem.line, "", problem.message)]
    check = FileChecker(structure_path, text)
    reader = _StructureReader(check)
    root = check.mapping(data, ())
    if root is None:
        return None, check.issues()
    reader.read(root)
    if reader.fatal:
        return None, check.issues()
    slots = reader.slots()
    texts, infos, text_issues = read_texts(
        folder,
        reader.languages,
        reader.required_languages,
        reader.source_language,
        slots,
        structure_check=check,
        check_keys=not check,
    )
    issues = check.issues() + text_issues
    if issues:
        return None, issues
    return reader.build(texts, infos), []


class _StructureReader:
    """Checks ``framework.yaml`` and remembers what it declares."""

    def __init__(self, check: FileChecker) -> None:
        self.check = check
        self.fatal = False
        self.id = ""
        self.version = ""
        self.source_language = ""
        self.languages: list[str] = []
        self.required_languages: list[str] = []
        self.source = Source("", "")
        self.licence = Licence("", "")
        self.related: list[RelatedFramework] = []
        self.dimensions: list[str] = []
        self.bands: dict[str, tuple[int, ...]] = {}
        self.levels: dict[int, tuple[str | None, dict[str, str]]] = {}
        self.areas: list[str] = []
        self.competences: dict[str, str] = {}
        self.esco: dict[str, str] = {}
        self.statements: list[_Statement] = []
        self.outcomes: list[_Statement] = []
        self.glossary: list[str] = []

    # --- reading ------------------------------------------------------------------

    def read(self, root: dict[str, Any]) -> None:
        check = self.check
        check.known_keys(root, _TOP_KEYS, ())
        fmt = check.integer(root, "format", ())
        if fmt is not None and fmt != FORMAT_VERSION:
            check.add(
                ("format",),
                _(
                    "format {found} is not supported; this version of the app "
                    "reads format {supported}"
                ).format(found=fmt, supported=FORMAT_VERSION),
            )
            self.fatal = True
            return
        self.id = check.identifier(root, "id", ()) or ""
        self.version = check.string(root, "version", ()) or ""
        self.source_language = check.string(root, "source_language", ()) or ""
        self.languages = self._language_list(root, "languages", required=True)
        self.required_languages = self._language_list(root, "required_languages", required=False)
        if self.source_language:
            if self.languages and self.source_language not in self.languages:
                check.add(
                    ("languages",),
                    _("the source language '{language}' must be listed in languages").format(
                        language=self.source_language
                    ),
                )
            if self.source_language not in self.required_languages:
                self.required_languages.insert(0, self.source_language)
        for language in self.required_languages:
            if self.languages and language not in self.languages:
                check.add(
                    ("required_languages",),
                    _("the required language '{language}' is not listed in languages").format(
                        language=language
                    ),
                )
        self._read_source(root)
        self._read_related(root)
        self._read_levels(root)
        self._read_areas(root)
        self.statements = self._read_statements(root, "statements", _STATEMENT_KEYS, False)
        self.outcomes = self._read_statements(root, "learning_outcomes", _OUTCOME_KEYS, True)
        self.glossary = self._read_ids(root, "glossary")

    def _language_list(self, root: dict[str, Any], key: str, required: bool) -> list[str]:
        found: list[str] = []
        for index, value in enumerate(self.check.items(root, key, (), required)):
            if isinstance(value, str) and value.isalpha() and 2 <= len(value) <= 3:
                if value in found:
                    self.check.add(
                        (key, index),
                        _("the language '{language}' is listed twice").format(language=value),
                    )
                found.append(value)
            else:
                self.check.add((key, index), _("expected a language code such as 'en' or 'lv'"))
        return found

    def _read_source(self, root: dict[str, Any]) -> None:
        check = self.check
        source = check.mapping(root.get("source"), ("source",)) if "source" in root else None
        if "source" not in root:
            check.add((), _("the required key '{key}' is missing").format(key="source"))
        if source is not None:
            check.known_keys(source, _SOURCE_KEYS, ("source",))
            identifiers = tuple(
                value
                for value in check.items(source, "identifiers", ("source",), False)
                if isinstance(value, str)
            )
            self.source = Source(
                publisher=check.string(source, "publisher", ("source",)) or "",
                citation=check.string(source, "citation", ("source",)) or "",
                url=check.string(source, "url", ("source",), False) or "",
                doi=check.string(source, "doi", ("source",), False) or "",
                identifiers=identifiers,
            )
        licence = check.mapping(root.get("licence"), ("licence",)) if "licence" in root else None
        if "licence" not in root:
            check.add((), _("the required key '{key}' is missing").format(key="licence"))
        if licence is not None:
            check.known_keys(licence, _LICENCE_KEYS, ("licence",))
            self.licence = Licence(
                spdx=check.string(licence, "spdx", ("licence",)) or "",
                url=check.string(licence, "url", ("licence",)) or "",
            )

    def _read_related(self, root: dict[str, Any]) -> None:
        check = self.check
        for index, value in enumerate(check.items(root, "related", (), False)):
            keys = ("related", index)
            entry = check.mapping(value, keys)
            if entry is None:
                continue
            check.known_keys(entry, _RELATED_KEYS, keys)
            fid = check.identifier(entry, "id", keys)
            version = check.string(entry, "version", keys)
            relation = check.choice(entry, "relation", _RELATIONS, keys)
            if fid and version and relation:
                self.related.append(RelatedFramework(fid, version, relation))

    def _read_ids(
        self,
        root: dict[str, Any],
        key: str,
        required: bool = False,
        allowed: frozenset[str] = _ID_ONLY,
    ) -> list[str]:
        check = self.check
        seen: dict[str, int] = {}
        for index, value in enumerate(check.items(root, key, (), required)):
            keys = (key, index)
            entry = check.mapping(value, keys)
            if entry is None:
                continue
            check.known_keys(entry, allowed, keys)
            item_id = check.identifier(entry, "id", keys)
            if item_id is not None:
                self._claim(seen, item_id, index, keys)
        return list(seen)

    def _claim(self, seen: dict[str, int], item_id: str, index: int, keys: KeyPath) -> bool:
        """Record ``item_id`` as used by entry ``index``; False (reported) if it was taken."""
        if item_id in seen:
            self.check.add(
                (*keys, "id"),
                _("duplicate id '{id}' (first used in entry {first})").format(
                    id=item_id, first=seen[item_id] + 1
                ),
            )
            return False
        seen[item_id] = index
        return True

    def _read_levels(self, root: dict[str, Any]) -> None:
        check = self.check
        self.dimensions = self._read_ids(root, "level_dimensions")
        for index, value in enumerate(check.items(root, "level_bands", (), False)):
            keys = ("level_bands", index)
            entry = check.mapping(value, keys)
            if entry is None:
                continue
            check.known_keys(entry, _BAND_KEYS, keys)
            band_id = check.identifier(entry, "id", keys)
            numbers = self._level_numbers(entry, keys, check_known=False)
            if band_id is None:
                continue
            if band_id in self.bands:
                check.add((*keys, "id"), _("duplicate id '{id}'").format(id=band_id))
                continue
            self.bands[band_id] = numbers
        levels = check.items(root, "levels", ())
        if not levels and "levels" in root:
            check.add(("levels",), _("a framework needs at least one proficiency level"))
        for index, value in enumerate(levels):
            keys = ("levels", index)
            entry = check.mapping(value, keys)
            if entry is None:
                continue
            check.known_keys(entry, _LEVEL_KEYS, keys)
            number = check.integer(entry, "number", keys)
            band = self._band_ref(entry, keys)
            mappings: dict[str, str] = {}
            if "mappings" in entry:
                raw = check.mapping(entry["mappings"], (*keys, "mappings"))
                for scale in raw or {}:
                    code = check.string(raw or {}, scale, (*keys, "mappings"))
                    if code is not None:
                        mappings[str(scale)] = code
            if number is None:
                continue
            if number in self.levels:
                check.add(
                    (*keys, "number"), _("duplicate level number {number}").format(number=number)
                )
                continue
            self.levels[number] = (band, mappings)
        for band_id, numbers in self.bands.items():
            index = list(self.bands).index(band_id)
            for number in numbers:
                if number not in self.levels:
                    check.add(
                        ("level_bands", index, "levels"),
                        _("the band '{band}' names level {number}, which is not defined").format(
                            band=band_id, number=number
                        ),
                    )
                elif self.levels[number][0] != band_id:
                    check.add(
                        ("level_bands", index, "levels"),
                        _(
                            "level {number} is listed in the band '{band}' but says it "
                            "belongs to '{other}'"
                        ).format(number=number, band=band_id, other=self.levels[number][0]),
                    )

    def _band_ref(self, entry: dict[str, Any], keys: KeyPath) -> str | None:
        if "band" not in entry:
            return None
        band = self.check.string(entry, "band", keys)
        if band is not None and band not in self.bands:
            self.check.add(
                (*keys, "band"),
                _("the level band '{band}' is not defined in level_bands").format(band=band),
            )
            return None
        return band

    def _level_numbers(
        self, entry: dict[str, Any], keys: KeyPath, check_known: bool = True
    ) -> tuple[int, ...]:
        numbers: list[int] = []
        for index, value in enumerate(self.check.items(entry, "levels", keys)):
            if not isinstance(value, int) or isinstance(value, bool):
                self.check.add((*keys, "levels", index), _("expected a level number"))
            elif check_known and value not in self.levels:
                self.check.add(
                    (*keys, "levels", index),
                    _("level {number} is not defined in levels").format(number=value),
                )
            else:
                numbers.append(value)
        return tuple(numbers)

    def _read_areas(self, root: dict[str, Any]) -> None:
        check = self.check
        self.areas = self._read_ids(root, "areas", required=True)
        seen: dict[str, int] = {}
        for index, value in enumerate(check.items(root, "competences", ())):
            keys = ("competences", index)
            entry = check.mapping(value, keys)
            if entry is None:
                continue
            check.known_keys(entry, _COMPETENCE_KEYS, keys)
            competence_id = check.identifier(entry, "id", keys)
            area = check.string(entry, "area", keys)
            esco = check.string(entry, "esco", keys, required=False)
            if esco is not None and not _is_web_uri(esco):
                check.add(
                    (*keys, "esco"),
                    _("'{value}' is not an http or https address").format(value=esco),
                )
                esco = None
            if area is not None and area not in self.areas and "areas" not in check.broken:
                check.add(
                    (*keys, "area"),
                    _("the area '{area}' is not defined in areas").format(area=area),
                )
                area = None
            if competence_id is None or not self._claim(seen, competence_id, index, keys):
                continue
            # Kept even with a bad area, so statements pointing here are not flagged too.
            self.competences[competence_id] = area or ""
            if esco:
                self.esco[competence_id] = esco

    def _read_statements(
        self, root: dict[str, Any], key: str, allowed: frozenset[str], typed: bool
    ) -> list[_Statement]:
        check = self.check
        found: list[_Statement] = []
        seen: dict[str, int] = {}
        for index, value in enumerate(check.items(root, key, (), False)):
            keys = (key, index)
            entry = check.mapping(value, keys)
            if entry is None:
                continue
            check.known_keys(entry, allowed, keys)
            item_id = check.identifier(entry, "id", keys)
            competence = check.string(entry, "competence", keys)
            if (
                competence is not None
                and competence not in self.competences
                and "competences" not in check.broken
            ):
                check.add(
                    (*keys, "competence"),
                    _("the competence '{competence}' is not defined in competences").format(
                        competence=competence
                    ),
                )
            band = self._band_ref(entry, keys)
            levels = self._level_numbers(entry, keys) if "levels" in entry else ()
            if band is None and "band" not in entry and "levels" not in entry:
                check.add(keys, _("say which levels this applies to, with 'band' or 'levels'"))
            elif band is not None:
                levels = levels or self.bands[band]
            ai_label = check.choice(entry, "ai_label", _AI_LABELS, keys, required=False)
            kind = check.choice(entry, "type", _OUTCOME_TYPES, keys) if typed else None
            if item_id is None or competence is None:
                continue
            if not self._claim(seen, item_id, index, keys):
                continue
            found.append(_Statement(item_id, competence, band, levels, ai_label, kind, keys))
        return found

    # --- building -----------------------------------------------------------------

    def slots(self) -> TextSlots:
        """Every text key this structure implies, and whether it must be present."""
        slots: TextSlots = {"framework.title": True, "framework.attribution": True}
        for dimension in self.dimensions:
            slots[f"dimension.{dimension}.label"] = True
        for band in self.bands:
            slots[f"band.{band}.name"] = True
            slots[f"band.{band}.description"] = False
            slots[f"band.{band}.purpose"] = False
        for number in self.levels:
            slots[f"level.{number}.name"] = False
            # Levels described by dimensions (DigComp 2.2) need no prose description.
            slots[f"level.{number}.description"] = not self.dimensions
            for dimension in self.dimensions:
                slots[f"level.{number}.{dimension}"] = True
        for area in self.areas:
            slots[f"area.{area}.title"] = True
            slots[f"area.{area}.description"] = False
        for competence in self.competences:
            slots[f"competence.{competence}.title"] = True
            slots[f"competence.{competence}.description"] = True
        for statement in self.statements:
            slots[f"statement.{statement.id}"] = True
        for outcome in self.outcomes:
            slots[f"outcome.{outcome.id}"] = True
        for term in self.glossary:
            slots[f"glossary.{term}.term"] = True
            slots[f"glossary.{term}.text"] = True
        return slots

    def build(self, texts: dict[str, Text], infos: dict[str, LanguageInfo]) -> Framework:
        def text(key: str) -> Text:
            return texts.get(key) or Text(key, MappingProxyType({}), ())

        statements: dict[str, list[CompetenceStatement]] = {c: [] for c in self.competences}
        for s in self.statements:
            statements[s.competence].append(
                CompetenceStatement(
                    s.id, s.competence, s.band, s.levels, text(f"statement.{s.id}"), s.ai_label
                )
            )
        outcomes: dict[str, list[LearningOutcome]] = {c: [] for c in self.competences}
        for o in self.outcomes:
            assert o.type is not None  # checked when read
            outcomes[o.competence].append(
                LearningOutcome(
                    o.id,
                    o.competence,
                    o.band,
                    o.levels,
                    o.type,
                    text(f"outcome.{o.id}"),
                    o.ai_label,
                )
            )
        by_area: dict[str, list[Competence]] = {a: [] for a in self.areas}
        index: dict[str, Competence] = {}
        for competence_id, area_id in self.competences.items():
            competence = Competence(
                competence_id,
                area_id,
                text(f"competence.{competence_id}.title"),
                text(f"competence.{competence_id}.description"),
                tuple(statements[competence_id]),
                tuple(outcomes[competence_id]),
                self.esco.get(competence_id, ""),
            )
            by_area[area_id].append(competence)
            index[competence_id] = competence
        levels = tuple(
            ProficiencyLevel(
                number,
                band,
                text(f"level.{number}.name"),
                text(f"level.{number}.description"),
                MappingProxyType({d: text(f"level.{number}.{d}") for d in self.dimensions}),
                MappingProxyType(mappings),
            )
            for number, (band, mappings) in sorted(self.levels.items())
        )
        languages = {code: infos[code] for code in self.languages}
        return Framework(
            id=self.id,
            version=self.version,
            source_language=self.source_language,
            languages=MappingProxyType(languages),
            title=text("framework.title"),
            attribution=text("framework.attribution"),
            source=self.source,
            licence=self.licence,
            dimensions=tuple(
                LevelDimension(d, text(f"dimension.{d}.label")) for d in self.dimensions
            ),
            bands=tuple(
                LevelBand(
                    b,
                    numbers,
                    text(f"band.{b}.name"),
                    text(f"band.{b}.description"),
                    text(f"band.{b}.purpose"),
                )
                for b, numbers in self.bands.items()
            ),
            levels=levels,
            areas=tuple(
                Area(a, text(f"area.{a}.title"), text(f"area.{a}.description"), tuple(by_area[a]))
                for a in self.areas
            ),
            glossary=tuple(
                GlossaryTerm(g, text(f"glossary.{g}.term"), text(f"glossary.{g}.text"))
                for g in self.glossary
            ),
            related=tuple(self.related),
            _competences=MappingProxyType(index),
        )
