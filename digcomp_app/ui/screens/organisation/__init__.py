"""The school's own details (administrators): name, address, contact, signatory, logo."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.organisation.view import OrganisationScreen

    return OrganisationScreen(context)


SCREEN = ScreenSpec(
    id="organisation",
    roles=frozenset({Role.ADMINISTRATOR}),
    title=lambda: _("School details"),
    summary=lambda: _("The school's name, address, contact, logo and who signs certificates."),
    create=_create,
    order=65,
)
