"""``digcomp-app learners ...``, ``groups ...`` and ``users import``: a school's roster.

``learners import`` exits 0 when the file was imported (or, with ``--dry-run``, could be),
1 when it was refused because of problems (nothing changed), 2 when the file cannot be read.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import UI_LANGUAGES, _
from digcomp_app.services.errors import InvalidInput
from digcomp_app.services.inputs import for_terminal

# the services load when a command runs, not when the command line is read
if TYPE_CHECKING:
    from digcomp_app.services import rosters
    from digcomp_app.services.roster_files import ColumnMapping, RosterTable

ORDER = 32
EXIT_OK, EXIT_REFUSED, EXIT_UNREADABLE = 0, 1, 2


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    _register_learners(commands, formatter)
    _register_groups(commands, formatter)


def _register_learners(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    parser = commands.add_parser(
        "learners",
        formatter_class=formatter,
        help=_("list, add and import learners"),
        description=_("The school's learners and roster files from the school register."),
    )
    actions = parser.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    importing = actions.add_parser(
        "import",
        formatter_class=formatter,
        help=_("import learners from a CSV, XLSX or ODS file"),
        description=_(
            "Import learners from a roster file (CSV in UTF-8, Windows-1257 or Windows-1252 "
            "with ; or , between columns, XLSX or ODS). Every problem is listed by line and "
            "column; the file is imported whole or not at all. Learners are matched by their "
            "learner number: importing the same file again updates them. Exit status: 0 "
            "imported, 1 refused (nothing changed), 2 the file cannot be read."
        ),
    )
    importing.add_argument("file", type=Path, metavar=_("FILE"), help=_("the roster file"))
    importing.add_argument(
        "--dry-run",
        action="store_true",
        help=_("only check the file and say what would be done"),
    )
    importing.add_argument(
        "--group",
        default="",
        metavar=_("GROUP"),
        help=_("the group of learners whose row names none"),
    )
    importing.add_argument(
        "--no-new-groups",
        action="store_true",
        help=_("refuse groups that do not exist yet instead of creating them"),
    )
    importing.set_defaults(handler=import_command)

    listing = actions.add_parser(
        "list", formatter_class=formatter, help=_("list learners, or one group's")
    )
    listing.add_argument("--group", default="", metavar=_("GROUP"), help=_("only this group"))
    listing.add_argument(
        "--format",
        choices=["text", "csv"],
        default="text",
        help=_("csv: for a spreadsheet (formula-looking cells are neutralised)"),
    )
    listing.add_argument(
        "--inactive", action="store_true", help=_("include learners who have left")
    )
    listing.set_defaults(handler=list_command)

    add = actions.add_parser("add", formatter_class=formatter, help=_("add one learner"))
    add.add_argument("given_names", metavar=_("FIRST-NAMES"), help=_("first name(s)"))
    add.add_argument("surname", metavar=_("SURNAME"), help=_("surname(s)"))
    add.add_argument("--number", default="", metavar=_("NUMBER"), help=_("learner number"))
    add.add_argument("--group", default="", metavar=_("GROUP"), help=_("the learner's group"))
    add.add_argument("--email", default="", metavar=_("ADDRESS"), help=_("e-mail address"))
    add.add_argument(
        "--born",
        default="",
        metavar=_("YYYY-MM-DD"),
        help=_("date of birth, if the school keeps it"),
    )
    add.set_defaults(handler=add_command)

    accounts_parser = actions.add_parser(
        "accounts",
        formatter_class=formatter,
        help=_("make accounts with one-time passwords and print their sign-in slips"),
        description=_(
            "Accounts for the learners of a group who have none, each with a one-time "
            "password; the sign-in slips are written as a PDF to print and hand out."
        ),
    )
    accounts_parser.add_argument("--group", required=True, metavar=_("GROUP"), help=_("the group"))
    accounts_parser.add_argument(
        "--out", required=True, type=Path, metavar=_("FILE"), help=_("the slips PDF to write")
    )
    accounts_parser.add_argument(
        "--lang", default="lv", choices=UI_LANGUAGES, help=_("the slips' language")
    )
    accounts_parser.set_defaults(handler=accounts_command)

    from digcomp_app.commands.privacy import register_learners_export

    register_learners_export(actions, formatter)


def _register_groups(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    parser = commands.add_parser(
        "groups",
        formatter_class=formatter,
        help=_("list and add groups (classes)"),
        description=_("The school's groups (classes)."),
    )
    actions = parser.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    listing = actions.add_parser("list", formatter_class=formatter, help=_("list the groups"))
    listing.add_argument("--archived", action="store_true", help=_("include archived groups"))
    listing.set_defaults(handler=groups_list_command)
    add = actions.add_parser("add", formatter_class=formatter, help=_("add a group"))
    add.add_argument("name", metavar=_("NAME"), help=_("the group's name, e.g. DT-1"))
    add.add_argument(
        "--year", default="", metavar=_("YEAR"), help=_("the school year, e.g. 2026/2027")
    )
    add.set_defaults(handler=groups_add_command)


def register_users_import(actions: Any, formatter: type[argparse.HelpFormatter]) -> None:
    """``users import FILE`` (added to the ``users`` command by commands/accounts.py)."""
    importing = actions.add_parser(
        "import",
        formatter_class=formatter,
        help=_("import teachers and coordinators from a CSV, XLSX or ODS file"),
        description=_(
            "Staff accounts from a file with first names, surnames and roles (teacher, "
            "coordinator, administrator; in Latvian or English), optionally user names. New "
            "accounts get one-time passwords; with --slips their sign-in slips are written as "
            "a PDF. Exit status: 0 imported, 1 refused (nothing changed), 2 unreadable file."
        ),
    )
    importing.add_argument("file", type=Path, metavar=_("FILE"), help=_("the staff file"))
    importing.add_argument(
        "--dry-run", action="store_true", help=_("only check the file and say what would be done")
    )
    importing.add_argument(
        "--slips", type=Path, metavar=_("FILE"), help=_("write the new accounts' sign-in slips")
    )
    importing.add_argument(
        "--lang", default="lv", choices=UI_LANGUAGES, help=_("the slips' language")
    )
    importing.set_defaults(handler=users_import_command)


# --- handlers ----------------------------------------------------------------------------------


def _read(path: Path, kind: str) -> tuple[RosterTable, ColumnMapping] | None:
    from digcomp_app.services.roster_files import RosterFileError, guess_mapping, read_roster

    try:
        table = read_roster(path)
    except RosterFileError as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return None
    mapping = guess_mapping(table.headers, kind)  # type: ignore[arg-type]
    return table, mapping


def _print_mapping(table: RosterTable, mapping: ColumnMapping) -> None:
    from digcomp_app.services.roster_files import field_label

    for name, index in sorted(mapping.columns.items(), key=lambda item: item[1]):
        print(
            _("  column '{header}' → {field}").format(
                header=table.headers[index], field=field_label(name)
            )
        )


def _print_problems(problems: Any) -> None:
    print(_("Problems ({count}):").format(count=len(problems)))
    for problem in problems:
        where = _("line {line}").format(line=problem.line) if problem.line else _("the file")
        if problem.column:
            where += ", " + _("column '{column}'").format(column=problem.column)
        print(f"  {where}: {problem.message}")


def import_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import rosters

    read = _read(args.file, "learners")
    if read is None:
        return EXIT_UNREADABLE
    table, mapping = read
    db = open_database(args)
    try:
        actor = sign_in(db, args)
        plan = rosters.preview_learners(
            db, actor, table, mapping, args.group, not args.no_new_groups
        )
        print(
            _("File {name}: {rows} row(s) of learners.").format(
                name=table.file_name, rows=len(table.rows)
            )
        )
        _print_mapping(table, mapping)
        for notice in plan.notices:
            print(_("Note: {notice}").format(notice=notice))
        if not plan.ok:
            _print_problems(plan.problems)
            print(_("Nothing was imported."), file=sys.stderr)
            return EXIT_REFUSED
        if args.dry_run:
            print(
                _(
                    "Would create {created}, update {updated}, leave {unchanged} unchanged; "
                    "new groups: {groups}."
                ).format(
                    created=plan.count("create"),
                    updated=plan.count("update"),
                    unchanged=plan.count("unchanged"),
                    groups=", ".join(plan.new_groups) or "-",
                )
            )
            print(_("Nothing was changed (--dry-run)."))
            return EXIT_OK
        try:
            result = rosters.import_learners(
                db, actor, table, mapping, args.group, not args.no_new_groups
            )
        except rosters.ImportRefused as refused:  # the data changed since the preview
            _print_problems(refused.plan.problems)
            print(_("Nothing was imported."), file=sys.stderr)
            return EXIT_REFUSED
    finally:
        db.close()
    print(_result_line(result))
    return EXIT_OK


def _result_line(result: rosters.ImportResult) -> str:
    return _(
        "Imported: {created} created, {updated} updated, {unchanged} unchanged, {skipped} empty "
        "row(s) skipped; new groups: {groups}."
    ).format(
        created=result.created,
        updated=result.updated,
        unchanged=result.unchanged,
        skipped=result.skipped_empty,
        groups=", ".join(result.groups_created) or "-",
    )


def _group_id(db: Any, actor: Any, name: str) -> int:
    from digcomp_app.services import learners

    for group in learners.list_groups(db, actor, include_archived=True):
        if group.name.lower() == name.strip().lower():
            return group.id
    raise InvalidInput("group", _("There is no group called '{name}'.").format(name=name))


def list_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import learners
    from digcomp_app.services.roster_files import neutralise_cell

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        group_id = _group_id(db, actor, args.group) if args.group else None
        found = learners.list_learners(db, actor, group_id, include_inactive=args.inactive)
    finally:
        db.close()
    headers = [
        _("Learner number"),
        _("First names"),
        _("Surname"),
        _("Group"),
        _("E-mail"),
        _("Date of birth"),
        _("Account"),
        _("Active"),
    ]
    rows = [
        [
            x.learner_number,
            x.given_names,
            x.surname,
            ", ".join(x.groups),
            x.email,
            x.date_of_birth.isoformat() if x.date_of_birth else "",
            _("yes") if x.has_account else _("no"),
            _("yes") if x.active else _("no"),
        ]
        for x in found
    ]
    if args.format == "csv":
        writer = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
        writer.writerow(headers)
        writer.writerows([[neutralise_cell(cell) for cell in row] for row in rows])
        return EXIT_OK
    for row in rows:
        print(" | ".join(neutralise_cell(cell) for cell in row[:4]))
    print(_("{count} learner(s).").format(count=len(rows)))
    return EXIT_OK


def add_command(args: argparse.Namespace) -> int:
    born = None
    if args.born:
        try:
            born = dt.date.fromisoformat(args.born)
        except ValueError:
            raise InvalidInput(
                "born", _("'{date}' is not a date like 2009-03-14.").format(date=args.born)
            ) from None
    from digcomp_app.services import learners

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        group_id = _group_id(db, actor, args.group) if args.group else None
        learner = learners.create(
            db, actor, args.given_names, args.surname, born, args.email, args.number, group_id
        )
    finally:
        db.close()
    print(_("Learner {name} added.").format(name=for_terminal(learner.full_name)))
    return EXIT_OK


def accounts_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import accounts, learners

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        group_id = _group_id(db, actor, args.group)
        members = learners.group_members(db, actor, group_id)
        made = accounts.create_learner_accounts(db, actor, [m.id for m in members])
        for name, reason in made.skipped:
            print(
                _("Skipped {name}: {reason}.").format(
                    name=for_terminal(name), reason=for_terminal(reason)
                )
            )
        if made.created:
            pdf = accounts.sign_in_slips(db, actor, made.created, args.lang)
            args.out.parent.mkdir(parents=True, exist_ok=True)
            args.out.write_bytes(pdf)
    finally:
        db.close()
    print(
        _("{count} account(s) created; sign-in slips: {path}").format(
            count=len(made.created), path=args.out if made.created else "-"
        )
    )
    return EXIT_OK


def groups_list_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import learners
    from digcomp_app.services.roster_files import neutralise_cell

    db = open_database(args)
    try:
        groups = learners.list_groups(db, sign_in(db, args), include_archived=args.archived)
    finally:
        db.close()
    for group in groups:
        teachers = ", ".join(name for _uid, name in group.teachers)
        state = "  " + _("(archived)") if group.archived else ""
        print(
            f"{neutralise_cell(group.name):<16} {neutralise_cell(group.school_year):<10} "
            f"{group.member_count:>4}  {neutralise_cell(teachers)}{state}"
        )
    return EXIT_OK


def groups_add_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import learners

    db = open_database(args)
    try:
        group = learners.create_group(db, sign_in(db, args), args.name, args.year)
    finally:
        db.close()
    print(_("Group {name} added.").format(name=for_terminal(group.name)))
    return EXIT_OK


def users_import_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import rosters

    if not args.dry_run and args.slips is None:
        raise InvalidInput(
            "slips",
            _(
                "Say where to write the new accounts' sign-in slips with --slips FILE: their "
                "one-time passwords are shown nowhere else."
            ),
        )
    read = _read(args.file, "staff")
    if read is None:
        return EXIT_UNREADABLE
    table, mapping = read
    db = open_database(args)
    try:
        actor = sign_in(db, args)
        plan = rosters.preview_staff(db, actor, table, mapping)
        _print_mapping(table, mapping)
        for notice in plan.notices:
            print(_("Note: {notice}").format(notice=notice))
        if not plan.ok:
            _print_problems(plan.problems)
            print(_("Nothing was imported."), file=sys.stderr)
            return EXIT_REFUSED
        if args.dry_run:
            print(
                _("Would create {created}, update {updated}, leave {unchanged} unchanged.").format(
                    created=plan.count("create"),
                    updated=plan.count("update"),
                    unchanged=plan.count("unchanged"),
                )
            )
            return EXIT_OK
        try:
            result = rosters.import_staff(db, actor, table, mapping)
        except rosters.ImportRefused as refused:
            _print_problems(refused.plan.problems)
            return EXIT_REFUSED
        for credential in result.credentials:
            print(
                _("  {user}: {name}").format(
                    user=for_terminal(credential.username),
                    name=for_terminal(credential.full_name),
                )
            )
        if result.credentials:
            from digcomp_app.services import accounts

            pdf = accounts.sign_in_slips(db, actor, result.credentials, args.lang)
            args.slips.parent.mkdir(parents=True, exist_ok=True)
            args.slips.write_bytes(pdf)
            print(_("Sign-in slips: {path}").format(path=args.slips))
    finally:
        db.close()
    print(_result_line(result))
    return EXIT_OK
