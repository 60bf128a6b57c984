"""Every public service function is in the permission table, and every role outside its
entry is refused before anything happens, with the refusal audited."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

import pytest
from sqlalchemy import select

import digcomp_app.services as services_package
from digcomp_app.services import audit
from digcomp_app.services.database import Database
from digcomp_app.services.errors import PermissionDenied
from digcomp_app.services.permissions import (
    DECLARED,
    PERMISSIONS,
    PUBLIC,
    Actor,
    Role,
    allowed,
)
from digcomp_app.storage.models import AuditEvent

#: modules of plumbing that hold no service functions
INFRASTRUCTURE = {"auditlog", "database", "errors", "permissions", "scope"}


def service_functions():
    """Every public function ``f(db, …)`` of the service modules, named by its area (the
    module, or the package whose modules hold it: ``backup.create`` of services/backup/)."""
    found = {}
    prefix = f"{services_package.__name__}."
    for info in pkgutil.walk_packages(services_package.__path__, prefix):
        area = info.name.removeprefix(prefix).split(".")[0]
        if area in INFRASTRUCTURE:
            continue
        module = importlib.import_module(info.name)
        for name, function in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or function.__module__ != module.__name__:
                continue
            parameters = list(inspect.signature(function).parameters)
            if parameters[:1] == ["db"]:
                assert f"{area}.{name}" not in found, f"two functions {area}.{name}"
                found[f"{area}.{name}"] = function
    return found


FUNCTIONS = service_functions()


def test_the_walk_finds_the_services():
    assert len(FUNCTIONS) > 40
    assert "validation.advance" in FUNCTIONS
    assert "backup.create" in FUNCTIONS  # in a package's module


@pytest.mark.parametrize("qualified", sorted(FUNCTIONS))
def test_every_service_function_is_guarded(qualified):
    function = FUNCTIONS[qualified]
    permission = getattr(function, "__permission__", None)
    assert permission is not None, f"{qualified} is not declared with @service(...)"
    assert permission in PERMISSIONS
    assert list(inspect.signature(function).parameters)[:2] == ["db", "actor"]


def test_every_table_entry_belongs_to_exactly_one_function():
    used = [getattr(f, "__permission__", None) for f in FUNCTIONS.values()]
    assert sorted(used) == sorted(PERMISSIONS)
    assert set(DECLARED) == set(PERMISSIONS)


def actor_with(role: Role) -> Actor:
    return Actor(9999, f"only-{role.value}", "Test", frozenset({role}), learner_id=None)


CASES = [
    (q, role)
    for q, f in sorted(FUNCTIONS.items())
    for role in Role
    if f.__permission__ not in PUBLIC and role not in PERMISSIONS[f.__permission__]
]


def test_deny_by_default_for_someone_not_signed_in():
    for qualified, function in FUNCTIONS.items():
        if function.__permission__ not in PUBLIC:
            assert not allowed(None, function.__permission__), qualified


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def matrix_db(request, tmp_path_factory):
    """One database for the whole refusal matrix (nothing in it is changed but the log)."""
    from tests.services.conftest import FAST_HASHER, PG_URL, new_postgres_database

    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('matrix') / 'm.sqlite3'}"
        cleanup = None
    else:
        if not PG_URL:
            pytest.skip("DIGCOMP_TEST_DATABASE_URL is not set")
        url, cleanup = new_postgres_database()
    database = Database(url, password_hasher=FAST_HASHER)
    yield database
    database.close()
    if cleanup:
        cleanup()


@pytest.mark.parametrize(("qualified", "role"), CASES, ids=[f"{q}-{r.value}" for q, r in CASES])
def test_roles_outside_the_table_are_refused_and_audited(matrix_db, qualified, role):
    db = matrix_db
    function = FUNCTIONS[qualified]
    arity = len(inspect.signature(function).parameters) - 2
    with pytest.raises(PermissionDenied):
        # Arguments are never looked at: the check comes before anything else.
        function(db, actor_with(role), *([None] * arity))
    with db.transaction() as session:
        event = session.scalars(select(AuditEvent).order_by(AuditEvent.id.desc())).first()
    assert (event.actor, event.action, event.outcome) == (
        f"only-{role.value}",
        function.__permission__,
        "denied",
    )


def test_the_table_matches_the_roles_promised_to_users():
    # Only coordinators certify and revoke; administrators manage users and backups.
    assert PERMISSIONS["certificates.issue"] == {Role.COORDINATOR}
    assert PERMISSIONS["certificates.revoke"] == {Role.COORDINATOR}
    assert PERMISSIONS["accounts.create_user"] == {Role.ADMINISTRATOR}
    # Administrators set up the roster (learners, groups, accounts) but never read or
    # change what learners did: self-assessments, cases and evidence stay out of reach.
    assert Role.ADMINISTRATOR in PERMISSIONS["learners.get_record"]
    for permission in ("self_assessment.get", "validation.get_case", "evidence.open_file"):
        assert Role.ADMINISTRATOR not in PERMISSIONS[permission]
    # Only administrators make accounts and import staff; coordinators may import learners.
    assert PERMISSIONS["accounts.create_learner_accounts"] == {Role.ADMINISTRATOR}
    assert PERMISSIONS["rosters.import_staff"] == {Role.ADMINISTRATOR}
    assert PERMISSIONS["rosters.import_learners"] == {Role.COORDINATOR, Role.ADMINISTRATOR}
    assert PERMISSIONS["self_assessment.answer"] == {Role.LEARNER}


def test_denied_attempts_keep_the_chain_intact(db, school):
    with pytest.raises(PermissionDenied):
        FUNCTIONS["certificates.issue"](db, school.teacher, 1)
    assert audit.verify(db, school.coordinator).intact
