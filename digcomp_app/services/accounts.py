"""Accounts: signing in, the first administrator, users and their roles.

Passwords are hashed with argon2id (argon2-cffi's defaults unless a stronger hasher is
given); a stored hash made with older parameters is replaced at the next sign-in. After
:data:`MAX_FAILURES` wrong passwords an account is locked for :data:`LOCK_MINUTES`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.storage.models import Learner, User, UserRole, utcnow

MAX_FAILURES = 5
LOCK_MINUTES = 5
MIN_PASSWORD_LENGTH = 8
_DUMMY_HASH_SOURCE = "timing-equaliser"


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


def _info(user: User) -> UserInfo:
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
    )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC
    return value


def _check_password_policy(password: str) -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            "password",
            _("The password must have at least {count} characters.").format(
                count=MIN_PASSWORD_LENGTH
            ),
        )


def _check_username(session: Session, username: str) -> str:
    username = username.strip()
    if not username or any(ch.isspace() for ch in username) or len(username) > 100:
        raise InvalidInput("username", _("A user name must be one word of at most 100 characters."))
    if session.scalar(select(User.id).where(func.lower(User.username) == username.lower())):
        raise InvalidInput(
            "username", _("The user name '{name}' is already taken.").format(name=username)
        )
    return username


def _roles(values: Iterable[Role | str]) -> list[Role]:
    try:
        roles = sorted({Role(value) for value in values})
    except ValueError as error:
        raise InvalidInput("roles", _("Unknown role: {error}").format(error=error)) from error
    if not roles:
        raise InvalidInput("roles", _("A user needs at least one role."))
    return roles


def add_user(
    session: Session,
    db: Database,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role | str],
    learner_id: int | None = None,
) -> User:
    """Create a user in the caller's transaction (no policy check: callers do that)."""
    user = User(
        username=_check_username(session, username),
        display_name=display_name.strip() or username,
        password_hash=db.hasher.hash(password),
        learner_id=learner_id,
    )
    user.roles = [UserRole(role=role.value) for role in _roles(roles)]
    session.add(user)
    session.flush()
    return user


@service("accounts.needs_first_administrator")
def needs_first_administrator(db: Database, actor: Actor | None) -> bool:
    with db.transaction() as session:
        return not session.scalar(select(func.count()).select_from(User))


@service("accounts.create_first_administrator")
def create_first_administrator(
    db: Database, actor: Actor | None, username: str, display_name: str, password: str
) -> UserInfo:
    """The first run's only step: allowed only while there is no user at all."""
    _check_password_policy(password)
    with db.transaction() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied(
                _("An administrator already exists; ask them to create your account.")
            )
        user = add_user(session, db, username, display_name, password, [Role.ADMINISTRATOR])
        append(session, user.username, "accounts.create_first_administrator", "ok", "user", user.id)
        return _info(user)


@service("accounts.authenticate")
def authenticate(db: Database, actor: Actor | None, username: str, password: str) -> Actor:
    """Check a password; returns who is signed in. Wrong passwords count towards a lock."""
    now = utcnow()
    with db.transaction() as session:
        user = session.scalar(
            select(User).where(func.lower(User.username) == username.strip().lower())
        )
        if user is None or not user.active:
            _spend_verify_time(db)
            append(
                session,
                username[:100],
                "accounts.authenticate",
                "failed",
                details={"reason": "unknown or inactive user"},
            )
            failure = AuthenticationFailed(_("The user name or password is wrong."))
        else:
            locked = _aware(user.locked_until)
            if locked is not None and locked > now:
                append(
                    session,
                    user.username,
                    "accounts.authenticate",
                    "failed",
                    "user",
                    user.id,
                    {"reason": "locked"},
                )
                failure = AccountLocked(
                    _(
                        "This account is locked after too many wrong passwords. Try again after "
                        "{time}, or ask an administrator to unlock it."
                    ).format(time=locked.astimezone().strftime("%H:%M"))
                )
            else:
                try:
                    db.hasher.verify(user.password_hash, password)
                except (VerifyMismatchError, VerificationError, InvalidHashError):
                    user.failed_logins += 1
                    details = {"reason": "wrong password", "failures": user.failed_logins}
                    if user.failed_logins >= MAX_FAILURES:
                        user.locked_until = now + dt.timedelta(minutes=LOCK_MINUTES)
                        user.failed_logins = 0
                        details["locked"] = True
                    append(
                        session,
                        user.username,
                        "accounts.authenticate",
                        "failed",
                        "user",
                        user.id,
                        details,
                    )
                    failure = AuthenticationFailed(_("The user name or password is wrong."))
                else:
                    user.failed_logins = 0
                    user.locked_until = None
                    if db.hasher.check_needs_rehash(user.password_hash):
                        user.password_hash = db.hasher.hash(password)
                    append(session, user.username, "accounts.authenticate", "ok", "user", user.id)
                    return actor_for(user)
    raise failure


