"""The school overview: how levels are spread over a group, a school year or a mobility.

Figures are counted by the database (GROUP BY) over the learners a filter chooses, so the
whole school of 20,000 learners is summarised in a handful of queries:

- the spread of levels ("not yet", 1–8) per competence and per area, from each learner's
  latest completed self-assessment, their latest one before and after a mobility, and the
  latest level assessed in their cases;
- the before/after change per mobility (competences rated both times, as
  :func:`digcomp_app.services.self_assessment.changes` counts them for one learner);
- the share of cases at each stage; certificates issued per month and per mobility.

Small groups are protected (decision 0036): a viewer who may not see each learner's record
(an administrator) gets no figure that stands on fewer than :data:`SMALL_GROUP` learners;
coordinators see every learner anyway, teachers only their own learners, so they get every
figure. Reading the overview is not audited (nothing changes, no person is shown); an
export is.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape as xml_escape

from sqlalchemy import (
    Column,
    ColumnElement,
    CompoundSelect,
    Integer,
    MetaData,
    Select,
    Table,
    and_,
    case,
    distinct,
    func,
    insert,
    literal,
    select,
    text,
    true,
    union_all,
)
from sqlalchemy.orm import Session, aliased

from digcomp_app.documents.overview import (
    BarRow,
    DocumentChart,
    DocumentTable,
    OverviewDocument,
    render_overview,
)
from digcomp_app.documents.texts import framework_short, gettext_for
from digcomp_app.framework import Framework
from digcomp_app.i18n import N_
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.roster_files import neutralise_cell
from digcomp_app.services.scope import teacher_learner_ids
from digcomp_app.services.validation import STAGE_NAMES, STAGES
from digcomp_app.storage.models import (
    Assessment,
    Certificate,
    Group,
    GroupMember,
    Learner,
    Mobility,
    MobilityParticipant,
    MobilityTeacher,
    Organisation,
    SelfAssessment,
    SelfAssessmentAnswer,
    ValidationCase,
)

#: no figure standing on fewer learners than this is shown to a protected viewer
SMALL_GROUP = 5
#: the highest level; a spread has one count for "not yet" (index 0) and one per level
TOP_LEVEL = 8
#: where levels come from: the latest self-assessment, the latest before and after a
#: mobility, the latest level assessed in a case
SOURCES = ("latest", "before", "after", "assessed")
SOURCE_NAMES = {
    "latest": N_("Self-assessed, latest"),
    "before": N_("Self-assessed before a mobility"),
    "after": N_("Self-assessed after a mobility"),
    "assessed": N_("Assessed in cases"),
}
FEWER = N_("fewer than {number}")
EXPORT_KINDS = ("xlsx", "csv", "pdf")
#: PostgreSQL's memory for one sort or hash of the overview (its default is 4 MB)
WORK_MEMORY = "16MB"


# --------------------------------------------------------------------------- DTOs


@dataclass(frozen=True, slots=True)
class Filters:
    """Which learners: all of them (or a teacher's), narrowed by group, school year and
    mobility (all given ones apply); levels of one framework."""

    group_id: int | None = None
    school_year: str | None = None
    mobility_id: int | None = None
    framework_id: str = "digcomp"
    framework_version: str = "3.0"


@dataclass(frozen=True, slots=True)
class LevelRow:
    """The spread of levels of one competence (or one area) in one source."""

    key: str
    is_area: bool
    #: learners the row stands on (None: suppressed, fewer than SMALL_GROUP)
    learners: int | None
    #: counts of "not yet" and of levels 1–8 (None: suppressed)
    counts: tuple[int, ...] | None
    #: the mean of the rated levels ("not yet" left out); None: none rated or suppressed
    mean: float | None
    suppressed: bool = False

    @property
    def rated(self) -> int | None:
        return None if self.counts is None else sum(self.counts[1:])

    def share(self, index: int) -> float:
        """The fraction of the row's answers at ``index`` (0: not yet)."""
        if self.counts is None or not sum(self.counts):
            return 0.0
        return self.counts[index] / sum(self.counts)


@dataclass(frozen=True, slots=True)
class LevelSeries:
    source: str
    #: learners with levels from this source (None: suppressed)
    learners: int | None
    #: each area followed by its competences, in the framework's order
    rows: tuple[LevelRow, ...]
    suppressed: bool = False

    def row(self, key: str, is_area: bool = False) -> LevelRow:
        return next(r for r in self.rows if r.key == key and r.is_area == is_area)


@dataclass(frozen=True, slots=True)
class GainRow:
    """Before/after one mobility: competences rated both times, up, same, down."""

    mobility_id: int
    code: str
    title: str
    #: learners with a completed self-assessment before and after (None: suppressed)
    learners: int | None
    compared: int | None
    higher: int | None
    same: int | None
    lower: int | None
    #: "not yet" before, a level after
    newly_rated: int | None
    mean_change: float | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class StageRow:
    stage: str
    cases: int | None


@dataclass(frozen=True, slots=True)
class Stages:
    learners: int | None
    cases: int | None
    rows: tuple[StageRow, ...]
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class MonthRow:
    month: str  # "2026-03"
    certificates: int | None  # None: suppressed
    revoked: int | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class MobilityCertificates:
    mobility_id: int | None  # None: certificates of cases without a mobility
    code: str
    title: str
    certificates: int | None
    suppressed: bool = False


@dataclass(frozen=True, slots=True)
class Overview:
    filters: Filters
    #: learners chosen by the filters (None: suppressed)
    learners: int | None
    #: the viewer gets no figure on fewer than ``threshold`` learners
    protected: bool
    series: tuple[LevelSeries, ...]
    gains: tuple[GainRow, ...]
    stages: Stages
    months: tuple[MonthRow, ...]
    by_mobility: tuple[MobilityCertificates, ...]
    threshold: int = SMALL_GROUP
    population_suppressed: bool = False

    def source(self, source: str) -> LevelSeries:
        return next(s for s in self.series if s.source == source)


@dataclass(frozen=True, slots=True)
class GroupChoice:
    group_id: int
    name: str
    school_year: str
    archived: bool


@dataclass(frozen=True, slots=True)
class MobilityChoice:
    mobility_id: int
    code: str
    title: str
    start_date: dt.date


@dataclass(frozen=True, slots=True)
class OverviewOptions:
    groups: tuple[GroupChoice, ...]
    school_years: tuple[str, ...]
    mobilities: tuple[MobilityChoice, ...]
    #: (framework id, version) with levels recorded, the default first
    frameworks: tuple[tuple[str, str], ...]
    protected: bool
    #: "school" (every learner) or "teacher" (the teacher's own learners)
    scope: str
    threshold: int = SMALL_GROUP


# --------------------------------------------------------------------------- who sees what


def whole_school(actor: Actor) -> bool:
    """Coordinators and administrators see the whole school; teachers their learners."""
    return actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR)


