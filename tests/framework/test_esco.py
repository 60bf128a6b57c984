"""ESCO concepts of the DigComp competences: in the built-in files, checked by the loader,
built from reviewable data, shown in the framework browser and the JSON export."""

from __future__ import annotations

import csv
import shutil

import pytest

from digcomp_app.framework import FrameworkError, load_framework, validate_framework
from digcomp_app.framework.export import export_framework
from digcomp_app.framework.library import builtin_library
from tests.conftest import DATA, ROOT
from tests.tools import load_tool

MINIMAL = DATA / "frameworks" / "minimal"
REFERENCE = ROOT.parent / "shared" / "reference"
ESCO = REFERENCE / "interop" / "esco"
ESCO_PREFIX = "http://data.europa.eu/esco/skill/"


def builtin_framework(framework_id: str, version: str):
    return builtin_library().get(framework_id, version)


def _released_concepts() -> dict[str, str]:
    with (ESCO / "digCompSkillsCollection_en.v1.2.0.csv").open(encoding="utf-8") as handle:
        return {
            row["conceptUri"]: row["preferredLabel"]
            for row in csv.DictReader(handle)
            if row["status"] == "released"
        }


@pytest.mark.parametrize("version", ["2.2", "3.0"])
def test_every_competence_but_2_5_has_an_esco_concept(version):
    framework = builtin_framework("digcomp", version)
    linked = {c.id: c.esco for c in framework.competences() if c.esco}
    assert len(list(framework.competences())) == 21
    assert sorted(c.id for c in framework.competences() if not c.esco) == ["2.5"]
    assert all(uri.startswith(ESCO_PREFIX) for uri in linked.values())
    # one concept per competence: no two competences share one
    assert len(set(linked.values())) == len(linked) == 20


def test_digcomp_30_takes_the_concept_of_the_22_competence_under_the_same_code():
    old, new = builtin_framework("digcomp", "2.2"), builtin_framework("digcomp", "3.0")
    for competence in new.competences():
        assert competence.esco == old.competence(competence.id).esco


@pytest.mark.skipif(not ESCO.is_dir(), reason="the ESCO reference data is not beside the repo")
def test_the_concepts_are_the_released_ones_the_map_names():
    released = _released_concepts()
    with (ESCO / "digcomp22_to_esco_digcomp_collection.DERIVED.csv").open(encoding="utf-8") as f:
        mapped = {r["digcomp_code"]: r["esco_uri"] for r in csv.DictReader(f)}
    for competence in builtin_framework("digcomp", "2.2").competences():
        assert competence.esco == mapped[competence.id]
        if competence.esco:
            assert competence.esco in released
    assert released[builtin_framework("digcomp", "2.2").competence("4.2").esco] == (
        "protect personal data and privacy"
    )


def test_the_30_rule_is_data_with_a_reason_per_competence():
    with (ROOT / "tools" / "data" / "digcomp-3.0-esco.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert [r["code"] for r in rows] == [
        c.id for c in builtin_framework("digcomp", "3.0").competences()
    ]
    assert {r["relation"] for r in rows} == {"same", "renamed", "none"}
    assert all(r["rationale"].strip() for r in rows)
    assert [r["code"] for r in rows if r["relation"] == "none"] == ["2.5"]


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the reference data is not beside the repo")
def test_a_changed_title_stops_the_build_until_the_row_is_reviewed(tmp_path, monkeypatch):
    build = load_tool("build_frameworks")
    rows = (ROOT / "tools" / "data" / "digcomp-3.0-esco.csv").read_text(encoding="utf-8")
    changed = tmp_path / "map.csv"
    changed.write_text(rows.replace(",Supporting wellbeing,", ",Supporting well-being,"), "utf-8")
    monkeypatch.setattr(build, "ESCO_30_MAP", changed)
    english_22 = build.build_digcomp_22(REFERENCE)[1]
    english_30 = build.build_digcomp_30(REFERENCE)[1]
    with pytest.raises(SystemExit, match=r"4\.3: the DigComp 3\.0 title changed"):
        build.esco_links(REFERENCE, english_22, english_30)
    # a 'same' row whose titles differ is refused too
    changed.write_text(rows.replace("renamed,5.4", "same,5.4"), "utf-8")
    with pytest.raises(SystemExit, match="'same' needs the same title"):
        build.esco_links(REFERENCE, english_22, english_30)
    monkeypatch.setattr(build, "ESCO_30_MAP", ROOT / "tools" / "data" / "digcomp-3.0-esco.csv")
    links = build.esco_links(REFERENCE, english_22, english_30)
    assert len(links["digcomp-2.2"]) == len(links["digcomp-3.0"]) == 20


def _with_esco(tmp_path, value: str):
    folder = tmp_path / "fw"
    shutil.copytree(MINIMAL, folder)
    path = folder / "framework.yaml"
    text = path.read_text(encoding="utf-8")
    needle = '  - id: "1.1"\n    area: "1"\n'
    assert needle in text
    path.write_text(text.replace(needle, needle + f"    esco: {value}\n", 1), encoding="utf-8")
    return folder


def test_the_loader_reads_an_esco_uri(tmp_path):
    folder = _with_esco(tmp_path, '"https://example.org/skill/1"')
    framework = load_framework(folder)
    assert framework.competence("1.1").esco == "https://example.org/skill/1"
    assert framework.competence("1.2").esco == ""


@pytest.mark.parametrize(
    "value",
    ['"ftp://example.org/x"', '"example.org/skill"', '"https://"', '"https://a b.org/x"', "12"],
)
def test_the_loader_refuses_what_is_not_an_http_address(tmp_path, value):
    folder = _with_esco(tmp_path, value)
    issues = validate_framework(folder)
    assert any(
        issue.path.name == "framework.yaml" and issue.line == 34 and "esco" in str(issue)
        for issue in issues
    ), "\n".join(map(str, issues))
    with pytest.raises(FrameworkError):
        load_framework(folder)


def test_the_export_and_the_browser_show_the_concept():
    framework = builtin_framework("digcomp", "3.0")
    document = export_framework(framework, "en")
    competences = {c["id"]: c for a in document["areas"] for c in a["competences"]}
    assert competences["4.2"]["esco"] == framework.competence("4.2").esco
    assert "esco" not in competences["2.5"]

    from digcomp_app.ui.screens.frameworks.view import competence_html

    shown = competence_html(framework, framework.competence("4.2"), "en")
    assert "ESCO skill:" in shown and framework.competence("4.2").esco in shown
    assert "ESCO: no matching skill" in competence_html(
        framework, framework.competence("2.5"), "en"
    )
