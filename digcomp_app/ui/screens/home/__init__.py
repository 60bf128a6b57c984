"""The home screen: what this user can do, by role."""

from __future__ import annotations

from html import escape

from PySide6.QtWidgets import QLabel, QPushButton, QVBoxLayout, QWidget

from digcomp_app.i18n import N_, _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens import ScreenSpec, screens_for

ROLE_NAMES = {
    Role.LEARNER: N_("learner"),
    Role.TEACHER: N_("teacher"),
    Role.COORDINATOR: N_("coordinator"),
    Role.ADMINISTRATOR: N_("administrator"),
}


def role_names(roles: frozenset[Role]) -> str:
    return ", ".join(_(ROLE_NAMES[r]) for r in sorted(roles))


class HomeScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.greeting = QLabel()
        self.greeting.setWordWrap(True)
        self._layout = QVBoxLayout(self)
        self._layout.addWidget(self.greeting)
        self.buttons: dict[str, QPushButton] = {}
        self._summaries: dict[str, QLabel] = {}
        self._specs = [s for s in screens_for(context.actor.roles) if s.id != "home"]
        for spec in self._specs:
            button = QPushButton()
            button.setMinimumHeight(36)
            button.clicked.connect(lambda _checked=False, i=spec.id: context.navigate(i))
            summary = QLabel()
            summary.setWordWrap(True)
            self._layout.addWidget(button)
            self._layout.addWidget(summary)
            self.buttons[spec.id] = button
            self._summaries[spec.id] = summary
        self._layout.addStretch(1)
        self.retranslate()

    def retranslate(self) -> None:
        actor = self._context.actor
        self.greeting.setText(
            "<h2>"
            + escape(_("Hello, {name}!").format(name=actor.display_name))
            + "</h2><p>"
            + escape(
                _("You are signed in as {user} ({roles}).").format(
                    user=actor.username, roles=role_names(actor.roles)
                )
            )
            + "</p>"
        )
        for spec in self._specs:
            self.buttons[spec.id].setText(spec.title())
            self.buttons[spec.id].setAccessibleName(spec.title())
            self._summaries[spec.id].setText(spec.summary())

    def refresh(self) -> None:
        return None


SCREEN = ScreenSpec(
    id="home",
    roles=frozenset(Role),
    title=lambda: _("Home"),
    create=HomeScreen,
    order=0,
)
