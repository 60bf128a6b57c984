"""Start the window: ``digcomp-app`` with no command, or ``digcomp-app gui``."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from digcomp_app import __version__
from digcomp_app.i18n import (
    _,
    add_language_listener,
    current_language,
    remove_language_listener,
    set_language,
)
from digcomp_app.ui.main_window import MainWindow
from digcomp_app.ui.qt_i18n import apply_qt_language
from digcomp_app.ui.style import STYLE, STYLE_GIVEN

# what the first paint does not need is imported where it is used (docs/decisions/0014)
if TYPE_CHECKING:
    from types import TracebackType

    from PySide6.QtWidgets import QMessageBox


def create_application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if not isinstance(app, QApplication):
        # The style named on Qt's own command line: Qt makes it when first needed, without
        # Python setting up its QStyle type (a dozen enums, milliseconds before the first
        # paint, which setStyle() costs as it returns a QStyle: docs/decisions/0014).
        app = QApplication([*(argv if argv is not None else sys.argv[:1]), "-style", STYLE])
        app.setProperty(STYLE_GIVEN, True)
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
    try:
        return app.exec()
    finally:
        close_down(window)
        remove_language_listener(apply_qt_language)


def close_down(window: MainWindow) -> None:
    """After the event loop: end what still runs and delete the window's widgets while the
    application object still exists, in Qt's order, not in whatever order Python's clean-up
    at exit would choose (widgets deleted after the application, Python objects called from
    signals of deleted ones)."""
    from digcomp_app.ui import tasks

    sys.excepthook = sys.__excepthook__  # no message boxes any more
    tasks.stop_all()
    if window.isVisible():
        window.close()
    app = QApplication.instance()
    for widget in QApplication.topLevelWidgets():
        if widget is not window:
            widget.close()
    if window.db is not None:
        window.db.close()
    if window.real_db is not None:
        window.real_db.close()
    window.deleteLater()
    if app is not None:
        from PySide6.QtCore import QCoreApplication, QEvent

        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        app.processEvents()


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
    import traceback

    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QMessageBox

    from digcomp_app.services.errors import ServiceError

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
