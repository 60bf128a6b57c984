"""The self-assessment screen: choose the purpose, then answer competence by competence."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from digcomp_app.framework import Framework
from digcomp_app.i18n import _
from digcomp_app.services import mobilities, self_assessment
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.self_assessment import SelfAssessmentInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.self_assessment.purposes import Purpose
from digcomp_app.ui.screens.self_assessment.questionnaire import QuestionnairePage
from digcomp_app.ui.screens.self_assessment.start_page import StartPage


class SelfAssessmentScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.start_page = StartPage(context.library)
        self.questionnaire = QuestionnairePage(context)
        self.pages = QStackedWidget()
        self.pages.addWidget(self.start_page)
        self.pages.addWidget(self.questionnaire)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.start_page.start_requested.connect(self.start)
        self.start_page.results_requested.connect(lambda: context.navigate("results"))
        self.questionnaire.finished.connect(self._on_finished)
        self.questionnaire.left.connect(self._on_left)

    def refresh(self) -> None:
        """Shown again: keep the open self-assessment where it was, else reload the choices."""
        if self.pages.currentWidget() is self.questionnaire and self.questionnaire.reload():
            return
        self.pages.setCurrentWidget(self.start_page)
        self._load_choices()

    # --- unsaved changes (digcomp_app.ui.unsaved): every answer is saved at once, the
    # note when it is left; a note still being typed is the one change that can wait

    def has_unsaved_changes(self) -> bool:
        return (
            self.pages.currentWidget() is self.questionnaire and self.questionnaire.note_unsaved()
        )

    def save_changes(self) -> bool:
        return self.questionnaire._save_note()

    def discard_changes(self) -> None:
        self.questionnaire.discard_note()

    def unsaved_title(self) -> str:
        return _("Self-assessment: note")

    def retranslate(self) -> None:
        self.start_page.retranslate()
        self.questionnaire.retranslate()

    def _load_choices(self) -> None:
        actor = self._context.actor
        if actor.learner_id is None:
            self.start_page.show_problem(
                _(
                    "Your account is not linked to a learner record, so there is nothing to "
                    "assess. Ask your coordinator to link it."
                )
            )
            return
        try:
            found = mobilities.list_all(self._context.db, actor)
            history = self_assessment.history(self._context.db, actor, actor.learner_id)
        except ServiceError as error:
            self.start_page.show_problem(
                _("Your self-assessments could not be read: {problem}").format(problem=error)
            )
            return
        self.start_page.set_data(found, history)

    def start(self, purpose: Purpose, framework: Framework) -> None:
        try:
            info = self_assessment.start(
                self._context.db,
                self._context.actor,
                framework.id,
                framework.version,
                mobility_id=purpose.mobility_id,
                moment=purpose.moment,
            )
        except ServiceError as error:
            self.start_page.show_problem(
                _("The self-assessment could not be started: {problem}").format(problem=error)
            )
            return
        self.questionnaire.open(info, framework, purpose)
        self.pages.setCurrentWidget(self.questionnaire)
        self.questionnaire.panel.focus_levels()

    def _on_finished(self, info: SelfAssessmentInfo) -> None:
        self.pages.setCurrentWidget(self.start_page)
        self._load_choices()
        self.start_page.show_finished(info)
        self.start_page.results_button.setFocus()
        self._context.notify(_("Your self-assessment is finished and saved."))

    def _on_left(self) -> None:
        self.pages.setCurrentWidget(self.start_page)
        self._load_choices()
        self.start_page.start_button.setFocus()
        self._context.notify(_("Your answers are saved; continue whenever you like."))
