"""Who may call which service: one table, checked before anything else (deny by default).

Every public service function is declared with :func:`service`, naming its entry in
:data:`PERMISSIONS`; a function without an entry cannot be declared, and a test walks all
service modules to make sure no public function is left undeclared. Object-level rules
(a learner sees only their own records, a teacher only their groups' and mobilities'
learners) are checked inside the functions with :mod:`digcomp_app.services.scope`.
"""

from __future__ import annotations

import contextlib
import functools
import threading
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Literal, NoReturn, ParamSpec, TypeVar

from digcomp_app.i18n import _
from digcomp_app.services.errors import PermissionDenied


class Role(StrEnum):
    LEARNER = "learner"
    TEACHER = "teacher"
    COORDINATOR = "coordinator"
    ADMINISTRATOR = "administrator"


L, T, C, A = Role.LEARNER, Role.TEACHER, Role.COORDINATOR, Role.ADMINISTRATOR
EVERYONE = frozenset(Role)
#: Services anyone may call without being signed in (they check what they need themselves).
PUBLIC = frozenset(
    {
        "accounts.authenticate",
        "accounts.create_first_administrator",
        "accounts.needs_first_administrator",
        "backup.restore",
        "seeding.empty_school",
        "verification.verify_text",
        "verification.verify_pdf",
        "verification.own_public_keys",
        "backup.current_school",
    }
)

