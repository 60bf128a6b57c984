"""What the user typed survives a failed save: the teacher types an assessment comment, the
disk fills up (a real tmpfs) or the PostgreSQL server drops every connection (as when it
restarts), Save is pressed. The disk: a message in plain words, the comment still in the
form, and the same Save works once space is freed. The server: the program connects again
by itself and the save goes through (or, should the connection die in the middle, says so
and keeps the comment)."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from digcomp_app.services import evidence, validation
from digcomp_app.services.validation import TargetDraft
from digcomp_app.ui.main_window import MainWindow
from tests.reliability.small_disk import SmallDisk
from tests.services.conftest import PASSWORD
from tests.ui.conftest import sign_in
from tests.ui.test_teacher import find_learner

pytestmark = pytest.mark.reliability

COMMENT = "Uzdevumu veica patstavigi, bez palidzibas."


def terminate_connections(url: str) -> int:
    """What a server restart does to the app's connections, done from another connection."""
    parsed = make_url(url)
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            return len(
                connection.execute(
                    text(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = :name AND pid <> pg_backend_pid()"
                    ),
                    {"name": parsed.database},
                ).all()
            )
    finally:
        admin.dispose()


@pytest.fixture(params=["disk full", "server restarted"])
def failure(request, tmp_path):
    if request.param == "disk full":
        disk = SmallDisk(tmp_path / "disk")
        if not disk.mounted:
            pytest.skip(
                "a full disk under the window needs a tmpfs mount (root); see test_disk_full"
            )
        yield request.param, disk.database_url(), disk
        disk.close()
    else:
        yield request.param, request.getfixturevalue("postgres_url"), None


@pytest.fixture
def database_url(failure) -> str:
    return failure[1]


def test_a_failed_save_keeps_the_comment_and_can_be_repeated(qtbot, failure, db, school):
    kind, url, disk = failure
    case = validation.open_case(db, school.teacher, school.learner_id, school.mobility_id)
    validation.set_targets(db, school.teacher, case.id, [TargetDraft("1.1", 4)])
    validation.advance(db, school.teacher, case.id)
    evidence.add_note(db, school.teacher, case.id, "Seen", "Did it", ("1.1",))
    validation.advance(db, school.teacher, case.id)  # to assessment
    validation.record_assessment(db, school.teacher, case.id, "1.1", 4, "observation", "First.")
    window = MainWindow(db)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    sign_in(qtbot, window, "teach", PASSWORD)
    window.workspace.show_screen("cases")
    find_learner(qtbot, window.workspace.screen("cases"), "Jānis Bērziņš")
    panel = window.workspace.screen("cases").case
    page, form = panel.assessment, panel.assessment.form
    page.select_competence("1.1")
    form.comment.clear()
    qtbot.keyClicks(form.comment, COMMENT)

    if kind == "disk full":
        disk.fill()
    else:
        assert terminate_connections(url) >= 1  # the window's pooled connection is gone
    qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    if kind == "disk full":
        assert panel.message.kind == "error"
        assert "The disk holding the database is full: nothing was saved." in panel.message.text()
        assert form.comment.toPlainText() == COMMENT  # kept to try again
        disk.free()
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    elif panel.message.kind == "error":  # the connection died in the middle: said, and kept
        assert "connection to the database server was lost" in panel.message.text()
        assert form.comment.toPlainText() == COMMENT
        qtbot.mouseClick(form.save_button, Qt.MouseButton.LeftButton)
    stored = validation.get_case(db, school.teacher, case.id).assessment_for("1.1")
    assert stored.comment == COMMENT
    assert panel.message.kind != "error", panel.message.text()
    window.close()
