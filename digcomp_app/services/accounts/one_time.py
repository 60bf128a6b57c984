"""One-time passwords and accounts made in bulk: learners' accounts for a whole group,
staff accounts, user names made up from names, the sign-in slips."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from digcomp_app.i18n import _
from digcomp_app.services.accounts.model import MAX_DISPLAY_NAME, AccountsCreated, OneTimeCredential
from digcomp_app.services.accounts.users import add_user
from digcomp_app.services.auditlog import append
from digcomp_app.services.database import Database
from digcomp_app.services.errors import InvalidInput, NotFound, simultaneous_changes_refused
from digcomp_app.services.inputs import clean_text
from digcomp_app.services.permissions import Actor, Role, service
from digcomp_app.storage.models import Learner, User

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


def credential_for(session: Session, user: User, password: str) -> OneTimeCredential:
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
            created.append(credential_for(session, user, password))
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
        return credential_for(session, user, password)


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
