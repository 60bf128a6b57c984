"""Choosing the language, and dates and numbers written the way each language writes them."""

from __future__ import annotations

import datetime as dt

import pytest

from digcomp_app import i18n
from digcomp_app.i18n import (
    _,
    format_date,
    format_number,
    language_name,
    ngettext,
    set_language,
    system_language,
)


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "lv_LV.UTF-8"}, "lv"),
        ({"LANGUAGE": "de:lv", "LANG": "de_DE.UTF-8"}, "lv"),
        ({"LC_ALL": "en_GB.UTF-8", "LANG": "lv_LV.UTF-8"}, "en"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_MESSAGES": "lv_LV"}, "lv"),
    ],
)
def test_system_language(environ, expected):
    assert system_language(environ) == expected


def test_unknown_language_falls_back_to_english():
    assert set_language("xx") == "en"
    assert _("options") == "options"


def test_switching_language_translates_at_once_and_tells_listeners():
    heard = []
    i18n.add_language_listener(heard.append)
    try:
        set_language("lv")
        assert _("options") == "opcijas"
        set_language("en")
        assert _("options") == "options"
    finally:
        i18n.remove_language_listener(heard.append)
    assert heard == ["lv", "en"]


def test_latvian_plural_forms():
    set_language("lv")
    forms = [
        ngettext("{path}: {count} problem found", "{path}: {count} problems found", n).format(
            path="x", count=n
        )
        for n in (1, 2, 11, 21, 0)
    ]
    assert forms == [
        "x: atrasta 1 problēma",
        "x: atrastas 2 problēmas",
        "x: atrastas 11 problēmas",
        "x: atrasta 21 problēma",
        "x: atrastas 0 problēmas",
    ]


def test_dates_and_numbers_follow_the_language():
    day = dt.date(2026, 11, 21)
    assert format_date(day, "long", "lv") == "2026. gada 21. novembris"
    assert format_date(day, "long", "en") == "21 November 2026"
    assert format_date(day, "medium", "en") == "21 Nov 2026"
    assert format_date(day, "short", "en") == "21/11/2026"
    assert format_number(1234.5, "lv") == "1\xa0234,5"
    assert format_number(1234.5, "en") == "1,234.5"
    set_language("lv")
    assert format_date(day, "short") == "21.11.26"


def test_language_names_are_written_in_their_own_language():
    assert language_name("lv") == "Latviešu"
    assert language_name("en") == "English"
