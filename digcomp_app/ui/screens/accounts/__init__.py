"""Users and roles (administrators): accounts, roles, activation, passwords, locks."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.accounts.view import UsersScreen

    return UsersScreen(context)


SCREEN = ScreenSpec(
    id="users",
    roles=frozenset({Role.ADMINISTRATOR}),
    title=lambda: _("Users and roles"),
    summary=lambda: _("Add accounts, give roles, reset passwords and lift locks."),
    create=_create,
    order=60,
)
