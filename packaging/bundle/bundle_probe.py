"""Start-up probe of the built program, on only when ``DIGCOMP_BUNDLE_PROBE`` names a file.

When the main window is shown, the probe notes when its first paint is done ("shown";
"sign-in page" too when the sign-in form was in it, as the window shows it at once), then
waits until the sign-in can be used ("sign-in ready": the database opened in the background
and the frameworks loaded, or a problem shown instead), writes
``{"entry": …, "shown": …, "sign-in page": …, "sign-in ready": …, "visible": …, "page": …}``
into the file — each time ``time.perf_counter()``, the system-wide monotonic clock, so the
process that started the program can subtract its own start time — and quits the program.
"""

from __future__ import annotations

import json
import time

_ENTRY = time.perf_counter()


def install(path: str) -> None:
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication

    from digcomp_app.ui import main_window

    marks: dict[str, float] = {"entry": _ENTRY}
    original_show = main_window.MainWindow.show
    keep: list[QObject] = []

    def finish(window) -> None:
        if "sign-in page" not in marks and window.sign_in is not None:
            marks["sign-in page"] = marks["shown"]  # the form was in the first paint
        if not window._problem and (window.sign_in is None or not window.sign_in.database_ready):
            QTimer.singleShot(5, lambda: finish(window))
            return
        marks["sign-in ready"] = time.perf_counter()
        page = "problem: " + window._problem if window._problem else "sign-in"
        with open(path, "w", encoding="utf-8") as handle:
            json.dump({**marks, "visible": window.isVisible(), "page": page}, handle)
        QApplication.instance().quit()

    def painted(window) -> None:
        marks["shown"] = time.perf_counter()
        finish(window)

    class FirstPaint(QObject):
        def eventFilter(self, watched, event):  # noqa: N802 - Qt's name
            if event.type() == QEvent.Type.Paint and "shown" not in marks:
                watched.removeEventFilter(self)
                # the clock stops once the paint is done, as for the bare window of
                # bench/bench_startup.py that it is compared with
                QTimer.singleShot(0, lambda: painted(watched))
            return False

    def show(self) -> None:
        watch = FirstPaint()
        keep.append(watch)
        self.installEventFilter(watch)
        QTimer.singleShot(60_000, lambda: QApplication.instance().exit(3))
        original_show(self)

    main_window.MainWindow.show = show
