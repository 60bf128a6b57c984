"""The signed-in workspace: a navigation list of this user's screens, and the screen shown."""

from __future__ import annotations

import math

from PySide6.QtCore import QEvent, QRect, QSize, Qt
from PySide6.QtGui import QFontMetrics, QFontMetricsF
from PySide6.QtWidgets import (
    QHBoxLayout,
    QListWidget,
    QListWidgetItem,
    QSizePolicy,
    QStackedWidget,
    QStyle,
    QStyleOptionViewItem,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.icons import screen_icon
from digcomp_app.ui.screens import ScreenSpec, screens_for
from digcomp_app.ui.unsaved import confirm_leave, edit_forms


class NavigationList(QListWidget):
    """The side navigation: as wide as its longest title needs at the current font and in
    the current language (the icon, padding and margins as the style lays an item out), so
    no title is shortened with "…" however wide the screen beside it is. A title longer
    than :attr:`WRAP_AT` average characters wraps onto more lines instead."""

    #: the widest title kept on one line, in average characters of the font
    WRAP_AT = 26
    #: the room above and below a row's icon and text
    ROW_PAD = 14

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("navigation")  # styled in ui/style.py
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Expanding)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setWordWrap(True)
        self.setSpacing(1)
        # a scroll bar of its own (a short window) takes room from the titles: widen
        self.verticalScrollBar().rangeChanged.connect(lambda *_range: self.updateGeometry())

    def _text_width(self) -> int:
        """The room the titles get: the longest one, at most WRAP_AT characters."""
        metrics = QFontMetricsF(self.font())  # fractional: as the text is laid out
        titles = (self.item(row).text() for row in range(self.count()))
        widest = max((metrics.horizontalAdvance(title) for title in titles), default=0.0)
        return math.ceil(min(widest, metrics.averageCharWidth() * self.WRAP_AT)) + 1

    def _item_overhead(self) -> int:
        """An item's width beyond its text: the style sheet's padding, the icon with its
        margins and the text's own margins (as QCommonStyle draws an item)."""
        if not self.count():
            return 0
        self.ensurePolished()
        option = QStyleOptionViewItem()
        self.initViewItemOption(option)
        self.itemDelegate().initStyleOption(option, self.indexFromItem(self.item(0)))
        option.rect = QRect(0, 0, 1000, self.iconSize().height() + self.ROW_PAD)
        style = self.style()
        text = style.subElementRect(QStyle.SubElement.SE_ItemViewItemText, option, self)
        margin = style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, self) + 1
        return option.rect.width() - text.width() + 2 * margin

    def needed_width(self) -> int:
        """The list's width: the titles, the items' overhead, the spacing around the
        items, the frame and (when shown) the scroll bar."""
        width = self._text_width() + self._item_overhead() + 2 * self.spacing()
        width += self.width() - self.contentsRect().width()  # the frame (style sheet border)
        if self.verticalScrollBar().maximum() > 0:
            width += self.verticalScrollBar().sizeHint().width()
        return width

    def fit(self) -> None:
        """Icons and rows to the font, each row as high as its (wrapped) title needs."""
        metrics = QFontMetrics(self.font())
        side = round(metrics.height() * 0.85)  # the icons grow with the text
        self.setIconSize(QSize(side, side))
        room = QRect(0, 0, max(self._text_width(), 1), 100 * metrics.height())
        for row in range(self.count()):
            item = self.item(row)
            flags = int(Qt.TextFlag.TextWordWrap)
            text_height = metrics.boundingRect(room, flags, item.text()).height()
            item.setSizeHint(QSize(0, max(side, text_height) + self.ROW_PAD))
        self.updateGeometry()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.FontChange:  # View → Text size
            self.fit()
        super().changeEvent(event)

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.needed_width(), super().sizeHint().height())

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(self.needed_width(), super().minimumSizeHint().height())


class Workspace(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.context = context
        context.navigate = self.show_screen
        context.open_screen = self.open_screen
        self.specs: list[ScreenSpec] = screens_for(context.actor.roles)
        self.screens: dict[str, QWidget] = {}
        self.navigation = NavigationList()
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

    def retranslate(self) -> None:
        self.navigation.setAccessibleName(_("Screens"))
        for row, spec in enumerate(self.specs):
            self.navigation.item(row).setText(spec.title())
        self.navigation.fit()
        for widget in self.screens.values():
            retranslate = getattr(widget, "retranslate", None)
            if callable(retranslate):
                retranslate()