PERMISSIONS: dict[str, frozenset[Role]] = {
    # accounts and organisation
    "accounts.authenticate": EVERYONE,
    "accounts.needs_first_administrator": EVERYONE,
    "accounts.create_first_administrator": EVERYONE,
    "accounts.change_own_password": EVERYONE,
    "accounts.create_user": frozenset({A}),
    "accounts.list_users": frozenset({A}),
    "accounts.search_users": frozenset({A}),
    "accounts.set_roles": frozenset({A}),
    "accounts.set_active": frozenset({A}),
    "accounts.reset_password": frozenset({A}),
    "accounts.create_learner_accounts": frozenset({A}),
    "accounts.create_staff": frozenset({A}),
    "accounts.sign_in_slips": frozenset({A}),
    "accounts.unlock": frozenset({A}),
    "accounts.list_teachers": frozenset({C, A}),
    "organisations.get_home": EVERYONE,
    "organisations.update_home": frozenset({A}),
    "organisations.set_home_logo": frozenset({A}),
    "organisations.home_logo": EVERYONE,
    "organisations.create": frozenset({C, A}),
    "organisations.list": frozenset({T, C, A}),
    # learners and groups
    # (administrators set up a school's roster; coordinators keep it up to date)
    "learners.create": frozenset({C, A}),
    "learners.update": frozenset({C, A}),
    "learners.set_active": frozenset({C, A}),
    "learners.search": frozenset({T, C, A}),
    "learners.list": frozenset({T, C, A}),
    "learners.get_record": frozenset({L, T, C, A}),
    "learners.create_group": frozenset({C, A}),
    "learners.rename_group": frozenset({C, A}),
    "learners.archive_group": frozenset({C, A}),
    "learners.list_groups": frozenset({T, C, A}),
    "learners.add_to_group": frozenset({C, A}),
    "learners.move_to_group": frozenset({C, A}),
    "learners.remove_from_group": frozenset({C, A}),
    "learners.assign_group_teacher": frozenset({C, A}),
    "learners.unassign_group_teacher": frozenset({C, A}),
    "learners.group_members": frozenset({T, C, A}),
    # roster files from the school register
    "rosters.preview_learners": frozenset({C, A}),
    "rosters.import_learners": frozenset({C, A}),
    "rosters.preview_staff": frozenset({A}),
    "rosters.import_staff": frozenset({A}),
    # mobilities
    "mobilities.create": frozenset({C}),
    "mobilities.update": frozenset({C}),
    "mobilities.add_participants": frozenset({C}),
    "mobilities.assign_teacher": frozenset({C}),
    "mobilities.set_europass_number": frozenset({C}),
    "mobilities.list": frozenset({L, T, C}),
    "mobilities.get": frozenset({L, T, C}),
    "mobilities.list_participants": frozenset({T, C}),
    "mobilities.list_teachers": frozenset({T, C}),
    "mobilities.remove_participant": frozenset({C}),
    "mobilities.unassign_teacher": frozenset({C}),
    # self-assessment
    "self_assessment.start": frozenset({L}),
    "self_assessment.answer": frozenset({L}),
    "self_assessment.answer_many": frozenset({L}),
    "self_assessment.complete": frozenset({L}),
    "self_assessment.get": frozenset({L, T, C}),
    "self_assessment.history": frozenset({L, T, C}),
    "self_assessment.compare": frozenset({L, T, C}),
    # the DigCompSAT skills test: a learner takes their own; teachers read their learners',
    # coordinators and administrators all (checked inside); a suggestion, never an assessment
    "skills_test.start": frozenset({L}),
    "skills_test.answer": frozenset({L}),
    "skills_test.complete": frozenset({L}),
    "skills_test.get": frozenset({L, T, C, A}),
    "skills_test.history": frozenset({L, T, C, A}),
    "skills_test.result": frozenset({L, T, C, A}),
    "skills_test.compare": frozenset({L, T, C, A}),
    "skills_test.suggestions": frozenset({L, T, C, A}),
    # the validation workflow
    "validation.open_case": frozenset({T, C}),
    "validation.get_case": frozenset({L, T, C}),
    "validation.list_cases": frozenset({T, C}),
    "validation.case_marks": frozenset({T, C}),
    "validation.set_targets": frozenset({T}),
    "validation.advance": frozenset({T, C}),
    "validation.go_back": frozenset({T, C}),
    "validation.record_assessment": frozenset({T}),
    "validation.self_vs_assessed": frozenset({L, T, C}),
    "evidence.add_file": frozenset({L, T}),
    "evidence.add_link": frozenset({L, T}),
    "evidence.add_note": frozenset({L, T}),
    "evidence.remove": frozenset({T}),
    "evidence.set_competences": frozenset({T}),
    "evidence.open_file": frozenset({L, T, C}),
    "evidence.list": frozenset({L, T, C}),
    # certificates
    "certificates.issue": frozenset({C}),
    "certificates.revoke": frozenset({C}),
    "certificates.list": frozenset({C}),
    "certificates.search": frozenset({C}),
    "certificates.get": frozenset({L, T, C}),
    "certificates.certification_queue": frozenset({C}),
    # the signed list of revoked serials for the school's website (signing needs a coordinator)
    "certificates.revocation_list": frozenset({C}),
    # digital credentials (Open Badges 3.0) and the school's DID document
    "credentials.export_ob3": frozenset({C}),  # it signs: only a coordinator unlocks the key
    "credentials.issuer_profile": frozenset({C, A}),
    "credentials.revocation_status_list": frozenset({C}),  # signed with the school's key
    # printed documents: attestations and summaries for coordinators; a learner's profile
    # for the learner and their teachers too (checked per learner inside)
    "printing.print_attestations": frozenset({C}),
    "printing.europass_text": frozenset({C}),
    "reports.profile": frozenset({L, T, C}),
    "reports.mobility_summary": frozenset({C}),
    # the school's signing key (verification needs no sign-in: see PUBLIC)
    "signing.create_key": frozenset({A}),
    "signing.list_keys": frozenset({C, A}),
    "signing.unlock": frozenset({C}),
    "signing.export_public_keys": frozenset({C, A}),
    "signing.verifier_page": frozenset({C, A}),
    "verification.verify_text": EVERYONE,
    "verification.verify_pdf": EVERYONE,
    "verification.own_public_keys": EVERYONE,
    # data protection: a learner's data export answers an access request (GDPR Art. 15/20):
    # administrators and coordinators for anyone, a learner for themself (checked inside)
    "privacy.export_learner": frozenset({L, C, A}),
    "privacy.save_learner_export": frozenset({L, C, A}),
    # erasure (Art. 17) and retention: irreversible, so administrators only (decision 0027)
    "privacy.erasure_preview": frozenset({A}),
    "privacy.erase_learner": frozenset({A}),
    "privacy.compact_database": frozenset({A}),
    "privacy.retention_rules": frozenset({C, A}),
    "privacy.set_retention_rules": frozenset({A}),
    "privacy.retention_preview": frozenset({A}),
    "privacy.apply_retention": frozenset({A}),
    # consent records: coordinators and administrators keep them; teachers read those of
    # their learners (checked inside)
    "privacy.record_consent": frozenset({C, A}),
    "privacy.withdraw_consent": frozenset({C, A}),
    "privacy.list_consents": frozenset({T, C, A}),
    # audit and maintenance
    "audit.verify": frozenset({C, A}),
    "audit.compare_head": EVERYONE,
    "audit.list_events": frozenset({A}),
    "seeding.empty_school": EVERYONE,  # only into an empty database (checked inside)
    "backup.create": frozenset({A}),
    "backup.current_school": EVERYONE,  # which school a database is (no personal data)
    # only into an empty database, where nobody can sign in: it checks the backup's own
    # administrator credentials itself
    "backup.restore": frozenset({A}),
    # the school's library of frameworks (decision 0034): everyone sees it; administrators
    # add frameworks (a folder, a zip, a Moodle CSV) and remove those no record uses
    "frameworks.library": EVERYONE,
    "frameworks.list_added": EVERYONE,
    "frameworks.add": frozenset({A}),
    "frameworks.add_from_moodle": frozenset({A}),
    "frameworks.remove": frozenset({A}),
    # a certificate as a European Digital Credential (unsealed; the school seals it in the
    # EDC issuer): coordinators, who keep the register
    "certificates.export_edc": frozenset({C}),
    # the school overview (decision 0036): levels, gains, stages and certificates counted
    # over a group, a year or a mobility; teachers over their own learners (checked inside)
    "overview.figures": frozenset({T, C, A}),
    "overview.options": frozenset({T, C, A}),
    "overview.export": frozenset({T, C, A}),
    # what needs doing, for each role's home screen (read only)
    "home.learner": frozenset({L}),
    "home.teacher": frozenset({T}),
    "home.coordinator": frozenset({C}),
    "home.administrator": frozenset({A}),
}


