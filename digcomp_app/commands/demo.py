"""``digcomp-app demo``: fill an empty database with the demo school."""

from __future__ import annotations

import argparse
import sys
from typing import Any, TextIO

from digcomp_app.commands.session import open_database
from digcomp_app.i18n import N_, _
from digcomp_app.services.permissions import Role

ORDER = 20

ROLE_NAMES = {
    Role.ADMINISTRATOR: N_("administrator"),
    Role.COORDINATOR: N_("coordinator"),
    Role.TEACHER: N_("teacher"),
    Role.LEARNER: N_("learner"),
}


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    parser = commands.add_parser(
        "demo",
        formatter_class=formatter,
        help=_("create a demo school in an empty database"),
        description=_(
            "Fill an empty database with a demo school to try the application: a Latvian "
            "vocational school, two host companies abroad, 24 learners in two groups, and "
            "two Erasmus+ mobilities - a finished one with certificates and a current one "
            "with validation cases at every stage.\n\n"
            "No sign-in is needed, and a database that already has users is refused: "
            "choose a new one with --database. The demo users are admin, coordinator, "
            "teacher1 to teacher3 and learner01 to learner24; the password of each is "
            '"demo", so never use the demo database for real data.'
        ),
    )
    parser.add_argument(
        "--quiet",
        "-q",
        action="store_true",
        help=_("do not show the progress of the work on the error output"),
    )
    parser.set_defaults(handler=demo_command)


class StepPrinter:
    """The demo's progress on the error output (the normal output keeps the results): a
    line when a step starts and one per item done, e.g. "Creating learners 12/24…"."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream

    def __call__(self, step: str, done: int, total: int) -> None:
        if done == 0:
            line = _("{step}…").format(step=step)
        else:
            line = _("{step} {done}/{total}…").format(step=step, done=done, total=total)
        print(line, file=self.stream, flush=True)


def demo_command(args: argparse.Namespace) -> int:
    # the services a demo school is made with load when one is made (tests/test_start_imports.py)
    from digcomp_app.services.validation import STAGE_NAMES, STAGES
    from digcomp_app.showcase import demo

    db = open_database(args)
    progress = None if getattr(args, "quiet", False) else StepPrinter(sys.stderr)
    if progress is not None:
        print(_("Making the demo school; this takes a minute or so."), file=sys.stderr, flush=True)
    try:
        summary = demo.create_school(db, None, progress)
    finally:
        db.close()
    print(_('The demo school "{school}" was created.').format(school=summary.school))
    print(
        _(
            "Users: {users}; learners: {learners} in {groups} groups; mobilities: {mobilities}."
        ).format(
            users=summary.users,
            learners=summary.learners,
            groups=summary.groups,
            mobilities=summary.mobilities,
        )
    )
    stages = ", ".join(
        _("{stage} {count}").format(
            stage=_(STAGE_NAMES[stage]), count=summary.cases_by_stage[stage]
        )
        for stage in STAGES
    )
    print(_("Validation cases by stage: {stages}.").format(stages=stages))
    print(
        _(
            "Self-assessments: {self_assessments}; evidence items: {evidence}; certificates: "
            "{certificates} valid, {revoked} revoked."
        ).format(
            self_assessments=summary.self_assessments,
            evidence=summary.evidence_items,
            certificates=summary.certificates,
            revoked=summary.revoked_certificates,
        )
    )
    print()
    print(
        _('Sign in as one of these users; the password of each is "{password}":').format(
            password=summary.password
        )
    )
    staff = [user for user in summary.users_created if user.role is not Role.LEARNER]
    learners = [user for user in summary.users_created if user.role is Role.LEARNER]
    width = max(len(user.username) for user in summary.users_created) + 2
    for user in staff:
        print(
            "  "
            + _("{username}{name} ({role})").format(
                username=user.username.ljust(width),
                name=user.display_name,
                role=_(ROLE_NAMES[user.role]),
            )
        )
    if learners:
        print(
            "  "
            + _("{first} to {last}: learners, e.g. {first} is {name}").format(
                first=learners[0].username,
                last=learners[-1].username,
                name=learners[0].display_name,
            )
        )
    return 0
