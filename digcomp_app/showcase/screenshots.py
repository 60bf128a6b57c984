"""Pictures of every screen for the user guide: ``digcomp-app screenshots --out DIR``.

The window is opened on a demo school (a fresh temporary database unless one is given), at
1366x768, offscreen. For each language it saves the sign-in page, then signs in as one demo
user of each role - typing into the sign-in page as a person would - and saves every screen
of that user's workspace as ``<role>-<screen id>-<lang>.png``; then a few more views and
dialogs (:data:`EXTRA_PICTURES`, a dialog drawn over the screen it opens from) as
``<role>-<name>-<lang>.png``. A screen that fails to build, to refresh, or pops up a
message box is reported and skipped; the rest are still saved.

Only some screens may be asked for, by their ids (``--screen cases``): then only those
screens are pictured, with the extra views that open from them, and only the demo users
who have one of them sign in.

Each text size asked for (View > Text size, :data:`digcomp_app.settings.TEXT_SIZES`) is a
round of its own: at 100 % the names are as above, at another size they end in
``-<percent>`` (``teacher-cases-lv-150.png``).

A screen is pictured at work, not empty: :data:`SCREEN_STATES` names, per screen id, how
to bring it into a state that shows the demo school's data (a case open at its step, a
mobility with its participants, a self-assessment open at a competence...). The demo
users are chosen so that they have such data (the learner has a before/after pair). The
states change nothing stored, except that the learner's self-assessment is started (or
continued) as the Start button does.
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox, QWidget

from digcomp_app.i18n import UI_LANGUAGES, _, current_language, set_language
from digcomp_app.services import accounts, certificates, validation
from digcomp_app.services.database import Database
from digcomp_app.services.permissions import Role
from digcomp_app.settings import load_settings, save_settings
from digcomp_app.showcase import demo
from digcomp_app.showcase.demo.content import PASSWORD
from digcomp_app.showcase.demo.files import png_of_rows
from digcomp_app.ui.app import create_application
from digcomp_app.ui.main_window import MainWindow
from digcomp_app.ui.qt_i18n import apply_qt_language
from digcomp_app.ui.screens import discover, screens_for
from digcomp_app.ui.tasks import TaskHandle
from digcomp_app.ui.widgets import apply_text_size, text_size

WIDTH, HEIGHT = 1366, 768
#: one demo user of each role, in the order the guide presents them (the learner has
#: self-assessments before and after a mobility, so the results compare the two)
DEMO_USERS: tuple[tuple[Role, str], ...] = (
    (Role.LEARNER, "learner05"),
    (Role.TEACHER, "teacher1"),
    (Role.COORDINATOR, "coordinator"),
    (Role.ADMINISTRATOR, "admin"),
)
#: pictures only: cheap password hashing for the temporary demo school
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


class KeepingHasher(PasswordHasher):
    """Checks passwords as the default hasher does, but never asks for a stored hash to be
    made anew at sign-in: the sign-ins of the pictures leave every password hash of a given
    database as it was (a new password would still be hashed at full cost)."""

    def check_needs_rehash(self, hash: str | bytes) -> bool:
        return False


#: how long a screen may keep background tasks (ui.tasks.run_task) running
TASK_TIMEOUT_S = 20.0
#: names the settings file (digcomp_app.settings)
SETTINGS_VARIABLE = "DIGCOMP_SETTINGS"
#: the size of a pictured dialog (it must fit on the 1366x768 window)
DIALOG_WIDTH, DIALOG_HEIGHT = 760, 660


# --- screens at work ---------------------------------------------------------------------


def _workspace_screen(window: MainWindow, screen_id: str) -> QWidget:
    workspace = window.workspace
    assert workspace is not None
    workspace.show_screen(screen_id)
    return workspace.screen(screen_id)


def _open_case(window: MainWindow, stage: str) -> QWidget:
    """The teacher's case workspace with the first case at ``stage`` open at that step
    (a case with evidence, for documentation)."""
    screen: Any = _workspace_screen(window, "cases")
    context = window.workspace.context  # type: ignore[union-attr]
    found = [c for c in validation.list_cases(context.db, context.actor) if c.stage == stage]
    if not found:
        raise LookupError(f"the demo school has no case at {stage}")
    for case in found:
        screen.learners.select_learner(case.learner_id, case.mobility_id)
        QApplication.processEvents()
        panel = screen.case
        if stage != "documentation" or panel.evidence.list.topLevelItemCount():
            break
    panel.show_step(stage)
    return screen


def _cases_at_documentation(window: MainWindow, _screen: QWidget | None = None) -> None:
    """A case at documentation: its evidence listed, the first piece in the preview."""
    screen: Any = _open_case(window, "documentation")
    evidence = screen.case.evidence
    if evidence.list.topLevelItemCount():
        evidence.list.setCurrentItem(evidence.list.topLevelItem(0))


def _cases_at_assessment(window: MainWindow) -> None:
    """A case at assessment: the learner's own rating beside each target, and a level being
    chosen two levels away from it, so the flag shows."""
    screen: Any = _open_case(window, "assessment")
    panel = screen.case
    page = panel.assessment
    context = window.workspace.context  # type: ignore[union-attr]
    for row in validation.self_vs_assessed(context.db, context.actor, panel.case.id):
        own = row.self_level
        if own is None:
            continue
        page.select_competence(row.competence_id)
        levels = [page.form.level.itemData(i) for i in range(page.form.level.count())]
        wanted = next((own + d for d in (2, -2) if own + d in levels), None)
        if wanted is not None:
            page.form.level.setCurrentIndex(page.form.level.findData(wanted))
            return


def _mobility_with_people(window: MainWindow, screen: Any) -> None:
    """The mobility with the most participants, its People tab shown."""
    listed = screen.listed_mobilities()
    if not listed:
        return
    counts = [mobility.participant_count for mobility in listed]
    screen.table.selectRow(counts.index(max(counts)))
    screen.editor.tabs.setCurrentWidget(screen.editor.people)


def _queue_with_a_case(window: MainWindow, screen: Any) -> None:
    """The certification queue with its first case chosen."""
    screen.tabs.setCurrentWidget(screen.queue)
    cases = screen.queue.cases()
    if cases:
        screen.queue.select_case(cases[0].id)


def _self_assessment_open(window: MainWindow, screen: Any) -> None:
    """The self-assessment started (or continued) and open at a competence of the second
    area, its levels shown."""
    start = screen.start_page
    if start.start_button.isEnabled():
        start.start_button.click()
    questionnaire = screen.questionnaire
    if questionnaire.info is None:
        return
    competences = [c.id for c in questionnaire.framework.competences()]
    wanted = next((i for i, cid in enumerate(competences) if cid.startswith("2.")), 0)
    questionnaire.show_competence(wanted)


def _results_compared(window: MainWindow, screen: Any) -> None:
    """The results of a before/after pair, when there is one, as the chart by competence."""
    kinds = [choice.kind for choice in screen.choices]
    if "mobility" in kinds:
        screen.picker.setCurrentIndex(kinds.index("mobility"))
    screen.tabs.setCurrentIndex(0)


#: per screen id: how to bring the shown screen into a state that shows work
SCREEN_STATES: dict[str, Callable[[MainWindow, Any], None]] = {
    "cases": _cases_at_documentation,
    "mobilities": _mobility_with_people,
    "certification": _queue_with_a_case,
    "self_assessment": _self_assessment_open,
    "results": _results_compared,
}


def _verify_dialog(window: MainWindow) -> QDialog:
    """The verify dialog showing a valid result: the newest certificate in force."""
    from digcomp_app.ui.verify_dialog import VerifyDialog

    workspace = window.workspace
    assert workspace is not None
    _register_tab(window)
    context = workspace.context
    found = [
        c
        for c in certificates.list_register(context.db, context.actor)
        if c.status == "issued" and c.qr_text
    ]
    dialog = VerifyDialog(context.db, context.actor, window)
    if found:
        dialog.check_text(found[-1].qr_text)
    return dialog


def _register_tab(window: MainWindow) -> None:
    """The certification screen's register, with the newest certificate chosen."""
    workspace = window.workspace
    assert workspace is not None
    workspace.show_screen("certification")
    screen = workspace.screen("certification")
    screen.tabs.setCurrentWidget(screen.register)  # type: ignore[attr-defined]
    screen.register.table.selectRow(0)  # type: ignore[attr-defined]


