"""``digcomp-app learners export``: one learner's data as a zip (GDPR access request).

Registered under ``learners`` by :mod:`digcomp_app.commands.learners` (this module has no
``register`` of its own, so it adds no command group). Exit status: 0 written, 1 refused
or failed (with a translated message on standard error).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import _
from digcomp_app.services import learners, privacy
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.inputs import for_terminal
from digcomp_app.services.permissions import Actor, Role

EXIT_OK = 0


def register_learners_export(actions: Any, formatter: type[argparse.HelpFormatter]) -> None:
    exporting = actions.add_parser(
        "export",
        formatter_class=formatter,
        help=_("export one learner's data as a zip (an access request)"),
        description=_(
            "Everything the app holds about one learner, for an access request under the "
            "GDPR: learner.json (machine-readable), their evidence files and a README, in "
            "one zip. Administrators and coordinators export any learner's data; a learner "
            "signed in as themself exports their own (--learner may then be left out). "
            "Exit status: 0 written, 1 refused or failed."
        ),
    )
    which = exporting.add_mutually_exclusive_group()
    which.add_argument(
        "--learner",
        default="",
        metavar=_("NUMBER"),
        help=_("the school's learner number (as in the learners list)"),
    )
    which.add_argument(
        "--learner-id",
        type=int,
        default=None,
        metavar=_("ID"),
        help=_("the learner's internal id, for learners without a learner number"),
    )
    exporting.add_argument(
        "--out", required=True, type=Path, metavar=_("FILE.zip"), help=_("the zip to write")
    )
    exporting.set_defaults(handler=export_command)


def learner_by_number(db: Any, actor: Actor, number: str) -> int:
    """The id of the learner whose learner number is ``number`` (exactly, case ignored)."""
    wanted = number.strip().casefold()
    if not wanted:
        raise InvalidInput("learner", _("Give a learner number."))
    for found in learners.search(db, actor, wanted, limit=1000, include_inactive=True):
        if found.learner_number.casefold() == wanted:
            return found.id
    raise NotFound(
        _("There is no learner with the learner number '{number}'.").format(
            number=for_terminal(number)
        )
    )


def export_command(args: argparse.Namespace) -> int:
    db = open_database(args)
    try:
        actor = sign_in(db, args)
        if args.learner_id is not None:
            learner_id = args.learner_id
        elif args.learner:
            learner_id = learner_by_number(db, actor, args.learner)
        elif actor.has(Role.LEARNER) and actor.learner_id is not None:
            learner_id = actor.learner_id
        else:
            raise InvalidInput(
                "learner", _("Say whose data to export with --learner NUMBER or --learner-id ID.")
            )
        summary = privacy.save_learner_export(db, actor, learner_id, args.out)
    finally:
        db.close()
    print(
        _(
            "Data export written to {path}: {cases} case(s), {files} evidence file(s), "
            "{certificates} attestation(s)."
        ).format(
            path=args.out,
            cases=summary.cases,
            files=summary.evidence_files,
            certificates=summary.certificates,
        )
    )
    return EXIT_OK
