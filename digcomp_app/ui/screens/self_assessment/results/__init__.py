"""The learner's self-assessment results, as charts and a table (a screen of its own,
listed by the self-assessment package)."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.self_assessment.results.view import ResultsScreen

    return ResultsScreen(context)


RESULTS_SCREEN = ScreenSpec(
    id="results",
    roles=frozenset({Role.LEARNER}),
    title=lambda: _("Results"),
    summary=lambda: _("See your levels per competence and area, and how they changed."),
    create=_create,
    order=20,
)