def is_protected(actor: Actor) -> bool:
    """True when small groups are hidden from ``actor``: someone who sees the whole school
    but may not open each learner's record (an administrator who is not a coordinator).
    Coordinators may reach every learner (scope.can_reach_learner), teachers see only the
    learners they teach: neither learns anything from a small figure they could not see
    learner by learner."""
    return actor.has(Role.ADMINISTRATOR) and not actor.has(Role.COORDINATOR)


def _population(actor: Actor, filters: Filters) -> Select[Any]:
    """A SELECT of the ids of the learners the filters choose, within the actor's reach."""
    query = select(Learner.id).where(Learner.erased_at.is_(None))
    if filters.group_id is not None:
        query = query.where(
            Learner.id.in_(
                select(GroupMember.learner_id).where(GroupMember.group_id == filters.group_id)
            )
        )
    if filters.school_year:
        query = query.where(
            Learner.id.in_(
                select(GroupMember.learner_id)
                .join(Group, Group.id == GroupMember.group_id)
                .where(Group.school_year == filters.school_year)
            )
        )
    if filters.mobility_id is not None:
        query = query.where(
            Learner.id.in_(
                select(MobilityParticipant.learner_id).where(
                    MobilityParticipant.mobility_id == filters.mobility_id
                )
            )
        )
    if not whole_school(actor):
        query = query.where(Learner.id.in_(teacher_learner_ids(actor.user_id)))
    return query


class _Hide:
    """Suppression for one viewer: a figure on 1 to threshold-1 learners is hidden."""

    def __init__(self, protected: bool) -> None:
        self.protected = protected

    def __call__(self, learners: int) -> bool:
        return self.protected and 0 < learners < SMALL_GROUP


# --------------------------------------------------------------------------- the figures


def _area_of(framework: Framework, column: Any) -> ColumnElement[str]:
    """SQL: the area id of a competence id column ("" for one not in the framework)."""
    whens = {c.id: area.id for area in framework.areas for c in area.competences}
    return case(whens, value=column, else_=literal(""))


def area_title(framework: Framework, area_id: str, language: str) -> str:
    return next((a.title.get(language) for a in framework.areas if a.id == area_id), area_id)


def _mean(counts: Sequence[int]) -> float | None:
    rated = sum(counts[1:])
    if not rated:
        return None
    return sum(level * counts[level] for level in range(1, TOP_LEVEL + 1)) / rated


def _spread(
    framework: Framework,
    counted: Sequence[Any],
    area_learners: dict[str, int],
    hide: _Hide,
) -> tuple[LevelRow, ...]:
    """Rows from (competence id, level, count) rows: each area, then its competences."""
    by_competence: dict[str, list[int]] = {}
    for competence_id, level, number in counted:
        counts = by_competence.setdefault(competence_id, [0] * (TOP_LEVEL + 1))
        index = 0 if level is None else int(level)
        if 0 <= index <= TOP_LEVEL:
            counts[index] += int(number)
    rows: list[LevelRow] = []
    for area in framework.areas:
        totals = [0] * (TOP_LEVEL + 1)
        competence_rows = []
        for competence in area.competences:
            counts = by_competence.get(competence.id, [0] * (TOP_LEVEL + 1))
            for index, number in enumerate(counts):
                totals[index] += number
            competence_rows.append(_level_row(competence.id, False, sum(counts), counts, hide))
        rows.append(_level_row(area.id, True, area_learners.get(area.id, 0), totals, hide))
        rows += competence_rows
    return tuple(rows)


def _level_row(key: str, is_area: bool, learners: int, counts: list[int], hide: _Hide) -> LevelRow:
    if hide(learners):
        return LevelRow(key, is_area, None, None, None, True)
    return LevelRow(key, is_area, learners, tuple(counts), _mean(counts))


