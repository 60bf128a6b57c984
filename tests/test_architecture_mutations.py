"""The layer checks catch what they are meant to: a mutation check.

Each case adds one forbidden import to a copy of the package (a new module, ``probe.py``, in
the layer that breaks the rule) and runs both checkers of ``tests/test_architecture.py`` on
the copy: ``lint-imports`` with this project's contracts, and the AST rules. The case says
which of them must catch it; together they must catch every one. The cases are the twelve
kinds of violation of docs/decisions/0030-architecture-as-code.md, plus one only the AST
rules see (a new top-level module importing Qt) and four for presenters/ and showcase/.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.run_once import once
from tests.test_architecture import PACKAGE, violations

LINT = "lint-imports"
AST = "ast"


@dataclass(frozen=True)
class Mutation:
    id: str
    #: where the probe module goes, relative to the package (its module name follows)
    probe: str
    code: str
    #: the module the probe imports, as both checkers name it
    target: str
    #: the checkers that must report it
    caught_by: frozenset[str]


BOTH = frozenset({LINT, AST})
MUTATIONS = [
    # Not caught by the first rule checker (before import-linter):
    Mutation(
        "ui-imports-storage-through-the-package",
        "ui/probe.py",
        "from digcomp_app import storage\n",
        "digcomp_app.storage",
        BOTH,
    ),
    Mutation(
        "ui-imports-storage-by-name-at-run-time",
        "ui/probe.py",
        "import importlib\n\n\ndef later():\n"
        '    return importlib.import_module("digcomp_app.storage")\n',
        "digcomp_app.storage",
        frozenset({AST}),  # import-linter reads import statements only
    ),
    Mutation(
        "documents-import-services-through-the-package",
        "documents/probe.py",
        "from digcomp_app import services\n",
        "digcomp_app.services",
        BOTH,
    ),
    Mutation(
        "i18n-imports-services",
        "i18n/probe.py",
        "from digcomp_app.services import accounts\n",
        "digcomp_app.services.accounts",
        BOTH,
    ),
    Mutation(
        "services-import-ui-widgets",
        "services/probe.py",
        "from digcomp_app.ui import widgets\n",
        "digcomp_app.ui.widgets",
        BOTH,
    ),
    Mutation(
        "shiboken6-outside-ui",
        "services/probe.py",
        "import shiboken6\n",
        "shiboken6",
        BOTH,
    ),
    # Caught by the first rule checker too:
    Mutation(
        "services-import-qt",
        "services/probe.py",
        "from PySide6.QtCore import QObject\n",
        "PySide6",
        BOTH,
    ),
    Mutation(
        "ui-imports-sqlalchemy",
        "ui/probe.py",
        "from sqlalchemy import select\n",
        "sqlalchemy",
        BOTH,
    ),
    Mutation(
        "ui-imports-a-storage-module",
        "ui/probe.py",
        "from digcomp_app.storage.models import User\n",
        "digcomp_app.storage.models",
        BOTH,
    ),
    Mutation(
        "framework-imports-services",
        "framework/probe.py",
        "from digcomp_app.services.accounts import authenticate\n",
        "digcomp_app.services.accounts",
        BOTH,
    ),
    # The two that were in the code (fixed): i18n.names used framework.model, and commands
    # opened storage.engine themselves.
    Mutation(
        "i18n-imports-framework",
        "i18n/probe.py",
        "from digcomp_app.framework.model import OutcomeType, TranslationStatus\n",
        "digcomp_app.framework.model",
        BOTH,
    ),
    Mutation(
        "commands-import-storage",
        "commands/probe.py",
        "from digcomp_app.storage.engine import resolve_database_url\n",
        "digcomp_app.storage.engine",
        BOTH,
    ),
    # Beyond the twelve: a new top-level module is in no contract's list of sources.
    Mutation(
        "a-new-top-level-module-imports-qt",
        "probe.py",
        "import PySide6.QtWidgets\n",
        "PySide6",
        frozenset({AST}),
    ),
    # The packages of decision 0030's second part: presenters/ and showcase/.
    Mutation(
        "presenters-import-qt",
        "presenters/probe.py",
        "import PySide6\n",
        "PySide6",
        BOTH,
    ),
    Mutation(
        "services-import-the-demo-school",
        "services/probe.py",
        "from digcomp_app.showcase import demo\n",
        "digcomp_app.showcase.demo",
        frozenset({LINT}),
    ),
    Mutation(
        "a-screen-imports-the-demo-school-beside-the-one-hook",
        "ui/probe.py",
        "from digcomp_app.showcase import demo\n",
        "digcomp_app.showcase.demo",
        frozenset({LINT}),
    ),
    Mutation(
        "the-demo-school-opens-the-database-itself",
        "showcase/demo/probe.py",
        "from digcomp_app.storage import models\n",
        "digcomp_app.storage.models",
        frozenset({LINT}),
    ),
]


def mutated_copy(root: Path, mutation: Mutation | None) -> Path:
    """A copy of the package under ``root``, with the mutation's probe module added."""
    shutil.copytree(PACKAGE, root / "digcomp_app", ignore=shutil.ignore_patterns("__pycache__"))
    if mutation is not None:
        probe = root / "digcomp_app" / mutation.probe
        assert not probe.exists()
        probe.write_text(mutation.code, encoding="utf-8")
    return root


