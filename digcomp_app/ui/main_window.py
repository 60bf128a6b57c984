"""The main window: sign in, the workspace of the signed-in user, menus, language, idle lock."""

from __future__ import annotations

import contextlib
import functools
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QTimer
from PySide6.QtGui import QAction, QActionGroup
from PySide6.QtWidgets import QApplication, QLabel, QMainWindow, QStackedWidget, QWidget

from digcomp_app import __version__
from digcomp_app.i18n import (
    UI_LANGUAGES,
    _,
    add_language_listener,
    current_language,
    language_name,
    remove_language_listener,
    set_language,
)
from digcomp_app.settings import TEXT_SIZES, load_settings, save_settings
from digcomp_app.ui.widgets import apply_text_size, text_size

# What the first paint does not need loads after it (the database code) or when first used
# (Qt classes whose many enums take milliseconds to set up for Python).
if TYPE_CHECKING:
    from PySide6.QtCore import QEvent, QObject
    from PySide6.QtGui import QCloseEvent, QPaintEvent

    from digcomp_app.framework import FrameworkLibrary
    from digcomp_app.services.database import Database
    from digcomp_app.services.permissions import Actor
    from digcomp_app.ui.account_watch import AccountWatch
    from digcomp_app.ui.password_page import ChoosePasswordPage
    from digcomp_app.ui.sign_in import SignInPage
    from digcomp_app.ui.tasks import Background, TaskHandle
    from digcomp_app.ui.workspace import Workspace


#: below this free room (width, height) the window opens maximised
SMALL_SCREEN = (1440, 900)


@functools.cache
def _input_event_class() -> type:
    """The class of keyboard, mouse, wheel and touch events (imported when first needed)."""
    from PySide6.QtGui import QInputEvent

    return QInputEvent


@functools.cache
def input_events() -> frozenset[QEvent.Type]:
    """The events that show someone is using the program (they restart the idle timer).

    Made when first needed: the first use of a Qt enum builds its Python type, which
    takes milliseconds that the first paint should not wait for.
    """
    from PySide6.QtCore import QEvent

    return frozenset(
        {
            QEvent.Type.KeyPress,
            QEvent.Type.MouseButtonPress,
            QEvent.Type.MouseMove,
            QEvent.Type.Wheel,
            QEvent.Type.TouchBegin,
        }
    )


def demo_database_path() -> Path:
    """The demo school's own file, beside the settings: never the school's database."""
    from digcomp_app.settings import settings_file

    return settings_file().parent / "demo.sqlite3"


def open_default_database() -> Database:
    """The database from DIGCOMP_DATABASE_URL, the settings, or the default SQLite file."""
    from digcomp_app.services.database import open_configured

    return open_configured(None, load_settings().database_url)


def load_database(database: Database | None, database_url: str | None) -> tuple[Database, bool]:
    """Open the database (``database``, else the one at ``database_url``, else the one
    chosen; migrated to this version) and load the competence frameworks, so that a broken
    installation fails before anyone signs in. Also says whether it has no user yet (the
    first run). Runs in a thread of its own at start-up: no Qt here."""
    from digcomp_app.framework import builtin_library
    from digcomp_app.services import accounts
    from digcomp_app.services.database import Database, resolve_database_url

    db = database or (
        Database(resolve_database_url(database_url))  # unless IT locked another
        if database_url
        else open_default_database()
    )
    try:
        builtin_library()
        first_run = accounts.needs_first_administrator(db, None)
    except BaseException:
        if database is None:
            db.close()
        raise
    return db, first_run


def open_problem(error: BaseException) -> str:
    """What to tell the user when the database could not be opened or upgraded."""
    from digcomp_app.settings import settings_file

    return _(
        "The database could not be opened: {problem}\n\nThe program opens the "
        "database named by the environment variable DIGCOMP_DATABASE_URL, else the "
        "one in the settings file {settings} (an administrator chooses it on the "
        "Database screen). Ask your administrator."
    ).format(problem=(str(error).splitlines() or [repr(error)])[0], settings=settings_file())


