"""A home screen card: an icon, a title, a line of figures and the items to open, one click
each."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, ngettext
from digcomp_app.ui.icons import icon

#: a card shows this many items; a last button opens the screen with all of them
SHOWN_ITEMS = 5


@dataclass(frozen=True)
class Item:
    text: str
    open: Callable[[], None]
    icon: str = "chevron-right"
    #: needs attention (shown in the warning colour)
    warning: bool = False
    #: what a screen reader says, when it is more than ``text``
    description: str = ""


@dataclass(frozen=True)
class CardSpec:
    #: stable name, for tests and the object name of the card's widget
    key: str
    title: str
    icon: str
    items: Sequence[Item] = ()
    #: a line under the title (figures, or what the card is about)
    summary: str = ""
    #: shown instead of the items when there are none
    empty: str = ""
    #: opens the screen with every item (offered when the items are more than shown)
    more: Callable[[], None] | None = None
    warning: bool = False
    extra: dict[str, object] = field(default_factory=dict)


class Card(QFrame):
    def __init__(self, spec: CardSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.setObjectName("card")
        self.setAccessibleName(spec.title)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 14, 16, 12)
        layout.setSpacing(6)
        head = QHBoxLayout()
        head.setSpacing(10)
        badge = QLabel()
        side = self.fontMetrics().height() + 6
        badge.setPixmap(icon(spec.icon, "#1f6782").pixmap(QSize(side, side)))
        badge.setFixedSize(side, side)
        self.title = QLabel(spec.title)
        self.title.setObjectName("cardTitle")
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.15)
        self.title.setFont(font)
        head.addWidget(badge)
        head.addWidget(self.title, 1)
        layout.addLayout(head)
        self.summary = QLabel(spec.summary)
        self.summary.setObjectName("warning" if spec.warning else "muted")
        self.summary.setWordWrap(True)
        # parented before it is hidden: a hidden orphan label would flash as a window
        layout.addWidget(self.summary)
        self.summary.setVisible(bool(spec.summary))
        self.buttons: list[QPushButton] = []
        for item in list(spec.items)[:SHOWN_ITEMS]:
            self.buttons.append(self._button(item))
            layout.addWidget(self.buttons[-1])
        hidden = len(spec.items) - SHOWN_ITEMS
        if hidden > 0 and spec.more is not None:
            more = Item(
                ngettext("… and {count} more", "… and {count} more", hidden).format(count=hidden),
                spec.more,
                "chevron-down",
            )
            self.buttons.append(self._button(more))
            layout.addWidget(self.buttons[-1])
        self.empty = QLabel(spec.empty)
        self.empty.setObjectName("muted")
        self.empty.setWordWrap(True)
        layout.addWidget(self.empty)
        self.empty.setVisible(not spec.items and bool(spec.empty))
        layout.addStretch(1)

    def _button(self, item: Item) -> QPushButton:
        button = QPushButton(icon(item.icon, "#8a4b00" if item.warning else "#1f6782"), item.text)
        button.setObjectName("homeItem")
        button.setProperty("warning", item.warning)
        button.setCursor(Qt.CursorShape.PointingHandCursor)
        button.setAccessibleName(item.text)
        # a long line is cut at the card's edge rather than widening it: the tip shows it all
        button.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Fixed)
        button.setMinimumWidth(self.fontMetrics().averageCharWidth() * 20)
        button.setToolTip(item.text + ("\n" + item.description if item.description else ""))
        button.setAccessibleDescription(item.description or _("Opens it"))
        button.clicked.connect(lambda _checked=False, open_=item.open: open_())
        return button

    def item_texts(self) -> list[str]:
        return [b.text() for b in self.buttons]

    def button(self, text_part: str) -> QPushButton:
        """The first item whose text contains ``text_part`` (for tests and keyboard users)."""
        return next(b for b in self.buttons if text_part in b.text())
