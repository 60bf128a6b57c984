"""Where the app's bundled data (frameworks, fonts, icons) lives.

Three layouts:

- the self-contained program built by PyInstaller (``packaging/digcomp-app.spec``):
  ``sys.frozen`` is set and ``sys._MEIPASS`` names the folder its files were put in; the data
  is in ``<that folder>/digcomp_app/resources`` (and the compiled catalogues in
  ``<that folder>/digcomp_app/translations``, beside the package, as in a wheel);
- an installed wheel carries it as ``digcomp_app/resources``;
- a source checkout (and an editable install) keeps it in the top-level ``resources/`` folder.
"""

from __future__ import annotations

import sys
from pathlib import Path

_PACKAGE_DIR = Path(__file__).resolve().parent


def bundle_dir() -> Path | None:
    """The folder of the self-contained program's files, or ``None`` when not run from one."""
    if not getattr(sys, "frozen", False):
        return None
    base = getattr(sys, "_MEIPASS", None)
    return Path(base) if base else None


def package_data_dir() -> Path:
    """The folder holding the package's data (``resources/``, ``translations/``) when it is
    installed: the package folder of a wheel, ``<bundle>/digcomp_app`` of the program."""
    bundle = bundle_dir()
    return bundle / "digcomp_app" if bundle is not None else _PACKAGE_DIR


def resources_dir() -> Path:
    installed = package_data_dir() / "resources"
    if installed.is_dir() or bundle_dir() is not None:
        return installed
    return _PACKAGE_DIR.parent / "resources"


def frameworks_dir() -> Path:
    return resources_dir() / "frameworks"
