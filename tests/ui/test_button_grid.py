"""ui/button_grid: the buttons go onto more rows when the room is too narrow for them side by
side, and back onto one row when they get shorter (new texts, a smaller text size): the
heights it gave for a width are not kept once a button changed."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QPushButton, QWidget

from digcomp_app.ui.button_grid import ButtonGrid


def settle() -> None:
    for _round in range(3):
        QApplication.sendPostedEvents()
        QApplication.processEvents()


@pytest.fixture
def unstyled(qapp):
    """No application style sheet while the test runs: with one (the program's, set by any
    window an earlier test of this process opened), a font set on a widget does not reach
    its buttons, so the larger text size below would not happen."""
    sheet = qapp.styleSheet()
    qapp.setStyleSheet("")
    yield
    qapp.setStyleSheet(sheet)


def test_a_changed_button_is_measured_again(qtbot, unstyled):
    widget = QWidget()
    qtbot.addWidget(widget)
    grid = ButtonGrid(3, widget)
    buttons = [QPushButton(f"Button {n}") for n in range(3)]
    for button in buttons:
        grid.add(button)
    widget.show()
    settle()
    row = grid.heightForWidth(10_000)
    width = grid.sizeHint().width()  # the three side by side
    assert grid.heightForWidth(width) == row

    for button in buttons:  # longer texts: no longer side by side in that width
        button.setText(button.text() * 6)
    settle()
    assert grid.heightForWidth(width) > row

    for n, button in enumerate(buttons):  # short again
        button.setText(f"B{n}")
    settle()
    assert grid.heightForWidth(width) == row

    font = QFont(widget.font())  # a larger text size: taller rows, and more of them
    font.setPointSizeF(font.pointSizeF() * 4)
    widget.setFont(font)
    settle()
    assert grid.heightForWidth(width) > 2 * row

    buttons[1].hide()  # a hidden button takes no cell
    buttons[2].hide()
    settle()
    assert grid.heightForWidth(10_000) == grid.heightForWidth(buttons[0].sizeHint().width())
