"""The ``digcomp-app`` command as a user at a terminal meets it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from digcomp_app import __version__
from digcomp_app.cli import main
from tests.test_start_imports import probe


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "digcomp_app", *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        timeout=120,
        check=False,
    )


def test_version(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0
    assert capsys.readouterr().out.strip() == f"digcomp-app {__version__}"


def test_help_explains_every_command(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("gui", "frameworks"):
        assert command in out
    with pytest.raises(SystemExit):
        main(["frameworks", "--help"])
    out = capsys.readouterr().out
    for action in ("list", "validate", "export"):
        assert action in out


def test_help_in_latvian_includes_argparse_own_words(capsys):
    with pytest.raises(SystemExit):
        main(["--language", "lv", "frameworks", "export", "--help"])
    out = capsys.readouterr().out
    assert out.startswith("lietošana: ")
    assert "parāda šo palīdzības ziņojumu un iziet" in out


def test_usage_error_is_translated_and_exits_2(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--language", "lv", "frameworks", "export", "digcomp"])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "kļūda" in err and "Traceback" not in err


def test_list_shows_versions_and_languages(capsys):
    assert main(["frameworks", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any("2.2" in line and "lv (draft)" in line for line in lines)
    assert any("3.0" in line and "en (official)" in line for line in lines)


def test_list_in_latvian(capsys):
    assert main(["--language", "lv", "frameworks", "list"]) == 0
    out = capsys.readouterr().out
    assert "Digitālās kompetences ietvarstruktūra" in out and "melnraksts" in out


@pytest.mark.parametrize("version", ["3.0", "2.2"])
def test_export_latvian_is_complete_for_the_core(version):
    result = run("frameworks", "export", "digcomp", version, "--lang", "lv")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["framework"]["id"] == "digcomp" and data["framework"]["version"] == version
    assert data["framework"]["licence"] == "CC-BY-4.0"
    assert len(data["areas"]) == 5
    competences = [c for a in data["areas"] for c in a["competences"]]
    assert len(competences) == 21 and len(data["levels"]) == 8
    statements = [s for c in competences for s in c["statements"]]
    outcomes = [o for c in competences for o in c["learning_outcomes"]]
    if version == "3.0":
        assert len(statements) == 362 and len(outcomes) == 523
        assert {o["type"] for o in outcomes} == {"knowledge", "skill", "attitude"}
    core = ("area.", "competence.", "level.", "band.", "dimension.", "statement.", "outcome.")
    assert [key for key in data["untranslated"] if key.startswith(core)] == []
    # Latvian text really is Latvian: every competence title differs from the English one.
    english = json.loads(run("frameworks", "export", "digcomp", version, "--lang", "en").stdout)
    english_titles = [c["title"] for a in english["areas"] for c in a["competences"]]
    assert all(lv["title"] != en for lv, en in zip(competences, english_titles, strict=True))
    assert english["untranslated"] == []


def test_export_of_an_unknown_framework_fails_cleanly(capsys):
    assert main(["frameworks", "export", "digcomp", "9.9", "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "digcomp 9.9" in err and "digcomp 3.0" in err


def test_export_in_a_language_without_texts_falls_back_and_says_so(capsys):
    assert main(["frameworks", "export", "digcomp", "2.2", "--lang", "de"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["areas"][0]["title"] == "Information and data literacy"
    assert "area.1.title" in data["untranslated"]
    assert "'de'" in err


WINDOW_PROBE = """
import json, sys
from digcomp_app import cli
opened = []
cli._run_gui = lambda args: opened.append([args.language, args.database]) or 0
code = cli.main(sys.argv[1:])
print(json.dumps({
    "code": code,
    "opened": opened,
    "commands loaded": sorted(m for m in sys.modules if m.startswith("digcomp_app.commands.")),
    "sqlalchemy loaded": "sqlalchemy" in sys.modules,
}))
"""


def open_window(*args: str) -> dict:
    """What ``digcomp-app ARGS`` does when it opens the window (stubbed), in a new process."""
    result: dict = probe(WINDOW_PROBE, *args)
    return result


@pytest.mark.parametrize(
    ("args", "opened"),
    [
        ((), [None, None]),
        (("gui",), [None, None]),
        (("--language", "lv", "--database=school.sqlite3"), ["lv", "school.sqlite3"]),
        (("--database", "postgresql://db/skola", "gui"), [None, "postgresql://db/skola"]),
    ],
)
def test_the_window_opens_without_loading_every_command(args, opened):
    """Starting the window skips the parser of every command (and the services it loads)."""
    result = open_window(*args)
    assert result["code"] == 0 and result["opened"] == [opened]
    assert result["commands loaded"] == [] and not result["sqlalchemy loaded"]


def test_other_ways_to_ask_for_the_window_still_work():
    abbreviated = open_window("--lang", "lv")  # argparse's abbreviation: the full parser
    assert abbreviated["opened"] == [["lv", None]] and abbreviated["commands loaded"]
    with_user = open_window("--user", "admin", "gui")
    assert with_user["opened"] == [[None, None]]


def test_a_wrong_language_for_the_window_is_a_usage_error(capsys):
    with pytest.raises(SystemExit) as done:
        main(["--language", "xx"])
    assert done.value.code == 2
    assert "invalid choice: 'xx'" in capsys.readouterr().err
