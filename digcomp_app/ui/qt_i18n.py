"""Qt's own translations (standard buttons, file dialogs) and Qt's locale (the calendar of a
date field) follow the app's language.

Qt's own catalogue lacks a few texts of its dialogs (Qt 6.11's ``qtbase_lv.qm`` has no "Look
in:" or "Files of type:" of the file dialog); ``resources/qt/qt_texts.<lang>.json`` holds
them, by Qt context and source text, and :class:`MissingQtTexts` answers for them before
Qt's catalogue is asked.
"""

from __future__ import annotations

import json

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QObject, QTranslator

from digcomp_app.resources import resources_dir

_installed: list[QTranslator] = []

#: the Qt locale of each interface language: English is written the British way, day before
#: month, as the app's dates and printed documents are
QT_LOCALES = {"en": "en_GB", "lv": "lv_LV"}


def qt_locale(language: str) -> QLocale:
    """Qt's locale for an interface language (``en`` is British English)."""
    return QLocale(QT_LOCALES.get(language, language))


class MissingQtTexts(QTranslator):
    """The texts of Qt's own dialogs that Qt's catalogue of a language lacks."""

    def __init__(self, texts: dict[str, dict[str, str]], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._texts = texts

    def translate(  # type: ignore[override]
        self, context: str, source: str, disambiguation: str | None = None, n: int = -1
    ) -> str | None:
        # no answer (a null string): Qt asks the next translator (Qt's own catalogue)
        return self._texts.get(context, {}).get(source)

    def isEmpty(self) -> bool:  # noqa: N802 - Qt's name
        return not self._texts


def missing_qt_texts(language: str) -> dict[str, dict[str, str]]:
    """What ``resources/qt/qt_texts.<language>.json`` holds (nothing when there is none)."""
    path = resources_dir() / "qt" / f"qt_texts.{language}.json"
    if not path.is_file():
        return {}
    data = json.loads(path.read_text(encoding="utf-8"))
    return {context: texts for context, texts in data.items() if isinstance(texts, dict)}


def apply_qt_language(language: str) -> None:
    """Load Qt's own catalogue of ``language`` (``qtbase_lv.qm``, shipped with PySide6) in
    place of the previous one and make its locale the default."""
    app = QCoreApplication.instance()
    if app is None:
        return
    for translator in _installed:
        app.removeTranslator(translator)
    _installed.clear()
    QLocale.setDefault(qt_locale(language))
    translator = QTranslator(app)
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    if translator.load(f"qtbase_{language}", folder):
        app.installTranslator(translator)
        _installed.append(translator)
    texts = missing_qt_texts(language)
    if texts:  # installed last: asked first
        extra = MissingQtTexts(texts, app)
        app.installTranslator(extra)
        _installed.append(extra)
