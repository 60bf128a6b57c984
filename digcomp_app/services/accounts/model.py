"""What the accounts' services return (users, pages of them, one-time credentials), who
is signed in (:func:`actor_for`), and the limits they keep to."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from digcomp_app.i18n import N_
from digcomp_app.services.permissions import Actor, Role
from digcomp_app.storage.models import User

#: the longest display name (the column's size)
MAX_DISPLAY_NAME = 200

MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD_LENGTH = 8


@dataclass(frozen=True, slots=True)
class UserInfo:
    id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    active: bool
    locked_until: dt.datetime | None
    learner_id: int | None


def _roles_of(user: User) -> frozenset[Role]:
    return frozenset(Role(r.role) for r in user.roles)


def user_info(user: User) -> UserInfo:
    return UserInfo(
        user.id,
        user.username,
        user.display_name,
        _roles_of(user),
        user.active,
        user.locked_until,
        user.learner_id,
    )


def actor_for(user: User) -> Actor:
    return Actor(
        user.id,
        user.username,
        user.display_name,
        _roles_of(user),
        user.learner_id,
        user.must_change_password,
    )


#: the role names a search understands (besides each role's code), as the screens say them
ROLE_TITLES = {
    Role.LEARNER: N_("learner"),
    Role.TEACHER: N_("teacher"),
    Role.COORDINATOR: N_("coordinator"),
    Role.ADMINISTRATOR: N_("administrator"),
}


@dataclass(frozen=True, slots=True)
class UserPage:
    """The first accounts found (by user name), and how many were found in all."""

    users: tuple[UserInfo, ...]
    total: int


@dataclass(frozen=True, slots=True)
class OneTimeCredential:
    """What a sign-in slip shows. The password exists only here and on the slip."""

    user_id: int
    username: str
    full_name: str
    group: str
    password: str


@dataclass(frozen=True, slots=True)
class AccountsCreated:
    created: tuple[OneTimeCredential, ...]
    #: learners who already had an account or are inactive: (full name, reason)
    skipped: tuple[tuple[str, str], ...]
