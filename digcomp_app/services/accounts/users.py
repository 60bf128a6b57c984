"""User rows in a caller's transaction: a new user's name, password and roles checked,
the user added; looking one up."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.accounts.model import MAX_DISPLAY_NAME, MIN_PASSWORD_LENGTH
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Role
from digcomp_app.storage.models import User, UserRole


def check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password",
            _("The password must have at least {count} characters.").format(
                count=MIN_PASSWORD_LENGTH
            ),
        )


def _check_username(session: Session, username: str) -> str:
    username = clean_text(username, "username", _("user name"), 100)
    if not username or any(ch.isspace() for ch in username):
        raise InvalidInput("username", _("A user name must be one word of at most 100 characters."))
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise InvalidInput(
            "username", _("The user name '{name}' is already taken.").format(name=username)
        )
    return username


def checked_roles(values: Iterable[Role | str]) -> list[Role]:
    try:
        roles = sorted({Role(value) for value in values})
    except ValueError as error:
        raise InvalidInput("roles", _("Unknown role: {error}").format(error=error)) from error
    if not roles:
        raise InvalidInput("roles", _("A user needs at least one role."))
    return roles


@dataclass(frozen=True, slots=True)
class PasswordHash:
    """A password hashed already by a database's hasher (:func:`hash_password`), for
    accounts that are given one published password, such as the demo school's: hashed once
    for all of them instead of once per account. A password changed later is hashed anew,
    with a salt of its own."""

    value: str


def hash_password(password: str, db: Database) -> PasswordHash:
    """``password`` hashed by ``db``'s hasher, for :func:`add_user`. Not a service (it reads
    and writes nothing; the password comes first so the check that every function taking a
    database first is a guarded service, tests/services/test_permissions.py, leaves it be)."""
    return PasswordHash(db.hasher.hash(password))


def add_user(
    session: Session,
    db: Database,
    username: str,
    display_name: str,
    password: str | PasswordHash,
    roles: Iterable[Role | str],
    learner_id: int | None = None,
) -> User:
    """Create a user in the caller's transaction (no policy check: callers do that);
    ``password`` is hashed here unless it is a :class:`PasswordHash` already."""
    username = _check_username(session, username)
    display_name = clean_text(display_name, "display_name", _("display name"), MAX_DISPLAY_NAME)
    hashed = password.value if isinstance(password, PasswordHash) else db.hasher.hash(password)
    user = User(
        username=username,
        display_name=display_name or username,
        password_hash=hashed,
        learner_id=learner_id,
    )
    user.roles = [UserRole(role=role.value) for role in checked_roles(roles)]
    session.add(user)
    session.flush()
    return user


def user_row(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no user with the number {id}.").format(id=user_id))
    return user
