"""F1 opens the user guide at the screen shown, in the program's language, offline; every
"A → B" path a message names is a real menu, screen, tab or button."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QAbstractButton, QMenu, QTabWidget

from digcomp_app.i18n import set_language
from digcomp_app.ui import help as guide
from digcomp_app.ui.screens import discover
from tests.conftest import ROOT
from tests.tools import load_tool
from tests.ui.conftest import sign_in


def test_f1_opens_the_guide_at_the_screen_shown(qtbot, window):
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.guide is not None and window.guide.isVisible()
    assert window.guide.topic == "sign_in"
    assert "Type your user name and password" in window.guide.browser.toPlainText()
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen("mobilities")
    qtbot.keyClick(window, Qt.Key.Key_F1)
    assert window.guide.topic == "mobilities"
    assert window.guide.browser.toPlainText().startswith("Mobilities")
    window.language_actions["lv"].trigger()
    assert window.guide.windowTitle() == "Lietotāja rokasgrāmata"
    assert window.guide.browser.toPlainText().startswith("Mobilitātes")
    assert window.help_menu.actions()[0].text() == "&Lietotāja rokasgrāmata"
    assert window.guide_action.shortcut().toString() == "F1"


#: screens the user guide has no section on yet: F1 there shows the first steps ("home")
NOT_IN_THE_GUIDE_YET: set[str] = set()


def test_every_screen_has_its_part_of_the_guide_in_both_languages():
    for spec in discover():
        assert spec.id in guide.TOPICS or spec.id in NOT_IN_THE_GUIDE_YET, spec.id
    for screen_id in NOT_IN_THE_GUIDE_YET:
        assert guide.help_text(screen_id) == guide.help_text("home")
    for topic in guide.TOPICS:
        english = (guide.help_dir("en") / f"{topic}.md").read_text(encoding="utf-8")
        latvian = (guide.help_dir("lv") / f"{topic}.md").read_text(encoding="utf-8")
        assert english.startswith("## ") and latvian.startswith("## ")
        # the same sections, and the same shortcuts and commands
        assert english.count("\n## ") == latvian.count("\n## "), topic
        code = re.compile(r"`[^`]+`|Ctrl\+[\w+]+|F1")
        assert sorted(code.findall(english)) == sorted(code.findall(latvian)), topic


def test_the_bundled_english_guide_is_the_user_guide_of_docs():
    for topic, text in load_tool("build_help").build().items():
        bundled = (guide.help_dir("en") / f"{topic}.md").read_text(encoding="utf-8")
        assert bundled == text, f"run tools/build_help.py: {topic}.md is out of date"


# --------------------------------------------------------------------------- "→" paths


def visible_names(window) -> set[str]:
    """Menu titles and items, screen titles, tabs and buttons, as people read them."""
    names = {spec.title() for spec in discover()}
    for action in window.findChildren(QAction):
        names.add(action.text())
    for menu in window.findChildren(QMenu):
        names.add(menu.title())
    for tabs in window.findChildren(QTabWidget):
        names.update(tabs.tabText(i) for i in range(tabs.count()))
    for button in window.findChildren(QAbstractButton):
        names.add(button.text())
    cleaned = set()
    for raw in names:
        name = re.sub(r"&(?!&)", "", raw).strip()
        name = re.sub(r"\s*\(\d+\)$", "", name)  # a count in a tab's title
        if name:
            cleaned.add(name)
    return cleaned


def paths(text: str) -> list[list[str]]:
    """Each "A → B → C" in a message, cut at the sentence's punctuation around it."""
    found = []
    for piece in re.split(r"[();:.,]\s|[();]|[“”„\"]", text):
        if "→" in piece and "{" not in piece:
            found.append([part.strip() for part in piece.split("→")])
    return found


def names_a_place(path: list[str], names: set[str]) -> bool:
    first, *middle, last = path
    return (
        any(first.endswith(name) for name in names)
        and all(part in names for part in middle)
        and any(last.startswith(name) for name in names)
    )


@pytest.mark.parametrize("language", ["en", "lv"])
def test_every_path_in_the_messages_names_a_real_place(qtbot, window, language):
    set_language(language)
    window.retranslate()
    names = set()
    for username in ("admin", "coordinator", "teacher1", "learner01"):
        sign_in(qtbot, window, username)
        for spec in window.workspace.specs:
            window.workspace.screen(spec.id)
        window.retranslate()
        names |= visible_names(window)
        window.sign_out()
    names |= visible_names(window)
    window.leave_demo_action.setVisible(True)
    names.add(re.sub(r"&", "", window.leave_demo_action.text()))
    with open(ROOT / "translations/lv/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    checked, wrong = 0, []
    for message in catalog:
        if not message.id or not isinstance(message.id, str):
            continue
        text = message.id if language == "en" else message.string
        if not text:
            continue
        for path in paths(text):
            checked += 1
            if not names_a_place(path, names):
                wrong.append(" → ".join(path))
    assert checked >= 2
    assert not wrong, wrong
