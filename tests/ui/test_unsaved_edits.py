"""Never lose an edit: every form with unsaved changes asks Save / Discard / Cancel before the
window quits, signs out, locks or shows another screen, and a dialog before it closes.

Each form is walked as a person would: a field is edited, then the window is quit, signed
out or moved to another screen; the question is answered by clicking its buttons, and what
is stored is read back through the services. ``test_every_form_is_walked`` fails when a
class with input fields appears that is neither walked here nor said not to be a form."""

from __future__ import annotations

import ast
import importlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from digcomp_app.services import (
    accounts,
    consent,
    evidence,
    learners,
    mobilities,
    organisations,
    retention,
    validation,
)
from digcomp_app.services import self_assessment as self_assessments
from digcomp_app.services.permissions import Role
from digcomp_app.settings import load_settings
from digcomp_app.ui.unsaved import QUESTION_NAME, GuardedDialog
from tests.ui.conftest import sign_in

UI = Path(__file__).parents[2] / "digcomp_app" / "ui"
INPUTS = {
    "QLineEdit",
    "QPlainTextEdit",
    "QTextEdit",
    "QSpinBox",
    "QDoubleSpinBox",
    "QDateEdit",
    "QComboBox",
    "QCheckBox",
    "QRadioButton",
}


class Answerer:
    """Answers the unsaved-changes question (when it comes) with one of its buttons."""

    ROLES: ClassVar[dict[str, QMessageBox.ButtonRole]] = {
        "save": QMessageBox.ButtonRole.AcceptRole,
        "discard": QMessageBox.ButtonRole.DestructiveRole,
        "cancel": QMessageBox.ButtonRole.RejectRole,
    }

    def __init__(self, choice: str) -> None:
        self.choice = choice
        self.asked: list[str] = []
        self.timer = QTimer()
        self.timer.timeout.connect(self._poll)
        self.timer.start(20)

    def _poll(self) -> None:
        for widget in QApplication.topLevelWidgets():
            if (
                isinstance(widget, QMessageBox)
                and widget.objectName() == QUESTION_NAME
                and widget.isVisible()
            ):
                self.asked.append(widget.text())
                role = self.ROLES[self.choice]
                button = next(b for b in widget.buttons() if widget.buttonRole(b) == role)
                button.click()
                return


@contextmanager
def answering(choice: str, expect: bool = True) -> Iterator[Answerer]:
    answerer = Answerer(choice)
    try:
        yield answerer
    finally:
        answerer.timer.stop()
    assert len(answerer.asked) == (1 if expect else 0), answerer.asked


def quit_with_ctrl_q(qtbot, window) -> None:
    """Ctrl+Q as typed on the keyboard (File → Quit)."""
    if open_dialog(window) is not None:
        # a dialog is open: its window has no Quit; the menu's action (as the system's
        # "quit" would)
        window.quit_action.trigger()
        return
    window.activateWindow()
    qtbot.waitActive(window)
    target = QApplication.focusWidget() or window
    qtbot.keyClick(target, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)


def replace(qtbot, field, text: str) -> None:
    field.setFocus()
    field.selectAll()
    qtbot.keyClick(field, Qt.Key.Key_Delete)
    qtbot.keyClicks(field, text)


# --- the forms ----------------------------------------------------------------------------


@dataclass
class Form:
    user: str
    screen: str
    #: opens the form (after signing in and showing the screen) and returns what is edited
    open: Callable
    #: types the change into the opened form
    edit: Callable
    #: what the service stores now (read back after each answer)
    stored: Callable
    #: a dialog (closed with Esc) or a screen (left for another screen)
    dialog: bool = False


def school_open(qtbot, window, screen):
    return screen


def school_edit(qtbot, window, screen):
    replace(qtbot, screen.fields["name"], "Jauna skola")


def school_stored(window, actor):
    return organisations.get_home(window.db, actor).name


