"""Before answering: what the self-assessment is for and which framework it uses."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from html import escape

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework, FrameworkLibrary
from digcomp_app.i18n import _, current_language
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.services.self_assessment import SelfAssessmentInfo
from digcomp_app.ui.screens.self_assessment.purposes import (
    Purpose,
    assessment_date,
    purposes_for,
    suggested_purpose,
)

_DONE_STYLE = "QLabel { background: #e6f4ea; color: #0d3b1e; padding: 8px; border-radius: 3px; }"
_PROBLEM_STYLE = "QLabel { background: #fdecea; color: #611a15; padding: 8px; border-radius: 3px; }"


class StartPage(QWidget):
    #: the learner asked to start or continue (Purpose, Framework)
    start_requested = Signal(object, object)
    results_requested = Signal()

    def __init__(self, library: FrameworkLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self._frameworks: list[Framework] = list(library)
        self.purposes: list[Purpose] = [Purpose(None, "other")]
        self.history: list[SelfAssessmentInfo] = []

        self.heading = QLabel()
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.done = QLabel()
        self.done.setWordWrap(True)
        self.done.setStyleSheet(_DONE_STYLE)
        self.results_button = QPushButton()
        self.purpose_label = QLabel()
        self.purpose = QComboBox()
        self.purpose.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.purpose.setMinimumContentsLength(40)
        self.purpose_label.setBuddy(self.purpose)
        self.framework_label = QLabel()
        self.framework = QComboBox()
        self.framework_label.setBuddy(self.framework)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.start_button = QPushButton()
        self.start_button.setAutoDefault(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(_PROBLEM_STYLE)
        self.problem.hide()

        done_row = QHBoxLayout()
        done_row.addWidget(self.done, 1)
        done_row.addWidget(self.results_button)
        form = QFormLayout()
        form.addRow(self.purpose_label, self.purpose)
        form.addRow(self.framework_label, self.framework)
        start_row = QHBoxLayout()
        start_row.addWidget(self.start_button)
        start_row.addStretch(1)
        box = QWidget()
        box.setMaximumWidth(900)
        inner = QVBoxLayout(box)
        inner.setContentsMargins(0, 0, 0, 0)
        for widget in (self.heading, self.intro):
            inner.addWidget(widget)
        inner.addLayout(done_row)
        inner.addLayout(form)
        inner.addWidget(self.hint)
        inner.addLayout(start_row)
        inner.addWidget(self.problem)
        layout = QVBoxLayout(self)
        layout.addWidget(box)
        layout.addStretch(1)
        self.show_finished(None)
        QWidget.setTabOrder(self.results_button, self.purpose)
        QWidget.setTabOrder(self.purpose, self.framework)
        QWidget.setTabOrder(self.framework, self.start_button)

        self.purpose.currentIndexChanged.connect(self._on_purpose_changed)
        self.framework.currentIndexChanged.connect(lambda _index: self._update_hint())
        self.start_button.clicked.connect(self._on_start)
        self.results_button.clicked.connect(self.results_requested)
        self.retranslate()

    # --- data ----------------------------------------------------------------------------

    def set_data(
        self, mobilities: Sequence[MobilityInfo], history: Sequence[SelfAssessmentInfo]
    ) -> None:
        self.history = list(history)
        self.purposes = purposes_for(mobilities)
        chosen, unfinished = suggested_purpose(self.purposes, self.history, dt.date.today())
        self.problem.hide()
        self.start_button.setEnabled(True)
        self._fill_purposes()
        self.purpose.setCurrentIndex(self.purposes.index(chosen))
        self._choose_framework(chosen, unfinished)
        self._update_hint()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.start_button.setEnabled(False)

    def show_finished(self, info: SelfAssessmentInfo | None) -> None:
        """The thank-you line after finishing (None hides it)."""
        self._finished = info
        self.done.setVisible(info is not None)
        self.results_button.setVisible(info is not None)
        self._retranslate_done()

    @property
    def chosen_purpose(self) -> Purpose:
        return self.purposes[max(self.purpose.currentIndex(), 0)]

    @property
    def chosen_framework(self) -> Framework:
        return self._frameworks[max(self.framework.currentIndex(), 0)]

    def unfinished(self) -> SelfAssessmentInfo | None:
        purpose, framework = self.chosen_purpose, self.chosen_framework
        return next(
            (
                h
                for h in reversed(self.history)
                if h.completed_at is None
                and (h.mobility_id, h.moment) == purpose.key
                and (h.framework_id, h.framework_version) == framework.key
            ),
            None,
        )

    def _choose_framework(self, purpose: Purpose, unfinished: SelfAssessmentInfo | None) -> None:
        if unfinished is None:
            unfinished = next(
                (
                    h
                    for h in reversed(self.history)
                    if h.completed_at is None and (h.mobility_id, h.moment) == purpose.key
                ),
                None,
            )
        if unfinished is not None:
            key = (unfinished.framework_id, unfinished.framework_version)
        elif purpose.mobility is not None:
            key = (purpose.mobility.framework_id, purpose.mobility.framework_version)
        else:
            key = self._library.default().key
        keys = [f.key for f in self._frameworks]
        if key in keys:
            self.framework.setCurrentIndex(keys.index(key))

    def _on_purpose_changed(self, index: int) -> None:
        if 0 <= index < len(self.purposes):
            self._choose_framework(self.purposes[index], None)
            self._update_hint()

    def _on_start(self) -> None:
        self.show_finished(None)
        self.start_requested.emit(self.chosen_purpose, self.chosen_framework)

    # --- texts ---------------------------------------------------------------------------

    def _fill_purposes(self) -> None:
        index = self.purpose.currentIndex()
        self.purpose.blockSignals(True)
        self.purpose.clear()
        for purpose in self.purposes:
            self.purpose.addItem(purpose.label())
        self.purpose.setCurrentIndex(max(index, 0) if index < len(self.purposes) else 0)
        self.purpose.blockSignals(False)

    def _update_hint(self) -> None:
        unfinished = self.unfinished()
        framework = self.chosen_framework
        if unfinished is not None:
            total = sum(1 for _c in framework.competences())
            self.hint.setText(
                _(
                    "You started this self-assessment on {date} and have answered {done} of "
                    "{total} competences. It continues where you left off."
                ).format(
                    date=assessment_date(unfinished), done=len(unfinished.answers), total=total
                )
            )
            self.start_button.setText(_("&Continue"))
            self.start_button.setAccessibleName(_("Continue the self-assessment"))
            return
        purpose = self.chosen_purpose
        earlier = [
            h
            for h in self.history
            if h.completed_at is not None and (h.mobility_id, h.moment) == purpose.key
        ]
        if earlier and purpose.moment != "other":
            self.hint.setText(
                _(
                    "You finished a self-assessment for this on {date}. Starting again adds a "
                    "new one; the earlier one is kept."
                ).format(date=assessment_date(earlier[-1]))
            )
        else:
            self.hint.setText(
                _("You can stop at any time; your answers are kept until you finish.")
            )
        self.start_button.setText(_("&Start"))
        self.start_button.setAccessibleName(_("Start the self-assessment"))

    def _retranslate_done(self) -> None:
        info = self._finished
        if info is not None:
            self.done.setText(
                _(
                    "Your self-assessment of {date} is finished and saved ({count} competences)."
                    " You can see it with the earlier ones under Results."
                ).format(date=assessment_date(info), count=len(info.answers))
            )

    def retranslate(self) -> None:
        language = current_language()
        self.heading.setText("<h2>" + escape(_("Self-assessment")) + "</h2>")
        self.intro.setText(
            _(
                "Assess your digital competences: for each competence of the framework, "
                "choose the level that describes what you can do, or “Not yet”. Do it before "
                "and after a mobility to see what you have learnt."
            )
        )
        self.purpose_label.setText(_("&Purpose:"))
        self.purpose.setAccessibleName(_("What the self-assessment is for"))
        self.framework_label.setText(_("Fra&mework:"))
        self.framework.setAccessibleName(_("Competence framework"))
        index = self.framework.currentIndex()
        self.framework.blockSignals(True)
        self.framework.clear()
        for framework in self._frameworks:
            self.framework.addItem(framework.title.get(language))
        if index < 0:
            index = [f.key for f in self._frameworks].index(self._library.default().key)
        self.framework.setCurrentIndex(index)
        self.framework.blockSignals(False)
        self.results_button.setText(_("See my &results"))
        self.results_button.setAccessibleName(_("See my results"))
        self._fill_purposes()
        self._retranslate_done()
        self._update_hint()
