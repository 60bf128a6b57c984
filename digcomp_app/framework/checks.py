"""Collecting validation problems while reading a framework file.

Checking runs on plain Python data for speed; only when something is wrong is the
file composed again to find the line of each offending key (see ``plainyaml.locate``).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from digcomp_app.framework import plainyaml
from digcomp_app.framework.errors import FrameworkIssue
from digcomp_app.i18n import _

KeyPath = tuple[str | int, ...]

_ID_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*\Z")


def type_name(value: Any) -> str:
    if value is None:
        return _("nothing")
    if isinstance(value, bool):
        return _("true/false")
    if isinstance(value, int | float):
        return _("a number")
    if isinstance(value, str):
        return _("text")
    if isinstance(value, list):
        return _("a list")
    if isinstance(value, dict):
        return _("a mapping")
    return type(value).__name__


class FileChecker:
    """Problems in one YAML file, with key paths to be turned into line numbers."""

    def __init__(self, path: Path, text: str = "") -> None:
        self.path = path
        self.text = text
        self._pending: list[tuple[KeyPath, str]] = []
        self._fixed: list[FrameworkIssue] = []
        #: lists that were missing or of the wrong type: references into them are not
        #: checked, so one mistake does not bury the report under its consequences
        self.broken: set[str] = set()

    def add(self, keys: KeyPath, message: str) -> None:
        self._pending.append((keys, message))

    def add_at(self, line: int, message: str) -> None:
        self._fixed.append(FrameworkIssue(self.path, line, "", message))

    def __bool__(self) -> bool:
        return bool(self._pending or self._fixed)

    def issues(self) -> list[FrameworkIssue]:
        lines = (
            plainyaml.locate(self.text, self.path, [keys for keys, _message in self._pending])
            if self._pending and self.text
            else [0] * len(self._pending)
        )
        found = [
            FrameworkIssue(self.path, line, dotted(keys), message)
            for line, (keys, message) in zip(lines, self._pending, strict=True)
        ]
        return sorted(self._fixed + found, key=lambda issue: issue.line)

    # --- typed access -------------------------------------------------------------

    def mapping(self, value: Any, keys: KeyPath) -> dict[str, Any] | None:
        if isinstance(value, dict):
            return value
        self.add(
            keys,
            _("expected a mapping (key: value lines), found {kind}").format(kind=type_name(value)),
        )
        return None

    def items(
        self, mapping: dict[str, Any], key: str, keys: KeyPath, required: bool = True
    ) -> list[Any]:
        if key not in mapping:
            if required:
                self.add(keys, _("the required key '{key}' is missing").format(key=key))
                self.broken.add(key)
            return []
        value = mapping[key]
        if isinstance(value, list):
            return value
        self.broken.add(key)
        self.add((*keys, key), _("expected a list, found {kind}").format(kind=type_name(value)))
        return []

    def string(
        self, mapping: dict[str, Any], key: str, keys: KeyPath, required: bool = True
    ) -> str | None:
        if key not in mapping:
            if required:
                self.add(keys, _("the required key '{key}' is missing").format(key=key))
            return None
        value = mapping[key]
        if isinstance(value, str) and value.strip():
            return value
        if isinstance(value, str):
            self.add((*keys, key), _("must not be empty"))
        elif isinstance(value, int | float) and not isinstance(value, bool):
            self.add(
                (*keys, key),
                _('expected text, found a number; put it in quotes: "{value}"').format(value=value),
            )
        else:
            self.add((*keys, key), _("expected text, found {kind}").format(kind=type_name(value)))
        return None

    def identifier(self, mapping: dict[str, Any], key: str, keys: KeyPath) -> str | None:
        value = self.string(mapping, key, keys)
        if value is not None and not _ID_RE.match(value):
            self.add(
                (*keys, key),
                _(
                    "'{value}' is not a valid identifier (letters, digits, '.', '_' and '-' only)"
                ).format(value=value),
            )
            return None
        return value

    def integer(
        self, mapping: dict[str, Any], key: str, keys: KeyPath, required: bool = True
    ) -> int | None:
        if key not in mapping:
            if required:
                self.add(keys, _("the required key '{key}' is missing").format(key=key))
            return None
        value = mapping[key]
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        self.add(
            (*keys, key), _("expected a whole number, found {kind}").format(kind=type_name(value))
        )
        return None

    def known_keys(self, mapping: dict[str, Any], allowed: frozenset[str], keys: KeyPath) -> None:
        for key in mapping:
            if key not in allowed:
                self.add(
                    (*keys, key),
                    _("unknown key '{key}' (expected one of: {allowed})").format(
                        key=key, allowed=", ".join(sorted(allowed))
                    ),
                )

    def choice(
        self,
        mapping: dict[str, Any],
        key: str,
        choices: dict[str, Any],
        keys: KeyPath,
        required: bool = True,
    ) -> Any:
        value = self.string(mapping, key, keys, required)
        if value is None:
            return None
        if value not in choices:
            self.add(
                (*keys, key),
                _("'{value}' is not allowed here (expected one of: {allowed})").format(
                    value=value, allowed=", ".join(choices)
                ),
            )
            return None
        return choices[value]


def dotted(keys: KeyPath) -> str:
    out = ""
    for key in keys:
        if isinstance(key, int):
            out += f"[{key}]"
        else:
            out += f".{key}" if out else str(key)
    return out
