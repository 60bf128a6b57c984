"""The Learners screen's data protection: erasing a learner after typing their name
(administrators only), a learner's consents in their record, and the retention rules."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from digcomp_app.services import accounts, consent, learners
from digcomp_app.storage.engine import sqlite_path
from tests.ui.test_admin import type_text
from tests.ui.test_learners_screen import (  # noqa: F401  (the fixture)
    ADMIN_PW,
    COORD_PW,
    open_learners,
    school,
)

LEFT = Qt.MouseButton.LeftButton


def test_erase_needs_the_typed_full_name_and_leaves_no_name(qtbot, school):  # noqa: F811
    db = school.db
    coordinator = accounts.authenticate(db, None, "koord", COORD_PW)
    janis = learners.create(db, coordinator, "Jānis", "Bērziņš", None, "", "A-18")
    learners.create(db, coordinator, "Anna", "Ozola", None, "", "A-17")
    screen = open_learners(qtbot, school, "rector", ADMIN_PW)
    tab = screen.learners_tab
    screen.refresh()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2)
    assert tab.erase_button.isVisible() and not tab.erase_button.isEnabled()
    assert tab.select_learners(janis.id) == 1
    assert tab.erase_button.isEnabled()

    qtbot.mouseClick(tab.erase_button, LEFT)
    dialog = tab.privacy_dialog
    assert "cannot be undone" in dialog.summary.text()
    assert not dialog.ok_button.isEnabled()
    type_text(qtbot, dialog.confirm_edit, "Jānis")
    assert not dialog.ok_button.isEnabled()  # half the name is not enough
    type_text(qtbot, dialog.confirm_edit, " Bērziņš")
    assert dialog.ok_button.isEnabled()
    qtbot.mouseClick(dialog.ok_button, LEFT)
    qtbot.waitUntil(lambda: tab.privacy_dialog is None, timeout=10_000)
    assert "personal data was erased" in tab.message.text()

    # the list shows the pseudonym among the inactive learners, never the name
    shown = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
    assert "Bērziņš" not in shown and any(text.startswith("#") for text in shown)
    assert tab.select_learners(janis.id) == 1
    assert "Erased learner #" in tab.details.text()
    assert not tab.erase_button.isEnabled()  # nothing left to erase
    path = sqlite_path(db.url)
    for suffix in ("", "-wal"):
        file = Path(f"{path}{suffix}")
        if file.exists():
            data = file.read_bytes()
            assert "Bērziņš".encode() not in data and "Jānis".encode() not in data


def test_coordinators_keep_consents_but_do_not_erase(qtbot, school):  # noqa: F811
    db = school.db
    coordinator = accounts.authenticate(db, None, "koord", COORD_PW)
    anna = learners.create(db, coordinator, "Anna", "Ozola", None, "", "A-17")
    screen = open_learners(qtbot, school, "koord", COORD_PW)
    tab = screen.learners_tab
    screen.refresh()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 1)
    assert not tab.erase_button.isVisible() and not tab.retention_button.isVisible()
    assert tab.select_learners(anna.id) == 1
    assert "none recorded" in tab.details.text()

    qtbot.mouseClick(tab.consents_button, LEFT)
    dialog = tab.privacy_dialog
    dialog.scope.setCurrentIndex(dialog.scope.findData("publication"))
    dialog.given_by.setCurrentIndex(dialog.given_by.findData("guardian"))
    qtbot.mouseClick(dialog.record_button, LEFT)
    assert "name of the person" in dialog.error.text().lower()  # the name is needed
    type_text(qtbot, dialog.giver_name, "Ilze Ozola")
    type_text(qtbot, dialog.given_on, "31.13.2026")
    qtbot.mouseClick(dialog.record_button, LEFT)
    assert "dd.mm.yyyy" in dialog.error.text()
    dialog.given_on.clear()
    type_text(qtbot, dialog.given_on, "05.01.2026")
    qtbot.mouseClick(dialog.record_button, LEFT)
    assert dialog.table.rowCount() == 1 and dialog.error.text() == ""
    dialog.table.selectRow(0)
    qtbot.mouseClick(dialog.withdraw_button, LEFT)
    assert dialog.table.item(0, 4).text() != "—"
    dialog.reject()
    qtbot.waitUntil(lambda: tab.privacy_dialog is None)
    assert "Ilze Ozola" in tab.details.text() and "withdrawn" in tab.details.text()
    [record] = consent.list_consents(db, coordinator, anna.id)
    assert record.scope == "publication" and not record.current


def test_retention_rules_saved_and_previewed(qtbot, school):  # noqa: F811
    screen = open_learners(qtbot, school, "rector", ADMIN_PW)
    tab = screen.learners_tab
    assert tab.retention_button.isEnabled()
    qtbot.mouseClick(tab.retention_button, LEFT)
    dialog = tab.privacy_dialog
    assert dialog.evidence_years.value() == 0  # off
    dialog.evidence_years.setValue(5)
    dialog.learner_years.setValue(2)
    qtbot.mouseClick(dialog.preview_button, LEFT)
    assert "remove 0 evidence file(s) and erase 0 learner(s)" in dialog.summary.text()
    assert not dialog.apply_button.isEnabled()  # nothing to apply
    from digcomp_app.services import retention

    admin = accounts.authenticate(school.db, None, "rector", ADMIN_PW)
    assert retention.retention_rules(school.db, admin) == retention.RetentionRules(5, 2)
