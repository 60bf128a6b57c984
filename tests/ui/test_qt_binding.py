"""The Qt binding installed keeps Python's reference counts right over a long session.

PySide6-Essentials 6.12.0 on Python 3.11 drops a reference to ``None`` on each call of a Qt
method that returns nothing; after some thousands of calls (minutes of real use) the
interpreter aborts with "deallocating None". The pinned version must not do that.
"""

from __future__ import annotations

import os
import subprocess
import sys

PROBE = """
import sys
from PySide6.QtWidgets import QApplication, QWidget
app = QApplication([])
window = QWidget()
window.show()
before = sys.getrefcount(None)
for _ in range(30_000):
    app.processEvents()
    window.setWindowTitle("DigComp")
print(sys.getrefcount(None) - before)
"""


def test_thirty_thousand_qt_calls_leave_none_alone():
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
        env={**os.environ, "QT_QPA_PLATFORM": "offscreen"},
    )
    assert done.returncode == 0, done.stderr[-500:]
    # a few references come and go with caches; a leak would be tens of thousands
    assert abs(int(done.stdout.strip().splitlines()[-1])) < 1000
