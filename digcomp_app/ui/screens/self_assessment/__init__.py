"""The learner's self-assessment of the framework's competences."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec
from digcomp_app.ui.screens.self_assessment.results import RESULTS_SCREEN


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.self_assessment.view import SelfAssessmentScreen

    return SelfAssessmentScreen(context)


SCREEN = ScreenSpec(
    id="self_assessment",
    roles=frozenset({Role.LEARNER}),
    title=lambda: _("Self-assessment"),
    summary=lambda: _(
        "Assess your digital competences, before and after a mobility; stop and continue "
        "whenever you like."
    ),
    create=_create,
    order=10,
)

#: the questionnaire and its results: two screens of one domain area
SCREENS = (SCREEN, RESULTS_SCREEN)
