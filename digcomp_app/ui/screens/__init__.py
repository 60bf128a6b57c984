"""The screens of the signed-in workspace, one package per domain area.

A screen package exposes ``SCREEN``, a :class:`ScreenSpec` (or ``SCREENS``, a tuple of
them, when one area has several screens); the main window shows in its
navigation the screens whose roles the signed-in user has, sorted by ``order``.
"""

from __future__ import annotations

import functools
import importlib
import pkgutil
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtWidgets import QWidget

from digcomp_app.services.permissions import Role
from digcomp_app.ui.context import UiContext


@dataclass(frozen=True)
class ScreenSpec:
    id: str
    roles: frozenset[Role]
    #: the translated title (called again when the language changes)
    title: Callable[[], str]
    #: builds the screen's widget; it should offer ``retranslate()`` and ``refresh()``
    create: Callable[[UiContext], QWidget]
    order: int = 50
    #: a one-line translated description for the home screen
    summary: Callable[[], str] = lambda: ""


def discover() -> list[ScreenSpec]:
    return list(_discovered())


@functools.cache
def _discovered() -> tuple[ScreenSpec, ...]:
    """The screen packages, looked for once (each sign-in asked the file system again)."""
    specs = []
    for info in pkgutil.iter_modules(__path__):
        module = importlib.import_module(f"{__name__}.{info.name}")
        listed = getattr(module, "SCREENS", None) or (getattr(module, "SCREEN", None),)
        specs.extend(spec for spec in listed if isinstance(spec, ScreenSpec))
    return tuple(sorted(specs, key=lambda s: (s.order, s.id)))


def screens_for(roles: frozenset[Role]) -> list[ScreenSpec]:
    return [spec for spec in discover() if spec.roles & roles]
