"""Errors a service raises for the caller to show: each message is translated, plain words."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


class ServiceError(Exception):
    """Something the user can understand and act on; ``str(error)`` is the message."""


class PermissionDenied(ServiceError):
    pass


class NotFound(ServiceError):
    pass


class InvalidInput(ServiceError):
    """Bad input; ``field`` names what is wrong."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


class WorkflowError(ServiceError):
    """The validation case is not in a stage where this can be done."""


class AuthenticationFailed(ServiceError):
    pass


class AccountLocked(AuthenticationFailed):
    pass


class ConcurrentChange(ServiceError):
    """Someone else saved the same record first; ``current`` holds their values."""

    def __init__(self, message: str, current: Any) -> None:
        super().__init__(message)
        self.current = current


class IntegrityProblem(ServiceError):
    """Stored data failed a check (a file's hash, the audit chain, a backup)."""


class SimultaneousChange(ServiceError):
    """Someone else saved something that clashes (the same learner number, user name, group
    name or mobility code) at the same moment; nothing of this change was saved."""


@contextmanager
def simultaneous_changes_refused() -> Iterator[None]:
    """Turn the database's refusal of a duplicate, written by someone else between our
    check and our commit, into a :class:`SimultaneousChange` the user can act on."""
    from sqlalchemy.exc import IntegrityError

    try:
        yield
    except IntegrityError as error:
        from digcomp_app.i18n import _

        raise SimultaneousChange(
            _(
                "Someone else saved a clashing change (the same learner number, user name, "
                "group name or mobility code) at the same moment. Nothing was saved; look at "
                "the data again and retry."
            )
        ) from error
