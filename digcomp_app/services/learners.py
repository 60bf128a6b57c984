"""Learners and their groups (classes).

A learner is a person the school assesses; they may have no account. The school's own
learner number (from its register) identifies them across roster imports. Dates of birth
are kept only when the school chose to keep them (``Organisation.keep_birth_date``). A
learner who left is deactivated, never deleted: their cases and certificates stay.

Groups are the school's classes. At the end of a school year a group is archived: it stays
on the cases opened while the learner was in it (``ValidationCase.group_id``) and takes no
new learners. Moving a learner to another group ends their membership of their current
(unarchived) groups.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from sqlalchemy import Select, delete, func, or_, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services import audit_rows
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, simultaneous_changes_refused
from digcomp_app.services.permissions import Actor, Role, deny_object, service
from digcomp_app.services.scope import require_learner, require_teacher, teacher_learner_ids
from digcomp_app.storage.models import (
    Certificate,
    Group,
    GroupMember,
    GroupTeacher,
    Learner,
    MobilityParticipant,
    Organisation,
    SelfAssessment,
    User,
    UserRole,
    ValidationCase,
    utcnow,
)

SEARCH_LIMIT = 50
#: Longest values the database holds (the columns' sizes).
MAX_NAME = 200
MAX_NUMBER = 50
MAX_GROUP = 100
MAX_EMAIL = 200
MAX_SCHOOL_YEAR = 20


def fold(text: str) -> str:
    """Lower case without diacritics, so "berzins" finds "Bērziņš"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


@dataclass(frozen=True, slots=True)
class LearnerSummary:
    id: int
    given_names: str
    surname: str
    date_of_birth: dt.date | None
    learner_number: str = ""
    active: bool = True
    #: the learner's current (unarchived) groups, by name
    groups: tuple[str, ...] = ()
    email: str = ""
    has_account: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.given_names} {self.surname}"


@dataclass(frozen=True, slots=True)
class GroupInfo:
    id: int
    name: str
    school_year: str
    member_count: int
    archived: bool = False
    #: the group's teachers as (user id, display name)
    teachers: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True, slots=True)
class LearnerRecord:
    learner: LearnerSummary
    email: str
    username: str | None
    groups: tuple[str, ...]
    mobility_ids: tuple[int, ...]
    self_assessment_ids: tuple[int, ...]
    case_ids: tuple[int, ...]
    certificate_serials: tuple[str, ...]
    #: every group the learner was ever in, archived ones included, by name
    past_groups: tuple[str, ...] = ()


def summary(
    learner: Learner, groups: Sequence[str] = (), has_account: bool = False
) -> LearnerSummary:
    return LearnerSummary(
        learner.id,
        learner.given_names,
        learner.surname,
        learner.date_of_birth,
        learner.learner_number or "",
        learner.active,
        tuple(groups),
        learner.email,
        has_account,
    )


def _summaries(session: Session, found: Sequence[Learner]) -> list[LearnerSummary]:
    """Summaries with each learner's current groups and whether they have an account."""
    ids = [learner.id for learner in found]
    groups: dict[int, list[str]] = {}
    accounts: set[int] = set()
    for chunk_start in range(0, len(ids), 500):
        chunk = ids[chunk_start : chunk_start + 500]
        rows = session.execute(
            select(GroupMember.learner_id, Group.name)
            .join(Group, Group.id == GroupMember.group_id)
            .where(GroupMember.learner_id.in_(chunk), Group.archived_at.is_(None))
            .order_by(Group.name)
        )
        for learner_id, name in rows:
            groups.setdefault(learner_id, []).append(name)
        accounts.update(session.scalars(select(User.learner_id).where(User.learner_id.in_(chunk))))
    return [summary(x, groups.get(x.id, ()), x.id in accounts) for x in found]


# --- checking what people type -------------------------------------------------------------


