"""Quitting never crashes the program: each role signs in, visits every screen of theirs and
quits with Ctrl+Q, five times, each time in a program of its own (the window as
``digcomp-app`` opens it, through ``ui.app.run``), so that a crash at exit shows as a bad
exit code, a signal, or "Fatal Python error" on the error output.

Once, Ctrl+Q after an administrator's session wrote "Fatal Python error: bool_dealloc" to
the log. PySide6 6.12.0 drops a reference to ``True``/``False`` each time a signal carries a
bool to a Python slot (every ``clicked(bool)``, ``toggled(bool)``, ``triggered(bool)``), as
it drops one to ``None`` (tests/ui/test_qt_binding.py); after enough clicks the interpreter
frees ``True`` and aborts, often only when everything is torn down at exit. The pinned
binding must keep both alone.

How the programs start: not as ``python -c SESSION`` each (most of a short program's CPU
time went on imports), but forked from one server per module that has imported PySide6 and
the program (``ui.app`` and every screen package; no ``QApplication``, and no thread:
checked before each fork) (tests/ui/forked_programs.py). Each program is a fresh child of
that server with the session's own environment (its settings file, no
``DIGCOMP_DATABASE_URL``, the fault handler on), arguments and output files; it runs
``SESSION`` as ``python -c`` would, in ``__main__``, and ``sys.exit`` leaves it through the
interpreter's normal finalization, the exit this test watches: the window and the
application object deleted, the modules torn down, "Fatal Python error" written to its
error output, an abort or a crash reported as the signal's negative return code. What
differs from a program of its own: those imports ran before the application object existed
(they make no Qt object: checked), the screen packages were imported before the sign-in
rather than at it, and the programs of one server share its hash seed.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Iterator

import pytest

from tests.ui.forked_programs import ForkServer

ROUNDS = 5
ROLES = ("admin", "coordinator", "teacher1", "learner01")

#: what every program imports, imported once by the fork server: no Qt object is made yet
PRELOAD = """
import gc
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from digcomp_app.ui import app as ui_app
from digcomp_app.ui.screens import discover
discover()
from PySide6.QtCore import QCoreApplication, QObject
assert QCoreApplication.instance() is None
assert not [o for o in gc.get_objects() if isinstance(o, QObject)]
"""

SESSION = r"""
import sys
from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from digcomp_app.ui import app as ui_app

user, url = sys.argv[1], sys.argv[2]
visited = []

def window():
    return next(w for w in QApplication.topLevelWidgets() if hasattr(w, "sign_in"))

def later(step, ms=30):
    QTimer.singleShot(ms, step)

def sign_in():
    win = window()
    if win.sign_in is None or not win.isActiveWindow():
        return later(sign_in)
    # typed at once, as a person would: the database may still be opening
    QTest.keyClicks(QApplication.focusWidget(), user)
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    QTest.keyClicks(QApplication.focusWidget(), "demo")
    QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return)
    later(visit)

def visit():
    win = window()
    if win.workspace is None:
        if win.sign_in is not None and win.sign_in.error.text():
            raise SystemExit("sign-in refused: " + win.sign_in.error.text())
        return later(visit)
    ids = [spec.id for spec in win.workspace.specs]
    if len(visited) < len(ids):
        win.workspace.show_screen(ids[len(visited)])
        visited.append(win.workspace.current_id())
        return later(visit, 60)
    if not win.isActiveWindow():  # (offscreen, a closed message box leaves it inactive)
        win.activateWindow()
        return later(visit)
    target = QApplication.focusWidget() or win
    QTest.keyClick(target, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)  # Quit
    later(lambda: sys.stderr.write("QUIT DID NOT CLOSE THE WINDOW\n"), 5000)

def start():
    QTimer.singleShot(60_000, lambda: QApplication.instance().exit(3))
    sign_in()

later(start, 0)  # (run by the event loop: the application exists then)
code = ui_app.run(language="en", database_url=url)
print("VISITED " + " ".join(visited), flush=True)
sys.exit(code)
"""


def program_environment() -> dict[str, str]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "PYTHONFAULTHANDLER": "1"}
    env.pop("DIGCOMP_DATABASE_URL", None)
    return env


@pytest.fixture(scope="module")
def school(demo_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("quit")
    return folder, demo_template


@pytest.fixture(scope="module")
def programs(school) -> Iterator[ForkServer]:
    folder, _template = school
    server = ForkServer(PRELOAD, program_environment(), folder / "fork-server.log")
    yield server
    server.close()


def session(programs, folder, template, user: str, number: int) -> subprocess.CompletedProcess[str]:
    path = folder / f"{user}-{number}.sqlite3"
    shutil.copy(template, path)
    env = {
        **program_environment(),
        "DIGCOMP_SETTINGS": str(folder / f"settings-{user}-{number}.ini"),
    }
    return programs.run(
        SESSION,
        [user, f"sqlite:///{path}"],
        env=env,
        output=folder / f"{user}-{number}",
        timeout=120,
    )


@pytest.mark.parametrize("user", ROLES)
def test_each_role_visits_every_screen_and_quits_cleanly_five_times(programs, school, user):
    folder, template = school
    codes = []
    for number in range(ROUNDS):
        done = session(programs, folder, template, user, number)
        codes.append(done.returncode)
        assert "Fatal Python error" not in done.stderr, done.stderr[-3000:]
        assert "QUIT DID NOT CLOSE" not in done.stderr, done.stderr[-3000:]
        assert done.returncode == 0, (done.returncode, done.stderr[-3000:])
        visited = done.stdout.split("VISITED ", 1)[1].split()
        assert "home" in visited and len(visited) >= 2, visited
    assert codes == [0] * ROUNDS


PROBE = """
import sys
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QPushButton
app = QApplication([])

class Sender(QObject):
    flag = Signal(bool)

sender = Sender()
sender.flag.connect(lambda value: value)
button = QPushButton()
button.setCheckable(True)
button.toggled.connect(lambda checked: checked)
before = sys.getrefcount(True), sys.getrefcount(False)
for number in range(20_000):
    sender.flag.emit(number % 2 == 0)
    button.toggle()
after = sys.getrefcount(True), sys.getrefcount(False)
print(after[0] - before[0], after[1] - before[1])
"""


def test_signals_carrying_a_bool_leave_true_and_false_alone():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-500:]  # 6.12.0: "bool_dealloc", abort
    true_drift, false_drift = map(int, done.stdout.split())
    assert abs(true_drift) < 1000 and abs(false_drift) < 1000
