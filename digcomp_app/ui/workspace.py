"""The signed-in workspace: a navigation list of this user's screens, and the screen shown."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QFontMetrics
from PySide6.QtWidgets import QHBoxLayout, QListWidget, QListWidgetItem, QStackedWidget, QWidget

from digcomp_app.i18n import _
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.icons import screen_icon
from digcomp_app.ui.screens import ScreenSpec, screens_for
from digcomp_app.ui.unsaved import confirm_leave, edit_forms


class Workspace(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        context.navigate = self.show_screen
        context.open_screen = self.open_screen
        self.specs: list[ScreenSpec] = screens_for(context.actor.roles)
        self.screens: dict[str, QWidget] = {}
        self.navigation = QListWidget()
        self.navigation.setObjectName("navigation")  # styled in ui/style.py
        self.navigation.setMaximumWidth(240)
        self.stack = QStackedWidget()
        for spec in self.specs:
            item = QListWidgetItem(screen_icon(spec.id), spec.title())
            item.setData(Qt.ItemDataRole.UserRole, spec.id)
            self.navigation.addItem(item)
        layout = QHBoxLayout(self)
        layout.addWidget(self.navigation)
        layout.addWidget(self.stack, 1)
        #: the row whose screen is shown (-1: none yet)
        self._shown_row = -1
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

    def open_screen(self, screen_id: str) -> QWidget | None:
        """Switch to the screen and return its widget (None if it is not this user's, or
        the switch was cancelled)."""
        self.show_screen(screen_id)
        if self.current_id() != screen_id:
            return None
        return self.screens.get(screen_id)

    def current_id(self) -> str:
        return self.specs[self.navigation.currentRow()].id

    def step(self, delta: int) -> None:
        row = (self.navigation.currentRow() + delta) % len(self.specs)
        self.navigation.setCurrentRow(row)

    def edit_forms(self) -> list[object]:
        """The forms of the screens built so far, the shown screen's first."""
        shown = self.stack.currentWidget()
        widgets = sorted(self.screens.values(), key=lambda w: w is not shown)
        return [form for widget in widgets for form in edit_forms(widget)]

    def _on_row(self, row: int) -> None:
        previous = self._shown_row
        if 0 <= previous < len(self.specs) and row != previous:
            leaving = self.screens.get(self.specs[previous].id)
            if leaving is not None and not confirm_leave(self, edit_forms(leaving)):
                # Cancel: stay on the screen with the changes
                self.navigation.blockSignals(True)
                self.navigation.setCurrentRow(previous)
                self.navigation.blockSignals(False)
                return
        if 0 <= row < len(self.specs):
            self._shown_row = row
            widget = self.screen(self.specs[row].id)
            refresh = getattr(widget, "refresh", None)
            if callable(refresh):
                refresh()
            self.stack.setCurrentWidget(widget)

    def _fit_navigation(self) -> None:
        """The list as wide as its longest title (at most 240 px): the rest of the width is
        the screen's, which needs it most with a larger font."""
        metrics = QFontMetrics(self.font())
        side = round(metrics.height() * 0.85)  # the icons grow with the text
        self.navigation.setIconSize(QSize(side, side))
        widest = max((metrics.horizontalAdvance(s.title()) for s in self.specs), default=0)
        # the icon and its gap, the style sheet's padding (ui/style.py) and the scroll bar's
        # edge: the rest of the width is the screen's
        room = widest + side + 2 * self.navigation.frameWidth() + 20
        self.navigation.setMaximumWidth(min(240, room))
        self.navigation.setSpacing(1)
        for row in range(self.navigation.count()):  # a comfortable row, at any text size
            self.navigation.item(row).setSizeHint(QSize(0, side + 14))

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
