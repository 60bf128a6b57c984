"""Usable at 150 % text size (View → Text size) on a 1366x768 screen, in Latvian and English:

- the navigation shows every screen's title whole (none shortened with "…");
- the coordinator's certification queue and the certificate register need no sideways
  scrolling, and their codes (mobility codes, serial numbers) read whole;
- the learner's results chart shows its legend whole, inside the chart.

The window is driven as a user would: text size and language chosen from their menus.
"""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QFontMetrics, QImage, QPainter
from PySide6.QtWidgets import QAbstractItemView, QApplication, QStyle, QStyleOptionViewItem

from digcomp_app.showcase.screenshots import (
    DEMO_USERS,
    HEIGHT,
    SCREEN_STATES,
    WIDTH,
    _open_case,
)
from digcomp_app.ui.screens.certificates.queue import (
    ASSESSED,
    ASSESSOR,
    DATE,
    METHOD,
    MOBILITY,
    NAME,
    TARGET,
    case_row_text,
)
from digcomp_app.ui.screens.certificates.register import (
    HOLDER,
    ISSUED,
    REASON,
    REVOKED,
    SERIAL,
    STATUS,
)
from digcomp_app.ui.screens.certificates.register import MOBILITY as REGISTER_MOBILITY
from digcomp_app.ui.widgets import apply_text_size
from tests.ui.conftest import sign_in

LANGUAGES = ("lv", "en")


def settle() -> None:
    for _round in range(5):  # a restyled widget asks for a new layout more than once
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.fixture(autouse=True)
def _normal_text_size_afterwards():
    """The application's text size is the process's: back to 100 % for the next test."""
    yield
    apply_text_size(100)


@pytest.fixture
def large(window):
    """The window at 1366x768 with the text at 150 %, as View → Text size sets it."""
    yield sized(window, 150)
    window.text_size_actions[100].trigger()


def sized(window, percent: int):
    """The window at 1366x768 with the text at ``percent`` %."""
    window.showNormal()  # (the test screen is small: the window opened maximised)
    window.resize(WIDTH, HEIGHT)
    window.text_size_actions[percent].trigger()
    settle()
    assert (window.width(), window.height()) == (WIDTH, HEIGHT)
    return window


def choose_language(window, language: str) -> None:
    window.language_actions[language].trigger()
    settle()


def open_screen(qtbot, window, username: str, screen_id: str):
    sign_in(qtbot, window, username)
    qtbot.waitUntil(lambda: window.workspace is not None)
    window.workspace.show_screen(screen_id)
    screen = window.workspace.screen(screen_id)
    prepare = SCREEN_STATES.get(screen_id)
    if prepare is not None:
        prepare(window, screen)
    settle()
    return screen


# --- the navigation ----------------------------------------------------------------------


def text_room(view, row: int) -> int:
    """How wide the item's text may be drawn, as the list's style lays the item out (icon,
    the style sheet's padding, margins)."""
    item = view.item(row)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    view.itemDelegate().initStyleOption(option, view.indexFromItem(item))
    option.rect = view.visualItemRect(item)
    # the item lies inside what the list shows, and its text inside the item
    assert view.viewport().rect().contains(option.rect), (item.text(), option.rect)
    style = view.style()
    rect = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, view)
    # QCommonStyle draws the text inside this rectangle less a margin at either side
    margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1
    return rect.width() - 2 * margin


