#!/usr/bin/env python3
"""Convert the DigCompSAT item bank (LimeSurvey exports) into resources/digcompsat/items.yaml.

    python tools/build_digcompsat.py [--source ../shared/reference/digcompsat] [--check]

Input: ``en-GB.txt`` and ``lv-LV.txt``, LimeSurvey tab-separated exports of the 82 items of
Clifford et al. (2020), JRC123226, CC BY 4.0. Rows: ``G`` an area group, ``Q`` a question,
``A`` an answer option of the question above it. The Latvian question texts are HTML with
tabs inside quoted fields, so the files are read with a real CSV reader and the HTML is
reduced to its text.

What is read, not written by hand:
  * the area of each item (its ``G`` group: CA1 .. CA5);
  * its type, from its answer scale (knowledge: "I have no knowledge of this ...", skills:
    "I don't know how to do it ...", attitudes: "Not at all ..."), checked to be the same in
    both languages;
  * the four answer texts of each scale per language, checked to be the same for every item
    of that type; and "unclear to me", the fifth option the Latvian bank offers.

One known fault of the English export is repaired, and named in the output: Q30 repeats the
text of Q31 (with another scale). The Latvian Q30 is a different item; its English text here
is the application's own translation of the Latvian one.

``--check`` exits 1 when the file on disk differs from what the sources give (for tests).
"""

from __future__ import annotations

import argparse
import csv
import html
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_SOURCE = ROOT.parent / "shared" / "reference" / "digcompsat"
OUTPUT = ROOT / "resources" / "digcompsat" / "items.yaml"
FILES = {"en": "en-GB.txt", "lv": "lv-LV.txt"}

#: how the first answer option of a scale starts, per type and language
SCALE_STARTS = {
    "knowledge": {"en": "I have no knowledge", "lv": "Man nav nekādu zināšanu"},
    "skills": {"en": "I don’t know how", "lv": "Es nezinu, kā"},
    "attitudes": {"en": "Not at all", "lv": "Nekad"},
}
#: the text of the "unclear to me" option (Latvian bank only)
UNCLEAR = {"lv": "Šis jautājums man ir neskaidrs"}

#: repairs of the sources, each named in the output file
REPAIRS = {
    ("Q30", "en"): (
        "I know how to take the right steps when someone behaves wrongly online "
        "(e.g. makes offensive comments or threats).",
        "en-GB repeats the text of Q31 here; translated from the Latvian Q30 by the "
        "application's developers",
    ),
}

SOURCE = {
    "citation": (
        "Clifford, I., Kluzer, S., Troia, S., Jakobsone, M. and Zandbergs, U., DigCompSat: "
        "A Self-reflection Tool for the European Digital Competence Framework for Citizens, "
        "Vuorikari, R., Punie, Y., Castaño Muñoz, J., Centeno Mediavilla, I.C., O'Keeffe, W. "
        "and Cabrera Giraldez, M. (eds.), Publications Office of the European Union, "
        "Luxembourg, 2020"
    ),
    "doi": "10.2760/77437",
    "url": "https://dx.doi.org/10.2760/77437",
    "identifiers": ["JRC123226", "ISBN 978-92-76-27592-3"],
    "transcribed_from": (
        "almschmid/digcompsat-resources (Schmid, Wandel and Jeyam), "
        "doi:10.5281/zenodo.19706584, LimeSurvey exports en-GB and lv-LV"
    ),
}
LICENCE = {"spdx": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}
CHANGES = (
    "converted from LimeSurvey exports to this application's format: HTML reduced to text, "
    "answer scales kept once per item type, types read off the answer scales; English Q30 "
    "repaired (see repairs)"
)


def plain(text: str) -> str:
    """The text of an HTML fragment, white space collapsed."""
    text = re.sub(r"<[^>]+>", " ", text)
    return " ".join(html.unescape(text).replace("\xa0", " ").split())


