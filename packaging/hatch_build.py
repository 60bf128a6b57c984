"""Wheel build hook: compile the gettext catalogs into the package.

The ``.po`` files under ``translations/`` are the source of truth (committed); an
installed app reads ``digcomp_app/translations/<lang>/LC_MESSAGES/messages.mo``.
The compiling itself is ``catalogs.py`` beside this file (the PyInstaller spec uses it too).
"""

from __future__ import annotations

import importlib.util
import tempfile
from pathlib import Path

from hatchling.builders.hooks.plugin.interface import BuildHookInterface


def _catalogs():
    spec = importlib.util.spec_from_file_location(
        "digcomp_catalogs", Path(__file__).resolve().parent / "catalogs.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class CompileCatalogsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        self._tmp = tempfile.TemporaryDirectory(prefix="digcomp-mo-")
        for mo_path, target in _catalogs().compile_catalogs(Path(self.root), Path(self._tmp.name)):
            build_data["force_include"][str(mo_path)] = target

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
