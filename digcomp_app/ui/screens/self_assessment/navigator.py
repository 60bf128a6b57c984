"""The questionnaire's table of contents: areas with their competences and the answers."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QHeaderView, QTreeWidget, QTreeWidgetItem, QWidget

from digcomp_app.framework import Framework
from digcomp_app.i18n import _, current_language
from digcomp_app.services.self_assessment import Answer, SelfAssessmentInfo

_ID = Qt.ItemDataRole.UserRole


def answer_text(answer: Answer | None) -> tuple[str, str]:
    """(short text for the column, words for a screen reader)."""
    if answer is None:
        return "–", _("Not answered yet")
    if answer.level is None:
        return _("not yet"), _("Not yet")
    return str(answer.level), _("Level {number}").format(number=answer.level)


class Navigator(QTreeWidget):
    #: the learner moved to a competence (its id)
    competence_chosen = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setColumnCount(2)
        self.setUniformRowHeights(True)
        self.setRootIsDecorated(True)
        header = self.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self._framework: Framework | None = None
        self._items: dict[str, QTreeWidgetItem] = {}
        self._areas: dict[str, QTreeWidgetItem] = {}
        self._quiet = False
        self.currentItemChanged.connect(self._on_current)

    def fill(self, framework: Framework, info: SelfAssessmentInfo) -> None:
        self._quiet = True
        self._framework = framework
        self.clear()
        self._items.clear()
        self._areas.clear()
        bold = QFont(self.font())
        bold.setBold(True)
        for area in framework.areas:
            area_item = QTreeWidgetItem()
            area_item.setFont(0, bold)
            area_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self._areas[area.id] = area_item
            for competence in area.competences:
                item = QTreeWidgetItem()
                item.setData(0, _ID, competence.id)
                area_item.addChild(item)
                self._items[competence.id] = item
            self.addTopLevelItem(area_item)
        self.expandAll()
        self._quiet = False
        self.update_answers(info)

    def update_answers(self, info: SelfAssessmentInfo) -> None:
        framework = self._framework
        if framework is None:
            return
        language = current_language()
        self.setHeaderLabels([_("Competence"), _("Answer")])
        for area in framework.areas:
            area_item = self._areas[area.id]
            done = sum(1 for c in area.competences if info.answer_for(c.id) is not None)
            area_item.setText(0, f"{area.id}  {area.title.get(language)}")
            area_item.setToolTip(0, area.title.get(language))
            area_item.setText(1, f"{done} / {len(area.competences)}")
            area_item.setData(
                1,
                Qt.ItemDataRole.AccessibleTextRole,
                _("{done} of {total} answered").format(done=done, total=len(area.competences)),
            )
            for competence in area.competences:
                item = self._items[competence.id]
                title = competence.title.get(language)
                item.setText(0, f"{competence.id}  {title}")
                item.setToolTip(0, f"{competence.id} {title}")
                short, spoken = answer_text(info.answer_for(competence.id))
                item.setText(1, short)
                item.setData(1, Qt.ItemDataRole.AccessibleTextRole, spoken)
                item.setToolTip(1, spoken)

    def select(self, competence_id: str) -> None:
        """Show ``competence_id`` as the current one (without announcing a move)."""
        item = self._items.get(competence_id)
        if item is not None and self.currentItem() is not item:
            self._quiet = True
            self.setCurrentItem(item)
            self._quiet = False
            self.scrollToItem(item)

    def answer_shown(self, competence_id: str) -> str:
        item = self._items.get(competence_id)
        return item.text(1) if item is not None else ""

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if self._quiet or current is None:
            return
        competence_id = current.data(0, _ID)
        if competence_id:
            self.competence_chosen.emit(competence_id)
