"""Identification: the target competences, the level aimed at in each and (DigComp 3.0)
the learning outcomes aimed at, starting from what the case was seeded with."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.framework.labels import outcome_type_name
from digcomp_app.i18n import _, current_language, ngettext
from digcomp_app.services import self_assessment, skills_test, validation
from digcomp_app.services.errors import ConcurrentChange, ServiceError
from digcomp_app.services.validation import CaseInfo, TargetDraft
from digcomp_app.ui.column_fit import ColumnFit
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.skills_test.texts import band_name, percent_text
from digcomp_app.ui.screens.validation.common import competence_text, level_text

COMPETENCE_ROLE = Qt.ItemDataRole.UserRole
OUTCOME_ROLE = Qt.ItemDataRole.UserRole


def self_levels(context: UiContext, case: CaseInfo) -> dict[str, int | None]:
    """The learner's own levels the case was seeded from: the mobility's "before"
    self-assessment, or else the latest completed one in the case's framework."""
    done = [
        s
        for s in self_assessment.history(context.db, context.actor, case.learner_id)
        if s.completed_at is not None
        and (s.framework_id, s.framework_version) == (case.framework_id, case.framework_version)
    ]
    done.sort(key=lambda s: (s.completed_at, s.id))
    chosen = [s for s in done if s.mobility_id == case.mobility_id and s.moment == "before"]
    source = (chosen or done or [None])[-1]
    return {a.competence_id: a.level for a in source.answers} if source else {}


def test_suggestions(context: UiContext, case: CaseInfo) -> dict[str, skills_test.Suggestion]:
    """What the learner's skills test suggests per competence (a suggestion, never an
    assessment): the mobility's "before" test, or else the latest finished one."""
    try:
        return skills_test.suggestions(context.db, context.actor, case.learner_id, case.mobility_id)
    except ServiceError:
        return {}


