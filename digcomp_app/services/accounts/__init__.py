"""Accounts: signing in, the first administrator, users and their roles.

Passwords are hashed with argon2id (argon2-cffi's defaults unless a stronger hasher is
given); a stored hash made with older parameters is replaced at the next sign-in. After
:data:`MAX_FAILURES` wrong passwords an account is locked for :data:`LOCK_MINUTES`.

The parts: :mod:`.model` (what the services return), :mod:`.users` (rows inside a
caller's transaction), :mod:`.signing_in`, :mod:`.administration` and :mod:`.one_time`
(the services).
"""

from digcomp_app.services.accounts.administration import (
    create_user,
    list_teachers,
    list_users,
    reset_password,
    search_users,
    set_active,
    set_roles,
    unlock,
)
from digcomp_app.services.accounts.model import (
    LOCK_MINUTES,
    MAX_DISPLAY_NAME,
    MAX_FAILURES,
    MIN_PASSWORD_LENGTH,
    ROLE_TITLES,
    AccountsCreated,
    OneTimeCredential,
    UserInfo,
    UserPage,
    actor_for,
)
from digcomp_app.services.accounts.one_time import (
    create_learner_accounts,
    create_staff,
    free_username,
    new_staff_user,
    one_time_password,
    sign_in_slips,
)
from digcomp_app.services.accounts.signing_in import (
    authenticate,
    change_own_password,
    create_first_administrator,
    needs_first_administrator,
)
from digcomp_app.services.accounts.users import PasswordHash, add_user, hash_password

__all__ = [
    "LOCK_MINUTES",
    "MAX_DISPLAY_NAME",
    "MAX_FAILURES",
    "MIN_PASSWORD_LENGTH",
    "ROLE_TITLES",
    "AccountsCreated",
    "OneTimeCredential",
    "PasswordHash",
    "UserInfo",
    "UserPage",
    "actor_for",
    "add_user",
    "authenticate",
    "change_own_password",
    "create_first_administrator",
    "create_learner_accounts",
    "create_staff",
    "create_user",
    "free_username",
    "hash_password",
    "list_teachers",
    "list_users",
    "needs_first_administrator",
    "new_staff_user",
    "one_time_password",
    "reset_password",
    "search_users",
    "set_active",
    "set_roles",
    "sign_in_slips",
    "unlock",
]
