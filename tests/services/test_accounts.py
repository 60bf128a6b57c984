"""Signing in, the first administrator, lockout and password hashing."""

from __future__ import annotations

import datetime as dt

import pytest
from argon2 import PasswordHasher
from sqlalchemy import select, update

from digcomp_app.services import accounts
from digcomp_app.services.database import Database
from digcomp_app.services.errors import (
    AccountLocked,
    AuthenticationFailed,
    InvalidInput,
    PermissionDenied,
)
from digcomp_app.services.permissions import Role
from digcomp_app.storage.models import AuditEvent, User
from tests.services.conftest import PASSWORD


def test_first_run_creates_the_first_administrator_once(db):
    assert accounts.needs_first_administrator(db, None)
    with pytest.raises(InvalidInput):
        accounts.create_first_administrator(db, None, "admin", "Admin", "short")
    accounts.create_first_administrator(db, None, "admin", "Admin", PASSWORD)
    assert not accounts.needs_first_administrator(db, None)
    with pytest.raises(PermissionDenied):
        accounts.create_first_administrator(db, None, "evil", "Evil", PASSWORD)
    actor = accounts.authenticate(db, None, "ADMIN", PASSWORD)
    assert actor.roles == {Role.ADMINISTRATOR}


def test_wrong_passwords_lock_the_account_for_a_while(db, school):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(AuthenticationFailed):
            accounts.authenticate(db, None, "teach", "wrong")
    with pytest.raises(AccountLocked):
        accounts.authenticate(db, None, "teach", PASSWORD)  # even the right one, for now
    accounts.unlock(db, school.admin, school.teacher.user_id)
    assert accounts.authenticate(db, None, "teach", PASSWORD).username == "teach"


def test_the_lock_expires(db, school):
    with db.transaction() as session:
        session.execute(
            update(User)
            .where(User.username == "teach")
            .values(locked_until=dt.datetime.now(dt.UTC) - dt.timedelta(seconds=1))
        )
    assert accounts.authenticate(db, None, "teach", PASSWORD).username == "teach"


def test_unknown_users_and_passwords_give_the_same_answer(db, school):
    with pytest.raises(AuthenticationFailed) as unknown:
        accounts.authenticate(db, None, "nobody", PASSWORD)
    with pytest.raises(AuthenticationFailed) as wrong:
        accounts.authenticate(db, None, "teach", "nope")
    assert str(unknown.value) == str(wrong.value)


def test_hash_is_argon2id_and_upgraded_when_parameters_change(database_url, school, db):
    with db.transaction() as session:
        old_hash = session.scalar(select(User.password_hash).where(User.username == "teach"))
    assert old_hash.startswith("$argon2id$")
    stronger = Database(
        database_url, password_hasher=PasswordHasher(time_cost=2, memory_cost=16, parallelism=1)
    )
    accounts.authenticate(stronger, None, "teach", PASSWORD)
    with stronger.transaction() as session:
        new_hash = session.scalar(select(User.password_hash).where(User.username == "teach"))
    stronger.close()
    assert new_hash != old_hash and "t=2" in new_hash


def test_passwords_never_reach_the_audit_log(db, school):
    accounts.change_own_password(db, school.teacher, PASSWORD, "new secret words")
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(db, None, "teach", PASSWORD)
    with db.transaction() as session:
        logged = " ".join(
            str(e.details) + e.actor + e.action for e in session.scalars(select(AuditEvent))
        )
    assert PASSWORD not in logged and "new secret words" not in logged


def test_administrator_manages_roles_but_cannot_lock_themselves_out(db, school):
    info = accounts.set_roles(db, school.admin, school.teacher.user_id, ["teacher", "coordinator"])
    assert info.roles == {Role.TEACHER, Role.COORDINATOR}
    with pytest.raises(InvalidInput):
        accounts.set_roles(db, school.admin, school.admin.user_id, ["teacher"])
    with pytest.raises(InvalidInput):
        accounts.create_user(db, school.admin, "teach", "Dup", PASSWORD, ["teacher"])
    with pytest.raises(InvalidInput):
        accounts.create_user(db, school.admin, "pupil", "No link", PASSWORD, ["learner"])
    accounts.set_active(db, school.admin, school.other_teacher.user_id, False)
    with pytest.raises(AuthenticationFailed):
        accounts.authenticate(db, None, "teach2", PASSWORD)