def _spend_verify_time(db: Database) -> None:
    """Make an unknown user name cost as long as a wrong password (no user enumeration)."""
    with contextlib.suppress(VerificationError):
        db.hasher.verify(db.hasher.hash(_DUMMY_HASH_SOURCE), "x")


@service("accounts.change_own_password")
def change_own_password(db: Database, actor: Actor, old_password: str, new_password: str) -> None:
    _check_password_policy(new_password)
    with db.transaction() as session:
        user = session.get(User, actor.user_id)
        if user is None:
            raise NotFound(_("Your account no longer exists."))
        try:
            db.hasher.verify(user.password_hash, old_password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise AuthenticationFailed(_("The current password is wrong.")) from None
        user.password_hash = db.hasher.hash(new_password)
        append(session, actor.username, "accounts.change_own_password", "ok", "user", user.id)


@service("accounts.create_user")
def create_user(
    db: Database,
    actor: Actor,
    username: str,
    display_name: str,
    password: str,
    roles: Iterable[Role | str],
    learner_id: int | None = None,
) -> UserInfo:
    _check_password_policy(password)
    roles = _roles(roles)
    with db.transaction() as session:
        if learner_id is not None and session.get(Learner, learner_id) is None:
            raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
        if learner_id is not None:
            holder = session.scalar(select(User.username).where(User.learner_id == learner_id))
            if holder is not None:
                raise InvalidInput(
                    "learner_id",
                    _("Learner number {id} already has an account: {user}.").format(
                        id=learner_id, user=holder
                    ),
                )
        if Role.LEARNER in roles and learner_id is None:
            raise InvalidInput(
                "learner_id", _("A learner's account must be linked to the learner's record.")
            )
        user = add_user(session, db, username, display_name, password, roles, learner_id)
        append(
            session,
            actor.username,
            "accounts.create_user",
            "ok",
            "user",
            user.id,
            {"username": user.username, "roles": [r.value for r in roles]},
        )
        return _info(user)


@service("accounts.list_users")
def list_users(db: Database, actor: Actor) -> list[UserInfo]:
    with db.transaction() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


@service("accounts.list_teachers")
def list_teachers(db: Database, actor: Actor) -> list[UserInfo]:
    """Active users with the teacher role, by name (to choose one for a group or mobility)."""
    with db.transaction() as session:
        users = session.scalars(
            select(User)
            .join(UserRole, UserRole.user_id == User.id)
            .where(UserRole.role == Role.TEACHER.value, User.active.is_(True))
            .order_by(User.display_name, User.username, User.id)
        )
        return [_info(u) for u in users]


def _user(session: Session, user_id: int) -> User:
    user = session.get(User, user_id)
    if user is None:
        raise NotFound(_("There is no user with the number {id}.").format(id=user_id))
    return user


@service("accounts.set_roles")
def set_roles(db: Database, actor: Actor, user_id: int, roles: Iterable[Role | str]) -> UserInfo:
    new_roles = _roles(roles)
    with db.transaction() as session:
        user = _user(session, user_id)
        if user.id == actor.user_id and Role.ADMINISTRATOR not in new_roles:
            raise InvalidInput("roles", _("You cannot remove your own administrator role."))
        user.roles = [UserRole(role=r.value) for r in new_roles]
        session.flush()
        append(
            session,
            actor.username,
            "accounts.set_roles",
            "ok",
            "user",
            user.id,
            {"roles": [r.value for r in new_roles]},
        )
        return _info(user)


@service("accounts.set_active")
def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> UserInfo:
    with db.transaction() as session:
        user = _user(session, user_id)
        if user.id == actor.user_id and not active:
            raise InvalidInput("active", _("You cannot deactivate your own account."))
        user.active = active
        append(
            session,
            actor.username,
            "accounts.set_active",
            "ok",
            "user",
            user.id,
            {"active": active},
        )
        return _info(user)


@service("accounts.reset_password")
def reset_password(db: Database, actor: Actor, user_id: int, new_password: str) -> None:
    _check_password_policy(new_password)
    with db.transaction() as session:
        user = _user(session, user_id)
        user.password_hash = db.hasher.hash(new_password)
        user.failed_logins = 0
        user.locked_until = None
        append(session, actor.username, "accounts.reset_password", "ok", "user", user.id)


@service("accounts.unlock")
def unlock(db: Database, actor: Actor, user_id: int) -> UserInfo:
    with db.transaction() as session:
        user = _user(session, user_id)
        user.failed_logins = 0
        user.locked_until = None
        append(session, actor.username, "accounts.unlock", "ok", "user", user.id)
        return _info(user)
