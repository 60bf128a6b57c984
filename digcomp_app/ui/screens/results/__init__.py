"""The learner's self-assessment results, as charts and a table."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.results.view import ResultsScreen

SCREEN = ScreenSpec(
    id="results",
    roles=frozenset({Role.LEARNER}),
    title=lambda: _("Results"),
    summary=lambda: _("See your levels per competence and area, and how they changed."),
    create=ResultsScreen,
    order=20,
)