#: more pictures of a role: (role, picture name, what to open). What opens returns a
#: dialog, pictured over the window, or None when the window itself is pictured.
EXTRA_PICTURES: tuple[tuple[Role, str, Callable[[MainWindow], QDialog | None]], ...] = (
    (Role.TEACHER, "cases-assessment", _cases_at_assessment),
    (Role.COORDINATOR, "certificate_register", _register_tab),
    (Role.COORDINATOR, "verify", _verify_dialog),
)
#: the screen each extra picture opens from (it is taken when that screen is pictured)
EXTRA_PICTURE_SCREENS: dict[str, str] = {
    "cases-assessment": "cases",
    "certificate_register": "certification",
    "verify": "certification",
}


def png_of(picture: QPixmap) -> bytes:
    """The picture as a PNG file: 8-bit RGB, its rows unfiltered and compressed at zlib's
    default level. On the screens' flat colours that is a fifth smaller than Qt's PNG writer
    makes them (it filters every row five ways to choose one), in about 60 % of its time."""
    image = picture.toImage().convertToFormat(QImage.Format.Format_RGB888)
    width, height, stride = image.width(), image.height(), image.bytesPerLine()
    pixels = image.constBits()
    rows = b"".join(b"\x00" + pixels[y * stride : y * stride + width * 3] for y in range(height))
    return png_of_rows(width, height, rows)


