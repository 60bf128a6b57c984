"""``digcomp-app reports ...``: a learner's competence profile and a mobility's summary,
as PDF files."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from digcomp_app.commands.session import open_database, sign_in
from digcomp_app.i18n import UI_LANGUAGES, _
from digcomp_app.services.errors import InvalidInput, NotFound, ServiceError
from digcomp_app.services.permissions import Actor, Role

ORDER = 56


def register(commands: Any, formatter: type[argparse.HelpFormatter]) -> None:
    group = commands.add_parser(
        "reports",
        formatter_class=formatter,
        help=_("print a learner's profile or a mobility's summary"),
        description=_("Reports as PDF files, in Latvian, English or Dutch."),
    )
    actions = group.add_subparsers(
        dest="action", metavar=_("ACTION"), title=_("actions"), required=True
    )
    profile = actions.add_parser(
        "profile",
        formatter_class=formatter,
        help=_("a learner's self-assessment results, before/after and assessed levels"),
        description=_(
            "The learner's competence profile: self-assessment results with a chart, the "
            "before/after comparison and the own rating beside the assessed level. A "
            "learner signed in gets their own; teachers and coordinators name the learner."
        ),
    )
    profile.add_argument(
        "--learner",
        metavar=_("WHO"),
        help=_("the learner's number, or words of their name that find only them"),
    )
    profile.add_argument(
        "--mobility", metavar=_("CODE"), help=_("only what belongs to this mobility")
    )
    _common(profile)
    profile.set_defaults(handler=profile_command)

    summary = actions.add_parser(
        "mobility",
        formatter_class=formatter,
        help=_("the levels every participant of a mobility reached (coordinators)"),
    )
    summary.add_argument("--mobility", required=True, metavar=_("CODE"), help=_("the mobility"))
    _common(summary)
    summary.set_defaults(handler=mobility_command)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--lang",
        choices=UI_LANGUAGES,
        default="lv",
        metavar="LANG",
        help=_("one of {languages} (default: lv)").format(languages=", ".join(UI_LANGUAGES)),
    )
    parser.add_argument(
        "--out",
        required=True,
        metavar=_("PATH"),
        help=_("a folder for the PDF file, or the file's name (ending in .pdf)"),
    )


def _write(out: str, file_name: str, pdf: bytes) -> Path:
    target = Path(out)
    if target.suffix.lower() != ".pdf":
        target = target / file_name
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(pdf)
    except OSError as error:
        raise ServiceError(
            _("Cannot write {path}: {error}").format(path=target, error=error.strerror or error)
        ) from error
    return target


def _learner_id(db: Any, actor: Actor, given: str | None) -> int:
    if not given:
        if actor.has(Role.LEARNER) and actor.learner_id is not None:
            return actor.learner_id
        raise InvalidInput("learner", _("Say whose profile with --learner."))
    if given.strip().isdigit():
        return int(given)
    from digcomp_app.services import learners

    found = learners.search(db, actor, given)
    if len(found) == 1:
        return found[0].id
    if not found:
        raise NotFound(_("No learner's name matches {words}.").format(words=given))
    names = ", ".join(f"{s.full_name} ({s.id})" for s in found[:8])
    raise InvalidInput(
        "learner",
        _("Several learners match {words}: {names}. Give the number.").format(
            words=given, names=names
        ),
    )


def _mobility_id(db: Any, actor: Actor, code: str | None) -> int | None:
    from digcomp_app.services import mobilities

    if not code:
        return None
    for mobility in mobilities.list_all(db, actor, code):
        if mobility.code == code.strip():
            return mobility.id
    raise NotFound(_("There is no mobility with the code {code}.").format(code=code))


def profile_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import reports  # reportlab is loaded only when printing

    db = open_database(args)
    try:
        actor = sign_in(db, args)
        learner_id = _learner_id(db, actor, args.learner)
        report = reports.profile(
            db, actor, learner_id, args.lang, _mobility_id(db, actor, args.mobility)
        )
    finally:
        db.close()
    print(_write(args.out, report.file_name, report.pdf))
    return 0


def mobility_command(args: argparse.Namespace) -> int:
    from digcomp_app.services import reports

    db = open_database(args)
    try:
        report = reports.mobility_summary(db, sign_in(db, args), args.mobility, args.lang)
    finally:
        db.close()
    print(_write(args.out, report.file_name, report.pdf))
    return 0
