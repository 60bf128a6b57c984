"""A mobility's texts in each language: as stored, as shown (with a fallback to another
language), and checked before they are saved."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping

from digcomp_app.i18n import SOURCE_LANGUAGE, _
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.mobilities.model import (
    LANGUAGE_NAMES,
    SCHOOL_LANGUAGE,
    TEXT_FIELDS,
    TEXT_LANGUAGES,
    TEXT_LIMITS,
    TEXT_NAMES,
    MobilityDraft,
    MobilityInfo,
)
from digcomp_app.storage.models import Mobility


def _blank() -> dict[str, dict[str, str]]:
    return {language: dict.fromkeys(TEXT_FIELDS, "") for language in TEXT_LANGUAGES}


def _complete(texts: Mapping[str, Mapping[str, object]] | None) -> dict[str, dict[str, str]]:
    """Every language and field, with what ``texts`` has for them (as found, not stripped)."""
    full = _blank()
    for language, values in (texts or {}).items():
        if language in full and isinstance(values, Mapping):
            for name in TEXT_FIELDS:
                value = values.get(name)
                full[language][name] = value if isinstance(value, str) else ""
    return full


def stored_texts(mobility: Mobility) -> dict[str, dict[str, str]]:
    """A mobility's texts in every language; a mobility saved before texts were kept per
    language (``texts`` empty) has its title and objective as the Latvian ones."""
    if mobility.texts:
        return _complete(mobility.texts)
    return _complete(
        {SCHOOL_LANGUAGE: {"title": mobility.title or "", "objective": mobility.objective or ""}}
    )


def mobility_text(
    info_or_texts: MobilityInfo | MobilityDraft | Mapping[str, Mapping[str, str]],
    name: str,
    language: str,
) -> tuple[str, bool]:
    """The text ``name`` ("title", "objective"...) in ``language``, or, when it is empty
    there, in the first other language that has it; and whether it is that fallback.
    ("", False) when no language has it."""
    if isinstance(info_or_texts, MobilityDraft):
        texts: Mapping[str, Mapping[str, str]] = _draft_texts(info_or_texts)
    elif isinstance(info_or_texts, MobilityInfo):
        texts = info_or_texts.texts
    else:
        texts = info_or_texts
    wanted = ((texts.get(language) or {}).get(name) or "").strip()
    if wanted:
        return wanted, False
    for other in dict.fromkeys((SOURCE_LANGUAGE, *TEXT_LANGUAGES, *sorted(texts))):
        if other == language:
            continue
        text = ((texts.get(other) or {}).get(name) or "").strip()
        if text:
            return text, True
    return "", False


def _draft_texts(draft: MobilityDraft) -> dict[str, dict[str, str]]:
    """The draft's texts, as given (``texts``, or ``title``/``objective`` in Latvian)."""
    if any(any(values.values()) for values in draft.texts.values()):
        return {language: dict(values) for language, values in draft.texts.items()}
    return {SCHOOL_LANGUAGE: {"title": draft.title, "objective": draft.objective}}


def primary_text(texts: Mapping[str, Mapping[str, str]], name: str) -> str:
    """What the ``name`` column holds: the school language's text, else the first given."""
    for language in (SCHOOL_LANGUAGE, *TEXT_LANGUAGES):
        text = texts.get(language, {}).get(name, "")
        if text:
            return text
    return ""


def clean_texts(draft: MobilityDraft) -> dict[str, dict[str, str]]:
    """The draft's texts, stripped and checked: known languages and fields, not too long,
    no control characters. Raises InvalidInput naming the field and the language."""
    given = _draft_texts(draft)
    for language, values in given.items():
        if language not in TEXT_LANGUAGES:
            raise InvalidInput(
                "texts",
                _("Mobility texts are written in one of {languages}, not: {given}").format(
                    languages=", ".join(TEXT_LANGUAGES), given=language
                ),
            )
        unknown = sorted(set(values) - set(TEXT_FIELDS))
        if unknown:
            raise InvalidInput(
                "texts",
                _("A mobility has no text called {name}.").format(name=", ".join(unknown)),
            )
    cleaned = _blank()
    for language, values in given.items():
        for name, value in values.items():
            raw = (value or "").replace("\r\n", "\n").replace("\r", "\n")
            text = raw.strip(" \n\t")
            where = f"texts.{language}.{name}"
            words = {"field": _(TEXT_NAMES[name]), "language": _(LANGUAGE_NAMES[language])}
            allowed = "" if name == "title" else "\n\t"
            if any(unicodedata.category(c) == "Cc" and c not in allowed for c in text):
                raise InvalidInput(
                    where,
                    _(
                        "{field} ({language}) contains a control character (one that "
                        "cannot be printed, such as NUL); remove it."
                    ).format(**words),
                )
            limit = TEXT_LIMITS[name]
            if len(text) > limit:
                raise InvalidInput(
                    where,
                    _(
                        "{field} ({language}) is too long: at most {limit} characters, now {count}."
                    ).format(limit=limit, count=len(text), **words),
                )
            cleaned[language][name] = text
    return cleaned


def merged_texts(
    mobility: Mobility | None, draft: MobilityDraft, cleaned: dict[str, dict[str, str]]
) -> dict[str, dict[str, str]]:
    """What is saved: ``cleaned``, or, for a draft without ``texts`` updating a mobility,
    its texts with the Latvian title and objective of the draft."""
    if mobility is None or any(any(v.values()) for v in draft.texts.values()):
        return cleaned
    kept = stored_texts(mobility)
    kept[SCHOOL_LANGUAGE].update(
        title=cleaned[SCHOOL_LANGUAGE]["title"], objective=cleaned[SCHOOL_LANGUAGE]["objective"]
    )
    return kept