@dataclass
class ScreenshotRun:
    written: list[Path] = field(default_factory=list)
    #: one line per problem: which role and screen, and what went wrong
    failures: list[str] = field(default_factory=list)


def take_screenshots(
    out: Path,
    languages: Sequence[str] = UI_LANGUAGES,
    db: Database | None = None,
    log: Callable[[str], None] = lambda line: print(line, file=sys.stderr),
    point_size: float | None = None,
    text_sizes: Sequence[int] = (100,),
    screens: Collection[str] = (),
) -> ScreenshotRun:
    """Save the pictures into ``out``, of ``db`` or else of a new, temporary demo school.

    A given database with no users yet is filled with the demo school first. Every language
    is pictured at each of ``text_sizes`` (per cent, as View > Text size sets it); with
    ``point_size``, the application's font starts that large. With ``screens`` (screen
    ids), only those screens are pictured (an unknown id is reported).
    """
    if not os.environ.get("QT_QPA_PLATFORM"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    out.mkdir(parents=True, exist_ok=True)
    run = ScreenshotRun()
    known = {spec.id for spec in discover()}
    for screen_id in screens:
        if screen_id not in known:
            run.failures.append(
                _("There is no screen {screen}; the screens are: {screens}.").format(
                    screen=screen_id, screens=", ".join(sorted(known))
                )
            )
            log(run.failures[-1])
    language_before = current_language()
    with (
        tempfile.TemporaryDirectory(prefix="digcomp-screenshots-") as folder,
        _private_settings(Path(folder)),
    ):
        own = db is None
        if db is None:
            path = Path(folder) / "demo-school.sqlite3"
            db = Database(f"sqlite:///{path}", password_hasher=FAST_HASHER)
        try:
            if accounts.needs_first_administrator(db, None):
                log(_("Creating the demo school..."))
                demo.create_school(db, None)
            _render(db, out, languages, run, log, point_size, text_sizes, screens)
        finally:
            if own:
                db.close()
            set_language(language_before)
    return run


@contextmanager
def _private_settings(folder: Path) -> Iterator[None]:
    """The pictures neither show nor change the user's own settings (e.g. a database address)."""
    before = os.environ.get(SETTINGS_VARIABLE)
    os.environ[SETTINGS_VARIABLE] = str(folder / "settings.ini")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SETTINGS_VARIABLE, None)
        else:
            os.environ[SETTINGS_VARIABLE] = before


