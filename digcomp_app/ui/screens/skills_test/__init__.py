"""The learner's digital skills test (DigCompSAT): 82 items, one at a time."""

from digcomp_app.i18n import _
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens import ScreenSpec


def _create(context):
    # imported when the screen is first opened, not at sign-in (docs/decisions/0039)
    from digcomp_app.ui.screens.skills_test.view import SkillsTestScreen

    return SkillsTestScreen(context)


SCREEN = ScreenSpec(
    id="skills_test",
    roles=frozenset({Role.LEARNER}),
    title=lambda: _("Digital skills test"),
    summary=lambda: _(
        "Answer 82 short questions on what you know, can do and care about; see which level "
        "band they suggest for each competence."
    ),
    create=_create,
    order=15,
)
