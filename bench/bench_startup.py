"""Cold start to the first window on screen: the application next to a bare PySide6 window.

Budgets (GUI brief): the application's window is shown, and its sign-in form can be typed
into, within 1.5 x the time a bare PySide6 ``QMainWindow`` needs to be shown, all measured
the same way in the same run.

Each sample is a fresh ``python -c`` process (``QT_QPA_PLATFORM=offscreen``), so every
import is paid again (the operating system's file cache is warm: one untimed warm-up run of
each comes first). The script reads ``time.perf_counter()`` on its very first line and stops
the clock when the window has been shown and painted once (its first ``Paint`` event, then
``QTimer.singleShot(0)`` so the paint has finished). The interpreter's own start-up (from
the parent starting the process to that first line; ``perf_counter`` is one system-wide
monotonic clock) is reported apart, and is the same for both.

(a) the application: import ``digcomp_app.ui.app`` and the main window, create the
``QApplication`` (Latvian, with Qt's own translations) and show
``MainWindow(database_url=...)`` for a demo school database made once beforehand (not
timed), as ``ui.app.run`` does: the window opens its database in the background after its
first paint. Two more marks: the sign-in form is typeable (the user name field has the
keyboard and a key sent to it lands in it), and the database is open (reported).
(b) a bare ``QMainWindow`` of the same size, shown the same way.
(c) the ``digcomp-app`` command as people start it (``cli.main`` with ``--database`` and
``--language``: the settings read, the command line parsed, then (a)); reported beside the
others, not budgeted.

Our own modules are loaded from bytecode, as in an installed program (pip compiles them):
the warm-up run compiles them into a temporary ``PYTHONPYCACHEPREFIX`` folder (never into
the checkout), also when the caller told Python not to write bytecode
(``PYTHONDONTWRITEBYTECODE``), which would otherwise have every process compile the main
window's module and the others again.

When the budget is missed, one more run of (a) under ``python -X importtime`` and cProfile
says where the time goes before the first paint.
"""

from __future__ import annotations

import json
import os
import pstats
import re
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from argon2 import PasswordHasher

from bench.common import Budget
from digcomp_app.services.database import Database
from digcomp_app.showcase import demo

BUDGET_RATIO = 1.5
RUNS = 7
LANGUAGE = "lv"
TIMEOUT_S = 120
OURS = ("digcomp_app", "(the script)")

_FIRST_PAINT = """
class _FirstPaint(QObject):
    def eventFilter(self, watched, event):
        if watched is window and event.type() == QEvent.Type.Paint:
            window.removeEventFilter(self)
            QTimer.singleShot(0, _done)
        return False

def _done():
    if "shown" not in marks:
        marks["shown"] = time.perf_counter()
        if _profiler is not None:
            _profiler.disable()
            _profiler.dump_stats(_profile)
        sys.stderr.write("BENCH shown\\n")  # (ends the part of -X importtime's report before it)
    if not hasattr(window, "sign_in"):  # the bare window
        marks["sign-in ready"] = marks["shown"]
        return _report()
    if "sign-in ready" not in marks:
        page = window.sign_in
        field = page.username if page is not None else None
        if field is None or QApplication.focusWidget() is not field or not field.isVisible():
            if window._problem:
                raise SystemExit("the window shows a problem: " + window._problem)
            QTimer.singleShot(1, _done)  # not yet
            return
        marks["sign-in ready"] = time.perf_counter()
        # proof (after the clock, as a key would come from the keyboard): a key typed now
        # lands in the user name field
        from PySide6.QtCore import Qt
        from PySide6.QtGui import QKeyEvent

        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(
                field, QKeyEvent(kind, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a")
            )
        if field.text() != "a":
            raise SystemExit("the key typed did not land in the user name field")
    if window.db is None or (window.loader is not None):
        if window._problem:
            raise SystemExit("the window shows a problem: " + window._problem)
        QTimer.singleShot(5, _done)  # the database opens in the background
        return
    marks["database open"] = time.perf_counter()
    _report()

def _report():
    import json  # after the clock stopped
    print("BENCH " + json.dumps({"t0": t0, "visible": window.isVisible(),
          "marks": {k: (v - t0) * 1000 for k, v in marks.items()}}))
    app.quit()
"""

