"""Wheel build hook: compile the gettext catalogs into the package.

The ``.po`` files under ``translations/`` are the source of truth (committed); an
installed app reads ``digcomp_app/translations/<lang>/LC_MESSAGES/messages.mo``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from hatchling.builders.hooks.plugin.interface import BuildHookInterface


class CompileCatalogsHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict) -> None:
        if self.target_name != "wheel":
            return
        root = Path(self.root)
        self._tmp = tempfile.TemporaryDirectory(prefix="digcomp-mo-")
        out_root = Path(self._tmp.name)
        for po_path in sorted((root / "translations").glob("*/LC_MESSAGES/*.po")):
            language = po_path.parent.parent.name
            with po_path.open("rb") as handle:
                catalog = read_po(handle, locale=language)
            mo_path = out_root / language / "LC_MESSAGES" / (po_path.stem + ".mo")
            mo_path.parent.mkdir(parents=True, exist_ok=True)
            with mo_path.open("wb") as handle:
                write_mo(handle, catalog, use_fuzzy=False)
            target = f"digcomp_app/translations/{language}/LC_MESSAGES/{mo_path.name}"
            build_data["force_include"][str(mo_path)] = target

    def finalize(self, version: str, build_data: dict, artifact_path: str) -> None:
        tmp = getattr(self, "_tmp", None)
        if tmp is not None:
            tmp.cleanup()
