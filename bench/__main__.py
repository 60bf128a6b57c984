"""Run every benchmark: ``python -m bench``; exit status 1 if any budget is missed."""

from __future__ import annotations

import sys

from bench import (
    bench_attestations,
    bench_bundle,
    bench_evidence,
    bench_framework_load,
    bench_learners,
    bench_overview,
    bench_roster_import,
    bench_searches,
    bench_skills_test,
    bench_startup,
    bench_verify,
)

BENCHMARKS = [
    bench_framework_load,
    bench_learners,
    bench_searches,
    bench_roster_import,
    bench_startup,
    bench_attestations,
    bench_verify,
    bench_evidence,
    bench_overview,
    bench_bundle,
    bench_skills_test,
]


def main() -> int:
    failed = 0
    for module in BENCHMARKS:
        failed |= module.main()
        print()
    print("all budgets met" if not failed else "SOME BUDGETS MISSED")
    return failed


if __name__ == "__main__":
    sys.exit(main())
