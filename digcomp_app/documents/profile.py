"""The learner's profile report: self-assessment results as a bar chart per competence
(grouped by area, with each area's average), the band the learner's latest digital skills
test (DigCompSAT) suggests beside their own rating, the before/after comparison, and the
learner's own rating beside the level a teacher assessed, flagged where they differ by
two levels or more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Protocol

from reportlab.lib.colors import white
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from digcomp_app.documents import fonts
from digcomp_app.documents.layout import (
    WHOLE,
    Block,
    Column,
    Piece,
    Row,
    Style,
    grid_rows,
    text_rows,
)
from digcomp_app.documents.report import (
    BOLD,
    LIGHT,
    NAVY,
    ORANGE,
    S_BODY,
    S_BODY_BOLD,
    S_NOTE,
    S_SMALL,
    S_SMALL_BOLD,
    S_SMALL_INK,
    Page,
    band_colour,
    header_rows,
    heading,
    metadata,
    render,
)
from digcomp_app.documents.texts import (
    competence_title,
    document_date,
    framework_short,
    gettext_for,
)
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_, format_number, format_percent

TITLE = N_("Digital competence profile")
SUBTITLE = N_("{name} · {framework} · {date}")
SUBTITLE_MOBILITY = N_("{name} · {mobility} · {framework} · {date}")
RESULTS = N_("Self-assessment results")
RESULTS_NOTE = N_(
    "The learner's own ratings of {date}, levels 1 to {top}. A triangle marks the level a "
    "teacher assessed. An area's average is that of its rated competences: “not yet” is "
    "left out."
)
NO_SELF_ASSESSMENT = N_("No completed self-assessment yet.")
AREA_AVERAGE = N_("average {value}")
AREA_RATED = N_("{rated} of {total} rated")
NOT_YET = N_("not yet")
LEGEND_SELF = N_("own rating")
LEGEND_ASSESSED = N_("assessed level")
COMPARISON = N_("Before and after")
COMPARISON_NOTE = N_("Self-assessment of {before} (light bar) and of {after} (dark bar).")
COMPARISON_MISSING = N_(
    "The comparison appears when the learner has completed a second self-assessment."
)
BEFORE = N_("before")
AFTER = N_("after")
CHANGE = N_("change")
GAPS = N_("Own rating and assessed level")
GAPS_NOTE = N_(
    "Where the two differ by {gap} levels or more (marked), it is worth talking the "
    "difference over."
)
GAPS_MISSING = N_("No competence has been assessed by a teacher yet.")
OWN = N_("own rating")
ASSESSED = N_("assessed")
DIFFERENCE = N_("difference")
FLAG = N_("differ by {gap} or more")
SKILLS_TEST = N_("Digital skills test")
SKILLS_TEST_NOTE = N_(
    "The learner's DigCompSAT test of {date} (items in {language}): {answered} of {total} "
    "items answered on their scale, {unclear} “unclear to me”. A band is the average of a "
    "competence's items as a share of the highest answer: Foundation from 30 % (levels 1–2), "
    "Intermediate from 48 % (levels 3–4), Advanced from 81 % (levels 5–6). It is the "
    "learner's view of themselves, not an assessment."
)
SKILLS_TEST_OWN = N_(
    "Own rating: the self-assessment of {date}; where it lies {gap} levels or more outside "
    "the band, it is marked. Competences are named as in {framework}, to which the items "
    "are mapped."
)
SKILLS_TEST_NO_OWN = N_(
    "Competences are named as in {framework}, to which the items are mapped. There is no "
    "completed self-assessment to set beside the test."
)
LEGEND_BAND = N_("levels of the test's band")
TEST_BAND = N_("test band")
BY_TYPE = N_("Knowledge, skills and attitudes apart")
SKILLS_TEST_SOURCE = N_(
    "Items: DigCompSAT, Clifford et al. 2020, JRC123226, © European Union, CC BY 4.0; "
    "mapped to competences by this application."
)
BAND_NAMES = {
    "low": N_("Below Foundation"),
    "foundation": N_("Foundation"),
    "intermediate": N_("Intermediate"),
    "advanced": N_("Advanced"),
}
TYPE_NAMES = (N_("Knowledge"), N_("Skills"), N_("Attitudes"))
ITEM_LANGUAGES = {"lv": N_("Latvian"), "en": N_("English")}
NO_ITEM = N_("no item")
SCORE = N_("{percent} {band}")
FOOTER = N_("Profile of {name}, printed on {date}")
SUBJECT = N_("Self-assessment results, before/after comparison and assessed levels ({framework})")


@dataclass(frozen=True, slots=True)
class ProfileRow:
    competence_id: str
    latest: int | None  # the latest self-assessment's rating (None: "not yet")
    before: int | None = None
    after: int | None = None
    assessed: int | None = None  # the level a teacher assessed, when there is one

    def gap(self) -> int | None:
        if self.latest is None or self.assessed is None:
            return None
        return self.latest - self.assessed


class AreaFigures(Protocol):
    """An area's average and counts, computed by the caller (the same numbers the results
    screen shows): ``shown`` is the average as printed, None when nothing is rated."""

    @property
    def shown(self) -> float | None: ...

    @property
    def rated(self) -> int: ...

    @property
    def total(self) -> int: ...


@dataclass(frozen=True, slots=True)
class TestScore:
    """A skills test score: the share of the highest answer and the band it falls in."""

    percent: int | None  # None: no item answered on the scale
    band: str | None = None  # "low", "foundation", "intermediate", "advanced"
    #: the DigComp levels the band stands for ((0, 0): below level 1)
    levels: tuple[int, int] | None = None
    #: the bank has items of this kind (False: "no item")
    has_items: bool = True


@dataclass(frozen=True, slots=True)
class TestRow:
    """An area or a competence: the test's scores beside the learner's own rating."""

    key: str
    is_area: bool
    overall: TestScore
    #: knowledge, skills, attitudes
    by_type: tuple[TestScore, TestScore, TestScore]
    #: the own level (a competence) or the average of the rated ones (an area)
    own: float | None = None
    rated: bool = False
    #: levels between the own rating and the band (competences), and whether to flag it
    difference: int | None = None
    large: bool = False


@dataclass(frozen=True, slots=True)
class SkillsTestPart:
    """The learner's latest finished skills test, scored."""

    taken_on: dt.date
    language: str  # of the items: "lv" or "en"
    answered: int
    unclear: int
    total: int
    #: the framework the items are mapped to (names its areas and competences)
    framework: Framework
    #: each area followed by its competences, in the test's order
    rows: tuple[TestRow, ...]
    #: the self-assessment the own ratings come from (None: none completed)
    own_on: dt.date | None
    flag_gap: int = 2


