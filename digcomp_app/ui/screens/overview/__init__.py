"""The school overview: how levels, gains, cases and certificates stand across learners."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.overview.view import OverviewScreen

    return OverviewScreen(context)


SCREEN = ScreenSpec(
    id="overview",
    roles=frozenset({Role.TEACHER, Role.COORDINATOR, Role.ADMINISTRATOR}),
    title=lambda: _("School overview"),
    summary=lambda: _("See how levels, gains, cases and certificates stand across learners."),
    create=_create,
    order=55,
)
