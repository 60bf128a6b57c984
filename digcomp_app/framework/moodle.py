"""Moodle competency frameworks as CSV (Moodle's "Import competency framework" tool,
``tool_lpimportcsv``), both ways. The format and its mapping: ``docs/moodle-frameworks.md``.

Export: a framework becomes one framework row (scale = the framework's levels, taxonomy
``domain,competency``, ``domain,competency,indicator`` when it has statements or
outcomes), one row per area, one per competence (parent = its area), and one per competence
statement and learning outcome (parent = its competence), whose description ends with a
line saying what it is and at which levels it applies (:data:`DETAILS_LINE`).

Import: a Moodle CSV becomes the files of a framework folder in the app's format (format
1), which are then checked by the same loader as the built-in frameworks. Nodes at depth 1
become areas, at depth 2 competences, deeper nodes statements or learning outcomes of
their competence as their details line says (without one: statements valid at every
level); a framework with one depth only gets one area holding every node. The scale's
items become the levels (1, 2, ...). A competence description ending in "ESCO: <uri>"
gives the competence its ESCO concept back.

The file is read as a stream (never whole into memory), capped at :data:`MAX_BYTES`, and
refused with every problem named by its row: wrong columns, no or two framework rows, a
missing scale, duplicate ID numbers, unknown parents, cycles, cells that a spreadsheet
would run as formulas (``=cmd|...``), text that is not UTF-8. Nothing is written then.
"""

from __future__ import annotations

import csv
import html
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import IO

from digcomp_app.framework.loader import FORMAT_VERSION, STRUCTURE_FILE
from digcomp_app.framework.model import Framework, OutcomeType
from digcomp_app.i18n import _, ngettext

#: the biggest CSV read (bytes): DigComp 3.0 with every text is under 1 MiB
MAX_BYTES = 10 * 1024 * 1024
#: the most nodes (rows) a framework may have
MAX_ROWS = 20_000
#: the longest cell (characters)
MAX_CELL = 100_000
COLUMNS = 14
#: Moodle's own header (its exporter's English strings); matched by position on import
HEADER = (
    "Parent ID number",
    "ID number",
    "Short name",
    "Description",
    "Description format",
    "Scale values",
    "Scale configuration",
    "Rule type (optional)",
    "Rule outcome (optional)",
    "Rule config (optional)",
    "Cross-referenced competency ID numbers",
    "Exported ID (optional)",
    "Is framework",
    "Taxonomy",
)
(
    PARENT,
    IDNUMBER,
    SHORTNAME,
    DESCRIPTION,
    DESCRIPTION_FORMAT,
    SCALE_VALUES,
    SCALE_CONFIGURATION,
    RULE_TYPE,
    RULE_OUTCOME,
    RULE_CONFIG,
    CROSS_REFERENCES,
    EXPORTED_ID,
    IS_FRAMEWORK,
    TAXONOMY,
) = range(COLUMNS)
#: Moodle's text format numbers: plain text
FORMAT_PLAIN = 2
_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")
#: a cell a spreadsheet would run: =..., +..., @..., -1+..., also after blanks
_FORMULA_RE = re.compile(r"\s*(?:[=+@\uff1d\uff0b\uff20]|-(?=[0-9(=+@A-Za-z$]))")
_PLAIN_KEY_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")
_TEXT_COLUMNS = (PARENT, IDNUMBER, SHORTNAME, DESCRIPTION, SCALE_VALUES, CROSS_REFERENCES)
#: the last line of a statement's or outcome's description: what it is, its levels and
#: its AI label, in fixed English words the import reads back
#: ("Competence statement · levels 3–4 · AI: implicit",
#: "Learning outcome (knowledge) · levels 1–2, 5")
DETAILS_LINE = re.compile(
    r"(?:Competence statement|Learning outcome \((?P<type>knowledge|skill|attitude)\))"
    r" · levels (?P<levels>\d+(?:[–-]\d+)?(?:, \d+(?:[–-]\d+)?)*)"
    r"(?: · AI: (?P<ai>explicit|implicit|none))?\Z"
)
STATEMENT_WORDS = "Competence statement"
OUTCOME_WORDS = "Learning outcome ({type})"
_ESCO_LINE = re.compile(r"ESCO: (?P<uri>https?://\S+)\Z")
#: Moodle's longest short name
MAX_SHORTNAME = 100