@dataclass(frozen=True, slots=True)
class ProfileData:
    learner_name: str
    organisation: str
    framework: Framework
    printed_on: dt.date
    latest_on: dt.date | None
    before_on: dt.date | None
    after_on: dt.date | None
    rows: tuple[ProfileRow, ...]
    mobility_title: str = ""
    flag_gap: int = 2
    #: area id -> the latest self-assessment's average and counts
    area_scores: Mapping[str, AreaFigures] = field(default_factory=dict)
    #: the latest finished skills test (None: none; the report then has no such section)
    skills_test: SkillsTestPart | None = None


S_FLAG = Style(BOLD, 8, 10.5, ORANGE)
PAGE = Page(*A4)
WIDTH = PAGE.content_width
CODE_W = 10 * mm
TRACK_X = 92 * mm
TRACK_W = 72 * mm
VALUE_X = TRACK_X + TRACK_W + 3 * mm
#: the skills test's table: the band's levels, its text, the own rating (right-aligned)
TEST_TRACK_X = 72 * mm
TEST_TRACK_W = 40 * mm
TEST_TEXT_X = TEST_TRACK_X + TEST_TRACK_W + 3 * mm
OWN_X = 152 * mm
#: knowledge, skills and attitudes: three columns from TYPE_X
TYPE_X = 68 * mm
TYPE_W = (WIDTH - TYPE_X) / 3


