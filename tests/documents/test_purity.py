"""documents/ renders from snapshots: no database, no Qt, no services (architecture.md)."""

from __future__ import annotations

from tests.conftest import ROOT
from tests.test_architecture import imports_of, modules

ALLOWED = (
    "digcomp_app.documents",
    "digcomp_app.framework",
    "digcomp_app.i18n",
    "digcomp_app.resources",
)


def test_documents_import_only_framework_i18n_and_resources():
    offenders = []
    for path in modules(ROOT / "digcomp_app" / "documents"):
        for name in imports_of(path):
            top = name.split(".")[0]
            if top in {"PySide6", "sqlalchemy", "alembic"}:
                offenders.append(f"{path.name}: {name}")
            own = name in {"digcomp_app", "digcomp_app.__version__"}
            own = own or name.startswith(ALLOWED)
            if top == "digcomp_app" and not own:
                offenders.append(f"{path.name}: {name}")
    assert offenders == []
