"""Each role's home page says what needs doing, and one click on an item opens it on its
screen; a new school's empty database says what to do first."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication

from digcomp_app.services import accounts, home, self_assessment
from digcomp_app.services.database import Database
from digcomp_app.ui.main_window import MainWindow
from tests.services.conftest import FAST_HASHER
from tests.ui.conftest import sign_in

LEFT = Qt.MouseButton.LeftButton


def home_page(window):
    assert window.workspace is not None
    assert window.workspace.current_id() == "home"
    return window.workspace.screen("home")


def click(qtbot, button):
    assert button.isVisible(), button.text()
    qtbot.mouseClick(button, LEFT)


def test_teacher_sees_cases_per_stage_and_opens_one(qtbot, window):
    teacher = accounts.authenticate(window.db, None, "teacher1", "demo")
    data = home.teacher(window.db, teacher)
    sign_in(qtbot, window, "teacher1")
    page = home_page(window)
    card = page.cards["cases"]
    for stage, count in data.stage_counts:
        if count:
            assert f"{stage.capitalize()} {count}" in card.summary.text()
    first = sorted(
        data.open_cases,
        key=lambda c: (home.OPEN_STAGES.index(c.stage), c.updated_at, c.case_id),
    )[0]
    button = card.buttons[0]
    assert first.learner_name in button.text()
    click(qtbot, button)
    assert window.workspace.current_id() == "cases"
    cases = window.workspace.screen("cases")
    assert cases.case.learner_id == first.learner_id
    assert cases.learners.current_learner()[0] == first.learner_id
    assert "None: every level is close" in page.cards["gaps"].empty.text()


def test_teacher_sees_a_large_difference_and_opens_its_case(qtbot, window):
    from tests.services.test_home import big_gap

    teacher = accounts.authenticate(window.db, None, "teacher1", "demo")
    case_id, competence, own, target = big_gap(window.db, teacher)
    sign_in(qtbot, window, "teacher1")
    card = home_page(window).cards["gaps"]
    (button,) = card.buttons
    assert f"{competence} " in button.text()
    assert f"own rating {own}, target {target}" in button.text()
    click(qtbot, button)
    cases = window.workspace.screen("cases")
    assert window.workspace.current_id() == "cases"
    assert cases.case.case is not None and cases.case.case.id == case_id


def test_coordinator_opens_a_waiting_case_and_a_mobility_ending_soon(qtbot, window):
    coordinator = accounts.authenticate(window.db, None, "coordinator", "demo")
    data = home.coordinator(window.db, coordinator)
    sign_in(qtbot, window, "coordinator")
    page = home_page(window)
    waiting = page.cards["waiting"]
    assert len(waiting.buttons) == len(data.waiting)
    assert f"{len(data.waiting)} cases sent by teachers." == waiting.summary.text()
    click(qtbot, waiting.buttons[-1])
    assert window.workspace.current_id() == "certification"
    screen = window.workspace.screen("certification")
    assert screen.tabs.currentWidget() is screen.queue
    assert screen.queue.selected_case().id == data.waiting[-1].case_id

    window.workspace.show_screen("home")
    ending = page.cards["ending_soon"]
    line = data.ending_soon[0]
    button = ending.button(line.code)
    assert f"(in {line.days_left} days)" in button.text()
    click(qtbot, button)
    assert window.workspace.current_id() == "mobilities"
    assert window.workspace.screen("mobilities").editor.mobility.id == line.mobility_id


def test_administrator_sees_backup_key_and_accounts_on_one_time_passwords(qtbot, window):
    admin = accounts.authenticate(window.db, None, "admin", "demo")
    person = next(u for u in accounts.list_users(window.db, admin) if u.username == "learner02")
    accounts.reset_password(window.db, admin, person.id)
    sign_in(qtbot, window, "admin")
    page = home_page(window)
    assert page.cards["backup"].summary.text() == "No backup has been made yet."
    assert "in use since" in page.cards["signing_key"].summary.text()
    accounts_card = page.cards["no_password"]
    assert [b.text() for b in accounts_card.buttons] == [f"{person.display_name} (learner02)"]
    assert "first_steps" not in page.cards  # the demo school has learners and staff
    click(qtbot, accounts_card.buttons[0])
    assert window.workspace.current_id() == "users"
    assert window.workspace.screen("users").selected_user().username == "learner02"
    window.workspace.show_screen("home")
    click(qtbot, page.cards["backup"].buttons[0])
    assert window.workspace.current_id() == "database"


def test_learner_continues_an_unfinished_self_assessment_in_one_click(qtbot, window):
    learner = accounts.authenticate(window.db, None, "learner01", "demo")
    started = self_assessment.start(window.db, learner, "digcomp", "3.0")
    sign_in(qtbot, window, "learner01")
    card = home_page(window).cards["self_assessment"]
    button = card.button("Finish your self-assessment")
    assert "(0 of 21 answered)" in button.text()
    click(qtbot, button)
    assert window.workspace.current_id() == "self_assessment"
    screen = window.workspace.screen("self_assessment")
    assert screen.pages.currentWidget() is screen.questionnaire
    assert screen.questionnaire.info.id == started.id


def test_learner_starts_the_self_assessment_due_after_a_mobility(qtbot, window):
    """A learner of the mobility under way: its "after" self-assessment is offered."""
    db = window.db
    for number in range(1, 25):
        learner = accounts.authenticate(db, None, f"learner{number:02}", "demo")
        due = [t for t in home.learner(db, learner).todos if not t.unfinished]
        if due:
            break
    else:
        pytest.fail("no demo learner has a self-assessment to start")
    todo = due[0]
    sign_in(qtbot, window, learner.username)
    button = home_page(window).cards["self_assessment"].button(todo.mobility_title)
    assert button.text().startswith("Start the self-assessment")
    click(qtbot, button)
    screen = window.workspace.screen("self_assessment")
    assert screen.pages.currentWidget() is screen.questionnaire
    info = screen.questionnaire.info
    assert (info.mobility_id, info.moment) == (todo.mobility_id, todo.moment)


def test_home_page_in_latvian(qtbot, window):
    sign_in(qtbot, window, "coordinator")
    window.language_actions["lv"].trigger()
    page = home_page(window)
    assert page.cards["waiting"].title.text() == "Gaida apstiprināšanu"
    assert page.cards["ending_soon"].title.text() == "Mobilitātes, kas drīz beidzas"


@pytest.fixture
def new_school(qtbot, tmp_path):
    db = Database(f"sqlite:///{tmp_path / 'new.sqlite3'}", password_hasher=FAST_HASHER)
    accounts.create_first_administrator(db, None, "rector", "Rūta Ozola", "first admin pw")
    win = MainWindow(db)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    db.close()


def test_an_empty_school_says_what_to_do_first(qtbot, new_school):
    from digcomp_app.ui.screens.rosters.wizard import ImportWizard

    sign_in(qtbot, new_school, "rector", "first admin pw")
    page = home_page(new_school)
    steps = page.cards["first_steps"]
    assert steps.item_texts() == [
        "Import the learners from the school register",
        "Import the staff: teachers and coordinators",
    ]
    assert "no signing key" in page.cards["signing_key"].summary.text()
    assert page.cards["no_password"].empty.isVisible()
    seen = []

    def close_the_wizard():
        wizard = QApplication.activeModalWidget()
        if not isinstance(wizard, ImportWizard):
            QTimer.singleShot(50, close_the_wizard)
            return
        seen.append((wizard.kind, new_school.workspace.current_id()))
        wizard.reject()

    QTimer.singleShot(50, close_the_wizard)
    click(qtbot, steps.buttons[0])
    qtbot.waitUntil(lambda: bool(seen), timeout=10_000)
    assert seen == [("learners", "learners")]