def _control_free(value: str, field: str, label: str) -> str:
    if any(unicodedata.category(ch) in ("Cc", "Cf") for ch in value):
        raise InvalidInput(
            field,
            _("The {field} contains control or invisible formatting characters.").format(
                field=label
            ),
        )
    return value


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = unicodedata.normalize("NFC", value.strip())
    _control_free(value, field, label)
    if len(value) > limit:
        raise InvalidInput(
            field,
            _("The {field} is longer than {limit} characters.").format(field=label, limit=limit),
        )
    return value


def _names(given_names: str, surname: str) -> tuple[str, str]:
    given = _text(given_names, "given_names", _("first name"), MAX_NAME)
    family = _text(surname, "surname", _("surname"), MAX_NAME)
    if not any(ch.isalpha() for ch in given) or not any(ch.isalpha() for ch in family):
        raise InvalidInput("name", _("A learner needs a first name and a surname."))
    return given, family


def check_email(email: str) -> str:
    email = _text(email, "email", _("e-mail address"), MAX_EMAIL)
    if email:
        local, at, domain = email.rpartition("@")
        if not at or not local or "." not in domain.strip(".") or " " in email:
            raise InvalidInput(
                "email",
                _("'{email}' is not an e-mail address (like name@school.lv).").format(email=email),
            )
    return email


def check_learner_number(number: str) -> str:
    number = _text(number, "learner_number", _("learner number"), MAX_NUMBER)
    if number[:1] in ("=", "+", "-", "@"):
        raise InvalidInput(
            "learner_number",
            _("The learner number '{number}' looks like a spreadsheet formula.").format(
                number=number
            ),
        )
    return number


def keeps_birth_dates(session: Session) -> bool:
    return bool(
        session.scalar(select(Organisation.keep_birth_date).where(Organisation.is_home.is_(True)))
    )


def _birth_date(session: Session, value: dt.date | None) -> dt.date | None:
    if value is None:
        return None
    if not keeps_birth_dates(session):
        raise InvalidInput(
            "date_of_birth",
            _(
                "The school does not keep learners' dates of birth. An administrator can turn "
                "this on in School details."
            ),
        )
    if value.year < 1900 or value > dt.date.today():
        raise InvalidInput(
            "date_of_birth",
            _("The date of birth {date} is not possible.").format(date=value.isoformat()),
        )
    return value


def _number_free(session: Session, number: str, learner_id: int | None = None) -> None:
    holder = session.scalar(
        select(Learner).where(Learner.learner_number == number, Learner.id != (learner_id or 0))
    )
    if holder is not None:
        raise InvalidInput(
            "learner_number",
            _("The learner number {number} already belongs to {name}.").format(
                number=number, name=f"{holder.given_names} {holder.surname}"
            ),
        )


def search_key(given_names: str, surname: str) -> str:
    return fold(f"{given_names} {surname} {surname} {given_names}")[:410]


def new_learner(
    session: Session,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None = None,
    email: str = "",
    organisation_id: int | None = None,
    learner_number: str = "",
) -> Learner:
    given_names, surname = _names(given_names, surname)
    number = check_learner_number(learner_number) or None
    if number:
        _number_free(session, number)
    learner = Learner(
        given_names=given_names,
        surname=surname,
        search_name=search_key(given_names, surname),
        date_of_birth=_birth_date(session, date_of_birth),
        email=check_email(email),
        organisation_id=organisation_id,
        learner_number=number,
        active=True,
    )
    session.add(learner)
    session.flush()
    return learner


def _learner(session: Session, learner_id: int) -> Learner:
    learner = session.get(Learner, learner_id)
    if learner is None:
        raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
    return learner


def _group(session: Session, group_id: int) -> Group:
    group = session.get(Group, group_id)
    if group is None:
        raise NotFound(_("There is no group with the number {id}.").format(id=group_id))
    return group


def _open_group(session: Session, group_id: int) -> Group:
    group = _group(session, group_id)
    if group.archived_at is not None:
        raise InvalidInput(
            "group",
            _("The group {name} is archived; it takes no learners.").format(name=group.name),
        )
    return group