@dataclass(frozen=True, slots=True)
class Actor:
    """The signed-in person a service acts for."""

    user_id: int
    username: str
    display_name: str
    roles: frozenset[Role]
    learner_id: int | None = None
    #: signed in with a one-time password: only choosing a new password is allowed
    must_change_password: bool = False

    def has(self, role: Role) -> bool:
        return role in self.roles


P = ParamSpec("P")
R = TypeVar("R")

#: (permission name, qualified function name) of every declared service
DECLARED: dict[str, str] = {}


def allowed(actor: Actor | None, permission: str) -> bool:
    if permission in PUBLIC:
        return True
    if actor is None:
        return False
    return bool(actor.roles & PERMISSIONS[permission])


def service(permission: str) -> Callable[[Callable[P, R]], Callable[P, R]]:
    """Declare a service function ``f(db, actor, ...)`` guarded by ``permission``."""
    if permission not in PERMISSIONS:
        raise LookupError(f"{permission} is not in the permission table")

    def decorate(function: Callable[P, R]) -> Callable[P, R]:
        @functools.wraps(function)
        def guarded(*args: P.args, **kwargs: P.kwargs) -> R:
            db, actor = args[0], args[1] if len(args) > 1 else kwargs.get("actor")
            if not allowed(actor, permission):  # type: ignore[arg-type]
                _deny(db, actor, permission)  # type: ignore[arg-type]
            if isinstance(actor, Actor) and permission not in PUBLIC:
                check_current_state(db, actor, permission)
            if (
                isinstance(actor, Actor)
                and actor.must_change_password
                and permission not in ALLOWED_BEFORE_NEW_PASSWORD
            ):
                _deny_until_new_password(db, actor, permission)
            try:
                return function(*args, **kwargs)
            except ObjectDenied as denied:
                # Recorded only now: the function's own transaction has been rolled back.
                from digcomp_app.services.auditlog import record_denied

                record_denied(db, actor, permission, denied.entity, denied.entity_id)  # type: ignore[arg-type]
                raise

        guarded.__permission__ = permission  # type: ignore[attr-defined]
        DECLARED[permission] = f"{function.__module__}.{function.__qualname__}"
        return guarded

    return decorate


