"""The house drawn from the code (tools/draw_architecture.py): docs/architecture.svg and the
graph in docs/architecture.md show the imports of today, and no arrow points up the layers.

When a test here fails after a change of imports, run ``python tools/draw_architecture.py``
and commit the drawing with the change (or, if an arrow points up, move the import).
"""

from __future__ import annotations

import shutil
import tomllib

from tests.conftest import ROOT
from tests.tools import load_tool

draw = load_tool("draw_architecture")
ARCHITECTURE = ROOT / "docs" / "architecture.md"


def test_the_drawing_shows_the_imports_of_today():
    architecture = ARCHITECTURE.read_text(encoding="utf-8")
    house = draw.build(draw.PACKAGE, architecture)
    redraw = "run python tools/draw_architecture.py and commit what it writes"
    assert (ROOT / "docs" / "architecture.svg").read_text(encoding="utf-8") == draw.svg(house), (
        f"docs/architecture.svg is older than the code: {redraw}"
    )
    assert architecture == draw.with_graph(architecture, house), (
        f"the graph in docs/architecture.md is older than the code: {redraw}"
    )


def test_no_arrow_points_up_the_layers():
    house = draw.build()
    assert draw.problems(house) == []
    # Guard against a drawing that passes because it reads nothing.
    arrows = {(arrow.source, arrow.target): arrow for arrow in house.arrows}
    assert arrows["ui", "services"].count > 100
    assert arrows["cli", "ui"].style == "lazy"  # the command line opens the window lazily
    assert arrows["services", "storage"].imports["eager"] > 10


def test_the_layers_drawn_are_the_layers_import_linter_checks():
    contracts = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (layers,) = [
        contract["layers"]
        for contract in contracts["tool"]["importlinter"]["contracts"]
        if contract["id"] == "layers"
    ]
    checked = [
        tuple(name.strip().removeprefix("digcomp_app.") for name in layer.split("|"))
        for layer in layers
    ]
    assert draw.read_layers(ARCHITECTURE.read_text(encoding="utf-8")) == checked


def _copy_with(tmp_path, probes: dict[str, str]):
    """The house of a copy of the package with probe modules added to it."""
    package = tmp_path / "digcomp_app"
    shutil.copytree(draw.PACKAGE, package, ignore=shutil.ignore_patterns("__pycache__"))
    for where, code in probes.items():
        (package / where).write_text(code, encoding="utf-8")
    return draw.build(package, ARCHITECTURE.read_text(encoding="utf-8"))


def test_an_import_up_the_layers_fails_and_is_drawn_red(tmp_path):
    house = _copy_with(
        tmp_path,
        {
            # up, and hidden in a function: still an arrow
            "storage/probe.py": "def later():\n    from digcomp_app.services import accounts\n",
            # sideways, for the type checker only: still an arrow
            "documents/probe.py": "from typing import TYPE_CHECKING\n\n"
            "if TYPE_CHECKING:\n    from digcomp_app.storage import models\n",
            # up, by name at run time
            "i18n/probe.py": 'import importlib\n\nimportlib.import_module("digcomp_app.ui.app")\n',
        },
    )
    assert draw.problems(house) == [
        "documents → storage points sideways: digcomp_app/documents/probe.py:4",
        "storage → services points up: digcomp_app/storage/probe.py:2",
        "i18n → ui points up: digcomp_app/i18n/probe.py:3",
    ]
    arrows = {(arrow.source, arrow.target): arrow for arrow in house.arrows}
    assert arrows["storage", "services"].label() == "1 lazy"
    assert arrows["documents", "storage"].label() == "1 typing"
    assert arrows["i18n", "ui"].label() == "1 lazy"
    picture = draw.svg(house)
    assert picture.count(f'stroke="{draw.WRONG}" stroke-width="2.8"') == 3
    assert "linkStyle" in draw.mermaid(house)


def test_a_module_in_no_layer_is_reported(tmp_path):
    house = _copy_with(tmp_path, {"stray.py": "from digcomp_app import i18n\n"})
    assert draw.problems(house) == ["digcomp_app.stray is in no layer of docs/architecture.md"]


def test_every_spelling_of_an_import_is_read_with_its_kind(tmp_path):
    package = tmp_path / "digcomp_app"
    (package / "ui" / "screens").mkdir(parents=True)
    (package / "services").mkdir()
    for folder in (package, package / "ui", package / "ui" / "screens", package / "services"):
        (folder / "__init__.py").write_text("", encoding="utf-8")
    (package / "services" / "accounts.py").write_text("", encoding="utf-8")
    (package / "ui" / "screens" / "probe.py").write_text(
        "import importlib\n"
        "import typing\n"
        "from digcomp_app.services import accounts\n"  # 3: a module of the package
        "from digcomp_app.services import Refused\n"  # 4: a name: the package
        "from ..widgets import Button\n"  # 5: relative
        "if typing.TYPE_CHECKING:\n"
        "    import digcomp_app.storage.models\n"  # 7
        "else:\n"
        "    import digcomp_app.settings\n"  # 9: runs
        "def later():\n"
        '    importlib.import_module("digcomp_app." + "documents")\n'  # 11
        "    import digcomp_app.framework\n"  # 12
        '    importlib.import_module(f"digcomp_app.{later.__name__}")\n'  # built: not read
        "handler = lambda: __import__('digcomp_app.anchors')\n",  # 14
        encoding="utf-8",
    )
    found = {(i.target, i.kind, i.where.rsplit(":", 1)[1]) for i in draw.read_imports(package)}
    assert found == {
        ("importlib", "eager", "1"),
        ("typing", "eager", "2"),
        ("digcomp_app.services.accounts", "eager", "3"),
        ("digcomp_app.services", "eager", "4"),
        ("digcomp_app.ui.widgets", "eager", "5"),
        ("digcomp_app.storage.models", "typing", "7"),
        ("digcomp_app.settings", "eager", "9"),
        ("digcomp_app.documents", "lazy", "11"),
        ("digcomp_app.framework", "lazy", "12"),
        ("digcomp_app.anchors", "lazy", "14"),
    }
