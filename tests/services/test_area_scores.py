"""One computation for the numbers of a self-assessment: an area's average leaves "not yet"
out and says how many competences it stands on; changes count only levels rated twice."""

from __future__ import annotations

import dataclasses

import pytest

from digcomp_app.framework import builtin_library
from digcomp_app.services.self_assessment import changes, level_change, scores

FRAMEWORK = builtin_library().get("digcomp", "3.0")


def test_not_yet_is_left_out_of_an_area_average():
    # area 3 of DigComp 3.0 has four competences: 1, 1, 3 and "not yet"
    levels = {"3.1": 1, "3.2": 1, "3.3": 3, "3.4": None}
    area = scores(FRAMEWORK, levels).area("3")
    assert (area.rated, area.total) == (3, 4)
    assert area.average == pytest.approx(5 / 3)
    assert area.shown == 1.7  # not 1.2, as it would be with "not yet" counted as 0


def test_an_area_with_nothing_rated_has_no_average():
    result = scores(FRAMEWORK, {"1.1": None})
    for area in result.areas:
        assert area.average is None and area.shown is None and area.rated == 0
    assert result.total == 21 and result.rated == 0
    assert [a.total for a in result.areas] == [len(a.competences) for a in FRAMEWORK.areas]


def test_the_counts_add_up_over_the_framework():
    levels = {c.id: (i % 4 or None) for i, c in enumerate(FRAMEWORK.competences())}
    result = scores(FRAMEWORK, levels)
    assert result.rated == sum(1 for v in levels.values() if v is not None)
    assert result.rated == sum(a.rated for a in result.areas)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.areas[0].rated = 9  # type: ignore[misc]


def test_a_change_needs_two_levels():
    assert level_change(2, 5) == 3
    assert level_change(None, 3) is None and level_change(3, None) is None
    counted = changes([(1, 3), (2, 2), (4, 1), (None, 2), (3, None), (None, None)])
    assert (counted.higher, counted.same, counted.lower) == (1, 1, 1)
    assert counted.compared == 3 and counted.newly_rated == 1 and counted.total == 6
