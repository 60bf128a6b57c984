#!/usr/bin/env python3
"""Draw the house from the code: the layers of digcomp_app/ and the imports between them.

    python tools/draw_architecture.py           # write docs/architecture.svg and the graph
                                                # in docs/architecture.md
    python tools/draw_architecture.py --check   # say what is out of date or points up; exit 1

Every module of ``digcomp_app/`` is read as a syntax tree: ``import a.b``, ``from a import b``
(``a.b`` when b is a module of the package), relative imports, imports inside functions (lazy),
imports under ``if TYPE_CHECKING:`` (for the type checker only) and modules named by a string
the code spells out in ``importlib.import_module("…")`` or ``__import__("…")``. Each module
belongs to the deepest layer of ``docs/architecture.md`` ("Layers, top to bottom: …") whose
name it starts with; an arrow joins two layers when a module of one imports a module of the
other, labelled with the number of such (importing module, imported module) pairs.

The picture is laid out here, without Graphviz, so that the same code always gives the same
file: layers in rows from top to bottom, an arrow between neighbouring rows drawn straight
down, a longer one along a lane beside the column. An arrow that points up or sideways (a
lower layer importing a higher one, or two layers side by side importing each other) is
drawn in red; ``tests/test_architecture_drawing.py`` fails on it and on a drawing older than
the code.
"""

from __future__ import annotations

import argparse
import ast
import itertools
import re
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import Literal

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "digcomp_app"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
DRAWING = ROOT / "docs" / "architecture.svg"
BEGIN = "<!-- BEGIN: the house drawn from the code (tools/draw_architecture.py) -->"
END = "<!-- END: the house drawn from the code -->"
#: the functions that import a module named by a string
DYNAMIC_IMPORTERS = {"import_module", "__import__"}

Kind = Literal["eager", "lazy", "typing"]


# --- Reading the imports -------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One module importing another: ``kind`` is "eager" (when the module loads), "lazy"
    (inside a function, or by name at run time) or "typing" (under ``if TYPE_CHECKING:``)."""

    source: str
    target: str
    kind: Kind
    where: str  # file:line, for the report


def module_name(path: Path, package: Path) -> str:
    parts = list(path.relative_to(package.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def constant_text(node: ast.expr) -> str | None:
    """A string the code spells out: "a.b", or "a" + ".b" (None when built at run time)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = constant_text(node.left), constant_text(node.right)
        if left is not None and right is not None:
            return left + right
    return None


def called_name(call: ast.Call) -> str:
    """The name of the function a call calls: ``f(…)`` and ``a.f(…)`` give "f"."""
    function = call.func
    if isinstance(function, ast.Attribute):
        return function.attr
    return function.id if isinstance(function, ast.Name) else ""


