"""Importing rosters from the school register: learners (with their groups) and staff.

A file is read and checked by :mod:`digcomp_app.services.roster_files` (no database); here
its rows are compared with the school's data. :func:`preview_learners` says what an import
would do and every problem, by line and column; :func:`import_learners` does it in one
transaction, all or nothing, refusing while any problem remains. Learners are matched by
their learner number, so importing the same file again updates and never duplicates.
The audit log records each import with its counts (never the names).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services import learners as learner_service
from digcomp_app.services.accounts import OneTimeCredential, new_staff_user
from digcomp_app.services.accounts.one_time import credential_for
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import ServiceError, simultaneous_changes_refused
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.roster_files import (
    ColumnMapping,
    LearnerRow,
    RosterCancelled,
    RosterProblem,
    RosterTable,
    StaffRow,
    ignored_sensitive_columns,
    parse_learners,
    parse_staff,
)
from digcomp_app.storage.models import Group, Learner, User, UserRole

#: how often (in rows) an import reports progress and looks for Cancel
_STEP = 100


class ImportRefused(ServiceError):
    """The file has problems; nothing was changed. ``plan`` lists them."""

    def __init__(self, plan: LearnerImportPlan | StaffImportPlan) -> None:
        super().__init__(
            _("Nothing was imported: the file has {count} problem(s) to correct first.").format(
                count=len(plan.problems)
            )
        )
        self.plan = plan


@dataclass(frozen=True, slots=True)
class PlannedLearner:
    line: int
    #: "create", "update" or "unchanged"
    action: str
    learner_id: int | None
    given_names: str
    surname: str
    learner_number: str
    group: str
    date_of_birth: dt.date | None
    email: str
    #: what an update changes: names of fields ("name", "group", "email", ...)
    changes: tuple[str, ...] = ()


class _Plan:
    """What a preview says: its rows (each with an ``action``) and its problems."""

    __slots__ = ()
    rows: tuple[Any, ...]  # each with an ``action``
    problems: tuple[RosterProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)


@dataclass(frozen=True, slots=True)
class LearnerImportPlan(_Plan):
    file_name: str
    rows: tuple[PlannedLearner, ...]
    problems: tuple[RosterProblem, ...]
    #: groups named in the file that do not exist yet (created by the import when allowed)
    new_groups: tuple[str, ...]
    #: things worth knowing that do not stop the import (ignored columns, ...)
    notices: tuple[str, ...]
    skipped_empty: int


@dataclass(frozen=True, slots=True)
class ImportResult:
    file_name: str
    created: int
    updated: int
    unchanged: int
    skipped_empty: int
    groups_created: tuple[str, ...]
    #: staff imports: the new accounts' one-time passwords, for their slips
    credentials: tuple[OneTimeCredential, ...] = field(default=())


def _notices(table: RosterTable, keep_birth_dates: bool, mapping: ColumnMapping) -> list[str]:
    notices = [
        _(
            "The column '{column}' is not imported: the app does not keep national personal codes."
        ).format(column=table.headers[index])
        for index in ignored_sensitive_columns(table.headers)
    ]
    if "date_of_birth" in mapping.columns and not keep_birth_dates:
        notices.append(
            _(
                "The dates of birth in column '{column}' are not imported: the school does not "
                "keep them (School details)."
            ).format(column=table.headers[mapping.columns["date_of_birth"]])
        )
    return notices


def _plan_learners(
    session: Session,
    table: RosterTable,
    mapping: ColumnMapping,
    default_group: str,
    create_groups: bool,
) -> LearnerImportPlan:
    keep_birth_dates = learner_service.keeps_birth_dates(session)
    notices = _notices(table, keep_birth_dates, mapping)
    if not keep_birth_dates and "date_of_birth" in mapping.columns:
        # the column is left out (the notice says so): its values are not even checked
        mapping = ColumnMapping(
            {k: v for k, v in mapping.columns.items() if k != "date_of_birth"}, mapping.unsure
        )
    rows, problems = parse_learners(table, mapping)
    problems = list(problems)
    columns = mapping.columns

    def header(name: str) -> str:
        return table.headers[columns[name]] if name in columns else ""

    numbers = [row.learner_number for row in rows if row.learner_number]
    existing: dict[str, Learner] = {}
    for start in range(0, len(numbers), 500):
        for learner in session.scalars(
            select(Learner).where(Learner.learner_number.in_(numbers[start : start + 500]))
        ):
            existing[learner.learner_number or ""] = learner
    groups = {g.name.lower(): g for g in session.scalars(select(Group))}
    current = _current_groups(session, [x.id for x in existing.values()])
    new_groups: dict[str, str] = {}
    planned: list[PlannedLearner] = []
    for row in rows:
        row_problems = _row_problems(row, existing, header)
        group_name = row.group or default_group.strip()
        group = groups.get(group_name.lower()) if group_name else None
        if group_name and group is None:
            if create_groups:
                new_groups.setdefault(group_name.lower(), group_name)
            else:
                row_problems.append(
                    RosterProblem(
                        row.line,
                        header("group"),
                        _("the group '{group}' does not exist").format(group=group_name),
                    )
                )
        elif group is not None:
            group_name = group.name
            if group.archived_at is not None:
                row_problems.append(
                    RosterProblem(
                        row.line,
                        header("group"),
                        _("the group '{group}' is archived and takes no learners").format(
                            group=group.name
                        ),
                    )
                )
        if row_problems:
            problems.extend(row_problems)
            continue
        born = row.date_of_birth if keep_birth_dates else None
        match = existing.get(row.learner_number)
        if match is None:
            planned.append(
                PlannedLearner(
                    row.line,
                    "create",
                    None,
                    row.given_names,
                    row.surname,
                    row.learner_number,
                    group_name,
                    born,
                    row.email,
                )
            )
            continue
        changes = []
        if (match.given_names, match.surname) != (row.given_names, row.surname):
            changes.append("name")
        if row.email and row.email != match.email:
            changes.append("email")
        if born is not None and born != match.date_of_birth:
            changes.append("date_of_birth")
        if group_name and current.get(match.id, set()) != {group_name}:
            changes.append("group")
        if not match.active:
            changes.append("active")
        planned.append(
            PlannedLearner(
                row.line,
                "update" if changes else "unchanged",
                match.id,
                row.given_names,
                row.surname,
                row.learner_number,
                group_name,
                born,
                row.email or match.email,
                tuple(changes),
            )
        )
    if not rows and not problems:
        problems.append(RosterProblem(0, "", _("the file lists no learners")))
    problems.sort(key=lambda p: (p.line, p.column))
    return LearnerImportPlan(
        table.file_name,
        tuple(planned),
        tuple(problems),
        tuple(sorted(new_groups.values(), key=str.lower)),
        tuple(notices),
        table.skipped_empty,
    )


def _row_problems(
    row: LearnerRow, existing: dict[str, Learner], header: Callable[[str], str]
) -> list[RosterProblem]:
    problems = []
    if not row.learner_number:
        problems.append(
            RosterProblem(
                row.line,
                header("learner_number"),
                _(
                    "no learner number: the import recognises learners by their number in the "
                    "school register"
                ),
            )
        )
        return problems
    match = existing.get(row.learner_number)
    if match is not None and (
        learner_service.fold(match.surname) != learner_service.fold(row.surname)
        and learner_service.fold(match.given_names) != learner_service.fold(row.given_names)
    ):
        problems.append(
            RosterProblem(
                row.line,
                header("learner_number"),
                _(
                    "the learner number {number} belongs to {name} in the database, not to "
                    "{other}: correct the file or that learner's record"
                ).format(
                    number=row.learner_number,
                    name=f"{match.given_names} {match.surname}",
                    other=f"{row.given_names} {row.surname}",
                ),
            )
        )
    return problems


def _current_groups(session: Session, learner_ids: list[int]) -> dict[int, set[str]]:
    from digcomp_app.storage.models import GroupMember

    found: dict[int, set[str]] = {}
    for start in range(0, len(learner_ids), 500):
        rows = session.execute(
            select(GroupMember.learner_id, Group.name)
            .join(Group, Group.id == GroupMember.group_id)
            .where(
                GroupMember.learner_id.in_(learner_ids[start : start + 500]),
                Group.archived_at.is_(None),
            )
        )
        for learner_id, name in rows:
            found.setdefault(learner_id, set()).add(name)
    return found


@service("rosters.preview_learners")
def preview_learners(
    db: Database,
    actor: Actor,
    table: RosterTable,
    mapping: ColumnMapping,
    default_group: str = "",
    create_groups: bool = True,
) -> LearnerImportPlan:
    """What importing ``table`` would do, and every problem; changes nothing.
    ``default_group`` is the group of rows whose file names none."""
    with db.transaction() as session:
        return _plan_learners(session, table, mapping, default_group, create_groups)


@service("rosters.import_learners")
def import_learners(
    db: Database,
    actor: Actor,
    table: RosterTable,
    mapping: ColumnMapping,
    default_group: str = "",
    create_groups: bool = True,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import in one transaction: everything or, on a problem or Cancel, nothing.
    Raises :class:`ImportRefused` (with the plan) when the file has problems and
    ``RosterCancelled`` when ``should_stop`` said so."""
    with simultaneous_changes_refused(), db.transaction() as session:
        plan = _plan_learners(session, table, mapping, default_group, create_groups)
        if not plan.ok:
            raise ImportRefused(plan)
        school_year = _school_year()
        groups = {g.name.lower(): g for g in session.scalars(select(Group))}
        created_groups = []
        for name in plan.new_groups:
            group = learner_service.new_group(session, name, school_year)
            groups[name.lower()] = group
            created_groups.append(group.name)
        total = len(plan.rows)
        for done, row in enumerate(plan.rows):
            if done % _STEP == 0:
                if should_stop is not None and should_stop():
                    raise RosterCancelled()
                if progress is not None:
                    progress(done, total)
            if row.action == "unchanged":
                continue
            if row.action == "create":
                learner = Learner(
                    given_names=row.given_names,
                    surname=row.surname,
                    search_name=learner_service.search_key(row.given_names, row.surname),
                    date_of_birth=row.date_of_birth,
                    email=row.email,
                    learner_number=row.learner_number,
                    active=True,
                )
                session.add(learner)
                session.flush()
            else:
                learner = session.get(Learner, row.learner_id)  # type: ignore[assignment]
                learner.given_names, learner.surname = row.given_names, row.surname
                learner.search_name = learner_service.search_key(row.given_names, row.surname)
                learner.email = row.email
                if row.date_of_birth is not None:
                    learner.date_of_birth = row.date_of_birth
                learner.active = True
            if row.group:
                learner_service.place_in_group(session, learner.id, groups[row.group.lower()].id)
        if should_stop is not None and should_stop():
            raise RosterCancelled()
        result = ImportResult(
            plan.file_name,
            plan.count("create"),
            plan.count("update"),
            plan.count("unchanged"),
            plan.skipped_empty,
            tuple(created_groups),
        )
        append(
            session,
            actor.username,
            "rosters.import_learners",
            "ok",
            details={
                "file": plan.file_name[:200],
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "skipped_empty": result.skipped_empty,
                "groups_created": list(result.groups_created),
            },
        )
        if progress is not None:
            progress(total, total)
        return result


