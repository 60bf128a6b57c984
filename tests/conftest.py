"""Shared test set-up: offscreen Qt, English by default, settings kept out of the user's home."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from digcomp_app.i18n import set_language

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def _isolated(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DIGCOMP_SETTINGS", str(tmp_path / "settings.ini"))
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    set_language("en")
    yield
    set_language("en")