def mobility_open(qtbot, window, screen):
    first = mobilities.list_all(window.db, window.actor)[0]
    assert screen.select_mobility(first.id)
    screen.mobility_id = first.id
    return screen


def mobility_edit(qtbot, window, screen):
    replace(qtbot, screen.editor.form.title, "Jauns nosaukums")


def mobility_stored(window, actor):
    screen_id = mobilities.list_all(window.db, actor)[0].id
    return mobilities.get(window.db, actor, screen_id).title


def _assessed_case(window, actor):
    return next(
        c
        for c in validation.list_cases(window.db, actor)
        if c.stage == "assessment" and c.assessments
    )


def case_open(qtbot, window, screen):
    case = _assessed_case(window, window.actor)
    screen.learners.select_learner(case.learner_id, None)
    qtbot.waitUntil(lambda: screen.case.case is not None and screen.case.case.id == case.id)
    screen.case.assessment.select_competence(case.assessments[0].competence_id)
    return screen


def case_edit(qtbot, window, screen):
    form = screen.case.assessment.form
    replace(qtbot, form.comment, "Jauns komentars.")


def case_stored(window, actor):
    case = _assessed_case(window, actor)
    fresh = validation.get_case(window.db, actor, case.id)
    return fresh.assessment_for(case.assessments[0].competence_id).comment


def note_open(qtbot, window, screen):
    qtbot.mouseClick(screen.start_page.start_button, Qt.MouseButton.LeftButton)
    questionnaire = screen.questionnaire
    qtbot.waitUntil(lambda: screen.pages.currentWidget() is questionnaire)
    ids = [c.id for c in questionnaire._competences]
    questionnaire.go(ids.index("2.4"))
    return screen


def note_edit(qtbot, window, screen):
    replace(qtbot, screen.questionnaire.panel.note, "Darbs prakse")


def note_stored(window, actor):
    (last,) = [
        s
        for s in self_assessments.history(window.db, actor, actor.learner_id)
        if s.completed_at is None
    ]
    answer = last.answer_for("2.4")
    return answer.note if answer else None


def database_open(qtbot, window, screen):
    return screen


def database_edit(qtbot, window, screen):
    replace(qtbot, screen.connection.file, str(Path(window.db.url[10:]).parent / "other.db"))


def database_stored(window, actor):
    return load_settings().database_url


def open_dialog(window) -> GuardedDialog | None:
    shown = [d for d in window.findChildren(GuardedDialog) if d.isVisible()]
    return shown[-1] if shown else None


def _dialog(screen_attr: Callable, opener: Callable) -> Callable:
    def open_(qtbot, window, screen):
        opener(qtbot, screen)
        qtbot.waitUntil(lambda: open_dialog(window) is not None)
        return open_dialog(window)

    return open_


def user_edit(qtbot, window, dialog):
    qtbot.keyClicks(dialog.username, "jauns.lietotajs")
    qtbot.keyClicks(dialog.password, "parole-123")
    qtbot.keyClicks(dialog.repeat, "parole-123")
    dialog.roles.boxes[Role.TEACHER].setChecked(True)


def user_stored(window, actor):
    return "jauns.lietotajs" in {u.username for u in accounts.list_users(window.db, actor)}


def _first_learner(window, actor):
    return learners.search(window.db, actor, "")[0]


def consents_open(qtbot, screen):
    tab = screen.learners_tab
    assert tab.select_learners(_first_learner(screen.window(), screen.window().actor).id) == 1
    tab.open_consents()


def consents_edit(qtbot, window, dialog):
    qtbot.keyClicks(dialog.giver_name, "Janis Vecaks")


def consents_stored(window, actor):
    learner = _first_learner(window, actor)
    return "Janis Vecaks" in {
        c.giver_name for c in consent.list_consents(window.db, actor, learner.id)
    }


