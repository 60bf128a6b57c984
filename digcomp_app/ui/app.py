"""Start the window: ``digcomp-app`` with no command, or ``digcomp-app gui``."""

from __future__ import annotations

import sys

from PySide6.QtWidgets import QApplication

from digcomp_app import __version__
from digcomp_app.i18n import add_language_listener, current_language, set_language
from digcomp_app.ui.main_window import MainWindow
from digcomp_app.ui.qt_i18n import apply_qt_language


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        app = QApplication(argv if argv is not None else sys.argv[:1])
    app.setApplicationName("digcomp-app")
    app.setApplicationDisplayName("DigComp")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("digcomp-app")
    return app


def run(language: str | None = None, database_url: str | None = None) -> int:
    app = create_application()
    if language:
        set_language(language)
    apply_qt_language(current_language())
    add_language_listener(apply_qt_language)
    window = MainWindow(database_url=database_url)
    window.show()
    return app.exec()
