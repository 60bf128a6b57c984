"""The self-contained program (PyInstaller, ``packaging/build-linux.sh``): its start and size.

Budgets (issue 16, docs/decisions/0031-bundles.md):

- start: from starting the built program (``digcomp-app --database … --language lv``, a
  fresh process) to its window painted with the sign-in page
  <= 1.5 x from starting ``python`` to a bare PySide6 ``QMainWindow`` painted, measured in
  the same run, interleaved, each from the moment the parent starts the process (so the
  bundle's own loader and the interpreter's start-up are both counted);
- size: all files of the folder < 200 MB (10^6 bytes) unpacked.

Reported beside them, not budgeted: the time until the sign-in can be used (the database,
opened in the background after the first paint, and the frameworks loaded), for the built
program and for the same entry script run from the source checkout.

The built program reports its marks through ``DIGCOMP_BUNDLE_PROBE``
(``packaging/bundle/bundle_probe.py``). Skipped, with a message, when no program has been
built: ``dist/digcomp-app/digcomp-app`` (``.exe`` on Windows), or the one named by
``DIGCOMP_BUNDLE`` (e.g. ``/opt/digcomp-app/digcomp-app`` of the installed package).
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.bench_startup import BARE, LANGUAGE, _demo_database, _run
from bench.common import Budget

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7
BUDGET_RATIO = 1.5
BUDGET_SIZE_MB = 200
TIMEOUT_S = 120
ENTRY_SCRIPT = ROOT / "packaging" / "bundle" / "digcomp-app.py"


def bundle_program() -> Path | None:
    named = os.environ.get("DIGCOMP_BUNDLE")
    if named:
        return Path(named)
    program = ROOT / "dist" / "digcomp-app" / "digcomp-app"
    if sys.platform == "win32":
        program = program.with_suffix(".exe")
    return program if program.is_file() else None


def folder_size(folder: Path) -> tuple[int, int]:
    """Bytes of every file under ``folder`` (links not followed) and how many files."""
    total = files = 0
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            total += path.stat().st_size
            files += 1
    return total, files


def _probe(command: list[str], env: dict[str, str], folder: Path) -> dict[str, float]:
    """One fresh process; ms from starting it to each of the probe's marks."""
    out = folder / "probe.json"
    out.unlink(missing_ok=True)
    started = time.perf_counter()
    done = subprocess.run(
        command,
        env={**env, "DIGCOMP_BUNDLE_PROBE": str(out)},
        capture_output=True,
        text=True,
        timeout=TIMEOUT_S,
        check=False,
    )
    if done.returncode != 0 or not out.is_file():
        raise RuntimeError(f"{command[0]} failed ({done.returncode}):\n{done.stderr}")
    marks = json.loads(out.read_text(encoding="utf-8"))
    if not marks["visible"] or marks["page"] != "sign-in" or "sign-in page" not in marks:
        raise RuntimeError(f"the window did not reach its sign-in page: {marks}")
    return {k: (v - started) * 1000 for k, v in marks.items() if isinstance(v, float)}


def _bare(env: dict[str, str]) -> float:
    """ms from starting ``python -c`` to the bare window painted."""
    result, _stderr = _run(BARE, env)
    return result["interpreter"] + result["marks"]["shown"]


def main() -> int:
    program = bundle_program()
    print("the self-contained program (PyInstaller): start and size")
    if program is None or not program.is_file():
        print(
            "  skipped: no program built (packaging/build-linux.sh makes "
            "dist/digcomp-app/; DIGCOMP_BUNDLE names another)"
        )
        return 0
    budget = Budget("bundle")
    size, files = folder_size(program.parent)
    with tempfile.TemporaryDirectory(prefix="digcomp-bench-bundle-") as name:
        folder = Path(name)
        url = _demo_database(folder)
        env = {
            **os.environ,
            "QT_QPA_PLATFORM": "offscreen",
            "DIGCOMP_SETTINGS": str(folder / "settings.ini"),
        }
        env.pop("DIGCOMP_DATABASE_URL", None)
        arguments = ["--database", url, "--language", LANGUAGE]
        built = [str(program), *arguments]
        source = [sys.executable, str(ENTRY_SCRIPT), *arguments]
        _bare(env), _probe(built, env, folder), _probe(source, env, folder)  # warm-up
        bare, bundle, checkout = [], [], []
        for _ in range(RUNS):  # interleaved: all meet the same machine load
            bare.append(_bare(env))
            bundle.append(_probe(built, env, folder))
            checkout.append(_probe(source, env, folder))
    bare_ms = statistics.median(bare)

    def median(samples: list[dict[str, float]], key: str) -> float:
        return statistics.median(sample[key] for sample in samples)

    page_ms, ready_ms = median(bundle, "sign-in page"), median(bundle, "sign-in ready")
    print(
        f"  {program} ({RUNS} fresh processes each, medians; ms from starting the process, "
        "offscreen)"
    )
    print(f"  bare PySide6 QMainWindow painted (python -c) : {bare_ms:7.1f} ms")
    print(
        f"  built program, sign-in page painted          : {page_ms:7.1f} ms  "
        f"(its loader and Python: {median(bundle, 'entry'):.0f} ms)"
    )
    print(
        f"  built program, sign-in usable                : {ready_ms:7.1f} ms  "
        "(database opened and frameworks loaded in the background; reported, not budgeted)"
    )
    print(
        f"  source checkout, same entry script           : "
        f"{median(checkout, 'sign-in page'):7.1f} ms painted, "
        f"{median(checkout, 'sign-in ready'):.1f} ms usable (reported)"
    )
    print(f"  size: {size / 1e6:.1f} MB ({size / 2**20:.1f} MiB) in {files} files")
    ratio = page_ms / bare_ms
    budget.check("start", ratio <= BUDGET_RATIO, f"{ratio:.2f} x bare window <= {BUDGET_RATIO} x")
    budget.check("size", size < BUDGET_SIZE_MB * 1e6, f"{size / 1e6:.1f} MB < {BUDGET_SIZE_MB} MB")
    return budget.exit_code


if __name__ == "__main__":
    sys.exit(main())