def read_bank(path: Path) -> list[dict[str, Any]]:
    """The questions of one export, in order, each with its area and answer options."""
    csv.field_size_limit(1 << 30)
    questions: list[dict[str, Any]] = []
    area: str | None = None
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            kind = row["class"]
            if kind == "G":
                found = re.match(r"CA(\d)\b", row["name"])
                if found is None:
                    raise SystemExit(f"{path.name}: a group that is no area: {row['name']!r}")
                area = found.group(1)
            elif kind == "Q":
                if area is None:
                    raise SystemExit(f"{path.name}: question {row['name']} before any area")
                questions.append(
                    {"id": row["name"], "area": area, "text": plain(row["text"]), "answers": []}
                )
            elif kind == "A":
                questions[-1]["answers"].append((row["name"], plain(row["text"])))
    return questions


def item_type(question: dict[str, Any], language: str) -> str:
    first = question["answers"][0][1]
    for kind, starts in SCALE_STARTS.items():
        if first.startswith(starts[language]):
            return kind
    raise SystemExit(f"{language} {question['id']}: unknown answer scale starting {first!r}")


def build(source: Path) -> dict[str, Any]:
    banks = {language: read_bank(source / name) for language, name in FILES.items()}
    ids = [q["id"] for q in banks["en"]]
    for language, questions in banks.items():
        if [q["id"] for q in questions] != ids:
            raise SystemExit(f"{language}: the questions differ from en-GB's")
    if len(ids) != 82:
        raise SystemExit(f"expected 82 items, found {len(ids)}")

    scales: dict[str, dict[str, list[str]]] = {}
    items = []
    repairs = []
    for index, item_id in enumerate(ids):
        by_language = {language: banks[language][index] for language in banks}
        kinds = {language: item_type(q, language) for language, q in by_language.items()}
        if len(set(kinds.values())) != 1:
            raise SystemExit(f"{item_id}: the languages give different types: {kinds}")
        kind = kinds["en"]
        areas = {q["area"] for q in by_language.values()}
        if len(areas) != 1:
            raise SystemExit(f"{item_id}: the languages give different areas: {areas}")
        texts = {}
        unclear = []
        for language, question in by_language.items():
            answers = [text for _name, text in question["answers"]]
            if language in UNCLEAR and answers and answers[-1] == UNCLEAR[language]:
                answers = answers[:-1]
                unclear.append(language)
            if len(answers) != 4:
                raise SystemExit(f"{language} {item_id}: {len(answers)} answer options, not 4")
            known = scales.setdefault(kind, {}).setdefault(language, answers)
            if known != answers:
                raise SystemExit(f"{language} {item_id}: the {kind} scale differs: {answers}")
            text = question["text"]
            repair = REPAIRS.get((item_id, language))
            if repair is not None:
                repairs.append(
                    {"item": item_id, "language": language, "was": text, "reason": repair[1]}
                )
                text = repair[0]
            texts[language] = text
        entry: dict[str, Any] = {"id": item_id, "area": areas.pop(), "type": kind, "text": texts}
        if unclear:
            entry["unclear"] = unclear
        items.append(entry)
    return {
        "format": 1,
        "id": "digcompsat",
        "framework": {"id": "digcomp", "version": "2.2"},
        "languages": list(FILES),
        # no Dutch bank exists: Dutch users see the English items, marked as English
        "fallback": {"nl": "en"},
        "source": SOURCE,
        "licence": LICENCE,
        "changes": CHANGES,
        "repairs": repairs,
        "scales": {
            kind: {"answers": scales[kind], "unclear": dict(UNCLEAR)}
            for kind in ("knowledge", "skills", "attitudes")
        },
        "items": items,
    }


class _Dumper(yaml.SafeDumper):
    def ignore_aliases(self, data: Any) -> bool:
        return True


HEADER = (
    "# DigCompSAT item bank: 82 self-assessment items on DigComp 2.1, in English and Latvian.\n"
    "# Generated by tools/build_digcompsat.py from ../shared/reference/digcompsat - edit the\n"
    "# script, not this file. CC BY 4.0: see LICENCE.md beside this file.\n"
)


def render(data: dict[str, Any]) -> str:
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100)
    return HEADER + body


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=DEFAULT_SOURCE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    text = render(build(args.source))
    if args.check:
        same = args.output.is_file() and args.output.read_text(encoding="utf-8") == text
        print("up to date" if same else f"{args.output} differs from the sources")
        return 0 if same else 1
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