def _self_series(
    session: Session,
    framework: Framework,
    filters: Filters,
    population: Select[Any],
    hide: _Hide,
) -> tuple[LevelSeries, ...]:
    """The latest, "before" and "after" spreads: each learner's completed self-assessments
    flagged as their latest, latest before and latest after (one may be several) go into a
    temporary table keyed by sheet id (a few ten thousand rows); the answers are then
    counted once for all three.

    The temporary table makes the join order plain: the answers are read in (competence,
    level) order from ``ix_self_assessment_answers_competence_level`` (a covering index)
    and each is looked up in the table by its sheet id, so SQLite groups them without
    sorting half a million rows (it has no hash aggregate). How many learners have an
    answer in each area follows from these counts (:func:`_areas_answered_by_all`); only
    an area it does not settle is counted sheet by sheet."""
    sheet = SelfAssessment
    order = (sheet.completed_at.desc(), sheet.id.desc())
    any_rank = func.row_number().over(partition_by=sheet.learner_id, order_by=order)
    moment_rank = func.row_number().over(
        partition_by=(sheet.learner_id, sheet.moment), order_by=order
    )
    query = select(
        sheet.id.label("sheet_id"),
        sheet.moment.label("moment"),
        any_rank.label("any_rank"),
        moment_rank.label("moment_rank"),
    ).where(
        sheet.completed_at.is_not(None),
        sheet.framework_id == filters.framework_id,
        sheet.framework_version == filters.framework_version,
        sheet.learner_id.in_(population),
    )
    if filters.mobility_id is not None:
        query = query.where(sheet.mobility_id == filters.mobility_id)
    ranked = query.subquery()

    def flag(condition: ColumnElement[bool]) -> Any:
        return case((condition, 1), else_=0)

    answer = SelfAssessmentAnswer
    sources = ("latest", "before", "after")
    flagged = Table(
        "overview_sheets",
        MetaData(),
        Column("sheet_id", Integer, primary_key=True, autoincrement=False),
        *(Column(name, Integer, nullable=False) for name in sources),
        prefixes=["TEMPORARY"],
    )
    connection = session.connection()
    flagged.drop(connection, checkfirst=True)
    flagged.create(connection)
    session.execute(
        insert(flagged).from_select(
            ["sheet_id", *sources],
            select(
                ranked.c.sheet_id,
                flag(ranked.c.any_rank == 1),
                flag(and_(ranked.c.moment == "before", ranked.c.moment_rank == 1)),
                flag(and_(ranked.c.moment == "after", ranked.c.moment_rank == 1)),
            ).where((ranked.c.any_rank == 1) | (ranked.c.moment_rank == 1)),
        )
    )
    if connection.dialect.name == "postgresql":
        # autovacuum never analyses a temporary table: without its size PostgreSQL would
        # read every answer of the school for one group's few dozen sheets
        session.execute(text("ANALYZE overview_sheets"))
    statement: CompoundSelect[Any] = union_all(
        select(
            literal("c").label("kind"),
            answer.competence_id.label("key"),
            answer.level.label("level"),
            *(func.sum(flagged.c[name]).label(name) for name in sources),
        )
        .join(flagged, flagged.c.sheet_id == answer.self_assessment_id)
        .group_by(answer.competence_id, answer.level),
        select(
            literal("l"),
            literal(""),
            literal(None, type_=Integer),
            *(func.sum(flagged.c[name]) for name in sources),
        ),
    )
    counted: dict[str, list[tuple[str, int | None, int]]] = {name: [] for name in sources}
    learners: dict[str, int] = {}
    for kind, key, level, *numbers in session.execute(statement):
        for name, value in zip(sources, numbers, strict=True):
            number = int(value or 0)
            if kind == "c":
                counted[name].append((key, level, number))
            else:
                learners[name] = number
    areas = {
        name: _areas_answered_by_all(framework, counted[name], learners.get(name, 0))
        for name in sources
    }
    unsettled = [a for a in framework.areas if any(a.id not in areas[n] for n in sources)]
    if unsettled:
        # some learner lacks an answer to every competence of these areas (a sheet
        # completed under other rules): count the sheets with an answer in each
        for area_id, *numbers in session.execute(
            union_all(
                *(
                    select(
                        literal(area.id), *(func.sum(flagged.c[name]) for name in sources)
                    ).where(
                        select(answer.id)
                        .where(
                            answer.self_assessment_id == flagged.c.sheet_id,
                            answer.competence_id.in_([c.id for c in area.competences]),
                        )
                        .exists()
                    )
                    for area in unsettled
                )
            )
        ):
            for name, value in zip(sources, numbers, strict=True):
                areas[name][area_id] = int(value or 0)
    flagged.drop(connection)
    return tuple(
        _series(
            name,
            learners.get(name, 0),
            _spread(framework, counted[name], areas[name], hide),
            hide,
        )
        for name in sources
    )


def _areas_answered_by_all(
    framework: Framework, counted: Sequence[tuple[str, int | None, int]], learners: int
) -> dict[str, int]:
    """The areas whose number of learners the (competence, level, count) rows settle: a
    learner has at most one level per competence, so when as many learners have a level
    (or "not yet") for some competence of an area as there are learners, each of them has
    one in that area. A completed self-assessment answers every competence, so this
    settles every area but for sheets completed under other rules."""
    per_competence: dict[str, int] = {}
    for competence_id, _level, number in counted:
        per_competence[competence_id] = per_competence.get(competence_id, 0) + number
    return {
        area.id: learners
        for area in framework.areas
        if any(per_competence.get(c.id, 0) == learners for c in area.competences)
    }


def _series(source: str, learners: int, rows: tuple[LevelRow, ...], hide: _Hide) -> LevelSeries:
    if hide(learners):
        return LevelSeries(source, None, tuple(_hidden(r) for r in rows), True)
    return LevelSeries(source, learners, rows)


def _hidden(row: LevelRow) -> LevelRow:
    if row.learners == 0:
        return row
    return LevelRow(row.key, row.is_area, None, None, None, True)


