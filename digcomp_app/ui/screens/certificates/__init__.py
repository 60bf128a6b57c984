"""Certification (coordinator): approve cases and issue certificates; the register."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.certificates.view import CertificationScreen

    return CertificationScreen(context)


SCREEN = ScreenSpec(
    id="certification",
    roles=frozenset({Role.COORDINATOR}),
    title=lambda: _("Certification"),
    summary=lambda: _(
        "Approve assessed cases and issue certificates; find, check and revoke certificates."
    ),
    create=_create,
    order=50,
)
