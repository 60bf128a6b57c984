"""The teacher's validation cases: find a learner, walk the case through identification,
documentation and assessment, and send it to certification."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.validation.view import CasesScreen

    return CasesScreen(context)


SCREEN = ScreenSpec(
    id="cases",
    roles=frozenset({Role.TEACHER}),
    title=lambda: _("Validation cases"),
    summary=lambda: _(
        "Find your learners and take their cases from identification to certification: "
        "targets, evidence and assessment."
    ),
    create=_create,
    order=30,
)