def _assessed_series(
    session: Session,
    framework: Framework,
    filters: Filters,
    population: Select[Any],
    hide: _Hide,
) -> LevelSeries:
    """The latest level assessed for each learner and competence, over their cases."""
    rank = (
        func.row_number()
        .over(
            partition_by=(ValidationCase.learner_id, Assessment.competence_id),
            order_by=(Assessment.assessed_on.desc(), Assessment.id.desc()),
        )
        .label("rank")
    )
    query = (
        select(
            ValidationCase.learner_id.label("learner_id"),
            Assessment.competence_id.label("competence_id"),
            Assessment.level.label("level"),
            rank,
        )
        .join(ValidationCase, ValidationCase.id == Assessment.case_id)
        .where(
            ValidationCase.framework_id == filters.framework_id,
            ValidationCase.framework_version == filters.framework_version,
            ValidationCase.learner_id.in_(population),
        )
    )
    if filters.mobility_id is not None:
        query = query.where(ValidationCase.mobility_id == filters.mobility_id)
    ranked = query.subquery()
    latest = (
        select(ranked.c.learner_id, ranked.c.competence_id, ranked.c.level)
        .where(ranked.c.rank == 1)
        .cte("assessed")
    )
    # each learner once per area, and once in all: DISTINCT, which PostgreSQL hashes
    in_area = (
        select(latest.c.learner_id, _area_of(framework, latest.c.competence_id).label("area"))
        .distinct()
        .subquery("in_area")
    )
    assessed_learners = select(latest.c.learner_id).distinct().subquery("assessed_learners")
    statement = union_all(
        select(literal("c"), latest.c.competence_id, latest.c.level, func.count()).group_by(
            latest.c.competence_id, latest.c.level
        ),
        select(literal("a"), in_area.c.area, literal(None, type_=Integer), func.count()).group_by(
            in_area.c.area
        ),
        select(literal("l"), literal(""), literal(None, type_=Integer), func.count()).select_from(
            assessed_learners
        ),
    )
    counted: list[tuple[str, int | None, int]] = []
    area_learners: dict[str, int] = {}
    learners = 0
    for kind, key, level, number in session.execute(statement):
        if kind == "c":
            counted.append((key, level, int(number)))
        elif kind == "a":
            area_learners[key] = int(number)
        else:
            learners = int(number)
    return _series("assessed", learners, _spread(framework, counted, area_learners, hide), hide)


def _pair_changes(session: Session, pairs: Any) -> tuple[dict[int, int], dict[int, Sequence[Any]]]:
    """For each mobility of the (mobility_id, before_id, after_id) ``pairs``: how many
    pairs, and the sums over their answers to the same competence: both rated, higher,
    same, lower, newly rated, the total change.

    On PostgreSQL each pair's two sheets are compared in a LATERAL subquery: the two
    sheets' answers come in competence order from the (sheet, competence) index and are
    merged, instead of one index probe per answer (5,000 pairs: about 85 ms of the
    server's CPU time instead of 195). SQLite, which has no LATERAL, probes; its probes
    are cheap."""
    first, second = aliased(SelfAssessmentAnswer), aliased(SelfAssessmentAnswer)
    both = and_(first.level.is_not(None), second.level.is_not(None))

    def counting(condition: ColumnElement[bool]) -> Any:
        return func.sum(case((condition, 1), else_=0))

    measures = (
        counting(both),
        counting(and_(both, second.level > first.level)),
        counting(and_(both, second.level == first.level)),
        counting(and_(both, second.level < first.level)),
        counting(and_(first.level.is_(None), second.level.is_not(None))),
        func.sum(second.level - first.level),
    )
    learners: dict[int, int] = {}
    changes: dict[int, Sequence[Any]] = {}
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        per_pair = (
            select(*(m.label(f"m{n}") for n, m in enumerate(measures)))
            .select_from(first)
            .join(second, second.competence_id == first.competence_id)
            .where(
                first.self_assessment_id == pairs.c.before_id,
                second.self_assessment_id == pairs.c.after_id,
            )
            .lateral("per_pair")
        )
        for mobility_id, number, *numbers in session.execute(
            select(pairs.c.mobility_id, func.count(), *(func.sum(c) for c in per_pair.c))
            .select_from(pairs.join(per_pair, true()))
            .group_by(pairs.c.mobility_id)
        ):
            learners[mobility_id] = int(number)
            changes[mobility_id] = numbers
        return learners, changes
    nothing = literal(None, type_=Integer)
    # one statement, so the pairs are worked out once: "n" rows count each mobility's
    # learners, "d" rows the changes of their answers
    for kind, mobility_id, *numbers in session.execute(
        union_all(
            select(literal("n"), pairs.c.mobility_id, func.count(), *(nothing,) * 5).group_by(
                pairs.c.mobility_id
            ),
            select(literal("d"), pairs.c.mobility_id, *measures)
            .join(first, first.self_assessment_id == pairs.c.before_id)
            .join(
                second,
                and_(
                    second.self_assessment_id == pairs.c.after_id,
                    second.competence_id == first.competence_id,
                ),
            )
            .group_by(pairs.c.mobility_id),
        )
    ):
        if kind == "n":
            learners[mobility_id] = int(numbers[0])
        else:
            changes[mobility_id] = numbers
    return learners, changes


