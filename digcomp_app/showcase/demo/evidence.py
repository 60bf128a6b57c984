"""The demo school's evidence: the learner's photo and link, the teacher's report and the
host mentor's feedback, added through the same services as in real use."""

from __future__ import annotations

import random
from dataclasses import dataclass

from digcomp_app.framework import Framework
from digcomp_app.services import evidence, mobilities, validation
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Actor
from digcomp_app.showcase.demo.content import HOME, MobilityPlan, Person
from digcomp_app.showcase.demo.files import ascii_name, picture_png, report_pdf


@dataclass(frozen=True, slots=True)
class DemoMobility:
    """A demo mobility as created, with its plan, host and participants."""

    info: mobilities.MobilityInfo
    plan: MobilityPlan
    host: dict[str, str]
    people: list[Person]


def add_evidence(
    db: Database,
    rng: random.Random,
    framework: Framework,
    person: Person,
    teacher: Actor,
    mobility: DemoMobility,
    case: validation.CaseInfo,
    *,
    full: bool,
) -> None:
    """The learner's photo (and sometimes a link); with ``full`` also the teacher's
    PDF report and the host mentor's feedback as a note."""
    targets = [t.competence_id for t in case.targets]
    username = person.actor.username
    shown = tuple(sorted(rng.sample(targets, rng.choice((1, 2)))))
    evidence.add_file(
        db,
        person.actor,
        case.id,
        f"IMG_{rng.randrange(1000, 9999)}.png",
        picture_png(rng),
        "Foto: mans darbs prakses vietā",
        shown,
        f"Darba vieta un paveiktais uzņēmumā {mobility.host['name']}.",
    )
    if rng.random() < 0.5:
        evidence.add_link(
            db,
            person.actor,
            case.id,
            f"https://portfolio.example.com/{username}/prakse-{mobility.host['country'].lower()}",
            "E-portfolio: prakses projekts",
            (targets[-1],),
            "Projekta apraksts, ekrānuzņēmumi un pašrefleksija.",
        )
    if not full:
        return
    evidence.add_file(
        db,
        teacher,
        case.id,
        f"prakses_atskaite_{ascii_name(person.surname).lower()}.pdf",
        _report(framework, person, teacher, mobility, targets),
        "Prakses atskaite",
        tuple(targets),
        "Prakses vadītāja atskaite par veiktajiem uzdevumiem.",
    )
    mentor = mobility.host["contact_person"]
    evidence.add_note(
        db,
        teacher,
        case.id,
        "Prakses vietas mentora atsauksme",
        f"{mentor} (telefonsaruna): {person.given_names} strādāja atbildīgi, ievēroja "
        f"darba laiku un drošības noteikumus. {mobility.plan.tasks}",
        tuple(sorted(rng.sample(targets, 2))),
    )


def _report(
    framework: Framework, person: Person, teacher: Actor, mobility: DemoMobility, targets: list[str]
) -> bytes:
    info = mobility.info
    lines = [
        ("Audzēknis", person.name),
        ("Grupa", person.group),
        ("Mobilitāte", f"{info.programme}, {info.code}"),
        ("Prakses vieta", f"{mobility.host['name']}, {mobility.host['address']}"),
        ("Laiks", f"{info.start_date:%d.%m.%Y.} – {info.end_date:%d.%m.%Y.}"),
    ]
    competences = [f"{c} {framework.competence(c).title.get('lv')}" for c in targets]
    return report_pdf(
        HOME["name"],
        "Prakses atskaite",
        lines,
        competences,
        mobility.plan.tasks,
        f"Prakses vadītājs: {teacher.display_name}",
    )
