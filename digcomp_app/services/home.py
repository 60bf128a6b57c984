"""What needs doing, per role: the figures and lists the home screens show.

Each function reads only (no audit record: nothing changes, and the same lists are open to
the person on their other screens) and returns frozen DTOs. Lists are short by design: a
home screen shows the first few items and a count of the rest.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.scope import teacher_learner_ids
from digcomp_app.services.self_assessment import latest_completed
from digcomp_app.services.validation import FLAG_GAP, STAGES
from digcomp_app.storage.models import (
    Assessment,
    AuditEvent,
    Learner,
    Mobility,
    MobilityParticipant,
    SelfAssessment,
    SigningKey,
    User,
    UserRole,
    ValidationCase,
)

#: a mobility "ends soon" when its last day is at most this many days away
ENDING_SOON_DAYS = 30
#: a backup older than this many days is shown as a warning
BACKUP_OLD_DAYS = 7
#: the stages at which a teacher still works on a case
OPEN_STAGES = ("identification", "documentation", "assessment")


@dataclass(frozen=True, slots=True)
class SelfAssessmentTodo:
    """A self-assessment for the learner to finish (``assessment_id`` set) or to start."""

    mobility_id: int | None
    mobility_code: str
    mobility_title: str
    moment: str  # "before", "after" or "other"
    start_date: dt.date | None
    end_date: dt.date | None
    framework_id: str
    framework_version: str
    assessment_id: int | None = None
    answered: int = 0

    @property
    def unfinished(self) -> bool:
        return self.assessment_id is not None


@dataclass(frozen=True, slots=True)
class LearnerHome:
    linked: bool  # the account belongs to a learner record
    todos: tuple[SelfAssessmentTodo, ...]
    finished: int  # self-assessments completed so far
    mobilities: int  # mobilities the learner takes part in


@dataclass(frozen=True, slots=True)
class CaseLine:
    case_id: int
    learner_id: int
    learner_name: str
    mobility_id: int | None
    mobility_code: str
    stage: str
    updated_at: dt.datetime


@dataclass(frozen=True, slots=True)
class GapLine:
    """A target competence whose target or assessed level is far from the learner's own
    rating."""

    case_id: int
    learner_id: int
    learner_name: str
    mobility_id: int | None
    competence_id: str
    self_level: int
    #: the level assessed, or the target level while the competence is not assessed
    level: int
    assessed: bool
    framework_id: str = "digcomp"
    framework_version: str = "3.0"

    @property
    def gap(self) -> int:
        return self.level - self.self_level


@dataclass(frozen=True, slots=True)
class TeacherHome:
    #: (stage, number of cases) for every stage, in workflow order
    stage_counts: tuple[tuple[str, int], ...]
    #: the cases still being worked on (identification to assessment), oldest change first
    open_cases: tuple[CaseLine, ...]
    gaps: tuple[GapLine, ...]
    learners: int  # learners this teacher works with (groups and mobilities)

    def count(self, stage: str) -> int:
        return dict(self.stage_counts).get(stage, 0)


@dataclass(frozen=True, slots=True)
class MobilityLine:
    mobility_id: int
    code: str
    title: str
    start_date: dt.date
    end_date: dt.date
    participants: int
    days_left: int


@dataclass(frozen=True, slots=True)
class CoordinatorHome:
    waiting: tuple[CaseLine, ...]  # sent for certification, oldest first
    ending_soon: tuple[MobilityLine, ...]
    mobilities: int
    learners: int
    open_cases: int  # cases before certification


@dataclass(frozen=True, slots=True)
class BackupLine:
    at: dt.datetime
    file_name: str
    size: int
    by: str

    def age_days(self, now: dt.datetime) -> int:
        at = self.at if self.at.tzinfo else self.at.replace(tzinfo=dt.UTC)
        return max(0, (now - at).days)


@dataclass(frozen=True, slots=True)
class KeyLine:
    key_id: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class UserLine:
    user_id: int
    username: str
    display_name: str
    created_at: dt.datetime


@dataclass(frozen=True, slots=True)
class AdministratorHome:
    last_backup: BackupLine | None
    key: KeyLine | None  # the signing key in use (None: no certificate can be issued)
    #: active accounts still on their one-time password (nobody chose one yet)
    no_password: tuple[UserLine, ...]
    learners: int  # active learners
    staff: int  # active accounts with a teacher or coordinator role


def _name(learner: Learner | None) -> str:
    return f"{learner.given_names} {learner.surname}" if learner is not None else ""


def _case_line(session: Session, case: ValidationCase) -> CaseLine:
    mobility = session.get(Mobility, case.mobility_id) if case.mobility_id else None
    return CaseLine(
        case.id,
        case.learner_id,
        _name(session.get(Learner, case.learner_id)),
        case.mobility_id,
        mobility.code if mobility is not None else "",
        case.stage,
        case.updated_at,
    )


# --------------------------------------------------------------------------- learner


@service("home.learner")
def learner(db: Database, actor: Actor, today: dt.date | None = None) -> LearnerHome:
    """The learner's self-assessments to finish, and those to start before a mobility (until
    it ends) or after it (once it has begun)."""
    today = today or dt.date.today()
    if actor.learner_id is None:
        return LearnerHome(False, (), 0, 0)
    with db.transaction() as session:
        rows = session.scalars(
            select(SelfAssessment)
            .where(SelfAssessment.learner_id == actor.learner_id)
            .order_by(SelfAssessment.started_at, SelfAssessment.id)
        ).all()
        mobilities = session.scalars(
            select(Mobility)
            .join(MobilityParticipant, MobilityParticipant.mobility_id == Mobility.id)
            .where(MobilityParticipant.learner_id == actor.learner_id)
            .order_by(Mobility.start_date, Mobility.id)
        ).all()
        by_id = {m.id: m for m in mobilities}
        todos: list[SelfAssessmentTodo] = []
        for row in rows:
            if row.completed_at is not None:
                continue
            mobility = by_id.get(row.mobility_id) if row.mobility_id else None
            todos.append(
                SelfAssessmentTodo(
                    row.mobility_id,
                    mobility.code if mobility else "",
                    mobility.title if mobility else "",
                    row.moment,
                    mobility.start_date if mobility else None,
                    mobility.end_date if mobility else None,
                    row.framework_id,
                    row.framework_version,
                    row.id,
                    len(row.answers),
                )
            )
        taken = {(r.mobility_id, r.moment) for r in rows}  # finished or under way
        for mobility in mobilities:
            for moment in ("before", "after"):
                if (mobility.id, moment) in taken:
                    continue
                due = (
                    mobility.end_date >= today
                    if moment == "before"
                    else (mobility.start_date <= today)
                )
                if due:
                    todos.append(
                        SelfAssessmentTodo(
                            mobility.id,
                            mobility.code,
                            mobility.title,
                            moment,
                            mobility.start_date,
                            mobility.end_date,
                            mobility.framework_id,
                            mobility.framework_version,
                        )
                    )
        finished = sum(1 for r in rows if r.completed_at is not None)
        return LearnerHome(True, tuple(todos), finished, len(mobilities))


# --------------------------------------------------------------------------- teacher


def _gaps(session: Session, case: ValidationCase, name: str) -> list[GapLine]:
    """The case screen's ⚑: the learner's own rating (after the mobility, else the latest)
    two or more levels from the level assessed or, until assessed, from the target."""
    source = latest_completed(
        session, case.learner_id, case.mobility_id, "after"
    ) or latest_completed(session, case.learner_id)
    if source is None:
        return []
    own = {a.competence_id: a.level for a in source.answers}
    assessed = {
        a.competence_id: a.level
        for a in session.scalars(select(Assessment).where(Assessment.case_id == case.id))
    }
    found = []
    for target in case.targets:
        level = own.get(target.competence_id)
        other = assessed.get(target.competence_id, target.target_level)
        if level is not None and abs(other - level) >= FLAG_GAP:
            found.append(
                GapLine(
                    case.id,
                    case.learner_id,
                    name,
                    case.mobility_id,
                    target.competence_id,
                    level,
                    other,
                    target.competence_id in assessed,
                    case.framework_id,
                    case.framework_version,
                )
            )
    return found


@service("home.teacher")
def teacher(db: Database, actor: Actor) -> TeacherHome:
    """The teacher's cases per stage, those still to work on, and the levels two or more
    away from the learner's own rating (see :func:`_gaps`)."""
    with db.transaction() as session:
        learner_ids = teacher_learner_ids(actor.user_id)
        cases = session.scalars(
            select(ValidationCase)
            .where(ValidationCase.learner_id.in_(learner_ids))
            .order_by(ValidationCase.updated_at, ValidationCase.id)
        ).all()
        counts = {stage: 0 for stage in STAGES}
        open_cases: list[CaseLine] = []
        gaps: list[GapLine] = []
        for case in cases:
            counts[case.stage] = counts.get(case.stage, 0) + 1
            if case.stage in OPEN_STAGES:
                line = _case_line(session, case)
                open_cases.append(line)
                gaps.extend(_gaps(session, case, line.learner_name))
        learners = session.scalar(
            select(func.count()).select_from(
                select(Learner.id)
                .where(Learner.id.in_(learner_ids), Learner.active.is_(True))
                .subquery()
            )
        )
        gaps.sort(key=lambda g: (-abs(g.gap), g.learner_name, g.competence_id))
        return TeacherHome(
            tuple(counts.items()), tuple(open_cases), tuple(gaps), int(learners or 0)
        )


