"""Data protection on the command line (decision 0027 and docs/learner-export.md).

``digcomp-app learners export`` (one learner's data as a zip, an access request) is
registered under ``learners`` by :mod:`digcomp_app.commands.learners`; the ``privacy``
group holds ``erase`` (a learner's personal data, for good), ``retention`` (the rules, a
preview of what they remove, and applying it), ``consents`` (the consent records) and
``compact`` (clean the SQLite file). Exit status: 0 done, 1 refused or failed (with a
translated message on standard error).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import _, ngettext
from digcomp_app.services.errors import InvalidInput, NotFound
from digcomp_app.services.inputs import for_terminal
from digcomp_app.services.permissions import Actor, Role

# the services load when a command runs, not when the command line is read
if TYPE_CHECKING:
    from digcomp_app.services import retention

EXIT_OK = 0
ORDER = 45

# --- what learners export and the privacy group's actions share ----------------------------


class _ConsentScopes:
    """The choices of ``--scope`` (services.consent.SCOPES), read only when argparse needs them
    (a help text, a value given): reading the command line does not load the database code."""

    def __iter__(self) -> Iterator[str]:
        from digcomp_app.services.consent import SCOPES

        return iter(sorted(SCOPES))

    def __contains__(self, value: object) -> bool:
        return value in list(self)


def _action(
    actions: Any,
    formatter: type[argparse.HelpFormatter],
    name: str,
    handler: Callable[[argparse.Namespace], int],
    summary: str,
    description: str,
) -> argparse.ArgumentParser:
    """One action of the group: its parser, its line in the group's help, its description and
    the function that runs it."""
    parser: argparse.ArgumentParser = actions.add_parser(
        name, formatter_class=formatter, help=summary, description=description
    )
    parser.set_defaults(handler=handler)
    return parser


def _which_learner(parser: argparse.ArgumentParser, required: bool) -> None:
    """--learner NUMBER or --learner-id ID (read by ``_learner_id``)."""
    which = parser.add_mutually_exclusive_group(required=required)
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


def _learner_id(db: Any, actor: Actor, args: argparse.Namespace) -> int | None:
    """The learner named by --learner-id or --learner, None when neither is given."""
    if args.learner_id is not None:
        return int(args.learner_id)
    if args.learner:
        return learner_by_number(db, actor, args.learner)
    return None


# --- learners export -----------------------------------------------------------------------


def register_learners_export(actions: Any, formatter: type[argparse.HelpFormatter]) -> None:
    exporting = _action(
        actions,
        formatter,
        "export",
        export_command,
        _("export one learner's data as a zip (an access request)"),
        _(
            "Everything the app holds about one learner, for an access request under the "
            "GDPR: learner.json (machine-readable), their evidence files and a README, in "
            "one zip. Administrators and coordinators export any learner's data; a learner "
            "signed in as themself exports their own (--learner may then be left out). "
            "Exit status: 0 written, 1 refused or failed."
        ),
    )
    _which_learner(exporting, required=False)  # a learner may leave it out: their own
    exporting.add_argument(
        "--out", required=True, type=Path, metavar=_("FILE.zip"), help=_("the zip to write")
    )


def learner_by_number(db: Any, actor: Actor, number: str) -> int:
    """The id of the learner whose learner number is ``number`` (exactly, case ignored)."""
    from digcomp_app.services import learners

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
    from digcomp_app.services import privacy

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        learner_id = _learner_id(db, actor, args)
        if learner_id is None and actor.has(Role.LEARNER):
            learner_id = actor.learner_id
        if learner_id is None:
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


# --- the privacy group ---------------------------------------------------------------------


def _years(text: str) -> int | None:
    """ "off" (or "none", "0") turns a rule off; otherwise the number as given."""
    value = text.strip().casefold()
    if value in ("off", "none", "-"):
        return None
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("give a number of years or 'off', not {given}").format(given=for_terminal(text))
        ) from None


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("give a date as YYYY-MM-DD, not {given}").format(given=for_terminal(text))
        ) from None


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    group = commands.add_parser(
        "privacy",
        formatter_class=formatter,
        help=_("erase learners, retention rules and consent records"),
        description=_(
            "Data protection: erase a learner's personal data on request, the school's "
            "retention rules (what goes after how many years), and the consent records."
        ),
    )
    actions = group.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )

    erase = _action(
        actions,
        formatter,
        "erase",
        erase_command,
        _("erase one learner's personal data for good (administrators)"),
        _(
            "Removes the learner's names, e-mail, date of birth, learner number, groups, "
            "mobilities, self-assessments, the content of their cases, evidence and its "
            "files, consents and sign-in account. Attestations already issued stay in the "
            "register under a pseudonym, so their codes still verify. It cannot be undone: "
            "--confirm must repeat the learner's full name."
        ),
    )
    _which_learner(erase, required=True)
    erase.add_argument(
        "--confirm",
        required=True,
        metavar=_("FULL NAME"),
        help=_("the learner's given names and surname, as shown in the learners list"),
    )

    keep = _action(
        actions,
        formatter,
        "retention",
        retention_command,
        _("the retention rules: show, set, preview and apply them (administrators)"),
        _(
            "Evidence files are deleted a number of years after their mobility (or case) "
            "ended; learners who left are erased a number of years after they were "
            "deactivated. Without --apply only a preview is shown: exactly what --apply "
            "would remove."
        ),
    )
    for rule, meaning in (
        (
            "--evidence-years",
            _("set: delete evidence files N years after their mobility or case ended"),
        ),
        ("--learner-years", _("set: erase learners N years after they were deactivated")),
    ):  # False: the rule is left as it is
        keep.add_argument(rule, type=_years, default=False, metavar=_("N|off"), help=meaning)
    doing = keep.add_mutually_exclusive_group()
    doing.add_argument(
        "--preview", action="store_true", help=_("list what the rules remove (the default)")
    )
    doing.add_argument("--apply", action="store_true", help=_("remove what the preview lists"))
    keep.add_argument(
        "--as-of",
        type=_day,
        default=None,
        metavar=_("DATE"),
        help=_("preview or apply the rules as on this day (default: today)"),
    )

    consents = _action(
        actions,
        formatter,
        "consents",
        consents_command,
        _("list the consent records"),
        _(
            "The consents the school recorded: who gave them (the learner or a parent or "
            "guardian), when, for what, and when they were withdrawn."
        ),
    )
    _which_learner(consents, required=False)
    scope = consents.add_argument("--scope", default=None, help=_("only consents for this"))
    scope.choices = _ConsentScopes()  # (add_argument would read them at once to check them)
    consents.add_argument("--current", action="store_true", help=_("only consents not withdrawn"))
    consents.add_argument(
        "--format", choices=("text", "csv"), default="text", help=_("the output format")
    )

    _action(
        actions,
        formatter,
        "compact",
        compact_command,
        _("clean the database file of erased data (SQLite; administrators)"),
        _(
            "Rebuilds the SQLite file and empties its write-ahead log, as an erasure does at "
            "its end; needed only when that step reported the file busy."
        ),
    )


def erase_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import erasure

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        learner_id = _learner_id(db, actor, args)
        assert learner_id is not None  # the option is required
        result = erasure.erase_learner(db, actor, learner_id, args.confirm)
    finally:
        db.close()
    print(
        _(
            "The learner's personal data was erased; their attestations stay in the register "
            "as {pseudonym}."
        ).format(pseudonym=result.pseudonym)
    )
    if not result.file_cleaned:
        print(_file_not_cleaned(db), file=sys.stderr)
    return EXIT_OK


def _file_not_cleaned(db: Any) -> str:
    if db.backend == "sqlite":
        return _(
            "The database file could not be cleaned now (another program is using it); "
            "run 'digcomp-app privacy compact' when the app is closed on other windows."
        )
    return _(
        "On a database server the space of erased rows is reclaimed by its VACUUM; ask the "
        "server's administrator to run VACUUM FULL to make it happen now."
    )


def _rule_text(years: int | None, rule: str) -> str:
    if years is None:
        return _("{rule}: off").format(rule=rule)
    return ngettext("{rule}: {count} year", "{rule}: {count} years", years).format(
        rule=rule, count=years
    )


def _print_rules(rules: retention.RetentionRules) -> None:
    print(_rule_text(rules.evidence_years, _("Evidence files")))
    print(_rule_text(rules.learner_years, _("Learners who left")))


def print_plan(plan: retention.RetentionPlan) -> None:
    print(plan.describe())
    for item in plan.files:
        print(
            "  "
            + _("file {id}: {name} ({title}) of {learner}, ended {ended}").format(
                id=item.evidence_id,
                name=for_terminal(item.file_name),
                title=for_terminal(item.title),
                learner=for_terminal(item.learner_name),
                ended=item.ended_on.isoformat(),
            )
        )
    for due in plan.learners:
        print(
            "  "
            + _("learner {id}: {name} {number}, left {left}").format(
                id=due.learner_id,
                name=for_terminal(due.full_name),
                number=for_terminal(due.learner_number),
                left=due.left_on.isoformat(),
            )
        )


def retention_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import retention

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        rules = retention.retention_rules(db, actor)
        if args.evidence_years is not False or args.learner_years is not False:
            rules = retention.set_retention_rules(
                db,
                actor,
                rules.evidence_years if args.evidence_years is False else args.evidence_years,
                rules.learner_years if args.learner_years is False else args.learner_years,
            )
        _print_rules(rules)
        plan = retention.retention_preview(db, actor, args.as_of)
        print_plan(plan)
        if args.apply and not plan.empty:
            result = retention.apply_retention(db, actor, plan)
            print(result.describe())
            if not result.file_cleaned:
                print(_file_not_cleaned(db), file=sys.stderr)
    finally:
        db.close()
    return EXIT_OK


def consents_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import consent, learners

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        learner_id = _learner_id(db, actor, args)
        found = consent.list_consents(db, actor, learner_id, args.scope, args.current)
        names = {}
        for record in found:
            if record.learner_id not in names:
                summary = learners.get_record(db, actor, record.learner_id).learner
                names[record.learner_id] = (summary.full_name, summary.learner_number)
    finally:
        db.close()
    rows = [
        [
            str(c.id),
            names[c.learner_id][1],
            names[c.learner_id][0],
            c.scope,
            c.given_by,
            c.giver_name,
            c.given_on.isoformat(),
            c.withdrawn_on.isoformat() if c.withdrawn_on else "",
        ]
        for c in found
    ]
    if args.format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(
            [
                "id",
                "learner_number",
                "learner",
                "scope",
                "given_by",
                "giver_name",
                "given_on",
                "withdrawn_on",
            ]
        )
        writer.writerows([[for_terminal(v) for v in row] for row in rows])
        return EXIT_OK
    if not found:
        print(_("No consent records."))
    for c, row in zip(found, rows, strict=True):
        state = _("withdrawn {date}").format(date=row[7]) if c.withdrawn_on else _("current")
        print(
            _(
                "{id}. {learner} {number}: {scope}; given by {giver} ({who}) on {date}; {state}"
            ).format(
                id=c.id,
                learner=for_terminal(row[2]),
                number=for_terminal(row[1]),
                scope=consent.scope_label(c.scope),
                giver=for_terminal(c.giver_name),
                who=consent.giver_label(c.given_by),
                date=row[6],
                state=state,
            )
        )
    return EXIT_OK


def compact_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import erasure

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        done = erasure.compact_database(db, actor)
    finally:
        db.close()
    if done:
        print(_("The database file was cleaned."))
        return EXIT_OK
    print(_file_not_cleaned(db), file=sys.stderr)
    return 1