def painted(view, row: int, width: int) -> QImage:
    """The item drawn by the list's own delegate, ``width`` pixels wide."""
    item = view.item(row)
    option = QStyleOptionViewItem()
    view.initViewItemOption(option)
    view.itemDelegate().initStyleOption(option, view.indexFromItem(item))
    height = view.visualItemRect(item).height()
    option.rect = QRect(0, 0, width, height)
    image = QImage(width, height, QImage.Format.Format_ARGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    view.itemDelegate().paint(painter, option, view.indexFromItem(item))
    painter.end()
    return image


def drawn_whole(view, row: int) -> bool:
    """The item looks the same as when drawn with ample room (a title shortened with "…"
    does not); the right end, where the rounded corner is, is left out."""
    width = view.visualItemRect(view.item(row)).width()
    compared = QRect(0, 0, width - 8, view.visualItemRect(view.item(row)).height())
    return painted(view, row, width).copy(compared) == painted(view, row, width + 400).copy(
        compared
    )


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_navigation_shows_every_title_whole(qtbot, large, language):
    window = large
    choose_language(window, language)
    found = []
    for _role, username in DEMO_USERS:
        sign_in(qtbot, window, username)
        qtbot.waitUntil(lambda: window.workspace is not None)
        workspace = window.workspace
        for spec in workspace.specs:  # every screen: a wide screen must not squeeze the list
            workspace.show_screen(spec.id)
            settle()
            assert window.minimumSizeHint().width() <= WIDTH, spec.id
            view = workspace.navigation
            assert view.horizontalScrollBar().maximum() == 0
            metrics = QFontMetrics(view.font())
            for row in range(view.count()):
                text = view.item(row).text()
                needed = metrics.horizontalAdvance(text)
                room = text_room(view, row)
                if room < needed or not drawn_whole(view, row):
                    found.append(f"{username} {spec.id}: {text!r} needs {needed} px, has {room}")
        window.sign_out()
    assert not found, "\n".join(found)


def test_the_text_size_reaches_the_open_window_and_its_navigation(qtbot, window):
    """Chosen while signed in: the menu bar, the navigation and the screen shown grow at
    once (not only what opens later), and the navigation widens for its titles."""
    window.showNormal()
    window.resize(WIDTH, HEIGHT)
    choose_language(window, "lv")
    sign_in(qtbot, window, "coordinator")
    qtbot.waitUntil(lambda: window.workspace is not None)
    workspace = window.workspace
    home = workspace.screen("home")
    before = {
        "menu bar": window.menuBar().font().pointSizeF(),
        "navigation": workspace.navigation.font().pointSizeF(),
        "home": home.font().pointSizeF(),
    }
    width = workspace.navigation.width()
    try:
        window.text_size_actions[150].trigger()
        settle()
        after = {
            "menu bar": window.menuBar().font().pointSizeF(),
            "navigation": workspace.navigation.font().pointSizeF(),
            "home": home.font().pointSizeF(),
        }
        for name, size in before.items():
            assert abs(after[name] - size * 1.5) < 0.1, (name, size, after[name])
        assert workspace.navigation.width() > width
        view = workspace.navigation
        for row in range(view.count()):
            assert drawn_whole(view, row), view.item(row).text()
    finally:
        window.text_size_actions[100].trigger()
    assert abs(window.menuBar().font().pointSizeF() - before["menu bar"]) < 0.1


# --- the certification queue and the register ---------------------------------------------


def no_sideways_scrolling(view) -> None:
    assert view.horizontalScrollBar().maximum() == 0, (
        f"{view.accessibleName()}: scrolls {view.horizontalScrollBar().maximum()} px sideways"
    )
    assert not view.horizontalScrollBar().isVisible()


def whole(view: QAbstractItemView, column: int, texts: list[str]) -> None:
    """The column is wide enough for every text in it (margins included)."""
    metrics = view.fontMetrics()
    margin = 2 * (view.style().pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin) + 1)
    widest = max(metrics.horizontalAdvance(text) for text in texts)
    assert view.columnWidth(column) >= widest + margin, (texts, view.columnWidth(column))


def titles_keep_their_longest_word(tree) -> None:
    """Every column shown keeps room for its title's longest word."""
    header = tree.header()
    for column in range(tree.columnCount()):
        if tree.isColumnHidden(column):
            continue
        title = tree.headerItem().text(column)
        words = max(header.fontMetrics().horizontalAdvance(w) for w in title.split())
        assert tree.columnWidth(column) >= words, (title, tree.columnWidth(column))


def inside(widget, window) -> None:
    """The widget is drawn whole inside the window (not cut at its right edge)."""
    right = widget.mapTo(window, widget.rect().topRight()).x()
    assert right < window.width(), f"{widget!r} ends at {right} px"


