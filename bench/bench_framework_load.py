"""Loading both built-in frameworks in all languages, next to PyYAML's bare C parse.

Budget (issue #2): under 150 ms, and at most 1.5 x the time PyYAML's C loader
(yaml.CSafeLoader) needs just to read and parse the same files.
"""

from __future__ import annotations

import sys

import yaml

from bench.common import Budget, measure
from digcomp_app.framework.library import FrameworkLibrary
from digcomp_app.resources import frameworks_dir

BUDGET_MS = 150.0
BUDGET_RATIO = 1.5


def main() -> int:
    folder = frameworks_dir()
    files = sorted(folder.glob("*/*.yaml"))
    size = sum(f.stat().st_size for f in files)

    def bare_parse() -> None:
        for path in files:
            with path.open(encoding="utf-8") as handle:
                yaml.load(handle.read(), Loader=yaml.CSafeLoader)

    def full_load() -> FrameworkLibrary:
        return FrameworkLibrary.from_folder(folder)

    library = full_load()
    texts = sum(
        1 for f in library for c in f.competences() for _ in (*c.statements, *c.learning_outcomes)
    )
    bare = measure(bare_parse)
    ours = measure(full_load)
    ratio = ours.median_ms / bare.median_ms
    print(
        f"framework load: {len(files)} files, {size / 1024:.0f} KiB, "
        f"{len(library)} frameworks, {texts} statements and outcomes, "
        f"languages {sorted({lang for f in library for lang in f.languages})}"
    )
    print(
        f"  PyYAML CSafeLoader bare parse : median {bare.median_ms:7.1f} ms "
        f"(best {bare.best_ms:.1f}, {bare.runs} runs)"
    )
    print(
        f"  digcomp_app load + validate   : median {ours.median_ms:7.1f} ms "
        f"(best {ours.best_ms:.1f}, {ours.runs} runs)"
    )
    budget = Budget("framework load")
    budget.check(
        "absolute", ours.median_ms < BUDGET_MS, f"{ours.median_ms:.1f} ms < {BUDGET_MS:.0f} ms"
    )
    budget.check("relative", ratio <= BUDGET_RATIO, f"{ratio:.2f} x bare parse <= {BUDGET_RATIO} x")
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