def retention_edit(qtbot, window, dialog):
    dialog.evidence_years.setFocus()
    for _step in range(7 - dialog.evidence_years.value()):
        qtbot.keyClick(dialog.evidence_years, Qt.Key.Key_Up)


def retention_stored(window, actor):
    return retention.retention_rules(window.db, actor).evidence_years == 7


def group_edit(qtbot, window, dialog):
    qtbot.keyClicks(dialog.name, "JAUNA-1")


def group_stored(window, actor):
    return "JAUNA-1" in {g.name for g in learners.list_groups(window.db, actor)}


FORMS: dict[str, Form] = {
    "OrganisationScreen": Form("admin", "organisation", school_open, school_edit, school_stored),
    "MobilitiesScreen": Form(
        "coordinator", "mobilities", mobility_open, mobility_edit, mobility_stored
    ),
    "ConnectionBox": Form("admin", "database", database_open, database_edit, database_stored),
    "AddUserDialog": Form(
        "admin",
        "users",
        _dialog(None, lambda qtbot, s: s.add_user()),
        user_edit,
        user_stored,
        dialog=True,
    ),
    "GroupDialog": Form(
        "admin",
        "learners",
        _dialog(None, lambda qtbot, s: s.groups_tab.new_group()),
        group_edit,
        group_stored,
        dialog=True,
    ),
    "LearnerDialog": Form(
        "admin",
        "learners",
        _dialog(None, lambda qtbot, s: s.learners_tab.new_learner()),
        lambda qtbot, window, d: (
            qtbot.keyClicks(d.given_names, "Janis"),
            qtbot.keyClicks(d.surname, "Jaunais"),
            qtbot.keyClicks(d.number, "990001"),
        ),
        lambda window, actor: (
            "Jaunais" in {x.surname for x in learners.search(window.db, actor, "Jaunais")}
        ),
        dialog=True,
    ),
    "CasePanel": Form("teacher1", "cases", case_open, case_edit, case_stored),
    "SelfAssessmentScreen": Form("learner03", "self_assessment", note_open, note_edit, note_stored),
    "ConsentsDialog": Form(
        "admin",
        "learners",
        _dialog(None, consents_open),
        consents_edit,
        consents_stored,
        dialog=True,
    ),
    "RetentionDialog": Form(
        "admin",
        "learners",
        _dialog(None, lambda qtbot, s: s.learners_tab.open_retention()),
        retention_edit,
        retention_stored,
        dialog=True,
    ),
}


# --- dialogs opened with exec(): driven from a timer while their own event loop runs -------


def evidence_note_open(qtbot, window, screen):
    case_open(qtbot, window, screen)
    screen.case.evidence.add_note()  # exec(): returns when the dialog has closed


def evidence_note_edit(qtbot, window, dialog):
    qtbot.keyClicks(dialog.title, "Jauna piezime")
    qtbot.keyClicks(dialog.text, "Noverots darba vieta.")
    first = dialog.competences.item(0)
    first.setCheckState(Qt.CheckState.Checked)


def evidence_note_stored(window, actor):
    case = _assessed_case(window, actor)
    return "Jauna piezime" in {e.title for e in evidence.list_items(window.db, actor, case.id)}


def new_host_open(qtbot, window, screen):
    screen.editor.add_host()  # exec()


def new_host_edit(qtbot, window, dialog):
    qtbot.keyClicks(dialog.name, "Jauns uznemums")
    qtbot.keyClicks(dialog.country, "DE")


def new_host_stored(window, actor):
    return "Jauns uznemums" in {o.name for o in organisations.list_all(window.db, actor)}


MODAL: dict[str, Form] = {
    "NoteDialog": Form(
        "teacher1", "cases", evidence_note_open, evidence_note_edit, evidence_note_stored
    ),
    "NewHostDialog": Form(
        "coordinator", "mobilities", new_host_open, new_host_edit, new_host_stored
    ),
}

NOT_WALKED_YET: dict[str, Form] = {}

