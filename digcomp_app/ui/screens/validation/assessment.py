"""Assessment: per target competence the level reached, the method and a comment, beside
the learner's own rating, with a flag where the two differ by two levels or more."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QLabel,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _, format_date
from digcomp_app.services import validation
from digcomp_app.services.errors import ConcurrentChange, ServiceError
from digcomp_app.services.validation import METHOD_NAMES, CaseInfo, GapRow
from digcomp_app.ui.column_fit import ColumnFit
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.validation.assessment_form import AssessmentForm, FormValues, flag_text
from digcomp_app.ui.screens.validation.common import competence_text, level_text

COMPETENCE_ROLE = Qt.ItemDataRole.UserRole
FLAG_COLOUR = QColor("#b3261e")


class AssessmentPage(QWidget):
    saved = Signal()  # the case changed: reload it
    failed = Signal(str)
    done = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.case: CaseInfo | None = None
        self.framework: Framework | None = None
        self.editable = False
        self._own: dict[str, int | None] = {}
        self._versions: dict[str, int | None] = {}
        self._drafts: dict[str, FormValues] = {}
        self._shown: str | None = None

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.table = QTreeWidget()
        self.table.setColumnCount(5)
        self.table.setRootIsDecorated(False)
        self.table.setUniformRowHeights(True)
        self.table.setTextElideMode(Qt.TextElideMode.ElideRight)
        # levels whole; the competence and the method shortened, whole in their tooltips
        self.columns = ColumnFit(
            self.table,
            whole=(1, 2, 3),
            giving=(0, 4),
            alignment=Qt.AlignmentFlag.AlignLeft,
        )
        self.form = AssessmentForm()
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.addWidget(self.table)
        self.splitter.addWidget(self.form)
        self.splitter.setStretchFactor(0, 2)
        self.splitter.setStretchFactor(1, 3)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.table, self.form.level)

        self.table.currentItemChanged.connect(self._on_current)
        self.form.edited.connect(self._update_state)
        self.form.save_button.clicked.connect(self.save)
        self.form.revert_button.clicked.connect(self.revert)
        self.retranslate()

    # --- loading ------------------------------------------------------------------

    def load(self, case: CaseInfo, framework: Framework, gaps: list[GapRow]) -> None:
        if self.case is None or self.case.id != case.id:
            self._drafts.clear()
            self._shown = None
        else:
            self._stash()
        self.case, self.framework = case, framework
        self.editable = case.stage == "assessment"
        self._own = {row.competence_id: row.self_level for row in gaps}
        self._versions = {
            t.competence_id: (a.version if (a := case.assessment_for(t.competence_id)) else None)
            for t in case.targets
        }
        self.form.set_framework(framework)
        self._fill_table()

    def _stash(self) -> None:
        """Keep the form's unsaved values for the competence it shows."""
        if self._shown is None or self.case is None:
            return
        values = self.form.values()
        if values != self._saved_values(self._shown):
            self._drafts[self._shown] = values
        else:
            self._drafts.pop(self._shown, None)

    def _fill_table(self) -> None:
        if self.case is None or self.framework is None:
            return
        shown = self._shown
        self.table.blockSignals(True)
        self.table.clear()
        for target in self.case.targets:
            cid = target.competence_id
            info = self.case.assessment_for(cid)
            own = self._own.get(cid)
            item = QTreeWidgetItem(
                [
                    competence_text(self.framework, cid),
                    str(target.level),
                    level_text(self.framework, own) if own is not None else "–",
                    (str(info.level) if info else "–") + (" ✎" if cid in self._drafts else ""),
                    _(METHOD_NAMES[info.method]) if info else "",
                ]
            )
            item.setData(0, COMPETENCE_ROLE, cid)
            flag = flag_text(own, info.level if info else None)
            if flag:
                for column in range(5):
                    item.setForeground(column, QBrush(FLAG_COLOUR))
                item.setText(0, "⚑ " + item.text(0))
            title = competence_text(self.framework, cid)
            item.setToolTip(0, f"{title}\n{flag}" if flag else title)
            if info:
                item.setToolTip(4, item.text(4))
            if cid in self._drafts:
                item.setToolTip(3, _("Changed, not saved yet"))
            self.table.addTopLevelItem(item)
        self.table.blockSignals(False)
        self.columns.fit()
        ids = [t.competence_id for t in self.case.targets]
        self._shown = None
        self.select_competence(
            shown if shown in ids else self.first_unassessed() or (ids[0] if ids else None)
        )

    def first_unassessed(self, after: str | None = None) -> str | None:
        if self.case is None:
            return None
        ids = [t.competence_id for t in self.case.targets]
        start = ids.index(after) + 1 if after in ids else 0
        for cid in ids[start:] + ids[:start]:
            if self.case.assessment_for(cid) is None and cid != after:
                return cid
        return None

    def select_competence(self, competence_id: str | None) -> None:
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item.data(0, COMPETENCE_ROLE) == competence_id:
                if self.table.currentItem() is item:
                    if competence_id != self._shown:  # shown already: keep what was typed
                        self._show_form(competence_id)
                else:
                    self.table.setCurrentItem(item)
                return
        self._show_form(None)

    def flag_for(self, competence_id: str) -> str:
        """The flag the table shows for a competence ("" when none)."""
        for index in range(self.table.topLevelItemCount()):
            item = self.table.topLevelItem(index)
            if item.data(0, COMPETENCE_ROLE) == competence_id and item.text(0).startswith("⚑"):
                return item.toolTip(0)
        return ""

    # --- the form -----------------------------------------------------------------

    def _saved_values(self, competence_id: str) -> FormValues:
        return FormValues.of(self.case.assessment_for(competence_id) if self.case else None)

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        self._stash()
        self._show_form(current.data(0, COMPETENCE_ROLE) if current is not None else None)

    def _show_form(self, competence_id: str | None) -> None:
        self._shown = competence_id
        if competence_id is None or self.framework is None or self.case is None:
            self.form.show_competence("", None, _("Choose a target competence above to assess it."))
            self.form.set_values(FormValues(None, None, "", ""))
            return
        info = self.case.assessment_for(competence_id)
        by = (
            _("Assessed by {who} on {date}").format(
                who=info.assessor, date=format_date(info.assessed_on)
            )
            if info
            else _("Not assessed yet.")
        )
        self.form.show_competence(
            competence_text(self.framework, competence_id), self._own.get(competence_id), by
        )
        self.form.set_values(self._drafts.get(competence_id) or self._saved_values(competence_id))

    # --- saving -------------------------------------------------------------------

    @property
    def dirty(self) -> bool:
        return bool(self.unsaved())

    def unsaved(self) -> list[str]:
        """The competences with changes not saved yet (the one in the form included)."""
        ids = set(self._drafts)
        if self._shown is not None:
            if self.form.values() != self._saved_values(self._shown):
                ids.add(self._shown)
            else:
                ids.discard(self._shown)
        order = [t.competence_id for t in self.case.targets] if self.case else []
        return [c for c in order if c in ids]

    def save(self) -> bool:
        cid = self._shown
        if self.case is None or cid is None:
            return False
        values = self.form.values()
        if values.level is None or values.method is None:
            self.failed.emit(_("Choose the level reached and the assessment method, then save."))
            return False
        try:
            validation.record_assessment(
                self._context.db,
                self._context.actor,
                self.case.id,
                cid,
                values.level,
                values.method,
                values.comment,
                values.criteria,
                expected_version=self._versions.get(cid),
            )
        except ConcurrentChange as change:
            self._drafts.pop(cid, None)
            self._shown = None  # the reload puts the other person's values in the form
            self.saved.emit()
            self.select_competence(cid)
            self.failed.emit(
                str(change) + " " + _("Check their values, change what is needed and save again.")
            )
            return False
        except ServiceError as error:
            self.failed.emit(str(error))
            return False
        self._drafts.pop(cid, None)
        self._shown = None
        self.saved.emit()
        self.select_competence(self.first_unassessed(after=cid) or cid)
        self.done.emit(_("Assessment of {competence} saved.").format(competence=cid))
        return True

    def discard_all(self) -> None:
        """Drop every unsaved assessment (the one in the form too)."""
        self._drafts.clear()
        if self._shown is not None:
            self.form.set_values(self._saved_values(self._shown))
        self._fill_table()
        self._update_state()

    def revert(self) -> None:
        if self._shown is not None:
            self._drafts.pop(self._shown, None)
            self.form.set_values(self._saved_values(self._shown))
            self._fill_table()

    def _update_state(self) -> None:
        changed = self._shown is not None and self.form.values() != self._saved_values(self._shown)
        self.form.set_editable(self.editable, changed)
        stage = self.case.stage if self.case else ""
        if self.editable:
            text = _(
                "Choose a target competence, record the level reached, how it was assessed and "
                "why. The learner's own rating is shown beside it; ⚑ marks a difference of "
                "two levels or more."
            )
        elif stage in ("identification", "documentation"):
            text = _("Assessment opens when the case reaches the assessment stage.")
        elif stage == "certification":
            text = _(
                "The case was sent to certification. To correct an assessment, go back a stage."
            )
        else:
            text = _(
                "The certificate has been issued and never changes; the coordinator can "
                "revoke it to correct it."
            )
        self.intro.setText(text)

    def retranslate(self) -> None:
        self.table.setHeaderLabels(
            [_("Competence"), _("Target"), _("Self-assessed"), _("Assessed"), _("Method")]
        )
        self.table.setAccessibleName(_("Target competences and their assessment"))
        self._stash()
        self.form.retranslate()
        self._fill_table()
        self._update_state()
