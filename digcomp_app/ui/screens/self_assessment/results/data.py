"""What the results screen can show, and the numbers behind it (no widgets)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from digcomp_app.framework import Framework, FrameworkLibrary
from digcomp_app.i18n import _, ngettext
from digcomp_app.services import self_assessment
from digcomp_app.services.database import Database
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.services.permissions import Actor
from digcomp_app.services.self_assessment import Scores, SelfAssessmentInfo
from digcomp_app.ui.screens.self_assessment.purposes import assessment_date, purpose_of
from digcomp_app.ui.screens.self_assessment.results.chart import ChartRow, value_text

Levels = tuple[int | None, ...]


@dataclass(frozen=True)
class Choice:
    """One entry of the "Show" list."""

    kind: str  # "mobility" (before/after), "first_last", or "single"
    mobility_id: int | None = None
    assessment_id: int | None = None


@dataclass(frozen=True)
class Result:
    framework: Framework
    assessments: tuple[SelfAssessmentInfo, ...]  # one per series
    kind: str
    #: competence id -> one level per series
    levels: dict[str, Levels]

    @property
    def comparing(self) -> bool:
        return len(self.assessments) > 1

    def scores(self, series: int) -> Scores:
        """The areas' averages and counts of one series (the profile report's numbers)."""
        return self_assessment.scores(
            self.framework, {cid: values[series] for cid, values in self.levels.items()}
        )

    def series(self) -> list[str]:
        dates = [assessment_date(a) for a in self.assessments]
        if not self.comparing:
            return [_("Level, {date}").format(date=dates[0])]
        if self.kind == "mobility":
            return [
                _("Before, {date}").format(date=dates[0]),
                _("After, {date}").format(date=dates[1]),
            ]
        return [
            _("First, {date}").format(date=dates[0]),
            _("Latest, {date}").format(date=dates[1]),
        ]


def choices(history: Sequence[SelfAssessmentInfo]) -> list[Choice]:
    """Before/after pairs of mobilities first, newest first; else first and latest; then
    every completed self-assessment on its own, newest first."""
    done = sorted(
        (h for h in history if h.completed_at is not None),
        key=lambda h: (h.completed_at, h.id),
        reverse=True,
    )
    found: list[Choice] = []
    for info in done:
        if info.mobility_id is None or any(c.mobility_id == info.mobility_id for c in found):
            continue
        moments = {h.moment for h in done if h.mobility_id == info.mobility_id}
        if {"before", "after"} <= moments:
            found.append(Choice("mobility", mobility_id=info.mobility_id))
    if not found and len(done) >= 2:
        found.append(Choice("first_last"))
    found.extend(Choice("single", assessment_id=h.id) for h in done)
    return found


def choice_label(
    choice: Choice, history: Sequence[SelfAssessmentInfo], mobilities: Sequence[MobilityInfo]
) -> str:
    if choice.kind == "mobility":
        mobility = next((m for m in mobilities if m.id == choice.mobility_id), None)
        title = mobility.title if mobility is not None else _("a mobility")
        return _("Before and after the mobility “{title}”").format(title=title)
    if choice.kind == "first_last":
        return _("Your first and latest self-assessment")
    info = next(h for h in history if h.id == choice.assessment_id)
    return _("{purpose}, finished {date}").format(
        purpose=purpose_of(info, mobilities).label(), date=assessment_date(info)
    )


def load(
    db: Database,
    actor: Actor,
    learner_id: int,
    choice: Choice,
    history: Sequence[SelfAssessmentInfo],
    library: FrameworkLibrary,
) -> Result:
    """The levels to show (raises ServiceError when they cannot be read)."""
    by_id = {h.id: h for h in history}
    if choice.kind == "single":
        info = by_id[choice.assessment_id]  # type: ignore[index]
        framework = library.get(info.framework_id, info.framework_version)
        levels = {
            c.id: (a.level if (a := info.answer_for(c.id)) is not None else None,)
            for c in framework.competences()
        }
        return Result(framework, (info,), "single", levels)
    comparison = self_assessment.compare(db, actor, learner_id, choice.mobility_id)
    assessments = tuple(by_id[i] for i in (comparison.before_id, comparison.after_id) if i in by_id)
    if not assessments:
        raise LookupError(_("There is no finished self-assessment to compare."))
    first = assessments[0]
    framework = library.get(first.framework_id, first.framework_version)
    levels = {row.competence_id: (row.before, row.after) for row in comparison.rows}
    if len(assessments) < 2:
        levels = {key: value[:1] for key, value in levels.items()}
    return Result(framework, assessments, choice.kind, levels)


def competence_rows(result: Result, language: str) -> list[ChartRow]:
    rows = []
    for competence in result.framework.competences():
        title = competence.title.get(language)
        rows.append(
            ChartRow(
                f"{competence.id} {title}",
                result.levels.get(competence.id, (None,) * len(result.assessments)),
                f"{competence.id} {title}",
            )
        )
    return rows


def area_rows(result: Result, language: str) -> list[ChartRow]:
    """One row per area: its average in each series ("not yet" left out, as on paper)."""
    per_series = [result.scores(i) for i in range(len(result.assessments))]
    rows = []
    for area in result.framework.areas:
        values = tuple(scores.area(area.id).shown for scores in per_series)
        title = area.title.get(language)
        rows.append(ChartRow(f"{area.id} {title}", values, f"{area.id} {title}"))
    return rows


def rated_text(result: Result, area_id: str) -> str:
    """How many of the area's competences the average stands on, per series (once when
    the same in every series)."""
    texts = [
        _("{rated} of {total} rated").format(rated=score.rated, total=score.total)
        for score in (result.scores(i).area(area_id) for i in range(len(result.assessments)))
    ]
    return texts[0] if len(set(texts)) == 1 else " / ".join(texts)


def summary(result: Result) -> str:
    if not result.comparing:
        scores = result.scores(0)
        return ngettext(
            "You gave a level in {answered} of {total} competence; the others are “not yet”.",
            "You gave a level in {answered} of {total} competences; the others are “not yet”.",
            scores.total,
        ).format(answered=scores.rated, total=scores.total)
    counted = self_assessment.changes([(v[0], v[1]) for v in result.levels.values()])
    text = ngettext(
        "Of the {compared} competence rated both times, {higher} is higher than before, "
        "{same} the same and {lower} lower.",
        "Of the {compared} competences rated both times, {higher} are higher than before, "
        "{same} the same and {lower} lower.",
        counted.compared,
    ).format(
        compared=counted.compared,
        higher=counted.higher,
        same=counted.same,
        lower=counted.lower,
    )
    if counted.newly_rated:
        text += " " + ngettext(
            "{count} competence has a level now and was “not yet” before.",
            "{count} competences have a level now and were “not yet” before.",
            counted.newly_rated,
        ).format(count=counted.newly_rated)
    return text


def change_text(before: float | None, after: float | None) -> str:
    """The change as "+2", "−1", "0" or "+0.3"; empty unless both are rated."""
    change = self_assessment.level_change(before, after)
    if change is None:
        return ""
    change = round(change, 1)
    text = value_text(abs(change))
    return "+" + text if change > 0 else "−" + text if change < 0 else "0"
