"""Small helpers shared by the certification screen's modules."""

from __future__ import annotations

import datetime as dt

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.i18n import _, current_language, format_date, format_datetime


def plain(text: str) -> str:
    """A label's text without its mnemonic marker or trailing colon (for accessible names)."""
    return text.replace("&&", "\0").replace("&", "").replace("\0", "&").rstrip(":…").strip()


def local(value: dt.datetime) -> dt.datetime:
    """A stored moment in the computer's time zone (stored moments without one are UTC)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


def show_date(value: dt.datetime | None) -> str:
    return format_date(local(value).date()) if value is not None else ""


def show_short_date(value: dt.datetime | None) -> str:
    """A date in few characters ("04.12.26"), for a narrow column."""
    return format_date(local(value).date(), "short") if value is not None else ""


def show_moment(value: dt.datetime | None) -> str:
    return format_datetime(local(value), "short") if value is not None else ""


def competence_title(
    library: FrameworkLibrary, framework_id: str, version: str, competence_id: str
) -> str:
    """ "1.1 Browsing, searching..." in the current language (just the id if unknown)."""
    framework = library.find(framework_id, version)
    if framework is None:
        return competence_id
    try:
        competence = framework.competence(competence_id)
    except KeyError:
        return competence_id
    return _("{id} {title}").format(
        id=competence_id, title=competence.title.get(current_language())
    )
