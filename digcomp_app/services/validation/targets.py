"""The target competences of a case, chosen at identification (edits made at the same
moment by someone else refused)."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ConcurrentChange, InvalidInput
from digcomp_app.services.frameworks_library import library_of
from digcomp_app.services.permissions import Actor, service
from digcomp_app.services.validation.model import CaseInfo, TargetDraft
from digcomp_app.services.validation.rows import case_info, load_case, require_stage
from digcomp_app.storage.models import TargetCompetence, ValidationCase, utcnow


def _check_targets(
    db: Database, session: Session, case: ValidationCase, targets: Iterable[TargetDraft]
) -> list[TargetDraft]:
    framework = library_of(db, session).get(case.framework_id, case.framework_version)
    levels = {level.number for level in framework.levels}
    seen: set[str] = set()
    checked = []
    for target in targets:
        try:
            competence = framework.competence(target.competence_id)
        except KeyError:
            raise InvalidInput(
                "competence",
                _("There is no competence {id} in {framework}.").format(
                    id=target.competence_id, framework=framework.label
                ),
            ) from None
        if target.competence_id in seen:
            raise InvalidInput(
                "competence", _("Competence {id} is listed twice.").format(id=target.competence_id)
            )
        seen.add(target.competence_id)
        if target.level not in levels:
            raise InvalidInput(
                "level",
                _("There is no level {level} in {framework}.").format(
                    level=target.level, framework=framework.label
                ),
            )
        outcomes = {o.id for o in competence.learning_outcomes}
        wrong = [o for o in target.outcome_ids if o not in outcomes]
        if wrong:
            raise InvalidInput(
                "outcomes",
                _("These learning outcomes do not belong to competence {id}: {items}").format(
                    id=target.competence_id, items=", ".join(wrong)
                ),
            )
        checked.append(target)
    return checked


@service("validation.set_targets")
def set_targets(
    db: Database,
    actor: Actor,
    case_id: int,
    targets: list[TargetDraft],
    expected_version: int | None = None,
) -> CaseInfo:
    """Replace the case's target competences (at identification).

    ``expected_version`` is the case version the editor saw (:attr:`CaseInfo.version`); if
    someone saved the targets (or moved the case and back) in between, :class:`ConcurrentChange`
    carries the case as it is now and nothing is overwritten. None skips the check.
    """
    try:
        with db.transaction() as session:
            case = load_case(session, actor, case_id)
            require_stage(case, "identification")
            if expected_version is not None and case.version != expected_version:
                raise ConcurrentChange(_targets_changed_message(), case_info(session, case))
            checked = _check_targets(db, session, case, targets)
            # The case row carries the version: writing it first checks it (and, on a
            # server, makes a second editor wait here until the first has committed).
            case.updated_at = utcnow()
            session.flush()
            # Update in place: replacing the list would insert before deleting (unique key).
            wanted = {t.competence_id: t for t in checked}
            for row in list(case.targets):
                if row.competence_id not in wanted:
                    case.targets.remove(row)
            session.flush()
            existing = {row.competence_id: row for row in case.targets}
            for target in checked:
                kept = existing.get(target.competence_id)
                if kept is None:
                    kept = TargetCompetence(competence_id=target.competence_id)
                    case.targets.append(kept)
                kept.target_level, kept.outcome_ids = target.level, list(target.outcome_ids)
            session.flush()
            append(
                session,
                actor.username,
                "validation.set_targets",
                "ok",
                "case",
                case.id,
                {"targets": [[t.competence_id, t.level] for t in checked]},
            )
            return case_info(session, case)
    except StaleDataError:
        # Someone saved between our read and our write (checked by the version column).
        with db.transaction() as session:
            current = load_case(session, actor, case_id)
            raise ConcurrentChange(
                _targets_changed_message(), case_info(session, current)
            ) from None


def _targets_changed_message() -> str:
    return _(
        "Someone else saved the targets of this case while you were editing them. Their "
        "targets are shown; nothing of yours was saved over theirs."
    )
