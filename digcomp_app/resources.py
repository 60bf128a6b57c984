"""Where the app's bundled data (frameworks, fonts, icons) lives.

An installed wheel carries it as ``digcomp_app/resources``; a source checkout (and an
editable install) keeps it in the top-level ``resources/`` folder.
"""

from __future__ import annotations

from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def resources_dir() -> Path:
    installed = _PACKAGE_DIR / "resources"
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / "resources"


def frameworks_dir() -> Path:
    return resources_dir() / "frameworks"
