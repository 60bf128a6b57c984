"""Broken framework files: every error is named with file, line and key, never a traceback."""

from __future__ import annotations

import shutil

import pytest

from digcomp_app.cli import main
from digcomp_app.framework import FrameworkError, load_framework, validate_framework
from tests.conftest import DATA

MINIMAL = DATA / "frameworks" / "minimal"
INVALID = DATA / "frameworks" / "invalid"

# case folder -> (file, line, words the message must contain)
CASES = {
    "duplicate-id": ("framework.yaml", 36, "duplicate id '1.1'"),
    "missing-area": ("framework.yaml", 37, "the area '9' is not defined"),
    "missing-level": ("framework.yaml", 44, "level 9 is not defined"),
    "missing-band": ("framework.yaml", 48, "level band 'expert' is not defined"),
    "missing-language-file": ("framework.yaml", 7, "'lv' has no text file texts.lv.yaml"),
    "missing-required-text": (
        "texts.lv.yaml",
        3,
        "'competence.1.2.title' has no text in the required language 'lv'",
    ),
    "wrong-type": ("framework.yaml", 4, "expected text, found a number"),
    "wrong-type-list": ("framework.yaml", 28, "expected a list, found text"),
    "alias-bomb": ("framework.yaml", 53, "anchors and aliases"),
    "python-tag": ("framework.yaml", 3, "'!!python/object/apply:os.system' is not allowed"),
    "custom-tag": ("texts.en.yaml", 21, "'!include' is not allowed"),
    "duplicate-key": ("texts.en.yaml", 22, "'statement.S2' appears twice"),
    "unknown-key": ("framework.yaml", 40, "unknown key 'competnce'"),
    "unknown-text-key": ("texts.lv.yaml", 25, "unknown text key 'outcome.L9'"),
    "syntax-error": ("texts.en.yaml", 22, "not valid YAML"),
}


def test_the_minimal_fixture_is_valid():
    framework = load_framework(MINIMAL)
    assert framework.label == "sample 1.0"
    assert framework.competence("1.2").learning_outcomes[0].levels == (3, 4)
    assert framework.band("advanced").name.get("lv") == "Augsts"


def test_every_invalid_fixture_is_covered():
    assert sorted(p.name for p in INVALID.iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_error_names_file_line_and_problem(case):
    file_name, line, words = CASES[case]
    issues = validate_framework(INVALID / case)
    assert issues, f"{case} was accepted"
    assert any(
        issue.path.name == file_name and issue.line == line and words in issue.message
        for issue in issues
    ), "\n".join(map(str, issues))
    with pytest.raises(FrameworkError) as raised:
        load_framework(INVALID / case)
    assert f"{file_name}:{line}:" in str(raised.value)


@pytest.mark.parametrize("case", sorted(CASES))
def test_cli_validate_prints_each_error_on_its_own_line_and_exits_1(case, capsys):
    file_name, line, words = CASES[case]
    assert main(["frameworks", "validate", str(INVALID / case)]) == 1
    out, err = capsys.readouterr()
    lines = out.splitlines()
    assert lines and all(f"{INVALID / case}" in entry for entry in lines)
    assert any(f"{file_name}:{line}:" in entry and words in entry for entry in lines)
    assert "Traceback" not in out + err
    assert "problem" in err


def test_cli_validate_accepts_a_valid_framework(capsys):
    assert main(["frameworks", "validate", str(MINIMAL / "framework.yaml")]) == 0
    assert "valid" in capsys.readouterr().err


def test_errors_are_translated(capsys):
    assert main(["--language", "lv", "frameworks", "validate", str(INVALID / "missing-area")]) == 1
    out = capsys.readouterr().out
    assert "joma '9'" in out, out


def test_oversized_file_is_refused_before_it_is_read(tmp_path):
    folder = tmp_path / "big"
    shutil.copytree(MINIMAL, folder)
    with (folder / "texts.en.yaml").open("a", encoding="utf-8") as handle:
        handle.write("# " + "x" * (9 * 1024 * 1024) + "\n")
    issues = validate_framework(folder)
    assert len(issues) == 1
    assert issues[0].path.name == "texts.en.yaml" and "bytes" in issues[0].message


def test_deep_nesting_is_refused_without_crashing(tmp_path):
    folder = tmp_path / "deep"
    shutil.copytree(MINIMAL, folder)
    depth = 200_000  # deep enough to overflow a recursive parser's C stack
    (folder / "framework.yaml").write_text("x: " + "[" * depth + "]" * depth + "\n")
    issues = validate_framework(folder)
    assert len(issues) == 1 and "nested more than" in issues[0].message


def test_a_missing_folder_is_an_error_not_a_crash(tmp_path, capsys):
    assert main(["frameworks", "validate", str(tmp_path / "nowhere")]) == 1
    assert "no such file or folder" in capsys.readouterr().out


def test_not_utf8_is_reported(tmp_path):
    folder = tmp_path / "latin1"
    shutil.copytree(MINIMAL, folder)
    (folder / "texts.lv.yaml").write_bytes("language: lv\nnote: Līmenis\n".encode("cp1257"))
    issues = validate_framework(folder)
    assert issues[0].path.name == "texts.lv.yaml" and "UTF-8" in issues[0].message


def test_all_problems_are_reported_at_once(tmp_path):
    folder = tmp_path / "two"
    shutil.copytree(MINIMAL, folder)
    text = (folder / "framework.yaml").read_text()
    text = text.replace('area: "2"', 'area: "7"').replace("levels: [3]", "levels: [12]")
    (folder / "framework.yaml").write_text(text)
    messages = [issue.message for issue in validate_framework(folder)]
    assert any("'7'" in m for m in messages) and any("level 12" in m for m in messages)


def test_deep_flow_nesting_inside_quotes_is_not_counted(tmp_path):
    folder = tmp_path / "quoted"
    shutil.copytree(MINIMAL, folder)
    depth = 3000  # libyaml refuses this much flow nesting itself
    text = 'note: "' + "[" * 100 + '\\\\"\n' + "x: " + "[" * depth + "]" * depth + "\n"
    (folder / "framework.yaml").write_text(text)
    issues = validate_framework(folder)
    assert len(issues) == 1 and "nested more than" in issues[0].message
    assert issues[0].line == 2
