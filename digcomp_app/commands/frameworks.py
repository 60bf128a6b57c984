"""``digcomp-app frameworks ...``: list, validate and export competence frameworks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from digcomp_app.i18n import _, current_language, ngettext

ORDER = 10


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    group = commands.add_parser(
        "frameworks",
        formatter_class=formatter,
        help=_("list, check and export competence frameworks"),
        description=_(
            "Competence frameworks: the built-in DigComp 2.2 and 3.0, or framework "
            "files of your own (see docs/framework-format.md)."
        ),
    )
    actions = group.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )

    listing = actions.add_parser(
        "list",
        formatter_class=formatter,
        help=_("list the built-in frameworks"),
        description=_(
            "List the built-in frameworks with their version and languages, and "
            "how far each translation has been checked."
        ),
    )
    listing.set_defaults(handler=list_frameworks)

    validate = actions.add_parser(
        "validate",
        formatter_class=formatter,
        help=_("check framework files for errors"),
        description=_(
            "Check a framework folder (or its framework.yaml). Prints every problem "
            "on its own line as FILE:LINE: KEY: PROBLEM. Exit status 0 when the "
            "framework is valid, 1 when it is not."
        ),
    )
    validate.add_argument(
        "paths",
        nargs="+",
        type=Path,
        metavar=_("PATH"),
        help=_("a framework folder or its framework.yaml"),
    )
    validate.set_defaults(handler=validate_frameworks)

    export = actions.add_parser(
        "export",
        formatter_class=formatter,
        help=_("print a framework as JSON"),
        description=_(
            "Print a whole framework as JSON, with its texts in one language. "
            "Texts missing in that language fall back to English and are listed "
            'under "untranslated".'
        ),
    )
    export.add_argument("framework_id", metavar="ID", help=_("framework id, e.g. digcomp"))
    export.add_argument("version", metavar=_("VERSION"), help=_("framework version, e.g. 3.0"))
    export.add_argument(
        "--lang", required=True, metavar="LANG", help=_("language of the texts, e.g. lv or en")
    )
    export.set_defaults(handler=export_command)

    moodle_in = actions.add_parser(
        "import-moodle",
        formatter_class=formatter,
        help=_("make a framework folder from a Moodle competency-framework CSV"),
        description=_(
            "Read a CSV exported by Moodle's competency frameworks (or written for its "
            "'Import competency framework') and write it as a framework folder of this app, "
            "checked like the built-in ones (docs/moodle-frameworks.md). With --add, an "
            "administrator also adds it to the school's library (--database, --user)."
        ),
    )
    moodle_in.add_argument("file", type=Path, metavar=_("FILE"), help=_("the Moodle CSV"))
    moodle_in.add_argument("--id", dest="framework_id", metavar="ID", help=_("framework id"))
    moodle_in.add_argument("--version", metavar=_("VERSION"), help=_("version (default: 1.0)"))
    moodle_in.add_argument(
        "--lang", default="en", metavar="LANG", help=_("language of the texts (default: en)")
    )
    moodle_in.add_argument(
        "--out", type=Path, metavar=_("FOLDER"), help=_("the folder to write (default: ID-VERSION)")
    )
    moodle_in.add_argument(
        "--add", action="store_true", help=_("also add it to the school's library")
    )
    moodle_in.set_defaults(handler=import_moodle_command)

    moodle_out = actions.add_parser(
        "export-moodle",
        formatter_class=formatter,
        help=_("write a framework as a Moodle competency-framework CSV"),
        description=_(
            "Write a framework (built-in, or of the school's library with --database) as a "
            "CSV for Moodle's 'Import competency framework': one row for the framework with "
            "its levels as the scale, one per area and competence."
        ),
    )
    moodle_out.add_argument("framework_id", metavar="ID", help=_("framework id, e.g. digcomp"))
    moodle_out.add_argument("version", metavar=_("VERSION"), help=_("framework version, e.g. 3.0"))
    moodle_out.add_argument(
        "--lang", default="en", metavar="LANG", help=_("language of the texts (default: en)")
    )
    moodle_out.add_argument(
        "--out", type=Path, metavar=_("FILE"), help=_("the file to write (default: ID-VERSION.csv)")
    )
    moodle_out.set_defaults(handler=export_moodle_command)

    add = actions.add_parser(
        "add",
        formatter_class=formatter,
        help=_("add a framework folder or zip to the school's library (administrators)"),
        description=_(
            "Check a framework folder or zip like the built-in frameworks and keep it in the "
            "school's database, so that every PC can use it for self-assessments and cases."
        ),
    )
    add.add_argument("path", type=Path, metavar=_("PATH"), help=_("a framework folder or zip"))
    add.set_defaults(handler=add_command)

    remove = actions.add_parser(
        "remove",
        formatter_class=formatter,
        help=_("remove a framework from the school's library (administrators)"),
        description=_(
            "Remove a framework an administrator added. A framework that self-assessments, "
            "cases or mobilities use cannot be removed."
        ),
    )
    remove.add_argument("framework_id", metavar="ID", help=_("framework id"))
    remove.add_argument("version", metavar=_("VERSION"), help=_("framework version"))
    remove.set_defaults(handler=remove_command)


def list_frameworks(args: argparse.Namespace) -> int:
    from digcomp_app.framework import builtin_library
    from digcomp_app.framework.labels import status_name

    library = builtin_library()
    language = current_language()
    rows = []
    for framework in library:
        languages = ", ".join(
            f"{info.code} ({status_name(info.status)})" for info in framework.languages.values()
        )
        rows.append((framework.id, framework.version, framework.title.get(language), languages))
    headers = (_("ID"), _("Version"), _("Title"), _("Languages"))
    widths = [max(len(str(r[i])) for r in [headers, *rows]) for i in range(3)]
    for row in [headers, *rows]:
        print(
            "  ".join(str(cell).ljust(widths[i]) for i, cell in enumerate(row[:3])) + "  " + row[3]
        )
    return 0


def validate_frameworks(args: argparse.Namespace) -> int:
    from digcomp_app.framework import validate_framework

    failed = 0
    for path in args.paths:
        if not path.exists():
            print(_("{path}: no such file or folder").format(path=path))
            failed += 1
            continue
        issues = validate_framework(path)
        for issue in issues:
            print(issue)
        if issues:
            failed += 1
            print(
                ngettext(
                    "{path}: {count} problem found", "{path}: {count} problems found", len(issues)
                ).format(path=path, count=len(issues)),
                file=sys.stderr,
            )
        else:
            print(_("{path}: the framework is valid").format(path=path), file=sys.stderr)
    return 1 if failed else 0


def export_command(args: argparse.Namespace) -> int:
    from digcomp_app.framework import FrameworkError, builtin_library
    from digcomp_app.framework.export import export_framework

    try:
        library = builtin_library()
        framework = library.get(args.framework_id, args.version)
    except (LookupError, FrameworkError) as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        available = ", ".join(f.label for f in builtin_library())
        print(_("Installed frameworks: {frameworks}").format(frameworks=available), file=sys.stderr)
        return 1
    if args.lang not in framework.languages:
        print(
            _("note: {framework} has no '{language}' texts; they are given in English").format(
                framework=framework.label, language=args.lang
            ),
            file=sys.stderr,
        )
    json.dump(export_framework(framework, args.lang), sys.stdout, ensure_ascii=False, indent=1)
    sys.stdout.write("\n")
    return 0


def _print_problems(problems: list[str]) -> int:
    print(_("Nothing was imported:"), file=sys.stderr)
    for problem in problems:
        print(f"  {problem}", file=sys.stderr)
    return 1


def import_moodle_command(args: argparse.Namespace) -> int:
    from digcomp_app.services.frameworks_library import FrameworkRejected, moodle_import

    try:
        made = moodle_import(args.file, args.framework_id, args.version, args.lang)
    except FrameworkRejected as rejected:
        return _print_problems(rejected.problems)
    folder = args.out or Path(f"{made.framework_id}-{made.version}")
    try:
        made.write(folder)
    except OSError as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return 1
    print(
        _(
            "{folder}: {id} {version}, {areas} areas, {competences} competences, "
            "{statements} statements, {outcomes} learning outcomes, {levels} levels"
        ).format(
            folder=folder,
            id=made.framework_id,
            version=made.version,
            areas=made.areas,
            competences=made.competences,
            statements=made.statements,
            outcomes=made.outcomes,
            levels=made.levels,
        )
    )
    for note in made.notes:
        print(_("note: {note}").format(note=note))
    if args.add:
        return _add(args, folder)
    return 0


def export_moodle_command(args: argparse.Namespace) -> int:
    from digcomp_app.framework import builtin_library
    from digcomp_app.framework.moodle import export_csv

    framework = builtin_library().find(args.framework_id, args.version)
    if framework is None and (getattr(args, "database", None) or getattr(args, "user", None)):
        from digcomp_app.commands.session import open_database, sign_in
        from digcomp_app.services import frameworks_library

        db = open_database(args)
        try:
            library = frameworks_library.library(db, sign_in(db, args))
        finally:
            db.close()
        framework = library.find(args.framework_id, args.version)
    if framework is None:
        print(
            _("error: {error}").format(
                error=_("no framework {id} {version} is installed").format(
                    id=args.framework_id, version=args.version
                )
            ),
            file=sys.stderr,
        )
        return 1
    path = args.out or Path(f"{framework.id}-{framework.version}.csv")
    try:
        path.write_text(export_csv(framework, args.lang), encoding="utf-8", newline="")
    except OSError as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return 1
    print(path)
    return 0


def _add(args: argparse.Namespace, path: Path) -> int:
    from digcomp_app.commands.session import open_database, sign_in
    from digcomp_app.services import frameworks_library

    db = open_database(args)
    try:
        try:
            added = frameworks_library.add(db, sign_in(db, args), path)
        except frameworks_library.FrameworkRejected as rejected:
            return _print_problems(rejected.problems)
    finally:
        db.close()
    print(
        _("{id} {version} is in the school's library: {title}").format(
            id=added.framework_id, version=added.version, title=added.title
        )
    )
    return 0


def add_command(args: argparse.Namespace) -> int:
    return _add(args, args.path)


def remove_command(args: argparse.Namespace) -> int:
    from digcomp_app.commands.session import open_database, sign_in
    from digcomp_app.services import frameworks_library

    db = open_database(args)
    try:
        frameworks_library.remove(db, sign_in(db, args), args.framework_id, args.version)
    finally:
        db.close()
    print(
        _("{id} {version} was removed from the school's library.").format(
            id=args.framework_id, version=args.version
        )
    )
    return 0
