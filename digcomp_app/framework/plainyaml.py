"""A strict reader for plain YAML data files.

Framework files come from outside the program (a school may load its own), so the
reader accepts only plain data: mappings, sequences and scalars. It refuses

* any explicit tag (``!!python/object``, ``!!binary``, ``!custom`` ...),
* anchors reused as aliases (``*name``) - this also disarms "billion laughs" bombs,
* duplicate keys in a mapping (YAML forbids them; PyYAML would keep the last silently),
* non-scalar keys, nesting deeper than :data:`MAX_DEPTH`, and files over a size cap.

Scalars follow the YAML 1.2 core schema (``true``/``false`` only; ``yes``, ``no`` and
dates stay strings). libyaml does the parsing when it is available; the Python objects
are built here directly from its nodes, which is faster than PyYAML's own constructor.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, ScalarNode, SequenceNode

from digcomp_app.i18n import _

#: Files larger than this are refused before they are read (bytes).
MAX_FILE_SIZE = 8 * 1024 * 1024
#: The deepest nesting of mappings and sequences a data file may use.
MAX_DEPTH = 64
#: Below this structural bound a file cannot nest deep enough to hurt the parser.
_SAFE_DEPTH_BOUND = 2000

_STR, _INT, _FLOAT, _BOOL, _NULL, _SEQ, _MAP = (
    "plain:str",
    "plain:int",
    "plain:float",
    "plain:bool",
    "plain:null",
    "plain:seq",
    "plain:map",
)
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_BOOLS = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_INT_RE = re.compile(r"[-+]?[0-9]+\Z")
_FLOAT_RE = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z")
_NUMBER_START = frozenset("-+.0123456789")


@dataclass(frozen=True, slots=True)
class PlainYamlError(Exception):
    """A file that is not plain, well-formed YAML. ``line`` is 1-based (0: unknown)."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else str(self.path)
        return f"{where}: {self.message}"


class _PlainResolver:
    """Gives implicit scalars our own tags, so any node with another tag was explicit."""

    def resolve(self, kind: type, value: Any, implicit: tuple[bool, bool]) -> str:
        if kind is ScalarNode:
            if not implicit[0]:  # quoted: always a string
                return _STR
            if value in _NULLS:
                return _NULL
            if value in _BOOLS:
                return _BOOL
            if value[:1] in _NUMBER_START:
                if _INT_RE.match(value):
                    return _INT
                if _FLOAT_RE.match(value):
                    return _FLOAT
            return _STR
        if kind is SequenceNode:
            return _SEQ
        return _MAP

    # The pure-Python composer calls these; the C one does not.
    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


try:  # pragma: no branch - libyaml is present in every supported install
    from yaml._yaml import CParser as _Parser

    class _NodeLoader(_Parser, _PlainResolver):
        def __init__(self, stream: str) -> None:
            _Parser.__init__(self, stream)

except ImportError:  # pragma: no cover - PyYAML without libyaml
    from yaml.composer import Composer
    from yaml.parser import Parser
    from yaml.reader import Reader
    from yaml.scanner import Scanner

    class _NodeLoader(Reader, Scanner, Parser, Composer, _PlainResolver):  # type: ignore[no-redef]
        def __init__(self, stream: str) -> None:
            Reader.__init__(self, stream)
            Scanner.__init__(self)
            Parser.__init__(self)
            Composer.__init__(self)


def read_text(path: Path, max_size: int = MAX_FILE_SIZE) -> str:
    """Read a UTF-8 data file, refusing one over ``max_size`` bytes before reading it."""
    try:
        size = path.stat().st_size
    except OSError as error:
        raise PlainYamlError(
            path, 0, _("cannot read the file: {error}").format(error=error.strerror or error)
        ) from error
    if size > max_size:
        raise PlainYamlError(
            path,
            0,
            _("the file is {size} bytes; files over {limit} bytes are refused").format(
                size=size, limit=max_size
            ),
        )
    try:
        with path.open("r", encoding="utf-8") as handle:
            return handle.read()
    except UnicodeDecodeError as error:
        raise PlainYamlError(path, 0, _("the file is not UTF-8 text")) from error
    except OSError as error:
        raise PlainYamlError(
            path, 0, _("cannot read the file: {error}").format(error=error.strerror or error)
        ) from error


def _structural_depth_bound(text: str) -> int:
    """An upper bound on how deep ``text`` can nest, computed without parsing it."""
    longest_line = max(map(len, text.splitlines()), default=0)
    return text.count("[") + text.count("{") + longest_line


def _check_depth_exactly(text: str, path: Path) -> None:
    """Walk the event stream (iterative in libyaml) and stop at the first level too deep."""
    depth = 0
    loader = _NodeLoader(text)
    try:
        while loader.check_event():
            event = loader.get_event()
            if isinstance(event, yaml.CollectionStartEvent):
                depth += 1
                if depth > MAX_DEPTH:
                    raise PlainYamlError(
                        path,
                        event.start_mark.line + 1 if event.start_mark else 1,
                        _("the data is nested more than {limit} levels deep").format(
                            limit=MAX_DEPTH
                        ),
                    )
            elif isinstance(event, yaml.CollectionEndEvent):
                depth -= 1
    except yaml.YAMLError as error:
        # libyaml refuses very deep flow collections itself while scanning ahead, before
        # the event above reaches our limit; say so in our own words.
        line = _flow_too_deep_line(text)
        if line:
            raise PlainYamlError(
                path,
                line,
                _("the data is nested more than {limit} levels deep").format(limit=MAX_DEPTH),
            ) from error
        raise _syntax_problem(error, path) from error
    finally:
        loader.dispose()


_FLOW_TOKENS = re.compile(r"""[\[\]{}'"#\n\\]""")


