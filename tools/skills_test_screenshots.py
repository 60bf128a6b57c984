#!/usr/bin/env python3
"""Pictures of the digital skills test for the guide: docs/screenshots/skills-test-*.png.

    python tools/skills_test_screenshots.py [--out docs/screenshots]

On a temporary demo school, at 1366x768, offscreen, in Latvian and English: the demo
learner learner05 (self-assessed before and after the finished mobility) takes the test
before the mobility and again after it (answers given through the services), then the
window shows an item half-way through a third test, the result of the "after" test beside
the learner's own levels, and the before/after comparison.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt  # noqa: E402
from PySide6.QtTest import QTest  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from digcomp_app.framework.digcompsat import builtin_bank  # noqa: E402
from digcomp_app.i18n import set_language  # noqa: E402
from digcomp_app.services import accounts, mobilities, skills_test  # noqa: E402
from digcomp_app.services.database import Database  # noqa: E402
from digcomp_app.showcase import demo  # noqa: E402
from digcomp_app.showcase.demo.content import PASSWORD  # noqa: E402
from digcomp_app.showcase.screenshots import FAST_HASHER, HEIGHT, WIDTH  # noqa: E402
from digcomp_app.ui.app import create_application  # noqa: E402
from digcomp_app.ui.main_window import MainWindow  # noqa: E402
from digcomp_app.ui.qt_i18n import apply_qt_language  # noqa: E402
from digcomp_app.ui.screens.self_assessment.purposes import Purpose  # noqa: E402

LEARNER = "learner05"


def settle() -> None:
    for _ in range(5):
        QApplication.processEvents()
        time.sleep(0.02)


def take(db: Database, language: str, mobility_id: int, moment: str, shift: int) -> None:
    learner = accounts.authenticate(db, None, LEARNER, PASSWORD)
    started = skills_test.start(db, learner, language, mobility_id, moment)
    for item in builtin_bank().items:
        value = min(3, max(0, (item.number * 7 + shift) % 4 + (shift if item.area in "14" else 0)))
        if language == "lv" and item.number % 23 == 0:
            skills_test.answer(db, learner, started.id, item.id, None)
        else:
            skills_test.answer(db, learner, started.id, item.id, value)
    skills_test.complete(db, learner, started.id)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    create_application()
    for language in ("lv", "en"):
        with tempfile.TemporaryDirectory() as folder:
            os.environ["DIGCOMP_SETTINGS"] = str(Path(folder) / "settings.ini")
            db = Database(f"sqlite:///{Path(folder) / 'demo.sqlite3'}", password_hasher=FAST_HASHER)
            demo.create_school(db, None)
            learner = accounts.authenticate(db, None, LEARNER, PASSWORD)
            mobility = mobilities.list_all(db, learner)[-1]
            take(db, language, mobility.id, "before", 0)
            take(db, language, mobility.id, "after", 1)
            set_language(language)
            apply_qt_language(language)
            window = MainWindow(db)
            window.resize(WIDTH, HEIGHT)
            window.show()
            settle()
            page = window.sign_in
            QTest.keyClicks(page.username, LEARNER)
            QTest.keyClicks(page.password, PASSWORD)
            QTest.keyClick(page.password, Qt.Key.Key_Return)
            settle()
            window.workspace.show_screen("skills_test")
            screen = window.workspace.screen("skills_test")
            settle()
            window.grab().save(str(args.out / f"skills-test-start-{language}.png"))
            done = skills_test.history(db, learner, learner.learner_id)
            screen.show_result(done[-1])
            settle()
            window.grab().save(str(args.out / f"skills-test-result-{language}.png"))
            screen.result_page.tabs.setCurrentIndex(1)
            settle()
            window.grab().save(str(args.out / f"skills-test-before-after-{language}.png"))
            screen.result_page.tabs.setCurrentIndex(0)
            screen.start(Purpose(None, "other"), language)
            for number in range(11):
                screen.test_page.choose(number % 4)
                screen.test_page.next()
            settle()
            window.grab().save(str(args.out / f"skills-test-item-{language}.png"))
            window.close()
            db.close()
        print(f"{language}: saved to {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
