"""The interface in Dutch: the language menu lists it, the window speaks it, and a framework
with no Dutch text (DigComp 2.2) is shown in English with a visible marker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from digcomp_app.framework import builtin_library
from digcomp_app.i18n import set_language
from digcomp_app.ui.screens.frameworks.view import FrameworkBrowser
from digcomp_app.ui.screens.self_assessment.purposes import framework_name

#: set to a folder to keep a picture of the browser (docs/screenshots/nl-*.png)
PICTURES = os.environ.get("DIGCOMP_NL_PICTURES")


@pytest.fixture
def dutch():
    set_language("nl")
    yield
    set_language("en")


def test_the_language_menu_lists_nederlands_and_switches_to_it(window):
    names = [action.text() for action in window.language_actions.values()]
    assert names == ["Latviešu", "English", "Nederlands"]
    try:
        window.language_actions["nl"].trigger()
        assert window.language_menu.title() == "&Taal"
        assert window.about_action.text() == "&Over DigComp-erkenning"
        assert "hergebruikt onder CC BY 4.0" in window.about_html()  # Dutch attribution
        assert "PiAir/digcomp3-l10n" in window.about_html()
    finally:
        set_language("en")


def test_digcomp_22_in_dutch_is_english_and_says_so(qtbot, dutch):
    library = builtin_library()
    browser = FrameworkBrowser(library)
    qtbot.addWidget(browser)
    browser.resize(1366, 700)
    browser.show()
    browser.retranslate()
    assert browser.picker_label.text() == "&Referentiekader:"
    titles = [browser.picker.itemText(i) for i in range(browser.picker.count())]
    assert any(t.startswith("DigComp 3.0: Europees referentiekader") for t in titles)
    old = next(t for t in titles if t.startswith("DigComp 2.2"))
    assert old.endswith("(Engels)")  # the marker: these texts are the English ones
    browser.picker.setCurrentIndex(titles.index(old))
    browser.select_competence("1.1")
    shown = browser.details.toPlainText()
    assert "Dit referentiekader heeft geen tekst in het Nederlands" in shown
    english = library.get("digcomp", "2.2").competence("1.1").title.get("en")
    assert english.startswith("Browsing") and english in shown  # the English text
    assert framework_name(library.get("digcomp", "2.2")) == "DigComp 2.2 (Engels)"
    assert framework_name(library.get("digcomp", "3.0")) == "DigComp 3.0"
    # DigComp 3.0 has its Dutch text, and no marker
    browser.picker.setCurrentIndex(next(i for i, t in enumerate(titles) if "3.0" in t))
    browser.select_competence("1.1")
    shown = browser.details.toPlainText()
    assert "Browsen, zoeken en filteren van informatie" in shown
    assert "geen tekst in het Nederlands" not in shown
    if PICTURES:
        browser.picker.setCurrentIndex(titles.index(old))
        browser.select_competence("1.1")
        qtbot.wait(50)
        browser.grab().save(str(Path(PICTURES) / "nl-digcomp-2.2-fallback.png"))