#: inside a walked form (its screen lists it)
PARTS = {
    "AssessmentForm": "the assessment of the CasePanel",
    "TargetsPage": "the targets of the CasePanel (same save/discard as the assessment)",
    "MobilityForm": "the details of MobilitiesScreen",
    "TeachersBox": "MobilitiesScreen: a teacher is added at once, nothing waits",
    "PeoplePanel": "MobilitiesScreen: its field searches learners to add at once",
    "CompetencePanel": "the note of SelfAssessmentScreen (levels and ticks save at once)",
    "_EvidenceDialog": "the base of NoteDialog and LinkDialog",
}

#: guarded by GuardedDialog (the same mechanism as the dialogs walked above, which are its
#: test) but not walked one by one
GUARDED = {
    "LinkDialog",
    "TiesDialog",
    "ReasonDialog",
    "RevokeDialog",
    "StaffDialog",
    "MoveDialog",
    "CreateKeyDialog",
}

#: dialogs still to take GuardedDialog
TO_GUARD: set[str] = set()

#: classes with input fields that hold nothing to save
NOT_FORMS = {
    "EraseDialog": "a confirmation typed before erasing",
    "SignInPage": "signing in",
    "ChoosePasswordPage": "a password is chosen in one go; leaving it signs out",
    "SchoolSetup": "the first run's setup, before anyone is signed in",
    "PassphraseDialog": "a passphrase to unlock the key, nothing stored",
    "VerifyDialog": "checks a code, nothing stored",
    "PrintDialog": "print options",
    "FolderField": "print options",
    "LanguageChoice": "print options",
    "SlipsDialog": "saving sign-in slips",
    "OpenCaseDialog": "a choice of mobility and framework",
    "RestoreDialog": "restoring a backup is one action",
    "ImportWizard": "the import wizard asks before it closes (its own reject)",
    "FileStep": "a step of the ImportWizard",
    "ColumnsStep": "a step of the ImportWizard",
    "BackupBox": "a backup's passphrase, used at once",
    "LearnerPanel": "search field",
    "EvidencePreview": "read-only preview",
    "RegisterPanel": "search and filter",
    "FrameworkBrowser": "choice of framework to read",
    "MoodlePreviewDialog": "an import's preview: adding it is one action",
    "RegistrationDialog": "a number for one export, remembered at once",
    "LearnersTab": "search and filter",
    "GroupsTab": "filter",
    "UsersScreen": "search field",
    "ResultsScreen": "choice of what to show",
    "StartPage": "choice of framework before starting",
    "RoleBoxes": "part of the users' dialogs",
    "HelpDialog": "the choice of a topic in the user guide",
    "OverviewScreen": "filters of what to show; nothing is entered",
    "TestPage": "each answer of the skills test is saved as it is chosen",
}


def classes_with_inputs() -> set[str]:
    found = set()
    for path in UI.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ClassDef) and any(
                isinstance(n, ast.Call) and isinstance(n.func, ast.Name) and n.func.id in INPUTS
                for n in ast.walk(node)
            ):
                found.add(node.name)
    return found


