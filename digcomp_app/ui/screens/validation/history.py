"""Where the case stands in words, and its stage history (shown on request)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_datetime, ngettext
from digcomp_app.services.validation import STAGES, CaseInfo
from digcomp_app.ui.screens.validation.common import STEPS, stage_name


class StageHistory(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case: CaseInfo | None = None
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.toggle = QToolButton()
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.toggle.setArrowType(Qt.ArrowType.RightArrow)
        self.list = QTreeWidget()
        self.list.setRootIsDecorated(False)
        self.list.setColumnCount(4)
        self.list.setMaximumHeight(120)
        header = self.list.header()
        for column in range(3):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.list.hide()
        row = QHBoxLayout()
        row.addWidget(self.summary, 1)
        row.addWidget(self.toggle)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.list)
        self.toggle.toggled.connect(self._on_toggle)
        self.retranslate()

    def _on_toggle(self, shown: bool) -> None:
        self.list.setVisible(shown)
        self.toggle.setArrowType(Qt.ArrowType.DownArrow if shown else Qt.ArrowType.RightArrow)

    def load(self, case: CaseInfo) -> None:
        self.case = case
        self.retranslate()

    def summary_text(self) -> str:
        case = self.case
        if case is None:
            return ""
        last = case.history[-1] if case.history else None
        if case.stage == "certified":
            return _("Certified: the certificate was issued on {date}.").format(
                date=format_datetime(last.at) if last else "?"
            )
        if case.stage == "certification":
            text = _(
                "Sent to certification on {date}; waiting for the coordinator to issue the "
                "certificate."
            ).format(date=format_datetime(last.at) if last else "?")
        elif last is None:
            text = _("Step 1 of 4: {stage}, since the case was opened.").format(
                stage=stage_name(case.stage)
            )
        else:
            text = _("Step {number} of 4: {stage}, since {date} ({who}).").format(
                number=STEPS.index(case.stage) + 1,
                stage=stage_name(case.stage),
                date=format_datetime(last.at),
                who=last.by,
            )
        if last is not None and STAGES.index(last.to_stage) < STAGES.index(last.from_stage):
            text += " " + _("It came back here because: {reason}").format(reason=last.reason)
        return text

    def retranslate(self) -> None:
        self.summary.setText(self.summary_text())
        self.summary.setAccessibleName(_("Where the case stands"))
        count = len(self.case.history) if self.case else 0
        self.toggle.setText(
            ngettext(
                "Stage histor&y ({count} change)", "Stage histor&y ({count} changes)", count
            ).format(count=count)
        )
        self.toggle.setAccessibleName(_("Show the stage history"))
        self.list.setAccessibleName(_("Stage history"))
        self.list.setHeaderLabels([_("When"), _("Change"), _("By"), _("Reason")])
        self.list.clear()
        if self.case is None:
            return
        for step in reversed(self.case.history):
            backwards = STAGES.index(step.to_stage) < STAGES.index(step.from_stage)
            change = _("{before} → {after}").format(
                before=stage_name(step.from_stage), after=stage_name(step.to_stage)
            )
            item = QTreeWidgetItem(
                [
                    format_datetime(step.at),
                    ("↩ " if backwards else "") + change,
                    step.by,
                    step.reason,
                ]
            )
            item.setToolTip(3, step.reason)
            self.list.addTopLevelItem(item)
