"""Mobilities (coordinator): list, create and edit them; add participants and teachers."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.mobilities.view import MobilitiesScreen

    return MobilitiesScreen(context)


SCREEN = ScreenSpec(
    id="mobilities",
    roles=frozenset({Role.COORDINATOR}),
    title=lambda: _("Mobilities"),
    summary=lambda: _(
        "Create and edit mobilities abroad: dates, host organisation, participants, teachers."
    ),
    create=_create,
    order=40,
)
