"""The first window, driven as a user would: menus, the framework browser, the language."""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from digcomp_app.i18n import current_language
from digcomp_app.settings import load_settings
from digcomp_app.ui.main_window import MainWindow


def make_window(qtbot) -> MainWindow:
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_window_lists_the_areas_and_competences_of_digcomp_30(qtbot):
    window = make_window(qtbot)
    tree = window.browser.tree
    assert window.windowTitle() == "DigComp recognition"
    assert tree.topLevelItemCount() == 5
    assert sum(tree.topLevelItem(i).childCount() for i in range(5)) == 21
    assert window.browser.picker.currentText().startswith("DigComp 3.0")


def test_choosing_a_competence_shows_its_levels_and_statements(qtbot):
    window = make_window(qtbot)
    tree = window.browser.tree
    tree.setFocus()
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # onto area 1
    assert "Choose a competence" in window.browser.details.toPlainText()
    qtbot.keyClick(tree, Qt.Key.Key_Down)  # onto competence 1.1
    text = window.browser.details.toPlainText()
    assert "1.1 Browsing, searching and filtering information" in text
    assert "Intermediate" in text and "Competence statements" in text
    assert "Acknowledge the benefits of using different digital search tools" in text


def test_switching_to_digcomp_22_shows_its_level_dimensions(qtbot):
    window = make_window(qtbot)
    window.browser.picker.setCurrentIndex(0)
    window.browser.select_competence("2.5")
    text = window.browser.details.toPlainText()
    assert "2.5 Netiquette" in text
    assert "Autonomy: On my own" in text and "Foundation" in text


def test_language_menu_switches_every_text_at_once_and_remembers_it(qtbot):
    window = make_window(qtbot)
    window.browser.select_competence("4.2")
    window.language_actions["lv"].trigger()
    assert current_language() == "lv"
    assert window.windowTitle() == "DigComp atzīšana"
    assert window.file_menu.title() == "&Fails"
    assert window.browser.picker_label.text() == "&Ietvarstruktūra:"
    assert window.browser.tree.topLevelItem(3).text(0).startswith("4  Drošība")
    details = window.browser.details.toPlainText()
    assert "Personas datu un privātuma aizsardzība" in details
    assert "melnraksts" in window.statusBar().currentMessage()
    assert load_settings().language == "lv"
    window.language_actions["en"].trigger()
    assert window.file_menu.title() == "&File"
    assert "Protecting personal data and privacy" in window.browser.details.toPlainText()


def test_about_box_shows_the_jrc_attribution_and_licence(qtbot):
    window = make_window(qtbot)
    html = window.about_html()
    assert "Cosgrove, J. and Cachia, R." in html and "Vuorikari" in html
    assert "CC-BY-4.0" in html and "creativecommons.org/licenses/by/4.0" in html

    def close_box():
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        assert "JRC144121" in box.text()
        box.accept()

    QTimer.singleShot(0, close_box)
    window.about_action.trigger()


def test_every_control_has_an_accessible_name(qtbot):
    window = make_window(qtbot)
    for widget in (window.browser.picker, window.browser.tree, window.browser.details):
        assert widget.accessibleName()
