"""At each sign-in the window compares the audit log with what this PC saw last; a
rewritten log is said to staff at once."""

from __future__ import annotations

from PySide6.QtWidgets import QMessageBox

from tests.services.test_audit_anchor import edit_an_entry, recompute_chain
from tests.ui.conftest import sign_in
from tests.ui.test_coordinator import when_modal


def test_a_rewritten_log_is_reported_at_the_next_sign_in(qtbot, window, demo_db):
    sign_in(qtbot, window, "teacher1")
    qtbot.waitUntil(lambda: window.workspace is not None)
    assert window.audit_problem == ""
    window.sign_out()
    edit_an_entry(demo_db, "validation.record_assessment")  # someone with database access
    recompute_chain(demo_db)
    seen: list[str] = []

    def read(box: QMessageBox) -> None:
        seen.append(box.text())
        box.accept()

    when_modal(qtbot, read, kind=QMessageBox)
    sign_in(qtbot, window, "teacher1")
    qtbot.waitUntil(lambda: bool(seen), timeout=5_000)
    assert "rewritten" in window.audit_problem
    assert "Tell the administrator" in seen[0]