def render_profile(data: ProfileData, language: str) -> bytes:
    fonts.register_fonts()  # text is measured before anything is drawn
    _ = gettext_for(language)
    framework = data.framework
    when = document_date(data.printed_on, language)
    subtitle = (
        _(SUBTITLE_MOBILITY).format(
            name=data.learner_name,
            mobility=data.mobility_title,
            framework=framework_short(framework),
            date=when,
        )
        if data.mobility_title
        else _(SUBTITLE).format(
            name=data.learner_name, framework=framework_short(framework), date=when
        )
    )
    title = _(TITLE)
    blocks = [Block(header_rows(data.organisation, title, subtitle, WIDTH), keep=WHOLE)]
    blocks += _Profile(data, language).blocks()
    meta = metadata(
        f"{title} — {data.learner_name}",
        data.organisation,
        _(SUBJECT).format(framework=framework_short(framework)),
        language,
    )
    footer = _(FOOTER).format(name=data.learner_name, date=when)
    return render(PAGE, blocks, meta, footer, framework, language)


class _Profile:
    def __init__(self, data: ProfileData, language: str) -> None:
        self.data = data
        self.framework = data.framework
        self.language = language
        self._ = gettext_for(language)
        self.top = max((level.number for level in self.framework.levels), default=8)
        self.by_id = {row.competence_id: row for row in data.rows}

    def blocks(self) -> list[Block]:
        return [*self.results(), *self.skills_test(), *self.comparison(), *self.gaps()]

    # -- 1. the chart --------------------------------------------------------------------

    def results(self) -> list[Block]:
        _ = self._
        intro = heading(_(RESULTS), WIDTH)
        if self.data.latest_on is None:
            return [Block([*intro, *text_rows(_(NO_SELF_ASSESSMENT), S_BODY, WIDTH)], 100, 8)]
        intro += text_rows(
            _(RESULTS_NOTE).format(
                date=document_date(self.data.latest_on, self.language), top=self.top
            ),
            S_NOTE,
            WIDTH,
        )
        intro.append(self._legend())
        blocks = []
        for index, area in enumerate(self.framework.areas):
            score = self.data.area_scores.get(area.id)
            average = score.shown if score is not None else None
            rows = grid_rows(
                [
                    Column(
                        0,
                        TRACK_X - 4 * mm,
                        S_BODY_BOLD,
                        f"{area.id}  {area.title.get(self.language)}",
                    ),
                ]
            )
            rows[0].painters.append(self._average_bar(average))
            if average is not None:
                value = self._(AREA_AVERAGE).format(value=format_number(average, self.language))
                rows[0].pieces.append(Piece(VALUE_X, S_SMALL_BOLD, value))
            if score is not None:
                counted = Row(S_SMALL.leading + 3)
                counted.pieces.append(
                    Piece(
                        VALUE_X,
                        S_SMALL,
                        self._(AREA_RATED).format(rated=score.rated, total=score.total),
                    )
                )
                rows.append(counted)
            for competence in area.competences:
                row = self.by_id.get(competence.id)
                rows += self._competence_row(
                    competence.id,
                    row.latest if row else None,
                    row.assessed if row else None,
                )
            rows.append(Row(3))
            if index == 0:
                rows = [*intro, Row(4), *rows]
            blocks.append(Block(rows, keep=len(rows), space_before=8 if index == 0 else 4))
        return blocks

    def _legend(self) -> Row:
        row = Row(S_SMALL.leading + 4)

        def paint(canvas: Canvas, left: float, top: float) -> None:
            y = top - S_SMALL.leading + 1
            canvas.setFillColor(band_colour(1))
            canvas.rect(left, y, 8, 6, 0, 1)
            canvas.setFillColor(ORANGE)
            x = left + 36 * mm
            _triangle(canvas, x + 4, y)

        row.painters.append(paint)
        row.pieces.append(Piece(11, S_SMALL, self._(LEGEND_SELF)))
        row.pieces.append(Piece(36 * mm + 11, S_SMALL, self._(LEGEND_ASSESSED)))
        return row

    def _competence_row(self, cid: str, level: int | None, assessed: int | None) -> list[Row]:
        title = competence_title(self.framework, cid, self.language)
        rows = grid_rows(
            [
                Column(0, CODE_W, S_SMALL_INK, cid),
                Column(CODE_W, TRACK_X - CODE_W - 4 * mm, S_SMALL_INK, title),
            ],
            min_leading=13,
        )
        rows[0].painters.append(self._cells(level, assessed))
        text = str(level) if level is not None else self._(NOT_YET)
        rows[0].pieces.append(Piece(VALUE_X, S_SMALL_BOLD if level else S_SMALL, text))
        return rows

    def _band_index(self, level: int) -> int:
        band = self.framework.band_of(level)
        if band is None:
            return 1
        return [b.id for b in self.framework.bands].index(band.id)

    def _cells(
        self, level: int | None, assessed: int | None
    ) -> Callable[[Canvas, float, float], None]:
        top_level = self.top
        cell = TRACK_W / top_level
        colours = [band_colour(self._band_index(n)) for n in range(1, top_level + 1)]

        def paint(canvas: Canvas, left: float, top: float) -> None:
            y = top - 10
            for n in range(1, top_level + 1):
                x = left + TRACK_X + (n - 1) * cell
                if level is not None and n <= level:
                    canvas.setFillColor(colours[n - 1])
                else:
                    canvas.setFillColor(LIGHT)
                canvas.rect(x, y, cell - 1.2, 7, 0, 1)
            if assessed is not None and 1 <= assessed <= top_level:
                canvas.setFillColor(ORANGE)
                _triangle(canvas, left + TRACK_X + (assessed - 0.5) * cell - 0.6, y - 3.2)

        return paint

    def _average_bar(self, average: float | None) -> Callable[[Canvas, float, float], None]:
        top_level = self.top

        def paint(canvas: Canvas, left: float, top: float) -> None:
            y = top - 10
            canvas.setFillColor(LIGHT)
            canvas.rect(left + TRACK_X, y + 2, TRACK_W - 1.2, 3, 0, 1)
            if average:
                canvas.setFillColor(NAVY)
                canvas.rect(left + TRACK_X, y, TRACK_W * average / top_level - 1.2, 7, 0, 1)

        return paint

    # -- 2. the skills test beside the own rating ----------------------------------------

    def skills_test(self) -> list[Block]:
        test = self.data.skills_test
        if test is None:
            return []
        _ = self._
        language = self.language
        rows = heading(_(SKILLS_TEST), WIDTH)
        rows += text_rows(
            _(SKILLS_TEST_NOTE).format(
                date=document_date(test.taken_on, language),
                language=_(ITEM_LANGUAGES.get(test.language, test.language)),
                answered=test.answered,
                total=test.total,
                unclear=test.unclear,
            ),
            S_NOTE,
            WIDTH,
        )
        named = framework_short(test.framework)
        own_note = (
            _(SKILLS_TEST_OWN).format(
                date=document_date(test.own_on, language), gap=test.flag_gap, framework=named
            )
            if test.own_on is not None
            else _(SKILLS_TEST_NO_OWN).format(framework=named)
        )
        rows += text_rows(own_note, S_NOTE, WIDTH)
        rows.append(self._test_legend())
        header = grid_rows(
            [
                Column(TEST_TEXT_X, OWN_X - TEST_TEXT_X - 2 * mm, S_SMALL, _(TEST_BAND)),
                Column(OWN_X, WIDTH - OWN_X, S_SMALL, _(OWN), "r"),
            ]
        )
        # one block per area, the first with the heading, notes and column heads
        areas: list[list[Row]] = []
        for row in test.rows:
            if row.is_area or not areas:
                areas.append([])
            areas[-1] += self._test_row(test, row)
        areas[0] = [*rows, *header, *areas[0]]
        blocks = [
            Block(lines, keep=len(lines), space_before=10 if index == 0 else 4)
            for index, lines in enumerate(areas)
        ]
        return [*blocks, *self._by_type(test)]

    def _score_text(self, score: TestScore) -> str:
        if not score.has_items:
            return self._(NO_ITEM)
        if score.percent is None or score.band is None:
            return "–"
        return self._(SCORE).format(
            percent=format_percent(score.percent / 100, self.language),
            band=self._(BAND_NAMES[score.band]),
        )

    def _test_row(self, test: SkillsTestPart, row: TestRow) -> list[Row]:
        language = self.language
        if row.is_area:
            title = next(
                (a.title.get(language) for a in test.framework.areas if a.id == row.key), ""
            )
            lines = grid_rows(
                [Column(0, TEST_TRACK_X - 2 * mm, S_BODY_BOLD, f"{row.key}  {title}")]
            )
        else:
            lines = grid_rows(
                [
                    Column(0, CODE_W, S_SMALL_INK, row.key),
                    Column(
                        CODE_W,
                        TEST_TRACK_X - CODE_W - 2 * mm,
                        S_SMALL_INK,
                        competence_title(test.framework, row.key, language),
                    ),
                ],
                min_leading=13,
            )
        first = lines[0]
        first.painters.append(self._band_cells(row))
        strong = S_SMALL_BOLD if row.is_area else S_SMALL_INK
        first.pieces.append(Piece(TEST_TEXT_X, strong, self._score_text(row.overall)))
        if not row.rated:
            own = "—"
        elif row.own is None:
            own = self._(NOT_YET)
        else:
            own = format_number(row.own, language) if row.is_area else str(int(row.own))
        first.pieces.append(Piece(WIDTH, S_FLAG if row.large else strong, own, "r"))
        if row.large:  # the marker just before the flagged rating
            first.painters.append(_flag_marker(WIDTH - S_FLAG.width(own) - 2.5 * mm))
        return lines

    def _band_cells(self, row: TestRow) -> Callable[[Canvas, float, float], None]:
        """The framework's levels as cells: the band's levels filled, the own rating as a
        dot (a competence) or a tick at the average (an area)."""
        top_level = self.top
        cell = TEST_TRACK_W / top_level
        low, high = row.overall.levels or (0, 0)
        own = row.own if row.rated else None

        def paint(canvas: Canvas, left: float, top: float) -> None:
            y = top - 10
            for n in range(1, top_level + 1):
                canvas.setFillColor(band_colour(1) if low <= n <= high else LIGHT)
                canvas.rect(left + TEST_TRACK_X + (n - 1) * cell, y, cell - 1.2, 7, 0, 1)
            if own is None or not 0 < own <= top_level:
                return
            centre = left + TEST_TRACK_X + (own - 0.5) * cell - 0.6
            canvas.setFillColor(NAVY)
            canvas.setStrokeColor(white)
            canvas.setLineWidth(0.8)
            if row.is_area:
                canvas.rect(centre - 0.8, y - 1.5, 1.6, 10, 1, 1)
            else:
                canvas.circle(centre, y + 3.5, 2.4, 1, 1)

        return paint

    def _test_legend(self) -> Row:
        row = Row(S_SMALL.leading + 4)

        def paint(canvas: Canvas, left: float, top: float) -> None:
            y = top - S_SMALL.leading + 1
            canvas.setFillColor(band_colour(1))
            canvas.rect(left, y, 8, 6, 0, 1)
            canvas.setFillColor(NAVY)
            canvas.circle(left + 50 * mm + 4, y + 3, 2.4, 0, 1)
            canvas.setFillColor(ORANGE)
            _triangle(canvas, left + 90 * mm + 4, y)

        row.painters.append(paint)
        row.pieces.append(Piece(11, S_SMALL, self._(LEGEND_BAND)))
        row.pieces.append(Piece(50 * mm + 11, S_SMALL, self._(LEGEND_SELF)))
        row.pieces.append(Piece(90 * mm + 11, S_SMALL, self._(FLAG).format(gap=self.data.flag_gap)))
        return row

    def _by_type(self, test: SkillsTestPart) -> list[Block]:
        """Each area's knowledge, skills and attitudes items scored apart."""
        _ = self._
        rows = [*text_rows(_(BY_TYPE), S_BODY_BOLD, WIDTH), Row(2)]
        columns = [TYPE_X + n * TYPE_W for n in range(len(TYPE_NAMES))]
        header = Row(S_SMALL.leading + 2)
        for x, name in zip(columns, TYPE_NAMES, strict=True):
            header.pieces.append(Piece(x, S_SMALL, _(name)))
        lines = [*rows, header]
        for row in test.rows:
            if not row.is_area:
                continue
            title = next(
                (a.title.get(self.language) for a in test.framework.areas if a.id == row.key), ""
            )
            line = grid_rows(
                [
                    Column(0, TYPE_X - 2 * mm, S_SMALL_INK, f"{row.key}  {title}"),
                    *(
                        Column(x, TYPE_W - 2 * mm, S_SMALL_INK, self._score_text(score))
                        for x, score in zip(columns, row.by_type, strict=True)
                    ),
                ],
                min_leading=13,
            )
            lines += line
        lines += text_rows(_(SKILLS_TEST_SOURCE), S_NOTE, WIDTH)
        return [Block(lines, keep=len(lines), space_before=8)]

    # -- 3. before and after -------------------------------------------------------------

    def comparison(self) -> list[Block]:
        _ = self._
        rows = heading(_(COMPARISON), WIDTH)
        data = self.data
        compared = [r for r in data.rows if r.before is not None or r.after is not None]
        if data.before_on is None or data.after_on is None or not compared:
            rows += text_rows(_(COMPARISON_MISSING), S_BODY, WIDTH)
            return [Block(rows, keep=len(rows), space_before=10)]
        rows += text_rows(
            _(COMPARISON_NOTE).format(
                before=document_date(data.before_on, self.language),
                after=document_date(data.after_on, self.language),
            ),
            S_NOTE,
            WIDTH,
        )
        header = Row(S_SMALL.leading + 2)
        for x, label in (
            (VALUE_X - 36 * mm, BEFORE),
            (VALUE_X - 24 * mm, AFTER),
            (VALUE_X - 12 * mm, CHANGE),
        ):
            header.pieces.append(Piece(x + 10 * mm, S_SMALL, _(label), "r"))
        blocks = [Block([*rows, header], keep=len(rows) + 3, space_before=10)]
        track = TRACK_W - 40 * mm
        for row in compared:
            line = grid_rows(
                [
                    Column(0, CODE_W, S_SMALL_INK, row.competence_id),
                    Column(
                        CODE_W,
                        TRACK_X - CODE_W - 4 * mm,
                        S_SMALL_INK,
                        competence_title(self.framework, row.competence_id, self.language),
                    ),
                ],
                min_leading=13,
            )
            line[0].painters.append(self._pair(row.before, row.after, track))
            for x, value in (
                (VALUE_X - 36 * mm, _level_text(row.before)),
                (VALUE_X - 24 * mm, _level_text(row.after)),
            ):
                line[0].pieces.append(Piece(x + 10 * mm, S_SMALL_INK, value, "r"))
            change = (
                row.after - row.before if row.after is not None and row.before is not None else None
            )
            if change is not None:
                line[0].pieces.append(
                    Piece(
                        VALUE_X - 2 * mm,
                        S_SMALL_BOLD if change else S_SMALL_INK,
                        _signed(change, "±0"),
                        "r",
                    )
                )
            blocks.append(Block(line, keep=len(line)))
        return blocks

    def _pair(
        self, before: int | None, after: int | None, track: float
    ) -> Callable[[Canvas, float, float], None]:
        top_level = self.top

        def paint(canvas: Canvas, left: float, top: float) -> None:
            x = left + TRACK_X
            canvas.setFillColor(LIGHT)
            canvas.rect(x, top - 6.5, track * (before or 0) / top_level, 3.5, 0, 1)
            canvas.setFillColor(NAVY)
            canvas.rect(x, top - 10.5, track * (after or 0) / top_level, 3.5, 0, 1)

        return paint

    # -- 4. own rating and assessed level -------------------------------------------------

    def gaps(self) -> list[Block]:
        _ = self._
        gap = self.data.flag_gap
        rows = heading(_(GAPS), WIDTH)
        assessed = [r for r in self.data.rows if r.assessed is not None]
        if not assessed:
            rows += text_rows(_(GAPS_MISSING), S_BODY, WIDTH)
            return [Block(rows, keep=len(rows), space_before=10)]
        rows += text_rows(_(GAPS_NOTE).format(gap=gap), S_NOTE, WIDTH)
        header = Row(S_SMALL.leading + 2)
        columns = (TRACK_X, TRACK_X + 18 * mm, TRACK_X + 36 * mm)
        for x, label in zip(columns, (OWN, ASSESSED, DIFFERENCE), strict=True):
            header.pieces.append(Piece(x + 14 * mm, S_SMALL, _(label), "r"))
        blocks = [Block([*rows, header], keep=len(rows) + 3, space_before=10)]
        for row in assessed:
            line = grid_rows(
                [
                    Column(0, CODE_W, S_SMALL_INK, row.competence_id),
                    Column(
                        CODE_W,
                        TRACK_X - CODE_W - 4 * mm,
                        S_SMALL_INK,
                        competence_title(self.framework, row.competence_id, self.language),
                    ),
                ],
                min_leading=13,
            )
            difference = row.gap()
            values = (
                _level_text(row.latest, _(NOT_YET)),
                _level_text(row.assessed),
                _signed(difference),
            )
            for x, value in zip(columns, values, strict=True):
                line[0].pieces.append(Piece(x + 14 * mm, S_SMALL_INK, value, "r"))
            if difference is not None and abs(difference) >= gap:
                line[0].pieces.append(Piece(TRACK_X + 54 * mm, S_FLAG, _(FLAG).format(gap=gap)))
                line[0].painters.append(_flag_marker(TRACK_X + 52 * mm))
            blocks.append(Block(line, keep=len(line)))
        return blocks


def _signed(value: int | None, zero: str = "0") -> str:
    """+2, –1 (an en dash: the font has no minus sign), ±0."""
    if value is None:
        return ""
    if value == 0:
        return zero
    return f"+{value}" if value > 0 else f"–{-value}"


def _level_text(level: int | None, missing: str = "—") -> str:
    return str(level) if level is not None else missing


def _flag_marker(x: float) -> Callable[[Canvas, float, float], None]:
    def paint(canvas: Canvas, left: float, top: float) -> None:
        canvas.setFillColor(ORANGE)
        _triangle(canvas, left + x - 2, top - 9)

    return paint


def _triangle(canvas: Canvas, x: float, y: float, size: float = 5.0) -> None:
    """An upward triangle with its base's left corner at (x - size/2, y)."""
    path = canvas.beginPath()
    path.moveTo(x - size / 2, y)
    path.lineTo(x + size / 2, y)
    path.lineTo(x, y + size * 0.9)
    path.close()
    canvas.drawPath(path, stroke=0, fill=1)
