"""Small helpers shared by the benchmarks: repeated timing and budget reporting."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass


@dataclass
class Timing:
    median_ms: float
    best_ms: float
    runs: int


def measure(action: Callable[[], object], runs: int = 15, warmup: int = 2) -> Timing:
    for _ in range(warmup):
        action()
    samples = []
    for _ in range(runs):
        gc.collect()
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return Timing(statistics.median(samples), min(samples), runs)


class Budget:
    """Collects pass/fail lines; ``exit_code`` is 1 when any budget was missed."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.failures: list[str] = []

    def check(self, label: str, ok: bool, detail: str) -> None:
        print(f"  [{'ok' if ok else 'OVER BUDGET'}] {label}: {detail}")
        if not ok:
            self.failures.append(label)

    @property
    def exit_code(self) -> int:
        return 1 if self.failures else 0
