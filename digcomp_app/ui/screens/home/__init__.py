"""The home screen: what needs doing for each of this user's roles, one click into each item,
and a button for each of their screens."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QSize, Qt
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import N_, _
from digcomp_app.services import home
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.permissions import Role
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.icons import screen_icon
from digcomp_app.ui.screens import ScreenSpec, screens_for
from digcomp_app.ui.screens.home.cards import Card, CardSpec
from digcomp_app.ui.screens.home.todo import (
    Opener,
    administrator_cards,
    coordinator_cards,
    learner_cards,
    teacher_cards,
)

ROLE_NAMES = {
    Role.LEARNER: N_("learner"),
    Role.TEACHER: N_("teacher"),
    Role.COORDINATOR: N_("coordinator"),
    Role.ADMINISTRATOR: N_("administrator"),
}

#: per role: the service that says what needs doing, and the cards made from its answer
_ROLE_CARDS: dict[Role, tuple[Callable[..., object], Callable[..., list[CardSpec]]]] = {
    Role.LEARNER: (home.learner, learner_cards),
    Role.TEACHER: (home.teacher, teacher_cards),
    Role.COORDINATOR: (home.coordinator, coordinator_cards),
    Role.ADMINISTRATOR: (home.administrator, administrator_cards),
}


def role_names(roles: frozenset[Role]) -> str:
    return ", ".join(_(ROLE_NAMES[r]) for r in sorted(roles))


class HomeScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._opener = Opener(context, self)
        #: the services' last answers, per role (kept so a language switch needs no query)
        self._data: dict[Role, object] = {}
        self._problem = ""
        self.cards: dict[str, Card] = {}
        self._placed_columns = 0
        #: what the cards shown say (they are rebuilt only when it changes)
        self._shown: tuple[object, ...] | None = None
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)

        self.greeting = QLabel()
        self.greeting.setWordWrap(True)
        self.todo_heading = QLabel()
        self.problem = QLabel()
        self.problem.setObjectName("warning")
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.card_grid = QGridLayout()
        self.card_grid.setHorizontalSpacing(14)
        self.card_grid.setVerticalSpacing(14)
        self.screens_heading = QLabel()
        self.buttons: dict[str, QPushButton] = {}
        self._specs = [s for s in screens_for(context.actor.roles) if s.id != "home"]
        screens_grid = QGridLayout()
        screens_grid.setHorizontalSpacing(10)
        screens_grid.setVerticalSpacing(8)
        columns = 3
        for index, spec in enumerate(self._specs):
            button = QPushButton(screen_icon(spec.id), "")
            side = self.fontMetrics().height() + 4
            button.setIconSize(QSize(side, side))
            button.setMinimumHeight(side + 18)
            button.clicked.connect(lambda _checked=False, i=spec.id: context.navigate(i))
            screens_grid.addWidget(button, index // columns, index % columns)
            self.buttons[spec.id] = button

        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(24, 18, 24, 18)
        layout.setSpacing(12)
        layout.addWidget(self.greeting)
        layout.addWidget(self.todo_heading)
        layout.addWidget(self.problem)
        layout.addLayout(self.card_grid)
        layout.addSpacing(6)
        layout.addWidget(self.screens_heading)
        layout.addLayout(screens_grid)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.Shape.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        scroll.setWidget(content)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(scroll)
        self.retranslate()  # the figures come with refresh(), when the screen is shown

    # --- data ------------------------------------------------------------------------

    def refresh(self) -> None:
        """Ask the services again (the screen is shown again: things may have changed)."""
        self._data = {}
        self._problem = ""
        self._shown = None  # new answers: new cards (their items hold the answers)
        for role in sorted(self._context.actor.roles):
            query, _cards = _ROLE_CARDS[role]
            try:
                self._data[role] = query(self._context.db, self._context.actor)
            except ServiceError as error:
                self._problem = _("What needs doing could not be read: {problem}").format(
                    problem=error
                )
        self.retranslate()

    def _build_cards(self) -> None:
        specs: list[CardSpec] = []
        for role in sorted(self._data):
            specs.extend(_ROLE_CARDS[role][1](self._data[role], self._opener))
        shown = tuple(
            (s.key, s.title, s.summary, s.empty, tuple(i.text for i in s.items)) for s in specs
        )
        if shown == self._shown:
            return  # the same cards: nothing to rebuild (focus and scrolling stay)
        self._shown = shown
        focus = QApplication.focusWidget()
        had_focus = focus is not None and any(
            card.isAncestorOf(focus) for card in self.cards.values()
        )
        if had_focus:
            self.setFocus()  # off the buttons that go, so the window keeps the keyboard
        while self.card_grid.count():
            widget = self.card_grid.takeAt(0).widget()
            if widget is not None:
                widget.hide()
                widget.deleteLater()
        self.cards = {}
        self._placed_columns = 0
        for spec in specs:
            key = spec.key
            while key in self.cards:  # two roles with a card of the same kind
                key += "+"
            self.cards[key] = Card(spec)
        self._place_cards()
        for card in self.cards.values():
            card.show()  # now, not when the layout gets round to it: clickable at once
        buttons = [b for card in self.cards.values() for b in card.buttons]
        if had_focus and buttons:
            buttons[0].setFocus()

    def _columns(self) -> int:
        """Two columns of cards, or one when an item's line would be cut in two (long
        names and codes, a larger text size, a narrow window)."""
        room = (self.width() - 2 * 24 - 14) // 2 - 2 * 16
        widest = max(
            (b.sizeHint().width() for c in self.cards.values() for b in c.buttons), default=0
        )
        return 2 if widest <= room else 1

    def _place_cards(self) -> None:
        columns = self._columns()
        if columns == self._placed_columns and self.card_grid.count() == len(self.cards):
            return
        self._placed_columns = columns
        for card in self.cards.values():
            self.card_grid.removeWidget(card)
        for index, card in enumerate(self.cards.values()):
            self.card_grid.addWidget(card, index // columns, index % columns)
        for column in range(2):
            self.card_grid.setColumnStretch(column, 1 if column < columns else 0)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        super().resizeEvent(event)
        self._place_cards()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self._placed_columns = 0
            self._place_cards()

    # --- texts -----------------------------------------------------------------------

    def retranslate(self) -> None:
        actor = self._context.actor
        self.greeting.setText(
            "<h2>"
            + escape(_("Hello, {name}!").format(name=actor.display_name))
            + "</h2><p>"
            + escape(
                _("User name: {user}; roles: {roles}.").format(
                    user=actor.username, roles=role_names(actor.roles)
                )
            )
            + "</p>"
        )
        self.todo_heading.setText("<h3>" + escape(_("What needs doing")) + "</h3>")
        self.screens_heading.setText("<h3>" + escape(_("Your screens")) + "</h3>")
        self.problem.setText(self._problem)
        self.problem.setVisible(bool(self._problem))
        for spec in self._specs:
            button = self.buttons[spec.id]
            button.setText(spec.title())
            button.setAccessibleName(spec.title())
            button.setToolTip(spec.summary())
            button.setAccessibleDescription(spec.summary())
        self._build_cards()


SCREEN = ScreenSpec(
    id="home",
    roles=frozenset(Role),
    title=lambda: _("Home"),
    create=HomeScreen,
    order=0,
)
