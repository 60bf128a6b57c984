"""The signed-in workspace: a navigation list of this user's screens, and the screen shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from digcomp_app.i18n import _
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens import ScreenSpec, screens_for


class Workspace(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        context.navigate = self.show_screen
        self.specs: list[ScreenSpec] = screens_for(context.actor.roles)
        self.screens: dict[str, QWidget] = {}
        self.navigation = QListWidget()
        self.navigation.setMaximumWidth(240)
        self.stack = QStackedWidget()
        for spec in self.specs:
            item = QListWidgetItem(spec.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            self.navigation.addItem(item)
        layout = QHBoxLayout(self)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        self.navigation.currentRowChanged.connect(self._on_row)
        self.navigation.setCurrentRow(0)
        self.retranslate()

    def screen(self, screen_id: str) -> QWidget:
        """The screen's widget, built the first time it is needed."""
        if screen_id not in self.screens:
            spec = next(s for s in self.specs if s.id == screen_id)
            widget = spec.create(self.context)
            self.screens[screen_id] = widget
            self.stack.addWidget(widget)
        return self.screens[screen_id]

    def show_screen(self, screen_id: str) -> None:
        ids = [spec.id for spec in self.specs]
        if screen_id in ids:
            self.navigation.setCurrentRow(ids.index(screen_id))

    def current_id(self) -> str:
        return self.specs[self.navigation.currentRow()].id

    def step(self, delta: int) -> None:
        row = (self.navigation.currentRow() + delta) % len(self.specs)
        self.navigation.setCurrentRow(row)

    def _on_row(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            widget = self.screen(self.specs[row].id)
            refresh = getattr(widget, "refresh", None)
            if callable(refresh):
                refresh()
            self.stack.setCurrentWidget(widget)

    def _fit_navigation(self) -> None:
        """The list as wide as its longest title (at most 240 px): the rest of the width is
        the screen's, which needs it most with a larger font."""
        metrics = QFontMetrics(self.font())
        widest = max((metrics.horizontalAdvance(s.title()) for s in self.specs), default=0)
        room = widest + 2 * self.navigation.frameWidth() + 2 * metrics.averageCharWidth() + 8
        self.navigation.setMaximumWidth(min(240, room))

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:
            self._fit_navigation()
        super().changeEvent(event)

    def retranslate(self) -> None:
        self.navigation.setAccessibleName(_("Screens"))
        for row, spec in enumerate(self.specs):
            self.navigation.item(row).setText(spec.title())
        self._fit_navigation()
        for widget in self.screens.values():
            retranslate = getattr(widget, "retranslate", None)
            if callable(retranslate):
                retranslate()
