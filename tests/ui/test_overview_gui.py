"""The school overview as a coordinator uses it: open it, change a filter, and read the
chart's bars and the numbers table back against the service's figures; export."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog

from digcomp_app.services import overview
from digcomp_app.services.overview import Filters
from tests.ui.conftest import sign_in


def _open(qtbot, window, user: str):
    sign_in(qtbot, window, user)
    qtbot.waitUntil(lambda: window.workspace is not None)
    window.workspace.show_screen("overview")
    return window.workspace.screen("overview")


def test_filter_chart_and_numbers_match_the_service(qtbot, window, demo_db):
    screen = _open(qtbot, window, "coordinator")
    actor = window.workspace.context.actor
    everyone = overview.figures(demo_db, actor)
    assert screen.overview == everyone
    # choose the mobility, as a person would with the keyboard on the combo box
    # the mobility with learners back from it (before and after)
    mobility_id = everyone.gains[0].mobility_id
    mobility = next(
        m for m in overview.options(demo_db, actor).mobilities if m.mobility_id == mobility_id
    )
    screen.mobility_box.setFocus()
    screen.mobility_box.setCurrentIndex(screen.mobility_box.findData(mobility.mobility_id))
    expected = overview.figures(demo_db, actor, Filters(mobility_id=mobility.mobility_id))
    assert screen.overview == expected and expected.learners < everyone.learners
    # the chart's bars are the counts of the chosen source, row by row
    screen.source_box.setCurrentIndex(screen.source_box.findData("after"))
    after = expected.source("after")
    bars = screen.level_chart.bars
    assert len(bars) == len(after.rows) == 26
    for bar, row in zip(bars, after.rows, strict=True):
        assert bar.label.startswith(row.key + " ")
        if row.learners:
            assert bar.values == tuple(float(c) for c in row.counts)
            assert bar.text.startswith(f"{row.learners} learners")
        else:  # nobody rated it after the mobility: no bar, words
            assert bar.values == () and bar.text == "no levels yet"
    assert sum(bool(b.values) for b in bars) >= 20
    # "Show numbers": the table holds the same figures
    qtbot.mouseClick(screen.numbers_button, Qt.MouseButton.LeftButton)
    assert screen.level_stack.currentIndex() == 1
    table = screen.level_table
    row_11 = after.row("1.1")
    line = next(r for r in range(table.rowCount()) if table.item(r, 0).text() == "1.1")
    assert [table.item(line, c).text() for c in range(2, 12)] == [
        str(row_11.learners),
        *(str(c) for c in row_11.counts),
    ]
    # gains and certificates of that mobility
    gain = expected.gains[0]
    assert screen.gain_chart.bars[0].values == (
        gain.higher,
        gain.same,
        gain.lower,
        gain.newly_rated,
    )
    assert [b.values for b in screen.month_chart.bars] == [
        (float(m.certificates),) for m in expected.months
    ]


def test_export_from_the_screen(qtbot, window, demo_db, tmp_path, monkeypatch):
    screen = _open(qtbot, window, "admin")
    target = tmp_path / "overview"
    monkeypatch.setattr(
        QFileDialog,
        "getSaveFileName",
        staticmethod(lambda *args, **kwargs: (str(target), "CSV, for spreadsheets (*.csv)")),
    )
    qtbot.mouseClick(screen.export_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "overview.csv"
    assert screen.exported == written and written.exists()
    assert "School overview" in written.read_text(encoding="utf-8-sig")
    assert str(written) in screen.message.text()
