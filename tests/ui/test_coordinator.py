"""The coordinator's desk: mobilities (form, participants, teachers) and certification."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QApplication,
    QComboBox,
    QDialog,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPlainTextEdit,
    QSpinBox,
    QTabBar,
)

from digcomp_app.services import accounts, certificates, mobilities
from digcomp_app.services.mobilities import MobilityDraft
from digcomp_app.showcase.demo.content import SIGNING_PASSPHRASE
from digcomp_app.ui.screens.mobilities.widgets import DETAILS_ROLE
from digcomp_app.ui.signing import PassphraseDialog
from tests.ui.conftest import sign_in

CODE = "2027-1-LV01-KA121-VET-000555111-IT"


def when_modal(qtbot, handle, *, kind=QDialog) -> list[bool]:
    """Run ``handle(widget)`` on the next modal window (a dialog or a message box)."""
    done: list[bool] = []

    def poll(tries: int = 200) -> None:
        widget = QApplication.activeModalWidget()
        if isinstance(widget, kind) and widget.isVisible():
            handle(widget)
            done.append(True)
        elif tries:
            QTimer.singleShot(10, lambda: poll(tries - 1))

    QTimer.singleShot(0, poll)
    return done


def click_button(box: QMessageBox, text: str) -> None:
    button = next(b for b in box.buttons() if b.text().replace("&", "") == text)
    button.click()


def coordinator_screen(qtbot, window, screen_id: str):
    sign_in(qtbot, window, "coordinator")
    window.workspace.show_screen(screen_id)
    return window.workspace.screen(screen_id)


def test_coordinator_creates_a_mobility_with_a_new_host_participants_and_a_teacher(
    qtbot, window, demo_db
):
    screen = coordinator_screen(qtbot, window, "mobilities")
    coordinator = window.actor
    assert len(screen.listed_codes()) == 2  # the demo's two mobilities
    qtbot.mouseClick(screen.new_button, Qt.MouseButton.LeftButton)
    form = screen.editor.form
    assert form.sending.currentText().startswith("Daugavkrastu tehnikums")
    qtbot.keyClicks(form.code, CODE)
    qtbot.keyClicks(form.title, "Web development in a studio (Bologna)")

    # Saved without a host country: the field is highlighted and the problem said in words.
    qtbot.mouseClick(screen.editor.save_button, Qt.MouseButton.LeftButton)
    assert "host_country" in form.invalid_fields()
    assert "two-letter code" in screen.editor.error.text()
    assert mobilities.list_all(demo_db, coordinator, text=CODE) == []

    def add_host(dialog) -> None:
        qtbot.keyClicks(dialog.name, "Officina Digitale Bologna S.r.l.")
        qtbot.keyClicks(dialog.country, "it")
        qtbot.keyClicks(dialog.contact_person, "Giulia Rossi")
        qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)

    added = when_modal(qtbot, add_host)
    qtbot.mouseClick(form.add_host_button, Qt.MouseButton.LeftButton)
    assert added
    assert form.host.currentText() == "Officina Digitale Bologna S.r.l. (IT)"
    assert form.host_country.text() == "IT" and form.host_mentor.text() == "Giulia Rossi"
    assert form.invalid_fields() == []  # choosing a country cleared the highlight
    form.start_date.setDate(QDate(2027, 3, 1))  # through the calendar, as a person would
    form.end_date.setDate(QDate(2027, 3, 26))
    qtbot.keyClicks(form.objective, "Four weeks in a web studio.")
    window.activateWindow()  # back from the dialog
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    qtbot.keyClick(form.objective, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)  # Save

    found = mobilities.list_all(demo_db, coordinator, text=CODE)
    assert len(found) == 1
    created = found[0]
    assert created.title == "Web development in a studio (Bologna)"
    assert created.host_organisation == "Officina Digitale Bologna S.r.l."
    assert (created.host_country, created.host_mentor) == ("IT", "Giulia Rossi")
    assert (created.start_date, created.end_date) == (dt.date(2027, 3, 1), dt.date(2027, 3, 26))
    assert (created.framework_id, created.framework_version) == ("digcomp", "3.0")
    assert CODE in screen.listed_codes()
    assert screen.editor.mobility is not None and screen.editor.mobility.id == created.id
    # typing in the search box narrows the list as you type
    qtbot.keyClicks(screen.search, "bologna")
    assert screen.listed_codes() == [CODE]

    # participants: find by name (without accents), pick, add; they appear under "Taking part"
    people = screen.editor.people
    screen.editor.tabs.setCurrentWidget(people)
    assert [item_texts(people.current)] == [
        ["No learner takes part yet. Find learners on the right and add them."]
    ]
    qtbot.keyClicks(people.search, "berzin")
    assert people.results.count() == 1  # without accents
    people.search.clear()
    qtbot.keyClicks(people.search, "a")
    assert people.results.count() >= 2
    chosen = [people.results.item(0), people.results.item(1)]
    for item in chosen:
        item.setSelected(True)
    names = [item.text().split(" (born")[0] for item in chosen]
    qtbot.mouseClick(people.add_button, Qt.MouseButton.LeftButton)
    assert mobilities.get(demo_db, coordinator, created.id).participant_count == 2
    assert "2 learners take part" in people.count.text()
    assert sorted(item_texts(people.current)) == sorted(names)

    # ...and one is removed again, after saying yes
    people.current.item(0).setSelected(True)
    leaving = people.current.item(0).text()
    asked: list[str] = []

    def confirm(box: QMessageBox) -> None:
        asked.append(box.text())
        click_button(box, "Yes")

    when_modal(qtbot, confirm, kind=QMessageBox)
    qtbot.mouseClick(people.remove_button, Qt.MouseButton.LeftButton)
    assert asked and leaving in asked[0] and CODE in asked[0]
    assert item_texts(people.current) == [n for n in names if n != leaving]
    assert "1 learner takes part" in people.count.text()
    assert "1 learner removed" in people.message.text()
    assert [
        p.full_name for p in mobilities.list_participants(demo_db, coordinator, created.id)
    ] == [n for n in names if n != leaving]
    listed = screen.table.item(screen.listed_codes().index(CODE), 0)
    assert listed.data(DETAILS_ROLE).endswith(" · 1 learner")  # the list's line under the code

    # a teacher chosen by name from the list; they then see the mobility
    teachers = people.teachers_box
    offered = [teachers.choice.itemText(i) for i in range(teachers.choice.count())]
    assert offered == ["Dace Priede (teacher3)", "Edgars Vilks (teacher2)", "Ilze Ozola (teacher1)"]
    teacher = accounts.authenticate(demo_db, None, "teacher2", "demo")
    teachers.choice.setFocus()
    qtbot.keyClicks(teachers.choice, "Edg")
    assert teachers.choice.currentText() == "Edgars Vilks (teacher2)"
    qtbot.mouseClick(teachers.assign_button, Qt.MouseButton.LeftButton)
    assert item_texts(teachers.list) == ["Edgars Vilks (teacher2)"]
    assert "Edgars Vilks (teacher2) now supervises" in people.message.text()
    assert "Edgars Vilks (teacher2)" not in [
        teachers.choice.itemText(i) for i in range(teachers.choice.count())
    ]
    assert CODE in [m.code for m in mobilities.list_all(demo_db, teacher)]

    # ...and removed again: they no longer see it
    assert not teachers.remove_button.isEnabled()
    teachers.list.item(0).setSelected(True)
    qtbot.mouseClick(teachers.remove_button, Qt.MouseButton.LeftButton)
    assert "no longer supervises" in people.message.text()
    assert item_texts(teachers.list) == [
        "No teacher supervises this mobility yet. Choose one on the right."
    ]
    assert CODE not in [m.code for m in mobilities.list_all(demo_db, teacher)]


def item_texts(widget) -> list[str]:
    return [widget.item(row).text() for row in range(widget.count())]


def test_people_of_a_mobility_are_shown_and_certified_learners_stay(qtbot, window, demo_db):
    screen = coordinator_screen(qtbot, window, "mobilities")
    coordinator = window.actor
    finished = mobilities.list_all(demo_db, coordinator)[-1]  # oldest: every case certified
    assert screen.select_mobility(finished.id)
    people = screen.editor.people
    screen.editor.tabs.setCurrentWidget(people)
    expected = mobilities.list_participants(demo_db, coordinator, finished.id)
    shown = item_texts(people.current)
    assert len(shown) == finished.participant_count == len(expected)
    assert shown[0].startswith(expected[0].full_name) and "Europass LV-" in shown[0]
    assert item_texts(people.teachers_box.list) == [
        "Dace Priede (teacher3)",
        "Ilze Ozola (teacher1)",
    ]
    assert [
        people.teachers_box.choice.itemText(i) for i in range(people.teachers_box.choice.count())
    ] == ["Edgars Vilks (teacher2)"]

    people.current.item(0).setSelected(True)
    when_modal(qtbot, lambda box: click_button(box, "Yes"), kind=QMessageBox)
    qtbot.mouseClick(people.remove_button, Qt.MouseButton.LeftButton)
    assert "a certificate has been issued" in people.message.text()
    assert expected[0].full_name in people.message.text()
    assert len(item_texts(people.current)) == finished.participant_count
    assert mobilities.get(demo_db, coordinator, finished.id).participant_count == len(expected)


def test_a_concurrent_change_by_someone_else_is_reported_with_their_values(qtbot, window, demo_db):
    screen = coordinator_screen(qtbot, window, "mobilities")
    coordinator = window.actor
    opened = mobilities.list_all(demo_db, coordinator)[0]
    assert screen.select_mobility(opened.id)
    form = screen.editor.form
    assert form.title.text() == opened.title
    form.title.clear()
    qtbot.keyClicks(form.title, "Mans nosaukums")

    # meanwhile a second coordinator saves another title and mentor
    theirs = MobilityDraft(
        code=opened.code,
        title="Viņu nosaukums",
        sending_organisation_id=opened.sending_organisation_id,
        host_organisation_id=opened.host_organisation_id,
        host_country=opened.host_country,
        start_date=opened.start_date,
        end_date=opened.end_date,
        programme=opened.programme,
        host_mentor="Pablo Ruiz",
        objective=opened.objective,
    )
    mobilities.update(demo_db, coordinator, opened.id, theirs, expected_version=opened.version)

    qtbot.mouseClick(screen.editor.save_button, Qt.MouseButton.LeftButton)
    banner = screen.editor.conflict
    assert banner.isVisible()
    text = banner.text()
    assert "Someone else changed this mobility" in text
    assert "Title: Viņu nosaukums (you had: Mans nosaukums)" in text
    assert "Host mentor: Pablo Ruiz" in text
    assert form.title.text() == "Viņu nosaukums"  # their version is shown
    assert mobilities.get(demo_db, coordinator, opened.id).title == "Viņu nosaukums"

    # making the change again on their version saves it
    form.title.clear()
    qtbot.keyClicks(form.title, "Mans nosaukums")
    qtbot.mouseClick(screen.editor.save_button, Qt.MouseButton.LeftButton)
    assert not banner.isVisible()
    saved = mobilities.get(demo_db, coordinator, opened.id)
    assert (saved.title, saved.host_mentor) == ("Mans nosaukums", "Pablo Ruiz")


def test_coordinator_approves_a_case_and_the_register_shows_the_certificate(qtbot, window, demo_db):
    screen = coordinator_screen(qtbot, window, "certification")
    coordinator = window.actor
    queue = screen.queue
    # The demo leaves two cases of the mobility under way at the certification stage.
    cases = queue.cases()
    current = mobilities.list_all(demo_db, coordinator)[0]  # newest first: the one under way
    assert len(cases) == 2 and {c.mobility_id for c in cases} == {current.id}
    assert queue.tree.topLevelItemCount() == 2
    assert "(2)" in screen.tabs.tabText(0)
    case = cases[0]
    top = queue.tree.topLevelItem(0)
    assert top.text(0) == case.learner_name and top.text(1) == current.code
    first_target = top.child(0)
    assert first_target.text(2) == str(case.targets[0].level)
    assert first_target.text(3) == str(case.assessment_for(case.targets[0].competence_id).level)

    queue.tree.setCurrentItem(top.child(1))  # a competence row chooses its case too
    # Cancel first: nothing is issued.
    when_modal(qtbot, lambda box: click_button(box, "Cancel"), kind=QMessageBox)
    qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
    assert len(certificates.certification_queue(demo_db, coordinator)) == 2

    seen: list[str] = []

    def approve(box: QMessageBox) -> None:
        seen.append(box.text() + box.informativeText())
        click_button(box, "Approve and issue")

    tries: list[str] = []

    def unlock(dialog: PassphraseDialog) -> None:
        # a wrong passphrase first: the dialog stays open and says so
        dialog.passphrase.setText("not the passphrase")
        qtbot.mouseClick(dialog.buttons.buttons()[0], Qt.MouseButton.LeftButton)
        tries.append(dialog.message.text())
        qtbot.keyClicks(dialog.passphrase, SIGNING_PASSPHRASE)
        qtbot.keyClick(dialog.passphrase, Qt.Key.Key_Return)

    when_modal(qtbot, approve, kind=QMessageBox)
    when_modal(qtbot, unlock, kind=PassphraseDialog)
    qtbot.mouseClick(queue.approve_button, Qt.MouseButton.LeftButton)
    assert case.learner_name in seen[0] and "cannot be changed" in seen[0]
    assert tries and "does not open" in tries[0]
    assert window.workspace.context.signer is not None  # asked once per session

    issued = [
        c
        for c in certificates.list_register(demo_db, coordinator)
        if c.case_id == case.id and c.status == "issued"
    ]
    assert len(issued) == 1
    serial = issued[0].serial
    assert [c.id for c in certificates.certification_queue(demo_db, coordinator)] == [cases[1].id]
    assert queue.tree.topLevelItemCount() == 1
    assert serial in queue.message.text()
    register = screen.register
    row = register.row_of(serial)
    assert row is not None
    assert row["Status"] == "Issued" and row["Holder"] == case.learner_name
    assert row["Mobility"] == current.code and row["Issued on"]
    # search as you type finds it by its serial number
    screen.tabs.setCurrentWidget(register)
    qtbot.keyClicks(register.search, serial[:9].lower())
    assert register.table.rowCount() == 1 and register.row_of(serial) is not None


def test_revoking_needs_a_reason_and_then_the_register_shows_it_revoked(qtbot, window, demo_db):
    screen = coordinator_screen(qtbot, window, "certification")
    coordinator = window.actor
    register = screen.register
    screen.tabs.setCurrentWidget(register)
    valid = [c for c in certificates.list_register(demo_db, coordinator) if c.status == "issued"]
    target = valid[0]
    assert register.select_serial(target.serial)
    assert register.revoke_button.isEnabled()
    states: list[bool] = []

    def revoke(dialog) -> None:
        states.append(dialog.revoke_button.isEnabled())
        qtbot.keyClicks(dialog.reason, "   ")
        states.append(dialog.revoke_button.isEnabled())
        qtbot.keyClicks(dialog.reason, "The level of 2.4 was recorded wrongly.")
        states.append(dialog.revoke_button.isEnabled())
        qtbot.mouseClick(dialog.revoke_button, Qt.MouseButton.LeftButton)

    when_modal(qtbot, revoke)
    qtbot.mouseClick(register.revoke_button, Qt.MouseButton.LeftButton)
    assert states == [False, False, True]  # no reason, no revoking

    stored = certificates.get(demo_db, coordinator, target.serial)
    assert stored.status == "revoked"
    assert stored.revoke_reason == "The level of 2.4 was recorded wrongly."
    row = register.row_of(target.serial)
    assert row["Status"] == "Revoked" and row["Revoked on"]
    assert row["Reason for revoking"] == "The level of 2.4 was recorded wrongly."
    assert not register.revoke_button.isEnabled()  # it cannot be revoked twice
    # its case is back in the queue for a corrected certificate
    assert target.case_id in [c.id for c in screen.queue.cases()]
    # the status filter shows only revoked certificates
    register.status.setCurrentIndex(2)
    shown = [register.table.item(r, 3).text() for r in range(register.table.rowCount())]
    assert shown and set(shown) == {"Revoked"}


def test_coordinator_controls_have_accessible_names(qtbot, window):
    sign_in(qtbot, window, "coordinator")
    kinds = (QAbstractButton, QAbstractItemView, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox)
    for screen_id in ("mobilities", "certification"):
        window.workspace.show_screen(screen_id)
        screen = window.workspace.screen(screen_id)
        unnamed = [
            type(widget).__name__
            for kind in kinds
            for widget in screen.findChildren(kind)
            if not widget.accessibleName()
            and widget.isVisibleTo(screen)
            and not isinstance(widget.parent(), (QComboBox, QAbstractSpinBox, QTabBar))
            and type(widget).__name__ != "QToolButton"
            and not isinstance(widget, QHeaderView)  # a list's column titles
        ]
        assert unnamed == [], screen_id