_SHOW = """
_watch = _FirstPaint()
window.installEventFilter(_watch)
window.show()
QTimer.singleShot(60_000, lambda: app.exit(3))
sys.exit(app.exec())
"""

BARE = (
    """import time
t0 = time.perf_counter()
import sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QMainWindow
marks = {"imported": time.perf_counter()}
app = QApplication(sys.argv[:1])
marks["application"] = time.perf_counter()
window = QMainWindow()
window.resize(1200, 760)
marks["window built"] = time.perf_counter()
_profiler = None
"""
    + _FIRST_PAINT
    + _SHOW
)

APP = (
    """import time
t0 = time.perf_counter()
import os, sys
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from digcomp_app.i18n import current_language, set_language
from digcomp_app.ui.app import create_application
from digcomp_app.ui.main_window import MainWindow
from digcomp_app.ui.qt_i18n import apply_qt_language
marks = {"imported": time.perf_counter()}
app = create_application(sys.argv[:1])
set_language(os.environ["BENCH_LANGUAGE"])
apply_qt_language(current_language())
marks["application"] = time.perf_counter()
_profile = os.environ.get("BENCH_PROFILE")
_profiler = None
if _profile:  # from building the window to its first paint
    import cProfile
    _profiler = cProfile.Profile()
    _profiler.enable()
window = MainWindow(database_url=os.environ["BENCH_DATABASE_URL"])
marks["window built"] = time.perf_counter()
"""
    + _FIRST_PAINT
    + _SHOW
)


COMMAND = (
    """import time
t0 = time.perf_counter()
import os, sys
from digcomp_app.cli import main
marks = {"imported": time.perf_counter()}
_profiler = None
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication
from digcomp_app.ui import main_window
_show = main_window.MainWindow.show

def _show_watched(self):
    global window, app, _watch
    window, app = self, QApplication.instance()
    marks["window built"] = time.perf_counter()
    _watch = _FirstPaint()
    window.installEventFilter(_watch)
    QTimer.singleShot(60_000, lambda: app.exit(3))
    _show(self)

main_window.MainWindow.show = _show_watched
"""
    + _FIRST_PAINT
    + """
sys.exit(main(["--database", os.environ["BENCH_DATABASE_URL"],
               "--language", os.environ["BENCH_LANGUAGE"]]))
"""
)


def _demo_database(folder: Path) -> str:
    """A demo school in an SQLite file, checkpointed into one self-contained file."""
    path = folder / "demo.sqlite3"
    db = Database(
        f"sqlite:///{path}",
        password_hasher=PasswordHasher(time_cost=1, memory_cost=8, parallelism=1),
    )
    try:
        demo.create_school(db, None)
    finally:
        db.close()
    with sqlite3.connect(path) as connection:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    return f"sqlite:///{path}"


