"""Shared test set-up: offscreen Qt, English by default, settings kept out of the user's home."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from digcomp_app.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


#: where a run keeps its temporary files when nothing else is said (TMPDIR, --basetemp):
#: in memory, so the many small SQLite commits of the suite do not wait for the disk
MEMORY_FOLDER = Path("/dev/shm")
#: the memory folder is used only with this much free space in it
MEMORY_NEEDED = 2 * 1024**3


def _temporary_files_in_memory(config: pytest.Config) -> None:
    """Put the run's temporary files (pytest's tmp_path, and TMPDIR for the workers and
    every program they start) in memory where Linux offers it. Saving to the disk is not
    what these tests test: the tests of a full disk mount a disk of their own, kill -9
    keeps what the kernel holds, and the durability settings of SQLite stay as they are."""
    import shutil
    import tempfile

    if config.option.basetemp or os.environ.get("TMPDIR") or not MEMORY_FOLDER.is_dir():
        return
    if not os.access(MEMORY_FOLDER, os.W_OK | os.X_OK):
        return
    if shutil.disk_usage(MEMORY_FOLDER).free < MEMORY_NEEDED:
        return
    os.environ["TMPDIR"] = str(MEMORY_FOLDER)
    tempfile.tempdir = None  # asked again: TMPDIR


#: the folder of compiled modules this run keeps, if it made one (see below)
_pycache: list[str] = []


def _compiled_modules_kept_for_the_run() -> None:
    """Where PYTHONDONTWRITEBYTECODE keeps __pycache__ folders out of the checkout, every
    process of the run (each worker, and each program a test starts: the command line, the
    window, five times per role in test_quit) would compile the program's modules again,
    about half a second each time. They are kept instead in a folder of the run's own
    (PYTHONPYCACHEPREFIX), outside the checkout, removed at the end."""
    import tempfile

    if os.environ.get("PYTHONDONTWRITEBYTECODE") and not os.environ.get("PYTHONPYCACHEPREFIX"):
        del os.environ["PYTHONDONTWRITEBYTECODE"]
        _pycache.append(tempfile.mkdtemp(prefix="digcomp-tests-pycache-"))
        os.environ["PYTHONPYCACHEPREFIX"] = _pycache[0]


def _drop_stale_test_databases() -> None:
    """The databases a killed run left on the test server (tests/run_once.py)."""
    url = os.environ.get("DIGCOMP_TEST_DATABASE_URL")
    if url:
        from contextlib import suppress

        from sqlalchemy.exc import OperationalError

        from tests.run_once import drop_stale_databases

        with suppress(OperationalError):  # no server: the tests that need one will say so
            drop_stale_databases(url)


def pytest_configure(config: pytest.Config) -> None:
    """Set once for the whole run by the process that starts it (the workers of
    pytest-xdist inherit it): its name (tests/run_once.py), where its temporary files and
    compiled modules go, and one folder where every process leaves the reliability figures
    it measured (tests/reliability/figures.py)."""
    import tempfile

    from tests.reliability.figures import ENV
    from tests.run_once import RUN_ENV, new_run_name

    if not hasattr(config, "workerinput"):  # the controller (or a run without workers)
        os.environ[RUN_ENV] = new_run_name()
        _drop_stale_test_databases()
        _temporary_files_in_memory(config)
        _compiled_modules_kept_for_the_run()
        os.environ[ENV] = tempfile.mkdtemp(prefix="reliability-figures-")


#: the longest tests (each from ten seconds to a minute: whole programs started one after
#: another, the demo school built, a school server set up), started first: the workers
#: then end together on short tests, none left alone with a long one at the end
LONGEST_FIRST = (
    "tests/ui/test_quit.py",
    "tests/ui/test_screenshots.py",
    "tests/reliability/test_kill9.py",
    "tests/services/test_backup.py::test_command_line_backup_and_restore",
    "tests/services/test_demo.py::test_demo_command",
    "tests/test_school_server_setup.py",
    "tests/test_cli_demo.py",
    "tests/ui/test_first_run.py",
    "tests/ui/test_new_school_year.py",
    "tests/services/test_evidence.py::test_peak_memory",
    "tests/ui/test_mnemonics.py",
    "tests/test_architecture_mutations.py",
    "tests/test_typing.py",
)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The longest tests first, in the order above (the others keep their order)."""

    def rank(item: pytest.Item) -> int:
        return next(
            (i for i, start in enumerate(LONGEST_FIRST) if item.nodeid.startswith(start)),
            len(LONGEST_FIRST),
        )

    items.sort(key=rank)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item: pytest.Item):  # type: ignore[no-untyped-def]
    """The widgets a test left for deletion (pytest-qt closes the test's windows and calls
    deleteLater) are deleted now: without an event loop running, Qt would keep them, and
    every later test's restyling, focus changes and event processing would walk all the
    windows of the tests before it (thousands of widgets by the end of a run)."""
    result = yield
    if "PySide6.QtWidgets" in sys.modules:
        from PySide6.QtCore import QEvent
        from PySide6.QtWidgets import QApplication

        if QApplication.instance() is not None:
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    return result


