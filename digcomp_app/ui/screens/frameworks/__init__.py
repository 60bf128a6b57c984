"""Browse the competence frameworks (everyone)."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.frameworks.view import FrameworkBrowser

SCREEN = ScreenSpec(
    id="frameworks",
    roles=frozenset(Role),
    title=lambda: _("Frameworks"),
    summary=lambda: _("Read the DigComp competences, levels and statements."),
    create=lambda context: FrameworkBrowser(context.library, context=context),
    order=90,
)
