"""Per-language text files of a framework: ``texts.<lang>.yaml``.

Each file holds one language: ``language``, a ``status`` for the whole file
(official / reviewed / draft), an optional ``note``, and ``texts``, a flat mapping from a
text key (``competence.1.1.title``, ``statement.CS1.1.01`` ...) to the string. A value
may instead be ``{text: ..., status: ...}`` when one text's status differs from the
file's, e.g. official titles inside a draft translation.
"""

from __future__ import annotations

from pathlib import Path
from types import MappingProxyType
from typing import Any

from digcomp_app.framework import plainyaml
from digcomp_app.framework.checks import FileChecker
from digcomp_app.framework.errors import FrameworkIssue
from digcomp_app.framework.model import LanguageInfo, Text, TranslationStatus
from digcomp_app.i18n import _

#: text key -> whether every required language must provide it
TextSlots = dict[str, bool]

_FILE_KEYS = frozenset({"language", "status", "note", "texts"})
_ENTRY_KEYS = frozenset({"text", "status"})
_STATUSES = {status.value: status for status in TranslationStatus}


def texts_file(folder: Path, language: str) -> Path:
    return folder / f"texts.{language}.yaml"


def read_texts(
    folder: Path,
    languages: list[str],
    required_languages: list[str],
    source_language: str,
    slots: TextSlots,
    structure_check: FileChecker,
    check_keys: bool = True,
) -> tuple[dict[str, Text], dict[str, LanguageInfo], list[FrameworkIssue]]:
    values: dict[str, dict[str, str]] = {}
    overrides: dict[str, dict[str, TranslationStatus]] = {}
    infos: dict[str, LanguageInfo] = {}
    issues: list[FrameworkIssue] = []
    for language in languages:
        path = texts_file(folder, language)
        if not path.is_file():
            structure_check.add(
                ("languages",),
                _("the language '{language}' has no text file {file}").format(
                    language=language, file=path.name
                ),
            )
            continue
        try:
            text, data = plainyaml.load(path)
        except plainyaml.PlainYamlError as problem:
            issues.append(FrameworkIssue(problem.path, problem.line, "", problem.message))
            continue
        check = FileChecker(path, text)
        info = _read_file(
            check,
            data,
            language,
            slots,
            language in required_languages,
            values,
            overrides,
            check_keys,
        )
        if info is not None:
            infos[language] = info
        issues.extend(check.issues())
    fallback = (source_language,)
    empty: MappingProxyType[str, TranslationStatus] = MappingProxyType({})
    texts = {
        key: Text(
            key,
            MappingProxyType(by_language),
            fallback,
            MappingProxyType(overrides[key]) if key in overrides else empty,
        )
        for key, by_language in values.items()
    }
    return texts, infos, issues


def _read_file(
    check: FileChecker,
    data: Any,
    language: str,
    slots: TextSlots,
    required: bool,
    values: dict[str, dict[str, str]],
    overrides: dict[str, dict[str, TranslationStatus]],
    check_keys: bool,
) -> LanguageInfo | None:
    """Read one language's file; ``check_keys`` is off when framework.yaml itself is broken
    (its keys could not be trusted to judge the texts against)."""
    root = check.mapping(data, ())
    if root is None:
        return None
    check.known_keys(root, _FILE_KEYS, ())
    declared = check.string(root, "language", ())
    if declared is not None and declared != language:
        check.add(
            ("language",),
            _("this file is for '{language}' but says '{declared}'").format(
                language=language, declared=declared
            ),
        )
    status = check.choice(root, "status", _STATUSES, ()) or TranslationStatus.DRAFT
    note = check.string(root, "note", (), required=False) or ""
    entries = check.mapping(root.get("texts", {}), ("texts",))
    if "texts" not in root:
        check.add((), _("the required key '{key}' is missing").format(key="texts"))
    for key, value in (entries or {}).items():
        if key not in slots:
            if not check_keys:
                continue
            check.add(
                ("texts", key),
                _("unknown text key '{key}': framework.yaml defines no such item").format(key=key),
            )
            continue
        if isinstance(value, str):
            if value.strip():
                values.setdefault(key, {})[language] = value
            else:
                check.add(("texts", key), _("must not be empty"))
            continue
        entry = check.mapping(value, ("texts", key))
        if entry is None:
            continue
        check.known_keys(entry, _ENTRY_KEYS, ("texts", key))
        string = check.string(entry, "text", ("texts", key))
        own_status = check.choice(entry, "status", _STATUSES, ("texts", key), required=False)
        if string is not None:
            values.setdefault(key, {})[language] = string
            if own_status is not None and own_status != status:
                overrides.setdefault(key, {})[language] = own_status
    if required and check_keys:
        for key, needed in slots.items():
            if needed and language not in values.get(key, ()):
                check.add(
                    ("texts",),
                    _("'{key}' has no text in the required language '{language}'").format(
                        key=key, language=language
                    ),
                )
    return LanguageInfo(language, status, note)