class MoodleError(ValueError):
    """The CSV cannot be imported; ``problems`` names each row and what is wrong."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class MoodleImport:
    """A framework folder made from a Moodle CSV, not yet checked by the loader."""

    framework_id: str
    version: str
    title: str
    #: file name -> text of the framework folder
    files: Mapping[str, str]
    areas: int
    competences: int
    statements: int
    levels: int
    #: what the import changed or left out (not errors)
    notes: tuple[str, ...] = ()
    outcomes: int = 0

    def write(self, folder: Path) -> None:
        """Write the files into ``folder`` (created; it must not hold a framework yet)."""
        folder.mkdir(parents=True, exist_ok=True)
        if (folder / STRUCTURE_FILE).exists():
            raise FileExistsError(_("{folder} already holds a framework").format(folder=folder))
        for name, text in self.files.items():
            (folder / name).write_text(text, encoding="utf-8", newline="\n")


# --- export ---------------------------------------------------------------------------


def export_csv(framework: Framework, language: str) -> str:
    """The framework as a Moodle competency-framework CSV, texts in ``language``."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    area_ids = {area.id for area in framework.areas}
    clash = bool(area_ids & {c.id for c in framework.competences()})
    scale = ",".join(_scale_item(framework, level.number, language) for level in framework.levels)
    configuration = [{"scaleid": "1"}] + [
        {"id": index, "scaledefault": int(index == 1), "proficient": 1}
        for index, _level in enumerate(framework.levels, start=1)
    ]
    title = framework.title.get(language) or framework.label
    deep = any(c.statements or c.learning_outcomes for c in framework.competences())
    writer.writerow(
        _safe_row(
            [
                "",
                framework.id,
                title[:100],
                framework.attribution.get(language),
                FORMAT_PLAIN,
                scale,
                json.dumps(configuration, separators=(",", ":")),
                "",
                "",
                "",
                "",
                "",
                1,
                "domain,competency,indicator" if deep else "domain,competency",
            ]
        )
    )
    exported = 0
    used: set[str] = set()

    def node(parent: str, idnumber: str, name: str, description: str) -> None:
        nonlocal exported
        exported += 1
        used.add(idnumber)
        writer.writerow(
            _safe_row(
                [
                    parent,
                    idnumber,
                    _short(name),
                    description,
                    FORMAT_PLAIN,
                    "",
                    "",
                    "",
                    0,
                    "null",
                    "",
                    exported,
                    "",
                    "",
                ]
            )
        )

    used.update(c.id for c in framework.competences())
    used.update(f"area-{a.id}" if clash else a.id for a in framework.areas)
    for area in framework.areas:
        area_id = f"area-{area.id}" if clash else area.id
        node("", area_id, area.title.get(language), area.description.get(language))
        for competence in area.competences:
            description = competence.description.get(language)
            esco = getattr(competence, "esco", "")
            if esco:
                description = f"{description}\n\nESCO: {esco}" if description else f"ESCO: {esco}"
            node(area_id, competence.id, competence.title.get(language), description)
            for statement in competence.statements:
                text = statement.text.get(language)
                details = _details(STATEMENT_WORDS, statement.levels, statement.ai_label)
                idnumber = _unused(statement.id, "statement", used)
                node(competence.id, idnumber, text, f"{text}\n\n{details}")
            for outcome in competence.learning_outcomes:
                text = outcome.text.get(language)
                words = OUTCOME_WORDS.format(type=outcome.type.value)
                details = _details(words, outcome.levels, outcome.ai_label)
                idnumber = _unused(outcome.id, "outcome", used)
                node(competence.id, idnumber, text, f"{text}\n\n{details}")
    return out.getvalue()


def _short(text: str) -> str:
    """A Moodle short name: the text, cut at a word with "…" when it is too long."""
    if len(text) <= MAX_SHORTNAME:
        return text
    cut = text[: MAX_SHORTNAME - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut).rstrip(" ,;:") + "…"


