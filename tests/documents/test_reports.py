"""The learner's profile and the mobility summary, read back as text."""

from __future__ import annotations

import datetime as dt

import pytest

from digcomp_app.documents.mobility_summary import (
    MobilitySummaryData,
    SummaryParticipant,
    render_mobility_summary,
)
from digcomp_app.documents.profile import ProfileData, ProfileRow, render_profile
from digcomp_app.framework import builtin_library
from tests.documents.conftest import flat, page_count, pdf_fonts, pdf_text

FRAMEWORK = builtin_library().get("digcomp", "3.0")


def profile_data(**changes) -> ProfileData:
    rows = []
    for i, competence in enumerate(FRAMEWORK.competences()):
        before = 1 + i % 4
        after = before + (2 if competence.id == "1.1" else 1)
        assessed = {"1.1": 2, "2.1": 4, "3.4": 5}.get(competence.id)
        rows.append(ProfileRow(competence.id, after, before, after, assessed))
    values = {
        "learner_name": "Ēriks Šņore",
        "organisation": "Daugavkrastu tehnikums",
        "framework": FRAMEWORK,
        "printed_on": dt.date(2026, 4, 3),
        "latest_on": dt.date(2026, 3, 28),
        "before_on": dt.date(2026, 2, 20),
        "after_on": dt.date(2026, 3, 28),
        "rows": tuple(rows),
        "mobility_title": "Digitālā satura veidošana mediju darbnīcā",
    }
    values.update(changes)
    return ProfileData(**values)


@pytest.mark.parametrize("language", ["lv", "en"])
def test_profile_shows_results_comparison_and_flags(language, tmp_path):
    pdf = render_profile(profile_data(), language)
    text = flat(pdf_text(pdf, tmp_path))
    assert "Ēriks Šņore" in text and "Digitālā satura veidošana mediju darbnīcā" in text
    for competence in FRAMEWORK.competences():
        # (a long title wraps beside its bar: its first words are on the first line)
        assert competence.title.get(language)[:24] in text
    for area in FRAMEWORK.areas:
        assert area.title.get(language) in text
    if language == "en":
        assert "Self-assessment results" in text and "Before and after" in text
        assert "28 March 2026" in text and "20 February 2026" in text
        # 1.1: own rating 4 (1 -> 3 would be +2; here before 1, after 3), assessed 2
        assert "differ by 2 or more" in text
    else:
        assert "2026. gada 28. marts" in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(pdf, tmp_path))


def test_profile_flags_only_gaps_of_two_or_more(tmp_path):
    rows = (
        ProfileRow("1.1", 5, assessed=3),  # +2: flagged
        ProfileRow("1.2", 2, assessed=5),  # -3: flagged
        ProfileRow("1.3", 4, assessed=3),  # +1
        ProfileRow("2.1", None, assessed=3),  # not rated: no gap
    )
    text = flat(pdf_text(render_profile(profile_data(rows=rows), "en"), tmp_path))
    assert text.count("differ by 2 or more") == 2
    assert "+2" in text and "–3" in text


def test_profile_without_self_assessments_says_so(tmp_path):
    empty = tuple(ProfileRow(c.id, None) for c in FRAMEWORK.competences())
    data = profile_data(rows=empty, latest_on=None, before_on=None, after_on=None)
    text = flat(pdf_text(render_profile(data, "en"), tmp_path))
    assert "No completed self-assessment yet." in text
    assert "The comparison appears when the learner has completed a second" in text
    assert "No competence has been assessed by a teacher yet." in text


def summary_data(count: int = 6) -> MobilitySummaryData:
    names = ["Ēriks Šņore", "Līga Kalniņa", "Jānis Bērziņš", "Dārta Žagare", "Kārlis Ķēniņš"]
    participants = tuple(
        SummaryParticipant(
            f"{names[i % len(names)]} {i}",
            {"1.1": 3 + i % 3, "3.1": 2 + i % 5} if i % 4 != 3 else {},
            "certified, DC-ABCD-EFGH-IJKL-MNOP" if i % 2 else "Assessment",
        )
        for i in range(count)
    )
    return MobilitySummaryData(
        code="2026-1-LV01-KA121-VET-000123456-DE",
        title="Digitālā satura veidošana",
        organisation="Daugavkrastu tehnikums",
        host="Medienwerkstatt Nordlicht GmbH",
        host_country="DE",
        start=dt.date(2026, 3, 2),
        end=dt.date(2026, 3, 27),
        framework=FRAMEWORK,
        printed_on=dt.date(2026, 4, 3),
        participants=participants,
    )


@pytest.mark.parametrize("language", ["lv", "en"])
def test_mobility_summary_table(language, tmp_path):
    pdf = render_mobility_summary(summary_data(), language)
    text = pdf_text(pdf, tmp_path)
    assert "Ēriks Šņore 0" in text and "Dārta Žagare 3" in text
    assert "2026-1-LV01-KA121-VET-000123456-DE" in text
    assert FRAMEWORK.competence("3.1").title.get(language) in flat(text)
    assert ("Vācija" if language == "lv" else "Germany") in text
    assert all(f["emb"] == "yes" for f in pdf_fonts(pdf, tmp_path))


def test_a_long_summary_repeats_the_table_header(tmp_path):
    pdf = render_mobility_summary(summary_data(70), "en")
    pages = page_count(pdf)
    assert pages >= 3
    for page in range(1, pages):
        assert "Participant" in pdf_text(pdf, tmp_path, page, page)
