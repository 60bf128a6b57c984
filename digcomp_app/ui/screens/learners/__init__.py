"""Learners and groups (coordinators, administrators): the school's roster."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.learners.view import LearnersScreen

    return LearnersScreen(context)


SCREEN = ScreenSpec(
    id="learners",
    roles=frozenset({Role.COORDINATOR, Role.ADMINISTRATOR}),
    title=lambda: _("Learners and groups"),
    summary=lambda: _(
        "Find and add learners, move them between groups, give them accounts; manage groups."
    ),
    create=_create,
    order=35,
)