class AccountChanged(PermissionDenied):
    """The signed-in person's account changed since they signed in (deactivated, removed,
    a role taken away, linked to another learner, or the password reset by an
    administrator): nothing more is done for this sign-in; the window signs them out."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


#: Called with (db, actor) whenever a service refuses an :class:`AccountChanged` actor,
#: from whatever thread the service ran in (the window signs the person out).
_account_changed_listeners: list[Callable[[Any, Actor], None]] = []


def add_account_changed_listener(listener: Callable[[Any, Actor], None]) -> None:
    _account_changed_listeners.append(listener)


def remove_account_changed_listener(listener: Callable[[Any, Actor], None]) -> None:
    with contextlib.suppress(ValueError):
        _account_changed_listeners.remove(listener)


_READER_LOCK = threading.Lock()
_STATE_QUERY = (
    "SELECT u.active, u.learner_id, u.must_change_password, r.role "
    "FROM users u LEFT JOIN user_roles r ON r.user_id = u.id WHERE u.id = {user_id}"
)


class _SqliteStateReader:
    """One read-only connection to an SQLite file, kept open while its Database is (opening
    an SQLite connection costs about half a millisecond; the query, about 5 µs). Each query
    runs in autocommit mode, so it sees the newest committed data: nothing is cached."""

    def __init__(self, path: str) -> None:
        import sqlite3

        self._lock = threading.Lock()
        self._connection = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._connection.execute("PRAGMA query_only=ON")
        self._connection.execute("PRAGMA busy_timeout=15000")

    def rows(self, user_id: int) -> list[tuple[Any, ...]]:
        with self._lock:
            return self._connection.execute(_STATE_QUERY.format(user_id=user_id)).fetchall()

    def close(self, *_args: Any) -> None:
        with self._lock:
            self._connection.close()


def _state_rows(db: Any, user_id: int) -> list[tuple[Any, ...]]:
    reader = getattr(db, "_state_reader", None)
    if reader is None:
        with _READER_LOCK:
            reader = getattr(db, "_state_reader", None)
            if reader is None:
                reader = db._state_reader = _new_reader(db)
    if reader:
        return reader.rows(user_id)
    # A plain pooled connection: no write lock is taken (SQLite transactions here begin
    # IMMEDIATE), so the check also works inside another service's transaction.
    connection = db.engine.raw_connection()
    try:
        cursor = connection.cursor()
        try:
            cursor.execute(_STATE_QUERY.format(user_id=user_id))
            return list(cursor.fetchall())
        finally:
            cursor.close()
    finally:
        connection.close()  # back to the pool, rolled back


def _new_reader(db: Any) -> _SqliteStateReader | Literal[False]:
    from sqlalchemy import event

    from digcomp_app.storage.engine import sqlite_path

    path = sqlite_path(db.url)
    if path is None:
        return False  # PostgreSQL (pooled connections) or an in-memory SQLite
    reader = _SqliteStateReader(str(path))
    event.listen(db.engine, "engine_disposed", reader.close)  # Database.close()
    return reader


def _current_state(db: Any, user_id: int) -> tuple[bool, int | None, bool, frozenset[str]] | None:
    """(active, learner id, must change password, roles) of the user as stored now, in one
    query (``user_id`` is an int: nothing to escape)."""
    rows = _state_rows(db, int(user_id))
    if not rows:
        return None
    active, learner_id, must_change, _role = rows[0]
    roles = frozenset(row[3] for row in rows if row[3] is not None)
    return bool(active), learner_id, bool(must_change), roles


def check_current_state(db: Any, actor: Actor, permission: str) -> None:
    """Refuse (audited) unless everything ``actor`` claims still holds: the user exists,
    is active, still has every role and the learner link they signed in with, and no
    administrator has reset their password since. Roles granted after signing in are
    not used until the next sign-in (the Actor keeps the roles it was made with). A lock
    after wrong passwords does not end a session (anyone could otherwise end anyone's
    session by typing wrong passwords); it only stops new sign-ins."""
    state = _current_state(db, actor.user_id)
    if state is None or not state[0]:
        reason = "removed" if state is None else "inactive"
        message = _("Your account was deactivated since you signed in; sign in again.")
    else:
        _active, learner_id, must_change, roles = state
        if not {role.value for role in actor.roles} <= roles or learner_id != actor.learner_id:
            reason = "roles changed"
            message = _("Your roles changed since you signed in; sign in again.")
        elif must_change and not actor.must_change_password:
            reason = "password reset"
            message = _("An administrator reset your password since you signed in; sign in again.")
        else:
            return
    from digcomp_app.services.auditlog import append

    with db.transaction() as session:
        append(
            session,
            actor.username,
            permission,
            "denied",
            "user",
            actor.user_id,
            {"reason": f"account changed: {reason}"},
        )
    for listener in list(_account_changed_listeners):
        with contextlib.suppress(Exception):  # a listener never hides the refusal
            listener(db, actor)
    raise AccountChanged(message, reason)


#: What a person signed in with a one-time password may do before choosing their own.
ALLOWED_BEFORE_NEW_PASSWORD = frozenset(
    {*PUBLIC, "accounts.change_own_password", "organisations.get_home"}
)


def _deny_until_new_password(db: Any, actor: Actor, permission: str) -> None:
    from digcomp_app.services.auditlog import record_denied

    record_denied(db, actor, permission)
    raise PermissionDenied(_("Choose your own password first: the one on your slip was for once."))


def _deny(db: Any, actor: Actor | None, permission: str) -> None:
    from digcomp_app.services.auditlog import record_denied

    record_denied(db, actor, permission)
    raise PermissionDenied(
        _("You do not have permission to do this ({action}).").format(action=permission)
    )


class ObjectDenied(PermissionDenied):
    """Access to one record refused; the service wrapper audits it after rolling back."""

    def __init__(self, entity: str, entity_id: object) -> None:
        super().__init__(_("You do not have access to this record."))
        self.entity = entity
        self.entity_id = str(entity_id)


def deny_object(entity: str, entity_id: object) -> NoReturn:
    """Refuse access to one record the role could otherwise reach (audited by the wrapper)."""
    raise ObjectDenied(entity, entity_id)