def _unused(idnumber: str, kind: str, used: set[str]) -> str:
    """``idnumber``, or ``<kind>-<idnumber>`` (then numbered) when the file already has it:
    Moodle's ID numbers are unique in a framework."""
    candidate, number = idnumber, 1
    while candidate in used:
        candidate = f"{kind}-{idnumber}" + (f"-{number}" if number > 1 else "")
        number += 1
    return candidate


def _details(words: str, levels: Iterable[int], ai_label: object) -> str:
    """The details line of a statement or outcome (:data:`DETAILS_LINE`)."""
    runs: list[list[int]] = []
    for number in sorted(set(levels)):
        if runs and number == runs[-1][-1] + 1:
            runs[-1].append(number)
        else:
            runs.append([number])
    spans = ", ".join(f"{r[0]}–{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs)
    line = f"{words} · levels {spans}"
    value = getattr(ai_label, "value", None)
    return f"{line} · AI: {value}" if value else line


def _scale_item(framework: Framework, number: int, language: str) -> str:
    """A level as a scale item: "1 Basic" (no commas: Moodle splits the scale on them)."""
    level = framework.level(number)
    band = framework.band_of(number)
    name = level.name.get(language) or (band.name.get(language) if band else "")
    return " ".join(part for part in (str(number), name.replace(",", " ").strip()) if part)


def _safe_row(row: list[object]) -> list[object]:
    """Cells a spreadsheet would run as formulas get a leading space (kept as text)."""
    return [
        f" {cell}" if isinstance(cell, str) and _FORMULA_RE.match(cell) else cell for cell in row
    ]


# --- import ---------------------------------------------------------------------------


@dataclass(slots=True)
class _Node:
    row: int
    idnumber: str
    parent: str
    name: str
    description: str
    children: list[_Node] = field(default_factory=list)


def import_csv(
    path: Path,
    *,
    framework_id: str | None = None,
    version: str | None = None,
    language: str = "en",
    max_bytes: int = MAX_BYTES,
) -> MoodleImport:
    """Read a Moodle competency-framework CSV; raises :class:`MoodleError` naming every
    problem (and nothing is made)."""
    try:
        size = path.stat().st_size
    except OSError as error:
        message = _("{file} cannot be read: {error}").format(file=path, error=error)
        raise MoodleError([message]) from None
    if size > max_bytes:
        raise MoodleError([_too_big(max_bytes)])
    with path.open("rb") as stream:
        return import_stream(
            stream,
            framework_id=framework_id,
            version=version,
            language=language,
            max_bytes=max_bytes,
        )


def _too_big(max_bytes: int) -> str:
    return _(
        "The file is larger than {size} MB; a Moodle competency framework is much smaller. "
        "Check that this is the right file."
    ).format(size=max_bytes // (1024 * 1024))


class _Capped(io.RawIOBase):
    """A byte stream that stops with an error after ``limit`` bytes."""

    def __init__(self, stream: IO[bytes], limit: int) -> None:
        self._stream = stream
        self._left = limit
        self.limit = limit

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: bytearray | memoryview) -> int:  # type: ignore[override]
        data = self._stream.read(min(len(buffer), self._left + 1))
        if len(data) > self._left:
            raise MoodleError([_too_big(self.limit)])
        self._left -= len(data)
        buffer[: len(data)] = data
        return len(data)


def import_stream(
    stream: IO[bytes],
    *,
    framework_id: str | None = None,
    version: str | None = None,
    language: str = "en",
    max_bytes: int = MAX_BYTES,
) -> MoodleImport:
    text = io.TextIOWrapper(
        io.BufferedReader(_Capped(stream, max_bytes)), encoding="utf-8-sig", newline=""
    )
    problems: list[str] = []
    rows = _rows(text, problems)
    nodes: dict[str, _Node] = {}
    framework_row: tuple[int, list[str]] | None = None
    skipped = 0
    for number, cells in rows:
        if len(problems) >= 50:
            problems.append(_("… and more; correct these first."))
            break
        if number == 1:
            if len(cells) != COLUMNS:
                problems.append(
                    _(
                        "Row 1: a Moodle competency framework has {expected} columns "
                        "(Parent ID number, ID number, Short name, …, Is framework, Taxonomy); "
                        "this file has {found}."
                    ).format(expected=COLUMNS, found=len(cells))
                )
                break
            continue
        if len(cells) != COLUMNS:
            if not any(cell.strip() for cell in cells):
                continue  # an empty line
            problems.append(
                _("Row {row}: {found} columns instead of {expected}.").format(
                    row=number, found=len(cells), expected=COLUMNS
                )
            )
            continue
        for column in _TEXT_COLUMNS:
            if cells[column] and _FORMULA_RE.match(cells[column]):
                problems.append(
                    _(
                        "Row {row}, column “{column}”: the cell starts like a spreadsheet "
                        "formula ({start}…); such cells are refused."
                    ).format(row=number, column=HEADER[column], start=cells[column].strip()[:12])
                )
                break
        else:
            if cells[IS_FRAMEWORK].strip() == "1":
                if framework_row is not None:
                    problems.append(
                        _(
                            "Row {row}: a second framework row (row {first} is already the "
                            "framework); exactly one row has 1 in “Is framework”."
                        ).format(row=number, first=framework_row[0])
                    )
                else:
                    framework_row = (number, cells)
                continue
            idnumber = _clean(cells[IDNUMBER]).strip()[:100]
            name = _clean(cells[SHORTNAME]).strip()[:100]
            if not idnumber or not name:
                skipped += 1  # as Moodle does
                continue
            if idnumber in nodes:
                problems.append(
                    _("Row {row}: the ID number “{id}” is already used in row {first}.").format(
                        row=number, id=idnumber, first=nodes[idnumber].row
                    )
                )
                continue
            if len(nodes) >= MAX_ROWS:
                problems.append(
                    _("Row {row}: more than {count} competencies; the file is refused.").format(
                        row=number, count=MAX_ROWS
                    )
                )
                break
            nodes[idnumber] = _Node(
                number,
                idnumber,
                _clean(cells[PARENT]).strip(),
                name,
                _plain(cells[DESCRIPTION], cells[DESCRIPTION_FORMAT]),
            )
    if problems:
        raise MoodleError(problems)
    if framework_row is None:
        raise MoodleError(
            [_("No framework row: exactly one row must have 1 in the column “Is framework”.")]
        )
    levels = _scale(*framework_row, problems)
    roots = _tree(nodes, problems)
    if problems:
        raise MoodleError(problems)
    if not nodes:
        raise MoodleError([_("The file has a framework row but no competencies.")])
    cells = framework_row[1]
    return _build(
        cells,
        roots,
        levels,
        framework_id=framework_id,
        version=version,
        language=language,
        skipped=skipped,
    )


def _rows(text: io.TextIOWrapper, problems: list[str]) -> Iterator[tuple[int, list[str]]]:
    """(row number, cells) of each CSV record, 1-based; problems of reading become
    reports instead of exceptions."""
    reader = csv.reader(_limited_lines(text), strict=True)
    number = 0
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except UnicodeDecodeError:
            problems.append(
                _("Row {row}: the text is not UTF-8; save the CSV as UTF-8 and try again.").format(
                    row=number + 1
                )
            )
            return
        except csv.Error as error:
            problems.append(
                _("Row {row}: not a valid CSV record ({error}).").format(
                    row=number + 1, error=error
                )
            )
            return
        number += 1
        yield number, cells


def _limited_lines(text: Iterable[str]) -> Iterator[str]:
    for line in text:
        if len(line) > MAX_CELL:
            raise csv.Error(_("a line longer than {count} characters").format(count=MAX_CELL))
        yield line


def _clean(text: str) -> str:
    """Text without control characters (a YAML file cannot hold them), line breaks kept."""
    return "".join(
        char
        for char in text
        if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cs", "Co", "Cn")
    )


class _TextOnly(HTMLParser):
    _BREAKS = frozenset({"p", "br", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6"})

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._BREAKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def _plain(description: str, text_format: str) -> str:
    """A description as plain text: HTML (format 1 or 0) loses its tags."""
    text = _clean(description)
    if text_format.strip() in ("0", "1", "") and "<" in text:
        parser = _TextOnly()
        parser.feed(text)
        parser.close()
        text = "".join(parser.parts)
    else:
        text = html.unescape(text)
    lines = [" ".join(line.split()) for line in text.splitlines()]
    paragraphs = "\n".join(line for line in lines if line)
    return paragraphs.strip()


def _scale(row: int, cells: list[str], problems: list[str]) -> list[str]:
    values = [_clean(v).strip() for v in cells[SCALE_VALUES].split(",") if v.strip()]
    if not values:
        problems.append(
            _(
                "Row {row}: the framework row has no scale values (for example "
                "“Not yet competent,Competent”)."
            ).format(row=row)
        )
        return []
    configuration = cells[SCALE_CONFIGURATION].strip()
    try:
        items = json.loads(configuration) if configuration else None
    except ValueError:
        items = None
    ok = (
        isinstance(items, list)
        and len(items) >= 2
        and isinstance(items[0], dict)
        and "scaleid" in items[0]
        and all(isinstance(item, dict) and isinstance(item.get("id"), int) for item in items[1:])
    )
    if not ok:
        problems.append(
            _(
                "Row {row}: the scale configuration must be a JSON list such as "
                '[{{"scaleid":"1"}},{{"id":1,"scaledefault":1,"proficient":1}}].'
            ).format(row=row)
        )
        return values
    assert isinstance(items, list)
    flagged = items[1:]
    if any(not 1 <= item["id"] <= len(values) for item in flagged):
        problems.append(
            _("Row {row}: the scale configuration names an item the scale does not have.").format(
                row=row
            )
        )
    if not any(item.get("scaledefault") for item in flagged) or not any(
        item.get("proficient") for item in flagged
    ):
        problems.append(
            _(
                "Row {row}: the scale configuration needs one default item and at least one "
                "proficient item."
            ).format(row=row)
        )
    return values


def _tree(nodes: dict[str, _Node], problems: list[str]) -> list[_Node]:
    roots: list[_Node] = []
    for node in sorted(nodes.values(), key=lambda n: n.row):
        if not node.parent:
            roots.append(node)
        elif node.parent == node.idnumber:
            problems.append(
                _("Row {row}: “{id}” names itself as its parent.").format(
                    row=node.row, id=node.idnumber
                )
            )
        elif node.parent not in nodes:
            problems.append(
                _("Row {row}: the parent “{parent}” is not an ID number in this file.").format(
                    row=node.row, parent=node.parent
                )
            )
        else:
            nodes[node.parent].children.append(node)
    if problems:
        return roots
    # every node must be reached from a root; the rest hang in cycles
    reached: set[str] = set()
    stack = list(roots)
    while stack:
        node = stack.pop()
        reached.add(node.idnumber)
        stack.extend(node.children)
    for node in sorted(nodes.values(), key=lambda n: n.row):
        if node.idnumber not in reached:
            problems.append(
                _(
                    "Row {row}: “{id}” is in a cycle of parents (a competency is its own ancestor)."
                ).format(row=node.row, id=node.idnumber)
            )
    return roots


def _identifiers(nodes: Iterable[_Node]) -> dict[str, str]:
    """Each Moodle ID number as an id of the app's format (letters, digits, . _ -)."""
    used: set[str] = set()
    found: dict[str, str] = {}
    for node in nodes:
        base = node.idnumber if _ID_RE.match(node.idnumber) else _identifier(node.idnumber)
        candidate, suffix = base, 2
        while candidate in used:
            candidate, suffix = f"{base}-{suffix}", suffix + 1
        used.add(candidate)
        found[node.idnumber] = candidate
    return found


def _identifier(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "-", ascii_text).strip("-._")
    return cleaned or "item"


def _walk(roots: list[_Node]) -> Iterator[_Node]:
    stack = list(reversed(roots))
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(node.children))


def _build(
    cells: list[str],
    roots: list[_Node],
    levels: list[str],
    *,
    framework_id: str | None,
    version: str | None,
    language: str,
    skipped: int,
) -> MoodleImport:
    notes: list[str] = []
    title = _clean(cells[SHORTNAME]).strip() or _clean(cells[IDNUMBER]).strip() or "Moodle"
    fid = framework_id or _identifier(_clean(cells[IDNUMBER]).strip() or title).lower()
    version = version or "1.0"
    ids = _identifiers(_walk(roots))
    deep = any(root.children for root in roots)
    areas: list[tuple[str, _Node | None]] = []
    competences: list[tuple[str, str, _Node]] = []
    statements: list[tuple[str, str, _Node]] = []
    numbers = list(range(1, len(levels) + 1))
    #: what a node's details line says: (outcome type or None, levels, AI label, text)
    details: dict[str, tuple[str | None, list[int], str | None, str]] = {}
    problems: list[str] = []
    if deep:
        for root in roots:
            areas.append((ids[root.idnumber], root))
            for child in root.children:
                competences.append((ids[child.idnumber], ids[root.idnumber], child))
                for below in _walk(child.children):
                    statements.append((ids[below.idnumber], ids[child.idnumber], below))
                    said = _read_details(below, len(levels), problems)
                    if said is not None:
                        details[below.idnumber] = said
    else:
        area_id = "area" if "area" not in ids.values() else "area-1"
        areas.append((area_id, None))
        for root in roots:
            competences.append((ids[root.idnumber], area_id, root))
        notes.append(
            _("The competencies have no parents: they were put in one area, “{title}”.").format(
                title=title
            )
        )
    if problems:
        raise MoodleError(problems)
    unmarked = sum(1 for _sid, _cid, below in statements if below.idnumber not in details)
    if unmarked:
        notes.append(
            ngettext(
                "{count} competency below the second level became a competence statement "
                "of the competence above it, valid at every level.",
                "{count} competencies below the second level became competence statements "
                "of the competence above them, valid at every level.",
                unmarked,
            ).format(count=unmarked)
        )
    renamed = sum(1 for moodle_id, own in ids.items() if moodle_id != own)
    if renamed:
        notes.append(
            ngettext(
                "{count} ID number had characters an id may not have (letters, digits, '.', "
                "'_' and '-' only) and was changed.",
                "{count} ID numbers had characters an id may not have (letters, digits, '.', "
                "'_' and '-' only) and were changed.",
                renamed,
            ).format(count=renamed)
        )
    if skipped:
        notes.append(
            ngettext(
                "{count} row without ID number or short name was left out, as Moodle does.",
                "{count} rows without ID number or short name were left out, as Moodle does.",
                skipped,
            ).format(count=skipped)
        )
    notes.append(
        _(
            "The licence of the framework is not in a Moodle file: set it in framework.yaml "
            "before sharing the framework."
        )
    )
    if not competences:
        raise MoodleError([_("The file has areas but no competencies under them.")])
    escos = {node.idnumber: _esco_of(node.description) for _cid, _aid, node in competences}
    plain_statements = [s for s in statements if details.get(s[2].idnumber, (None,))[0] is None]
    outcomes = [s for s in statements if details.get(s[2].idnumber, (None,))[0] is not None]
    structure = {
        "format": FORMAT_VERSION,
        "id": fid,
        "version": version,
        "source_language": language,
        "languages": [language],
        "source": {
            "publisher": "Moodle",
            "citation": _("{title}, imported from a Moodle competency framework (CSV)").format(
                title=title
            ),
        },
        "licence": {"spdx": "NOASSERTION", "url": "https://spdx.org/licenses/"},
        "levels": [{"number": n} for n in numbers],
        "areas": [{"id": area_id} for area_id, _node in areas],
        "competences": [
            {
                "id": cid,
                "area": aid,
                **({"esco": escos[node.idnumber][0]} if escos[node.idnumber][0] else {}),
            }
            for cid, aid, node in competences
        ],
    }
    if plain_statements:
        structure["statements"] = [
            _item(sid, cid, details.get(node.idnumber), numbers)
            for sid, cid, node in plain_statements
        ]
    if outcomes:
        structure["learning_outcomes"] = [
            _item(sid, cid, details[node.idnumber], numbers) for sid, cid, node in outcomes
        ]
    texts: dict[str, str] = {
        "framework.title": title,
        "framework.attribution": _plain(cells[DESCRIPTION], cells[DESCRIPTION_FORMAT]) or title,
    }
    for number, name in zip(numbers, levels, strict=True):
        texts[f"level.{number}.name"] = name
        texts[f"level.{number}.description"] = name
    for area_id, area_node in areas:
        texts[f"area.{area_id}.title"] = area_node.name if area_node else title
        if area_node and area_node.description:
            texts[f"area.{area_id}.description"] = area_node.description
    for cid, _aid, node in competences:
        texts[f"competence.{cid}.title"] = node.name
        texts[f"competence.{cid}.description"] = escos[node.idnumber][1] or node.name
    for sid, _cid, node in plain_statements:
        said = details.get(node.idnumber)
        texts[f"statement.{sid}"] = (said[3] if said else "") or node.name
    for sid, _cid, node in outcomes:
        texts[f"outcome.{sid}"] = details[node.idnumber][3] or node.name
    files = {
        STRUCTURE_FILE: _yaml(structure),
        f"texts.{language}.yaml": _yaml(
            {
                "language": language,
                "status": "official",
                "note": _("Imported from a Moodle competency framework CSV."),
                "texts": texts,
            }
        ),
    }
    return MoodleImport(
        fid,
        version,
        title,
        files,
        areas=len(areas),
        competences=len(competences),
        statements=len(plain_statements),
        levels=len(levels),
        notes=tuple(notes),
        outcomes=len(outcomes),
    )


def _read_details(
    node: _Node, top: int, problems: list[str]
) -> tuple[str | None, list[int], str | None, str] | None:
    """What the last line of a node's description says it is (:data:`DETAILS_LINE`): the
    outcome type (None: a statement), its levels, its AI label and the text above the line.
    None when there is no such line; a level outside the scale is a problem."""
    body, _sep, last = node.description.rpartition("\n")
    found = DETAILS_LINE.match(last)
    if found is None:
        return None
    levels: list[int] = []
    for span in found["levels"].split(", "):
        first, _dash, final = span.replace("–", "-").partition("-")
        levels.extend(range(int(first), int(final or first) + 1))
    if not levels or min(levels) < 1 or max(levels) > top:
        problems.append(
            _("Row {row}: the levels {levels} are not all on the scale (1 to {top}).").format(
                row=node.row, levels=found["levels"], top=top
            )
        )
    return found["type"], sorted(set(levels)), found["ai"], body.strip()


def _item(
    item_id: str,
    competence_id: str,
    said: tuple[str | None, list[int], str | None, str] | None,
    numbers: list[int],
) -> dict[str, object]:
    """A statement's or outcome's entry of framework.yaml."""
    entry: dict[str, object] = {
        "id": item_id,
        "competence": competence_id,
        "levels": said[1] if said else numbers,
    }
    if said and said[2]:
        entry["ai_label"] = said[2]
    if said and said[0]:
        entry["type"] = OutcomeType(said[0]).value
    return entry


def _esco_of(description: str) -> tuple[str, str]:
    """A competence description's ESCO concept ("ESCO: <uri>" as its last line, as the
    export writes it) and the description without that line."""
    body, _sep, last = description.rpartition("\n")
    found = _ESCO_LINE.match(last)
    if found is None:
        return "", description
    return found["uri"], body.strip()


def _yaml(value: object, indent: int = 0) -> str:
    """Plain YAML (block style; every string double-quoted, JSON-escaped), as the strict
    reader reads it."""
    return "".join(_yaml_lines(value, indent))


def _yaml_lines(value: object, indent: int) -> Iterator[str]:
    pad = " " * indent
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, dict | list) and item:
                yield f"{pad}{_key(key)}:\n"
                yield from _yaml_lines(item, indent + 2)
            else:
                yield f"{pad}{_key(key)}: {_scalar(item)}\n"
    elif isinstance(value, list):
        for item in value:
            if isinstance(item, dict) and item:
                lines = list(_yaml_lines(item, indent + 2))
                yield f"{pad}- {lines[0].lstrip()}"
                yield from lines[1:]
            else:
                yield f"{pad}- {_scalar(item)}\n"


def _key(key: object) -> str:
    text = str(key)
    return text if _PLAIN_KEY_RE.match(text) else _scalar(text)


def _scalar(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_scalar(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{}"
    return json.dumps(str(value), ensure_ascii=False)
