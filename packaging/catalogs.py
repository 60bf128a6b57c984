"""Compile the gettext catalogues (``translations/<lang>/LC_MESSAGES/*.po``) into ``.mo`` files.

Used by the wheel build hook (``hatch_build.py``) and the PyInstaller spec
(``digcomp-app.spec``): both ship ``digcomp_app/translations/<lang>/LC_MESSAGES/*.mo``,
where ``digcomp_app.i18n`` looks first (``docs/decisions/0003-translation-catalogs.md``).
Fuzzy entries are left out, as ``msgfmt`` does.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po


def compile_catalogs(root: Path, out_root: Path) -> list[tuple[Path, str]]:
    """Write ``out_root/<lang>/LC_MESSAGES/<name>.mo`` for every catalogue under
    ``root/translations``; return each file with its path inside the package."""
    written = []
    for po_path in sorted((root / "translations").glob("*/LC_MESSAGES/*.po")):
        language = po_path.parent.parent.name
        with po_path.open("rb") as handle:
            catalog = read_po(handle, locale=language)
        mo_path = out_root / language / "LC_MESSAGES" / (po_path.stem + ".mo")
        mo_path.parent.mkdir(parents=True, exist_ok=True)
        with mo_path.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append((mo_path, f"digcomp_app/translations/{language}/LC_MESSAGES/{mo_path.name}"))
    return written