# --------------------------------------------------------------------------- coordinator


@service("home.coordinator")
def coordinator(db: Database, actor: Actor, today: dt.date | None = None) -> CoordinatorHome:
    """Cases waiting for certification and mobilities whose last day is within
    :data:`ENDING_SOON_DAYS` days (or today)."""
    today = today or dt.date.today()
    with db.transaction() as session:
        waiting = session.scalars(
            select(ValidationCase)
            .where(ValidationCase.stage == "certification")
            .order_by(ValidationCase.updated_at, ValidationCase.id)
        ).all()
        ending = session.scalars(
            select(Mobility)
            .where(
                Mobility.end_date >= today,
                Mobility.end_date <= today + dt.timedelta(days=ENDING_SOON_DAYS),
            )
            .order_by(Mobility.end_date, Mobility.id)
        ).all()
        ending_lines = []
        for mobility in ending:
            participants = session.scalar(
                select(func.count())
                .select_from(MobilityParticipant)
                .where(MobilityParticipant.mobility_id == mobility.id)
            )
            ending_lines.append(
                MobilityLine(
                    mobility.id,
                    mobility.code,
                    mobility.title,
                    mobility.start_date,
                    mobility.end_date,
                    int(participants or 0),
                    (mobility.end_date - today).days,
                )
            )
        return CoordinatorHome(
            tuple(_case_line(session, c) for c in waiting),
            tuple(ending_lines),
            int(session.scalar(select(func.count()).select_from(Mobility)) or 0),
            int(
                session.scalar(
                    select(func.count()).select_from(Learner).where(Learner.active.is_(True))
                )
                or 0
            ),
            int(
                session.scalar(
                    select(func.count())
                    .select_from(ValidationCase)
                    .where(ValidationCase.stage.in_(OPEN_STAGES))
                )
                or 0
            ),
        )


