"""The program's look (ui/style.py) whichever way its application object was made: started
as the program starts (``ui.app.create_application``: Fusion named on Qt's command line), or
made elsewhere first (``apply_style`` sets Fusion itself). Each in a fresh process, where a
desktop's own default style (``QT_STYLE_OVERRIDE``) is not Fusion."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

MADE_BY_THE_PROGRAM = """
from digcomp_app.ui.app import create_application
app = create_application()
print(app.style().name())
"""

MADE_ELSEWHERE = """
from PySide6.QtWidgets import QApplication
app = QApplication([])
print(app.style().name())
"""

LOOK = """
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication
from digcomp_app.ui.style import WINDOW, apply_style
app = QApplication.instance()
apply_style()
apply_style()  # (again: nothing more)
assert app.palette().color(QPalette.ColorRole.Window).name() == WINDOW
assert "QListWidget#navigation" in app.styleSheet()
app.setStyleSheet("")  # (the style sheet's own style stands in front of the style)
print(app.style().name())
"""


def _run(script: str) -> str:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "QT_STYLE_OVERRIDE": "Windows"}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.split()


@pytest.mark.parametrize(
    ("script", "said"),
    [
        (MADE_BY_THE_PROGRAM + LOOK, ["fusion", "fusion"]),
        (MADE_ELSEWHERE + LOOK, ["windows", "fusion"]),
    ],
    ids=["made by the program", "made elsewhere"],
)
def test_the_program_has_its_look_however_its_application_was_made(script, said):
    assert _run(script) == said
