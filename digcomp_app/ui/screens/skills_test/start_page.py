"""Choosing what the test is for and its language; the tests taken so far."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework.digcompsat import builtin_bank
from digcomp_app.i18n import _, current_language, format_date
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.services.skills_test import LANGUAGES, SkillsTestInfo
from digcomp_app.ui.screens.self_assessment.purposes import (
    Purpose,
    local_date,
    purpose_of,
    purposes_for,
)
from digcomp_app.ui.screens.skills_test.texts import test_language_name

TEST_ROLE = Qt.ItemDataRole.UserRole


class StartPage(QWidget):
    #: (Purpose, language) to start or continue
    start_requested = Signal(object, str)
    #: the SkillsTestInfo whose result to show
    result_requested = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._mobilities: list[MobilityInfo] = []
        self._history: list[SkillsTestInfo] = []
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.purpose_label = QLabel()
        self.purpose = QComboBox()
        # a mobility's long name is shortened in the box (the list shows it whole), so the
        # screen still fits 1366 px with a larger text size
        self.purpose.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.purpose.setMinimumContentsLength(30)
        self.purpose.currentTextChanged.connect(self.purpose.setToolTip)
        self.purpose_label.setBuddy(self.purpose)
        self.language_label = QLabel()
        self.language = QComboBox()
        self.language_label.setBuddy(self.language)
        self.language_note = QLabel()
        self.language_note.setWordWrap(True)
        self.state = QLabel()
        self.state.setWordWrap(True)
        self.start_button = QPushButton()
        self.history_label = QLabel()
        self.history = QListWidget()
        self.history_label.setBuddy(self.history)
        self.result_button = QPushButton()
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.hide()
        self.attribution = QLabel()
        self.attribution.setWordWrap(True)

        form = QFormLayout()
        form.addRow(self.purpose_label, self.purpose)
        form.addRow(self.language_label, self.language)
        start_row = QHBoxLayout()
        start_row.addWidget(self.state, 1)
        start_row.addWidget(self.start_button)
        result_row = QHBoxLayout()
        result_row.addStretch(1)
        result_row.addWidget(self.result_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(form)
        layout.addWidget(self.language_note)
        layout.addLayout(start_row)
        layout.addSpacing(12)
        layout.addWidget(self.history_label)
        layout.addWidget(self.history, 1)
        layout.addLayout(result_row)
        layout.addWidget(self.problem)
        layout.addWidget(self.attribution)

        self.purpose.currentIndexChanged.connect(lambda _i: self._update_state())
        self.start_button.clicked.connect(self._start)
        self.result_button.clicked.connect(self._show_result)
        self.history.itemActivated.connect(lambda _item: self._show_result())
        self.history.currentRowChanged.connect(lambda _r: self._update_buttons())
        self.retranslate()

    def set_data(
        self, mobilities: Sequence[MobilityInfo], history: Sequence[SkillsTestInfo]
    ) -> None:
        self.problem.hide()
        self._mobilities = list(mobilities)
        self._history = list(history)
        current = self.purpose.currentIndex()
        self.purpose.blockSignals(True)
        self.purpose.clear()
        purposes = purposes_for(self._mobilities)
        for purpose in purposes:
            self.purpose.addItem(purpose.label(), purpose)
        unfinished = [h for h in self._history if h.completed_at is None]
        if unfinished:
            latest = max(unfinished, key=lambda h: (h.started_at, h.id))
            key = (latest.mobility_id, latest.moment)
            current = next((n for n, p in enumerate(purposes) if p.key == key), current)
        self.purpose.setCurrentIndex(max(0, min(current, len(purposes) - 1)))
        self.purpose.blockSignals(False)
        self._fill_history()
        self._update_state()

    def show_problem(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()
        self.start_button.setEnabled(False)

    def chosen_purpose(self) -> Purpose | None:
        data = self.purpose.currentData()
        return data if isinstance(data, Purpose) else None

    def unfinished_for(self, purpose: Purpose) -> SkillsTestInfo | None:
        return next(
            (
                h
                for h in reversed(self._history)
                if h.completed_at is None and (h.mobility_id, h.moment) == purpose.key
            ),
            None,
        )

    def _fill_history(self) -> None:
        self.history.clear()
        for test in reversed([h for h in self._history if h.completed_at is not None]):
            assert test.completed_at is not None
            text = _("{date}: {purpose} (items in {language})").format(
                date=format_date(local_date(test.completed_at)),
                purpose=purpose_of_label(test, self._mobilities),
                language=test_language_name(test.language),
            )
            item = QListWidgetItem(text)
            item.setData(TEST_ROLE, test)
            self.history.addItem(item)
        if self.history.count():
            self.history.setCurrentRow(0)
        self._update_buttons()

    def _update_state(self) -> None:
        purpose = self.chosen_purpose()
        unfinished = self.unfinished_for(purpose) if purpose else None
        total = len(builtin_bank())
        if unfinished is not None:
            self.state.setText(
                _(
                    "You have answered {answered} of {total} items of this test (in {language}); "
                    "continue where you left off."
                ).format(
                    answered=unfinished.answered,
                    total=total,
                    language=test_language_name(unfinished.language),
                )
            )
            self.start_button.setText(_("&Continue"))
            self.start_button.setAccessibleName(_("Continue"))
            self.language.setEnabled(False)
            self.language.setCurrentIndex(self.language.findData(unfinished.language))
        else:
            self.state.setText(_("{total} items, about 20–30 minutes.").format(total=total))
            self.start_button.setText(_("&Start the test"))
            self.start_button.setAccessibleName(_("Start the test"))
            self.language.setEnabled(True)
        self.start_button.setEnabled(purpose is not None)

    def _update_buttons(self) -> None:
        self.result_button.setEnabled(self.history.currentItem() is not None)

    def _start(self) -> None:
        purpose = self.chosen_purpose()
        if purpose is not None:
            self.start_requested.emit(purpose, self.language.currentData())

    def _show_result(self) -> None:
        item = self.history.currentItem()
        if item is not None:
            self.result_requested.emit(item.data(TEST_ROLE))

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "The digital skills test asks 82 short questions on what you know, what you can "
                "do and what you care about in the five areas of DigComp. It suggests a level "
                "band for each competence, shown beside your own self-assessment. It is a "
                "reflection for you and a starting point for your teacher, not an assessment."
            )
        )
        self.purpose_label.setText(_("&Purpose:"))
        self.language_label.setText(_("Items in lan&guage:"))
        chosen = self.language.currentData()
        self.language.clear()
        for language in LANGUAGES:
            self.language.addItem(test_language_name(language), language)
        default = chosen or (current_language() if current_language() in LANGUAGES else "en")
        self.language.setCurrentIndex(self.language.findData(default))
        self.language_note.setText(
            _(
                "The test exists in Latvian and English only; in Dutch its items are shown in "
                "English."
            )
            if current_language() not in LANGUAGES
            else _("Only the Latvian items offer the answer “this question is unclear to me”.")
        )
        self.history_label.setText(_("Finished &tests:"))
        self.result_button.setText(_("Show the &result"))
        self.result_button.setAccessibleName(_("Show the result"))
        self.history.setAccessibleName(_("Finished tests"))
        self.attribution.setText(
            _(
                "Items: DigCompSAT, Clifford et al. 2020, JRC123226, © European Union, "
                "CC BY 4.0; mapped to competences by this application."
            )
        )
        self._fill_history()
        self._update_state()


def purpose_of_label(test: SkillsTestInfo, mobilities: Sequence[MobilityInfo]) -> str:
    return purpose_of(test, mobilities).label()  # type: ignore[arg-type]  # same fields
