"""Printed reports: a learner's competence profile and a mobility's summary.

Each service reads what the report shows in one transaction and returns the PDF, in
the language asked for (which need not be the interface's). Who may see it follows
the usual rules: a learner their own profile, a teacher their learners', a
coordinator everyone's; the mobility summary is the coordinator's.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.documents.attestation import ascii_name, check_languages
from digcomp_app.documents.mobility_summary import (
    MobilitySummaryData,
    SummaryParticipant,
    render_mobility_summary,
)
from digcomp_app.documents.profile import (
    AreaFigures,
    ProfileData,
    ProfileRow,
    SkillsTestPart,
    TestRow,
    TestScore,
    render_profile,
)
from digcomp_app.documents.texts import gettext_for
from digcomp_app.framework import Framework, builtin_library
from digcomp_app.framework.digcompsat import (
    LARGE_DIFFERENCE,
    TYPES,
    Profile,
    Score,
    builtin_bank,
)
from digcomp_app.framework.digcompsat import score as score_test
from digcomp_app.i18n import N_, UI_LANGUAGES, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.mobilities import mobility_text, stored_texts
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.scope import require_learner
from digcomp_app.services.self_assessment import latest_completed, latest_finished, scores
from digcomp_app.services.skills_test import compare_with_levels
from digcomp_app.services.validation import FLAG_GAP, STAGE_NAMES
from digcomp_app.storage.models import (
    Assessment,
    Certificate,
    Learner,
    Mobility,
    MobilityParticipant,
    Organisation,
    SelfAssessment,
    SkillsTest,
    ValidationCase,
)

CERTIFIED = N_("certified, {serial}")
NOT_STARTED = N_("recognition not started")


@dataclass(frozen=True, slots=True)
class ReportFile:
    """A rendered report: a suggested file name and the PDF."""

    file_name: str
    pdf: bytes


def _language(language: str) -> str:
    try:
        return check_languages([language])[0]
    except ValueError:
        raise InvalidInput(
            "language",
            _("Reports are printed in one of {languages}, not: {given}").format(
                languages=", ".join(UI_LANGUAGES), given=language
            ),
        ) from None


def _home_name(session: Session) -> str:
    home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
    return home.name if home else ""


def _framework(framework_id: str, version: str) -> Framework:
    library = builtin_library()
    return library.find(framework_id, version) or library.default()


def _completed(session: Session, learner_id: int, mobility_id: int | None) -> list[SelfAssessment]:
    query = select(SelfAssessment).where(
        SelfAssessment.learner_id == learner_id, SelfAssessment.completed_at.is_not(None)
    )
    if mobility_id is not None:
        query = query.where(SelfAssessment.mobility_id == mobility_id)
    return list(session.scalars(query.order_by(SelfAssessment.completed_at, SelfAssessment.id)))


def _before_after(
    session: Session, learner_id: int, mobility_id: int | None, done: list[SelfAssessment]
) -> tuple[SelfAssessment | None, SelfAssessment | None]:
    """The mobility's "before" and "after" self-assessments, else the first and last
    completed ones (as the comparison on screen)."""
    before = latest_completed(session, learner_id, mobility_id, "before")
    after = latest_completed(session, learner_id, mobility_id, "after")
    if before is not None and after is not None:
        return before, after
    if len(done) >= 2:
        return done[0], done[-1]
    return None, None


def _assessed_levels(session: Session, learner_id: int, mobility_id: int | None) -> dict[str, int]:
    """The latest level a teacher assessed per competence, across the learner's cases."""
    query = (
        select(Assessment.competence_id, Assessment.level)
        .join(ValidationCase, ValidationCase.id == Assessment.case_id)
        .where(ValidationCase.learner_id == learner_id)
        .order_by(Assessment.assessed_on, Assessment.id)
    )
    if mobility_id is not None:
        query = query.where(ValidationCase.mobility_id == mobility_id)
    return {competence: level for competence, level in session.execute(query)}


def _date(value: dt.datetime | None) -> dt.date | None:
    return value.astimezone().date() if value is not None else None