# --------------------------------------------------------------------------- administrator


@service("home.administrator")
def administrator(db: Database, actor: Actor) -> AdministratorHome:
    """The newest backup (from the audit log), the signing key in use, and the active
    accounts whose one-time password has not been replaced yet."""
    with db.transaction() as session:
        event = session.scalar(
            select(AuditEvent)
            .where(AuditEvent.action == "backup.create", AuditEvent.outcome == "ok")
            .order_by(AuditEvent.id.desc())
            .limit(1)
        )
        backup = None
        if event is not None:
            details = event.details or {}
            backup = BackupLine(
                event.at, event.entity_id, int(details.get("size") or 0), event.actor
            )
        key = session.scalar(
            select(SigningKey)
            .where(SigningKey.retired_at.is_(None))
            .order_by(SigningKey.id.desc())
            .limit(1)
        )
        users = session.scalars(
            select(User)
            .where(User.active.is_(True), User.must_change_password.is_(True))
            .order_by(User.created_at, User.id)
        ).all()
        learners = session.scalar(
            select(func.count()).select_from(Learner).where(Learner.active.is_(True))
        )
        staff = session.scalar(
            select(func.count(func.distinct(User.id)))
            .join(UserRole, UserRole.user_id == User.id)
            .where(
                User.active.is_(True),
                UserRole.role.in_([Role.TEACHER.value, Role.COORDINATOR.value]),
            )
        )
        return AdministratorHome(
            backup,
            KeyLine(key.key_id, key.created_at) if key is not None else None,
            tuple(UserLine(u.id, u.username, u.display_name, u.created_at) for u in users),
            int(learners or 0),
            int(staff or 0),
        )
