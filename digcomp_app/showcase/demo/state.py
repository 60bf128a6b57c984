"""What the demo school's builder keeps while it works: the database, the random draws,
the staff and learners made so far, the progress."""

from __future__ import annotations

import datetime as dt
import random

from digcomp_app.framework import Framework, builtin_library
from digcomp_app.i18n import _
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor
from digcomp_app.services.signing import Signer
from digcomp_app.showcase.demo.content import FRAMEWORK, SEED, Person
from digcomp_app.showcase.demo.steps import Progress


class DemoState:
    """The state every part of the builder reads (:mod:`.builder` puts the parts together)."""

    #: the coordinator's unlocked signing key, once the school has one
    signer: Signer

    def __init__(self, db: Database, actor: Actor | None, progress: Progress | None = None) -> None:
        self.db = db
        self._progress = progress
        self.actor = actor
        self.who = actor.username if actor else "(not signed in)"
        self.rng = random.Random(SEED)
        self.today = dt.date.today()
        self.framework: Framework = builtin_library().get(*FRAMEWORK)
        self.staff: dict[str, Actor] = {}
        self.people: list[Person] = []

    def progress(self, step: str, done: int, total: int) -> None:
        if self._progress is not None:
            self._progress(_(step), done, total)