def _flow_too_deep_line(text: str) -> int:
    """The 1-based line where flow brackets (outside quotes and comments) first nest deeper
    than :data:`MAX_DEPTH`, or 0. Used only to explain a file libyaml has already refused."""
    depth, line, quote, comment, previous = 0, 1, "", False, -2
    for match in _FLOW_TOKENS.finditer(text):
        token, at = match.group(), match.start()
        if token == "\n":
            line, comment = line + 1, False
        elif comment:
            continue
        elif quote:
            if token == "\\" and quote == '"':
                # the next character is escaped, unless this backslash itself is
                previous = -2 if previous == at - 1 else at
            elif token == quote and previous != at - 1:
                quote = ""
        elif token in "'\"":
            quote = token
        elif token == "#" and (at == 0 or text[at - 1] in " \t\n"):
            comment = True
        elif token in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return line
        elif token in "]}":
            depth = max(depth - 1, 0)
    return 0


def _syntax_problem(error: yaml.YAMLError, path: Path) -> PlainYamlError:
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark is not None else 0
    problem = getattr(error, "problem", None) or str(error)
    return PlainYamlError(path, line, _("not valid YAML: {problem}").format(problem=problem))


def compose(text: str, path: Path) -> Any:
    """Parse ``text`` into a YAML node tree (``None`` for an empty document)."""
    if _structural_depth_bound(text) > _SAFE_DEPTH_BOUND:
        _check_depth_exactly(text, path)
    loader = _NodeLoader(text)
    try:
        return loader.get_single_node()
    except yaml.YAMLError as error:
        raise _syntax_problem(error, path) from error
    finally:
        loader.dispose()


class _Builder:
    __slots__ = ("path", "seen")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.seen: set[int] = set()

    def problem(self, node: Any, message: str) -> PlainYamlError:
        return PlainYamlError(self.path, node.start_mark.line + 1, message)

    def build(self, node: Any, depth: int = 0) -> Any:
        key = id(node)
        if key in self.seen:
            raise self.problem(node, _("anchors and aliases (&name, *name) are not allowed"))
        self.seen.add(key)
        tag = node.tag
        if tag == _STR:
            return node.value
        if tag == _MAP:
            if depth >= MAX_DEPTH:
                raise self.problem(
                    node,
                    _("the data is nested more than {limit} levels deep").format(limit=MAX_DEPTH),
                )
            result: dict[Any, Any] = {}
            for key_node, value_node in node.value:
                if key_node.tag == "tag:yaml.org,2002:merge":
                    raise self.problem(key_node, _("merge keys (<<) are not allowed"))
                if not isinstance(key_node, ScalarNode):
                    raise self.problem(
                        key_node, _("a key must be a plain value, not a list or mapping")
                    )
                name = self.build(key_node, depth + 1)
                if name in result:
                    raise self.problem(
                        key_node,
                        _("the key '{key}' appears twice in this mapping").format(key=name),
                    )
                result[name] = self.build(value_node, depth + 1)
            return result
        if tag == _SEQ:
            if depth >= MAX_DEPTH:
                raise self.problem(
                    node,
                    _("the data is nested more than {limit} levels deep").format(limit=MAX_DEPTH),
                )
            return [self.build(item, depth + 1) for item in node.value]
        if tag == _INT:
            try:
                return int(node.value.replace("_", ""))
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                line = node.start_mark.line + 1
                raise self.problem(
                    node,
                    _("the number on line {line} is too long: at most {limit} digits").format(
                        line=line, limit=_max_digits()
                    ),
                ) from None
        if tag == _FLOAT:
            return float(node.value)
        if tag == _BOOL:
            return _BOOLS[node.value]
        if tag == _NULL:
            return None
        shown = tag.replace("tag:yaml.org,2002:", "!!", 1)
        raise self.problem(
            node, _("the tag '{tag}' is not allowed; write plain values only").format(tag=shown)
        )


def load(path: Path, max_size: int = MAX_FILE_SIZE) -> tuple[str, Any]:
    """Read and parse a plain YAML file; returns its text (for locating errors) and data."""
    text = read_text(path, max_size)
    return text, loads(text, path)


def loads(text: str, path: Path) -> Any:
    node = compose(text, path)
    if node is None:
        return None
    return _Builder(path).build(node)


def locate(text: str, path: Path, paths: list[tuple[str | int, ...]]) -> list[int]:
    """The 1-based lines of the values at each key path (or of their nearest parent)."""
    try:
        root = compose(text, path)
    except PlainYamlError:
        return [0] * len(paths)
    return [_locate_in(root, keys) for keys in paths]


def _locate_in(node: Any, keys: tuple[str | int, ...]) -> int:
    line = 1 if node is None else node.start_mark.line + 1
    for key in keys:
        if isinstance(node, MappingNode):
            for key_node, value_node in node.value:
                if isinstance(key_node, ScalarNode) and _same_key(key_node, key):
                    line = key_node.start_mark.line + 1
                    node = value_node
                    break
            else:
                return line
        elif isinstance(node, SequenceNode) and isinstance(key, int) and key < len(node.value):
            node = node.value[key]
            line = node.start_mark.line + 1
        else:
            return line
    return line


def _same_key(node: ScalarNode, key: str | int) -> bool:
    if isinstance(key, int) and node.tag == _INT:
        try:
            return int(node.value) == key
        except ValueError:  # too long to convert: no key the caller has
            return False
    value: object = node.value
    return value == key


def _max_digits() -> int:
    """The most digits Python converts to an int (0 in the interpreter: no limit)."""
    import sys

    limit = getattr(sys, "get_int_max_str_digits", lambda: 0)()
    return limit or 4300
