"""Shared test set-up: offscreen Qt, English by default, settings kept out of the user's home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from digcomp_app.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


def pytest_configure(config: pytest.Config) -> None:
    """One folder per run where every process (pytest-xdist workers too) leaves the
    reliability figures it measured (tests/reliability/figures.py)."""
    import tempfile

    from tests.reliability.figures import ENV

    if not hasattr(config, "workerinput"):  # the controller (or a run without workers)
        os.environ[ENV] = tempfile.mkdtemp(prefix="reliability-figures-")


def pytest_terminal_summary(terminalreporter, exitstatus, config) -> None:  # type: ignore[no-untyped-def]
    """The reliability figures of this run (tests marked ``reliability``)."""
    import json
    import shutil

    from tests.reliability.figures import ENV, merged

    if hasattr(config, "workerinput"):  # said once, by the controller, after every worker
        return
    figures = merged()
    # Counted here, from every passed test, whichever process ran it.
    passed = [
        report
        for report in terminalreporter.stats.get("passed", [])
        if report.when == "call" and "reliability" in report.keywords
    ]
    if passed:
        figures["reliability tests passed"] = len(passed)
        # one hostile value (NUL or over-long) refused per passing case of the input tests
        refused = sum(
            "test_inputs_reliability.py" in r.nodeid and "refuse" in r.nodeid for r in passed
        )
        if refused:
            figures["inputs refused (NUL, over-long)"] = refused
    folder = os.environ.pop(ENV, None)
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
    if not figures:
        return
    terminalreporter.section("reliability")
    for name in sorted(figures):
        terminalreporter.write_line(f"{name}: {json.dumps(figures[name], sort_keys=True)}")
    if getattr(config, "cache", None) is not None:
        config.cache.set("reliability/figures", figures)


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DIGCOMP_SETTINGS", str(tmp_path / "settings.ini"))
    # no machine-wide file of this machine's IT (tests that want one set their own)
    monkeypatch.setenv("DIGCOMP_MACHINE_CONFIG", str(tmp_path / "no-machine-config.ini"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    set_language("en")
    yield
    set_language("en")


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory) -> str:
    """A demo school database, made once per test session; tests work on copies of it."""
    import sqlite3

    from digcomp_app.services.database import Database
    from digcomp_app.showcase import demo
    from tests.services.conftest import FAST_HASHER

    path = tmp_path_factory.mktemp("demo") / "demo.sqlite3"
    db = Database(f"sqlite:///{path}", password_hasher=FAST_HASHER)
    demo.create_school(db, None)
    db.close()
    with sqlite3.connect(path) as connection:  # one self-contained file to copy
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return str(path)


@pytest.fixture
def demo_file(demo_template, tmp_path) -> Path:
    """A copy of the demo school's database file for one test."""
    import shutil

    path = tmp_path / "school.sqlite3"
    shutil.copy(demo_template, path)
    return path
