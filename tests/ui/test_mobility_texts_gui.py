"""The mobility form's texts in Latvian and English, typed as a coordinator would."""

from __future__ import annotations

from PySide6.QtCore import Qt

from digcomp_app.services import mobilities
from tests.ui.test_coordinator import coordinator_screen


def test_latvian_and_english_texts_are_saved_and_an_empty_one_says_what_is_printed(
    qtbot, window, demo_db
):
    screen = coordinator_screen(qtbot, window, "mobilities")
    coordinator = window.actor
    opened = mobilities.list_all(demo_db, coordinator)[0]
    assert screen.select_mobility(opened.id)
    form = screen.editor.form
    latvian, english = form.text_edits["lv"], form.text_edits["en"]
    assert form.title is latvian["title"] and form.title.text() == opened.title

    # (QTest types ASCII only: the Latvian letters are pasted)
    for name, typed, pasted in (
        ("title", "Prakse ", "tīmekļa studijā"),
        ("objective", "Apgut ", "tīmekļa izstrādi."),
        ("activities", "Lapu ", "maketēšana."),
        ("host_description", "Timekla studija ", "Boloņā."),
    ):
        latvian[name].clear()
        qtbot.keyClicks(latvian[name], typed)
        paste = getattr(latvian[name], "insertPlainText", None) or latvian[name].insert
        paste(pasted)
    # the English tab: a title and activities, the objective left empty
    qtbot.mouseClick(
        form.text_tabs.tabBar(),
        Qt.MouseButton.LeftButton,
        pos=form.text_tabs.tabBar().tabRect(1).center(),
    )
    assert form.text_tabs.currentIndex() == 1 and english["title"].isVisible()
    for name, text in (("title", "Placement in a web studio"), ("activities", "Page layout.")):
        english[name].clear()
        qtbot.keyClicks(english[name], text)
    english["objective"].clear()
    english["host_description"].clear()
    note = form.fallback_notes["en"]["objective"]
    assert note.isVisible()
    assert note.text() == "Empty: the attestation in English will use the Latvian text."
    assert not form.fallback_notes["en"]["title"].isVisible()
    assert english["title"].accessibleName() == "Title (English)"
    qtbot.mouseClick(screen.editor.save_button, Qt.MouseButton.LeftButton)
    assert screen.editor.error.text() == ""

    saved = mobilities.get(demo_db, coordinator, opened.id)
    assert saved.title == "Prakse tīmekļa studijā"  # the Latvian title, for lists
    assert saved.texts["en"] == {
        "title": "Placement in a web studio",
        "objective": "",
        "activities": "Page layout.",
        "host_description": "",
    }
    assert saved.texts["lv"]["host_description"] == "Timekla studija Boloņā."
    assert mobilities.mobility_text(saved, "objective", "en") == ("Apgut tīmekļa izstrādi.", True)

    # opened again (another mobility first): every text is back, the notes too
    other = mobilities.list_all(demo_db, coordinator)[1]
    assert screen.select_mobility(other.id)
    assert screen.select_mobility(opened.id)
    assert not form.is_dirty()
    assert latvian["activities"].toPlainText() == "Lapu maketēšana."
    assert english["title"].text() == "Placement in a web studio"
    assert english["objective"].toPlainText() == ""
    form.text_tabs.setCurrentIndex(1)
    assert form.fallback_notes["en"]["objective"].isVisible()
    assert form.fallback_notes["en"]["host_description"].isVisible()
    assert not form.fallback_notes["en"]["activities"].isVisible()
    form.text_tabs.setCurrentIndex(0)
    assert not any(note.isVisible() for note in form.fallback_notes["lv"].values())

    # typing the English objective hides its note at once
    form.text_tabs.setCurrentIndex(1)
    qtbot.keyClicks(english["objective"], "Learn web development.")
    assert not form.fallback_notes["en"]["objective"].isVisible()
    assert form.is_dirty()


def test_a_text_too_long_is_shown_on_its_language_tab(qtbot, window, demo_db):
    screen = coordinator_screen(qtbot, window, "mobilities")
    opened = mobilities.list_all(demo_db, window.actor)[0]
    assert screen.select_mobility(opened.id)
    form = screen.editor.form
    form.text_edits["en"]["activities"].setPlainText("x" * 4001)
    assert form.text_tabs.currentIndex() == 0
    qtbot.mouseClick(screen.editor.save_button, Qt.MouseButton.LeftButton)
    assert form.invalid_fields() == ["texts.en.activities"]
    assert form.text_tabs.currentIndex() == 1  # the English tab, to show the field
    assert "English" in screen.editor.error.text() and "4000" in screen.editor.error.text()
    assert mobilities.get(demo_db, window.actor, opened.id).version == opened.version
