"""What administrators do with accounts: create, find, give roles, deactivate, reset a
password (one that works once), unlock."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select

from digcomp_app.i18n import _
from digcomp_app.services.accounts.model import (
    ROLE_TITLES,
    OneTimeCredential,
    UserInfo,
    UserPage,
    user_info,
)
from digcomp_app.services.accounts.one_time import credential_for, one_time_password
from digcomp_app.services.accounts.users import (
    add_user,
    check_password_policy,
    checked_roles,
    user_row,
)
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, simultaneous_changes_refused
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.search import PAGE, containing, first_page, folded, named_by, words
from digcomp_app.storage.models import Learner, User, UserRole


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
    check_password_policy(password)
    roles = checked_roles(roles)
    with simultaneous_changes_refused(), db.transaction() as session:
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
        return user_info(user)


@service("accounts.list_users")
def list_users(db: Database, actor: Actor) -> list[UserInfo]:
    with db.transaction() as session:
        return [user_info(u) for u in session.scalars(select(User).order_by(User.username))]


@service("accounts.search_users")
def search_users(db: Database, actor: Actor, text: str = "", limit: int = PAGE) -> UserPage:
    """Accounts whose user name or display name contains every word of ``text`` (case and
    accents ignored; ``%`` and ``_`` literal), or that have a role named by the word
    ("teach", "skolotājs"); by user name, at most ``limit``, with the number found."""
    with db.transaction() as session:
        name = folded(session, User.username + " " + User.display_name)
        query = select(User.id)
        for word in words(text):
            condition = name.like(containing(word), escape="\\")
            roles = named_by(word, ROLE_TITLES)
            if roles:
                condition = condition | User.id.in_(
                    select(UserRole.user_id).where(UserRole.role.in_(roles))
                )
            query = query.where(condition)
        ids, total = first_page(session, query.order_by(User.username), limit)
        found = session.scalars(select(User).where(User.id.in_(ids)).order_by(User.username))
        return UserPage(tuple(user_info(u) for u in found), total)


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
        return [user_info(u) for u in users]


@service("accounts.set_roles")
def set_roles(db: Database, actor: Actor, user_id: int, roles: Iterable[Role | str]) -> UserInfo:
    new_roles = checked_roles(roles)
    with db.transaction() as session:
        user = user_row(session, user_id)
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
        return user_info(user)


@service("accounts.set_active")
def set_active(db: Database, actor: Actor, user_id: int, active: bool) -> UserInfo:
    with db.transaction() as session:
        user = user_row(session, user_id)
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
        return user_info(user)


@service("accounts.reset_password")
def reset_password(
    db: Database, actor: Actor, user_id: int, new_password: str | None = None
) -> OneTimeCredential:
    """Give a user a new password that works once: their next sign-in asks for their own.
    Without ``new_password`` one is made up (see :func:`one_time_password`); the result
    carries it for the sign-in slip."""
    password = one_time_password() if new_password is None else new_password
    check_password_policy(password)
    with db.transaction() as session:
        user = user_row(session, user_id)
        user.password_hash = db.hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        user.must_change_password = True
        append(session, actor.username, "accounts.reset_password", "ok", "user", user.id)
        return credential_for(session, user, password)


@service("accounts.unlock")
def unlock(db: Database, actor: Actor, user_id: int) -> UserInfo:
    with db.transaction() as session:
        user = user_row(session, user_id)
        user.failed_logins = 0
        user.locked_until = None
        append(session, actor.username, "accounts.unlock", "ok", "user", user.id)
        return user_info(user)
