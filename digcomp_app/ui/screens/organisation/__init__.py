"""The school's own details (administrators): name, address, contact, signatory, logo."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.organisation.view import OrganisationScreen

SCREEN = ScreenSpec(
    id="organisation",
    roles=frozenset({Role.ADMINISTRATOR}),
    title=lambda: _("School details"),
    summary=lambda: _("The school's name, address, contact, logo and who signs certificates."),
    create=OrganisationScreen,
    order=65,
)