def _render(
    db: Database,
    out: Path,
    languages: Sequence[str],
    run: ScreenshotRun,
    log: Callable[[str], None],
    point_size: float | None = None,
    text_sizes: Sequence[int] = (100,),
    screens: Collection[str] = (),
) -> None:
    app = create_application()
    font_before = QFont(app.font())
    size_before = text_size()
    if point_size:
        font = QFont(font_before)
        font.setPointSizeF(point_size)
        app.setFont(font)
    try:
        for percent in text_sizes:
            # the window applies the text size of the (private) settings when it opens
            save_settings(load_settings().with_changes(text_size=percent))
            for language in languages:
                set_language(language)
                apply_qt_language(language)
                _Session(db, out, language, run, log, percent, screens).render()
    finally:
        apply_text_size(size_before)
        app.setFont(font_before)


class _Session:
    """One window in one language: the sign-in page, then every role's screens (or those
    asked for)."""

    def __init__(
        self,
        db: Database,
        out: Path,
        language: str,
        run: ScreenshotRun,
        log: Callable[[str], None],
        percent: int = 100,
        screens: Collection[str] = (),
    ) -> None:
        self.db, self.out, self.language, self.run, self.log = db, out, language, run, log
        #: the ids of the screens to picture (empty: every screen)
        self.screens = frozenset(screens)
        #: the ending of every picture's name: "-lv", or "-lv-150" at 150 % text size
        self.suffix = language if percent == 100 else f"{language}-{percent}"
        self.errors: list[str] = []
        self.tracebacks: set[str] = set()

    def render(self) -> None:
        window = MainWindow(self.db)
        watchdog = QTimer()
        watchdog.timeout.connect(self._close_message_boxes)
        watchdog.start(100)
        try:
            window.resize(WIDTH, HEIGHT)
            window.show()
            self._settle(window)
            if window.sign_in is None:
                self._fail(
                    _("{language}: the window shows no sign-in page: {problem}").format(
                        language=self.language, problem=window.problem_label.text()
                    )
                )
                return
            self._save(window, f"sign-in-{self.suffix}.png")
            for role, username in DEMO_USERS:
                if any(self._wanted(spec.id) for spec in screens_for(frozenset({role}))):
                    self._role(window, role, username)
        finally:
            watchdog.stop()
            window.close()
            window.deleteLater()
            self._settle(window, wait_for_tasks=False)
            # Deleted now: without an event loop running, Qt would keep the window, and
            # the next text size's restyle would walk its widgets too.
            QApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)

    def _role(self, window: MainWindow, role: Role, username: str) -> None:
        page = window.sign_in
        with self._collecting() as errors:
            page.username.clear()
            QTest.keyClicks(page.username, username)
            QTest.keyClicks(page.password, PASSWORD)
            QTest.keyClick(page.password, Qt.Key.Key_Return)
            self._settle(window)
        workspace = window.workspace
        if workspace is None:
            self._fail(
                _("{language}: could not sign in as {user}: {problem}").format(
                    language=self.language,
                    user=username,
                    problem=page.error.text() or "; ".join(errors) or _("no reason given"),
                )
            )
            return
        if errors:
            self._fail(
                _("{language}: signing in as {user}: {problem}").format(
                    language=self.language, user=username, problem="; ".join(errors)
                )
            )
        for spec in [spec for spec in workspace.specs if self._wanted(spec.id)]:
            name = f"{role.value}-{spec.id}-{self.suffix}.png"
            with self._collecting() as errors:
                try:
                    screen = workspace.screen(spec.id)  # built here, so its error is caught
                except Exception as error:
                    self._remember(type(error), error, error.__traceback__)
                    screen = None
                if screen is not None:
                    workspace.show_screen(spec.id)
                    self._settle(window)
                    prepare = SCREEN_STATES.get(spec.id)
                    if prepare is not None:
                        try:
                            prepare(window, screen)
                        except Exception as error:
                            self._remember(type(error), error, error.__traceback__)
                        self._settle(window)
            if errors or screen is None or workspace.stack.currentWidget() is not screen:
                self._fail(
                    _("{language}: screen {screen} of {user} failed: {problem}").format(
                        language=self.language,
                        screen=spec.id,
                        user=username,
                        problem="; ".join(errors) or _("it was not shown"),
                    )
                )
                continue
            self._save(window, name)
        for extra_role, extra_name, open_extra in EXTRA_PICTURES:
            if extra_role == role and self._wanted(EXTRA_PICTURE_SCREENS[extra_name]):
                self._dialog(window, f"{role.value}-{extra_name}-{self.suffix}.png", open_extra)
        window.sign_out()
        self._settle(window)

    def _dialog(
        self, window: MainWindow, name: str, open_dialog: Callable[[MainWindow], QDialog | None]
    ) -> None:
        """The dialog drawn in the middle of the window, the window dimmed behind it (or
        just the window when there is no dialog)."""
        dialog: QDialog | None = None
        opened = False
        with self._collecting() as errors:
            try:
                dialog = open_dialog(window)
                if dialog is not None:
                    dialog.resize(DIALOG_WIDTH, DIALOG_HEIGHT)
                    dialog.show()
                self._settle(window)
                opened = True
            except Exception as error:
                self._remember(type(error), error, error.__traceback__)
        if errors or not opened:
            self._fail(
                _("{language}: dialog {name} failed: {problem}").format(
                    language=self.language,
                    name=name,
                    problem="; ".join(errors) or _("it was not shown"),
                )
            )
        elif dialog is None:
            self._save(window, name)
        else:
            picture = window.grab()
            shot = dialog.grab()
            painter = QPainter(picture)
            painter.fillRect(picture.rect(), QColor(0, 0, 0, 70))
            left = (picture.width() - shot.width()) // 2
            top = (picture.height() - shot.height()) // 2
            painter.drawPixmap(left, top, shot)
            painter.setPen(QColor("#555555"))
            painter.drawRect(left - 1, top - 1, shot.width() + 1, shot.height() + 1)
            painter.end()
            self._save(window, name, picture)
        if dialog is not None:
            dialog.close()
            dialog.deleteLater()
            self._settle(window)

    # --- helpers --------------------------------------------------------------------

    def _wanted(self, screen_id: str) -> bool:
        return not self.screens or screen_id in self.screens

    def _save(self, window: MainWindow, name: str, picture: QPixmap | None = None) -> None:
        path = self.out / name
        picture = picture if picture is not None else window.grab()
        try:
            path.write_bytes(png_of(picture))
        except OSError:
            self._fail(_("Could not write {path}.").format(path=path))
            return
        if (picture.width(), picture.height()) != (WIDTH, HEIGHT):
            self._fail(
                _("{name} is {width}x{height}, not {w}x{h}: the screen does not fit.").format(
                    name=name, width=picture.width(), height=picture.height(), w=WIDTH, h=HEIGHT
                )
            )
        self.run.written.append(path)

    def _fail(self, line: str) -> None:
        self.run.failures.append(line)
        self.log(line)

    def _remember(self, kind: type[BaseException], error: BaseException, tb: object) -> None:
        self.errors.append(f"{kind.__name__}: {error}")
        details = "".join(traceback.format_exception(kind, error, tb)).rstrip()
        if details not in self.tracebacks:  # the same failure for every role: once is enough
            self.tracebacks.add(details)
            self.log(details)

    @contextmanager
    def _collecting(self) -> Iterator[list[str]]:
        """Exceptions raised in Qt slots (they reach sys.excepthook) and message boxes."""
        self.errors = []
        previous = sys.excepthook
        sys.excepthook = self._remember  # type: ignore[assignment]
        try:
            yield self.errors
        finally:
            sys.excepthook = previous

    def _close_message_boxes(self) -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            self.errors.append(
                _("a message box appeared: {title}: {text}").format(
                    title=box.windowTitle(), text=box.text()
                )
            )
            box.reject()

    def _settle(self, window: MainWindow, wait_for_tasks: bool = True) -> None:
        """Let layouts, paints and background tasks (ui.tasks) finish."""
        deadline = time.monotonic() + TASK_TIMEOUT_S
        while True:
            QApplication.processEvents()
            busy = wait_for_tasks and any(
                handle.thread.isRunning() for handle in window.findChildren(TaskHandle)
            )
            if not busy or time.monotonic() > deadline:
                break
            time.sleep(0.01)
        QApplication.sendPostedEvents()
        QApplication.processEvents()
