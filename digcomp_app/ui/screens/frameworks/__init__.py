"""Browse the competence frameworks (everyone)."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.frameworks.view import FrameworkBrowser

    return FrameworkBrowser(context.library, context=context)


SCREEN = ScreenSpec(
    id="frameworks",
    roles=frozenset(Role),
    title=lambda: _("Frameworks"),
    summary=lambda: _("Read the DigComp competences, levels and statements."),
    create=_create,
    order=90,
)
