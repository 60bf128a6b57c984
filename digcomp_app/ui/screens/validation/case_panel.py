"""One learner's validation case: the four-step path, the page of the step shown, the
stage history, the buttons that move the case, and the learner's profile report (PDF)."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QStyle,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _
from digcomp_app.presenters import validation as presenter
from digcomp_app.services import mobilities, validation
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.validation import CaseInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import DocumentRunner
from digcomp_app.ui.screens.validation.assessment import AssessmentPage
from digcomp_app.ui.screens.validation.certification import CertificationPage
from digcomp_app.ui.screens.validation.common import MessageBar
from digcomp_app.ui.screens.validation.dialogs import ReasonDialog, ask_new_case
from digcomp_app.ui.screens.validation.documentation import EvidencePage
from digcomp_app.ui.screens.validation.history import StageHistory
from digcomp_app.ui.screens.validation.identification import TargetsPage, self_levels
from digcomp_app.ui.screens.validation.steps import StepIndicator
from digcomp_app.ui.unsaved import confirm_leave

if TYPE_CHECKING:
    from digcomp_app.services.reports import ReportFile


class CasePanel(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.learner_id: int | None = None
        self.learner_name = ""
        self.mobility_hint: int | None = None
        self.cases: list[CaseInfo] = []
        self.case: CaseInfo | None = None
        self.framework: Framework | None = None
        self._mobility_titles: dict[int, str] = {}

        self.title = QLabel()
        self.case_label = QLabel()
        self.case_combo = QComboBox()
        # as wide as the row allows, not as its longest case: a larger font must still fit;
        # its list is as wide as the longest case, and the chosen case is whole in the tooltip
        self.case_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.case_combo.setMinimumContentsLength(24)
        self.case_label.setBuddy(self.case_combo)
        self.open_button = QPushButton()
        self.report_button = QPushButton()
        self.documents = DocumentRunner(self, context)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.first_case_button = QPushButton()
        self.empty_box = QWidget()
        empty = QVBoxLayout(self.empty_box)
        empty.setContentsMargins(0, 12, 0, 0)
        empty.addWidget(self.empty)
        empty.addWidget(self.first_case_button, 0, Qt.AlignmentFlag.AlignLeft)
        empty.addStretch(1)
        self.steps = StepIndicator()
        self.history = StageHistory()
        self.message = MessageBar()
        self.targets = TargetsPage(context)
        self.evidence = EvidencePage(context)
        self.assessment = AssessmentPage(context)
        self.certification = CertificationPage()
        self.pages = {
            "identification": self.targets,
            "documentation": self.evidence,
            "assessment": self.assessment,
            "certification": self.certification,
        }
        self.stack = QStackedWidget()
        for page in self.pages.values():
            self.stack.addWidget(page)
        self.back_button = QPushButton()
        self.advance_button = QPushButton()

        top = QHBoxLayout()
        top.addWidget(self.case_label)
        top.addWidget(self.case_combo, 1)
        top.addWidget(self.open_button)
        top.addWidget(self.report_button)
        self.body = QWidget()
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addWidget(self.steps)
        body.addWidget(self.history)
        body.addWidget(self.stack, 1)
        moves = QHBoxLayout()
        moves.addWidget(self.back_button)
        moves.addStretch(1)
        moves.addWidget(self.advance_button)
        body.addLayout(moves)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.message)
        layout.addWidget(self.empty_box, 1)
        layout.addWidget(self.body, 1)
        self.setTabOrder(self.case_combo, self.open_button)
        self.setTabOrder(self.open_button, self.report_button)
        self.setTabOrder(self.report_button, self.steps)

        self.case_combo.activated.connect(self._on_case_chosen)
        self.case_combo.currentIndexChanged.connect(lambda _i: self._fit_chooser())
        self.open_button.clicked.connect(lambda _checked=False: self.open_case())
        self.first_case_button.clicked.connect(lambda _checked=False: self.open_case())
        self.report_button.clicked.connect(lambda _checked=False: self.save_profile_report())
        self.documents.finished.connect(self._on_document)
        self.steps.step_chosen.connect(self.show_step)
        self.back_button.clicked.connect(lambda _checked=False: self.go_back())
        self.advance_button.clicked.connect(self.advance)
        self.targets.saved.connect(self._on_targets_saved)
        self.targets.overtaken.connect(self._on_targets_overtaken)
        self.evidence.changed.connect(lambda: self.reload(pages=()))
        self.assessment.saved.connect(lambda: self.reload(pages=("assessment", "certification")))
        for page in (self.targets, self.evidence, self.assessment):
            page.failed.connect(self.message.show_error)
        for page in (self.evidence, self.assessment):
            page.done.connect(self._done)
        self.retranslate()
        self._show(None)

    # --- which learner and case ---------------------------------------------------

    def show_learner(self, learner_id: int, name: str, mobility_id: int | None) -> None:
        self.learner_id, self.learner_name, self.mobility_hint = learner_id, name, mobility_id
        self.message.clear_message()
        self.case = None
        self._load_cases()

    def _load_cases(self, select_id: int | None = None) -> None:
        db, actor = self._context.db, self._context.actor
        try:
            # this learner's cases only (not every case of the school, read and dropped)
            self.cases = (
                validation.list_cases(db, actor, learner_id=self.learner_id)
                if self.learner_id is not None
                else []
            )
        except ServiceError as error:
            self.cases = []
            self.message.show_error(str(error))
        if select_id is None:
            select_id = presenter.first_case(self.cases, self.mobility_hint)
        self._fill_combo(select_id)
        self._show(next((c for c in self.cases if c.id == select_id), None))

    def _fill_combo(self, select_id: int | None) -> None:
        self.case_combo.blockSignals(True)
        self.case_combo.clear()
        for case in self.cases:
            self.case_combo.addItem(self._case_text(case), case.id)
        self.case_combo.setCurrentIndex(self.case_combo.findData(select_id))
        self.case_combo.blockSignals(False)
        self._fit_chooser()

    def _fit_chooser(self) -> None:
        """The case chooser's list as wide as its longest case (at the text size in use), and
        the chosen case whole in the box's tooltip (the box may be too narrow for it)."""
        combo = self.case_combo
        view = combo.view()
        metrics = view.fontMetrics()
        texts = [combo.itemText(i) for i in range(combo.count())]
        widest = max((metrics.horizontalAdvance(text) for text in texts), default=0)
        style = view.style()
        margins = 2 * (style.pixelMetric(QStyle.PixelMetric.PM_FocusFrameHMargin, None, view) + 1)
        margins += 2 * view.frameWidth() + 2 * metrics.averageCharWidth()
        scroll_bar = style.pixelMetric(QStyle.PixelMetric.PM_ScrollBarExtent, None, view)
        view.setMinimumWidth(widest + margins + scroll_bar if texts else 0)
        combo.setToolTip(combo.currentText())

    def changeEvent(self, event: QEvent) -> None:  # noqa: N802 - Qt's name
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:  # View > Text size
            self._fit_chooser()

    def _mobility_title(self, mobility_id: int | None) -> str:
        if mobility_id is None:
            return presenter.no_mobility_title(None)
        if mobility_id not in self._mobility_titles:
            try:
                info = mobilities.get(self._context.db, self._context.actor, mobility_id)
                self._mobility_titles[mobility_id] = info.title
            except ServiceError:  # e.g. the mobility was deleted meanwhile
                return presenter.no_mobility_title(mobility_id)
        return self._mobility_titles[mobility_id]

    def _case_text(self, case: CaseInfo) -> str:
        return presenter.case_text(case, self._mobility_title)

    def _on_case_chosen(self, index: int) -> None:
        case_id = self.case_combo.itemData(index)
        if self.case is not None and case_id == self.case.id:
            return
        if not self.confirm_leave():
            self._fill_combo(self.case.id if self.case else None)
            return
        self.message.clear_message()
        self._show(next((c for c in self.cases if c.id == case_id), None))

    def _show(self, case: CaseInfo | None, pages: tuple[str, ...] | None = None) -> None:
        """Show ``case`` and load the named pages (all when None)."""
        previous = self.case
        self.case = case
        shown = self._panel()
        self.case_label.setVisible(shown.shows_case_list)
        self.case_combo.setVisible(shown.shows_case_list)
        self.open_button.setVisible(shown.offers_new_case)
        self.first_case_button.setVisible(shown.offers_first_case)
        self.report_button.setVisible(shown.offers_report)
        self.body.setVisible(shown.shows_case)
        self.empty_box.setVisible(not shown.shows_case)
        self._update_texts()
        if case is None:
            return
        try:
            self.framework = self._context.library.get(case.framework_id, case.framework_version)
        except LookupError as error:
            self.body.hide()
            self.message.show_error(str(error))
            return
        index = self.case_combo.findData(case.id)
        if index >= 0:
            self.case_combo.setItemText(index, self._case_text(case))
            self._fit_chooser()
        self.steps.set_stage(case.stage)
        self.history.load(case)
        db, actor = self._context.db, self._context.actor
        wanted = presenter.pages_to_load(pages)
        try:
            if "identification" in wanted:
                self.targets.load(case, self.framework, self_levels(self._context, case))
            if "documentation" in wanted:
                self.evidence.load(case, self.framework)
            if "assessment" in wanted:
                gaps = validation.self_vs_assessed(db, actor, case.id)
                self.assessment.load(case, self.framework, gaps)
            if "certification" in wanted:
                self.certification.load(case, self.framework)
        except ServiceError as error:
            self.message.show_error(str(error))
        if previous is None or previous.id != case.id or previous.stage != case.stage:
            self.show_step(presenter.step_of(case.stage))

    def reload(self, pages: tuple[str, ...] | None = None) -> None:
        """Read the case again after a change (and load the named pages, all when None)."""
        if self.case is None:
            return
        try:
            case = validation.get_case(self._context.db, self._context.actor, self.case.id)
        except ServiceError as error:
            self.message.show_error(str(error))
            return
        self.cases = [case if c.id == case.id else c for c in self.cases]
        self._show(case, pages)

    def show_step(self, step: str) -> None:
        self.steps.show_step(step)
        self.stack.setCurrentWidget(self.pages[step])

    # --- moving the case ----------------------------------------------------------

    def confirm_leave(self) -> bool:
        """Before showing another case: save, discard or keep unsaved changes."""
        return confirm_leave(self, [self])

    # --- unsaved changes (digcomp_app.ui.unsaved) ----------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.case is not None and (self.targets.dirty or self.assessment.dirty)

    def save_changes(self) -> bool:
        if self.targets.dirty and not self.targets.save():
            return False
        for competence_id in self.assessment.unsaved():
            self.assessment.select_competence(competence_id)
            if not self.assessment.save():
                return False
        return True

    def discard_changes(self) -> None:
        if self.targets.dirty:
            self.targets.undo()
        self.assessment.discard_all()

    def unsaved_title(self) -> str:
        name = self.case.learner_name if self.case is not None else ""
        return _("Case: {name}").format(name=name)

    def advance(self) -> None:
        case = self.case
        if case is None:
            return
        self.message.clear_message()
        if case.stage == "identification" and self.targets.dirty and not self.targets.save():
            return
        unsaved = self.assessment.unsaved() if case.stage == "assessment" else []
        problem = presenter.unsaved_before_advance(case.stage, unsaved)
        if problem:
            self.show_step("assessment")
            self.message.show_error(problem)
            return
        try:
            moved = validation.advance(self._context.db, self._context.actor, case.id)
        except ServiceError as error:
            self.show_step(presenter.step_of(case.stage))
            self.message.show_error(str(error))
            return
        self._after_move(moved)
        self._done(presenter.moved_text(moved, forward=True))

    def go_back(self, reason: str | None = None) -> None:
        """Move the case back a stage; without ``reason``, ask for it."""
        case = self.case
        if case is None:
            return
        self.message.clear_message()
        if reason is None:
            dialog = ReasonDialog(case.stage, presenter.previous_stage(case.stage), self)
            if dialog.exec() != ReasonDialog.DialogCode.Accepted:
                return
            reason = dialog.text()
        try:
            moved = validation.go_back(self._context.db, self._context.actor, case.id, reason)
        except ServiceError as error:
            self.message.show_error(str(error))
            return
        self._after_move(moved)
        self._done(presenter.moved_text(moved, forward=False))

    def _after_move(self, moved: CaseInfo) -> None:
        self.cases = [moved if c.id == moved.id else c for c in self.cases]
        self._show(moved)

    def open_case(
        self, mobility_id: int | None = None, framework: tuple[str, str] | None = None
    ) -> None:
        """Open a new case for the learner; without a framework, ask which one."""
        if self.learner_id is None or not self.confirm_leave():
            return
        db, actor = self._context.db, self._context.actor
        self.message.clear_message()
        if framework is None:
            try:
                choice = ask_new_case(
                    self,
                    self._context,
                    self.learner_id,
                    self.learner_name,
                    self.mobility_hint,
                    self._mobility_title,
                )
            except ServiceError as error:
                self.message.show_error(str(error))
                return
            if choice is None:
                return
            mobility_id, framework = choice
        try:
            case = validation.open_case(db, actor, self.learner_id, mobility_id, *framework)
        except ServiceError as error:
            self.message.show_error(str(error))
            return
        self.case = None
        self._load_cases(select_id=case.id)
        self._done(
            _("Case no. {id} opened for {name}; it starts at identification.").format(
                id=case.id, name=case.learner_name
            )
        )

    def _on_targets_saved(self, case: CaseInfo) -> None:
        self._after_move(case)
        self._done(_("Targets saved."))

    def _on_targets_overtaken(self, case: CaseInfo, text: str) -> None:
        """Someone else saved the targets first: show theirs and say so."""
        self._after_move(case)
        self.message.show_error(text)

    def _done(self, text: str) -> None:
        self.message.show_info(text)
        self._context.notify(text)

    # --- the profile report ---------------------------------------------------------

    def save_profile_report(self) -> None:
        """Ask the language and folder, then save the learner's profile report (PDF): for
        the mobility of the case shown, or all the learner's results without a case."""
        learner_id = self.learner_id
        if learner_id is None:
            return
        db, actor = self._context.db, self._context.actor
        mobility_id = self.case.mobility_id if self.case is not None else None
        self.message.clear_message()

        def make(language: str) -> ReportFile:
            from digcomp_app.services import reports  # reportlab: loaded when first needed

            return reports.profile(db, actor, learner_id, language, mobility_id)

        intro = presenter.report_intro(
            self.learner_name,
            self._mobility_title(mobility_id) if mobility_id is not None else None,
        )
        self.documents.save_report(_("Save the profile report"), intro, make)

    def _on_document(self, text: str) -> None:
        task = self.documents.task
        if task is not None and task.error is not None:
            self.message.show_error(text)
        else:
            self.message.show_info(text)

    # --- texts --------------------------------------------------------------------

    def _panel(self) -> presenter.Panel:
        name = self.learner_name if self.learner_id is not None else None
        return presenter.panel(name, self.cases, self.case)

    def _update_texts(self) -> None:
        shown = self._panel()
        self.title.setText("<h2>" + escape(shown.title) + "</h2>")
        self.empty.setText(shown.note)
        moves = presenter.moves(self.case)
        self.back_button.setEnabled(moves.can_go_back)
        self.advance_button.setEnabled(moves.can_advance)
        self.advance_button.setText(moves.advance_text)
        self.advance_button.setAccessibleName(moves.advance_name)
        self.advance_button.setToolTip(moves.advance_tip)

    def retranslate(self) -> None:
        self.case_label.setText(_("&Case:"))
        self.case_combo.setAccessibleName(_("Validation case"))
        self.open_button.setText(_("&Open a new case…"))
        self.open_button.setAccessibleName(_("Open a new validation case"))
        self.first_case_button.setText(_("&Open a validation case…"))
        self.report_button.setText(_("&Profile report (PDF)…"))
        self.report_button.setAccessibleName(_("Save the learner's profile report (PDF)"))
        self.report_button.setToolTip(
            _("Save the learner's profile report as a PDF file, in Latvian or English.")
        )
        self.first_case_button.setAccessibleName(_("Open a validation case"))
        self.back_button.setText(_("◀ &Back a stage…"))
        self.back_button.setAccessibleName(_("Back a stage"))
        self.empty.setAccessibleName(_("Case note"))
        self.title.setAccessibleName(_("Learner"))
        for index, case in enumerate(self.cases):
            self.case_combo.setItemText(index, self._case_text(case))
        self._update_texts()
        self.steps.retranslate()
        self.history.retranslate()
        for page in (self.targets, self.evidence, self.assessment, self.certification):
            page.retranslate()
