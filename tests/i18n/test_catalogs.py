"""Every message the program can show has a translation in every configured language, with the
same placeholders and at most one keyboard mnemonic, and every language has a catalog."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from digcomp_app.i18n import SOURCE_LANGUAGE, UI_LANGUAGES
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


#: every translated interface language (English is the source)
TRANSLATED = [code for code in UI_LANGUAGES if code != SOURCE_LANGUAGE]


def read_catalog(language: str):
    with (ROOT / "translations" / language / "LC_MESSAGES" / "messages.po").open("rb") as handle:
        return read_po(handle, locale=language)


@pytest.fixture(scope="module", params=TRANSLATED)
def catalog(request):
    return read_catalog(request.param)


def mnemonics(text: str) -> int:
    """How many keyboard mnemonics (a single '&' before a character) the text has."""
    return len(re.findall(r"(?<!&)&(?!&)\S", text.replace("&&", "")))


def test_every_configured_language_has_a_catalog():
    assert {"lv", "nl"} <= set(TRANSLATED)
    found = {p.parent.parent.name for p in (ROOT / "translations").glob("*/LC_MESSAGES/*.po")}
    assert set(TRANSLATED) <= found, "a language is configured but has no catalog"
    assert found <= set(TRANSLATED), "a catalog exists for a language that is not configured"


def test_there_are_messages_to_check(extracted):
    assert len(extracted) > 50
    assert "usage: " in extracted  # argparse's own words are part of the catalog


def test_every_message_is_translated(extracted, catalog):
    missing = []
    for msgid, forms in extracted.items():
        entry = catalog.get(msgid)
        if entry is None or entry.fuzzy:
            missing.append(msgid)
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        if not all(strings):
            missing.append(msgid)
        if len(forms) > 1 and len(strings) != catalog.num_plurals:
            missing.append(msgid)
    assert missing == [], f"{catalog.locale}: run pybabel update and translate: " + "; ".join(
        missing
    )


def test_placeholders_match_english(extracted, catalog):
    wrong = []
    for msgid, forms in extracted.items():
        entry = catalog.get(msgid)
        if entry is None:
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        expected = placeholders(forms[-1] if len(forms) > 1 else forms[0])
        for string in strings:
            if string and placeholders(string) != expected:
                wrong.append(f"{msgid!r} -> {string!r}")
    assert wrong == [], catalog.locale


def test_no_translation_has_two_mnemonics(extracted, catalog):
    """A label claims at most one Alt+letter (a translation may move, drop or add it to
    avoid a clash in its own language: tests/ui/test_mnemonics.py checks the windows)."""
    wrong = []
    for msgid in extracted:
        entry = catalog.get(msgid)
        if entry is None:
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        wrong.extend(f"{msgid!r} -> {string!r}" for string in strings if mnemonics(string) > 1)
    assert wrong == [], catalog.locale


def test_translations_are_not_english_copies(extracted, catalog):
    """A catalog filled with the English text would pass the checks above: at most a few
    messages (codes, names, "Status") may read the same in translation."""
    same = [
        msgid
        for msgid in extracted
        if (entry := catalog.get(msgid)) is not None
        and entry.string == msgid
        and re.search(r"[A-Za-z]{4}", PLACEHOLDER.sub("", msgid))
    ]
    assert len(same) < len(extracted) // 50, f"{catalog.locale}: {len(same)} copies: {same[:20]}"


def test_catalog_has_no_stale_entries(extracted, catalog):
    stale = [
        m.id
        for m in catalog
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
    assert placeholders("{path}: {count} problems") != placeholders("{path}: problemen")
    assert mnemonics("&Save") == mnemonics("Op&slaan && sluiten") == 1
    assert mnemonics("&Opslaan en &sluiten") == 2 and mnemonics("Opslaan") == 0
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