def _gains(
    session: Session, filters: Filters, population: Select[Any], hide: _Hide
) -> tuple[GainRow, ...]:
    """Per mobility: each learner's latest completed "before" and "after" self-assessment
    of that mobility, compared competence by competence."""
    rank = (
        func.row_number()
        .over(
            partition_by=(
                SelfAssessment.learner_id,
                SelfAssessment.mobility_id,
                SelfAssessment.moment,
            ),
            order_by=(SelfAssessment.completed_at.desc(), SelfAssessment.id.desc()),
        )
        .label("rank")
    )
    query = select(
        SelfAssessment.id,
        SelfAssessment.learner_id,
        SelfAssessment.mobility_id,
        SelfAssessment.moment,
        rank,
    ).where(
        SelfAssessment.completed_at.is_not(None),
        SelfAssessment.framework_id == filters.framework_id,
        SelfAssessment.framework_version == filters.framework_version,
        SelfAssessment.moment.in_(("before", "after")),
        SelfAssessment.mobility_id.is_not(None),
        SelfAssessment.learner_id.in_(population),
    )
    if filters.mobility_id is not None:
        query = query.where(SelfAssessment.mobility_id == filters.mobility_id)
    ranked = query.subquery("ranked_sheets")
    latest = ranked.c.rank == 1
    pairs = (
        select(
            ranked.c.mobility_id.label("mobility_id"),
            func.max(case((and_(latest, ranked.c.moment == "before"), ranked.c.id))).label(
                "before_id"
            ),
            func.max(case((and_(latest, ranked.c.moment == "after"), ranked.c.id))).label(
                "after_id"
            ),
        )
        .where(latest)
        .group_by(ranked.c.learner_id, ranked.c.mobility_id)
        .having(
            and_(
                func.max(case((ranked.c.moment == "before", 1), else_=0)) == 1,
                func.max(case((ranked.c.moment == "after", 1), else_=0)) == 1,
            )
        )
        .cte("pairs")
    )
    learners, changes = _pair_changes(session, pairs)
    if not learners:
        return ()
    mobilities = {
        row.id: row
        for row in session.execute(
            select(Mobility.id, Mobility.code, Mobility.title, Mobility.start_date).where(
                Mobility.id.in_(list(learners))
            )
        )
    }
    rows = []
    for mobility_id, number in learners.items():
        mobility = mobilities[mobility_id]
        if hide(number):
            rows.append(
                GainRow(mobility_id, mobility.code, mobility.title, *(None,) * 7, suppressed=True)
            )
            continue
        compared, higher, same, lower, newly, total = (
            int(value or 0) for value in changes.get(mobility_id, (0,) * 6)
        )
        rows.append(
            GainRow(
                mobility_id,
                mobility.code,
                mobility.title,
                number,
                compared,
                higher,
                same,
                lower,
                newly,
                total / compared if compared else None,
            )
        )
    order = {m.id: (m.start_date, m.code) for m in mobilities.values()}
    return tuple(sorted(rows, key=lambda r: order[r.mobility_id]))


def _stages(session: Session, filters: Filters, population: Select[Any], hide: _Hide) -> Stages:
    where: list[ColumnElement[bool]] = [ValidationCase.learner_id.in_(population)]
    if filters.mobility_id is not None:
        where.append(ValidationCase.mobility_id == filters.mobility_id)
    counted = dict(
        session.execute(
            select(ValidationCase.stage, func.count()).where(*where).group_by(ValidationCase.stage)
        ).all()
    )
    learners = int(
        session.scalar(select(func.count(distinct(ValidationCase.learner_id))).where(*where)) or 0
    )
    if hide(learners):
        return Stages(None, None, tuple(StageRow(s, None) for s in STAGES), True)
    rows = tuple(StageRow(stage, int(counted.get(stage, 0))) for stage in STAGES)
    return Stages(learners, sum(r.cases or 0 for r in rows), rows)


def _month(db: Database) -> ColumnElement[str]:
    if db.backend == "postgresql":
        return func.to_char(func.timezone("UTC", Certificate.issued_at), "YYYY-MM")
    return func.substr(Certificate.issued_at, 1, 7)


def _certificates(
    db: Database,
    session: Session,
    filters: Filters,
    population: Select[Any],
    hide: _Hide,
) -> tuple[tuple[MonthRow, ...], tuple[MobilityCertificates, ...]]:
    where: list[ColumnElement[bool]] = [Certificate.learner_id.in_(population)]
    if filters.mobility_id is not None:
        where.append(Certificate.mobility_id == filters.mobility_id)
    month = _month(db).label("month")
    revoked = func.sum(case((Certificate.status == "revoked", 1), else_=0))
    months = []
    for name, issued, withdrawn in session.execute(
        select(month, func.count(), revoked).where(*where).group_by(month).order_by(month)
    ):
        if hide(int(issued)):
            months.append(MonthRow(str(name), None, None, True))
        else:
            months.append(MonthRow(str(name), int(issued), int(withdrawn or 0)))
    by_mobility = []
    for mobility_id, code, title, issued in session.execute(
        select(Certificate.mobility_id, Mobility.code, Mobility.title, func.count())
        .outerjoin(Mobility, Mobility.id == Certificate.mobility_id)
        .where(*where)
        .group_by(Certificate.mobility_id, Mobility.code, Mobility.title, Mobility.start_date)
        .order_by(Mobility.start_date, Mobility.code)
    ):
        number = int(issued)
        by_mobility.append(
            MobilityCertificates(
                mobility_id,
                code or "",
                title or "",
                None if hide(number) else number,
                hide(number),
            )
        )
    return tuple(months), tuple(by_mobility)


def _framework(db: Database, filters: Filters) -> Framework:
    try:
        return library_of(db).get(filters.framework_id, filters.framework_version)
    except KeyError:
        raise InvalidInput(
            "framework", f"{filters.framework_id} {filters.framework_version}"
        ) from None


def _check_filters(session: Session, actor: Actor, filters: Filters) -> None:
    """A teacher filters by their own groups and mobilities only (the figures would be
    theirs anyway; this keeps another group's size from being probed)."""
    if whole_school(actor):
        return
    from digcomp_app.services.permissions import deny_object
    from digcomp_app.storage.models import GroupTeacher

    if filters.group_id is not None and not session.scalar(
        select(func.count()).where(
            GroupTeacher.group_id == filters.group_id, GroupTeacher.user_id == actor.user_id
        )
    ):
        deny_object("group", filters.group_id)
    if filters.mobility_id is not None and not session.scalar(
        select(func.count()).where(
            MobilityTeacher.mobility_id == filters.mobility_id,
            MobilityTeacher.user_id == actor.user_id,
        )
    ):
        deny_object("mobility", filters.mobility_id)


