"""The learner's self-assessment results, as charts and a table (a screen of its own,
listed by the self-assessment package)."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.self_assessment.results.view import ResultsScreen

RESULTS_SCREEN = ScreenSpec(
    id="results",
    roles=frozenset({Role.LEARNER}),
    title=lambda: _("Results"),
    summary=lambda: _("See your levels per competence and area, and how they changed."),
    create=ResultsScreen,
    order=20,
)
