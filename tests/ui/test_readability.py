"""Readable with a larger font: every role's screens, at 1366x768 with the application font
at 14 pt (half as large again as the default, as a "larger text" setting makes it), in
Latvian and English.

Each screen is shown in the state the user guide pictures it in (a case open, a mobility
with its participants, a self-assessment open...; showcase/screenshots.SCREEN_STATES), and then:
the window still fits on a 1366x768 screen (its minimum size), no button is narrower than
its text needs, and no tab's title is cut.

The teacher's learner names beside an open case and the coordinator's list of mobilities
read whole, at the default font and the larger one.

The dialogs (printing, saving a report, the passphrase, creating a key, verifying) are
checked the same way, at their smallest size and at the size they open at: they fit the
screen and no button, label or wrapped text in them is cut.
"""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QLabel,
    QStyle,
    QTabBar,
    QWidget,
)

from digcomp_app.i18n import set_language
from digcomp_app.services import certificates, signing
from digcomp_app.showcase.screenshots import (
    DEMO_USERS,
    EXTRA_PICTURES,
    HEIGHT,
    SCREEN_STATES,
    WIDTH,
)
from digcomp_app.ui.print_dialog import PrintDialog, ReportDialog
from digcomp_app.ui.qt_i18n import apply_qt_language
from digcomp_app.ui.screens.mobilities.widgets import CODE_ROLE, DETAILS_ROLE
from digcomp_app.ui.screens.signing.dialogs import CreateKeyDialog
from digcomp_app.ui.signing import PassphraseDialog
from digcomp_app.ui.verify_dialog import VerifyDialog
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


def settle() -> None:
    for _round in range(5):  # a restyled widget asks for a new layout more than once
        QApplication.sendPostedEvents()
        QApplication.processEvents()


def problems_of(window, where: str) -> list[str]:
    found = []
    settle()
    minimum = window.minimumSizeHint()
    if minimum.width() > WIDTH or minimum.height() > HEIGHT:
        found.append(f"{where}: the window needs {minimum.width()}x{minimum.height()}")
    found += cut_texts(window, where)
    return found


def cut_texts(window: QWidget, where: str) -> list[str]:
    """Buttons narrower than their text, tab titles cut."""
    found = []
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


def switch_language(window, language: str) -> None:
    set_language(language)
    apply_qt_language(language)
    window.retranslate()


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_screen_fits_and_shows_its_buttons_whole_with_a_larger_font(
    qtbot, window, large_font, language
):
    switch_language(window, language)
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
                    found += dialog_problems(dialog, f"{language} {name}")
                else:
                    found += problems_of(window, f"{language} {username} {name}")
        window.sign_out()
    assert not found, "\n".join(found)


#: a dialog's room on a 1366x768 screen: its title bar and a taskbar take some height
DIALOG_ROOM = (WIDTH, HEIGHT - 60)


def dialog_problems(dialog: QDialog, where: str) -> list[str]:
    """Shows ``dialog`` at the size it opens at and at the smallest the user can make it:
    it fits the screen, and no button, label or wrapped text in it is cut. Closes it."""
    found = []
    dialog.show()
    settle()
    smallest = dialog.minimumSize().expandedTo(dialog.minimumSizeHint())
    if smallest.width() > DIALOG_ROOM[0] or smallest.height() > DIALOG_ROOM[1]:
        found.append(f"{where}: the dialog needs {smallest.width()}x{smallest.height()}")
    for size, name in ((dialog.size(), "as opened"), (smallest, "at its smallest")):
        dialog.resize(size)
        settle()
        found += [f"{line} ({name})" for line in cut_texts(dialog, where)]
        for label in dialog.findChildren(QLabel):
            if not (label.isVisible() and label.text()):
                continue
            if label.wordWrap():
                needed = label.heightForWidth(label.width())
                if label.height() < needed:
                    found.append(
                        f"{where}: the text {label.text()[:40]!r}... is cut: "
                        f"{label.height()} px high, it needs {needed} ({name})"
                    )
            elif label.width() < label.sizeHint().width():
                found.append(f"{where}: the label {label.text()!r} is cut ({name})")
    dialog.close()
    dialog.deleteLater()
    return found