def _test_score(figures: Score) -> TestScore:
    found = figures.band
    return TestScore(
        figures.percent,
        found.id if found else None,
        found.levels if found else None,
        not figures.empty,
    )


def _by_type(profile: Profile) -> tuple[TestScore, TestScore, TestScore]:
    knowledge, skills, attitudes = (_test_score(profile.by_type[kind]) for kind in TYPES)
    return knowledge, skills, attitudes


def _skills_test(
    session: Session,
    learner_id: int,
    mobility_id: int | None,
    own: dict[str, int | None],
    own_on: dt.date | None,
    area_figures: dict[str, AreaFigures],
) -> SkillsTestPart | None:
    """The learner's latest finished skills test (of the mobility when given) scored, each
    competence beside the own level as the test's result screen compares them; None when
    they have finished none."""
    test = latest_finished(session, SkillsTest, learner_id, mobility_id)
    if test is None or test.completed_at is None:
        return None
    bank = builtin_bank()
    result = score_test(bank, {a.item_id: a.value for a in test.answers})
    compared = {c.competence_id: c for c in compare_with_levels(result, own)}
    area_of = {item.competence: item.area for item in bank.items}
    rows: list[TestRow] = []
    for area in result.areas:
        figures = area_figures.get(area.id)
        rows.append(
            TestRow(
                area.id,
                True,
                _test_score(area.overall),
                _by_type(area),
                own=figures.shown if figures is not None else None,
                rated=figures is not None,
            )
        )
        for profile in result.competences:
            if area_of[profile.id] != area.id:
                continue
            mine = compared[profile.id]
            rows.append(
                TestRow(
                    profile.id,
                    False,
                    _test_score(profile.overall),
                    _by_type(profile),
                    own=mine.own_level,
                    rated=mine.rated,
                    difference=mine.difference,
                    large=mine.large,
                )
            )
    taken_on = _date(test.completed_at)
    assert taken_on is not None
    return SkillsTestPart(
        taken_on=taken_on,
        language=test.language,
        answered=result.answered,
        unclear=result.unclear,
        total=result.total,
        framework=builtin_library().get(*bank.framework),
        rows=tuple(rows),
        own_on=own_on,
        flag_gap=LARGE_DIFFERENCE,
    )


@service("reports.profile")
def profile(
    db: Database, actor: Actor, learner_id: int, language: str, mobility_id: int | None = None
) -> ReportFile:
    """The learner's profile: self-assessment results with the chart, their latest
    finished skills test beside them, before/after, and own rating against the assessed
    level (limited to one mobility when given)."""
    chosen = _language(language)
    with db.transaction() as session:
        require_learner(session, actor, learner_id)
        learner = session.get(Learner, learner_id)
        if learner is None:
            raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
        mobility_title = ""
        if mobility_id is not None:
            mobility = session.get(Mobility, mobility_id)
            taking_part = session.get(MobilityParticipant, (mobility_id, learner_id))
            if mobility is None or taking_part is None:
                raise InvalidInput(
                    "mobility_id", _("The learner does not take part in this mobility.")
                )
            # in the report's language, else the other language's
            mobility_title = (
                mobility_text(stored_texts(mobility), "title", chosen)[0] or mobility.title
            )
        done = _completed(session, learner_id, mobility_id)
        latest = done[-1] if done else None
        before, after = _before_after(session, learner_id, mobility_id, done)
        framework = (
            _framework(latest.framework_id, latest.framework_version)
            if latest
            else builtin_library().default()
        )
        own = {a.competence_id: a.level for a in latest.answers} if latest else {}
        first = {a.competence_id: a.level for a in before.answers} if before else {}
        last = {a.competence_id: a.level for a in after.answers} if after else {}
        assessed = _assessed_levels(session, learner_id, mobility_id)
        # the same computation as the results screen's (one number, one rule)
        area_scores: dict[str, AreaFigures] = (
            {a.area_id: a for a in scores(framework, own).areas} if latest else {}
        )
        rows = tuple(
            ProfileRow(c.id, own.get(c.id), first.get(c.id), last.get(c.id), assessed.get(c.id))
            for c in framework.competences()
        )
        data = ProfileData(
            learner_name=f"{learner.given_names} {learner.surname}",
            organisation=_home_name(session),
            framework=framework,
            printed_on=dt.date.today(),
            latest_on=_date(latest.completed_at) if latest else None,
            before_on=_date(before.completed_at) if before else None,
            after_on=_date(after.completed_at) if after else None,
            rows=rows,
            mobility_title=mobility_title,
            flag_gap=FLAG_GAP,
            area_scores=area_scores,
            skills_test=_skills_test(
                session,
                learner_id,
                mobility_id,
                own,
                _date(latest.completed_at) if latest else None,
                area_scores,
            ),
        )
        append(session, actor.username, "reports.profile", "ok", "learner", learner_id)
    name = ascii_name(data.learner_name) or str(learner_id)
    return ReportFile(f"profile_{name}_{chosen}.pdf", render_profile(data, chosen))


