"""The layer rules of docs/architecture.md, checked on the source.

Two checkers, one table of rules (docs/decisions/0030-architecture-as-code.md):

- ``lint-imports`` checks the contracts of ``[tool.importlinter]`` in pyproject.toml on the
  import graph (direct and, where the contract says so, indirect imports);
- the AST checks below read every file and also see what import-linter cannot: modules
  imported by name at run time (``importlib.import_module("…")``, ``__import__("…")``), and
  files outside the packages a contract lists (a new top-level module importing Qt).

``tests/test_architecture_mutations.py`` proves that each kind of violation is caught.
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT
from tests.tools import load_tool

#: the import reader shared with the drawing of the house (tools/draw_architecture.py)
drawing = load_tool("draw_architecture")
PACKAGE = drawing.PACKAGE
DYNAMIC_IMPORTERS = drawing.DYNAMIC_IMPORTERS


@dataclass(frozen=True)
class Rule:
    """Files under ``where`` (a folder or module of the package; "*" for all but those under
    ``except_``, folders or modules) must not import any module under ``forbidden``."""

    name: str
    where: str
    forbidden: tuple[str, ...]
    except_: tuple[str, ...] = ()


QT = ("PySide6", "shiboken6")
DATABASE = ("digcomp_app.storage", "sqlalchemy", "alembic")
RULES = (
    Rule(
        "Qt only in ui/ and the screenshot tool", "*", QT, except_=("ui", "showcase/screenshots.py")
    ),
    Rule("ui/ never touches the database", "ui", DATABASE),
    Rule("commands/ open the database only through services/", "commands", DATABASE),
    Rule("the command line opens the database only through services/", "cli.py", DATABASE),
    Rule(
        "documents/ render from plain data",
        "documents",
        ("digcomp_app.services", "digcomp_app.ui", "digcomp_app.commands", *DATABASE, *QT),
    ),
    Rule(
        "framework/ is pure",
        "framework",
        (
            "digcomp_app.services",
            "digcomp_app.documents",
            "digcomp_app.ui",
            "digcomp_app.commands",
            "digcomp_app.settings",
            *DATABASE,
            *QT,
        ),
    ),
    Rule(
        "i18n/ uses no other layer",
        "i18n",
        (
            "digcomp_app.framework",
            "digcomp_app.services",
            "digcomp_app.documents",
            "digcomp_app.ui",
            "digcomp_app.commands",
            *DATABASE,
            *QT,
        ),
    ),
    Rule(
        "services/ never import the user interface",
        "services",
        ("digcomp_app.ui", "digcomp_app.commands", "digcomp_app.cli", *QT),
    ),
    Rule("storage/ knows nothing of documents/", "storage", ("digcomp_app.documents",)),
)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    return drawing.module_name(path, package)


def imports_of(path: Path, package: Path = PACKAGE) -> set[str]:
    """Every module a file imports: ``import a.b``, ``from a import b`` (both ``a`` and
    ``a.b``, since b may be a module), relative imports resolved, and modules named by a
    string in ``import_module("…")`` or ``__import__("…")``."""
    text = path.read_text(encoding="utf-8")
    here = module_name(path, package).split(".")
    own_package = here if path.name == "__init__.py" else here[:-1]
    key = (text, tuple(own_package))
    if key not in _READ:  # the same text in the same package imports the same modules
        _READ[key] = frozenset(_imports_in(ast.parse(text), own_package))
    return set(_READ[key])


_READ: dict[tuple[str, tuple[str, ...]], frozenset[str]] = {}


def _imports_in(tree: ast.Module, own_package: list[str]) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = drawing.from_module(node, own_package)
            found.add(module)
            found.update(f"{module}.{alias.name}" for alias in node.names if alias.name != "*")
        elif (
            isinstance(node, ast.Call)
            and node.args
            and drawing.called_name(node) in DYNAMIC_IMPORTERS
        ):
            target = drawing.constant_text(node.args[0])
            if target:
                found.add(target)
    return found


def modules(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.py"))


def _under(name: str, prefix: str) -> bool:
    return name == prefix or name.startswith(prefix + ".")


def files_of(rule: Rule, package: Path) -> list[Path]:
    if rule.where == "*":
        return [
            path
            for path in modules(package)
            if not any(
                path.relative_to(package).as_posix() == kept
                or path.relative_to(package).as_posix().startswith(kept + "/")
                for kept in rule.except_
            )
        ]
    target = package / rule.where
    return [target] if target.suffix == ".py" else modules(target)


def violations(package: Path = PACKAGE) -> list[str]:
    """``rule: file imports module`` for every import that breaks a rule."""
    found = []
    for rule in RULES:
        for path in files_of(rule, package):
            for name in sorted(imports_of(path, package)):
                if any(_under(name, forbidden) for forbidden in rule.forbidden):
                    found.append(f"{rule.name}: {module_name(path, package)} imports {name}")
    return found


def run_lint_imports(
    config: Path = ROOT / "pyproject.toml", pythonpath: Path | None = None, cwd: Path = ROOT
) -> subprocess.CompletedProcess[str]:
    """``lint-imports`` on the package found first on ``pythonpath`` (else this checkout's)."""
    env = dict(os.environ)
    if pythonpath is not None:
        env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(pythonpath), env.get("PYTHONPATH")]))
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from importlinter.cli import lint_imports_command as main; "
            "sys.exit(main())",
            "--config",
            str(config),
            "--no-cache",
            "--no-logo",
        ],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=env,
        cwd=cwd,
        timeout=120,
        check=False,
    )


def test_the_import_contracts_hold():
    done = run_lint_imports()
    assert done.returncode == 0, done.stdout + done.stderr
    assert "0 broken" in done.stdout
    # Every contract was checked (none silently dropped from the configuration).
    assert done.stdout.count(" KEPT") >= 9


def test_every_rule_holds_for_imports_import_linter_cannot_see():
    assert violations() == []


def test_the_rules_cover_every_file():
    assert all(files_of(rule, PACKAGE) for rule in RULES)


def test_the_rule_checker_sees_imports():
    # Guard against a checker that passes because it reads nothing.
    assert "PySide6.QtWidgets" in imports_of(PACKAGE / "ui" / "main_window.py")
    assert "digcomp_app.documents.qr" in imports_of(PACKAGE / "documents" / "attestation_pages.py")


def test_the_rule_checker_sees_every_spelling_of_an_import(tmp_path):
    package = tmp_path / "digcomp_app"
    (package / "ui" / "screens").mkdir(parents=True)
    probe = package / "ui" / "screens" / "probe.py"
    probe.write_text(
        "import importlib\n"
        "from importlib import import_module\n"
        "from digcomp_app import storage\n"
        "from .. import services\n"
        "from ..widgets import Button\n"
        "def later():\n"
        '    importlib.import_module("digcomp_app." + "documents")\n'
        '    import_module("sqlalchemy.orm")\n'
        '    __import__("shiboken6")\n'
        '    importlib.import_module(f"digcomp_app.{later.__name__}")  # built at run time\n',
        encoding="utf-8",
    )
    assert imports_of(probe, package) >= {
        "digcomp_app.storage",
        "digcomp_app.ui.services",
        "digcomp_app.ui.widgets",
        "digcomp_app.documents",
        "sqlalchemy.orm",
        "shiboken6",
    }
