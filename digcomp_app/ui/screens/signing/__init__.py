"""The school's signing key (administrators create it; coordinators see and export it)."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.signing.view import SigningKeyScreen

    return SigningKeyScreen(context)


SCREEN = ScreenSpec(
    id="signing_key",
    roles=frozenset({Role.ADMINISTRATOR, Role.COORDINATOR}),
    title=lambda: _("Signing key"),
    summary=lambda: _(
        "The key that signs the school's attestations: create it (administrators), see "
        "which one is in use, and export the public keys for other schools' verifiers."
    ),
    create=_create,
    order=67,
)