@pytest.mark.parametrize("percent", [150, 100])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_queue_and_the_register_fit_without_sideways_scrolling(
    qtbot, window, language, percent
):
    sized(window, percent)
    choose_language(window, language)
    certification = open_screen(qtbot, window, "coordinator", "certification")
    queue, register = certification.queue, certification.register
    assert window.minimumSizeHint().width() <= WIDTH

    cases = queue.cases()
    assert cases, "the demo school has cases waiting for approval"
    tree = queue.tree
    no_sideways_scrolling(tree)
    for index, case in enumerate(cases):
        # a case's own row reads across the list: the learner, the whole mobility code
        top = tree.topLevelItem(index)
        code = top.text(MOBILITY)
        assert code and top.isFirstColumnSpanned()
        shown = case_row_text(top)
        assert case.learner_name in shown and code in shown
        needed = QFontMetrics(top.font(NAME)).horizontalAdvance(shown)
        assert tree.visualItemRect(top).width() >= needed + 12, (shown, needed)
    titles_keep_their_longest_word(tree)  # and levels and dates whole:
    children = [tree.topLevelItem(0).child(i) for i in range(tree.topLevelItem(0).childCount())]
    for column in (TARGET, ASSESSED, DATE):
        whole(tree, column, [child.text(column) for child in children])
    for child in children:  # what is shortened is whole in its tooltip
        for column in (NAME, METHOD, ASSESSOR):
            assert child.toolTip(column).startswith(child.text(column).removeprefix("⚑ "))

    certification.tabs.setCurrentWidget(register)
    register.table.selectRow(0)
    settle()
    table = register.table
    assert table.rowCount() > 3
    no_sideways_scrolling(table)
    for column in (SERIAL, HOLDER, REGISTER_MOBILITY, STATUS, ISSUED):
        assert not table.isColumnHidden(column)
        whole(table, column, [table.item(r, column).text() for r in range(table.rowCount())])
    for child in (register.count, register.status, register.verify_button, table):
        inside(child, window)
    # a title that does not fit its column is wrapped, and the header is as high as it needs
    header = table.horizontalHeader()
    for column in range(table.columnCount()):
        title = table.horizontalHeaderItem(column).text()
        if not table.isColumnHidden(column) and header.sectionSize(
            column
        ) < header.fontMetrics().horizontalAdvance(title):
            assert header.height() >= 2 * header.fontMetrics().height(), title
    if percent == 100:  # room for the revocation's columns too
        assert not table.isColumnHidden(REVOKED) and not table.isColumnHidden(REASON)
    # what gives way is in the tooltips: the holder's name, the reason for revoking
    for row in range(table.rowCount()):
        for column in (HOLDER, REASON):
            assert table.item(row, column).toolTip() == table.item(row, column).text()
        if table.item(row, REASON).text():  # revoked: the status says when and why
            assert table.item(row, REASON).text() in table.item(row, STATUS).toolTip()


# --- the results chart ---------------------------------------------------------------------


def ink_at_the_right_edge(chart, columns: int = 8) -> int:
    """Dark pixels (text, bars) in the chart's last ``columns`` columns of pixels."""
    image = chart.grab().toImage()
    ratio = image.devicePixelRatio()
    count = 0
    for x in range(int(chart.width() * ratio) - columns, int(chart.width() * ratio)):
        for y in range(image.height()):
            if QColor(image.pixel(x, y)).lightness() < 160:
                count += 1
    return count


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_results_chart_shows_its_legend_whole(qtbot, large, language):
    window = large
    choose_language(window, language)
    screen = open_screen(qtbot, window, "learner05", "results")
    for chart, scroll in (
        (screen.competence_chart, screen.competence_scroll),
        (screen.area_chart, screen.area_scroll),
    ):
        screen.tabs.setCurrentWidget(scroll)
        settle()
        assert len(chart.series) == 2, "learner05 has results before and after a mobility"
        assert chart.width() <= scroll.viewport().width()
        assert scroll.horizontalScrollBar().maximum() == 0
        assert ink_at_the_right_edge(chart) == 0, "something is cut at the chart's right edge"
        metrics = QFontMetrics(chart.font())
        legend = chart.legend()
        assert [text for text, _rect in legend] == chart.series  # every name whole
        for text, rect in legend:
            assert QRect(0, 0, chart.width(), chart.height()).contains(rect), (text, rect)
            assert rect.width() >= metrics.horizontalAdvance(text)
        # the scale's numbers sit below the legend, not on it
        bottom = max(rect.bottom() for _text, rect in legend)
        assert bottom < chart.scale_top()


