"""Certification: what was sent to the coordinator, waiting for the certificate."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _
from digcomp_app.services.validation import METHOD_NAMES, CaseInfo
from digcomp_app.ui.screens.validation.common import competence_text, level_text


class CertificationPage(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.case: CaseInfo | None = None
        self.framework: Framework | None = None
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.results = QTreeWidget()
        self.results.setRootIsDecorated(False)
        self.results.setColumnCount(3)
        header = self.results.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.note)
        layout.addWidget(self.results, 1)
        self.retranslate()

    def load(self, case: CaseInfo, framework: Framework) -> None:
        self.case, self.framework = case, framework
        self.retranslate()

    def retranslate(self) -> None:
        self.results.setHeaderLabels([_("Competence"), _("Level reached"), _("Method")])
        self.results.setAccessibleName(_("Assessed levels sent to certification"))
        self.results.clear()
        case, framework = self.case, self.framework
        stage = case.stage if case else ""
        if stage == "certification":
            text = _(
                "The case was sent to certification. The coordinator checks it and issues "
                "the certificate; nothing more is needed from you. To correct something, go "
                "back a stage and say why."
            )
        elif stage == "certified":
            text = _(
                "The certificate has been issued. It never changes: the coordinator can "
                "revoke it and the case can then be corrected."
            )
        else:
            text = _(
                "When every target competence is assessed, use Send to certification on the "
                "assessment step. The levels below are then what the certificate will show."
            )
        self.note.setText(text)
        if case is None or framework is None:
            return
        for target in case.targets:
            info = case.assessment_for(target.competence_id)
            self.results.addTopLevelItem(
                QTreeWidgetItem(
                    [
                        competence_text(framework, target.competence_id),
                        level_text(framework, info.level) if info else _("not assessed yet"),
                        _(METHOD_NAMES[info.method]) if info else "",
                    ]
                )
            )
