"""``digcomp-app screenshots --out DIR``: pictures of every screen, for the user guide."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import open_database
from digcomp_app.i18n import UI_LANGUAGES, _, ngettext
from digcomp_app.settings import TEXT_SIZES

ORDER = 90


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    parser = commands.add_parser(
        "screenshots",
        formatter_class=formatter,
        help=_("save pictures of every screen (for the user guide)"),
        description=_(
            "Open the window offscreen at 1366x768 on a demo school, sign in as a "
            "learner, a teacher, the coordinator and the administrator in turn, and save "
            "every screen each of them has as <role>-<screen>-<language>.png, together with "
            "the sign-in page; at a larger text size (View > Text size) the names end in "
            "-<percent>, e.g. teacher-cases-lv-150.png.\n\n"
            "The demo school is made in a temporary database that is deleted afterwards; "
            "give --database to use a demo database you keep instead - it is filled with "
            "the demo school first if it has no users. A screen that fails is "
            "reported and the others are still saved; the exit status is then 1."
        ),
    )
    parser.add_argument(
        "--out",
        required=True,
        type=Path,
        metavar=_("FOLDER"),
        help=_("where to write the pictures (made if missing)"),
    )
    parser.add_argument(
        "--lang",
        choices=UI_LANGUAGES,
        action="append",
        metavar="LANG",
        help=_("only this language: {choices} (default: all); may be given again").format(
            choices=", ".join(UI_LANGUAGES)
        ),
    )
    parser.add_argument(
        "--text-size",
        type=int,
        choices=TEXT_SIZES,
        action="append",
        metavar=_("PERCENT"),
        help=_(
            "the text size in per cent: {choices} (default: 100 and 150); may be given again"
        ).format(choices=", ".join(str(size) for size in TEXT_SIZES)),
    )
    parser.add_argument(
        "--screen",
        action="append",
        metavar=_("ID"),
        help=_(
            "only this screen, by the id in its pictures' names, e.g. cases (default: every "
            "screen); may be given again"
        ),
    )
    parser.add_argument(
        "--database",
        default=argparse.SUPPRESS,  # the same as the option before the command
        metavar="URL",
        help=_("a demo database to keep and use again (default: a new temporary one)"),
    )
    parser.add_argument(
        "--font-size",
        type=float,
        metavar=_("POINTS"),
        help=_(
            "the application's font size in points, to see the screens as with a "
            "larger-text setting (default: the system's)"
        ),
    )
    parser.set_defaults(handler=screenshots_command)


def screenshots_command(args: argparse.Namespace) -> int:
    # Qt only when it is wanted
    from digcomp_app.showcase.screenshots import KeepingHasher, take_screenshots

    languages = list(dict.fromkeys(args.lang)) if args.lang else list(UI_LANGUAGES)
    sizes = list(dict.fromkeys(args.text_size)) if args.text_size else [100, 150]
    # the pictures' sign-ins leave the stored password hashes as they are
    db = open_database(args, KeepingHasher()) if getattr(args, "database", None) else None
    try:
        run = take_screenshots(
            args.out,
            languages,
            db,
            point_size=args.font_size,
            text_sizes=sizes,
            screens=list(dict.fromkeys(args.screen or ())),
        )
    finally:
        if db is not None:
            db.close()
    for path in run.written:
        print(path)
    if run.failures:
        print(
            ngettext(
                "{count} problem; the pictures of what failed are missing:",
                "{count} problems; the pictures of what failed are missing:",
                len(run.failures),
            ).format(count=len(run.failures))
        )
        for line in run.failures:
            print("  " + line)
        return 1
    return 0