def _school_year(today: dt.date | None = None) -> str:
    """The school year a date falls in: from September ("2026/2027")."""
    today = today or dt.date.today()
    start = today.year if today.month >= 9 else today.year - 1
    return f"{start}/{start + 1}"


# --- staff -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlannedStaff:
    line: int
    #: "create", "update" (roles added) or "unchanged"
    action: str
    user_id: int | None
    given_names: str
    surname: str
    username: str
    roles: frozenset[str]


@dataclass(frozen=True, slots=True)
class StaffImportPlan(_Plan):
    file_name: str
    rows: tuple[PlannedStaff, ...]
    problems: tuple[RosterProblem, ...]
    notices: tuple[str, ...]
    skipped_empty: int


def _staff_match(session: Session, row: StaffRow) -> User | None:
    if row.username:
        return session.scalar(select(User).where(func.lower(User.username) == row.username.lower()))
    display = learner_service.fold(f"{row.given_names} {row.surname}")
    for user in session.scalars(
        select(User).where(User.learner_id.is_(None), User.display_name != "")
    ):
        if learner_service.fold(user.display_name) == display:
            return user
    return None


def _plan_staff(session: Session, table: RosterTable, mapping: ColumnMapping) -> StaffImportPlan:
    rows, problems = parse_staff(table, mapping)
    problems = list(problems)
    notices = _notices(table, True, mapping)
    planned: list[PlannedStaff] = []
    header = table.headers[mapping.columns["username"]] if "username" in mapping.columns else ""
    for row in rows:
        user = _staff_match(session, row)
        if user is not None and user.learner_id is not None:
            problems.append(
                RosterProblem(
                    row.line,
                    header,
                    _("the user name {user} belongs to a learner's account").format(
                        user=user.username
                    ),
                )
            )
            continue
        if user is None:
            planned.append(
                PlannedStaff(
                    row.line, "create", None, row.given_names, row.surname, row.username, row.roles
                )
            )
            continue
        have = {r.role for r in user.roles}
        planned.append(
            PlannedStaff(
                row.line,
                "update" if row.roles - have else "unchanged",
                user.id,
                row.given_names,
                row.surname,
                user.username,
                frozenset(row.roles | have),
            )
        )
    if not rows and not problems:
        problems.append(RosterProblem(0, "", _("the file lists nobody")))
    problems.sort(key=lambda p: (p.line, p.column))
    return StaffImportPlan(
        table.file_name, tuple(planned), tuple(problems), tuple(notices), table.skipped_empty
    )