def _compute(db: Database, actor: Actor, filters: Filters) -> Overview:
    """The figures (for the services below, which check the permission first)."""
    framework = _framework(db, filters)
    hide = _Hide(is_protected(actor))
    population = _population(actor, filters)
    with db.transaction() as session:
        _check_filters(session, actor, filters)
        if db.backend == "postgresql":
            # the window sorts of a whole school's sheets and assessed levels (100,000
            # rows and more) fit in memory instead of spilling to disk; this transaction only
            session.execute(text(f"SET LOCAL work_mem = '{WORK_MEMORY}'"))
        learners = int(session.scalar(select(func.count()).select_from(population.subquery())) or 0)
        series = (
            *_self_series(session, framework, filters, population, hide),
            _assessed_series(session, framework, filters, population, hide),
        )
        gains = _gains(session, filters, population, hide)
        stages = _stages(session, filters, population, hide)
        months, by_mobility = _certificates(db, session, filters, population, hide)
    return Overview(
        filters,
        None if hide(learners) else learners,
        hide.protected,
        series,
        gains,
        stages,
        months,
        by_mobility,
        population_suppressed=hide(learners),
    )


@service("overview.figures")
def figures(db: Database, actor: Actor, filters: Filters | None = None) -> Overview:
    """The overview of the learners ``filters`` choose (all the viewer may see)."""
    return _compute(db, actor, filters or Filters())


@service("overview.options")
def options(db: Database, actor: Actor) -> OverviewOptions:
    """What the viewer may filter by: groups, school years, mobilities, frameworks."""
    with db.transaction() as session:
        groups_query = select(Group).order_by(Group.school_year.desc(), Group.name)
        mobilities_query = select(Mobility).order_by(Mobility.start_date.desc(), Mobility.code)
        if not whole_school(actor):
            from digcomp_app.storage.models import GroupTeacher

            groups_query = groups_query.where(
                Group.id.in_(
                    select(GroupTeacher.group_id).where(GroupTeacher.user_id == actor.user_id)
                )
            )
            mobilities_query = mobilities_query.where(
                Mobility.id.in_(
                    select(MobilityTeacher.mobility_id).where(
                        MobilityTeacher.user_id == actor.user_id
                    )
                )
            )
        groups = tuple(
            GroupChoice(g.id, g.name, g.school_year, g.archived_at is not None)
            for g in session.scalars(groups_query)
        )
        mobility_choices = tuple(
            MobilityChoice(m.id, m.code, m.title, m.start_date)
            for m in session.scalars(mobilities_query)
        )
        used = set(
            session.execute(
                select(SelfAssessment.framework_id, SelfAssessment.framework_version).distinct()
            ).all()
        ) | set(
            session.execute(
                select(ValidationCase.framework_id, ValidationCase.framework_version).distinct()
            ).all()
        )
    default = ("digcomp", "3.0")
    frameworks = (default, *sorted(used - {default}))
    years = tuple(sorted({g.school_year for g in groups if g.school_year}, reverse=True))
    return OverviewOptions(
        groups,
        years,
        mobility_choices,
        frameworks,
        is_protected(actor),
        "school" if whole_school(actor) else "teacher",
    )


# --------------------------------------------------------------------------- the numbers


Cell = str | int | float | None


@dataclass(frozen=True, slots=True)
class NumbersTable:
    """One table of the numbers behind a chart, as shown, exported and printed."""

    name: str  # a stable id: "latest", "gains", "stages", "months", "mobilities"
    title: str
    columns: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    #: rows that head others (areas), for bold type
    strong: frozenset[int] = field(default_factory=frozenset)


def fewer_text(language: str) -> str:
    return gettext_for(language)(FEWER).format(number=SMALL_GROUP)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def numbers_tables(
    overview: Overview, framework: Framework, language: str
) -> tuple[NumbersTable, ...]:
    """The overview's figures as tables, in ``language``: a suppressed figure is the words
    "fewer than 5", never a number."""
    _ = gettext_for(language)
    fewer = fewer_text(language)
    levels = tuple(str(n) for n in range(1, TOP_LEVEL + 1))
    tables = []
    for series in overview.series:
        rows: list[tuple[Cell, ...]] = []
        strong = set()
        for index, row in enumerate(series.rows):
            if row.is_area:
                strong.add(index)
                title = area_title(framework, row.key, language)
            else:
                title = framework.competence(row.key).title.get(language)
            if row.suppressed or row.counts is None:
                rows.append((row.key, title, fewer, *([None] * (TOP_LEVEL + 2))))
            else:
                rows.append((row.key, title, row.learners, *row.counts, _round(row.mean)))
        tables.append(
            NumbersTable(
                series.source,
                _(SOURCE_NAMES[series.source]),
                (_("Code"), _("Competence"), _("Learners"), _("not yet"), *levels, _("Mean")),
                tuple(rows),
                frozenset(strong),
            )
        )
    gain_rows: list[tuple[Cell, ...]] = []
    for gain in overview.gains:
        if gain.suppressed:
            gain_rows.append((gain.code, gain.title, fewer, *([None] * 6)))
        else:
            gain_rows.append(
                (
                    gain.code,
                    gain.title,
                    gain.learners,
                    gain.compared,
                    gain.higher,
                    gain.same,
                    gain.lower,
                    gain.newly_rated,
                    _round(gain.mean_change),
                )
            )
    tables.append(
        NumbersTable(
            "gains",
            _("Before and after each mobility"),
            (
                _("Mobility"),
                _("Title"),
                _("Learners"),
                _("Compared"),
                _("Higher"),
                _("Same"),
                _("Lower"),
                _("Newly rated"),
                _("Mean change"),
            ),
            tuple(gain_rows),
        )
    )
    stages = overview.stages
    total = stages.cases or 0
    stage_rows: list[tuple[Cell, ...]] = []
    for stage in stages.rows:
        if stages.suppressed or stage.cases is None:
            stage_rows.append((_(STAGE_NAMES[stage.stage]), fewer, None))
        else:
            share = round(100 * stage.cases / total, 1) if total else 0.0
            stage_rows.append((_(STAGE_NAMES[stage.stage]), stage.cases, share))
    tables.append(
        NumbersTable(
            "stages",
            _("Cases per stage"),
            (_("Stage"), _("Cases"), _("Share, %")),
            tuple(stage_rows),
        )
    )
    month_rows: list[tuple[Cell, ...]] = [
        (m.month, fewer, None) if m.suppressed else (m.month, m.certificates, m.revoked)
        for m in overview.months
    ]
    tables.append(
        NumbersTable(
            "months",
            _("Certificates issued per month"),
            (_("Month"), _("Certificates"), _("Revoked since")),
            tuple(month_rows),
        )
    )
    mobility_rows: list[tuple[Cell, ...]] = [
        (
            m.code or _("without a mobility"),
            m.title,
            fewer if m.suppressed else m.certificates,
        )
        for m in overview.by_mobility
    ]
    tables.append(
        NumbersTable(
            "mobilities",
            _("Certificates issued per mobility"),
            (_("Mobility"), _("Title"), _("Certificates")),
            tuple(mobility_rows),
        )
    )
    return tuple(tables)


