"""Hears a service refuse the signed-in person because their account changed (deactivated,
a role taken away, the password reset) and tells the window on the GUI thread.

Services run on the GUI thread and in task threads; the refusal is announced by
:mod:`digcomp_app.services.permissions` wherever it happens, and the signal is queued,
so the window signs the person out once the screen's own handling of the error is done.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject, Qt, Signal

from digcomp_app.services.permissions import (
    Actor,
    add_account_changed_listener,
    remove_account_changed_listener,
)


class AccountWatch(QObject):
    #: (database, actor) of the refused call
    changed = Signal(object, object)

    def __init__(self, parent: QObject, slot: Any) -> None:
        super().__init__(parent)
        self.changed.connect(slot, Qt.ConnectionType.QueuedConnection)
        add_account_changed_listener(self._heard)

    def _heard(self, db: Any, actor: Actor) -> None:
        try:
            self.changed.emit(db, actor)
        except RuntimeError:  # the window is gone
            self.stop()

    def stop(self) -> None:
        remove_account_changed_listener(self._heard)