def place_in_group(session: Session, learner_id: int, group_id: int) -> bool:
    """Make ``group_id`` the learner's only current group; True when something changed.
    Memberships of archived groups stay (they are the learner's history)."""
    current = set(
        session.scalars(
            select(GroupMember.group_id)
            .join(Group, Group.id == GroupMember.group_id)
            .where(GroupMember.learner_id == learner_id, Group.archived_at.is_(None))
        )
    )
    if current == {group_id}:
        return False
    others = current - {group_id}
    if others:
        session.execute(
            delete(GroupMember).where(
                GroupMember.learner_id == learner_id, GroupMember.group_id.in_(others)
            )
        )
    if group_id not in current:
        session.add(GroupMember(group_id=group_id, learner_id=learner_id))
    return True


def current_group_id(session: Session, learner_id: int) -> int | None:
    """The learner's current group (the first by name when in several), for a new case."""
    return session.scalar(
        select(Group.id)
        .join(GroupMember, GroupMember.group_id == Group.id)
        .where(GroupMember.learner_id == learner_id, Group.archived_at.is_(None))
        .order_by(Group.name)
        .limit(1)
    )


# --- learners ------------------------------------------------------------------------------


@service("learners.create")
def create(
    db: Database,
    actor: Actor,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None = None,
    email: str = "",
    learner_number: str = "",
    group_id: int | None = None,
) -> LearnerSummary:
    with simultaneous_changes_refused(), db.transaction() as session:
        learner = new_learner(
            session, given_names, surname, date_of_birth, email, learner_number=learner_number
        )
        groups: list[str] = []
        if group_id is not None:
            groups.append(_open_group(session, group_id).name)
            place_in_group(session, learner.id, group_id)
        append(session, actor.username, "learners.create", "ok", "learner", learner.id)
        return summary(learner, groups)


@service("learners.update")
def update(
    db: Database,
    actor: Actor,
    learner_id: int,
    given_names: str,
    surname: str,
    date_of_birth: dt.date | None,
    email: str,
    learner_number: str | None = None,
) -> LearnerSummary:
    """Change a learner's details; ``learner_number`` None keeps the number as it is."""
    with simultaneous_changes_refused(), db.transaction() as session:
        learner = _learner(session, learner_id)
        learner.given_names, learner.surname = _names(given_names, surname)
        learner.search_name = search_key(learner.given_names, learner.surname)
        if date_of_birth != learner.date_of_birth:
            learner.date_of_birth = _birth_date(session, date_of_birth)
        learner.email = check_email(email)
        if learner_number is not None:
            number = check_learner_number(learner_number) or None
            if number:
                _number_free(session, number, learner.id)
            learner.learner_number = number
        append(session, actor.username, "learners.update", "ok", "learner", learner.id)
        return _summaries(session, [learner])[0]


@service("learners.set_active")
def set_active(db: Database, actor: Actor, learner_id: int, active: bool) -> LearnerSummary:
    """Deactivate a learner who left (their account too) or bring them back. Nothing is
    deleted: cases, self-assessments and certificates stay."""
    with db.transaction() as session:
        learner = _learner(session, learner_id)
        learner.active = active
        account = session.scalar(select(User).where(User.learner_id == learner_id))
        if account is not None:
            account.active = active
        append(
            session,
            actor.username,
            "learners.set_active",
            "ok",
            "learner",
            learner.id,
            {"active": active, "account": account.username if account else None},
        )
        return _summaries(session, [learner])[0]


