"""The ``digcomp-app`` command: the GUI with no arguments, headless sub-commands otherwise.

Every message is translated; the language comes from ``--language``, the settings or
the system locale. Unexpected failures never show a traceback: the details go to a log
file and the user is told where it is.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from digcomp_app import __version__
from digcomp_app.i18n import UI_LANGUAGES, _, set_language, system_language
from digcomp_app.i18n.cli_messages import translate_argparse
from digcomp_app.services.errors import ServiceError
from digcomp_app.settings import APP_NAME, choose

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2


class _Formatter(argparse.RawDescriptionHelpFormatter):
    def __init__(self, prog: str) -> None:
        super().__init__(prog, max_help_position=32, width=100)


def _choose_language(argv: Sequence[str]) -> str:
    """A language locked by the school's IT, else ``--language``, the settings (the user's,
    else the machine's default), the system locale."""
    early = argparse.ArgumentParser(add_help=False)
    early.add_argument("--language")
    known, _rest = early.parse_known_args(list(argv))
    return choose("language", known.language) or system_language()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="digcomp-app",
        formatter_class=_Formatter,
        description=_(
            "Self-assess, evidence, assess and certify digital competences against the EU "
            "DigComp framework.\n\nWith no command, the application window opens. With a "
            "command, it runs in the terminal."
        ),
        epilog=_("Run 'digcomp-app COMMAND --help' for the options of a command."),
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"digcomp-app {__version__}",
        help=_("print the program's version and exit"),
    )
    parser.add_argument(
        "--language",
        choices=UI_LANGUAGES,
        metavar="LANG",
        help=_(
            "language of messages and texts: {choices} (default: from the settings or the system)"
        ).format(choices=", ".join(UI_LANGUAGES)),
    )
    parser.add_argument(
        "--database",
        metavar="URL",
        help=_(
            "the database: an SQLAlchemy URL (e.g. postgresql://host/db) or "
            "an SQLite file (default: {variable}, the settings, or the file "
            "in your data folder)"
        ).format(variable="DIGCOMP_DATABASE_URL"),
    )
    parser.add_argument(
        "--user",
        metavar=_("NAME"),
        help=_("act as this user (password from DIGCOMP_PASSWORD or a prompt)"),
    )
    commands = parser.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))
    gui = commands.add_parser(
        "gui",
        help=_("open the application window (the default)"),
        description=_("Open the application window."),
        formatter_class=_Formatter,
    )
    gui.set_defaults(handler=_run_gui)
    from digcomp_app import commands as command_modules  # (not for the window alone)

    for module in command_modules.discover():
        module.register(commands, _Formatter)
    return parser


def _window_only(arguments: Sequence[str]) -> argparse.Namespace | None:
    """The options when the command line asks only for the window, or None.

    ``digcomp-app``, ``digcomp-app gui`` and either with ``--language``/``--database``
    open the window without building the parser of every command (which loads the code
    of every service: half a second before anything is on screen). Anything else, help
    and mistakes included, goes through the full parser.
    """
    options: dict[str, str | None] = {"language": None, "database": None}
    rest = list(arguments)
    if rest[-1:] == ["gui"]:
        rest.pop()
    while rest:
        name, has_value, value = rest.pop(0).partition("=")
        key = name[2:]
        if not name.startswith("--") or key not in options:
            return None
        if not has_value:
            if not rest or rest[0].startswith("-"):
                return None
            value = rest.pop(0)
        options[key] = value
    if options["language"] not in (None, *UI_LANGUAGES):
        return None
    return argparse.Namespace(command="gui", handler=_run_gui, user=None, **options)


def _run_gui(args: argparse.Namespace) -> int:
    from digcomp_app.ui.app import run  # Qt is imported only when the window is wanted

    return run(language=choose("language", args.language) or None, database_url=args.database)


def _log_file() -> Path:
    import platformdirs

    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / "digcomp-app.log"


def main(argv: Sequence[str] | None = None) -> int:
    if getattr(sys, "frozen", False) and "multiprocessing" in sys.modules:
        # A process that batch printing's multiprocessing started from the packaged program
        # (its run-time hook loaded multiprocessing: packaging/bundle/rth_multiprocessing.py)
        # does that work and exits here; the program's own start does not load it.
        import multiprocessing

        multiprocessing.freeze_support()
    arguments = list(sys.argv[1:] if argv is None else argv)
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    set_language(_choose_language(arguments))
    from digcomp_app.services.configuration import machine_config_messages

    for message in machine_config_messages():  # the school's IT file: the app still starts
        print(message, file=sys.stderr)
    args = _window_only(arguments)
    if args is None:
        translate_argparse()
        args = build_parser().parse_args(arguments)
        if args.command is None:
            args.handler = _run_gui
    try:
        return int(args.handler(args))
    except ServiceError as error:
        print(_("error: {error}").format(error=error), file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # The reader of our output went away (e.g. "| head"): not an error of ours.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except KeyboardInterrupt:
        print(_("Stopped."), file=sys.stderr)
        return EXIT_FAILED
    except Exception:  # the last line of defence: no traceback for the user
        log = _log_file()
        try:
            log.parent.mkdir(parents=True, exist_ok=True)
            with log.open("a", encoding="utf-8") as handle:
                handle.write(traceback.format_exc())
        except OSError:
            logging.getLogger(__name__).exception("unexpected error")
        print(
            _(
                "Something went wrong that the program did not expect. The details were "
                "written to {log}; please send that file to your administrator."
            ).format(log=log),
            file=sys.stderr,
        )
        return EXIT_FAILED


if __name__ == "__main__":
    sys.exit(main())
