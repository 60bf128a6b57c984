"""Start the window: ``digcomp-app`` with no command, or ``digcomp-app gui``."""

from __future__ import annotations

import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox

from digcomp_app import __version__
from digcomp_app.i18n import _, add_language_listener, current_language, set_language
from digcomp_app.services.errors import ServiceError
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
    sys.excepthook = show_unexpected_error
    return app.exec()


def _log_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir("digcomp-app", appauthor=False)) / "digcomp-app.log"


def show_unexpected_error(
    kind: type[BaseException], error: BaseException, trace: TracebackType | None
) -> QMessageBox | None:
    """``sys.excepthook`` while the window runs. An error that escaped a button's handler
    becomes a message box in plain words instead of a traceback on a console nobody reads:
    a database problem (a full disk, a lost server) says what to do; anything else is
    written to the log file, which the message names. The window stays open, and what was
    typed in it stays."""
    if issubclass(kind, KeyboardInterrupt):
        sys.__excepthook__(kind, error, trace)
        return None
    if isinstance(error, ServiceError):
        text = str(error)
    else:
        log = _log_file()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write("".join(traceback.format_exception(kind, error, trace)))
        except OSError:
            sys.__excepthook__(kind, error, trace)
        text = _(
            "Something went wrong that the program did not expect. The details were "
            "written to {log}; please send that file to your administrator."
        ).format(log=log)
    box = QMessageBox(
        QMessageBox.Icon.Warning,
        _("The task did not finish"),
        text,
        QMessageBox.StandardButton.Ok,
        QApplication.activeWindow(),
    )
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()  # not exec(): the hook may run inside another event loop
    return box
