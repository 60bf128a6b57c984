"""Qt's own file dialog speaks the app's language: the texts Qt's Latvian catalogue lacks come
from resources/qt/qt_texts.lv.json (digcomp_app.ui.qt_i18n)."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QAbstractButton, QFileDialog, QLabel

from digcomp_app.ui.qt_i18n import apply_qt_language, missing_qt_texts


@pytest.fixture
def file_dialog(qtbot):
    def open_(language: str) -> QFileDialog:
        apply_qt_language(language)
        dialog = QFileDialog(None, "x")
        dialog.setOption(QFileDialog.Option.DontUseNativeDialog)
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        qtbot.addWidget(dialog)
        dialog.show()
        return dialog

    yield open_
    apply_qt_language("en")


def texts(dialog: QFileDialog) -> list[str]:
    shown = [label.text() for label in dialog.findChildren(QLabel) if label.isVisible()]
    for button in dialog.findChildren(QAbstractButton):
        if button.isVisible():
            shown += [button.text(), button.toolTip()]
    return [text for text in shown if text]


def test_the_file_dialog_is_latvian_in_latvian_and_english_in_english(file_dialog):
    latvian = texts(file_dialog("lv"))
    assert {"&Meklēt:", "Datnes &nosaukums:", "Datņu &tips:", "&Saglabāt"} <= set(latvian)
    english_words = ("Look in", "Files of", "File name", "Save", "Cancel", "Back", "Folder")
    assert not [text for text in latvian if any(word in text for word in english_words)]

    english = texts(file_dialog("en"))  # the Latvian texts are gone with the language
    assert "&Look in:" in english
    assert not [text for text in english if "Meklēt" in text or "Datņu" in text]


def test_the_missing_texts_are_read_by_context():
    texts_lv = missing_qt_texts("lv")
    assert texts_lv["QFileDialog"]["&Look in:"] == "&Meklēt:"
    assert missing_qt_texts("xx") == {}
