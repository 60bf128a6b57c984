"""Translations and locale-aware formatting, shared by every layer.

Use ``_("text")`` for a message shown now, ``N_("text")`` to mark a message that is
translated later (module-level constants), and ``ngettext(singular, plural, n)`` for
counts. Nothing here imports Qt: the GUI listens for language changes through
:func:`add_language_listener`.

Catalogs are looked up in two places, in this order:

1. ``digcomp_app/translations/<lang>/LC_MESSAGES/messages.mo`` - compiled into an
   installed wheel by ``packaging/hatch_build.py``;
2. ``translations/<lang>/LC_MESSAGES/messages.po`` of a source checkout - compiled in
   memory with Babel, so a developer never runs a stale ``.mo``.

See ``docs/decisions/0003-translation-catalogs.md``.
"""

from __future__ import annotations

import gettext as _gettext
import io
import os
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # (datetime, locale, decimal and Babel load when first needed: a faster start)
    import datetime as _dt
    from decimal import Decimal

    from babel import Locale

DOMAIN = "messages"
SOURCE_LANGUAGE = "en"
#: THE list of languages (docs/translating.md): each with its name in itself, in menu order.
#: A language here needs translations/<code>/LC_MESSAGES/messages.po and a
#: texts.<code>.yaml in every framework folder (which may declare that it falls back).
LANGUAGES: dict[str, str] = {"lv": "Latviešu", "en": "English", "nl": "Nederlands"}
#: Languages the user interface is translated into, in menu order.
UI_LANGUAGES: tuple[str, ...] = tuple(LANGUAGES)

_PACKAGE_DIR = Path(__file__).resolve().parent.parent
_INSTALLED_CATALOGS = _PACKAGE_DIR / "translations"
_SOURCE_CATALOGS = _PACKAGE_DIR.parent / "translations"

_lock = threading.Lock()
_catalog_cache: dict[str, _gettext.NullTranslations] = {}
_translations: _gettext.NullTranslations = _gettext.NullTranslations()
_language: str = SOURCE_LANGUAGE
_listeners: list[Callable[[str], None]] = []


def N_(message: str) -> str:  # noqa: N802 - the conventional gettext marker name
    """Mark ``message`` for extraction without translating it now."""
    return message


def _(message: str) -> str:
    """Translate ``message`` into the current language."""
    return _translations.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """Translate a message whose form depends on the count ``n``."""
    return _translations.ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """Translate ``message`` in a disambiguating ``context``."""
    return _translations.pgettext(context, message)


def current_language() -> str:
    return _language


def normalize_language(tag: str | None) -> str | None:
    """Reduce a locale name such as ``lv_LV.UTF-8`` or ``en-GB`` to a UI language code.

    Returns ``None`` when the tag names no language the interface is translated into.
    """
    if not tag:
        return None
    code = tag.split(".", 1)[0].split("@", 1)[0].replace("-", "_").split("_", 1)[0].lower()
    return code if code in UI_LANGUAGES else None


def system_language(environ: dict[str, str] | None = None) -> str:
    """The UI language the operating system asks for, or English.

    Follows gettext's order: ``LANGUAGE`` (a colon-separated preference list), then
    ``LC_ALL``, ``LC_MESSAGES`` and ``LANG``; then the C library's locale.
    """
    env = os.environ if environ is None else environ
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(variable)
        if not value:
            continue
        for candidate in value.split(":"):
            found = normalize_language(candidate)
            if found:
                return found
        if variable != "LANGUAGE":
            # An explicit locale that we do not translate into means English, not a guess.
            return SOURCE_LANGUAGE
    if environ is None:
        import locale

        try:
            found = normalize_language(locale.getlocale(locale.LC_MESSAGES)[0])
        except (AttributeError, ValueError):  # LC_MESSAGES is missing on Windows
            found = normalize_language(locale.getlocale()[0])
        if found:
            return found
    return SOURCE_LANGUAGE


def catalog_path(language: str) -> Path | None:
    """Where the catalog for ``language`` comes from (``.mo`` first, then ``.po``)."""
    compiled = _INSTALLED_CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    if compiled.is_file():
        return compiled
    source = _SOURCE_CATALOGS / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if source.is_file():
        return source
    return None


def _load_catalog(language: str) -> _gettext.NullTranslations:
    if language == SOURCE_LANGUAGE:
        return _gettext.NullTranslations()
    path = catalog_path(language)
    if path is None:
        return _gettext.NullTranslations()
    if path.suffix == ".mo":
        with path.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
    # Source checkout: compile the .po (never stale); keep the result, keyed by the .po's
    # size and time, so later starts skip the compilation: in a __pycache__ folder beside
    # the .po as Python keeps compiled modules (no need to look up the user's cache folder
    # at start-up), or else in the user's cache.
    stat = path.stat()
    name = f"{language}-{stat.st_size}-{stat.st_mtime_ns}.mo"
    compiled: bytes | None = None
    missed: list[Path] = []
    for folder in _cache_dirs(path):
        try:
            compiled = (folder / name).read_bytes()
            break
        except OSError:
            missed.append(folder)
    if compiled is None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        with path.open("rb") as handle:
            catalog = read_po(handle, locale=language, domain=DOMAIN)
        buffer = io.BytesIO()
        write_mo(buffer, catalog, use_fuzzy=False)
        compiled = buffer.getvalue()
    for folder in missed:  # keep it in the first place that takes it
        if _keep(folder, name, compiled):
            break
    return _gettext.GNUTranslations(io.BytesIO(compiled))