def test_every_form_is_walked():
    """A new class with input fields must be walked here, or said not to be a form."""
    known = (
        set(FORMS)
        | set(MODAL)
        | set(NOT_WALKED_YET)
        | set(PARTS)
        | GUARDED
        | TO_GUARD
        | set(NOT_FORMS)
    )
    unknown = classes_with_inputs() - known
    assert not unknown, f"walk these forms in {__name__} (or say why they are not forms)"
    # every guarded dialog class really has the mechanism

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    for path in UI.rglob("*.py"):  # every class of ui/ defined, not only those imported so far
        parts = path.relative_to(UI.parents[1]).with_suffix("").parts
        importlib.import_module(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    guarded = {c.__name__ for c in subclasses(GuardedDialog)}
    dialogs = {name for name, form in FORMS.items() if form.dialog} | set(MODAL)
    assert (GUARDED | dialogs) <= guarded
    protocol = ("has_unsaved_changes", "save_changes", "discard_changes", "unsaved_title")
    assert all(callable(getattr(GuardedDialog, name, None)) for name in protocol)


def open_form(qtbot, window, form: Form):
    sign_in(qtbot, window, form.user)
    assert window.workspace is not None, form.user
    actor = window.actor
    window.workspace.show_screen(form.screen)
    assert window.workspace.current_id() == form.screen
    screen = window.workspace.screen(form.screen)
    return actor, form.open(qtbot, window, screen)


@pytest.mark.parametrize("name", [n for n, f in FORMS.items() if not f.dialog])
def test_a_screen_asks_before_its_changes_go(qtbot, window, name):
    form = FORMS[name]
    actor, screen = open_form(qtbot, window, form)
    before = form.stored(window, actor)
    form.edit(qtbot, window, screen)

    # Quit, Cancel: the window stays with the change
    with answering("cancel") as answer:
        quit_with_ctrl_q(qtbot, window)
    assert form.user in answer.asked[0] or "not saved" in answer.asked[0]
    assert window.isVisible() and window.workspace is not None
    assert window.workspace.current_id() == form.screen
    assert any(f.has_unsaved_changes() for f in window.edit_forms())
    assert form.stored(window, actor) == before

    # Another screen, Cancel: still here
    with answering("cancel"):
        window.workspace.show_screen("home")
    assert window.workspace.current_id() == form.screen

    # Sign out, Discard: nothing is stored
    with answering("discard"):
        window.sign_out_action.trigger()
    assert window.workspace is None
    assert form.stored(window, actor) == before

    # Again; another screen, Save: stored
    actor, screen = open_form(qtbot, window, form)
    form.edit(qtbot, window, screen)
    with answering("save") as answer:
        window.workspace.show_screen("home")
    assert window.workspace.current_id() == "home", answer.asked
    after = form.stored(window, actor)
    assert after != before

    # Nothing left unsaved: quitting asks nothing
    with answering("cancel", expect=False):
        window.quit_action.trigger()
    assert not window.isVisible()


@pytest.mark.parametrize("name", [n for n, f in FORMS.items() if f.dialog])
def test_a_dialog_asks_before_its_input_goes(qtbot, window, name):
    form = FORMS[name]
    actor, dialog = open_form(qtbot, window, form)
    assert form.stored(window, actor) is False
    form.edit(qtbot, window, dialog)
    assert dialog.has_unsaved_changes()

    # Quit, Cancel: window and dialog stay, with the input
    with answering("cancel"):
        quit_with_ctrl_q(qtbot, window)
    assert window.isVisible() and dialog.isVisible() and dialog.has_unsaved_changes()

    # Sign out, Cancel: the same
    with answering("cancel"):
        window.sign_out_action.trigger()
    assert window.workspace is not None and dialog.isVisible()

    # Esc, Cancel: still open; Esc, Discard: closed, nothing stored
    with answering("cancel"):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    with answering("discard"):
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert form.stored(window, actor) is False

    # Again; closing it (the window's close button), Save: stored
    window.sign_out()
    actor, dialog = open_form(qtbot, window, form)
    form.edit(qtbot, window, dialog)
    with answering("save"):
        dialog.close()
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert form.stored(window, actor) is True


def while_modal(qtbot, window, form: Form, walk: Callable) -> None:
    """Open the exec() dialog of ``form`` and run ``walk(dialog)`` inside its event loop (from
    a timer that finds it as the application's active modal widget); the dialog is closed
    afterwards if the walk left it open. Failures of the walk are raised here."""
    failures: list[BaseException] = []

    def drive() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, GuardedDialog) or not dialog.isVisible():
            QTimer.singleShot(20, drive)
            return
        try:
            walk(dialog)
        except BaseException as failure:
            failures.append(failure)
        finally:
            if dialog.isVisible():
                QDialog.reject(dialog)

    actor = window.actor
    screen = window.workspace.screen(form.screen)
    QTimer.singleShot(0, drive)
    form.open(qtbot, window, screen)  # returns when the dialog has closed
    if failures:
        raise failures[0]
    assert actor is not None