def _filter_text(db: Database, filters: Filters, language: str) -> str:
    """What the filters chose, in words (for an export's heading)."""
    _ = gettext_for(language)
    parts = []
    with db.transaction() as session:
        if filters.group_id is not None:
            group = session.get(Group, filters.group_id)
            parts.append(_("group {name}").format(name=group.name if group else "?"))
        if filters.school_year:
            parts.append(_("school year {year}").format(year=filters.school_year))
        if filters.mobility_id is not None:
            mobility = session.get(Mobility, filters.mobility_id)
            label = f"{mobility.code} {mobility.title}" if mobility else "?"
            parts.append(_("mobility {mobility}").format(mobility=label))
    return "; ".join(parts) if parts else _("all learners")


# --------------------------------------------------------------------------- export


def _text(cell: Cell) -> Cell:
    return neutralise_cell(cell) if isinstance(cell, str) else cell


def write_csv(path: Path, heading: Sequence[str], tables: Sequence[NumbersTable]) -> None:
    """One CSV file (UTF-8 with a byte order mark, for spreadsheet programs): the heading
    lines, then each table after an empty line, its title first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    for line in heading:
        writer.writerow([_text(line)])
    for table in tables:
        writer.writerow([])
        writer.writerow([_text(table.title)])
        writer.writerow([_text(c) for c in table.columns])
        for row in table.rows:
            writer.writerow(["" if c is None else _text(c) for c in row])
    path.write_text(buffer.getvalue(), encoding="utf-8-sig", newline="")


def _sheet_title(title: str, taken: set[str]) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip("' ")[:31]
    name, number = cleaned or "Sheet", 2
    while name.lower() in taken:
        suffix = f" ({number})"
        name, number = cleaned[: 31 - len(suffix)] + suffix, number + 1
    taken.add(name.lower())
    return name


def _column_name(index: int) -> str:
    name = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        name = chr(65 + rest) + name
    return name


def _xlsx_cell(reference: str, cell: Cell, bold: bool) -> str:
    style = ' s="1"' if bold else ""
    if cell is None or cell == "":
        return ""
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        text = xml_escape(str(_text(str(cell))))
        space = ' xml:space="preserve"' if text != text.strip() else ""
        return f'<c r="{reference}" t="inlineStr"{style}><is><t{space}>{text}</t></is></c>'
    return f'<c r="{reference}"{style}><v>{cell!r}</v></c>'


def _worksheet(lines: Sequence[tuple[Sequence[Cell], bool]]) -> str:
    rows = []
    for number, (cells, bold) in enumerate(lines, start=1):
        inner = "".join(
            _xlsx_cell(f"{_column_name(i)}{number}", cell, bold) for i, cell in enumerate(cells)
        )
        rows.append(f'<row r="{number}">{inner}</row>')
    return (
        '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
        f'<worksheet xmlns="{_XLSX_MAIN}"><cols><col min="1" max="1" width="14" customWidth="1"/>'
        '<col min="2" max="2" width="48" customWidth="1"/></cols>'
        f"<sheetData>{''.join(rows)}</sheetData></worksheet>"
    )


_XLSX_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_XLSX_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_XLSX_STYLES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    f'<styleSheet xmlns="{_XLSX_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="2"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)


def write_xlsx(path: Path, heading: Sequence[str], tables: Sequence[NumbersTable]) -> None:
    """One worksheet per table, the heading lines above it; numbers stay numbers. Written
    directly as Office Open XML (the app reads XLSX without a spreadsheet library, and
    writes it the same way)."""
    taken: set[str] = set()
    sheets = []
    for table in tables:
        lines: list[tuple[Sequence[Cell], bool]] = [([line], False) for line in heading]
        lines.append(([table.title], True))
        lines.append((table.columns, True))
        lines += [(row, index in table.strong) for index, row in enumerate(table.rows)]
        sheets.append((_sheet_title(table.title, taken), _worksheet(lines)))
    header = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
    package = "http://schemas.openxmlformats.org/package/2006"
    office = "http://schemas.openxmlformats.org/officeDocument/2006"
    overrides = "".join(
        f'<Override PartName="/xl/worksheets/sheet{n}.xml" ContentType="application/'
        'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
        for n in range(1, len(sheets) + 1)
    )
    content_types = (
        f'{header}<Types xmlns="{package}/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/>'
        '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
        'officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-'
        f'officedocument.spreadsheetml.styles+xml"/>{overrides}</Types>'
    )
    root_rels = (
        f'{header}<Relationships xmlns="{package}/relationships">'
        f'<Relationship Id="rId1" Type="{office}/relationships/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>'
    )
    sheet_list = "".join(
        f'<sheet name="{xml_escape(name, {chr(34): "&quot;"})}" sheetId="{n}" r:id="rId{n}"/>'
        for n, (name, _xml) in enumerate(sheets, start=1)
    )
    workbook = (
        f'{header}<workbook xmlns="{_XLSX_MAIN}" xmlns:r="{_XLSX_REL}">'
        f"<sheets>{sheet_list}</sheets></workbook>"
    )
    workbook_rels = (
        f'{header}<Relationships xmlns="{package}/relationships">'
        + "".join(
            f'<Relationship Id="rId{n}" Type="{office}/relationships/worksheet" '
            f'Target="worksheets/sheet{n}.xml"/>'
            for n in range(1, len(sheets) + 1)
        )
        + f'<Relationship Id="rId{len(sheets) + 1}" Type="{office}/relationships/styles" '
        'Target="styles.xml"/></Relationships>'
    )
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", content_types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", workbook_rels)
        archive.writestr("xl/styles.xml", _XLSX_STYLES)
        for n, (_name, xml) in enumerate(sheets, start=1):
            archive.writestr(f"xl/worksheets/sheet{n}.xml", xml)


def _document(
    db: Database,
    overview: Overview,
    framework: Framework,
    tables: Sequence[NumbersTable],
    language: str,
    heading: Sequence[str],
) -> OverviewDocument:
    """Plain data for the printed overview: a bar chart per source, then the tables."""
    _ = gettext_for(language)
    fewer = fewer_text(language)
    charts = []
    for series in overview.series:
        bars = []
        for row in series.rows:
            label = f"{row.key} " + (
                area_title(framework, row.key, language)
                if row.is_area
                else framework.competence(row.key).title.get(language)
            )
            if row.suppressed or row.counts is None:
                bars.append(BarRow(label, (), fewer, row.is_area))
            elif not sum(row.counts):
                bars.append(BarRow(label, (), "—", row.is_area))
            else:
                shares = tuple(row.share(i) for i in range(TOP_LEVEL + 1))
                mean = "—" if row.mean is None else f"{row.mean:.1f}"
                bars.append(BarRow(label, shares, f"{row.learners} · {mean}", row.is_area))
        charts.append(DocumentChart(_(SOURCE_NAMES[series.source]), tuple(bars)))
    with db.transaction() as session:
        home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
        organisation = home.name if home is not None else ""
    return OverviewDocument(
        organisation=organisation,
        subtitle=" · ".join(heading[1:]),
        framework=framework,
        printed_on=dt.date.today(),
        charts=tuple(charts),
        tables=tuple(
            DocumentTable(
                t.title,
                t.columns,
                tuple(tuple("" if c is None else _cell_text(c) for c in row) for row in t.rows),
                t.strong,
            )
            for t in tables
            if t.name not in SOURCES
        ),
        legend=(_("not yet"), *(str(n) for n in range(1, TOP_LEVEL + 1))),
        note=_(
            "Bars: the share of learners at each level; after each bar, the number of "
            "learners and the mean level. Figures on fewer than {number} learners are "
            "not shown to viewers who may not see each learner."
        ).format(number=SMALL_GROUP),
    )


def _cell_text(cell: Cell) -> str:
    if isinstance(cell, float):
        return f"{cell:.2f}".rstrip("0").rstrip(".")
    return str(cell)


def _write_bytes(path: Path, content: bytes) -> None:
    path.write_bytes(content)


@service("overview.export")
def export(
    db: Database,
    actor: Actor,
    filters: Filters | None,
    path: Path | str,
    kind: str,
    language: str = "en",
) -> Path:
    """Write the overview as ``kind`` (xlsx, csv or pdf) in ``language`` to ``path``;
    text cells that a spreadsheet would run as formulas are neutralised."""
    if kind not in EXPORT_KINDS:
        raise InvalidInput("kind", kind)
    filters = filters or Filters()
    overview = _compute(db, actor, filters)
    framework = _framework(db, filters)
    _ = gettext_for(language)
    tables = numbers_tables(overview, framework, language)
    population = fewer_text(language) if overview.population_suppressed else str(overview.learners)
    heading = (
        _("School overview"),
        f"{framework_short(framework)}: {_filter_text(db, filters, language)}",
        _("Learners: {number}").format(number=population),
        _("Made on {date}").format(date=dt.date.today().isoformat()),
    )
    target = Path(path)
    writers: dict[str, Callable[[], None]] = {
        "csv": lambda: write_csv(target, heading, tables),
        "xlsx": lambda: write_xlsx(target, heading, tables),
        "pdf": lambda: _write_bytes(
            target,
            render_overview(
                _document(db, overview, framework, tables, language, heading), language
            ),
        ),
    }
    writers[kind]()
    with db.transaction() as session:
        append(
            session,
            actor.username,
            "overview.export",
            "ok",
            "overview",
            kind,
            {
                "group_id": filters.group_id,
                "school_year": filters.school_year,
                "mobility_id": filters.mobility_id,
                "framework": f"{filters.framework_id} {filters.framework_version}",
            },
        )
    return target
