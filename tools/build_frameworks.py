#!/usr/bin/env python3
"""Build resources/frameworks/ from the JRC reference data and our translations.

    python tools/build_frameworks.py [--reference ../shared/reference] [--check]

Inputs
  * DigComp 3.0: the JRC data supplement (JSON-LD), English.
  * DigComp 2.2: the JRC areas/competences CSV, English, with the two title fixes and
    sentence case the reference README asks for; the 8 levels' three dimensions.
  * translations/frameworks/<framework>.<lang>.csv: our keyed translations
    (columns key, source, target, status). A row whose ``source`` no longer equals the
    English text is stale: it is skipped and reported, so the app falls back to English
    rather than show a translation of an older text.
  * ESCO: each competence's ESCO concept (``esco:`` in framework.yaml). DigComp 2.2 takes it
    from the DigComp 2.2 -> ESCO map beside the ESCO DigComp collection
    (../shared/reference/interop/esco/); every URI must be a released concept of that
    collection. DigComp 3.0 has no ESCO map: tools/data/digcomp-3.0-esco.csv says, per code,
    whether the 3.0 competence is the 2.2 one (same title), the 2.2 one renamed (same code and
    subject: it takes the 2.2 concept) or changed (none: no concept), with the reason. Both
    titles are written in that file and checked against the framework texts, so a changed
    title stops the build until someone reviews the row.
  * --import-l10n LANG DIR turns an external DigComp 3.0 translation in the
    ``location, context, source, target`` CSV layout (the Dutch one in
    ../shared/reference/digcomp-3.0/l10n-nl/) into translations/frameworks/digcomp-3.0.LANG.csv;
    the build then reads it like any other translation.

The languages, with the status and note of each translation, are listed in LANGUAGES. A
language listed for a framework without a translation CSV gets a text file with no texts
and a note saying so: the app shows that framework's English text, marked as such.

Output: one folder per framework with framework.yaml and texts.<lang>.yaml. Run with
--check to verify that the committed files are what this script produces.
"""

from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "resources" / "frameworks"
TRANSLATIONS = ROOT / "translations" / "frameworks"
ESCO_30_MAP = ROOT / "tools" / "data" / "digcomp-3.0-esco.csv"
ESCO_RELATIONS = frozenset({"same", "renamed", "none"})
ESCO_NOTE = (
    "esco: ESCO v1.2.0 DigComp collection concepts, (c) European Union, https://esco.ec.europa.eu"
    " (reuse authorised with acknowledgement, Commission Decision 2011/833/EU)."
)

CC_BY = {"spdx": "CC-BY-4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}

DIGCOMP_30_BANDS = {
    "Basic": "basic",
    "Intermediate": "intermediate",
    "Advanced": "advanced",
    "Highly advanced": "highly-advanced",
}
AI_LABELS = {
    "AI-Explicit": "explicit",
    "AI-Implicit": "implicit",
    "AI not Implicit or Explicit": "none",
}

# DigComp 2.1/2.2 proficiency levels (reference README, from Carretero et al. 2017).
DIGCOMP_22_LEVELS = [
    (1, "foundation", "Simple tasks", "With guidance", "Remembering"),
    (2, "foundation", "Simple tasks", "Autonomy and with guidance where needed", "Remembering"),
    (
        3,
        "intermediate",
        "Well-defined and routine tasks, and straightforward problems",
        "On my own",
        "Understanding",
    ),
    (
        4,
        "intermediate",
        "Tasks, and well-defined and non-routine problems",
        "Independent and according to my needs",
        "Understanding",
    ),
    (5, "advanced", "Different tasks and problems", "Guiding others", "Applying"),
    (
        6,
        "advanced",
        "Most appropriate tasks",
        "Able to adapt to others in a complex context",
        "Evaluating",
    ),
    (
        7,
        "highly-specialised",
        "Resolve complex problems with limited solutions",
        "Integrate to contribute to the professional practice and to guide others",
        "Creating",
    ),
    (
        8,
        "highly-specialised",
        "Resolve complex problems with many interacting factors",
        "Propose new ideas and processes to the field",
        "Creating",
    ),
]
DIGCOMP_22_BANDS = {
    "foundation": "Foundation",
    "intermediate": "Intermediate",
    "advanced": "Advanced",
    "highly-specialised": "Highly specialised",
}
# The reference README: two titles in the CSV are wrong (checked against Table A2).
DIGCOMP_22_TITLE_FIXES = {
    "2.3": "Engaging in citizenship through digital technologies",
    "5.3": "Creatively using digital technologies",
}
# Words kept capitalised when the upper-case CSV titles are put in sentence case.
KEEP_UPPER = {"ai"}


class _Dumper(yaml.SafeDumper):
    """Plain YAML out: never anchors/aliases (our reader refuses them)."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _dump(data: Any, flow_leaves: bool = True) -> str:
    """Structure: small leaf entries on one line; texts: one ``key: text`` line each."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=100 if flow_leaves else 1 << 20,
        default_flow_style=None if flow_leaves else False,
    )


