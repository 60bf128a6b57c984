"""The four-step path of a case: where it stands, and which step's page is shown."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QResizeEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QToolButton,
    QWidget,
)

from digcomp_app.i18n import _
from digcomp_app.ui.screens.validation.common import STEPS, stage_name

_STYLE = """
QToolButton { border: 1px solid #b8c0cc; border-radius: 14px; padding: 5px 12px;
              color: #5b6573; background: #f4f6f8; }
QToolButton[state="done"] { color: #1d5631; background: #e8f3ec; border-color: #8cc5a0; }
QToolButton[state="current"] { color: white; background: #1f5fa8; border-color: #1f5fa8;
                               font-weight: bold; }
QToolButton:checked { border-width: 3px; }
QToolButton:focus { border-color: #e0a100; }
"""


class StepIndicator(QWidget):
    """Four buttons, one per stage: done ✓, current ●, still to come. Clicking shows that
    step's page (the case itself moves only with Advance and Back). The arrows between
    them go when the row is narrow (a larger font), so the buttons stay whole and leave
    room for the learner list beside the case."""

    step_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setStyleSheet(_STYLE)
        self.stage = ""
        self.buttons: dict[str, QToolButton] = {}
        self.arrows: list[QLabel] = []
        self._group = QButtonGroup(self)
        self._group.setExclusive(True)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for index, step in enumerate(STEPS):
            if index:
                arrow = QLabel("→")
                arrow.setAccessibleName(" ")
                layout.addWidget(arrow)
                self.arrows.append(arrow)
            button = QToolButton()
            button.setCheckable(True)
            button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
            # never narrower than its text, also with a larger font
            button.setSizePolicy(QSizePolicy.Policy.Minimum, QSizePolicy.Policy.Fixed)
            button.clicked.connect(lambda _checked=False, s=step: self.step_chosen.emit(s))
            self._group.addButton(button)
            layout.addWidget(button)
            self.buttons[step] = button
        layout.addStretch(1)
        self._layout = layout

    def _width_of(self, widgets: list) -> int:
        spacing = self._layout.spacing() * (len(widgets) - 1)
        return sum(w.sizeHint().width() for w in widgets) + spacing

    def _width_with_arrows(self) -> int:
        return self._width_of([*self.buttons.values(), *self.arrows])

    def minimumSizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        height = max(b.sizeHint().height() for b in self.buttons.values())
        return QSize(self._width_of(list(self.buttons.values())), height)

    def resizeEvent(self, event: QResizeEvent) -> None:  # noqa: N802 - Qt's name
        roomy = event.size().width() >= self._width_with_arrows()
        for arrow in self.arrows:
            if arrow.isVisibleTo(self) != roomy:
                arrow.setVisible(roomy)
        super().resizeEvent(event)

    def state_of(self, step: str) -> str:
        """ "done", "current" or "todo" for the case's present stage."""
        if not self.stage:
            return "todo"
        if self.stage == "certified":
            return "done"
        here, there = STEPS.index(self.stage), STEPS.index(step)
        return "done" if there < here else "current" if there == here else "todo"

    def set_stage(self, stage: str) -> None:
        self.stage = stage
        self.retranslate()

    def show_step(self, step: str) -> None:
        self.buttons[step].setChecked(True)

    def shown_step(self) -> str:
        return next((s for s, b in self.buttons.items() if b.isChecked()), STEPS[0])

    def retranslate(self) -> None:
        for number, step in enumerate(STEPS, start=1):
            button = self.buttons[step]
            state = self.state_of(step)
            mark = {"done": "✓ ", "current": "● ", "todo": ""}[state]
            button.setText(
                mark + _("{number}. {stage}").format(number=number, stage=stage_name(step))
            )
            where = {
                "done": _("done"),
                "current": _("the case is here"),
                "todo": _("still to come"),
            }[state]
            button.setAccessibleName(
                _("Step {number} of {count}: {stage} ({where})").format(
                    number=number, count=len(STEPS), stage=stage_name(step), where=where
                )
            )
            button.setToolTip(button.accessibleName() + "\n" + _("Click to see this step's page."))
            button.setProperty("state", state)
            button.style().unpolish(button)
            button.style().polish(button)
