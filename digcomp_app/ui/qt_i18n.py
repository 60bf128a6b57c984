"""Qt's own translations (standard buttons, file dialogs) and Qt's locale (the calendar of a
date field) follow the app's language."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

_installed: list[QTranslator] = []

#: the Qt locale of each interface language: English is written the British way, day before
#: month, as the app's dates and printed documents are
QT_LOCALES = {"en": "en_GB", "lv": "lv_LV"}


def qt_locale(language: str) -> QLocale:
    """Qt's locale for an interface language (``en`` is British English)."""
    return QLocale(QT_LOCALES.get(language, language))


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
