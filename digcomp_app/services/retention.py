"""Retention rules (decision 0027): how long evidence files and learners who left are kept.

Two rules, each off until the administrator sets a number of years:

- **evidence files**: a file given as evidence is deleted N years after its mobility ended
  (a case without a mobility: N years after it was certified; an open case without a
  mobility is never due). The evidence item goes with its file; notes and links stay.
- **learners who left**: a deactivated learner is erased (as :mod:`erasure` does) N years
  after they were deactivated (the date of the audit log's last ``learners.set_active``
  that deactivated them).

:func:`retention_preview` lists exactly what is due on a day; :func:`apply_retention` takes
that preview and removes exactly its items that are still due (nothing the preview did not
show), in one transaction, then cleans the SQLite file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.erasure import (
    clean_database_file,
    erase_in,
    full_name,
    new_pseudonym,
    secure_delete,
)
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.evidence import release_blob
from digcomp_app.services.permissions import Actor, service
from digcomp_app.storage.models import (
    AuditEvent,
    EvidenceBlob,
    EvidenceItem,
    Learner,
    Mobility,
    Organisation,
    ValidationCase,
)

MAX_YEARS = 50


@dataclass(frozen=True, slots=True)
class RetentionRules:
    #: years after the mobility (or the case) ended; None: files are kept
    evidence_years: int | None = None
    #: years after a learner was deactivated; None: learners are kept
    learner_years: int | None = None


@dataclass(frozen=True, slots=True)
class DueFile:
    evidence_id: int
    case_id: int
    learner_id: int
    learner_name: str
    title: str
    file_name: str
    size: int
    ended_on: dt.date
    due_on: dt.date


@dataclass(frozen=True, slots=True)
class DueLearner:
    learner_id: int
    full_name: str
    learner_number: str
    left_on: dt.date
    due_on: dt.date


@dataclass(frozen=True, slots=True)
class RetentionPlan:
    """What the rules remove on ``as_of``: the preview, and what :func:`apply_retention`
    is given to carry out."""

    rules: RetentionRules
    as_of: dt.date
    files: tuple[DueFile, ...]
    learners: tuple[DueLearner, ...]

    @property
    def empty(self) -> bool:
        return not self.files and not self.learners

    @property
    def file_bytes(self) -> int:
        return sum(f.size for f in self.files)

    def describe(self) -> str:
        from digcomp_app.i18n import format_date

        return _(
            "On {date} the rules remove {files} evidence file(s) and erase {learners} learner(s)."
        ).format(date=format_date(self.as_of), files=len(self.files), learners=len(self.learners))


@dataclass(frozen=True, slots=True)
class RetentionResult:
    files_deleted: int
    learners_erased: int
    #: items of the preview no longer due when it was applied (changed meanwhile)
    skipped: int
    file_cleaned: bool

    def describe(self) -> str:
        return _(
            "Done: {files} evidence file(s) deleted, {learners} learner(s) erased, "
            "{skipped} no longer due."
        ).format(files=self.files_deleted, learners=self.learners_erased, skipped=self.skipped)


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _home(session: Session) -> Organisation:
    home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
    if home is None:
        raise NotFound(_("The school's details have not been entered yet."))
    return home


def _years(value: object, field: str, label: str) -> int | None:
    if value is None or value == "":
        return None
    try:
        years = int(str(value).strip())
    except ValueError:
        years = -1
    if isinstance(value, bool) or not 1 <= years <= MAX_YEARS:
        raise InvalidInput(
            field,
            _("The {field} must be a whole number of years from 1 to {most}, or empty.").format(
                field=label, most=MAX_YEARS
            ),
        )
    return years


def _rules(session: Session) -> RetentionRules:
    home = session.scalar(select(Organisation).where(Organisation.is_home.is_(True)))
    if home is None:
        return RetentionRules()
    return RetentionRules(home.evidence_retention_years, home.learner_retention_years)


@service("privacy.retention_rules")
def retention_rules(db: Database, actor: Actor) -> RetentionRules:
    with db.transaction() as session:
        return _rules(session)


@service("privacy.set_retention_rules")
def set_retention_rules(
    db: Database, actor: Actor, evidence_years: int | None, learner_years: int | None
) -> RetentionRules:
    """Set both rules (None or "": that rule is off)."""
    rules = RetentionRules(
        _years(evidence_years, "evidence_years", _("retention of evidence files")),
        _years(learner_years, "learner_years", _("retention of learners who left")),
    )
    with db.transaction() as session:
        home = _home(session)
        home.evidence_retention_years = rules.evidence_years
        home.learner_retention_years = rules.learner_years
        append(
            session,
            actor.username,
            "privacy.set_retention_rules",
            "ok",
            "organisation",
            home.id,
            {"evidence_years": rules.evidence_years, "learner_years": rules.learner_years},
        )
    return rules


def _aware_date(value: dt.datetime) -> dt.date:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().date()


def _due_files(session: Session, years: int, as_of: dt.date) -> list[DueFile]:
    rows = session.execute(
        select(EvidenceItem, ValidationCase, Learner, Mobility.end_date, EvidenceBlob.size)
        .join(ValidationCase, ValidationCase.id == EvidenceItem.case_id)
        .join(Learner, Learner.id == ValidationCase.learner_id)
        .outerjoin(Mobility, Mobility.id == ValidationCase.mobility_id)
        .outerjoin(EvidenceBlob, EvidenceBlob.sha256 == EvidenceItem.blob_sha256)
        .where(EvidenceItem.blob_sha256.is_not(None))
        .order_by(EvidenceItem.id)
    )
    due = []
    for item, case, learner, end_date, size in rows:
        mobility_end: dt.date | None = end_date  # None: a case of its own (outer join)
        if mobility_end is not None:
            ended = mobility_end
        elif case.stage == "certified":
            ended = _aware_date(case.updated_at)
        else:
            continue  # an open case of its own has not ended
        due_on = add_years(ended, years)
        if due_on <= as_of:
            due.append(
                DueFile(
                    item.id,
                    case.id,
                    learner.id,
                    full_name(learner),
                    item.title,
                    item.file_name,
                    int(size or 0),
                    ended,
                    due_on,
                )
            )
    return due


def _left_on(session: Session) -> dict[int, dt.date]:
    """When each learner was last deactivated, from the audit log."""
    left: dict[int, dt.date] = {}
    for entity_id, at, details in session.execute(
        select(AuditEvent.entity_id, AuditEvent.at, AuditEvent.details)
        .where(
            AuditEvent.action == "learners.set_active",
            AuditEvent.entity == "learner",
            AuditEvent.outcome == "ok",
        )
        .order_by(AuditEvent.id)
    ):
        if not entity_id.isdigit():
            continue
        if (details or {}).get("active") is False:
            left[int(entity_id)] = _aware_date(at)
        else:
            left.pop(int(entity_id), None)
    return left


def _due_learners(session: Session, years: int, as_of: dt.date) -> list[DueLearner]:
    left = _left_on(session)
    due = []
    for learner in session.scalars(
        select(Learner)
        .where(Learner.active.is_(False), Learner.erased_at.is_(None))
        .order_by(Learner.surname, Learner.given_names, Learner.id)
    ):
        left_on = left.get(learner.id)
        if left_on is None:
            continue
        due_on = add_years(left_on, years)
        if due_on <= as_of:
            due.append(
                DueLearner(
                    learner.id, full_name(learner), learner.learner_number or "", left_on, due_on
                )
            )
    return due


def _plan(session: Session, as_of: dt.date) -> RetentionPlan:
    rules = _rules(session)
    learners = _due_learners(session, rules.learner_years, as_of) if rules.learner_years else []
    erased = {d.learner_id for d in learners}
    files = (
        [
            f
            for f in _due_files(session, rules.evidence_years, as_of)
            if f.learner_id not in erased  # their erasure removes these anyway
        ]
        if rules.evidence_years
        else []
    )
    return RetentionPlan(rules, as_of, tuple(files), tuple(learners))


@service("privacy.retention_preview")
def retention_preview(db: Database, actor: Actor, as_of: dt.date | None = None) -> RetentionPlan:
    """What the rules remove on ``as_of`` (today when None); nothing is changed."""
    if as_of is not None and not isinstance(as_of, dt.date):
        raise InvalidInput("as_of", _("The date must be a date (YYYY-MM-DD)."))
    with db.transaction() as session:
        return _plan(session, as_of or dt.date.today())


@service("privacy.apply_retention")
def apply_retention(db: Database, actor: Actor, plan: RetentionPlan) -> RetentionResult:
    """Carry out ``plan`` (from :func:`retention_preview`): each of its items that is still
    due on the plan's day under the rules now set goes; nothing else does."""
    if not isinstance(plan, RetentionPlan):
        raise InvalidInput("plan", _("Preview what the rules remove first."))
    with db.transaction() as session:
        secure_delete(session)
        now = _plan(session, plan.as_of)
        still_files = {f.evidence_id for f in now.files}
        still_learners = {d.learner_id for d in now.learners}
        files = [f for f in plan.files if f.evidence_id in still_files]
        learners = [d for d in plan.learners if d.learner_id in still_learners]
        for due_file in files:
            item = session.get(EvidenceItem, due_file.evidence_id)
            sha256 = item.blob_sha256 if item is not None else None
            if item is not None:
                session.delete(item)
                session.flush()
                release_blob(session, sha256)
        erased = []
        for due in learners:
            learner = session.get(Learner, due.learner_id)
            if learner is None:
                continue
            pseudonym = new_pseudonym()
            counts = erase_in(session, learner, pseudonym)
            erased.append(due.learner_id)
            append(
                session,
                actor.username,
                "privacy.apply_retention",
                "ok",
                "learner",
                due.learner_id,
                {"pseudonym": pseudonym, "rule": "learner_years", **counts},
            )
        skipped = len(plan.files) + len(plan.learners) - len(files) - len(erased)
        append(
            session,
            actor.username,
            "privacy.apply_retention",
            "ok",
            details={
                "as_of": plan.as_of.isoformat(),
                "evidence_years": now.rules.evidence_years,
                "learner_years": now.rules.learner_years,
                "evidence": [f.evidence_id for f in files],
                "learners": erased,
                "skipped": skipped,
            },
        )
    cleaned = clean_database_file(db) if files or erased else False
    return RetentionResult(len(files), len(erased), skipped, cleaned)