@pytest.mark.parametrize("name", list(MODAL))
def test_a_dialog_opened_with_exec_asks_before_its_input_goes(qtbot, window, name):
    form = MODAL[name]
    actor, _screen = open_form_screen(qtbot, window, form)
    assert form.stored(window, actor) is False

    def cancel_then_discard(dialog) -> None:
        form.edit(qtbot, window, dialog)
        assert dialog.has_unsaved_changes()
        assert open_dialog(window) is dialog
        # Quit, Cancel: window and dialog stay, with the input
        with answering("cancel"):
            quit_with_ctrl_q(qtbot, window)
        assert window.isVisible() and dialog.isVisible() and dialog.has_unsaved_changes()
        # Sign out, Cancel: the same
        with answering("cancel"):
            window.sign_out_action.trigger()
        assert window.workspace is not None and dialog.isVisible()
        # Esc, Cancel: still open; Esc, Discard: closed
        with answering("cancel"):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert dialog.isVisible()
        with answering("discard"):
            qtbot.keyClick(dialog, Qt.Key.Key_Escape)
        assert not dialog.isVisible()

    while_modal(qtbot, window, form, cancel_then_discard)
    assert form.stored(window, actor) is False

    def close_and_save(dialog) -> None:
        form.edit(qtbot, window, dialog)
        with answering("save"):
            dialog.close()  # the window's close button
        assert not dialog.isVisible()

    while_modal(qtbot, window, form, close_and_save)
    assert form.stored(window, actor) is True


def open_form_screen(qtbot, window, form: Form):
    """Sign in and show the form's screen (the dialog is opened later)."""
    sign_in(qtbot, window, form.user)
    assert window.workspace is not None, form.user
    window.workspace.show_screen(form.screen)
    assert window.workspace.current_id() == form.screen
    return window.actor, window.workspace.screen(form.screen)


def test_a_privacy_dialogs_close_asks_as_it_saves_nothing_itself(qtbot, window):
    form = FORMS["ConsentsDialog"]
    actor, dialog = open_form(qtbot, window, form)
    form.edit(qtbot, window, dialog)
    with answering("cancel"):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.giver_name.text() == "Janis Vecaks"
    with answering("save"):
        qtbot.mouseClick(dialog.close_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    assert form.stored(window, actor) is True


def test_the_dialogs_own_cancel_drops_the_input_without_a_question(qtbot, window):
    form = FORMS["GroupDialog"]
    actor, dialog = open_form(qtbot, window, form)
    form.edit(qtbot, window, dialog)
    with answering("save", expect=False):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible() and form.stored(window, actor) is False


def test_lock_asks_and_the_idle_lock_keeps_the_changes_for_the_same_person(qtbot, window):
    form = FORMS["OrganisationScreen"]
    actor, screen = open_form(qtbot, window, form)
    form.edit(qtbot, window, screen)
    with answering("cancel"):
        window.lock_action.trigger()
    assert window.pages.currentWidget() is window.workspace
    # the idle lock: nobody is there to ask; the change waits for the same person
    with answering("cancel", expect=False):
        window.lock()
    assert "unsaved changes" in window.sign_in.note.text()
    qtbot.keyClicks(window.sign_in.password, "demo")
    qtbot.keyClick(window.sign_in.password, Qt.Key.Key_Return)
    assert window.workspace.screen("organisation").fields["name"].text() == "Jauna skola"
    with answering("save"):
        window.lock_action.trigger()
    assert window.pages.currentWidget() is window.sign_in
    assert form.stored(window, actor) == "Jauna skola"
