"""The skills test screen: choose the purpose, answer item by item, see the result."""

from __future__ import annotations

from PySide6.QtWidgets import QStackedWidget, QVBoxLayout, QWidget

from digcomp_app.i18n import _
from digcomp_app.services import mobilities, skills_test
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.skills_test import SkillsTestInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.self_assessment.purposes import Purpose
from digcomp_app.ui.screens.skills_test.result_page import ResultPage
from digcomp_app.ui.screens.skills_test.start_page import StartPage
from digcomp_app.ui.screens.skills_test.test_page import TestPage


class SkillsTestScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.start_page = StartPage()
        self.test_page = TestPage(context)
        self.result_page = ResultPage(context.library)
        self.pages = QStackedWidget()
        for page in (self.start_page, self.test_page, self.result_page):
            self.pages.addWidget(page)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.pages)
        self.start_page.start_requested.connect(self.start)
        self.start_page.result_requested.connect(self.show_result)
        self.test_page.finished.connect(self._on_finished)
        self.test_page.left.connect(self._on_left)
        self.result_page.done.connect(self._back_to_start)

    def refresh(self) -> None:
        """Shown again: keep an open test where it was, else reload the choices."""
        if self.pages.currentWidget() is self.test_page and self.test_page.info is not None:
            return
        if self.pages.currentWidget() is not self.result_page:
            self.pages.setCurrentWidget(self.start_page)
        self._load()

    def retranslate(self) -> None:
        self.start_page.retranslate()
        self.test_page.retranslate()
        self.result_page.retranslate()

    def _load(self) -> None:
        actor = self._context.actor
        if actor.learner_id is None:
            self.start_page.show_problem(
                _(
                    "Your account is not linked to a learner record, so there is no test to "
                    "take. Ask your coordinator to link it."
                )
            )
            return
        try:
            found = mobilities.list_all(self._context.db, actor)
            history = skills_test.history(self._context.db, actor, actor.learner_id)
        except ServiceError as error:
            self.start_page.show_problem(
                _("Your skills tests could not be read: {problem}").format(problem=error)
            )
            return
        self.start_page.set_data(found, history)

    def start(self, purpose: Purpose, language: str) -> None:
        try:
            info = skills_test.start(
                self._context.db,
                self._context.actor,
                language,
                mobility_id=purpose.mobility_id,
                moment=purpose.moment,
            )
        except ServiceError as error:
            self.start_page.show_problem(
                _("The skills test could not be started: {problem}").format(problem=error)
            )
            return
        self.test_page.open(info)
        self.pages.setCurrentWidget(self.test_page)
        self.test_page.show_item()

    def show_result(self, test: SkillsTestInfo) -> None:
        db, actor = self._context.db, self._context.actor
        try:
            found = skills_test.result(db, actor, test.id)
            compared = skills_test.compare(db, actor, test.learner_id, test.mobility_id)
        except ServiceError as error:
            self.start_page.show_problem(
                _("The result could not be read: {problem}").format(problem=error)
            )
            return
        self.result_page.show_result(found, compared)
        self.pages.setCurrentWidget(self.result_page)
        self.result_page.competences.setFocus()

    def _on_finished(self, info: SkillsTestInfo) -> None:
        self.show_result(info)
        self._context.notify(_("Your skills test is finished and saved."))

    def _on_left(self) -> None:
        self.test_page.info = None
        self._back_to_start()
        self._context.notify(_("Your answers are saved; continue whenever you like."))

    def _back_to_start(self) -> None:
        self.pages.setCurrentWidget(self.start_page)
        self._load()
        self.start_page.start_button.setFocus()