#: lint-imports (what its command runs: importlinter.cli.lint_imports) on each root of a
#: JSON list on stdin in turn, in one process, each root's package found first as the
#: command run in that folder finds it; one ``[exit code, report]`` per root as JSON
LINT_EACH = """
import contextlib, importlib, importlib.util, io, json, os, sys
from importlinter.cli import lint_imports
config, roots = sys.argv[1], json.load(sys.stdin)
results = []
for root in roots:
    sys.path[:] = [entry for entry in sys.path if entry not in roots]
    os.chdir(root)
    importlib.invalidate_caches()
    report = io.StringIO()
    with contextlib.redirect_stdout(report), contextlib.redirect_stderr(report):
        exit_code = lint_imports(config_filename=config, no_cache=True, no_logo=True)
    assert "digcomp_app" not in sys.modules, "the package was imported, not read"
    found = importlib.util.find_spec("digcomp_app").origin
    assert found.startswith(root + os.sep), (root, found)
    results.append([exit_code, report.getvalue()])
print(json.dumps(results))
"""


def lint_imports_on_each(roots: list[Path]) -> list[tuple[int, str]]:
    """``lint-imports`` with this project's contracts on the package copied under each root."""
    done = subprocess.run(
        [sys.executable, "-c", LINT_EACH, str(ROOT / "pyproject.toml")],
        input=json.dumps([str(root) for root in roots]),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return [(exit_code, report) for exit_code, report in json.loads(done.stdout)]


@dataclass(frozen=True)
class Verdicts:
    lint_exit: int
    lint_report: str
    ast_violations: list[str]


@pytest.fixture(scope="module")
def verdicts(tmp_path_factory) -> dict[str, Verdicts]:
    """Both checkers on a clean copy ("") and on one copy per mutation (lint-imports on
    every copy in one process), once per test run whichever worker comes first."""

    def judge() -> dict[str, Verdicts]:
        cases: list[Mutation | None] = [None, *MUTATIONS]
        roots = [
            mutated_copy(tmp_path_factory.mktemp(case.id if case else "clean"), case)
            for case in cases
        ]
        linted = lint_imports_on_each(roots)
        return {
            case.id if case else "": Verdicts(exit_code, report, violations(root / "digcomp_app"))
            for case, root, (exit_code, report) in zip(cases, roots, linted, strict=True)
        }

    return once(tmp_path_factory, "architecture-mutations", judge)


def test_the_copy_passes_both_checkers_before_any_mutation(verdicts):
    clean = verdicts[""]
    assert clean.lint_exit == 0, clean.lint_report
    assert "0 broken" in clean.lint_report
    assert clean.ast_violations == []


def test_the_twelve_kinds_are_all_there():
    assert len({m.id for m in MUTATIONS}) == len(MUTATIONS) == 17
    assert all(m.caught_by for m in MUTATIONS)


@pytest.mark.parametrize("mutation", MUTATIONS, ids=lambda m: m.id)
def test_each_kind_of_violation_is_caught(verdicts, mutation):
    found = verdicts[mutation.id]
    module = "digcomp_app." + mutation.probe.removesuffix(".py").replace("/", ".")
    named = f"{module} -> {mutation.target}"
    if LINT in mutation.caught_by:
        assert found.lint_exit != 0, found.lint_report
        assert "BROKEN" in found.lint_report and named in found.lint_report, found.lint_report
    else:  # the limit of import-linter that the AST rules make up for
        assert found.lint_exit == 0, found.lint_report
    by_ast = [
        v
        for v in found.ast_violations
        if v.partition(": ")[2].startswith(f"{module} imports {mutation.target}")
    ]
    if AST in mutation.caught_by:
        assert by_ast, found.ast_violations
    else:
        assert found.ast_violations == []
