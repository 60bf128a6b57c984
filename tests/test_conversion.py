"""The committed framework files are exactly what the conversion script builds."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.conftest import ROOT

REFERENCE = ROOT.parent / "shared" / "reference"


@pytest.mark.skipif(not REFERENCE.is_dir(), reason="the JRC reference data is not beside the repo")
def test_frameworks_are_up_to_date_with_the_reference_and_translations():
    result = subprocess.run(
        [
            sys.executable,
            str(ROOT / "tools" / "build_frameworks.py"),
            "--check",
            "--reference",
            str(REFERENCE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    # Every Latvian row still matches its English source: nothing stale or missing.
    assert "stale" not in result.stderr and "not translated" not in result.stderr