def _learner_query(
    actor: Actor, fragment: str, group_id: int | None, include_inactive: bool
) -> Select[Learner]:
    query = select(Learner)
    # control characters (NUL, which PostgreSQL refuses) separate words; no name holds them
    plain = "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in fragment)
    words = fold(plain).split()
    for word in words:
        escaped = _escape_like(word)
        query = query.where(
            or_(
                Learner.search_name.like(f"%{escaped}%", escape="\\"),
                func.lower(Learner.learner_number).like(f"{escaped}%", escape="\\"),
            )
        )
    if group_id is not None:
        query = query.where(
            Learner.id.in_(select(GroupMember.learner_id).where(GroupMember.group_id == group_id))
        )
    if not include_inactive:
        query = query.where(Learner.active.is_(True))
    if not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR)):
        query = query.where(Learner.id.in_(teacher_learner_ids(actor.user_id)))
    return query.order_by(Learner.surname, Learner.given_names, Learner.id)


@service("learners.search")
def search(
    db: Database,
    actor: Actor,
    fragment: str,
    limit: int = SEARCH_LIMIT,
    group_id: int | None = None,
    include_inactive: bool = False,
) -> list[LearnerSummary]:
    """Learners whose name contains every word of ``fragment`` (case and accents ignored),
    or whose learner number starts with it; optionally only one group's.

    A teacher finds only the learners of their groups and mobilities.
    """
    query = _learner_query(actor, fragment, group_id, include_inactive).limit(limit)
    with db.transaction() as session:
        return _summaries(session, list(session.scalars(query)))


@service("learners.list")
def list_learners(
    db: Database, actor: Actor, group_id: int | None = None, include_inactive: bool = False
) -> list[LearnerSummary]:
    """Every learner (a teacher: theirs), or one group's, by surname."""
    query = _learner_query(actor, "", group_id, include_inactive)
    with db.transaction() as session:
        return _summaries(session, list(session.scalars(query)))


@service("learners.get_record")
def get_record(db: Database, actor: Actor, learner_id: int) -> LearnerRecord:
    """Everything recorded about one learner, as ids to open with the other services."""
    with db.transaction() as session:
        if not actor.has(Role.ADMINISTRATOR):
            require_learner(session, actor, learner_id)
        learner = _learner(session, learner_id)
        all_groups = session.execute(
            select(Group.name, Group.archived_at)
            .join(GroupMember)
            .where(GroupMember.learner_id == learner_id)
            .order_by(Group.name)
        ).all()
        groups = [name for name, archived in all_groups if archived is None]
        mobilities = session.scalars(
            select(MobilityParticipant.mobility_id).where(
                MobilityParticipant.learner_id == learner_id
            )
        ).all()
        assessments = session.scalars(
            select(SelfAssessment.id)
            .where(SelfAssessment.learner_id == learner_id)
            .order_by(SelfAssessment.started_at)
        ).all()
        cases = session.scalars(
            select(ValidationCase.id)
            .where(ValidationCase.learner_id == learner_id)
            .order_by(ValidationCase.id)
        ).all()
        serials = session.scalars(
            select(Certificate.serial)
            .where(Certificate.learner_id == learner_id)
            .order_by(Certificate.issued_at)
        ).all()
        username = session.scalar(select(User.username).where(User.learner_id == learner_id))
        return LearnerRecord(
            summary(learner, groups, username is not None),
            learner.email,
            username,
            tuple(groups),
            tuple(mobilities),
            tuple(assessments),
            tuple(cases),
            tuple(serials),
            tuple(name for name, _archived in all_groups),
        )


# --- groups --------------------------------------------------------------------------------


def _group_name(session: Session, name: str, group_id: int | None = None) -> str:
    name = _text(name, "name", _("group name"), MAX_GROUP)
    if not name:
        raise InvalidInput("name", _("A group needs a name."))
    clash = session.scalar(
        select(Group).where(func.lower(Group.name) == name.lower(), Group.id != (group_id or 0))
    )
    if clash is not None:
        if clash.archived_at is not None:
            raise InvalidInput(
                "name",
                _(
                    "There is already an archived group called '{name}' (school year {year}). "
                    "Give the new group a name of its own, such as '{name} {next}'."
                ).format(name=clash.name, year=clash.school_year or "?", next=_next_year_label()),
            )
        raise InvalidInput("name", _("There is already a group called '{name}'.").format(name=name))
    return name