def from_module(node: ast.ImportFrom, own_package: list[str]) -> str:
    """The module of ``from … import``, relative ones resolved from the importing module's
    package (``from ..widgets import x`` in ui/screens/ gives digcomp_app.ui.widgets)."""
    if not node.level:
        return node.module or ""
    base = own_package[: len(own_package) - (node.level - 1)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


#: an import as read from a module's text: (module, name imported from it or "", kind, line);
#: ``from a import b`` gives ("a", "b", …), which is a.b when the package has such a module
Read = tuple[str, str, Kind, int]


class _Reader(ast.NodeVisitor):
    """Collects the imports of one module's tree."""

    def __init__(self, own_package: list[str]) -> None:
        self.own_package = own_package
        self.found: list[Read] = []
        self._functions = 0
        self._type_checking = 0

    @property
    def kind(self) -> Kind:
        if self._type_checking:
            return "typing"
        return "lazy" if self._functions else "eager"

    def _function(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda) -> None:
        self._functions += 1
        self.generic_visit(node)
        self._functions -= 1

    visit_FunctionDef = visit_AsyncFunctionDef = visit_Lambda = _function  # noqa: N815

    def visit_If(self, node: ast.If) -> None:
        if not _is_type_checking(node.test):
            self.generic_visit(node)
            return
        self.visit(node.test)
        self._type_checking += 1
        for statement in node.body:
            self.visit(statement)
        self._type_checking -= 1
        for statement in node.orelse:
            self.visit(statement)

    def visit_Import(self, node: ast.Import) -> None:
        for alias in node.names:
            self.found.append((alias.name, "", self.kind, node.lineno))

    def visit_ImportFrom(self, node: ast.ImportFrom) -> None:
        module = from_module(node, self.own_package)
        for alias in node.names:
            self.found.append((module, alias.name, self.kind, node.lineno))

    def visit_Call(self, node: ast.Call) -> None:
        if called_name(node) in DYNAMIC_IMPORTERS and node.args:
            target = constant_text(node.args[0])
            if target:
                # A module named at run time loads when the call runs: lazy at the least.
                kind: Kind = "lazy" if self.kind == "eager" else self.kind
                self.found.append((target, "", kind, node.lineno))
        self.generic_visit(node)


#: what a module's text imports, by (text, package of the module): the same text in the same
#: package imports the same, so a copy of the package is not parsed again
_READ: dict[tuple[str, tuple[str, ...]], list[Read]] = {}


def _read(path: Path, own_package: list[str]) -> list[Read]:
    text = path.read_text(encoding="utf-8")
    key = (text, tuple(own_package))
    if key not in _READ:
        reader = _Reader(own_package)
        reader.visit(ast.parse(text, str(path)))
        _READ[key] = reader.found
    return _READ[key]


def read_imports(package: Path = PACKAGE) -> list[Import]:
    """Every import, of any spelling, in every module of the package (its own or others')."""
    paths = sorted(package.rglob("*.py"))
    names = {module_name(path, package) for path in paths}
    found = []
    for path in paths:
        name = module_name(path, package)
        own_package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
        where = path.relative_to(package.parent).as_posix()
        for module, imported, kind, line in _read(path, own_package):
            submodule = f"{module}.{imported}"
            target = submodule if imported and submodule in names else module
            found.append(Import(name, target, kind, f"{where}:{line}"))
    return found


# --- The layers ----------------------------------------------------------------------------


def read_layers(text: str) -> list[tuple[str, ...]]:
    """The layers of docs/architecture.md, top to bottom: ``Layers, top to bottom: `a` →
    `b` | `c` → …`` gives [("a",), ("b", "c"), …]."""
    found = re.search(r"Layers, top to bottom:(.*?)\.(?:\s|$)", text, re.DOTALL)
    if not found:
        raise ValueError("docs/architecture.md names no layers ('Layers, top to bottom: …')")
    return [tuple(re.findall(r"`([\w.]+)`", layer)) for layer in found.group(1).split("→")]


# --- The graph -----------------------------------------------------------------------------


@dataclass
class Arrow:
    source: str
    target: str
    imports: Counter[str] = field(default_factory=Counter)  # kind -> (module, module) pairs
    examples: list[str] = field(default_factory=list)  # file:line of each import

    @property
    def count(self) -> int:
        return sum(self.imports.values())

    @property
    def style(self) -> Kind:
        """Drawn solid when any import runs as the module loads, dashed when all wait for a
        function, dotted when all are for the type checker only."""
        if self.imports["eager"]:
            return "eager"
        return "lazy" if self.imports["lazy"] else "typing"

    def label(self) -> str:
        """How many imports, and how many of them wait or only type: 12, 12 (3 lazy), 2 lazy."""
        extra = [
            f"{self.imports[kind]} {kind}" for kind in ("lazy", "typing") if self.imports[kind]
        ]
        if not extra:
            return str(self.count)
        if self.style != "eager" and len(extra) == 1:
            return extra[0]
        return f"{self.count} ({', '.join(extra)})"


@dataclass
class House:
    layers: list[tuple[str, ...]]
    places: dict[str, str]  # layer -> its folder or file in the package: "ui/", "cli.py"
    arrows: list[Arrow]
    outside: list[str]  # modules in no layer

    def row(self, node: str) -> int:
        return next(index for index, layer in enumerate(self.layers) if node in layer)

    def wrong_way(self) -> list[Arrow]:
        """Arrows that point up the layers, or sideways between two layers of one row."""
        return [arrow for arrow in self.arrows if self.row(arrow.source) >= self.row(arrow.target)]


def layer_of(module: str, names: list[str]) -> str | None:
    """The deepest layer whose name the module starts with (``digcomp_app.`` left out)."""
    short = module.removeprefix("digcomp_app.")
    matches = [name for name in names if short == name or short.startswith(name + ".")]
    return max(matches, key=len) if matches else None


def build(package: Path = PACKAGE, architecture: str | None = None) -> House:
    layers = read_layers(architecture if architecture is not None else ARCHITECTURE.read_text())
    names = [name for layer in layers for name in layer]
    places = {}
    for name in names:
        folder = package.joinpath(*name.split("."))
        places[name] = name.replace(".", "/") + ("/" if folder.is_dir() else ".py")
    # The packages that hold layers (digcomp_app itself, showcase) load before any of their
    # modules whatever imports them: importing them is no dependency, as long as their
    # __init__ imports nothing of the package (else it is a module in no layer, reported).
    holders = {
        ".".join([package.name, *name.split(".")[:depth]])
        for name in names
        for depth in range(name.count(".") + 1)
    }
    outside = {
        name
        for name in map(lambda path: module_name(path, package), package.rglob("*.py"))
        if layer_of(name, names) is None and name not in holders
    }
    pairs: dict[tuple[str, str], dict[tuple[str, str], tuple[Kind, str]]] = defaultdict(dict)
    order: dict[Kind, int] = {"eager": 0, "lazy": 1, "typing": 2}
    for found in read_imports(package):
        if found.target.split(".")[0] != package.name or found.target in holders:
            continue  # another library, or a package that holds layers
        source, target = layer_of(found.source, names), layer_of(found.target, names)
        for module, layer in ((found.source, source), (found.target, target)):
            if layer is None:
                outside.add(module)
        if source is None or target is None or source == target:
            continue
        key = (found.source, found.target)
        known = pairs[source, target].get(key)
        if known is None or order[found.kind] < order[known[0]]:
            pairs[source, target][key] = (found.kind, found.where)
    arrows = []
    for (source, target), imports in pairs.items():
        arrow = Arrow(source, target)
        for kind, where in imports.values():
            arrow.imports[kind] += 1
            arrow.examples.append(where)
        arrows.append(arrow)
    arrows.sort(key=lambda a: (names.index(a.source), names.index(a.target)))
    return House(layers, places, arrows, sorted(outside))


def problems(house: House) -> list[str]:
    """What breaks the layers: an arrow up or sideways, with the imports that make it, and
    modules in no layer."""
    found = []
    for arrow in house.wrong_way():
        direction = "sideways" if house.row(arrow.source) == house.row(arrow.target) else "up"
        found.append(
            f"{arrow.source} → {arrow.target} points {direction}: "
            + ", ".join(sorted(arrow.examples))
        )
    found.extend(f"{module} is in no layer of docs/architecture.md" for module in house.outside)
    return found


# --- Text: Mermaid -------------------------------------------------------------------------


def _node_id(name: str) -> str:
    return name.replace(".", "_").strip("_") or "root"


def mermaid(house: House) -> str:
    """The same graph as a Mermaid flowchart: one subgraph per layer, top to bottom."""
    lines = ["```mermaid", "flowchart TB"]
    for index, layer in enumerate(house.layers):
        lines.append(f'    subgraph L{index}[" "]')
        lines.extend(f'        {_node_id(name)}["{name}"]' for name in layer)
        lines.append("    end")
    links = []
    for arrow in house.arrows:
        link = {"eager": "-->", "lazy": "-.->", "typing": "-.->"}[arrow.style]
        links.append(
            f'    {_node_id(arrow.source)} {link}|"{arrow.label()}"| {_node_id(arrow.target)}'
        )
    lines.extend(links)
    wrong = [house.arrows.index(arrow) for arrow in house.wrong_way()]
    if wrong:
        lines.append(f"    linkStyle {','.join(map(str, wrong))} stroke:#c62828,stroke-width:3px")
    lines.append("```")
    return "\n".join(lines)


def with_graph(architecture: str, house: House) -> str:
    """docs/architecture.md with the graph between its markers."""
    block = "\n".join(
        [
            BEGIN,
            "",
            "![The layers of digcomp_app and the imports between them](architecture.svg)",
            "",
            mermaid(house),
            "",
            END,
        ]
    )
    if BEGIN in architecture and END in architecture:
        before, rest = architecture.split(BEGIN, 1)
        after = rest.split(END, 1)[1]
        return before + block + after
    raise ValueError(f"docs/architecture.md has no markers {BEGIN!r} … {END!r}")


# --- The picture ---------------------------------------------------------------------------

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
BOX_W, BOX_GAP_X = 210, 40  # a layer's box; the space between two boxes of one row
ROW_GAP = 44  # between two rows
LANE = 34  # between two lanes beside the column
PORT = 11  # between two arrows leaving or reaching one side of a box
SPACE = 16  # between the column and its first lane
MARGIN = 24
TOP = 104  # the title and the legend
#: one colour per layer an arrow leaves, top to bottom (red is for arrows the wrong way)
PALETTE = (
    "#1f77b4",
    "#e07b00",
    "#2e8b3d",
    "#8e44ad",
    "#8c564b",
    "#d0479a",
    "#7a7a00",
    "#0f8c99",
    "#5d6d7e",
    "#393b79",
    "#b8860b",
    "#2f6b5e",
    "#6d4c41",
    "#00838f",
)
WRONG = "#d62728"
FILLS = {
    "__main__": "#e3f2fd",
    "cli": "#e3f2fd",
    "commands": "#e3f2fd",
    "showcase.screenshots": "#ede7f6",
    "ui": "#ede7f6",
    "presenters": "#ede7f6",
    "showcase.demo": "#fff8e1",
    "anchors": "#fff8e1",
    "services": "#e8f5e9",
    "documents": "#fbe9e7",
    "storage": "#fbe9e7",
}
LOW = "#eceff1"  # framework, i18n, settings, resources
LEGEND = (
    "Each layer may import only the layers below it (docs/architecture.md). The number on an"
    " arrow counts the (importing module, imported module) pairs.",
    "An arrow has the colour of the layer it leaves. Solid: imported as the module loads;"
    " dashed: only inside functions; dotted: only for the type checker.",
    "Red: an import up the layers or sideways, which the layers forbid"
    " (tests/test_architecture_drawing.py fails on it).",
)


@dataclass
class _Route:
    arrow: Arrow
    top: int  # the rows it joins
    bottom: int
    wrong: bool
    side: str = ""  # "L" or "R" for a lane beside the column, "" when drawn straight
    lane: int = 0
    start: tuple[float, float] = (0.0, 0.0)
    end: tuple[float, float] = (0.0, 0.0)


def _place(rows: list[tuple[str, ...]]) -> dict[str, str]:
    """Where each box stands in its row: "L"eft, "R"ight, or "C" (alone, or in the middle)."""
    place = {}
    for row in rows:
        for index, name in enumerate(row):
            place[name] = (
                "C" if len(row) == 1 or 0 < index < len(row) - 1 else "L" if index == 0 else "R"
            )
    return place


def _rows(house: House) -> list[tuple[str, ...]]:
    """The boxes of each row from left to right: the order with the fewest arrows between a
    box on the left and one on the right (they would cross the column); else as written."""

    def across(rows: tuple[tuple[str, ...], ...]) -> int:
        place = _place(list(rows))
        return sum({place[a.source], place[a.target]} == {"L", "R"} for a in house.arrows)

    orders = itertools.product(*(itertools.permutations(layer) for layer in house.layers))
    return list(min(orders, key=across))


def _routes(house: House, place: dict[str, str]) -> list[_Route]:
    """An arrow between neighbouring rows goes straight down; any other along a lane on the
    side of its boxes (the side with fewer rows of lanes so far when both are free). Lanes
    are numbered from the column outwards, the short arrows nearest; two arrows share a lane
    only if their rows do not meet."""
    wrong = house.wrong_way()
    routes = []
    for arrow in house.arrows:
        rows = house.row(arrow.source), house.row(arrow.target)
        routes.append(_Route(arrow, min(rows), max(rows), arrow in wrong))
    load = {"L": 0, "R": 0}
    for route in sorted(routes, key=lambda r: r.top - r.bottom):
        if (route.bottom - route.top == 1 and not route.wrong) or route.top == route.bottom:
            continue
        forced = {place[route.arrow.source], place[route.arrow.target]} - {"C"}
        route.side = forced.pop() if len(forced) == 1 else min("LR", key=load.__getitem__)
        load[route.side] += route.bottom - route.top
    for side in "LR":
        lanes: list[list[_Route]] = []
        for route in sorted(
            (r for r in routes if r.side == side), key=lambda r: (r.bottom - r.top, r.top)
        ):
            route.lane = next(
                (
                    index
                    for index, lane in enumerate(lanes)
                    if all(route.bottom < o.top or route.top > o.bottom for o in lane)
                ),
                len(lanes),
            )
            if route.lane == len(lanes):
                lanes.append([])
            lanes[route.lane].append(route)
    return routes


def svg(house: House) -> str:
    rows = _rows(house)
    place = _place(rows)
    routes = _routes(house, place)
    colour = {
        name: PALETTE[index % len(PALETTE)]
        for index, name in enumerate(name for row in rows for name in row)
    }
    lanes = {side: 1 + max((r.lane for r in routes if r.side == side), default=-1) for side in "LR"}
    row_width = max(len(row) for row in rows) * (BOX_W + BOX_GAP_X) - BOX_GAP_X
    column_x = MARGIN + lanes["L"] * LANE + SPACE
    width = max(column_x + row_width + SPACE + lanes["R"] * LANE + MARGIN, 1000)
    centre = column_x + row_width / 2

    def lane_x(route: _Route) -> float:
        if route.side == "L":
            return column_x - SPACE - route.lane * LANE - LANE / 2
        return column_x + row_width + SPACE + route.lane * LANE + LANE / 2

    # The ends of the lanes' arrows on each side of a box: arrivals from above on top, then
    # departures downwards; the outer the lane, the lower an arrival and the higher a
    # departure, so that the arrows of one box do not cross each other.
    ends: dict[tuple[str, str], list[tuple[tuple[int, int], _Route, bool]]] = defaultdict(list)
    for route in routes:
        if route.side:
            down = house.row(route.arrow.source) < house.row(route.arrow.target)
            leaving, arriving = ((1, -route.lane), (0, route.lane))
            if not down:
                leaving, arriving = arriving, leaving
            ends[route.arrow.source, route.side].append((leaving, route, True))
            ends[route.arrow.target, route.side].append((arriving, route, False))
    height_of = {
        name: max(56, 30 + PORT * max(len(ends[name, "L"]), len(ends[name, "R"])))
        for row in rows
        for name in row
    }
    boxes: dict[str, tuple[float, float, float]] = {}  # x, y, height
    y = float(MARGIN + TOP)
    for row in rows:
        h = max(height_of[name] for name in row)
        x = centre - (len(row) * (BOX_W + BOX_GAP_X) - BOX_GAP_X) / 2
        for name in row:
            boxes[name] = (x, y, h)
            x += BOX_W + BOX_GAP_X
        y += h + ROW_GAP
    height = y - ROW_GAP + MARGIN
    for (name, side), items in ends.items():
        x, y, h = boxes[name]
        items.sort(key=lambda item: item[0])
        first = y + h / 2 - PORT * (len(items) - 1) / 2
        edge = x if side == "L" else x + BOX_W
        for index, (_, route, leaving) in enumerate(items):
            if leaving:
                route.start = (edge, first + index * PORT)
            else:
                route.end = (edge, first + index * PORT)

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width:.0f}" height="{height:.0f}" '
        f'viewBox="0 0 {width:.0f} {height:.0f}" font-family="{FONT}">',
        "<title>digcomp_app: the layers and the imports between them</title>",
        "<desc>Drawn from the code by tools/draw_architecture.py; checked by "
        "tests/test_architecture_drawing.py.</desc>",
        "<defs>",
    ]
    for name in sorted({colour[r.arrow.source] for r in routes} | {WRONG}):
        out.append(
            f'<marker id="head{name[1:]}" viewBox="0 0 10 10" refX="9" refY="5" '
            'markerWidth="7" markerHeight="7" orient="auto">'
            f'<path d="M0,0 L10,5 L0,10 z" fill="{name}"/></marker>'
        )
    out += [
        "</defs>",
        f'<rect width="{width:.0f}" height="{height:.0f}" fill="#ffffff"/>',
        f'<text x="{MARGIN}" y="{MARGIN + 18}" font-size="19" font-weight="bold" '
        'fill="#263238">digcomp_app: the layers, top to bottom, and the imports between them'
        "</text>",
    ]
    out += [
        f'<text x="{MARGIN}" y="{MARGIN + 44 + 17 * index}" font-size="12.5" '
        f'fill="#455a64">{escape(line)}</text>'
        for index, line in enumerate(LEGEND)
    ]
    dash = {"eager": "", "lazy": ' stroke-dasharray="7 4"', "typing": ' stroke-dasharray="2 3"'}
    labels: list[str] = []
    # The lanes' horizontal strokes, and the labels placed so far: a label keeps clear of both.
    strokes = [
        (y, *sorted((x, lane_x(route))))
        for route in routes
        if route.side
        for x, y in (route.start, route.end)
    ]
    placed: list[tuple[float, float, float]] = []  # centre x, centre y, width

    def clear(x: float, y: float, w: float) -> bool:
        return all(
            abs(sy - y) > 11 or right < x - w / 2 or left > x + w / 2 for sy, left, right in strokes
        ) and all(abs(py - y) > 18 or abs(px - x) > (pw + w) / 2 + 2 for px, py, pw in placed)

    for route in routes:
        arrow = route.arrow
        text = str(arrow.count)  # lazy and typing imports: in the arrow's tooltip and the text
        w = 7.2 * len(text) + 8
        ink = WRONG if route.wrong else colour[arrow.source]
        if route.side:
            x = lane_x(route)
            (x0, y0), (x1, y1) = route.start, route.end
            bend = 8.0
            way = 1 if y1 > y0 else -1
            out_x = -bend if route.side == "L" else bend  # towards the lane
            path = (
                f"M{x0:.1f},{y0:.1f} H{x - out_x:.1f} "
                f"Q{x:.1f},{y0:.1f} {x:.1f},{y0 + way * bend:.1f} "
                f"V{y1 - way * bend:.1f} Q{x:.1f},{y1:.1f} {x - out_x:.1f},{y1:.1f} "
                f"H{x1 + out_x / 4:.1f}"
            )
            middle, reach = (y0 + y1) / 2, abs(y1 - y0) / 2 - 16
            steps = (step for k in range(int(reach / 3) + 1) for step in (3 * k, -3 * k))
            label = (x, next((middle + d for d in steps if clear(x, middle + d, w)), middle))
        else:
            (sx, sy, sh), (tx, ty, _) = boxes[arrow.source], boxes[arrow.target]
            if sy < ty:  # down to the next row
                scx, tcx = sx + BOX_W / 2, tx + BOX_W / 2
                x0, x1 = scx + (tcx - scx) / 4, tcx - (tcx - scx) / 4
                y0, y1 = sy + sh, ty - 2
            else:  # sideways, within a row
                x0, x1 = (sx + BOX_W, tx - 2) if sx < tx else (sx, tx + BOX_W + 2)
                y0 = y1 = sy + sh / 2
            path = f"M{x0:.1f},{y0:.1f} L{x1:.1f},{y1:.1f}"
            label = ((x0 + x1) / 2, (y0 + y1) / 2)
        out.append(
            f'<path d="{path}" stroke="{ink}" stroke-width="{2.8 if route.wrong else 1.5}" '
            f'fill="none"{dash[arrow.style]} marker-end="url(#head{ink[1:]})">'
            f"<title>{escape(arrow.source)} → {escape(arrow.target)}: {escape(arrow.label())}"
            "</title></path>"
        )
        placed.append((*label, w))
        labels.append(
            f'<rect x="{label[0] - w / 2:.1f}" y="{label[1] - 8:.1f}" width="{w:.1f}" '
            f'height="16" rx="3" fill="#ffffff" stroke="{ink}" stroke-width="0.8"/>'
            f'<text x="{label[0]:.1f}" y="{label[1] + 4:.1f}" font-size="11.5" '
            f'font-weight="bold" text-anchor="middle" fill="{ink}">{escape(text)}</text>'
        )
    wrong_boxes = {name for r in routes if r.wrong for name in (r.arrow.source, r.arrow.target)}
    for name, (x, y, h) in boxes.items():
        edge = WRONG if name in wrong_boxes else colour[name]
        out += [
            f'<rect x="{x:.1f}" y="{y:.1f}" width="{BOX_W}" height="{h:.1f}" rx="6" '
            f'fill="{FILLS.get(name, LOW)}" stroke="{edge}" stroke-width="1.6"/>',
            f'<text x="{x + BOX_W / 2:.1f}" y="{y + h / 2 - 1:.1f}" font-size="15" '
            f'font-weight="bold" text-anchor="middle" fill="#263238">{escape(name)}</text>',
            f'<text x="{x + BOX_W / 2:.1f}" y="{y + h / 2 + 15:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#546e7a">{escape(house.places[name])}</text>',
        ]
    out += [*labels, "</svg>"]
    return "\n".join(out) + "\n"


# --- The command ---------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing: exit 1 when the drawing is out of date or an arrow points up",
    )
    options = parser.parse_args(argv)
    architecture = ARCHITECTURE.read_text(encoding="utf-8")
    house = build(PACKAGE, architecture)
    picture, text = svg(house), with_graph(architecture, house)
    stale = [
        path.relative_to(ROOT).as_posix()
        for path, wanted in ((DRAWING, picture), (ARCHITECTURE, text))
        if not path.exists() or path.read_text(encoding="utf-8") != wanted
    ]
    wrong = problems(house)
    for problem in wrong:
        print(f"wrong way: {problem}", file=sys.stderr)
    if options.check:
        for path in stale:
            print(f"out of date: {path} (run tools/draw_architecture.py)", file=sys.stderr)
        return 1 if stale or wrong else 0
    DRAWING.write_text(picture, encoding="utf-8")
    ARCHITECTURE.write_text(text, encoding="utf-8")
    print(f"{len(house.arrows)} arrows between {sum(map(len, house.layers))} layers")
    return 1 if wrong else 0


if __name__ == "__main__":
    sys.exit(main())
