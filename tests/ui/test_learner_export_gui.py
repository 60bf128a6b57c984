"""The Learners screen's "Export data…": a learner's data export saved as a zip."""

from __future__ import annotations

import json
import zipfile

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from digcomp_app.services import accounts, learners
from tests.ui.test_learners_screen import COORD_PW, open_learners, school  # noqa: F401


def test_export_data_of_the_chosen_learner(qtbot, school, tmp_path, monkeypatch):  # noqa: F811
    db = school.db
    coordinator = accounts.authenticate(db, None, "koord", COORD_PW)
    anna = learners.create(db, coordinator, "Anna", "Ozola", None, "", "A-17")
    learners.create(db, coordinator, "Jānis", "Bērziņš", None, "", "A-18")
    screen = open_learners(qtbot, school, "koord", COORD_PW)
    tab = screen.learners_tab
    screen.refresh()
    qtbot.waitUntil(lambda: tab.table.rowCount() == 2)
    assert tab.export_button.isVisible() and not tab.export_button.isEnabled()
    assert tab.select_learners(anna.id) == 1
    assert tab.export_button.isEnabled()

    target = tmp_path / "saved" / "anna.zip"
    asked = []

    def save_dialog(parent, title, suggested, filters):
        asked.append((title, suggested))
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    qtbot.mouseClick(tab.export_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: tab.task is None and target.exists(), timeout=20_000)
    assert asked == [("Export Anna Ozola's data", "learner-data-A-17.zip")]
    with zipfile.ZipFile(target) as archive:
        document = json.loads(archive.read("learner.json"))
    assert document["learner"]["learner_number"] == "A-17"
    assert "Data export saved to" in tab.message.text()
