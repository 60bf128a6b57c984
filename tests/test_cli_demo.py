"""``digcomp-app demo`` says how far it is: each step with its count on the error output
(the results stay alone on the normal output); ``--quiet`` keeps it silent."""

from __future__ import annotations

import re

import pytest

from digcomp_app.cli import main
from digcomp_app.commands import demo as demo_command
from digcomp_app.services.database import Database
from tests.services.conftest import FAST_HASHER

STEP = re.compile(r"^(?P<step>.+?) (?P<done>\d+)/(?P<total>\d+)…$")


@pytest.fixture
def fast_database(monkeypatch, tmp_path):
    """The command's database, with the tests' fast password hashing."""
    url = f"sqlite:///{tmp_path / 'demo.sqlite3'}"
    monkeypatch.setattr(
        demo_command, "open_database", lambda args: Database(url, password_hasher=FAST_HASHER)
    )
    return url


def test_the_demo_shows_its_steps_and_counts_on_the_error_output(fast_database, capsys):
    assert main(["--language", "en", "--database", fast_database, "demo"]) == 0
    captured = capsys.readouterr()
    lines = captured.err.splitlines()
    counted = [m for line in lines if (m := STEP.match(line))]
    steps = {m["step"]: int(m["total"]) for m in counted}
    assert steps["Creating learners"] == 24
    assert steps["Creating learner accounts"] == 24
    assert "Creating learners 12/24…" in lines
    assert "Creating learners…" in lines  # the step announced before its first item
    for step in (
        "Creating staff accounts",
        "Creating groups",
        "Creating mobilities",
        "Finished mobility: self-assessments, cases and attestations",
        "Current mobility: cases at every stage",
        "Self-assessments of learners without a mobility",
    ):
        assert f"{step} {steps[step]}/{steps[step]}…" in lines, step
    # each step counts up to its total, one by one
    for step, total in steps.items():
        done = [int(m["done"]) for m in counted if m["step"] == step]
        assert done == list(range(1, total + 1)), step
    # the results alone on the normal output
    assert "The demo school" in captured.out and "learner01" in captured.out
    assert "…" not in captured.out and "/24" not in captured.out


def test_quiet_shows_no_progress(fast_database, capsys):
    assert main(["--language", "en", "--database", fast_database, "demo", "--quiet"]) == 0
    captured = capsys.readouterr()
    assert not any(STEP.match(line) for line in captured.err.splitlines())
    assert "Making the demo school" not in captured.err
    assert "The demo school" in captured.out


def test_the_progress_is_in_latvian_too(fast_database, capsys):
    assert main(["--language", "lv", "--database", fast_database, "demo"]) == 0
    err = capsys.readouterr().err
    assert "Creating learners" not in err and "/24…" in err
