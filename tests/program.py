"""Running the program (or a few lines of Python with it) in a process of its own."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Mapping

from tests.conftest import ROOT


def run_python(*arguments: str, env: Mapping[str, str]) -> subprocess.CompletedProcess[str]:
    """``python ARGUMENTS`` from the checkout, its output captured as text."""
    return subprocess.run(
        [sys.executable, *arguments],
        check=False,
        capture_output=True,
        text=True,
        env=dict(env),
        cwd=ROOT,
        timeout=120,
    )
