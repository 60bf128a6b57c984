"""The steps of building the demo school, as its progress names them."""

from __future__ import annotations

from collections.abc import Callable

from digcomp_app.i18n import N_

#: ``progress(step, done, total)``: the step (in the current language) and how far it is;
#: called before the first item of each step and after each item
Progress = Callable[[str, int, int], None]

STEP_STAFF = N_("Creating staff accounts")
STEP_SCHOOL = N_("Setting up the school, its signing key and host companies")
STEP_LEARNERS = N_("Creating learners")
STEP_ACCOUNTS = N_("Creating learner accounts")
STEP_GROUPS = N_("Creating groups")
STEP_MOBILITIES = N_("Creating mobilities")
STEP_FINISHED = N_("Finished mobility: self-assessments, cases and attestations")
STEP_CURRENT = N_("Current mobility: cases at every stage")
STEP_OTHERS = N_("Self-assessments of learners without a mobility")
