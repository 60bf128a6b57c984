"""The DigCompSAT item bank and its scoring: pure data, no Qt, no database.

The 82 items (``resources/digcompsat/items.yaml``, converted by
``tools/build_digcompsat.py``) with their answer scales in English and Latvian, the
application's mapping of each item to a DigComp competence (``mapping.yaml``), and the
scoring of a set of answers into a suggested level band per competence and a profile per
area (``docs/digcompsat-scoring.md``).

Scoring follows Annex 8 of the DigCompSAT report (Clifford et al. 2020): each answer scores 0
to 3 by its place on the item's scale; a competence's score is the average of its items, an
area's the average of all the items of the area; the score as a share of the most it can be
(3 points), rounded to a whole per cent, falls in one of the report's intervals: below
Foundation 0-29 %, Foundation 30-47 %, Intermediate 48-80 %, Advanced 81-100 %. "Unclear to
me" and unanswered items are left out of the average (they are counted and shown).
Knowledge, skills and attitudes are also scored separately, on the same intervals.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from pathlib import Path
from typing import Any, Literal, cast

from digcomp_app.framework import plainyaml
from digcomp_app.resources import resources_dir

ItemType = Literal["knowledge", "skills", "attitudes"]
TYPES: tuple[ItemType, ...] = ("knowledge", "skills", "attitudes")
#: the points of the highest answer (answers score 0, 1, 2, 3)
MAX_POINTS = 3


def bank_dir() -> Path:
    return resources_dir() / "digcompsat"


@dataclass(frozen=True, slots=True)
class Item:
    id: str
    #: the DigComp area the bank puts it in ("1" .. "5")
    area: str
    type: ItemType
    #: the DigComp competence it is mapped to ("1.1" .. "5.4") and why
    competence: str
    why: str
    texts: Mapping[str, str]
    #: the languages whose bank offers "unclear to me" for this item
    unclear: frozenset[str]
    #: its place in the test, 1 .. 82
    number: int


@dataclass(frozen=True, slots=True)
class Gap:
    competence: str
    type: ItemType
    why: str


@dataclass(frozen=True)
class ItemBank:
    items: tuple[Item, ...]
    languages: tuple[str, ...]
    #: language -> the bank language shown instead (Dutch -> English)
    fallback: Mapping[str, str]
    #: type -> language -> the four answer texts, lowest first
    scales: Mapping[str, Mapping[str, tuple[str, ...]]]
    #: language -> the text of "unclear to me"
    unclear_texts: Mapping[str, str]
    source: Mapping[str, Any]
    licence: Mapping[str, str]
    framework: tuple[str, str]
    gaps: tuple[Gap, ...]
    _by_id: dict[str, Item] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._by_id.update({item.id: item for item in self.items})

    def __len__(self) -> int:
        return len(self.items)

    def item(self, item_id: str) -> Item:
        return self._by_id[item_id]

    def has_item(self, item_id: str) -> bool:
        return item_id in self._by_id

    def shown_language(self, language: str) -> str:
        """The bank language shown for ``language`` (English where the bank has none)."""
        if language in self.languages:
            return language
        return self.fallback.get(language, self.languages[0])

    def text(self, item: Item, language: str) -> str:
        return item.texts[self.shown_language(language)]

    def answers(self, item: Item, language: str) -> tuple[str, ...]:
        return self.scales[item.type][self.shown_language(language)]

    def unclear_text(self, item: Item, language: str) -> str | None:
        """The "unclear to me" option of this item in this language, if the bank has one."""
        shown = self.shown_language(language)
        return self.unclear_texts.get(shown) if shown in item.unclear else None

    def items_of(self, competence: str) -> tuple[Item, ...]:
        return tuple(i for i in self.items if i.competence == competence)


class BankError(ValueError):
    pass


def _require(condition: bool, message: str) -> None:
    if not condition:
        raise BankError(message)


def load_bank(folder: Path | None = None) -> ItemBank:
    """Read items.yaml and mapping.yaml, checking that every item is mapped in its area."""
    folder = folder or bank_dir()
    _text, data = plainyaml.load(folder / "items.yaml")
    _text, mapping = plainyaml.load(folder / "mapping.yaml")
    _require(data.get("format") == 1 and mapping.get("format") == 1, "unknown format")
    languages = tuple(str(lang) for lang in data["languages"])
    mapped = mapping["items"]
    items = []
    for number, entry in enumerate(data["items"], start=1):
        item_id = str(entry["id"])
        _require(item_id in mapped, f"{item_id} is not mapped to a competence")
        competence = str(mapped[item_id]["competence"])
        area = str(entry["area"])
        _require(
            competence.split(".", maxsplit=1)[0] == area,
            f"{item_id} is in area {area} but mapped to {competence}",
        )
        kind = str(entry["type"])
        _require(kind in TYPES, f"{item_id}: unknown type {kind}")
        texts = {str(k): str(v) for k, v in entry["text"].items()}
        _require(set(texts) == set(languages), f"{item_id}: texts missing")
        items.append(
            Item(
                item_id,
                area,
                cast(ItemType, kind),
                competence,
                str(mapped[item_id]["why"]),
                texts,
                frozenset(str(u) for u in entry.get("unclear") or ()),
                number,
            )
        )
    extra = set(mapped) - {i.id for i in items}
    _require(not extra, f"mapped but not in the bank: {sorted(extra)}")
    scales = {
        str(kind): {
            str(lang): tuple(str(a) for a in answers) for lang, answers in s["answers"].items()
        }
        for kind, s in data["scales"].items()
    }
    for kind, by_language in scales.items():
        for lang, answers in by_language.items():
            _require(len(answers) == MAX_POINTS + 1, f"{kind} {lang}: not four answers")
    unclear_texts: dict[str, str] = {}
    for s in data["scales"].values():
        unclear_texts.update({str(k): str(v) for k, v in (s.get("unclear") or {}).items()})
    gaps = tuple(
        Gap(str(g["competence"]), cast(ItemType, str(g["type"])), str(g["why"]))
        for g in mapping.get("gaps") or ()
    )
    return ItemBank(
        tuple(items),
        languages,
        {str(k): str(v) for k, v in (data.get("fallback") or {}).items()},
        scales,
        unclear_texts,
        dict(data["source"]),
        {str(k): str(v) for k, v in data["licence"].items()},
        (str(data["framework"]["id"]), str(data["framework"]["version"])),
        gaps,
    )


@functools.cache
def builtin_bank() -> ItemBank:
    return load_bank()


# --- scoring ---------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Band:
    id: str  # "low", "foundation", "intermediate", "advanced"
    #: the lowest whole per cent in the band
    lowest: int
    #: the DigComp proficiency levels it stands for ((0, 0): below level 1)
    levels: tuple[int, int]


#: Annex 8 of the DigCompSAT report: Low 0-29 %, Foundation 30-47 %, Intermediate 48-80 %,
#: Advanced 81-100 %; the levels are DigComp's (Foundation 1-2, Intermediate 3-4, Advanced 5-6)
BANDS: tuple[Band, ...] = (
    Band("low", 0, (0, 0)),
    Band("foundation", 30, (1, 2)),
    Band("intermediate", 48, (3, 4)),
    Band("advanced", 81, (5, 6)),
)
#: a self-rating this many levels or more away from the band is flagged
LARGE_DIFFERENCE = 2


def band_of(percent: int) -> Band:
    _require(0 <= percent <= 100, f"not a percentage: {percent}")
    return [b for b in BANDS if percent >= b.lowest][-1]


def band(band_id: str) -> Band:
    return next(b for b in BANDS if b.id == band_id)


def percent_of(points: Sequence[int]) -> int | None:
    """The average of ``points`` (0-3 each) as a whole per cent of 3, halves rounded up."""
    if not points:
        return None
    share = Fraction(sum(points) * 100, MAX_POINTS * len(points))
    return int(share + Fraction(1, 2))  # floor(x + 1/2): halves up, no float error


@dataclass(frozen=True, slots=True)
class Score:
    #: None when no item was answered on the scale
    percent: int | None
    #: items answered on the scale, answered "unclear to me", and not answered
    answered: int
    unclear: int
    unanswered: int

    @property
    def total(self) -> int:
        return self.answered + self.unclear + self.unanswered

    @property
    def band(self) -> Band | None:
        return None if self.percent is None else band_of(self.percent)

    @property
    def empty(self) -> bool:
        """No item of this kind in the bank."""
        return self.total == 0


@dataclass(frozen=True, slots=True)
class Profile:
    """The score of a competence or an area: all its items, and each type alone."""

    id: str
    overall: Score
    by_type: Mapping[str, Score]

    @property
    def band(self) -> Band | None:
        return self.overall.band


@dataclass(frozen=True, slots=True)
class Result:
    competences: tuple[Profile, ...]
    areas: tuple[Profile, ...]
    answered: int
    unclear: int
    total: int

    def competence(self, competence_id: str) -> Profile:
        return next(p for p in self.competences if p.id == competence_id)

    def area(self, area_id: str) -> Profile:
        return next(p for p in self.areas if p.id == area_id)


#: an answer: 0-3 on the item's scale, or None for "unclear to me"
AnswerValue = int | None


def _score(items: Iterable[Item], answers: Mapping[str, AnswerValue]) -> Score:
    points: list[int] = []
    unclear = unanswered = 0
    for item in items:
        if item.id not in answers:
            unanswered += 1
            continue
        value = answers[item.id]
        if value is None:
            unclear += 1
        else:
            _require(0 <= value <= MAX_POINTS, f"{item.id}: not an answer: {value}")
            points.append(value)
    return Score(percent_of(points), len(points), unclear, unanswered)


def _profile(key: str, items: Sequence[Item], answers: Mapping[str, AnswerValue]) -> Profile:
    by_type: dict[str, Score] = {
        kind: _score([i for i in items if i.type == kind], answers) for kind in TYPES
    }
    return Profile(key, _score(items, answers), by_type)


def score(bank: ItemBank, answers: Mapping[str, AnswerValue]) -> Result:
    """Score ``answers`` (item id -> 0-3 or None for "unclear"; missing: not answered)."""
    competences = list(dict.fromkeys(i.competence for i in bank.items))
    areas = list(dict.fromkeys(i.area for i in bank.items))
    return Result(
        tuple(
            _profile(c, [i for i in bank.items if i.competence == c], answers) for c in competences
        ),
        tuple(_profile(a, [i for i in bank.items if i.area == a], answers) for a in areas),
        sum(1 for i in bank.items if answers.get(i.id, -1) is not None and i.id in answers),
        sum(1 for i in bank.items if i.id in answers and answers[i.id] is None),
        len(bank.items),
    )


def level_difference(found: Band | None, level: int | None) -> int | None:
    """How many levels a self-rated ``level`` (None: "not yet", taken as 0) lies outside the
    band's levels; None when the test gives no band."""
    if found is None:
        return None
    own = level or 0
    low, high = found.levels
    if low <= own <= high:
        return 0
    return low - own if own < low else own - high


def large_difference(found: Band | None, level: int | None) -> bool:
    difference = level_difference(found, level)
    return difference is not None and difference >= LARGE_DIFFERENCE
