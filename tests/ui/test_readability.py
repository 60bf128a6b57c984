"""Readable with a larger font: every role's screens, at 1366x768 with the application font
at 14 pt (half as large again as the default, as a "larger text" setting makes it), in
Latvian and English.

Each screen is shown in the state the user guide pictures it in (a case open, a mobility
with its participants, a self-assessment open...; ui/screenshots.SCREEN_STATES), and then:
the window still fits on a 1366x768 screen (its minimum size), no button is narrower than
its text needs, and no tab's title is cut.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QAbstractButton, QApplication, QTabBar

from digcomp_app.i18n import set_language
from digcomp_app.ui.qt_i18n import apply_qt_language
from digcomp_app.ui.screenshots import DEMO_USERS, EXTRA_PICTURES, HEIGHT, SCREEN_STATES, WIDTH
from tests.ui.conftest import sign_in

LARGE_POINT_SIZE = 14


@pytest.fixture
def large_font(qapp):
    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSizeF(LARGE_POINT_SIZE)
    qapp.setFont(font)
    yield
    qapp.setFont(before)


def problems_of(window, where: str) -> list[str]:
    found = []
    for _round in range(5):  # a restyled widget asks for a new layout more than once
        QApplication.sendPostedEvents()
        QApplication.processEvents()
    minimum = window.minimumSizeHint()
    if minimum.width() > WIDTH or minimum.height() > HEIGHT:
        found.append(f"{where}: the window needs {minimum.width()}x{minimum.height()}")
    for button in window.findChildren(QAbstractButton):
        if button.isVisible() and button.text() and button.width() < button.sizeHint().width():
            found.append(
                f"{where}: button {button.text()!r} is {button.width()} px wide, its text "
                f"needs {button.sizeHint().width()}"
            )
    for bar in window.findChildren(QTabBar):
        if not bar.isVisible():
            continue
        for index in range(bar.count()):
            if bar.tabRect(index).width() < bar.tabSizeHint(index).width():
                found.append(f"{where}: tab {bar.tabText(index)!r} is cut")
    return found


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_screen_fits_and_shows_its_buttons_whole_with_a_larger_font(
    qtbot, window, large_font, language
):
    set_language(language)
    apply_qt_language(language)
    window.retranslate()
    window.resize(WIDTH, HEIGHT)
    assert window.font().pointSizeF() == LARGE_POINT_SIZE
    found: list[str] = []
    for role, username in DEMO_USERS:
        sign_in(qtbot, window, username)
        qtbot.waitUntil(lambda: window.workspace is not None)
        workspace = window.workspace
        for spec in workspace.specs:
            workspace.show_screen(spec.id)
            screen = workspace.screen(spec.id)
            prepare = SCREEN_STATES.get(spec.id)
            if prepare is not None:
                prepare(window, screen)
            found += problems_of(window, f"{language} {username} {spec.id}")
        for extra_role, name, open_extra in EXTRA_PICTURES:
            if extra_role == role:
                dialog = open_extra(window)
                if dialog is not None:
                    dialog.show()
                    minimum = dialog.minimumSizeHint()
                    if minimum.width() > WIDTH or minimum.height() > HEIGHT:
                        found.append(f"{language} {name}: the dialog needs {minimum.toTuple()}")
                    dialog.close()
                    dialog.deleteLater()
                else:
                    found += problems_of(window, f"{language} {username} {name}")
        window.sign_out()
    assert not found, "\n".join(found)
