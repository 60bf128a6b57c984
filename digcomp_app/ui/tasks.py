"""Long work off the GUI thread, with a progress dialog and Cancel.

``run_task(parent, title, work, on_done)``: ``work(report, cancelled)`` runs in a worker
thread; it calls ``report(done, total, text)`` to move the bar and checks ``cancelled()``
to stop early. ``on_done(result)`` runs back on the GUI thread; an exception becomes a
message box in plain words.

``Background(parent, work, on_done, on_error)``: the same without a dialog, for work the
user need not watch (opening the database at start-up).

No thread outlives the program: before the application object goes (and before the
window closes) every thread still running is asked to cancel and waited for
(:func:`stop_all`); a QThread destroyed while it runs would abort the program.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QThread, Signal
from PySide6.QtWidgets import QApplication, QWidget

from digcomp_app.i18n import _

Report = Callable[[int, int, str], None]
Work = Callable[[Report, Callable[[], bool]], Any]


class Cancelled(Exception):
    """Raised by work that stopped because the user pressed Cancel."""


class _Worker(QObject):
    progressed = Signal(int, int, str)
    finished = Signal(object)
    failed = Signal(object)

    def __init__(self, work: Work) -> None:
        super().__init__()
        self._work = work
        self._cancel = threading.Event()

    def cancel(self) -> None:
        self._cancel.set()

    def run(self) -> None:
        try:
            result = self._work(self.progressed.emit, self._cancel.is_set)
        except Exception as error:  # reported on the GUI thread
            self.failed.emit(error)
        else:
            self.finished.emit(result)


class TaskHandle(QObject):
    done = Signal()

    def __init__(
        self, parent: QWidget, title: str, work: Work, on_done: Callable[[Any], None] | None
    ) -> None:
        super().__init__(parent)
        self.result: Any = None
        self.error: BaseException | None = None
        self._on_done = on_done
        from PySide6.QtCore import Qt
        from PySide6.QtWidgets import QProgressDialog

        self.dialog = QProgressDialog(title, _("Cancel"), 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(300)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.thread = QThread(self)
        self.worker = _Worker(work)
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.progressed.connect(self._progress)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        # handled here, on the GUI thread: the worker's own thread is busy running the work
        self.dialog.canceled.connect(self.cancel)
        _running.add(self)
        _stop_all_before_quitting()
        self.thread.start()

    def stop(self) -> None:
        """Cancel the work and wait until its thread has ended (the program is closing)."""
        self.worker.cancel()
        self.thread.quit()
        self.thread.wait()
        _running.discard(self)

    def cancel(self) -> None:
        """Ask the work to stop (it checks ``cancelled()`` between steps)."""
        self.worker.cancel()

    def _progress(self, done: int, total: int, text: str) -> None:
        self.dialog.setMaximum(max(total, 0))
        self.dialog.setValue(done)
        if text:
            self.dialog.setLabelText(text)

    def _stop(self) -> None:
        self.thread.quit()
        self.thread.wait()
        _running.discard(self)
        self.dialog.reset()
        self.dialog.hide()

    def _finished(self, result: object) -> None:
        self._stop()
        self.result = result
        if self._on_done is not None:
            self._on_done(result)
        self.done.emit()

    def _failed(self, error: object) -> None:
        self._stop()
        self.error = error if isinstance(error, BaseException) else None
        from PySide6.QtWidgets import QMessageBox

        from digcomp_app.services.errors import ServiceError
        from digcomp_app.services.permissions import AccountChanged

        # a changed account signs the window out with its own message: no box over it
        if not isinstance(error, (Cancelled, AccountChanged)):
            parent = self.parent()
            text = (
                str(error)
                if isinstance(error, ServiceError)
                else _("The task stopped because of an unexpected problem: {problem}").format(
                    problem=error
                )
            )
            QMessageBox.warning(
                parent if isinstance(parent, QWidget) else None, _("The task did not finish"), text
            )
        self.done.emit()


def run_task(
    parent: QWidget, title: str, work: Work, on_done: Callable[[Any], None] | None = None
) -> TaskHandle:
    return TaskHandle(parent, title, work, on_done)


class Background(QObject):
    """``work()`` in a thread of its own, without a dialog; ``on_done(result)`` or
    ``on_error(error)`` back on the GUI thread. :meth:`wait` waits for the work to end."""

    def __init__(
        self,
        parent: QObject,
        work: Callable[[], Any],
        on_done: Callable[[Any], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        super().__init__(parent)
        self._on_done, self._on_error = on_done, on_error
        self.thread = QThread(self)
        self.worker = _Worker(lambda _report, _cancelled: work())
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        self.worker.finished.connect(self._finished)
        self.worker.failed.connect(self._failed)
        _running.add(self)
        _stop_all_before_quitting()
        self.thread.start()

    def running(self) -> bool:
        return self in _running

    def stop(self) -> None:
        """Wait until the work has ended (its result is then dropped: the program closes)."""
        self.thread.quit()
        self.thread.wait()
        _running.discard(self)

    def _end(self) -> bool:
        if self not in _running:
            return False  # stopped meanwhile: nobody waits for the result
        self.stop()
        return True

    def _finished(self, result: object) -> None:
        if self._end():
            self._on_done(result)

    def _failed(self, error: object) -> None:
        if self._end():
            self._on_error(error if isinstance(error, BaseException) else RuntimeError(error))


#: the task handles and background works whose thread runs
_running: set[TaskHandle | Background] = set()


def stop_all() -> None:
    """Cancel every task and wait for every thread still running (before the program ends)."""
    for work in list(_running):
        try:
            work.stop()
        except RuntimeError:  # its Qt object was deleted with its window
            _running.discard(work)


def _stop_all_before_quitting() -> None:
    app = QApplication.instance()
    if app is not None and not app.property("digcompStopsTasks"):
        app.setProperty("digcompStopsTasks", True)
        app.aboutToQuit.connect(stop_all)