def _next_year_label() -> str:
    today = dt.date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{start + 1}"


def new_group(session: Session, name: str, school_year: str = "") -> Group:
    group = Group(
        name=_group_name(session, name),
        school_year=_text(school_year, "school_year", _("school year"), MAX_SCHOOL_YEAR),
    )
    session.add(group)
    session.flush()
    return group


def _group_info(session: Session, group: Group, member_count: int | None = None) -> GroupInfo:
    if member_count is None:
        member_count = session.scalar(
            select(func.count()).select_from(GroupMember).where(GroupMember.group_id == group.id)
        )
    teachers = session.execute(
        select(User.id, User.display_name)
        .join(GroupTeacher, GroupTeacher.user_id == User.id)
        .where(GroupTeacher.group_id == group.id)
        .order_by(User.display_name)
    ).all()
    return GroupInfo(
        group.id,
        group.name,
        group.school_year,
        member_count or 0,
        group.archived_at is not None,
        tuple((uid, name) for uid, name in teachers),
    )


@service("learners.create_group")
def create_group(db: Database, actor: Actor, name: str, school_year: str = "") -> GroupInfo:
    with simultaneous_changes_refused(), db.transaction() as session:
        group = new_group(session, name, school_year)
        append(session, actor.username, "learners.create_group", "ok", "group", group.id)
        return GroupInfo(group.id, group.name, group.school_year, 0)


@service("learners.rename_group")
def rename_group(
    db: Database, actor: Actor, group_id: int, name: str, school_year: str | None = None
) -> GroupInfo:
    with simultaneous_changes_refused(), db.transaction() as session:
        group = _group(session, group_id)
        old = group.name
        group.name = _group_name(session, name, group.id)
        if school_year is not None:
            group.school_year = _text(school_year, "school_year", _("school year"), MAX_SCHOOL_YEAR)
        append(
            session,
            actor.username,
            "learners.rename_group",
            "ok",
            "group",
            group.id,
            {"from": old, "to": group.name},
        )
        return _group_info(session, group)


@service("learners.archive_group")
def archive_group(db: Database, actor: Actor, group_id: int, archived: bool = True) -> GroupInfo:
    """Archive a group at the end of a school year (or bring it back). Its members stay
    recorded as its members; cases opened in it keep it."""
    with db.transaction() as session:
        group = _group(session, group_id)
        group.archived_at = utcnow() if archived else None
        append(
            session,
            actor.username,
            "learners.archive_group",
            "ok",
            "group",
            group.id,
            {"archived": archived},
        )
        return _group_info(session, group)


@service("learners.add_to_group")
def add_to_group(db: Database, actor: Actor, group_id: int, learner_ids: list[int]) -> None:
    """Add learners to a group, keeping their other groups."""
    with simultaneous_changes_refused(), db.transaction() as session:
        _open_group(session, group_id)
        present = set(
            session.scalars(select(GroupMember.learner_id).where(GroupMember.group_id == group_id))
        )
        for learner_id in learner_ids:
            _learner(session, learner_id)
            if learner_id not in present:
                session.add(GroupMember(group_id=group_id, learner_id=learner_id))
                present.add(learner_id)
        append(
            session,
            actor.username,
            "learners.add_to_group",
            "ok",
            "group",
            group_id,
            {"learners": list(learner_ids)},
        )


@service("learners.move_to_group")
def move_to_group(db: Database, actor: Actor, group_id: int, learner_ids: Iterable[int]) -> int:
    """Move learners into a group, out of their current ones; returns how many moved.
    Cases already opened keep the group they were opened in."""
    learner_ids = list(dict.fromkeys(learner_ids))
    with simultaneous_changes_refused(), db.transaction() as session:
        group = _open_group(session, group_id)
        moved = 0
        for learner_id in learner_ids:
            _learner(session, learner_id)
            moved += place_in_group(session, learner_id, group_id)
        append(
            session,
            actor.username,
            "learners.move_to_group",
            "ok",
            "group",
            group.id,
            {"learners": learner_ids, "moved": moved},
        )
        return moved