def _run(script: str, env: dict[str, str], *flags: str) -> tuple[dict, str]:
    """One fresh process; its marks (ms from the script's first line) and its stderr."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, *flags, "-c", script],
        env=env,
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("BENCH ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"the start-up script failed ({done.returncode}):\n{done.stderr}")
    result = json.loads(lines[-1][len("BENCH ") :])
    if not result["visible"]:
        raise RuntimeError("the window was painted but is not visible")
    interpreter = (result["t0"] - started) * 1000
    result["interpreter"] = interpreter if 0 <= interpreter < 60_000 else float("nan")
    return result, done.stderr


def _median(samples: list[dict], key: str) -> float:
    return statistics.median(sample["marks"][key] for sample in samples)


def _phases(samples: list[dict]) -> str:
    names = list(samples[0]["marks"])
    parts, before = [], 0.0
    for name in names:
        at = _median(samples, name)
        parts.append(f"{name} +{at - before:.0f}")
        before = at
    return ", ".join(parts)


def _import_profile(stderr: str, top: int = 6) -> list[str]:
    """Third-party packages entered from our code (and their heaviest parts); our own modules.

    Only what was imported before the first paint counts.
    """
    rows = []
    for line in stderr.split("BENCH shown", 1)[0].splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+(\d+) \|( *)(\S+)", line)
        if match:
            rows.append((int(match[1]), int(match[2]), len(match[3]) // 2, match[4]))
    # -X importtime prints a module after what it imports: the parent is the next shallower row
    parents = [
        next((j for j in range(i + 1, len(rows)) if rows[j][2] < rows[i][2]), None)
        for i in range(len(rows))
    ]

    def package(index: int | None) -> str:
        return "(the script)" if index is None else rows[index][3].split(".")[0]

    entries: dict[int, list[int]] = {}  # entry from our code -> nested heavy entries
    own: dict[str, int] = defaultdict(int)
    for index, (self_us, _cumulative, _depth, name) in enumerate(rows):
        if package(index) == "digcomp_app":
            own[".".join(name.split(".")[:2])] += self_us
        elif package(parents[index]) in OURS:
            entries.setdefault(index, [])
        elif package(parents[index]) != package(index):
            outer = parents[index]
            while outer is not None and package(parents[outer]) not in (
                "digcomp_app",
                "(the script)",
            ):
                outer = parents[outer]
            if outer is not None:
                entries.setdefault(outer, []).append(index)

    def describe(index: int) -> str:
        parent = parents[index]
        importer = "(the script)" if parent is None else rows[parent][3]
        return f"{rows[index][1] / 1000:7.1f} ms  {rows[index][3]}  (imported by {importer})"

    lines = []
    for index in sorted(entries, key=lambda i: -rows[i][1])[:top]:
        lines.append(describe(index))
        nested = sorted(entries[index], key=lambda i: -rows[i][1])
        lines += ["  of which " + describe(i).strip() for i in nested[:3] if rows[i][1] >= 20_000]
    lines += [
        f"{us / 1000:7.1f} ms  {name} (own code, not counting what it imports)"
        for name, us in sorted(own.items(), key=lambda item: -item[1])[:4]
    ]
    return lines


def _window_profile(path: str, depth: int = 3, least_ms: float = 10.0) -> list[str]:
    """What ``MainWindow.__init__`` calls that takes time, two levels deep; then where the
    Python time goes from building the window to its first paint (the event loop included:
    an event filter, say, runs there)."""
    stats = pstats.Stats(path)
    stats.calc_callees()
    callees = stats.all_callees  # type: ignore[attr-defined]

    def name(key: tuple[str, int, str]) -> str:
        filename, line, function = key
        short = re.sub(r".*/(site-packages|digcomp_app)/", r"\1/", filename)
        return f"{function} ({short}:{line})" if line else function

    def walk(key: tuple[str, int, str], level: int) -> list[str]:
        lines = []
        children = sorted(callees.get(key, {}).items(), key=lambda item: -item[1][3])
        for child, (_cc, _nc, _tt, cumulative) in children:
            if cumulative * 1000 >= least_ms:
                lines.append(f"{'  ' * level}{cumulative * 1000:7.1f} ms  {name(child)}")
                if level + 1 < depth:
                    lines += walk(child, level + 1)
        return lines

    root = next(
        (k for k in stats.stats if k[2] == "__init__" and k[0].endswith("main_window.py")),  # type: ignore[attr-defined]
        None,
    )
    lines = ["(MainWindow.__init__ not found in the profile)"]
    if root is not None:
        total = stats.stats[root][3]  # type: ignore[attr-defined]
        lines = [
            f"{total * 1000:7.1f} ms  MainWindow.__init__ (with profiling overhead)",
            *walk(root, 1),
        ]
    own = sorted(stats.stats.items(), key=lambda item: -item[1][2])  # type: ignore[attr-defined]
    lines.append("  up to the first paint, most time of its own (tottime):")
    lines += [
        f"  {tottime * 1000:7.1f} ms  {name(key)} ({calls} calls)"
        for key, (_cc, calls, tottime, _cum, _callers) in own[:6]
        if tottime * 1000 >= least_ms / 5
    ]
    return lines


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="digcomp-bench-startup-") as folder:
        url = _demo_database(Path(folder))
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "DIGCOMP_SETTINGS": str(Path(folder) / "settings.ini"),
            "BENCH_DATABASE_URL": url,
            "BENCH_LANGUAGE": LANGUAGE,
        }
        env.pop("DIGCOMP_DATABASE_URL", None)
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # compiled once, as when installed
        env["PYTHONPYCACHEPREFIX"] = str(Path(folder) / "bytecode")
        for script in (BARE, APP, COMMAND):  # warm-up: the file cache, compiled bytecode
            _run(script, env)
        bare, app, command = [], [], []
        for _ in range(RUNS):  # interleaved, so all meet the same machine load
            bare.append(_run(BARE, env)[0])
            app.append(_run(APP, env)[0])
            command.append(_run(COMMAND, env)[0])
        bare_ms, app_ms = _median(bare, "shown"), _median(app, "shown")
        command_ms = _median(command, "shown")
        interpreter = statistics.median(s["interpreter"] for s in bare + app + command)
        ratio = app_ms / bare_ms
        print(
            f"start-up to the first window shown (offscreen, {RUNS} fresh processes each, "
            f"medians; ms from the script's first line)"
        )
        print(f"  python interpreter start-up      : {interpreter:7.1f} ms (not in the figures)")
        print(f"  bare PySide6 QMainWindow         : {bare_ms:7.1f} ms  ({_phases(bare)})")
        print(f"  digcomp_app MainWindow [{LANGUAGE}]     : {app_ms:7.1f} ms  ({_phases(app)})")
        ready_ms = _median(app, "sign-in ready")
        open_ms = _median(app, "database open")
        ready_ratio = ready_ms / bare_ms
        print(
            f"  ... its sign-in form typeable    : {ready_ms:7.1f} ms ({ready_ratio:.2f} x bare: "
            "the user name field has the keyboard and a key typed lands in it)"
        )
        print(
            f"  ... its database open            : {open_ms:7.1f} ms (opened, migrated, frameworks "
            "loaded, in the background; reported, not budgeted)"
        )
        print(
            f"  digcomp-app command [{LANGUAGE}]        : {command_ms:7.1f} ms  "
            f"({_phases(command)}; {command_ms / bare_ms:.2f} x bare; reported, not budgeted)"
        )
        print(
            f"  with the interpreter's start-up  : bare {bare_ms + interpreter:.0f} ms, "
            f"app {app_ms + interpreter:.0f} ms, command {command_ms + interpreter:.0f} ms"
        )
        budget = Budget("start-up")
        budget.check(
            "relative", ratio <= BUDGET_RATIO, f"{ratio:.2f} x bare window <= {BUDGET_RATIO} x"
        )
        budget.check(
            "sign-in ready",
            ready_ratio <= BUDGET_RATIO,
            f"sign-in form typeable at {ready_ratio:.2f} x bare window <= {BUDGET_RATIO} x",
        )
        if budget.failures:
            profile = str(Path(folder) / "window.prof")
            _sample, stderr = _run(APP, {**env, "BENCH_PROFILE": profile}, "-X", "importtime")
            print("  where the time goes - imports (cumulative, python -X importtime):")
            for line in _import_profile(stderr):
                print("    " + line)
            print("  building MainWindow (cProfile, cumulative):")
            for line in _window_profile(profile):
                print("    " + line)
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