@service("rosters.preview_staff")
def preview_staff(
    db: Database, actor: Actor, table: RosterTable, mapping: ColumnMapping
) -> StaffImportPlan:
    with db.transaction() as session:
        return _plan_staff(session, table, mapping)


@service("rosters.import_staff")
def import_staff(
    db: Database,
    actor: Actor,
    table: RosterTable,
    mapping: ColumnMapping,
    should_stop: Callable[[], bool] | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Staff accounts in one transaction: new people get accounts with one-time passwords
    (in the result, for their slips); people already there get the roles the file adds
    (an import never takes a role away)."""
    with simultaneous_changes_refused(), db.transaction() as session:
        plan = _plan_staff(session, table, mapping)
        if not plan.ok:
            raise ImportRefused(plan)
        credentials = []
        taken: set[str] = set()
        total = len(plan.rows)
        for done, row in enumerate(plan.rows):
            if should_stop is not None and should_stop():
                raise RosterCancelled()
            if progress is not None:
                progress(done, total)
            if row.action == "create":
                user, password = new_staff_user(
                    session, db, row.given_names, row.surname, row.roles, row.username, taken
                )
                credentials.append(credential_for(session, user, password))
            elif row.action == "update":
                user = session.get(User, row.user_id)  # type: ignore[assignment]
                have = {r.role for r in user.roles}
                user.roles.extend(UserRole(role=r) for r in sorted(row.roles - have))
        session.flush()
        result = ImportResult(
            plan.file_name,
            plan.count("create"),
            plan.count("update"),
            plan.count("unchanged"),
            plan.skipped_empty,
            (),
            tuple(credentials),
        )
        append(
            session,
            actor.username,
            "rosters.import_staff",
            "ok",
            details={
                "file": plan.file_name[:200],
                "created": [c.username for c in credentials],
                "updated": result.updated,
                "unchanged": result.unchanged,
            },
        )
        if progress is not None:
            progress(total, total)
        return result


__all__ = [
    "ImportRefused",
    "ImportResult",
    "LearnerImportPlan",
    "PlannedLearner",
    "PlannedStaff",
    "Role",
    "StaffImportPlan",
    "import_learners",
    "import_staff",
    "preview_learners",
    "preview_staff",
]