def pytest_sessionfinish(session: pytest.Session) -> None:
    """Each process drops its copies of the template databases (tests/run_once.py)."""
    from tests import run_once

    run_once.stop()


def pytest_unconfigure(config: pytest.Config) -> None:
    """After every worker has finished: the run's compiled modules are removed, and its
    template databases (and any test database left behind) dropped."""
    import shutil

    from tests.run_once import drop_run_databases

    while _pycache:
        shutil.rmtree(_pycache.pop(), ignore_errors=True)
    url = os.environ.get("DIGCOMP_TEST_DATABASE_URL")
    if url and not hasattr(config, "workerinput"):
        from contextlib import suppress

        from sqlalchemy.exc import OperationalError

        with suppress(OperationalError):  # the server is gone: the tests have said so already
            drop_run_databases(url)


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


@pytest.fixture(scope="session", autouse=True)
def _cheap_argon2() -> Iterator[None]:
    """argon2id at its cheapest in the tests' own processes, as the tests' FAST_HASHER:
    passwords hashed by a database opened without a hasher of its own (the command line's,
    the window's), and the passphrases of signing keys and sealed backups at the lowest cost
    the program accepts (1 pass, 8 MiB). These tests are about what is checked and sealed,
    not about the cost of guessing; the cost is stored with each hash, key and backup and
    read back from there, so whatever the program made at its full cost (the programs the
    tests start run at full cost) still opens. tests/services/test_accounts.py checks that
    a hash of other parameters is upgraded on sign-in."""
    from digcomp_app.services import database, sealing
    from tests.services.conftest import FAST_HASHER

    kept = dict(sealing.KDF)
    sealing.KDF.update({name: low for name, (low, _high) in sealing.KDF_LIMITS.items()})
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(database, "PasswordHasher", lambda: FAST_HASHER)
        yield
    sealing.KDF.update(kept)


def build_demo_school(url: str):  # type: ignore[no-untyped-def]
    """The demo school in the empty database at ``url``; its summary."""
    from digcomp_app.services.database import Database
    from digcomp_app.showcase import demo
    from tests.services.conftest import FAST_HASHER

    db = Database(url, password_hasher=FAST_HASHER)
    try:
        return demo.create_school(db, None)
    finally:
        db.close()


@pytest.fixture(scope="session")
def demo_school(tmp_path_factory):  # type: ignore[no-untyped-def]
    """The demo school's SQLite file, made once per test run (by the first worker that needs
    it), and its summary; tests work on copies of the file."""
    from tests.run_once import sqlite_file

    return sqlite_file(tmp_path_factory, "demo", build_demo_school)


@pytest.fixture(scope="session")
def demo_template(demo_school) -> str:
    """The demo school's database file; tests work on copies of it."""
    return str(demo_school[0])


@pytest.fixture
def demo_file(demo_template, tmp_path) -> Path:
    """A copy of the demo school's database file for one test."""
    import shutil

    path = tmp_path / "school.sqlite3"
    shutil.copy(demo_template, path)
    return path
