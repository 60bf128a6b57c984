"""Every message the program can show has a Latvian translation with the same placeholders."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from tests.conftest import ROOT

PLACEHOLDER = re.compile(r"%\(\w+\)[sdrfi]|%[sdrfi]|\{\w*\}")
METHOD_MAP = [("digcomp_app/**.py", "python")]
KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2), "pgettext": ((1, "c"), 2)}


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@pytest.fixture(scope="module")
def extracted() -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for _file, _line, message, _comments, _context in extract_from_dir(
        ROOT, METHOD_MAP, keywords=KEYWORDS
    ):
        forms = message if isinstance(message, tuple) else (message,)
        found[forms[0]] = forms
    return found


@pytest.fixture(scope="module")
def latvian():
    with (ROOT / "translations" / "lv" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale="lv")


def test_there_are_messages_to_check(extracted):
    assert len(extracted) > 50
    assert "usage: " in extracted  # argparse's own words are part of the catalog


def test_every_message_has_a_latvian_translation(extracted, latvian):
    missing = []
    for msgid, forms in extracted.items():
        entry = latvian.get(msgid)
        if entry is None or entry.fuzzy:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            missing.append(msgid)
        if len(forms) > 1 and len(strings) != latvian.num_plurals:
            missing.append(msgid)
    assert missing == [], "run pybabel update and translate: " + "; ".join(missing)


def test_latvian_placeholders_match_english(extracted, latvian):
    wrong = []
    for msgid, forms in extracted.items():
        entry = latvian.get(msgid)
        if entry is None:
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = placeholders(forms[-1] if len(forms) > 1 else forms[0])
        for string in strings:
            if string and placeholders(string) != expected:
                wrong.append(f"{msgid!r} -> {string!r}")
    assert wrong == []


def test_catalog_has_no_stale_entries(extracted, latvian):
    stale = [
        m.id
        for m in latvian
        if m.id and (m.id[0] if isinstance(m.id, tuple) else m.id) not in extracted
    ]
    assert stale == [], "messages no longer in the code; run pybabel update"


def test_catalog_template_is_current(extracted):
    with (ROOT / "translations" / "messages.pot").open("rb") as handle:
        template = read_po(handle)
    in_template = {(m.id[0] if isinstance(m.id, tuple) else m.id) for m in template if m.id}
    assert in_template == set(extracted), "run pybabel extract (see docs/translating.md)"


def test_placeholder_check_would_catch_a_mismatch():
    assert placeholders("{path}: {count} problems") != placeholders("{path}: {skaits} problēmas")
    assert placeholders("%(prog)s: error: %(message)s\n") == placeholders(
        "%(prog)s: kļūda: %(message)s\n"
    )


def test_installed_mo_catalog_is_used(tmp_path: Path, monkeypatch):
    """An installed wheel ships compiled .mo files; they are found before the .po."""
    from babel.messages.mofile import write_mo

    from digcomp_app import i18n

    with (ROOT / "translations" / "lv" / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        catalog = read_po(handle, locale="lv")
    target = tmp_path / "lv" / "LC_MESSAGES" / "messages.mo"
    target.parent.mkdir(parents=True)
    with target.open("wb") as handle:
        write_mo(handle, catalog)
    monkeypatch.setattr(i18n, "_INSTALLED_CATALOGS", tmp_path)
    monkeypatch.setattr(i18n, "_catalog_cache", {})
    assert i18n.catalog_path("lv") == target
    i18n.set_language("lv")
    assert i18n._("options") == catalog.get("options").string


def test_no_message_is_hidden_inside_an_f_string():
    """Babel cannot see ``_()`` inside an f-string; such a message would never be translated."""
    import tokenize

    hidden = []
    for path in sorted((ROOT / "digcomp_app").rglob("*.py")):
        with path.open("rb") as handle:
            for token in tokenize.tokenize(handle.readline):
                if (
                    token.type == tokenize.STRING
                    and token.string.lstrip("rbRB").startswith(("f", "F"))
                    and re.search(r"\b(_|N_|ngettext)\(", token.string)
                ):
                    hidden.append(f"{path.name}:{token.start[0]}")
    assert hidden == []
