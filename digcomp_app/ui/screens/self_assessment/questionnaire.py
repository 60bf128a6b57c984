"""Answering a self-assessment one competence at a time; every answer is saved at once."""

from __future__ import annotations

import itertools
from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Competence, Framework
from digcomp_app.i18n import _, ngettext
from digcomp_app.services import self_assessment
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.self_assessment import SelfAssessmentInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.self_assessment.navigator import Navigator
from digcomp_app.ui.screens.self_assessment.panel import CompetencePanel
from digcomp_app.ui.screens.self_assessment.purposes import Purpose, framework_name


def key_text(keys: str) -> str:
    """Keys as the shortcut itself names them, in the language of Qt's own texts."""
    return QKeySequence(keys).toString(QKeySequence.SequenceFormat.NativeText)


_PROBLEM_STYLE = "QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 3px; }"


class QuestionnairePage(QWidget):
    #: the self-assessment was completed (its SelfAssessmentInfo)
    finished = Signal(object)
    #: the learner chose to carry on later
    left = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.info: SelfAssessmentInfo | None = None
        self.framework: Framework | None = None
        self.purpose: Purpose | None = None
        self._competences: list[Competence] = []
        self.index = 0

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setMaximumWidth(220)
        self.navigator_label = QLabel()
        self.navigator = Navigator()
        self.navigator_label.setBuddy(self.navigator)
        self.panel = CompetencePanel(on_focus=self._ensure_visible)
        self.scroll = QScrollArea()
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setWidget(self.panel)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_PROBLEM_STYLE)
        self.message.hide()
        self.back_button = QPushButton()
        self.next_button = QPushButton()
        self.finish_button = QPushButton()
        self.later_button = QPushButton()

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.progress_label)
        top.addWidget(self.progress)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.navigator_label)
        left_layout.addWidget(self.navigator, 1)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.scroll)
        splitter.setStretchFactor(0, 2)
        splitter.setStretchFactor(1, 5)
        splitter.setSizes([340, 720])
        splitter.setChildrenCollapsible(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.finish_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        for keys, slot in (("Alt+Left", self.back_button), ("Alt+Right", self.next_button)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(lambda b=slot: b.isEnabled() and b.click())
        self.back_button.clicked.connect(lambda: self.go(self.index - 1))
        self.next_button.clicked.connect(lambda: self.go(self.index + 1))
        self.finish_button.clicked.connect(self.finish)
        self.later_button.clicked.connect(self.leave)
        self.navigator.competence_chosen.connect(self._on_chosen)
        self.panel.answer_changed.connect(self._save)
        self.panel.note_finished.connect(self._note_left)
        self.panel.controls_changed.connect(self.apply_tab_order)
        self.retranslate()

    # --- opening ------------------------------------------------------------------------

    def open(self, info: SelfAssessmentInfo, framework: Framework, purpose: Purpose) -> None:
        """Show ``info`` at its first competence without an answer."""
        self.info, self.framework, self.purpose = info, framework, purpose
        self._competences = list(framework.competences())
        self.panel.set_framework(framework)
        self.navigator.fill(framework, info)
        self.message.hide()
        open_ = [i for i, c in enumerate(self._competences) if info.answer_for(c.id) is None]
        self.show_competence(open_[0] if open_ else 0)
        self.retranslate()

    def reload(self) -> bool:
        """Read the answers again (shown again later); False when it is no longer open."""
        if self.info is None:
            return False
        try:
            info = self_assessment.get(self._context.db, self._context.actor, self.info.id)
        except ServiceError:
            return False
        if info.completed_at is not None:
            return False
        self.info = info
        self.navigator.update_answers(info)
        self.show_competence(self.index)
        return True

    @property
    def competence(self) -> Competence:
        return self._competences[self.index]

    def show_competence(self, index: int) -> None:
        assert self.info is not None
        self.index = max(0, min(index, len(self._competences) - 1))
        competence = self.competence
        self.panel.show_competence(competence, self.info.answer_for(competence.id))
        self.navigator.select(competence.id)
        self.scroll.verticalScrollBar().setValue(0)
        self._update_state()

    def go(self, index: int) -> None:
        """Back / Next: keep the note, show the competence, put the focus on the levels."""
        if not self._save_note():
            return
        self.message.hide()
        self.show_competence(index)
        self.panel.focus_levels()

    def _on_chosen(self, competence_id: str) -> None:
        if not self._save_note():
            self.navigator.select(self.competence.id)
            return
        ids = [c.id for c in self._competences]
        self.message.hide()
        self.show_competence(ids.index(competence_id))

    # --- saving -------------------------------------------------------------------------

    def _save(self) -> bool:
        if self.info is None or not self.panel.answered:
            return True
        level, ticked, note = self.panel.values()
        try:
            self.info = self_assessment.answer(
                self._context.db,
                self._context.actor,
                self.info.id,
                self.competence.id,
                level,
                ticked,
                note,
            )
        except ServiceError as error:
            self._show_message(
                _("Your answer was not saved: {problem}").format(problem=error)
                + " "
                + _("Check it and try again; your other answers are safe.")
            )
            return False
        self.navigator.update_answers(self.info)
        self._update_state()
        return True

    def note_unsaved(self) -> bool:
        """True when the note shown differs from the one saved with the answer."""
        if self.info is None or not self.panel.answered:
            return False
        saved = self.info.answer_for(self.competence.id)
        return saved is None or saved.note != self.panel.values()[2]

    def _note_left(self) -> None:
        """The note field was left: save it, unless the unsaved-changes question took the
        keyboard (its answer decides)."""
        if QApplication.activeModalWidget() is None:
            self._save_note()

    def _save_note(self) -> bool:
        """Save the note if it was changed (called before leaving a competence)."""
        if not self.note_unsaved():
            return True
        return self._save()

    def discard_note(self) -> None:
        """Show the saved note again."""
        if self.info is not None:
            saved = self.info.answer_for(self.competence.id)
            self.panel.note.setText(saved.note if saved is not None else "")

    # --- finishing --------------------------------------------------------------------------

    def missing(self) -> list[Competence]:
        if self.info is None:
            return []
        return [c for c in self._competences if self.info.answer_for(c.id) is None]

    def finish(self) -> None:
        if self.info is None or not self._save_note():
            return
        missing = self.missing()
        if missing:
            self._show_message(
                ngettext(
                    "{count} competence has no answer yet: {ids}.",
                    "{count} competences have no answer yet: {ids}.",
                    len(missing),
                ).format(count=len(missing), ids=", ".join(c.id for c in missing))
                + " "
                + _(
                    'Answer them ("Not yet" is an answer too) and press Finish again. '
                    "The first of them is shown now."
                )
            )
            self.show_competence(self._competences.index(missing[0]))
            self.panel.focus_levels()
            return
        try:
            info = self_assessment.complete(self._context.db, self._context.actor, self.info.id)
        except ServiceError as error:
            self._show_message(str(error))
            return
        self.info = None
        self.finished.emit(info)

    def leave(self) -> None:
        if self._save_note():
            self.left.emit()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # --- look -------------------------------------------------------------------------

    def _update_state(self) -> None:
        if self.info is None:
            return
        total = len(self._competences)
        answered = sum(1 for c in self._competences if self.info.answer_for(c.id) is not None)
        self.progress.setRange(0, total)
        self.progress.setValue(answered)
        self.progress_label.setText(
            _("Answered: {done} / {total}").format(done=answered, total=total)
        )
        self.progress.setAccessibleName(
            _("{done} of {total} competences answered").format(done=answered, total=total)
        )
        self.back_button.setEnabled(self.index > 0)
        self.next_button.setEnabled(self.index < total - 1)

    def _ensure_visible(self, widget: QWidget) -> None:
        self.scroll.ensureWidgetVisible(widget, 10, 30)

    def apply_tab_order(self) -> None:
        chain = [
            self.navigator,
            *self.panel.focus_chain(),
            self.back_button,
            self.next_button,
            self.finish_button,
            self.later_button,
        ]
        for first, second in itertools.pairwise(chain):
            QWidget.setTabOrder(first, second)

    def retranslate(self) -> None:
        if self.purpose is not None and self.framework is not None:
            self.heading.setText(
                "<h3>"
                + escape(_("Self-assessment: {purpose}").format(purpose=self.purpose.label()))
                + "</h3>"
                + escape(
                    _("Framework: {name}. Every answer is saved as you give it.").format(
                        name=framework_name(self.framework)
                    )
                )
            )
        self.navigator_label.setText(_("&Competences:"))
        self.navigator.setAccessibleName(_("Competences and your answers"))
        self.scroll.setAccessibleName(_("The current competence"))
        self.back_button.setText(_("&Back"))
        self.back_button.setToolTip(
            _("The previous competence ({keys})").format(keys=key_text("Alt+Left"))
        )
        self.back_button.setAccessibleName(_("Back to the previous competence"))
        self.next_button.setText(_("&Next"))
        self.next_button.setToolTip(
            _("The next competence ({keys})").format(keys=key_text("Alt+Right"))
        )
        self.next_button.setAccessibleName(_("Next competence"))
        self.finish_button.setText(_("F&inish"))
        self.finish_button.setToolTip(
            _("Finish the self-assessment once every competence is answered")
        )
        self.finish_button.setAccessibleName(_("Finish the self-assessment"))
        self.later_button.setText(_("Continue &later"))
        self.later_button.setToolTip(_("Your answers are kept; continue where you left off"))
        self.later_button.setAccessibleName(_("Continue later"))
        self.panel.retranslate()
        if self.info is not None:
            self.navigator.update_answers(self.info)
            self._update_state()
        self.apply_tab_order()
