"""Assessing the target competences (edits made at the same moment by someone else
refused), and the learner's own rating beside the level assessed."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConcurrentChange, InvalidInput, NotFound
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.self_assessment import latest_completed
from digcomp_app.services.validation.model import (
    MAX_ASSESSMENT_TEXT,
    METHODS,
    AssessmentInfo,
    GapRow,
)
from digcomp_app.services.validation.rows import assessment_info, load_case, require_stage
from digcomp_app.storage.models import Assessment


@service("validation.record_assessment")
def record_assessment(
    db: Database,
    actor: Actor,
    case_id: int,
    competence_id: str,
    level: int,
    method: str,
    comment: str = "",
    criteria: str = "",
    assessed_on: dt.date | None = None,
    expected_version: int | None = None,
) -> AssessmentInfo:
    """Record (or correct) the level reached in one target competence.

    ``expected_version`` is the version the assessor saw (None for a new assessment); if
    someone saved in between, :class:`ConcurrentChange` carries their values and nothing
    is overwritten.
    """
    if method not in METHODS:
        raise InvalidInput("method", _("Unknown assessment method: {method}").format(method=method))
    comment = clean_text(comment, "comment", _("comment"), MAX_ASSESSMENT_TEXT, multiline=True)
    criteria = clean_text(
        criteria, "criteria", _("assessment criteria"), MAX_ASSESSMENT_TEXT, multiline=True
    )
    try:
        with db.transaction() as session:
            case = load_case(session, actor, case_id)
            require_stage(case, "assessment")
            if competence_id not in {t.competence_id for t in case.targets}:
                raise InvalidInput(
                    "competence",
                    _("Competence {id} is not a target of this case.").format(id=competence_id),
                )
            framework = library_of(db, session).get(case.framework_id, case.framework_version)
            if level not in {lv.number for lv in framework.levels}:
                raise InvalidInput(
                    "level",
                    _("There is no level {level} in {framework}.").format(
                        level=level, framework=framework.label
                    ),
                )
            row = session.scalar(
                select(Assessment).where(
                    Assessment.case_id == case_id, Assessment.competence_id == competence_id
                )
            )
            if row is not None and row.version != expected_version:
                raise ConcurrentChange(_changed_message(), assessment_info(session, row))
            if row is None:
                if expected_version is not None:
                    raise NotFound(_("The assessment you were editing was removed."))
                row = Assessment(case_id=case_id, competence_id=competence_id)
                session.add(row)
            row.level, row.method = level, method
            row.comment, row.criteria = comment, criteria
            row.assessor_id = actor.user_id
            row.assessed_on = assessed_on or dt.date.today()
            session.flush()
            append(
                session,
                actor.username,
                "validation.record_assessment",
                "ok",
                "case",
                case_id,
                {"competence": competence_id, "level": level, "method": method},
            )
            return assessment_info(session, row)
    except (StaleDataError, IntegrityError) as error:
        # Someone saved between our read and our write: checked by the version column
        # (StaleDataError), or, for a first assessment, by the unique key of the case and
        # competence (IntegrityError: both assessors found none and inserted one).
        if isinstance(error, IntegrityError) and not _is_first_assessment_clash(
            db, case_id, competence_id
        ):
            raise
        with db.transaction() as session:
            current = session.scalar(
                select(Assessment).where(
                    Assessment.case_id == case_id, Assessment.competence_id == competence_id
                )
            )
            raise ConcurrentChange(
                _changed_message(), assessment_info(session, current) if current else None
            ) from None


def _is_first_assessment_clash(db: Database, case_id: int, competence_id: str) -> bool:
    """Whether an assessment of the competence now exists (so the refused insert was a
    second one, made at the same moment)."""
    with db.transaction() as session:
        found = session.scalar(
            select(Assessment.id).where(
                Assessment.case_id == case_id, Assessment.competence_id == competence_id
            )
        )
    return found is not None


def _changed_message() -> str:
    return _(
        "Someone else saved this assessment while you were editing it. Their values "
        "are shown; nothing of yours was saved over theirs."
    )


@service("validation.self_vs_assessed")
def self_vs_assessed(db: Database, actor: Actor, case_id: int) -> list[GapRow]:
    """Per target competence: the learner's own latest rating beside the assessed level."""
    with db.transaction() as session:
        case = load_case(session, actor, case_id)
        source = latest_completed(
            session, case.learner_id, case.mobility_id, "after"
        ) or latest_completed(session, case.learner_id)
        own = {a.competence_id: a.level for a in source.answers} if source else {}
        assessed = {
            a.competence_id: a.level
            for a in session.scalars(select(Assessment).where(Assessment.case_id == case_id))
        }
        return [
            GapRow(t.competence_id, own.get(t.competence_id), assessed.get(t.competence_id))
            for t in case.targets
        ]
