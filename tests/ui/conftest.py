"""GUI tests run on a copy of a demo school database (made once per test session)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from digcomp_app.services.database import Database
from digcomp_app.ui.main_window import MainWindow
from tests.services.conftest import FAST_HASHER


@pytest.fixture
def demo_db(demo_template, tmp_path) -> Iterator[Database]:
    path = tmp_path / "school.sqlite3"
    shutil.copy(demo_template, path)
    db = Database(f"sqlite:///{path}", password_hasher=FAST_HASHER)
    yield db
    db.close()


@pytest.fixture
def window(qtbot, demo_db) -> MainWindow:
    win = MainWindow(demo_db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    return win


def sign_in(qtbot, window: MainWindow, username: str, password: str = "demo") -> None:
    """Type into the sign-in page as a person would."""
    page = window.sign_in
    page.username.clear()
    qtbot.keyClicks(page.username, username)
    qtbot.keyClicks(page.password, password)
    from PySide6.QtCore import Qt

    qtbot.keyClick(page.password, Qt.Key.Key_Return)
