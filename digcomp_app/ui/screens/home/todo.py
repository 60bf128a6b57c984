"""What each role's home screen lists (from :mod:`digcomp_app.services.home`) and where each
item leads: the screen, with the item itself chosen."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QWidget

from digcomp_app.i18n import _, current_language, format_date, format_datetime, ngettext
from digcomp_app.services import home
from digcomp_app.services.validation import STAGE_NAMES
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.home.cards import CardSpec, Item


class Opener:
    """Switches to a screen and chooses the item there (each method is one item's click)."""

    def __init__(self, context: UiContext, parent: QWidget) -> None:
        self.context = context
        self.parent = parent

    def screen(self, screen_id: str) -> QWidget | None:
        widget = self.context.open_screen(screen_id)
        return widget if isinstance(widget, QWidget) else None

    def self_assessment(self, todo: home.SelfAssessmentTodo) -> None:
        """Continue the unfinished one, or start the one that is due."""
        screen = self.screen("self_assessment")
        if screen is None:
            return
        page = screen.start_page  # type: ignore[attr-defined]
        key = (todo.mobility_id, todo.moment)
        purpose = next((p for p in page.purposes if p.key == key), None)
        framework = self.context.library.find(todo.framework_id, todo.framework_version)
        if purpose is None or framework is None:
            return
        page.purpose.setCurrentIndex(page.purposes.index(purpose))
        screen.start(purpose, framework)  # type: ignore[attr-defined]

    def case(self, learner_id: int, mobility_id: int | None, name: str) -> None:
        screen = self.screen("cases")
        if screen is None:
            return
        panel = screen.learners  # type: ignore[attr-defined]
        panel.select_learner(learner_id, mobility_id)
        shown = screen.case  # type: ignore[attr-defined]
        if shown.learner_id != learner_id:  # not in the list as it is filtered now
            shown.show_learner(learner_id, name, mobility_id)

    def waiting_case(self, case_id: int) -> None:
        screen = self.screen("certification")
        if screen is None:
            return
        screen.tabs.setCurrentWidget(screen.queue)  # type: ignore[attr-defined]
        screen.queue.select_case(case_id)  # type: ignore[attr-defined]

    def mobility(self, mobility_id: int) -> None:
        screen = self.screen("mobilities")
        if screen is not None:
            screen.select_mobility(mobility_id)  # type: ignore[attr-defined]

    def new_mobility(self) -> None:
        screen = self.screen("mobilities")
        if screen is not None:
            screen.new_mobility()  # type: ignore[attr-defined]

    def user(self, username: str) -> None:
        screen = self.screen("users")
        if screen is not None:
            screen.select_user(username)  # type: ignore[attr-defined]

    def import_roster(self, kind: str) -> None:
        """The import wizard, over the screen it belongs to."""
        from digcomp_app.ui.screens.rosters.wizard import open_import_wizard

        self.screen("learners" if kind == "learners" else "users")
        QTimer.singleShot(0, lambda: open_import_wizard(self.parent.window(), self.context, kind))

    def go(self, screen_id: str) -> Callable[[], None]:
        return lambda: self.context.navigate(screen_id)


def _days(n: int) -> str:
    return ngettext("{count} day", "{count} days", n).format(count=n)


def _local(value: dt.datetime) -> dt.datetime:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone()


# --------------------------------------------------------------------------- learner


def _todo_text(todo: home.SelfAssessmentTodo, total: int) -> str:
    values = {"title": todo.mobility_title or todo.mobility_code, "done": todo.answered}
    values["total"] = total
    if todo.unfinished:
        if todo.moment == "before" and todo.mobility_id is not None:
            text = _("Finish the self-assessment before “{title}” ({done} of {total} answered)")
        elif todo.moment == "after" and todo.mobility_id is not None:
            text = _("Finish the self-assessment after “{title}” ({done} of {total} answered)")
        else:
            text = _("Finish your self-assessment ({done} of {total} answered)")
        return text.format(**values)
    if todo.moment == "before":
        return _("Start the self-assessment before “{title}”").format(**values)
    return _("Start the self-assessment after “{title}”").format(**values)


def learner_cards(data: home.LearnerHome, opener: Opener) -> list[CardSpec]:
    if not data.linked:
        return [
            CardSpec(
                "self_assessment",
                _("Your self-assessments"),
                "clipboard-pen",
                empty=_(
                    "Your account is not linked to a learner record, so there is nothing to "
                    "assess yet. Ask your coordinator to link it."
                ),
            )
        ]
    library = opener.context.library
    items = []
    for todo in data.todos:
        framework = library.find(todo.framework_id, todo.framework_version)
        total = sum(1 for _c in framework.competences()) if framework else 0
        description = ""
        if todo.start_date and todo.end_date:
            description = _("Mobility {code}: {start} – {end}").format(
                code=todo.mobility_code,
                start=format_date(todo.start_date),
                end=format_date(todo.end_date),
            )
        items.append(
            Item(
                _todo_text(todo, total),
                lambda t=todo: opener.self_assessment(t),
                "circle-play",
                description=description,
            )
        )
    summary = ngettext(
        "{count} self-assessment finished so far.",
        "{count} self-assessments finished so far.",
        data.finished,
    ).format(count=data.finished)
    cards = [
        CardSpec(
            "self_assessment",
            _("Your self-assessments"),
            "clipboard-pen",
            items,
            summary=summary,
            empty=_(
                "Nothing is due now. You can assess yourself whenever you like on the "
                "Self-assessment screen."
            ),
        )
    ]
    if not data.todos:
        cards[0] = CardSpec(
            "self_assessment",
            _("Your self-assessments"),
            "clipboard-pen",
            [Item(_("Start a self-assessment"), opener.go("self_assessment"), "circle-play")],
            summary=summary,
        )
    cards.append(
        CardSpec(
            "skills_test",
            _("Digital skills test"),
            "circle-question-mark",
            [Item(_("Take the digital skills test"), opener.go("skills_test"), "circle-play")],
            summary=_(
                "Answer 82 short questions on what you know, can do and care about; see which "
                "level band they suggest for each competence."
            ),
        )
    )
    if data.finished:
        cards.append(
            CardSpec(
                "results",
                _("Your results"),
                "chart-column",
                [Item(_("See your levels and what changed"), opener.go("results"))],
            )
        )
    return cards


# --------------------------------------------------------------------------- teacher


def teacher_cards(data: home.TeacherHome, opener: Opener) -> list[CardSpec]:
    counts = " · ".join(
        _(STAGE_NAMES[stage]) + f" {count}" for stage, count in data.stage_counts if count
    )
    if data.learners == 0 and not data.open_cases:
        return [
            CardSpec(
                "cases",
                _("Cases to work on"),
                "folder-kanban",
                empty=_(
                    "You have no learners yet. A coordinator or administrator makes you a "
                    "teacher of a group (Learners and groups → Groups → Teachers…) or of a "
                    "mobility; their learners' cases then appear here."
                ),
            )
        ]
    cases = [
        Item(
            _("{learner} — {stage}").format(
                learner=line.learner_name, stage=_(STAGE_NAMES[line.stage])
            )
            + (f" ({line.mobility_code})" if line.mobility_code else ""),
            lambda c=line: opener.case(c.learner_id, c.mobility_id, c.learner_name),
            description=_("Last changed {date}").format(date=format_date(_local(line.updated_at))),
        )
        for line in sorted(
            data.open_cases, key=lambda c: (_stage_order(c.stage), c.updated_at, c.case_id)
        )
    ]
    language = current_language()
    gaps = []
    for gap in data.gaps:
        framework = opener.context.library.find(gap.framework_id, gap.framework_version)
        title = gap.competence_id
        if framework is not None:
            title += " " + framework.competence(gap.competence_id).title.get(language)
        text = (
            _("{learner}: {competence} — own rating {own}, assessed {level}")
            if gap.assessed
            else _("{learner}: {competence} — own rating {own}, target {level}")
        )
        gaps.append(
            Item(
                "⚑ "
                + text.format(
                    learner=gap.learner_name, competence=title, own=gap.self_level, level=gap.level
                ),
                lambda g=gap: opener.case(g.learner_id, g.mobility_id, g.learner_name),
                "flag",
                warning=True,
            )
        )
    return [
        CardSpec(
            "cases",
            _("Cases to work on"),
            "folder-kanban",
            cases,
            summary=counts or _("No cases yet."),
            empty=_(
                "No case needs your work now. Open a new case for a learner on the "
                "Validation cases screen."
            ),
            more=opener.go("cases"),
        ),
        CardSpec(
            "gaps",
            _("Large differences"),
            "flag",
            gaps,
            summary=_(
                "Target or assessed levels two or more levels from the learner's own rating."
            ),
            empty=_("None: every level is close to the learner's own rating."),
            more=opener.go("cases"),
        ),
    ]


def _stage_order(stage: str) -> int:
    return list(STAGE_NAMES).index(stage) if stage in STAGE_NAMES else 99


# --------------------------------------------------------------------------- coordinator


def coordinator_cards(data: home.CoordinatorHome, opener: Opener) -> list[CardSpec]:
    first_steps = []
    if data.learners == 0:
        first_steps.append(
            Item(
                _("Import the learners from the school register"),
                lambda: opener.import_roster("learners"),
                "file-up",
            )
        )
    if data.mobilities == 0:
        first_steps.append(Item(_("Create the first mobility"), opener.new_mobility, "plane"))
    waiting = [
        Item(
            line.learner_name + (f" ({line.mobility_code})" if line.mobility_code else ""),
            lambda c=line: opener.waiting_case(c.case_id),
            "badge-check",
            description=_("Sent for certification on {date}").format(
                date=format_date(_local(line.updated_at))
            ),
        )
        for line in data.waiting
    ]
    ending = [
        Item(
            (
                _("{code}: ends today")
                if m.days_left == 0
                else _("{code}: ends {date} (in {days})")
            ).format(code=m.code, date=format_date(m.end_date), days=_days(m.days_left)),
            lambda i=m.mobility_id: opener.mobility(i),
            "calendar-clock",
            description=ngettext(
                "{title}: {count} learner", "{title}: {count} learners", m.participants
            ).format(title=m.title, count=m.participants),
        )
        for m in data.ending_soon
    ]
    cards = []
    if first_steps:
        cards.append(
            CardSpec(
                "first_steps",
                _("First steps"),
                "circle-play",
                first_steps,
                summary=_("The school has no learners or mobilities yet. Start here:"),
            )
        )
    cards.append(
        CardSpec(
            "waiting",
            _("Waiting for certification"),
            "award",
            waiting,
            summary=ngettext(
                "{count} case sent by teachers.", "{count} cases sent by teachers.", len(waiting)
            ).format(count=len(waiting)),
            empty=_("No case is waiting for your approval."),
            more=opener.go("certification"),
        )
    )
    cards.append(
        CardSpec(
            "ending_soon",
            _("Mobilities ending soon"),
            "calendar-clock",
            ending,
            summary=_(
                "Mobilities whose last day is within {days}: learners then self-assess "
                "after them and their cases are assessed."
            ).format(days=_days(home.ENDING_SOON_DAYS)),
            empty=_("No mobility ends within {days}.").format(days=_days(home.ENDING_SOON_DAYS)),
            more=opener.go("mobilities"),
        )
    )
    return cards


# --------------------------------------------------------------------------- administrator


def administrator_cards(data: home.AdministratorHome, opener: Opener) -> list[CardSpec]:
    now = dt.datetime.now(dt.UTC)
    cards = []
    first_steps = []
    if data.learners == 0:
        first_steps.append(
            Item(
                _("Import the learners from the school register"),
                lambda: opener.import_roster("learners"),
                "file-up",
            )
        )
    if data.staff == 0:
        first_steps.append(
            Item(
                _("Import the staff: teachers and coordinators"),
                lambda: opener.import_roster("staff"),
                "user-plus",
            )
        )
    if first_steps:
        cards.append(
            CardSpec(
                "first_steps",
                _("First steps"),
                "circle-play",
                first_steps,
                summary=_("The school has no learners or staff yet. Start here:"),
            )
        )
    backup = data.last_backup
    if backup is None:
        cards.append(
            CardSpec(
                "backup",
                _("Backup"),
                "database-backup",
                [Item(_("Make the first backup"), opener.go("database"), warning=True)],
                summary=_("No backup has been made yet."),
                warning=True,
            )
        )
    else:
        age = backup.age_days(now)
        old = age >= home.BACKUP_OLD_DAYS
        when = format_datetime(_local(backup.at), "short")
        summary = (
            _("Last backup: {when}, today ({file}).")
            if age == 0
            else _("Last backup: {when}, {days} ago ({file}).")
        ).format(when=when, days=_days(age), file=backup.file_name)
        cards.append(
            CardSpec(
                "backup",
                _("Backup"),
                "database-backup",
                [
                    Item(
                        _("Back up now") if old else _("Open the backups"),
                        opener.go("database"),
                        warning=old,
                    )
                ],
                summary=summary
                + (" " + _("Make a new one: it is over a week old.") if old else ""),
                warning=old,
            )
        )
    key = data.key
    if key is None:
        cards.append(
            CardSpec(
                "signing_key",
                _("Signing key"),
                "key-round",
                [Item(_("Create the signing key"), opener.go("signing_key"), warning=True)],
                summary=_("The school has no signing key: no certificate can be issued."),
                warning=True,
            )
        )
    else:
        cards.append(
            CardSpec(
                "signing_key",
                _("Signing key"),
                "key-round",
                [Item(_("See the signing key"), opener.go("signing_key"))],
                summary=_("Key {key} in use since {date}.").format(
                    key=key.key_id, date=format_date(_local(key.created_at))
                ),
            )
        )
    cards.append(
        CardSpec(
            "no_password",
            _("Accounts waiting for a first sign-in"),
            "user-plus",
            [
                Item(
                    f"{u.display_name} ({u.username})",
                    lambda name=u.username: opener.user(name),
                    "user-cog",
                    description=_("Account made on {date}").format(
                        date=format_date(_local(u.created_at))
                    ),
                )
                for u in data.no_password
            ],
            summary=_(
                "They still have the one-time password of their sign-in slip and have not "
                "chosen their own."
            ),
            empty=_("None: everyone has chosen their own password."),
            more=opener.go("users"),
        )
    )
    return cards
