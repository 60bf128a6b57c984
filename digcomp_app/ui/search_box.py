"""When a list is searched as its search box is typed in: at once while the list is short,
after a short pause in typing once it is long (each search then reads the database)."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLineEdit

#: how long typing pauses before a long list is searched (milliseconds)
SEARCH_DELAY_MS = 150
#: lists up to this long are searched at every key
SHORT_LIST = 200


class SearchPacer(QObject):
    """Calls ``search`` when ``field`` changes: at once while :attr:`total` (the number
    of rows the last unfiltered search found) is short, else after a pause; Enter
    searches at once."""

    def __init__(self, field: QLineEdit, search: Callable[[], None]) -> None:
        super().__init__(field)
        self.total = 0
        self._search = search
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SEARCH_DELAY_MS)
        self._timer.timeout.connect(search)
        field.textChanged.connect(lambda _text: self._typed())
        field.returnPressed.connect(self.now)

    def _typed(self) -> None:
        if self.total <= SHORT_LIST:
            self.now()
        else:
            self._timer.start()

    def now(self) -> None:
        self._timer.stop()
        self._search()

    @property
    def pending(self) -> bool:
        return self._timer.isActive()