class TargetsPage(QWidget):
    saved = Signal(object)  # the case after saving
    failed = Signal(str)
    #: someone else saved the targets first: the case as it is now (show it), the message
    overtaken = Signal(object, str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.case: CaseInfo | None = None
        self.framework: Framework | None = None
        self.editable = False
        self._own: dict[str, int | None] = {}
        self._suggested: dict[str, skills_test.Suggestion] = {}
        self._chosen: dict[str, tuple[int, frozenset[str]]] = {}
        self._saved: dict[str, tuple[int, frozenset[str]]] = {}
        self._items: dict[str, QTreeWidgetItem] = {}
        self.combos: dict[str, QComboBox] = {}
        self._filling = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(4)
        self.tree.setUniformRowHeights(True)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        # the levels and the suggested band whole; the competence shortened, whole in its
        # tooltip; the suggested band left out when there is no room (the competence's
        # tooltip tells it too)
        self.columns = ColumnFit(
            self.tree,
            whole=(1, 2, 3),
            giving=(0,),
            optional=(3,),
            alignment=Qt.AlignmentFlag.AlignLeft,
        )
        self.outcome_label = QLabel()
        self.outcome_label.setWordWrap(True)
        self.only_level = QCheckBox()
        self.only_level.setChecked(True)
        self.outcomes = QListWidget()
        self.outcomes.setWordWrap(True)
        self.outcomes.setSpacing(2)
        self.outcome_label.setBuddy(self.outcomes)
        self.outcome_note = QLabel()
        self.outcome_note.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.save_button = QPushButton()
        self.undo_button = QPushButton()

        outcome_box = QWidget()
        right = QVBoxLayout(outcome_box)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.outcome_label)
        right.addWidget(self.only_level)
        right.addWidget(self.outcomes, 1)
        right.addWidget(self.outcome_note)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(self.tree)
        self.splitter.addWidget(outcome_box)
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setSizes([640, 300])
        buttons = QHBoxLayout()
        buttons.addWidget(self.status, 1)
        buttons.addWidget(self.undo_button)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.splitter, 1)
        layout.addLayout(buttons)
        self.setTabOrder(self.tree, self.only_level)
        self.setTabOrder(self.only_level, self.outcomes)
        self.setTabOrder(self.outcomes, self.undo_button)
        self.setTabOrder(self.undo_button, self.save_button)

        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.currentItemChanged.connect(lambda *_a: self._fill_outcomes())
        self.only_level.toggled.connect(lambda *_a: self._fill_outcomes())
        self.outcomes.itemChanged.connect(self._on_outcome_changed)
        self.save_button.clicked.connect(self.save)
        self.undo_button.clicked.connect(self.undo)
        self.retranslate()

    # --- loading ------------------------------------------------------------------

    def load(self, case: CaseInfo, framework: Framework, own: dict[str, int | None]) -> None:
        self.case, self.framework, self._own = case, framework, own
        self._suggested = test_suggestions(self._context, case)
        self.editable = case.stage == "identification"
        self._saved = {t.competence_id: (t.level, frozenset(t.outcome_ids)) for t in case.targets}
        self._chosen = dict(self._saved)
        self._fill_tree()

    def _fill_tree(self) -> None:
        if self.framework is None:
            return
        current = self.current_competence()
        language = current_language()
        self._filling = True
        self.tree.clear()
        self._items.clear()
        self.combos.clear()
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for area in self.framework.areas:
            area_item = QTreeWidgetItem(
                [_("{id} {title}").format(id=area.id, title=area.title.get(language))]
            )
            area_item.setFont(0, bold)
            area_item.setToolTip(0, area_item.text(0))
            area_item.setFlags(Qt.ItemFlag.ItemIsEnabled)
            self.tree.addTopLevelItem(area_item)
            area_item.setFirstColumnSpanned(True)  # the area's title reads across the list
            for competence in area.competences:
                item = QTreeWidgetItem([competence_text(self.framework, competence.id)])
                item.setData(0, COMPETENCE_ROLE, competence.id)
                item.setToolTip(0, item.text(0))
                flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
                if self.editable:
                    flags |= Qt.ItemFlag.ItemIsUserCheckable
                item.setFlags(flags)
                chosen = competence.id in self._chosen
                item.setCheckState(0, Qt.CheckState.Checked if chosen else Qt.CheckState.Unchecked)
                item.setText(2, level_text(self.framework, self._own.get(competence.id)))
                suggested = self._suggested.get(competence.id)
                if suggested is not None:
                    item.setText(3, band_name(suggested.band))
                    item.setToolTip(
                        3,
                        suggestion := _(
                            "Skills test suggests band {band} for {competence} ({percent}): "
                            "the learner's own answers, a suggestion, not an assessment."
                        ).format(
                            band=band_name(suggested.band),
                            competence=competence.id,
                            percent=percent_text(suggested.percent),
                        ),
                    )
                    item.setToolTip(0, f"{item.text(0)}\n{suggestion}")
                area_item.addChild(item)
                self._items[competence.id] = item
                combo = QComboBox()
                for level in self.framework.levels:
                    combo.addItem(level_text(self.framework, level.number), level.number)
                combo.setAccessibleName(
                    _("Target level for {competence}").format(competence=competence.id)
                )
                combo.currentIndexChanged.connect(
                    lambda _i, c=competence.id: self._on_level_changed(c)
                )
                self.tree.setItemWidget(item, 1, combo)
                self.combos[competence.id] = combo
                self._show_level(competence.id)
            area_item.setExpanded(True)
        self._filling = False
        self._fit_columns()
        if current is not None:
            self.select_competence(current)
        self._fill_outcomes()
        self._update_status()

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # View > Text size: the choosers grow
            self._fit_columns()

    def _fit_columns(self) -> None:
        """The columns fitted to the list, the target level's column as wide as its
        choosers (in the style and the text size they are drawn in)."""
        for competence_id, combo in self.combos.items():
            combo.ensurePolished()
            self._items[competence_id].setSizeHint(1, combo.sizeHint())
        # the splitter leaves the list room for its narrowest columns
        self.tree.setMinimumWidth(self.columns.least_width())
        self.columns.fit()

    def _show_level(self, competence_id: str) -> None:
        combo = self.combos[competence_id]
        chosen = self._chosen.get(competence_id)
        combo.blockSignals(True)
        combo.setCurrentIndex(combo.findData(chosen[0]) if chosen is not None else -1)
        combo.blockSignals(False)
        combo.setEnabled(self.editable and chosen is not None)

    # --- editing ------------------------------------------------------------------

    def _default_level(self, competence_id: str) -> int:
        assert self.framework is not None
        own = self._own.get(competence_id)
        saved = self._saved.get(competence_id)
        if saved is not None:
            return saved[0]
        return own if own is not None else self.framework.levels[0].number

    def _on_item_changed(self, item: QTreeWidgetItem, column: int) -> None:
        competence_id = item.data(0, COMPETENCE_ROLE)
        if self._filling or column != 0 or competence_id is None:
            return
        if item.checkState(0) == Qt.CheckState.Checked:
            if competence_id not in self._chosen:
                saved = self._saved.get(competence_id)
                self._chosen[competence_id] = saved or (
                    self._default_level(competence_id),
                    frozenset(),
                )
        else:
            self._chosen.pop(competence_id, None)
        self._show_level(competence_id)
        if competence_id == self.current_competence():
            self._fill_outcomes()
        self._update_status()

    def _on_level_changed(self, competence_id: str) -> None:
        if competence_id not in self._chosen:
            return
        level = self.combos[competence_id].currentData()
        self._chosen[competence_id] = (level, self._chosen[competence_id][1])
        if competence_id == self.current_competence():
            self._fill_outcomes()
        self._update_status()

    def set_target(self, competence_id: str, level: int | None) -> None:
        """Tick (with ``level``) or untick a competence, as the check box and combo do."""
        item = self._items[competence_id]
        item.setCheckState(0, Qt.CheckState.Unchecked if level is None else Qt.CheckState.Checked)
        if level is not None:
            combo = self.combos[competence_id]
            combo.setCurrentIndex(combo.findData(level))

    def current_competence(self) -> str | None:
        item = self.tree.currentItem()
        return item.data(0, COMPETENCE_ROLE) if item is not None else None

    def select_competence(self, competence_id: str) -> None:
        item = self._items.get(competence_id)
        if item is not None:
            self.tree.setCurrentItem(item)

    def _fill_outcomes(self) -> None:
        self._filling = True
        self.outcomes.clear()
        framework, competence_id = self.framework, self.current_competence()
        has_outcomes = framework is not None and any(True for _o in framework.learning_outcomes())
        self.only_level.setVisible(has_outcomes)
        self.outcomes.setVisible(has_outcomes)
        if framework is None or not has_outcomes:
            self.outcome_label.setText(_("Learning outcomes"))
            self.outcome_note.setText(
                _("This framework has no learning outcomes to choose; the level is enough.")
            )
            self._filling = False
            return
        if competence_id is None:
            self.outcome_label.setText(_("Learning outco&mes aimed at"))
            self.outcome_note.setText(
                _("Choose a competence on the left to see its learning outcomes.")
            )
            self._filling = False
            return
        chosen = self._chosen.get(competence_id)
        language = current_language()
        self.outcome_label.setText(
            _("Learning outco&mes aimed at in {competence}:").format(competence=competence_id)
        )
        for outcome in framework.competence(competence_id).learning_outcomes:
            ticked = chosen is not None and outcome.id in chosen[1]
            other_level = chosen is not None and chosen[0] not in outcome.levels
            if self.only_level.isChecked() and other_level and not ticked:
                continue
            low, high = min(outcome.levels), max(outcome.levels)
            levels = str(low) if low == high else f"{low}–{high}"
            item = QListWidgetItem(
                _("[{type}, levels {levels}] {text}").format(
                    type=outcome_type_name(outcome.type),
                    levels=levels,
                    text=outcome.text.get(language),
                )
            )
            item.setData(OUTCOME_ROLE, outcome.id)
            flags = Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
            if self.editable and chosen is not None:
                flags |= Qt.ItemFlag.ItemIsUserCheckable
            item.setFlags(flags)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            item.setToolTip(outcome.id)
            self.outcomes.addItem(item)
        if chosen is None:
            note = _("Tick the competence first to choose its learning outcomes.")
        else:
            note = ngettext(
                "{count} learning outcome chosen.",
                "{count} learning outcomes chosen.",
                len(chosen[1]),
            ).format(count=len(chosen[1]))
        self.outcome_note.setText(note)
        self._filling = False

    def _on_outcome_changed(self, item: QListWidgetItem) -> None:
        competence_id = self.current_competence()
        if self._filling or competence_id not in self._chosen:
            return
        level, picked = self._chosen[competence_id]
        outcome_id = item.data(OUTCOME_ROLE)
        if item.checkState() == Qt.CheckState.Checked:
            picked = picked | {outcome_id}
        else:
            picked = picked - {outcome_id}
        self._chosen[competence_id] = (level, frozenset(picked))
        self.outcome_note.setText(
            ngettext(
                "{count} learning outcome chosen.", "{count} learning outcomes chosen.", len(picked)
            ).format(count=len(picked))
        )
        self._update_status()

    # --- saving -------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return self.editable and self._chosen != self._saved

    def drafts(self) -> list[TargetDraft]:
        order = [c.id for c in self.framework.competences()] if self.framework else []
        return [
            TargetDraft(cid, level, tuple(sorted(outcomes)))
            for cid, (level, outcomes) in sorted(
                self._chosen.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 0
            )
        ]

    def save(self) -> bool:
        if self.case is None:
            return False
        try:
            case = validation.set_targets(
                self._context.db,
                self._context.actor,
                self.case.id,
                self.drafts(),
                expected_version=self.case.version,
            )
        except ConcurrentChange as change:
            # their targets replace the unsaved ones, as for an assessment saved by someone else
            self.overtaken.emit(
                change.current,
                str(change) + " " + _("Check their targets, change what is needed and save again."),
            )
            return False
        except ServiceError as error:
            self.failed.emit(str(error))
            return False
        self.saved.emit(case)
        return True

    def undo(self) -> None:
        self._chosen = dict(self._saved)
        self._fill_tree()

    def _update_status(self) -> None:
        count = len(self._chosen)
        text = ngettext(
            "{count} target competence chosen.", "{count} target competences chosen.", count
        ).format(count=count)
        if not self.editable:
            text = _(
                "The targets can be changed only at the identification stage; go back to it "
                "to change them."
            )
        elif self.dirty:
            text += " " + _("Not saved yet.")
        self.status.setText(text)
        self.save_button.setEnabled(self.dirty)
        self.undo_button.setEnabled(self.dirty)

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "Tick the competences to recognise and choose the level aimed at in each. "
                "The ticks start from the learner's own self-assessment."
            )
        )
        self.tree.setHeaderLabels(
            [_("Competence"), _("Target level"), _("Self-assessed"), _("Skills test suggests")]
        )
        self.tree.setAccessibleName(_("Target competences"))
        self.only_level.setText(_("Show only outcomes at the &target level"))
        self.only_level.setAccessibleName(_("Show only outcomes at the target level"))
        self.outcomes.setAccessibleName(_("Learning outcomes aimed at"))
        self.save_button.setText(_("&Save targets"))
        self.save_button.setAccessibleName(_("Save targets"))
        self.undo_button.setText(_("&Undo changes"))
        self.undo_button.setAccessibleName(_("Undo changes"))
        self._fill_tree()
        self._fill_outcomes()
        self._update_status()
