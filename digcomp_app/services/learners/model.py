"""What the learners' services return (summaries, records, groups), the limits of what
they keep, and the folded text that searches match."""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from digcomp_app.storage.models import Group, GroupMember, Learner, User

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


def escape_like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search_key(given_names: str, surname: str) -> str:
    return fold(f"{given_names} {surname} {surname} {given_names}")[:410]


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


def summaries_of(session: Session, found: Sequence[Learner]) -> list[LearnerSummary]:
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
