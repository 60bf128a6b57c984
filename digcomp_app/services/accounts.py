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

from digcomp_app.i18n import N_, _
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    NotFound,
    PermissionDenied,
    simultaneous_changes_refused,
)
from digcomp_app.services.inputs import clean_text, for_terminal
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.services.search import PAGE, containing, first_page, folded, named_by, words
from digcomp_app.storage.models import Learner, User, UserRole, utcnow

#: the longest display name (the column's size)
MAX_DISPLAY_NAME = 200

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
        user.must_change_password,
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
    username = clean_text(username, "username", _("user name"), 100)
    if not username or any(ch.isspace() for ch in username):
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
    username = _check_username(session, username)
    display_name = clean_text(display_name, "display_name", _("display name"), MAX_DISPLAY_NAME)
    user = User(
        username=username,
        display_name=display_name or username,
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
    _check_password_policy(new_password)
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
        return _info(user)


@service("accounts.list_users")
def list_users(db: Database, actor: Actor) -> list[UserInfo]:
    with db.transaction() as session:
        return [_info(u) for u in session.scalars(select(User).order_by(User.username))]


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
        return UserPage(tuple(_info(u) for u in found), total)


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
def reset_password(
    db: Database, actor: Actor, user_id: int, new_password: str | None = None
) -> OneTimeCredential:
    """Give a user a new password that works once: their next sign-in asks for their own.
    Without ``new_password`` one is made up (see :func:`one_time_password`); the result
    carries it for the sign-in slip."""
    password = one_time_password() if new_password is None else new_password
    _check_password_policy(password)
    with db.transaction() as session:
        user = _user(session, user_id)
        user.password_hash = db.hasher.hash(password)
        user.failed_logins = 0
        user.locked_until = None
        user.must_change_password = True
        append(session, actor.username, "accounts.reset_password", "ok", "user", user.id)
        return _credential(session, user, password)


# --- one-time passwords and accounts made in bulk ---------------------------------------------

#: Letters that cannot be mistaken for others on a printed slip (no l/1, o/0, i/j).
_CONSONANTS = "bdfgkmnprstvz"
_VOWELS = "aeu"


def one_time_password() -> str:
    """A password to type once from a slip: two pronounceable words and two digits, such as
    "kadu-ribe-47" (about 31 bits; five wrong tries lock the account)."""
    import secrets

    def word() -> str:
        return "".join(secrets.choice(_CONSONANTS) + secrets.choice(_VOWELS) for _ in range(2))

    return f"{word()}-{word()}-{secrets.randbelow(90) + 10}"


def _username_base(given_names: str, surname: str) -> str:
    from digcomp_app.services.learners import fold

    def ascii_word(text: str) -> str:
        return "".join(ch for ch in fold(text) if ch.isascii() and (ch.isalnum() or ch == "-"))

    first = ascii_word(given_names.split(maxsplit=1)[0] if given_names.split() else "")
    last = ascii_word(surname.replace(" ", "-"))
    return ".".join(part for part in (first, last) if part)[:90] or "user"


def free_username(session: Session, given_names: str, surname: str, taken: set[str]) -> str:
    """``janis.berzins``, else ``janis.berzins2``, ... (``taken``: names used in this batch)."""
    base = _username_base(given_names, surname)
    candidate, number = base, 1
    while candidate in taken or session.scalar(
        select(User.id).where(func.lower(User.username) == candidate)
    ):
        number += 1
        candidate = f"{base}{number}"
    taken.add(candidate)
    return candidate


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


def _credential(session: Session, user: User, password: str) -> OneTimeCredential:
    from digcomp_app.services.learners import current_group_id

    full_name, group = user.display_name, ""
    if user.learner_id is not None:
        learner = session.get(Learner, user.learner_id)
        if learner is not None:
            full_name = f"{learner.given_names} {learner.surname}"
        group_id = current_group_id(session, user.learner_id)
        if group_id is not None:
            from digcomp_app.storage.models import Group

            group = session.get(Group, group_id).name  # type: ignore[union-attr]
    return OneTimeCredential(user.id, user.username, full_name, group, password)


@service("accounts.create_learner_accounts")
def create_learner_accounts(
    db: Database, actor: Actor, learner_ids: Iterable[int]
) -> AccountsCreated:
    """Accounts with one-time passwords for learners who have none (e.g. a whole group),
    in one transaction; the result feeds the sign-in slips."""
    created: list[OneTimeCredential] = []
    skipped: list[tuple[str, str]] = []
    taken: set[str] = set()
    with simultaneous_changes_refused(), db.transaction() as session:
        for learner_id in dict.fromkeys(learner_ids):
            learner = session.get(Learner, learner_id)
            if learner is None:
                raise NotFound(_("There is no learner with the number {id}.").format(id=learner_id))
            name = f"{learner.given_names} {learner.surname}"
            holder = session.scalar(select(User.username).where(User.learner_id == learner_id))
            if holder is not None:
                skipped.append((name, _("already has the account {user}").format(user=holder)))
                continue
            if not learner.active:
                skipped.append((name, _("is no longer active")))
                continue
            password = one_time_password()
            user = add_user(
                session,
                db,
                free_username(session, learner.given_names, learner.surname, taken),
                name,
                password,
                [Role.LEARNER],
                learner_id,
            )
            user.must_change_password = True
            created.append(_credential(session, user, password))
        append(
            session,
            actor.username,
            "accounts.create_learner_accounts",
            "ok",
            details={"created": [c.username for c in created], "skipped": len(skipped)},
        )
    return AccountsCreated(tuple(created), tuple(skipped))


def new_staff_user(
    session: Session,
    db: Database,
    given_names: str,
    surname: str,
    roles: Iterable[Role | str],
    username: str = "",
    taken: set[str] | None = None,
) -> tuple[User, str]:
    """A staff account with a one-time password, in the caller's transaction."""
    taken = set() if taken is None else taken
    given_names = clean_text(given_names, "given_names", _("first name"), MAX_DISPLAY_NAME)
    surname = clean_text(surname, "surname", _("surname"), MAX_DISPLAY_NAME)
    display = " ".join(f"{given_names} {surname}".split())
    if len(display) > MAX_DISPLAY_NAME:
        raise InvalidInput(
            "name",
            _("The {field} is too long: at most {limit} characters, now {count}.").format(
                field=_("name"), limit=MAX_DISPLAY_NAME, count=len(display)
            ),
        )
    if not display:
        raise InvalidInput("name", _("A staff member needs a first name and a surname."))
    if Role.LEARNER in {Role(r) for r in roles}:
        raise InvalidInput(
            "roles", _("Learners' accounts are made from their learner records, not here.")
        )
    name = username.strip() or free_username(session, given_names, surname, taken)
    password = one_time_password()
    user = add_user(session, db, name, display, password, roles)
    user.must_change_password = True
    return user, password


@service("accounts.create_staff")
def create_staff(
    db: Database,
    actor: Actor,
    given_names: str,
    surname: str,
    roles: Iterable[Role | str],
    username: str = "",
) -> OneTimeCredential:
    """A teacher's, coordinator's or administrator's account (one person may hold several
    roles) with a one-time password for their slip."""
    with simultaneous_changes_refused(), db.transaction() as session:
        user, password = new_staff_user(session, db, given_names, surname, roles, username)
        append(
            session,
            actor.username,
            "accounts.create_staff",
            "ok",
            "user",
            user.id,
            {"username": user.username, "roles": sorted(r.role for r in user.roles)},
        )
        return _credential(session, user, password)


@service("accounts.sign_in_slips")
def sign_in_slips(
    db: Database,
    actor: Actor,
    credentials: Iterable[OneTimeCredential],
    language: str,
    where_to_sign_in: str = "",
) -> bytes:
    """The PDF of sign-in slips (one per person) for credentials just made."""
    from digcomp_app.documents.slips import SignInSlip, render_sign_in_slips
    from digcomp_app.i18n import N_, translations_for

    slips = [SignInSlip(c.full_name, c.group, c.username, c.password) for c in credentials]
    if not slips:
        raise InvalidInput("credentials", _("There are no new passwords to print."))
    with db.transaction() as session:
        from digcomp_app.storage.models import Organisation

        school = session.scalar(select(Organisation.name).where(Organisation.is_home.is_(True)))
        append(
            session,
            actor.username,
            "accounts.sign_in_slips",
            "ok",
            details={"users": [s.username for s in slips], "language": language},
        )
    where = where_to_sign_in or translations_for(language).gettext(
        N_(
            "On a school computer, open 'DigComp recognition' and sign in with the user name "
            "and password below."
        )
    )
    return render_sign_in_slips(
        slips,
        school_name=school or "",
        where_to_sign_in=where,
        language=language,
        issued_on=dt.date.today(),
    )


@service("accounts.unlock")
def unlock(db: Database, actor: Actor, user_id: int) -> UserInfo:
    with db.transaction() as session:
        user = _user(session, user_id)
        user.failed_logins = 0
        user.locked_until = None
        append(session, actor.username, "accounts.unlock", "ok", "user", user.id)
        return _info(user)
