"""The teacher's case workspace: learners on the left, the chosen learner's case on the
right."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QSplitter, QWidget

from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.validation.case_panel import CasePanel
from digcomp_app.ui.screens.validation.learner_panel import LearnerPanel


class CasesScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.learners = LearnerPanel(context)
        self.case = CasePanel(context)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.learners)
        self.splitter.addWidget(self.case)
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)
        # room for a learner's full name, also with a larger font
        char = self.fontMetrics().averageCharWidth()
        self.splitter.setSizes([max(210, 32 * char), 760])
        self.splitter.setChildrenCollapsible(False)
        self.learners.setMinimumWidth(180)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.learners.learner_chosen.connect(self._on_learner)
        self.retranslate()

    def _on_learner(self, learner_id: int, name: str, mobility_id: object) -> None:
        hint = mobility_id if isinstance(mobility_id, int) else None
        if (self.case.learner_id, self.case.mobility_hint) == (learner_id, hint):
            return
        if not self.case.confirm_leave():
            if self.case.learner_id is not None:
                self.learners.select_learner(self.case.learner_id, None, emit=False)
            return
        self.case.show_learner(learner_id, name, hint)

    def edit_forms(self) -> list[object]:
        """The open case (targets, assessments) may hold unsaved changes."""
        return [self.case]

    def retranslate(self) -> None:
        self.learners.retranslate()
        self.case.retranslate()

    def refresh(self) -> None:
        self.learners.refresh()
        if self.case.case is not None and not (
            self.case.targets.dirty or self.case.assessment.dirty
        ):
            self.case.reload()
