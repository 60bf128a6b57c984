"""Users and roles (administrators): accounts, roles, activation, passwords, locks."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.accounts.view import UsersScreen

SCREEN = ScreenSpec(
    id="users",
    roles=frozenset({Role.ADMINISTRATOR}),
    title=lambda: _("Users and roles"),
    summary=lambda: _("Add accounts, give roles, reset passwords and lift locks."),
    create=UsersScreen,
    order=60,
)