@service("reports.mobility_summary")
def mobility_summary(db: Database, actor: Actor, mobility_code: str, language: str) -> ReportFile:
    """Participants × competences of one mobility: the level each reached."""
    chosen = _language(language)
    gettext = gettext_for(chosen)
    with db.transaction() as session:
        mobility = session.scalar(select(Mobility).where(Mobility.code == mobility_code.strip()))
        if mobility is None:
            raise NotFound(
                _("There is no mobility with the code {code}.").format(code=mobility_code)
            )
        framework = _framework(mobility.framework_id, mobility.framework_version)
        learners = session.scalars(
            select(Learner)
            .join(MobilityParticipant, MobilityParticipant.learner_id == Learner.id)
            .where(MobilityParticipant.mobility_id == mobility.id)
            .order_by(Learner.surname, Learner.given_names, Learner.id)
        ).all()
        participants = []
        for learner in learners:
            levels, status = _reached(session, mobility.id, learner.id, gettext)
            participants.append(
                SummaryParticipant(f"{learner.given_names} {learner.surname}", levels, status)
            )
        host = session.get(Organisation, mobility.host_organisation_id)
        data = MobilitySummaryData(
            code=mobility.code,
            title=mobility.title,
            organisation=_home_name(session),
            host=host.name if host else "",
            host_country=mobility.host_country,
            start=mobility.start_date,
            end=mobility.end_date,
            framework=framework,
            printed_on=dt.date.today(),
            participants=tuple(participants),
            texts=stored_texts(mobility),
        )
        append(session, actor.username, "reports.mobility_summary", "ok", "mobility", mobility.id)
    return ReportFile(
        f"mobility-summary_{ascii_name(mobility.code) or mobility.id}_{chosen}.pdf",
        render_mobility_summary(data, chosen),
    )


def _reached(
    session: Session, mobility_id: int, learner_id: int, gettext: Callable[[str], str]
) -> tuple[dict[str, int], str]:
    """The levels a participant reached and the state of their recognition: the issued
    certificate's frozen levels, else the open case's assessments so far."""
    certificate = session.scalar(
        select(Certificate)
        .where(
            Certificate.mobility_id == mobility_id,
            Certificate.learner_id == learner_id,
            Certificate.status == "issued",
        )
        .order_by(Certificate.issued_at.desc(), Certificate.id.desc())
        .limit(1)
    )
    if certificate is not None:
        snapshot = json.loads(certificate.snapshot)
        levels = {str(c["competence"]): int(c["level"]) for c in snapshot.get("competences", ())}
        return levels, gettext(CERTIFIED).format(serial=certificate.serial)
    case = session.scalar(
        select(ValidationCase)
        .where(ValidationCase.mobility_id == mobility_id, ValidationCase.learner_id == learner_id)
        .order_by(ValidationCase.id.desc())
        .limit(1)
    )
    if case is None:
        return {}, gettext(NOT_STARTED)
    levels = {
        a.competence_id: a.level
        for a in session.scalars(select(Assessment).where(Assessment.case_id == case.id))
    }
    return levels, gettext(STAGE_NAMES[case.stage])
