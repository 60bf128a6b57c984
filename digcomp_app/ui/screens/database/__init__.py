"""The database (administrators): which database the program uses, backups, restoring."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.database.view import DatabaseScreen

    return DatabaseScreen(context)


SCREEN = ScreenSpec(
    id="database",
    roles=frozenset({Role.ADMINISTRATOR}),
    title=lambda: _("Database"),
    summary=lambda: _("Choose the database, test the connection, make backups."),
    create=_create,
    order=70,
)