def _keep(folder: Path, name: str, compiled: bytes) -> bool:
    """Store a compiled catalog as ``folder/name``, in place of older ones; False on failure."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        temporary = folder / f"{name}.{os.getpid()}.tmp"
        temporary.write_bytes(compiled)
        temporary.replace(folder / name)
        language = name.split("-", 1)[0]
        for old in folder.glob(f"{language}-*.mo"):  # made from earlier versions of the .po
            if old.name != name:
                old.unlink(missing_ok=True)
    except OSError:
        return False
    return True


def _cache_dirs(source: Path) -> Iterator[Path]:
    """Where a compiled copy of the catalog ``source`` is kept, in order of preference."""
    yield source.parent / "__pycache__"
    import platformdirs

    yield Path(platformdirs.user_cache_dir("digcomp-app", appauthor=False)) / "catalogs"


def set_language(language: str | None) -> str:
    """Switch every later ``_()`` call to ``language``; returns the language in force.

    Unknown languages fall back to English. Listeners (the GUI) are told of the change.
    """
    global _translations, _language
    chosen = normalize_language(language) or SOURCE_LANGUAGE
    with _lock:
        if chosen not in _catalog_cache:
            _catalog_cache[chosen] = _load_catalog(chosen)
        _translations = _catalog_cache[chosen]
        changed = chosen != _language
        _language = chosen
    if changed:
        for listener in list(_listeners):
            listener(chosen)
    return chosen


def translations_for(language: str) -> _gettext.NullTranslations:
    """The catalog of one language, without changing the language in force.

    Documents printed in Latvian and English side by side use this; its ``gettext``,
    ``ngettext`` and ``pgettext`` behave like :func:`_` and friends for that language.
    """
    chosen = normalize_language(language) or SOURCE_LANGUAGE
    with _lock:
        if chosen not in _catalog_cache:
            _catalog_cache[chosen] = _load_catalog(chosen)
        return _catalog_cache[chosen]


def add_language_listener(listener: Callable[[str], None]) -> None:
    _listeners.append(listener)


def remove_language_listener(listener: Callable[[str], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


#: Names of the interface languages in themselves (the language menu), without Babel's
#: locale data, which takes tens of milliseconds to load at start-up.
_OWN_NAMES = LANGUAGES


def language_name(language: str, in_language: str | None = None) -> str:
    """The name of ``language`` written in ``in_language`` (default: the language itself)."""
    if in_language in (None, language) and language in _OWN_NAMES:
        return _OWN_NAMES[language]
    from babel import Locale

    name = Locale.parse(language).get_display_name(Locale.parse(in_language or language))
    return name[:1].upper() + name[1:] if name else language


def _babel_locale(language: str | None) -> Locale:
    # Babel is imported when first needed: its locale data slows the window's start.
    from babel import Locale

    # English is written the British way, day before month ("4 Dec 2026", "04/12/2026"), as
    # the rest of Europe reads dates and as the printed documents write them.
    language = language or _language
    return Locale.parse("en_GB" if language == "en" else language)


def format_date(value: _dt.date, format: str = "medium", language: str | None = None) -> str:
    """A date as people write it in the current (or given) language."""
    from babel import dates

    return dates.format_date(value, format=format, locale=_babel_locale(language))


def format_datetime(
    value: _dt.datetime, format: str = "medium", language: str | None = None
) -> str:
    from babel import dates

    return dates.format_datetime(value, format=format, locale=_babel_locale(language))


def format_number(value: float | Decimal, language: str | None = None) -> str:
    from babel import numbers

    return numbers.format_decimal(value, locale=_babel_locale(language))


def format_percent(value: float, language: str | None = None) -> str:
    from babel import numbers

    return numbers.format_percent(value, locale=_babel_locale(language))


def format_list(items: Iterable[str], language: str | None = None) -> str:
    from babel.lists import format_list as _format_list

    return _format_list(list(items), locale=_babel_locale(language))


__all__ = [
    "LANGUAGES",
    "N_",
    "SOURCE_LANGUAGE",
    "UI_LANGUAGES",
    "_",
    "add_language_listener",
    "current_language",
    "format_date",
    "format_datetime",
    "format_list",
    "format_number",
    "format_percent",
    "language_name",
    "ngettext",
    "normalize_language",
    "pgettext",
    "remove_language_listener",
    "set_language",
    "system_language",
]
