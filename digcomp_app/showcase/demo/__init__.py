"""The demo school: realistic sample data to try the application with, in an empty database.

Everything is done through the public services, acting as the demo users, so the audit log
records every step as if people had done the work, and its chain stays intact. Only the
accounts are added directly, with :func:`accounts.add_user` (audited as
``accounts.create_user`` would be), because every demo user's password is :data:`PASSWORD`
("demo"), shorter than the policy allows: demo data only. That published password is
hashed once per build (:func:`accounts.hash_password`) and the one hash given to every demo
account; a password changed later is hashed anew, with its own salt.

The content is deterministic (``random.Random(SEED)``, drawn the same way whatever the
date); the dates are relative to today, so one mobility has always finished and the other
is under way. The work is many small transactions, as a school's would be: if it fails
half-way, what was made stays, and the database is no longer empty.

The parts: :mod:`.builder` (the steps in order) with :mod:`.people`, :mod:`.mobility_work`
and :mod:`.pieces`; :mod:`.content` (names, plans, texts), :mod:`.evidence` and
:mod:`.files` (the evidence and its files).
"""

from digcomp_app.showcase.demo.builder import create_school
from digcomp_app.showcase.demo.content import (
    FEMALE_NAMES,
    MALE_NAMES,
    PASSWORD,
    SIGNING_PASSPHRASE,
    SURNAMES,
    DemoSummary,
)
from digcomp_app.showcase.demo.steps import (
    STEP_ACCOUNTS,
    STEP_CURRENT,
    STEP_FINISHED,
    STEP_GROUPS,
    STEP_LEARNERS,
    STEP_MOBILITIES,
    STEP_OTHERS,
    STEP_SCHOOL,
    STEP_STAFF,
    Progress,
)

__all__ = [
    "FEMALE_NAMES",
    "MALE_NAMES",
    "PASSWORD",
    "SIGNING_PASSPHRASE",
    "STEP_ACCOUNTS",
    "STEP_CURRENT",
    "STEP_FINISHED",
    "STEP_GROUPS",
    "STEP_LEARNERS",
    "STEP_MOBILITIES",
    "STEP_OTHERS",
    "STEP_SCHOOL",
    "STEP_STAFF",
    "SURNAMES",
    "DemoSummary",
    "Progress",
    "create_school",
]
