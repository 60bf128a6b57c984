"""Type checks: mypy on everything but the Qt user interface ([tool.mypy] in pyproject.toml).

Strict everywhere it runs; every ``# type: ignore`` names its error code and is needed
(docs/decisions/0030-architecture-as-code.md). mypy keeps its cache in ``.mypy_cache``, so
a second run takes a second or two. ``-m typing`` runs these alone.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytestmark = pytest.mark.typing

CONFIG = ROOT / "pyproject.toml"


def mypy(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(CONFIG), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        cwd=ROOT,
        timeout=600,
        check=False,
    )


def test_everything_but_the_qt_interface_type_checks():
    done = mypy()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "Success: no issues found" in done.stdout
    checked = int(done.stdout.split("in ")[-1].split()[0])
    assert checked >= 120  # every package but ui/, not a subset


def test_the_settings_refuse_untyped_code_and_bare_ignores(tmp_path: Path):
    probe = tmp_path / "probe.py"
    probe.write_text(
        "def untyped(value):\n"
        "    return value\n"
        "\n"
        "\n"
        "def wrong(value: int) -> str:\n"
        "    return value  # type: ignore\n"
        "\n"
        "\n"
        "def needless(value: int) -> int:\n"
        "    return value  # type: ignore[return-value]\n",
        encoding="utf-8",
    )
    done = mypy("--cache-dir", str(tmp_path / "cache"), str(probe))
    assert done.returncode == 1, done.stdout
    for code in ("no-untyped-def", "ignore-without-code", "unused-ignore"):
        assert f"[{code}]" in done.stdout, done.stdout
