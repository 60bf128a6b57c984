"""Signing in (wrong passwords count towards a lock; an unknown name costs as long as a
wrong password), the first administrator, choosing one's own password."""

from __future__ import annotations

import contextlib
import datetime as dt

from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy import func, select

from digcomp_app.i18n import _
from digcomp_app.services.accounts.model import (
    LOCK_MINUTES,
    MAX_FAILURES,
    UserInfo,
    actor_for,
    user_info,
)
from digcomp_app.services.accounts.users import add_user, check_password_policy
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
)
from digcomp_app.services.inputs import for_terminal
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.storage.models import User, utcnow

_DUMMY_HASH_SOURCE = "timing-equaliser"


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=dt.UTC)  # SQLite returns naive UTC
    return value


@service("accounts.needs_first_administrator")
def needs_first_administrator(db: Database, actor: Actor | None) -> bool:
    with db.transaction() as session:
        return not session.scalar(select(func.count()).select_from(User))


@service("accounts.create_first_administrator")
def create_first_administrator(
    db: Database, actor: Actor | None, username: str, display_name: str, password: str
) -> UserInfo:
    """The first run's only step: allowed only while there is no user at all."""
    check_password_policy(password)
    with db.transaction() as session:
        if session.scalar(select(func.count()).select_from(User)):
            raise PermissionDenied(
                _("An administrator already exists; ask them to create your account.")
            )
        user = add_user(session, db, username, display_name, password, [Role.ADMINISTRATOR])
        append(session, user.username, "accounts.create_first_administrator", "ok", "user", user.id)
        return user_info(user)


@service("accounts.authenticate")
def authenticate(db: Database, actor: Actor | None, username: str, password: str) -> Actor:
    """Check a password; returns who is signed in. Wrong passwords count towards a lock."""
    now = utcnow()
    # a name with control characters (NUL, which PostgreSQL refuses) is nobody's
    shown = for_terminal(username).strip()
    with db.transaction() as session:
        user = (
            session.scalar(select(User).where(func.lower(User.username) == shown.lower()))
            if shown == username.strip()
            else None
        )
        if user is None or not user.active:
            _spend_verify_time(db)
            append(
                session,
                shown[:100],
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
def change_own_password(db: Database, actor: Actor, old_password: str, new_password: str) -> Actor:
    """Choose a new password; returns who is signed in now (a one-time password's holder
    may then do what their roles allow)."""
    check_password_policy(new_password)
    if new_password == old_password:
        raise InvalidInput("password", _("Choose a new password, different from the current one."))
    with db.transaction() as session:
        user = session.get(User, actor.user_id)
        if user is None or not user.active:
            raise NotFound(_("Your account no longer exists."))
        try:
            db.hasher.verify(user.password_hash, old_password)
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            raise AuthenticationFailed(_("The current password is wrong.")) from None
        user.password_hash = db.hasher.hash(new_password)
        was_one_time = user.must_change_password
        user.must_change_password = False
        append(
            session,
            actor.username,
            "accounts.change_own_password",
            "ok",
            "user",
            user.id,
            {"one_time": True} if was_one_time else None,
        )
        return actor_for(user)