def _header(lines: list[str]) -> str:
    return "".join(f"# {line}\n" if line else "#\n" for line in lines)


def _short_id(value: str) -> str:
    return value.rsplit("/", 1)[1]


def _slug(term: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")


def _sentence_case(title: str) -> str:
    words = title.lower().split()
    words = [w.upper() if w in KEEP_UPPER else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


# --- translations --------------------------------------------------------------------


def read_translation(
    name: str, language: str, english: dict[str, str], report: list[str]
) -> dict[str, Any]:
    """Our translation rows that still match the English they were made from."""
    path = TRANSLATIONS / f"{name}.{language}.csv"
    texts: dict[str, Any] = {}
    if not path.is_file():
        report.append(f"{path.relative_to(ROOT)}: missing, {language} falls back to English")
        return texts
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            key, source, target = row["key"], row["source"], row["target"].strip()
            if key not in english:
                report.append(f"{path.name}: {key}: no such text any more (row ignored)")
                continue
            if source != english[key]:
                report.append(f"{path.name}: {key}: the English changed; translation is stale")
                continue
            if not target:
                continue
            status = (row.get("status") or "").strip()
            texts[key] = {"text": target, "status": status} if status else target
    missing = [key for key in english if key not in texts]
    if missing:
        report.append(f"{path.name}: {len(missing)} of {len(english)} texts not translated")
    return texts


def write_translation_template(name: str, language: str, english: dict[str, str]) -> None:
    """Add rows for new English texts to the translation CSV (existing rows are kept)."""
    path = TRANSLATIONS / f"{name}.{language}.csv"
    rows: dict[str, dict[str, str]] = {}
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as handle:
            rows = {row["key"]: row for row in csv.DictReader(handle)}
    for key, source in english.items():
        rows.setdefault(key, {"key": key, "source": source, "target": "", "status": ""})
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["key", "source", "target", "status"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(
            {k: row.get(k, "") for k in ("key", "source", "target", "status")}
            for row in rows.values()
        )


def texts_document(
    language: str, status: str, note: str, texts: dict[str, Any], header: list[str]
) -> str:
    body = {"language": language, "status": status}
    if note:
        body["note"] = note
    body["texts"] = texts
    return _header(header) + _dump(body, flow_leaves=False)


# --- DigComp 3.0 --------------------------------------------------------------------------


def build_digcomp_30(reference: Path) -> tuple[dict[str, Any], dict[str, str]]:
    path = reference / "digcomp-3.0" / "digcomp-3.0-data-supplement.en.jsonld"
    graph = json.loads(path.read_text(encoding="utf-8"))["@graph"]
    by_type: dict[str, list[dict[str, Any]]] = {}
    for node in graph:
        by_type.setdefault(node["@type"], []).append(node)

    en: dict[str, str] = {
        "framework.title": "DigComp 3.0: European Digital Competence Framework – fifth edition",
        "framework.attribution": (
            "Source: Cosgrove, J. and Cachia, R., DigComp 3.0: European Digital Competence "
            "Framework – Fifth Edition, Publications Office of the European Union, Luxembourg, "
            "2025, doi:10.2760/0001149, JRC144121; data supplement JRC144705. © European Union, "
            "2025, reused under CC BY 4.0. Changes: converted to this application's format; "
            "translations other than English are not official EU texts."
        ),
    }
    bands: dict[str, list[int]] = {}
    levels = []
    for node in sorted(by_type["ProficiencyLevel"], key=lambda n: n["eight_levels_mapping"]):
        number = node["eight_levels_mapping"]
        band = DIGCOMP_30_BANDS[node["four_levels_name"]]
        if band not in bands:
            bands[band] = []
            en[f"band.{band}.name"] = node["four_levels_name"]
            en[f"band.{band}.description"] = node["four_levels_description"]
            en[f"band.{band}.purpose"] = node["applies_to"]
        bands[band].append(number)
        levels.append(
            {"number": number, "band": band, "mappings": {"six_levels": node["six_levels_mapping"]}}
        )
        en[f"level.{number}.description"] = node["eight_levels_description"]

    areas = []
    for node in by_type["CompetenceArea"]:
        area = _short_id(node["@id"])
        areas.append({"id": area})
        en[f"area.{area}.title"] = node["name"]
        en[f"area.{area}.description"] = node["description"]
    competences = []
    for node in by_type["Competence"]:
        competence = _short_id(node["@id"])
        competences.append({"id": competence, "area": _short_id(node["competence_area_id"])})
        en[f"competence.{competence}.title"] = node["name"]
        en[f"competence.{competence}.description"] = node["description"]

    def tied(node: dict[str, Any]) -> dict[str, Any]:
        band_name = _short_id(node["four_levels_proficiency_name"])
        return {
            "id": _short_id(node["@id"]),
            "competence": _short_id(node["competence_id"]),
            "band": DIGCOMP_30_BANDS[band_name],
            "ai_label": AI_LABELS[node["ai_label"]],
        }

    statements = []
    for node in by_type["CompetenceStatement"]:
        entry = tied(node)
        statements.append(entry)
        en[f"statement.{entry['id']}"] = node["description"]
    outcomes = []
    for node in by_type["LearningOutcome"]:
        entry = tied(node)
        entry["type"] = node["type"].lower()
        outcomes.append(entry)
        en[f"outcome.{entry['id']}"] = node["description"]
    glossary = []
    for node in by_type["Glossary"]:
        term = node["@id"].split("/", 1)[1]
        slug = _slug(term)
        glossary.append({"id": slug})
        en[f"glossary.{slug}.term"] = term
        en[f"glossary.{slug}.text"] = node["explanation"]

    structure = {
        "format": 1,
        "id": "digcomp",
        "version": "3.0",
        "source_language": "en",
        "languages": ["en", *LANGUAGES["digcomp-3.0"]],
        "source": {
            "publisher": "European Commission, Joint Research Centre (JRC)",
            "citation": "Cosgrove, J. and Cachia, R., DigComp 3.0: European Digital Competence "
            "Framework - Fifth Edition, Publications Office of the European Union, "
            "Luxembourg, 2025",
            "url": "https://data.europa.eu/doi/10.2760/0001149",
            "doi": "10.2760/0001149",
            "identifiers": ["JRC144121", "EUR 40491", "JRC144705 (data supplement)"],
        },
        "licence": CC_BY,
        "related": [{"id": "digcomp", "version": "2.2", "relation": "same-codes"}],
        "level_bands": [{"id": band, "levels": numbers} for band, numbers in bands.items()],
        "levels": levels,
        "areas": areas,
        "competences": competences,
        "statements": statements,
        "learning_outcomes": outcomes,
        "glossary": glossary,
    }
    return structure, en


# --- DigComp 2.2 --------------------------------------------------------------------------


def build_digcomp_22(reference: Path) -> tuple[dict[str, Any], dict[str, str]]:
    path = reference / "digcomp-2.2" / "digcomp-2.2-areas-competences.en.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter=";"))
    en: dict[str, str] = {
        "framework.title": "DigComp 2.2: The Digital Competence Framework for Citizens",
        "framework.attribution": (
            "Source: Vuorikari, R., Kluzer, S. and Punie, Y., DigComp 2.2: The Digital "
            "Competence Framework for Citizens - With new examples of knowledge, skills and "
            "attitudes, Publications Office of the European Union, Luxembourg, 2022, JRC128415; "
            "proficiency levels from Carretero, S., Vuorikari, R. and Punie, Y., DigComp 2.1, "
            "2017. © European Union, reused under CC BY 4.0. Changes: converted to this "
            "application's format, titles in sentence case; translations other than English "
            "are not official EU texts."
        ),
        "dimension.complexity.label": "Complexity of tasks",
        "dimension.autonomy.label": "Autonomy",
        "dimension.cognitive.label": "Cognitive domain",
    }
    for band, name in DIGCOMP_22_BANDS.items():
        en[f"band.{band}.name"] = name
    levels = []
    for number, band, complexity, autonomy, cognitive in DIGCOMP_22_LEVELS:
        levels.append({"number": number, "band": band})
        en[f"level.{number}.complexity"] = complexity
        en[f"level.{number}.autonomy"] = autonomy
        en[f"level.{number}.cognitive"] = cognitive
    areas, competences = [], []
    for row in rows:
        code = row["ShortCode"]
        if row["Level"] == "1":
            area = code.split(".")[0]
            areas.append({"id": area})
            en[f"area.{area}.title"] = _sentence_case(row["Name"])
        else:
            area = code.split(".")[0]
            competences.append({"id": code, "area": area})
            en[f"competence.{code}.title"] = DIGCOMP_22_TITLE_FIXES.get(
                code, _sentence_case(row["Name"])
            )
            en[f"competence.{code}.description"] = re.sub(
                r"\s+([,.;])", r"\1", row["Description"]
            ).strip()
    structure = {
        "format": 1,
        "id": "digcomp",
        "version": "2.2",
        "source_language": "en",
        "languages": ["en", *LANGUAGES["digcomp-2.2"]],
        "source": {
            "publisher": "European Commission, Joint Research Centre (JRC)",
            "citation": "Vuorikari, R., Kluzer, S. and Punie, Y., DigComp 2.2: The Digital "
            "Competence Framework for Citizens - With new examples of knowledge, "
            "skills and attitudes, Publications Office of the European Union, "
            "Luxembourg, 2022",
            "url": "https://publications.jrc.ec.europa.eu/repository/handle/JRC128415",
            "identifiers": ["JRC128415", "EUR 31006 EN"],
        },
        "licence": CC_BY,
        "related": [{"id": "digcomp", "version": "3.0", "relation": "same-codes"}],
        "level_dimensions": [{"id": "complexity"}, {"id": "autonomy"}, {"id": "cognitive"}],
        "level_bands": [
            {"id": band, "levels": [n for n, b, *_rest in DIGCOMP_22_LEVELS if b == band]}
            for band in DIGCOMP_22_BANDS
        ],
        "levels": levels,
        "areas": areas,
        "competences": competences,
    }
    return structure, en


# --- ESCO ---------------------------------------------------------------------------------


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def esco_links(
    reference: Path, english_22: dict[str, str], english_30: dict[str, str]
) -> dict[str, dict[str, str]]:
    """Competence code -> ESCO URI, per framework folder name (see the module docstring)."""
    folder = reference / "interop" / "esco"
    released = {
        row["conceptUri"]
        for row in _csv_rows(folder / "digCompSkillsCollection_en.v1.2.0.csv")
        if row["status"] == "released"
    }
    links_22: dict[str, str] = {}
    for row in _csv_rows(folder / "digcomp22_to_esco_digcomp_collection.DERIVED.csv"):
        code, uri = row["digcomp_code"], row["esco_uri"].strip()
        if row["level"] != "competence" or not uri:
            continue
        if f"competence.{code}.title" not in english_22:
            raise SystemExit(f"ESCO map: DigComp 2.2 has no competence {code}")
        if uri not in released:
            raise SystemExit(f"ESCO map: {uri} ({code}) is not in the ESCO DigComp collection")
        links_22[code] = uri
    links_30: dict[str, str] = {}
    rows = _csv_rows(ESCO_30_MAP)
    codes = [row["code"] for row in rows]
    wanted = sorted(
        k.split(".", 1)[1].rsplit(".", 1)[0]
        for k in english_30
        if k.startswith("competence.") and k.endswith(".title")
    )
    if sorted(codes) != wanted:
        raise SystemExit(f"{ESCO_30_MAP.name}: one row per DigComp 3.0 competence, exactly")
    for row in rows:
        code, relation, source = row["code"], row["relation"], row["esco_from_22"]
        where = f"{ESCO_30_MAP.name}, {code}"
        if english_22.get(f"competence.{code}.title") != row["digcomp_22_title"]:
            raise SystemExit(f"{where}: the DigComp 2.2 title changed; review the row")
        if english_30.get(f"competence.{code}.title") != row["digcomp_30_title"]:
            raise SystemExit(f"{where}: the DigComp 3.0 title changed; review the row")
        if relation not in ESCO_RELATIONS or not row["rationale"].strip():
            raise SystemExit(f"{where}: relation must be same, renamed or none, with a reason")
        if relation == "same" and row["digcomp_22_title"] != row["digcomp_30_title"]:
            raise SystemExit(f"{where}: 'same' needs the same title; use 'renamed'")
        if relation == "none":
            if source:
                raise SystemExit(f"{where}: 'none' takes no 2.2 code")
            continue
        if source != code:  # the rule: only a competence kept under its own code
            raise SystemExit(f"{where}: takes the concept of 2.2 {code} only")
        if source in links_22:
            links_30[code] = links_22[source]
    return {"digcomp-2.2": links_22, "digcomp-3.0": links_30}


def _with_esco(structure: dict[str, Any], links: dict[str, str]) -> dict[str, Any]:
    competences = [
        {**entry, "esco": links[entry["id"]]} if entry["id"] in links else entry
        for entry in structure["competences"]
    ]
    return {**structure, "competences": competences}


# --- driver -------------------------------------------------------------------------------

FRAMEWORKS = {"digcomp-3.0": build_digcomp_30, "digcomp-2.2": build_digcomp_22}

#: Per framework, every language besides English: the status of its translation and a note
#: shown with it. A language without a translation CSV falls back to English, visibly.
LANGUAGES: dict[str, dict[str, tuple[str, str]]] = {
    "digcomp-3.0": {
        "lv": (
            "draft",
            "Latvian: a draft translation by the application's developers (no official "
            "Latvian DigComp 3.0 exists), using the official Latvian DigComp 2.2 terms; "
            "to be approved by a reviewer.",
        ),
        "nl": (
            "draft",
            "Dutch: the community translation PiAir/digcomp3-l10n (commit 28886b8, "
            "machine-assisted and checked by its translators, Apache-2.0); not an official "
            "EU text.",
        ),
    },
    "digcomp-2.2": {
        "lv": (
            "draft",
            "Latvian: area and competence titles, level names and five descriptors are "
            "the published Latvian wording (marked official); the other texts are a "
            "draft translation awaiting review.",
        ),
        "nl": (
            "draft",
            "Dutch: no Dutch translation of DigComp 2.2 is available to this application; "
            "its texts are shown in English.",
        ),
    },
}

# --- external translations in the location/context/source/target layout -------------------

#: Texts of DigComp 3.0 the external translations do not carry, per language.
L10N_EXTRA = {
    "nl": {
        "framework.title": (
            "DigComp 3.0: Europees referentiekader voor digitale competenties – vijfde editie"
        ),
        "framework.attribution": (
            "Bron: Cosgrove, J. en Cachia, R., DigComp 3.0: European Digital Competence "
            "Framework – Fifth Edition, Publicatiebureau van de Europese Unie, Luxemburg, "
            "2025, doi:10.2760/0001149, JRC144121; datasupplement JRC144705. © Europese Unie, "
            "2025, hergebruikt onder CC BY 4.0. Wijzigingen: omgezet naar het formaat van deze "
            "applicatie. Nederlandse vertaling: PiAir/digcomp3-l10n (Apache-2.0), geen "
            "officiële EU-tekst."
        ),
    },
}


def import_l10n(language: str, folder: Path, reference: Path, report: list[str]) -> Path:
    """Write translations/frameworks/digcomp-3.0.<language>.csv from ``folder``'s CSVs."""
    structure, english = build_digcomp_30(reference)
    bands = {str(level["number"]): level["band"] for level in structure["levels"]}
    slug_of_term = {
        english[f"glossary.{entry['id']}.term"]: entry["id"] for entry in structure["glossary"]
    }
    rows: dict[str, dict[str, str]] = {}
    for key, target in L10N_EXTRA.get(language, {}).items():
        rows[key] = {"key": key, "source": english[key], "target": target, "status": ""}
    glossary_terms: dict[str, str] = {}
    for path in sorted(folder.glob("*.csv")):
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                parts = row["location"].split(".")
                if len(parts) < 4 or parts[0] != "digcomp":
                    continue  # the translators' term base, not a framework text
                kind, last = parts[1], parts[-1]
                middle = ".".join(parts[2:-1])
                if kind in ("statement", "outcome"):
                    key = f"{kind}.{'.'.join(parts[2:])}"
                elif kind in ("area", "competence"):
                    key = f"{kind}.{middle}.{'title' if last == 'label' else last}"
                elif kind == "level" and last == "eight_level_description":
                    key = f"level.{middle}.description"
                elif kind == "level":
                    field = {
                        "four_level_name": "name",
                        "four_level_description": "description",
                        "applies_to": "purpose",
                    }[last]
                    key = f"band.{bands[middle]}.{field}"
                elif kind == "glossary":
                    if last == "label":
                        glossary_terms[middle] = row["source"]
                        slug = slug_of_term.get(row["source"])
                        key = f"glossary.{slug}.term"
                    else:
                        slug = slug_of_term.get(glossary_terms.get(middle, ""))
                        key = f"glossary.{slug}.text"
                    if slug is None:
                        report.append(f"{path.name}: {row['location']}: no such term")
                        continue
                else:
                    report.append(f"{path.name}: {row['location']}: not a known kind of text")
                    continue
                if key not in english:
                    report.append(f"{path.name}: {row['location']}: no such text ({key})")
                    continue
                source, target = row["source"].strip(), row["target"].strip()
                if key in rows:  # a band's texts come once per level: the first one is kept
                    continue
                if source.split() != english[key].split():  # (spacing aside)
                    report.append(f"{path.name}: {key}: translated from a different English text")
                    continue
                rows[key] = {"key": key, "source": english[key], "target": target, "status": ""}
    out = TRANSLATIONS / f"digcomp-3.0.{language}.csv"
    with out.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, ["key", "source", "target", "status"], lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows[key] for key in english if key in rows)
    return out


def render(reference: Path, report: list[str]) -> dict[Path, str]:
    files: dict[Path, str] = {}
    built = {name: build(reference) for name, build in FRAMEWORKS.items()}
    esco = esco_links(reference, built["digcomp-2.2"][1], built["digcomp-3.0"][1])
    for name, (plain, english) in built.items():
        structure = _with_esco(plain, esco[name])
        header = [
            f"{english['framework.title']}",
            "Generated by tools/build_frameworks.py from the JRC reference data - edit the",
            "script or translations/frameworks/, not this file.",
            "",
            english["framework.attribution"],
        ]
        folder = OUT / name
        notes = [*header, "", ESCO_NOTE] if esco[name] else header
        files[folder / "framework.yaml"] = _header(notes) + _dump(structure)
        files[folder / "texts.en.yaml"] = texts_document("en", "official", "", english, header)
        for language, (status, note) in LANGUAGES[name].items():
            if (TRANSLATIONS / f"{name}.{language}.csv").is_file():
                texts = read_translation(name, language, english, report)
            else:  # declared: no translation, the app shows the English text, marked
                texts = {}
            files[folder / f"texts.{language}.yaml"] = texts_document(
                language, status, note, texts, header
            )
    return files


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", type=Path, default=ROOT.parent / "shared" / "reference")
    parser.add_argument(
        "--check",
        action="store_true",
        help="fail if the committed files differ from what would be built",
    )
    parser.add_argument(
        "--import-l10n",
        nargs=2,
        metavar=("LANG", "DIR"),
        help="convert an external DigComp 3.0 translation (location, context, source, target "
        "CSVs in DIR) into translations/frameworks/digcomp-3.0.LANG.csv",
    )
    parser.add_argument(
        "--template",
        metavar="LANG",
        help="add rows for untranslated texts to the LANG translation CSVs",
    )
    args = parser.parse_args(argv)
    report: list[str] = []
    if args.import_l10n:
        language, folder = args.import_l10n
        written = import_l10n(language, Path(folder), args.reference, report)
        for line in report:
            print(line, file=sys.stderr)
        print(f"wrote {written.relative_to(ROOT)}")
        return 0
    if args.template:
        for name, build in FRAMEWORKS.items():
            write_translation_template(name, args.template, build(args.reference)[1])
        return 0
    files = render(args.reference, report)
    for line in report:
        print(line, file=sys.stderr)
    if args.check:
        stale = [
            p
            for p, text in files.items()
            if not p.is_file() or p.read_text(encoding="utf-8") != text
        ]
        for path in stale:
            print(f"out of date: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if stale else 0
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        with open(path, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
        print(f"wrote {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
