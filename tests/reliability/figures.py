"""Figures the reliability tests measure (rows written and lost under kill -9, peak memory of
hostile files, inputs refused), shown at the end of the run and kept in pytest's cache
(``.pytest_cache/v/reliability/figures``) so a report can quote them."""

from __future__ import annotations

from typing import Any

FIGURES: dict[str, Any] = {}


def record(name: str, value: Any) -> None:
    FIGURES[name] = value


def add(name: str, amount: int = 1) -> None:
    FIGURES[name] = FIGURES.get(name, 0) + amount