@pytest.mark.parametrize("language", ["lv", "en"])
def test_every_dialog_fits_and_shows_its_texts_whole_with_a_larger_font(
    qtbot, window, large_font, language
):
    switch_language(window, language)
    sign_in(qtbot, window, "coordinator")
    qtbot.waitUntil(lambda: window.workspace is not None)
    context = window.workspace.context
    db, actor = context.db, context.actor
    register = certificates.list_register(db, actor)
    revoked = [c for c in register if c.status != "issued"]
    in_force = [c for c in register if c.status == "issued" and c.qr_text]
    assert revoked and in_force  # the demo school has both
    found: list[str] = []

    found += dialog_problems(
        PrintDialog(context, [*in_force[:3], revoked[0]], parent=window), "print"
    )
    found += dialog_problems(PrintDialog(context, parent=window), "print, nothing chosen")
    code = in_force[0].mobility_code or "2026-1-LV01-KA121-VET-000962732-ES"
    report = ReportDialog(
        "Mobility summary",
        f"The summary of {code} lists its participants and the level each reached per "
        "competence. Choose its language and where to save it.",
        window,
    )
    report.accept()  # no folder: the error shows too
    found += dialog_problems(report, "report")

    passphrase = PassphraseDialog(context, window)
    found += dialog_problems(passphrase, "passphrase")
    passphrase = PassphraseDialog(context, window)
    passphrase.passphrase.setText("not the passphrase")
    passphrase.unlock()
    assert passphrase.message.text() and passphrase.signer is None
    found += dialog_problems(passphrase, "passphrase, mistyped")

    keys = signing.list_keys(db, actor)
    found += dialog_problems(CreateKeyDialog(context, keys[0], window), "create key")
    found += dialog_problems(CreateKeyDialog(context, None, window), "first key")

    verify = VerifyDialog(db, actor, window)
    verify.check_text(in_force[-1].qr_text)
    assert verify.details.toPlainText()
    found += dialog_problems(verify, "verify, valid")
    verify = VerifyDialog(db, actor, window)
    verify.check_text("DC1:not a code")
    found += dialog_problems(verify, "verify, not valid")
    assert not found, "\n".join(found)


def whole_text_width(view, text: str, font=None) -> int:
    """The width an item view's cell needs to show ``text`` without eliding it."""
    metrics = QFontMetrics(font or view.font())
    margin = view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return metrics.horizontalAdvance(text) + 2 * margin


@pytest.mark.parametrize("point_size", [9, LARGE_POINT_SIZE])
def test_learner_names_and_mobilities_read_whole_at_1366x768(qtbot, window, qapp, point_size):
    before = QFont(qapp.font())
    font = QFont(before)
    font.setPointSizeF(point_size)
    qapp.setFont(font)
    try:
        set_language("lv")
        apply_qt_language("lv")
        window.retranslate()
        window.resize(WIDTH, HEIGHT)
        found: list[str] = []

        # the teacher's learners beside a case open at its assessment
        sign_in(qtbot, window, "teacher1")
        qtbot.waitUntil(lambda: window.workspace is not None)
        open_case = next(open_ for _r, name, open_ in EXTRA_PICTURES if name == "cases-assessment")
        open_case(window)
        settle()
        tree = window.workspace.screen("cases").learners.tree
        names = window.workspace.screen("cases").learners.learner_items()
        assert len(names) > 10
        for item in names:
            rect = tree.visualItemRect(item)
            needed = whole_text_width(tree, item.text(0))
            if rect.width() < needed or rect.right() > tree.viewport().width():
                found.append(f"{point_size} pt: the name {item.text(0)!r} is cut")
        window.sign_out()

        # the coordinator's mobilities: every line of every mobility whole
        sign_in(qtbot, window, "coordinator")
        qtbot.waitUntil(lambda: window.workspace is not None)
        window.workspace.show_screen("mobilities")
        screen = window.workspace.screen("mobilities")
        SCREEN_STATES["mobilities"](window, screen)
        settle()
        table = screen.table
        assert table.rowCount() == 2
        width = table.columnWidth(0)
        if width > table.viewport().width():
            found.append(f"{point_size} pt: the mobilities list scrolls sideways")
        bold = QFont(table.font())
        bold.setBold(True)
        for row in range(table.rowCount()):
            item = table.item(row, 0)
            lines = (
                (item.text(), bold),
                (item.data(CODE_ROLE), table.font()),
                (item.data(DETAILS_ROLE), table.font()),
            )
            # a line too long for one row wraps; the row must be as high as its lines need
            needed = sum(
                QFontMetrics(line_font).lineSpacing()
                * -(-whole_text_width(table, text, line_font) // max(width, 1))
                for text, line_font in lines
            )
            if table.rowHeight(row) > 2 * needed:  # laid out for a narrower list
                found.append(
                    f"{point_size} pt: mobility {item.data(CODE_ROLE)} is spread out: its row "
                    f"is {table.rowHeight(row)} px high, its lines need {needed}"
                )
            if table.rowHeight(row) < needed:
                found.append(
                    f"{point_size} pt: mobility {item.data(CODE_ROLE)} is cut: its row is "
                    f"{table.rowHeight(row)} px high, its lines need {needed}"
                )
        window.sign_out()
        assert not found, "\n".join(found)
    finally:
        qapp.setFont(before)
