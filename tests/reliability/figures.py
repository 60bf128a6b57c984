"""Figures the reliability tests measure (rows written and lost under kill -9, peak memory of
hostile files, inputs refused), shown at the end of the run and kept in pytest's cache
(``.pytest_cache/v/reliability/figures``) so a report can quote them.

The tests may run in several worker processes (pytest-xdist): each process also writes what
it measured to a file of its own in the folder named by ``DIGCOMP_FIGURES_DIR`` (set by
``tests/conftest.py`` for the whole run), and the summary at the end merges them."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

FIGURES: dict[str, Any] = {}
_ADDED: set[str] = set()
ENV = "DIGCOMP_FIGURES_DIR"


def _save() -> None:
    folder = os.environ.get(ENV)
    if folder:
        path = Path(folder) / f"{os.getpid()}.json"
        path.write_text(json.dumps({"figures": FIGURES, "added": sorted(_ADDED)}), "utf-8")


def record(name: str, value: Any) -> None:
    FIGURES[name] = value
    _save()


def add(name: str, amount: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + amount
    _ADDED.add(name)
    _save()


def merged() -> dict[str, Any]:
    """What every process of this run measured (counts added up)."""
    folder = os.environ.get(ENV)
    if not folder:
        return dict(FIGURES)
    result: dict[str, Any] = {}
    for path in sorted(Path(folder).glob("*.json")):
        data = json.loads(path.read_text("utf-8"))
        added = set(data["added"])
        for name, value in data["figures"].items():
            if name in added:
                result[name] = result.get(name, 0) + value
            else:
                result[name] = value
    return result