class MainWindow(QMainWindow):
    def __init__(
        self,
        database: Database | None = None,
        parent: QWidget | None = None,
        database_url: str | None = None,
    ) -> None:
        super().__init__(parent)
        # the size is chosen when the window first shows (see setVisible): the screen's
        # room, or where the window was last time
        self.setMinimumSize(800, 560)
        from digcomp_app.ui.style import apply_style

        apply_style()
        self._placed = False
        #: Quit was chosen and its question answered (closeEvent does not ask again)
        self._leaving = False
        self.db: Database | None = None
        self.workspace: Workspace | None = None
        self.actor: Actor | None = None
        self.sign_in: SignInPage | None = None
        self.password_page: ChoosePasswordPage | None = None
        #: while the demo school is open: the school's own database, kept for "Leave"
        self.real_db: Database | None = None
        self.demo_task: TaskHandle | None = None
        self.account_watch: AccountWatch | None = None
        self._problem = ""
        self._pending_open = False
        #: what the last sign-in's audit comparison found ("" when nothing)
        self.audit_problem = ""
        self._pending_url: str | None = None
        self.pages = QStackedWidget()
        self.setCentralWidget(self.pages)
        self.problem_label = QLabel()
        self.problem_label.setWordWrap(True)
        self.pages.addWidget(self.problem_label)
        self._build_menus()
        self.idle_timer = QTimer(self)
        self.idle_timer.setSingleShot(True)
        self.idle_timer.timeout.connect(self.lock)
        settings = load_settings()
        self.idle_minutes = settings.idle_lock_minutes
        apply_text_size(settings.text_size)
        # Input is watched (for the idle lock) only while someone is signed in, on the
        # program's windows (see _watch_input)
        self._watching_input = False
        self._windows_pending = False
        #: opens the database in a thread after the first paint (see paintEvent)
        self.loader: Background | None = None
        #: the size it has until someone resizes it (see setVisible)
        self._made_size = self.size()
        add_language_listener(self._on_language_changed)
        if database is not None:
            self.retranslate()
            self._open(database, None)
        else:
            # Show the window at once with the sign-in form, which can be typed into; open
            # the database (and load its code and the frameworks) in the background once the
            # window has been painted, so a school PC shows something immediately.
            from digcomp_app.ui.sign_in import SignInPage

            self._pending_url = database_url
            self._pending_open = True
            self._add_sign_in(SignInPage())
            self.retranslate()

    def _open(self, database: Database | None, database_url: str | None) -> None:
        """Open the database and show the sign-in page (or say what went wrong), at once."""
        try:
            db, first_run = load_database(database, database_url)
        except Exception as error:
            self._opened(None, error)
        else:
            self._opened(db, None, first_run)

    def _open_in_background(self) -> None:
        """Open the database in a thread; the sign-in form is usable meanwhile."""
        from digcomp_app.ui.tasks import Background

        url = self._pending_url
        self.loader = Background(
            self,
            lambda: load_database(None, url),
            lambda result: self._opened(result[0], None, result[1]),
            lambda error: self._opened(None, error),
        )

    def _opened(
        self, db: Database | None, error: BaseException | None, first_run: bool | None = None
    ) -> None:
        """The database is open (or could not be): the sign-in page takes it, or the problem
        is shown."""
        from digcomp_app.framework import FrameworkError

        self.loader = None
        self._add_shortcuts()
        if db is not None:
            self.db = db
        if isinstance(error, FrameworkError):
            self._problem = _("The competence frameworks could not be loaded:\n{problem}").format(
                problem=error
            )
        elif error is not None:  # the database could not be opened or upgraded
            self._problem = open_problem(error)
        if self._problem:
            self.pages.setCurrentWidget(self.problem_label)
        elif self.db is not None:
            if self.sign_in is not None and not self.sign_in.database_ready:
                self.sign_in.set_database(self.db, first_run)
            else:
                self._show_sign_in()
            if self.db.migration and self.db.migration.backup:
                self.statusBar().showMessage(
                    _("The database was upgraded; a copy of the old one was kept at {path}").format(
                        path=self.db.migration.backup
                    )
                )
            self._warn_about_setup()
        self.retranslate()

    def _warn_about_setup(self) -> None:
        """A shared SQLite file, or mistakes in the school's machine-wide configuration."""
        from PySide6.QtWidgets import QMessageBox

        from digcomp_app.services.configuration import machine_config_messages

        assert self.db is not None
        notes = [*machine_config_messages(), self.db.sharing_warning()]
        text = "\n\n".join(note for note in notes if note)
        if text:
            self.setup_warning = QMessageBox(
                QMessageBox.Icon.Warning, _("DigComp recognition"), text, parent=self
            )
            self.setup_warning.open()  # returns at once: the sign-in page is ready behind it

    def _show_sign_in(self) -> None:
        """A new sign-in page for ``self.db`` (the old one, if any, is dropped)."""
        from digcomp_app.ui.sign_in import SignInPage

        assert self.db is not None
        if self.sign_in is not None:
            self.pages.removeWidget(self.sign_in)
            self.sign_in.deleteLater()
        self._add_sign_in(SignInPage(self.db))

    def _add_sign_in(self, page: SignInPage) -> None:
        self.sign_in = page
        page.signed_in.connect(self.start_session)
        page.setup_finished.connect(self.finish_setup)
        page.demo_requested.connect(self.open_demo)
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        page.take_focus()

    @property
    def library(self) -> FrameworkLibrary:
        """The competence frameworks (loaded once, when first needed)."""
        from digcomp_app.framework import builtin_library

        return builtin_library()

    # --- menus --------------------------------------------------------------------

    def _build_menus(self) -> None:
        self.file_menu = self.menuBar().addMenu("")
        self.sign_out_action = QAction(self)
        self.sign_out_action.triggered.connect(self.request_sign_out)
        self.lock_action = QAction(self)
        self.lock_action.triggered.connect(self.request_lock)
        self.quit_action = QAction(self)
        self.quit_action.triggered.connect(self.request_quit)
        for action in (self.lock_action, self.sign_out_action):
            self.file_menu.addAction(action)
        self.leave_demo_action = QAction(self)
        self.leave_demo_action.triggered.connect(
            lambda: self.may_leave_workspace() and self.leave_demo()
        )
        self.leave_demo_action.setVisible(False)
        self.file_menu.addAction(self.leave_demo_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)

        self.view_menu = self.menuBar().addMenu("")
        self.next_action = QAction(self)
        self.next_action.triggered.connect(lambda: self.workspace and self.workspace.step(1))
        self.previous_action = QAction(self)
        self.previous_action.triggered.connect(lambda: self.workspace and self.workspace.step(-1))
        self.view_menu.addAction(self.next_action)
        self.view_menu.addAction(self.previous_action)
        self.language_menu = self.view_menu.addMenu("")
        self.language_group = QActionGroup(self)
        self.language_actions: dict[str, QAction] = {}
        for code in UI_LANGUAGES:
            # (not QAction(text, parent): that call sets QIcon's enums up too, for nothing)
            action = QAction(self, checkable=True)
            action.setText(language_name(code))
            action.triggered.connect(lambda _checked=False, c=code: self.switch_language(c))
            self.language_group.addAction(action)
            self.language_menu.addAction(action)
            self.language_actions[code] = action
        self.text_size_menu = self.view_menu.addMenu("")
        self.text_size_group = QActionGroup(self)
        self.text_size_actions: dict[int, QAction] = {}
        for percent in TEXT_SIZES:
            action = QAction(self, checkable=True)
            action.triggered.connect(lambda _checked=False, p=percent: self.set_text_size(p))
            self.text_size_group.addAction(action)
            self.text_size_menu.addAction(action)
            self.text_size_actions[percent] = action

        self.help_menu = self.menuBar().addMenu("")
        self.guide_action = QAction(self)
        self.guide_action.triggered.connect(self.show_guide)
        self.help_menu.addAction(self.guide_action)
        self.about_action = QAction(self)
        self.about_action.triggered.connect(self.show_about)
        self.help_menu.addAction(self.about_action)
        self.guide: QWidget | None = None

    def _add_shortcuts(self) -> None:
        # Qt's key-sequence machinery takes tens of milliseconds to start; it is set up
        # right after the first paint (or at once when the window is built with a database).
        from PySide6.QtGui import QKeySequence

        self.sign_out_action.setShortcut(QKeySequence("Ctrl+Shift+L"))
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.quit_action.setShortcut(QKeySequence("Ctrl+Q"))  # Windows has no standard one
        self.guide_action.setShortcut(QKeySequence.StandardKey.HelpContents)  # F1
        self._add_icons()
        self.next_action.setShortcut(QKeySequence("Ctrl+PgDown"))
        self.previous_action.setShortcut(QKeySequence("Ctrl+PgUp"))

    def _add_icons(self) -> None:
        from digcomp_app.ui.icons import icon

        for action, name in (
            (self.lock_action, "lock"),
            (self.sign_out_action, "log-out"),
            (self.quit_action, "power"),
            (self.next_action, "chevron-down"),
            (self.previous_action, "chevron-up"),
            (self.guide_action, "book-open"),
            (self.about_action, "info"),
        ):
            action.setIcon(icon(name))
        self.language_menu.setIcon(icon("languages"))
        self.text_size_menu.setIcon(icon("a-large-small"))

    # --- session ------------------------------------------------------------------

    def _compare_audit_head(self, actor: Actor) -> None:
        """Compare the audit log with what this PC saw last (docs/decisions/0026); a problem
        is shown to staff, and the head is remembered only when there is none."""
        from PySide6.QtWidgets import QMessageBox

        from digcomp_app import anchors
        from digcomp_app.services import audit
        from digcomp_app.services.errors import ServiceError
        from digcomp_app.services.permissions import Role

        assert self.db is not None
        try:
            problem, head = audit.compare_head(self.db, actor, anchors.load(self.db.url))
        except (ServiceError, OSError):
            return
        if not problem:
            with contextlib.suppress(OSError):
                anchors.save(self.db.url, head)
            return
        self.audit_problem = problem
        if actor.roles & {Role.TEACHER, Role.COORDINATOR, Role.ADMINISTRATOR}:
            QMessageBox.warning(
                self,
                _("The audit log was changed"),
                _(
                    "{problem}. Someone with access to the database may have changed the "
                    "school's records. Tell the administrator; 'digcomp-app audit verify' "
                    "checks the whole log."
                ).format(problem=problem[:1].upper() + problem[1:]),
            )

    def start_session(self, actor: Actor) -> None:
        """Open the workspace for ``actor`` (after signing in or unlocking); someone who
        signed in with a one-time password first chooses their own."""
        assert self.db is not None
        self._watch_account()
        self._compare_audit_head(actor)
        if actor.must_change_password:
            self._ask_for_password(actor)
            return
        if (
            self.workspace is not None
            and self.actor is not None
            and self.actor.user_id == actor.user_id
            and self.workspace.context.actor == actor  # roles changed meanwhile: start afresh
        ):
            self.actor = actor
            self.pages.setCurrentWidget(self.workspace)  # unlocked: carry on where they were
        else:
            self._close_workspace()
            self.statusBar().clearMessage()  # nothing of the previous person's session
            self.actor = actor
            from digcomp_app.services import frameworks_library
            from digcomp_app.ui.context import UiContext
            from digcomp_app.ui.workspace import Workspace

            context = UiContext(
                self.db,
                actor,
                frameworks_library.library(self.db, actor),  # built-in and the school's own
                notify=lambda m: self.statusBar().showMessage(m, 8000),
            )
            self.workspace = Workspace(context)
            self.pages.addWidget(self.workspace)
            self.pages.setCurrentWidget(self.workspace)
        self._restart_idle_timer()
        self.retranslate()

    def _ask_for_password(self, actor: Actor) -> None:
        from digcomp_app.ui.password_page import ChoosePasswordPage

        assert self.db is not None
        self._close_workspace()
        self._drop_password_page()
        page = ChoosePasswordPage(self.db, actor)
        page.changed.connect(self._password_chosen)
        page.cancelled.connect(self.sign_out)
        self.password_page = page
        self.pages.addWidget(page)
        self.pages.setCurrentWidget(page)
        page.current.setFocus()

    def _password_chosen(self, actor: Actor) -> None:
        self._drop_password_page()
        self.statusBar().showMessage(_("Your new password is saved."), 8000)
        self.start_session(actor)

    def _drop_password_page(self) -> None:
        if self.password_page is not None:
            self.pages.removeWidget(self.password_page)
            self.password_page.deleteLater()
            self.password_page = None

    def finish_setup(self, actor: Actor, action: str) -> None:
        """The first run's new school is set up: the workspace, then the chosen next step."""
        self.start_session(actor)
        workspace = self.workspace
        if workspace is None or not action:
            return
        if action in ("import_learners", "import_staff"):
            from digcomp_app.ui.screens.rosters.wizard import open_import_wizard

            kind = "learners" if action == "import_learners" else "staff"
            QTimer.singleShot(0, lambda: open_import_wizard(self, workspace.context, kind))
        else:
            workspace.show_screen(action)

    # --- the demo school ------------------------------------------------------------

    @property
    def is_demo(self) -> bool:
        return self.real_db is not None

    def open_demo(self) -> None:
        """Switch this session to the demo school's own file (made the first time, in the
        background); the school's database is left as it is."""
        from digcomp_app.services import accounts
        from digcomp_app.services.database import Database
        from digcomp_app.ui.tasks import Cancelled, run_task

        if self.db is None or self.is_demo or self.demo_task is not None:
            return
        path = demo_database_path()
        hasher = self.db.hasher
        if path.resolve() == _sqlite_file(self.db.url):
            return  # never the school's own database

        def work(report, cancelled):
            from digcomp_app.showcase import demo

            path.parent.mkdir(parents=True, exist_ok=True)
            db = Database(f"sqlite:///{path}", password_hasher=hasher)
            try:
                if accounts.needs_first_administrator(db, None):
                    report(0, 0, _("Making the demo school (this takes a little while)…"))
                    demo.create_school(db, None)
            except BaseException:
                db.close()
                raise
            if cancelled():
                db.close()
                raise Cancelled()
            return db

        def done(db: Database) -> None:
            self.demo_task = None
            self._use_demo(db)

        handle = run_task(self, _("Opening the demo school…"), work, done)
        handle.done.connect(lambda: setattr(self, "demo_task", None))
        self.demo_task = handle

    def _use_demo(self, demo_db: Database) -> None:
        self.sign_out()
        self.real_db, self.db = self.db, demo_db
        self._show_sign_in()
        assert self.sign_in is not None
        self.sign_in.reset(
            "admin",
            _(
                "This is the DEMO SCHOOL: made-up people in a separate file. Every demo user's "
                "password is “demo” (admin, coordinator, teacher1, learner01…). Your school's "
                "database is not touched; File → Leave the demo school goes back to it."
            ),
        )
        self.retranslate()

    def leave_demo(self) -> None:
        """Back to the school's own database (the demo file is kept for next time)."""
        if self.real_db is None:
            return
        self.sign_out()
        demo_db, self.db, self.real_db = self.db, self.real_db, None
        self._show_sign_in()
        if demo_db is not None:
            demo_db.close()
        self.retranslate()

    def _close_workspace(self) -> None:
        if self.workspace is not None:
            self.pages.removeWidget(self.workspace)
            self.workspace.deleteLater()
            self.workspace = None

    # --- unsaved changes --------------------------------------------------------------

    def edit_forms(self) -> list[object]:
        """The forms of the open workspace (they may hold unsaved changes): its open dialogs
        first, then its screens."""
        if self.workspace is None:
            return []
        from digcomp_app.ui.unsaved import GuardedDialog

        dialogs = [d for d in self.findChildren(GuardedDialog) if d.isVisible()]
        return [*reversed(dialogs), *self.workspace.edit_forms()]

    def may_leave_workspace(self) -> bool:
        """Ask Save / Discard / Cancel for each form with unsaved changes; True to go on."""
        from digcomp_app.ui.unsaved import confirm_leave

        return confirm_leave(self, self.edit_forms())

    def request_quit(self) -> None:
        """File → Quit (Ctrl+Q): after unsaved changes were saved or discarded."""
        if self.pages.currentWidget() is not self.workspace or self.may_leave_workspace():
            self._leaving = True
            self.close()

    def request_sign_out(self) -> None:
        """File → Sign out: after unsaved changes were saved or discarded."""
        if self.may_leave_workspace():
            self.sign_out()

    def request_lock(self) -> None:
        """File → Lock the screen: after unsaved changes were saved or discarded. (The idle
        lock asks nothing, nobody is there: the changes wait behind the lock for the same
        person.)"""
        if self.pages.currentWidget() is self.workspace and self.may_leave_workspace():
            self.lock()

    def sign_out(self) -> None:
        """Close the workspace at once (unsaved changes are dropped: ask first, see
        :meth:`request_sign_out`)."""
        self._close_workspace()
        self._drop_password_page()
        self.actor = None
        self.idle_timer.stop()
        self._watch_input(False)
        self.statusBar().clearMessage()  # the next person sees nothing of this session
        if self.sign_in is not None:
            self.sign_in.reset()
            self.pages.setCurrentWidget(self.sign_in)
            self.sign_in.take_focus()
        self.retranslate()

    def _watch_account(self) -> None:
        if self.account_watch is None:
            from digcomp_app.ui.account_watch import AccountWatch

            self.account_watch = AccountWatch(self, self.account_changed)

    def account_changed(self, db: Database, actor: Actor) -> None:
        """A service refused the signed-in person because an administrator changed their
        account (see services/permissions.py): sign out at once, without questions.

        Open dialogs of this window are closed (the refusal's own message box too) and
        unsaved input in the workspace is dropped: the person may no longer make it."""
        if db is not self.db or self.actor is None or actor.user_id != self.actor.user_id:
            return  # another window's, or already signed out
        from PySide6.QtWidgets import QDialog

        for _attempt in range(20):
            dialog = QApplication.activeModalWidget()
            if not isinstance(dialog, QDialog) or not self._owns(dialog):
                break
            QDialog.reject(dialog)  # without the unsaved-changes question
        self.sign_out()
        if self.sign_in is not None:
            self.sign_in.reset(
                "",
                _("Your account was changed by an administrator: sign in again."),
            )
            self.pages.setCurrentWidget(self.sign_in)

    def _owns(self, dialog: QWidget) -> bool:
        """True for a dialog opened over this window (or over no window at all)."""
        parent = dialog.parentWidget()
        while parent is not None and parent is not self:
            parent = parent.parentWidget()
        return parent is self or dialog.parentWidget() is None

    def lock(self) -> None:
        """Hide the work behind the sign-in page; the same user carries on after signing in."""
        if self.actor is None or self.sign_in is None:
            return
        self.idle_timer.stop()
        self._watch_input(False)
        if self.workspace is not None:
            self.workspace.context.signer = None  # the passphrase is asked again
        note = _(
            "The screen was locked. Sign in again to continue, or sign in as someone else "
            "(the open work is then closed)."
        )
        if any(getattr(form, "has_unsaved_changes", lambda: False)() for form in self.edit_forms()):
            note += " " + _(
                "There are unsaved changes: they are kept for {user} and lost if someone "
                "else signs in."
            ).format(user=self.actor.username)
        self.sign_in.reset(self.actor.username, note)
        self.pages.setCurrentWidget(self.sign_in)
        self.sign_in.take_focus()
        self.statusBar().clearMessage()

    def _restart_idle_timer(self) -> None:
        if (
            self.actor is not None
            and self.idle_minutes > 0
            and self.pages.currentWidget() is self.workspace
        ):
            self.idle_timer.start(self.idle_minutes * 60_000)
            self._watch_input(True)

    def _watch_input(self, on: bool) -> None:
        """Watch the program's windows for input (to restart the idle timer).

        The filter sits on each window (QWindow), where the system delivers every key,
        click, mouse move, wheel turn and touch first, and not on the whole application: a
        filter there is called for every event of every object (each widget's polish,
        layout and paint, the "blocked" Qt sends every widget of the main window as a dialog
        opens and closes), each one a call into Python, a fifth of the CPU of opening the
        screens. A window opened later (a dialog, a menu, a list that drops down) is watched
        from the focus change or the input that opened it."""
        app = QApplication.instance()
        if not isinstance(app, QApplication) or on == self._watching_input:
            return
        self._watching_input = on
        if on:
            app.focusWindowChanged.connect(self._watch_windows)
            self._watch_windows()
        else:
            app.focusWindowChanged.disconnect(self._watch_windows)
            for window in QApplication.topLevelWindows():
                window.removeEventFilter(self)

    def _watch_windows(self, *_focus: object) -> None:
        """Every window of the program watched, those opened since the last look too."""
        self._windows_pending = False
        if self._watching_input:
            for window in QApplication.topLevelWindows():
                window.installEventFilter(self)  # (once: installed again, it is moved)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        # The events of the windows pass here: the input events are told apart by their
        # class first (asking an event its type makes a Python enum, each time).
        if (
            isinstance(event, _input_event_class())
            and event.type() in input_events()
            and self.idle_timer.isActive()
        ):
            self.idle_timer.start()
            if not self._windows_pending:  # a window this input opens is watched too
                self._windows_pending = True
                QTimer.singleShot(0, self._watch_windows)
        return False

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self._pending_open:
            self._pending_open = False
            # after the paint is done (zero-delay timers queued by the paint run first)
            QTimer.singleShot(10, self._open_in_background)

    # --- language and about -------------------------------------------------------

    def switch_language(self, language: str) -> None:
        """Change the language at once and remember it for the next start."""
        set_language(language)
        save_settings(load_settings().with_changes(language=language))

    def _lock_language_menu(self) -> None:
        """A language locked by the school's IT: the choices are shown, disabled, and say why."""
        settings = load_settings()
        if not settings.is_locked("language"):
            return
        from digcomp_app.services.configuration import locked_explanation

        why = locked_explanation(settings.machine_file)
        self.language_menu.setToolTip(why)
        self.language_menu.setToolTipsVisible(True)
        for action in self.language_actions.values():
            action.setEnabled(False)
            action.setToolTip(why)

    def _on_language_changed(self, _language: str) -> None:
        # a status message stays in the language it was written in: it goes instead
        self.statusBar().clearMessage()
        self.retranslate()

    # --- size and text size -----------------------------------------------------------

    def set_text_size(self, percent: int) -> None:
        """Make all text of the window ``percent`` % of the system's size; remembered."""
        apply_text_size(percent)
        save_settings(load_settings().with_changes(text_size=percent))
        self.retranslate()

    def setVisible(self, visible: bool) -> None:  # noqa: N802 - Qt's name
        if visible and not self._placed:
            self._placed = True
            # Nobody chose a size (nor resized the window since it was made). Not asked with
            # testAttribute(WA_Resized): Python's first use of the Qt namespace builds all its
            # enums, milliseconds that the first paint should not wait for (decision 0014).
            if self.size() == self._made_size:
                self.place_on_screen()
        super().setVisible(visible)

    def place_on_screen(self) -> None:
        """Where the window was last time if that still fits a screen; else sized to the
        screen's free room (without the taskbar), maximised on a small screen."""
        from PySide6.QtCore import QByteArray

        saved = load_settings().window_geometry
        if saved and self.restoreGeometry(QByteArray.fromBase64(saved.encode("ascii"))):
            return
        screen = self.screen() or QApplication.primaryScreen()
        if screen is None:
            self.resize(1200, 720)
            return
        room = screen.availableGeometry()
        # the title bar and frame are outside the window's own size
        frame = max(0, self.frameGeometry().height() - self.geometry().height()) or 40
        width = min(1280, room.width() - 40)
        height = min(860, room.height() - frame - 20)
        self.resize(max(width, self.minimumWidth()), max(height, self.minimumHeight()))
        self.move(
            room.x() + (room.width() - self.width()) // 2,
            room.y() + max(0, (room.height() - self.height() - frame) // 2),
        )
        if room.width() < SMALL_SCREEN[0] or room.height() < SMALL_SCREEN[1]:
            self.showMaximized()  # (from setVisible: shows it maximised, setVisible goes on)

    def _remember_geometry(self) -> None:
        geometry = bytes(self.saveGeometry().toBase64().data()).decode("ascii")
        with contextlib.suppress(OSError):
            save_settings(load_settings().with_changes(window_geometry=geometry))

    def retranslate(self) -> None:
        title = _("DigComp recognition")
        if self.is_demo:
            title = _("DEMO SCHOOL") + " — " + title
        self.setWindowTitle(title)
        self.leave_demo_action.setText(_("Leave the &demo school"))
        self.leave_demo_action.setVisible(self.is_demo)
        self.file_menu.setTitle(_("&File"))
        self.lock_action.setText(_("&Lock the screen"))
        self.sign_out_action.setText(_("Sign &out"))
        self.quit_action.setText(_("&Quit"))
        self.view_menu.setTitle(_("&View"))
        self.next_action.setText(_("&Next screen"))
        self.previous_action.setText(_("&Previous screen"))
        self.language_menu.setTitle(_("&Language"))
        self.text_size_menu.setTitle(_("&Text size"))
        for percent, action in self.text_size_actions.items():
            action.setText(_("{percent} %").format(percent=percent))
        applied = self.text_size_actions.get(text_size())
        if applied is not None:
            applied.setChecked(True)
        self.help_menu.setTitle(_("&Help"))
        self.about_action.setText(_("&About DigComp recognition"))
        self.guide_action.setText(_("&User guide"))
        if self.guide is not None:
            self.guide.retranslate()  # type: ignore[attr-defined]
        self.language_actions[current_language()].setChecked(True)
        self._lock_language_menu()
        signed_in = self.actor is not None
        for action in (
            self.lock_action,
            self.sign_out_action,
            self.next_action,
            self.previous_action,
        ):
            action.setEnabled(signed_in)
        self.problem_label.setText(self._problem or _("Opening the database…"))
        if self.sign_in is not None:
            self.sign_in.retranslate()
        if self.password_page is not None:
            self.password_page.retranslate()
        if self.workspace is not None:
            self.workspace.retranslate()

    def about_html(self) -> str:
        from html import escape

        language = current_language()
        summary = _(
            "Self-assess, evidence, assess and certify digital competences against "
            "the EU DigComp framework."
        )
        parts = [
            "<h3>" + escape(_("DigComp recognition")) + " " + escape(__version__) + "</h3>",
            f"<p>{escape(summary)}</p>",
        ]
        from digcomp_app.framework import FrameworkError, builtin_library

        try:
            frameworks = list(builtin_library())
        except FrameworkError:
            frameworks = []
        for framework in frameworks:
            parts.append(
                f"<p><b>{escape(framework.title.get(language))}</b><br>"
                f"{escape(framework.attribution.get(language))}<br>"
                f'<a href="{escape(framework.licence.url)}">'
                f"{escape(framework.licence.spdx)}</a></p>"
            )
        from digcomp_app.framework.digcompsat import builtin_bank

        try:
            bank = builtin_bank()
        except (OSError, ValueError):
            bank = None
        if bank is not None:
            heading = _("Digital skills test items (DigCompSAT)")
            parts.append(
                f"<p><b>{escape(heading)}</b><br>"
                f"{escape(str(bank.source['citation']))}, doi:{escape(str(bank.source['doi']))}"
                "<br>"
                + escape(
                    _(
                        "Changes: converted to this application's format; the English item Q30 "
                        "repaired; the mapping to competences is the application's own."
                    )
                )
                + f'<br><a href="{escape(bank.licence["url"])}">'
                f"{escape(bank.licence['spdx'])}</a></p>"
            )
        return "".join(parts)

    def help_topic(self) -> str:
        """The user guide's topic for what is shown: the screen, or signing in."""
        if self.workspace is not None and self.pages.currentWidget() is self.workspace:
            return self.workspace.current_id()
        return "sign_in"

    def show_guide(self) -> None:
        """Help → User guide (F1): the part about the screen shown, beside the window."""
        from digcomp_app.ui.help import HelpDialog

        if self.guide is None:
            self.guide = HelpDialog(self.help_topic(), self)
        else:
            self.guide.show_topic(self.help_topic())  # type: ignore[attr-defined]
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def show_about(self) -> None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.about(self, _("About DigComp recognition"), self.about_html())

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 - Qt's name
        # The window's close button (the system's own close: a spontaneous event) asks like
        # Quit; a close by the program itself (e.g. at its end) does not.
        if (
            event.spontaneous()
            and not self._leaving
            and self.pages.currentWidget() is self.workspace
            and not self.may_leave_workspace()
        ):
            event.ignore()  # Cancel: the window stays with the changes
            return
        self._leaving = False
        if self._placed:
            self._remember_geometry()
        remove_language_listener(self._on_language_changed)
        self._watch_input(False)
        self.idle_timer.stop()
        if self.account_watch is not None:
            self.account_watch.stop()
        # no thread of this window may run on while its objects go (the database opening,
        # printing, the demo school): cancelled and waited for
        from digcomp_app.ui import tasks

        tasks.stop_all()
        self.loader = None
        super().closeEvent(event)


def _sqlite_file(url: str) -> Path | None:
    """The resolved file of an SQLite database URL (None for any other database)."""
    from digcomp_app.ui.screens.database import urls

    if not urls.is_sqlite(url) or not urls.sqlite_file(url):
        return None
    return Path(urls.sqlite_file(url)).resolve()
