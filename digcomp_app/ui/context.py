"""What every screen needs: the open database, who is signed in, the frameworks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor, Role
from digcomp_app.services.signing import Signer


@dataclass
class UiContext:
    db: Database
    actor: Actor
    library: FrameworkLibrary
    #: screens call this to show a short message in the status bar
    notify: Callable[[str], None] = field(default=lambda _message: None)
    #: screens call this to switch to another screen by its id
    navigate: Callable[[str], None] = field(default=lambda _screen_id: None)
    #: switch to a screen and get its widget, to choose something on it (None: not shown)
    open_screen: Callable[[str], object | None] = field(default=lambda _screen_id: None)
    #: the school's signing key once a coordinator unlocked it; dropped when the screen locks
    signer: Signer | None = None

    def has(self, role: Role) -> bool:
        return self.actor.has(role)
