"""The teacher saves a learner's profile report (PDF) from the case workspace."""

from __future__ import annotations

from PySide6.QtCore import Qt

from digcomp_app.services import mobilities, validation
from digcomp_app.ui.print_dialog import ReportDialog
from tests.ui.test_attestations_gui import (
    close,
    needs_pdftotext,
    pdf_text,
    save_report_via_dialog,
    wait_for_outcome,
)
from tests.ui.test_coordinator import when_modal
from tests.ui.test_teacher import find_learner, open_cases

LEFT = Qt.MouseButton.LeftButton


@needs_pdftotext
def test_teacher_saves_the_profile_report_of_the_case_shown(qtbot, window, demo_db, tmp_path):
    screen = open_cases(qtbot, window, "teacher1")
    panel = screen.case
    assert not panel.report_button.isVisible()  # no learner chosen yet
    teacher = window.actor
    case = next(
        c
        for c in validation.list_cases(demo_db, teacher)
        if c.stage == "assessment" and c.mobility_id is not None
    )
    find_learner(qtbot, screen, case.learner_name)
    assert panel.case.id == case.id
    assert panel.report_button.isVisible() and panel.report_button.isEnabled()
    mobility = mobilities.get(demo_db, teacher, case.mobility_id)
    out = tmp_path / "profila atskaites"
    seen: list[str] = []

    def check(dialog: ReportDialog) -> None:
        seen.append(dialog.intro.text())
        assert dialog.windowTitle() == "Save the profile report"

    save_report_via_dialog(qtbot, panel.report_button, out, check)
    box = wait_for_outcome(qtbot, panel.documents)
    assert case.learner_name in seen[0] and mobility.title in seen[0]
    saved = list(out.glob("*.pdf"))
    assert len(saved) == 1 and saved[0].name.endswith("_en.pdf")
    assert box.text() == f"Saved as {saved[0]}"
    close(box)
    assert panel.message.isVisible() and panel.message.kind == "info"
    assert str(saved[0]) in panel.message.text()
    text = pdf_text(saved[0])
    assert case.learner_name.split()[-1] in text
    assert mobility.texts["en"]["title"].split()[0] in text  # the English report's title


def test_cancelling_the_report_dialog_writes_nothing(qtbot, window, demo_db, tmp_path):
    screen = open_cases(qtbot, window, "teacher1")
    case = next(c for c in validation.list_cases(demo_db, window.actor) if c.stage != "certified")
    find_learner(qtbot, screen, case.learner_name)
    panel = screen.case

    def cancel(dialog: ReportDialog) -> None:
        dialog.set_folder(tmp_path / "out")
        dialog.reject()

    when_modal(qtbot, cancel, kind=ReportDialog)
    qtbot.mouseClick(panel.report_button, LEFT)
    assert panel.documents.task is None
    assert not (tmp_path / "out").exists()
    assert not panel.message.isVisible()