# --- the teacher's case screen ---------------------------------------------------------------


def case_chooser_whole(combo) -> None:
    """The case chooser's list is wide enough for its longest case, and the box tells the
    chosen case whole in its tooltip."""
    metrics = QFontMetrics(combo.view().font())
    texts = [combo.itemText(i) for i in range(combo.count())]
    assert texts, "the learner has a case"
    widest = max(metrics.horizontalAdvance(text) for text in texts)
    assert combo.view().minimumWidth() >= widest, (texts, combo.view().minimumWidth())
    assert combo.toolTip() == combo.currentText()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("stage", ["identification", "assessment"])
def test_the_teachers_case_fits_without_sideways_scrolling(qtbot, large, language, stage):
    window = large
    choose_language(window, language)
    sign_in(qtbot, window, "teacher1")
    qtbot.waitUntil(lambda: window.workspace is not None)
    screen = _open_case(window, stage)
    settle()
    assert window.minimumSizeHint().width() <= WIDTH
    panel = screen.case
    assert panel.case is not None and panel.case.stage == stage
    case_chooser_whole(panel.case_combo)
    for child in (panel.case_combo, panel.advance_button):
        inside(child, window)
    if stage == "identification":
        tree = panel.targets.tree
        no_sideways_scrolling(tree)
        items = [
            tree.topLevelItem(a).child(c)
            for a in range(tree.topLevelItemCount())
            for c in range(tree.topLevelItem(a).childCount())
        ]
        for column in (2, 3):  # the learner's own level, the skills test's band
            texts = [item.text(column) for item in items if item.text(column)]
            if texts and not tree.isColumnHidden(column):
                whole(tree, column, texts)
        # the target level's chooser is shown whole
        widest = max(combo.sizeHint().width() for combo in panel.targets.combos.values())
        assert tree.columnWidth(1) >= widest, (tree.columnWidth(1), widest)
        for item in items:  # a shortened competence is whole in its tooltip, and the band
            assert item.toolTip(0).startswith(item.text(0))
            if item.text(3):
                assert item.toolTip(3) in item.toolTip(0)
    else:
        table = panel.assessment.table
        no_sideways_scrolling(table)
        items = [table.topLevelItem(r) for r in range(table.topLevelItemCount())]
        assert items
        for column in (1, 2, 3):  # levels: the target, the learner's own, the assessed
            whole(table, column, [item.text(column) for item in items])
        for item in items:  # what is shortened is whole in its tooltip
            assert item.text(0).removeprefix("⚑ ") in item.toolTip(0)
            if item.text(4):
                assert item.toolTip(4) == item.text(4)
    titles_keep_their_longest_word(tree if stage == "identification" else table)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_evidence_ties_wrap_instead_of_scrolling_sideways(qtbot, large, language):
    """At the documentation step, the target competences a piece of evidence is tied to
    are listed whole: long titles wrap to the list's width, nothing scrolls sideways."""
    window = large
    choose_language(window, language)
    sign_in(qtbot, window, "teacher1")
    qtbot.waitUntil(lambda: window.workspace is not None)
    screen = _open_case(window, "documentation")
    settle()
    assert window.minimumSizeHint().width() <= WIDTH
    ties = screen.case.evidence.ties
    assert ties.count()
    no_sideways_scrolling(ties)
    viewport = ties.viewport().width()
    metrics = QFontMetrics(ties.font())
    for row in range(ties.count()):
        rect = ties.visualItemRect(ties.item(row))
        assert rect.right() < viewport + ties.contentsMargins().left() + 1, ties.item(row).text()
        # a title too long for one line gets the lines it needs
        if metrics.horizontalAdvance(ties.item(row).text()) > viewport:
            assert rect.height() > metrics.height() * 1.5, ties.item(row).text()
