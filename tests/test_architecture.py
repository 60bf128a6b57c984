"""The layer rules of docs/architecture.md, checked on the source."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = ROOT / "digcomp_app"


def imports_of(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def test_qt_is_imported_only_in_ui():
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules(PACKAGE)
        if "ui" not in path.relative_to(PACKAGE).parts[:1]
        and any(name.split(".")[0] == "PySide6" for name in imports_of(path))
    ]
    assert offenders == []


def test_ui_never_touches_the_database_directly():
    offenders = [
        str(path.relative_to(ROOT))
        for path in modules(PACKAGE / "ui")
        if any(
            name.split(".")[0] == "sqlalchemy" or name.startswith("digcomp_app.storage")
            for name in imports_of(path)
        )
    ]
    assert offenders == []


def test_framework_package_is_pure():
    allowed_prefixes = ("digcomp_app.framework", "digcomp_app.i18n", "digcomp_app.resources")
    offenders = []
    for path in modules(PACKAGE / "framework"):
        for name in imports_of(path):
            if name.startswith("digcomp_app") and not name.startswith(allowed_prefixes):
                offenders.append(f"{path.name}: {name}")
            if name.split(".")[0] in {"PySide6", "sqlalchemy"}:
                offenders.append(f"{path.name}: {name}")
    assert offenders == []


def test_the_rule_checker_sees_imports():
    # Guard against a checker that passes because it reads nothing.
    assert "PySide6.QtWidgets" in imports_of(PACKAGE / "ui" / "main_window.py")


def test_documents_render_from_plain_data_without_the_database_or_qt():
    allowed = (
        "digcomp_app.documents",
        "digcomp_app.framework",
        "digcomp_app.i18n",
        "digcomp_app.resources",
    )
    offenders = []
    for path in modules(PACKAGE / "documents"):
        for name in imports_of(path):
            if name.startswith("digcomp_app.") and not name.startswith(allowed):
                offenders.append(f"{path.name}: {name}")
            if name.split(".")[0] in {"PySide6", "sqlalchemy"}:
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
    assert "digcomp_app.documents.qr" in imports_of(PACKAGE / "documents" / "attestation.py")
