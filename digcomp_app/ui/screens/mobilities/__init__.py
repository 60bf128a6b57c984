"""Mobilities (coordinator): list, create and edit them; add participants and teachers."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.mobilities.view import MobilitiesScreen

SCREEN = ScreenSpec(
    id="mobilities",
    roles=frozenset({Role.COORDINATOR}),
    title=lambda: _("Mobilities"),
    summary=lambda: _(
        "Create and edit mobilities abroad: dates, host organisation, participants, teachers."
    ),
    create=MobilitiesScreen,
    order=40,
)
