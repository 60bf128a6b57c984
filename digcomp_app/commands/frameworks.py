"""``digcomp-app frameworks ...``: list, validate and export competence frameworks."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from digcomp_app.framework import FrameworkError, builtin_library, validate_framework
from digcomp_app.framework.export import export_framework
from digcomp_app.framework.labels import status_name
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


def list_frameworks(args: argparse.Namespace) -> int:
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