@service("learners.remove_from_group")
def remove_from_group(db: Database, actor: Actor, group_id: int, learner_ids: list[int]) -> None:
    with db.transaction() as session:
        _open_group(session, group_id)
        session.execute(
            delete(GroupMember).where(
                GroupMember.group_id == group_id, GroupMember.learner_id.in_(learner_ids)
            )
        )
        append(
            session,
            actor.username,
            "learners.remove_from_group",
            "ok",
            "group",
            group_id,
            {"learners": list(learner_ids)},
        )


@service("learners.assign_group_teacher")
def assign_group_teacher(db: Database, actor: Actor, group_id: int, user_id: int) -> None:
    with db.transaction() as session:
        _group(session, group_id)
        require_teacher(session, user_id, _("Only a teacher can be assigned to a group."))
        if session.get(GroupTeacher, (group_id, user_id)) is None:
            session.add(GroupTeacher(group_id=group_id, user_id=user_id))
        append(
            session,
            actor.username,
            "learners.assign_group_teacher",
            "ok",
            "group",
            group_id,
            {"teacher": user_id},
        )


@service("learners.unassign_group_teacher")
def unassign_group_teacher(db: Database, actor: Actor, group_id: int, user_id: int) -> None:
    with db.transaction() as session:
        _group(session, group_id)
        session.execute(
            delete(GroupTeacher).where(
                GroupTeacher.group_id == group_id, GroupTeacher.user_id == user_id
            )
        )
        audit_rows.mark(session, GroupTeacher.__tablename__, (group_id, user_id))
        append(
            session,
            actor.username,
            "learners.unassign_group_teacher",
            "ok",
            "group",
            group_id,
            {"teacher": user_id},
        )


@service("learners.list_groups")
def list_groups(db: Database, actor: Actor, include_archived: bool = False) -> list[GroupInfo]:
    """All groups for a coordinator or administrator; a teacher's own groups for a teacher.
    Archived groups only when asked for."""
    counts = (
        select(GroupMember.group_id, func.count().label("n"))
        .group_by(GroupMember.group_id)
        .subquery()
    )
    query = (
        select(Group, func.coalesce(counts.c.n, 0))
        .outerjoin(counts, counts.c.group_id == Group.id)
        .order_by(Group.archived_at.is_not(None), Group.name)
    )
    if not include_archived:
        query = query.where(Group.archived_at.is_(None))
    if not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR)):
        query = query.join(GroupTeacher, GroupTeacher.group_id == Group.id).where(
            GroupTeacher.user_id == actor.user_id
        )
    with db.transaction() as session:
        return [_group_info(session, g, n) for g, n in session.execute(query)]


@service("learners.group_members")
def group_members(db: Database, actor: Actor, group_id: int) -> list[LearnerSummary]:
    with db.transaction() as session:
        _group(session, group_id)
        if (
            not (actor.has(Role.COORDINATOR) or actor.has(Role.ADMINISTRATOR))
            and session.get(GroupTeacher, (group_id, actor.user_id)) is None
        ):
            deny_object("group", group_id)
        learners = session.scalars(
            select(Learner)
            .join(GroupMember)
            .where(GroupMember.group_id == group_id)
            .order_by(Learner.surname, Learner.given_names)
        )
        return _summaries(session, list(learners))


def group_by_name(session: Session, name: str) -> Group | None:
    return session.scalar(select(Group).where(func.lower(Group.name) == name.strip().lower()))


def teacher_ids(session: Session) -> set[int]:
    return set(session.scalars(select(UserRole.user_id).where(UserRole.role == Role.TEACHER.value)))
