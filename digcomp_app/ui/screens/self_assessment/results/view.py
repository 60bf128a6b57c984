"""The learner's results: levels per competence and per area, before and after; the
profile report as a PDF."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, current_language, ngettext
from digcomp_app.services import mobilities, self_assessment
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.services.self_assessment import SelfAssessmentInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import DocumentRunner
from digcomp_app.ui.screens.self_assessment.purposes import framework_name
from digcomp_app.ui.screens.self_assessment.results import data
from digcomp_app.ui.screens.self_assessment.results.chart import LevelChart, value_text
from digcomp_app.ui.widgets import record_table

if TYPE_CHECKING:
    from digcomp_app.services.reports import ReportFile


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


class ResultsScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.history: list[SelfAssessmentInfo] = []
        self.mobilities: list[MobilityInfo] = []
        self.choices: list[data.Choice] = []
        self.result: data.Result | None = None

        self.heading = QLabel()
        self.pages = QStackedWidget()
        # the empty state
        self.empty = QWidget()
        self.empty_text = QLabel()
        self.empty_text.setWordWrap(True)
        self.empty_button = QPushButton()
        empty_layout = QVBoxLayout(self.empty)
        empty_layout.addWidget(self.empty_text)
        button_row = QHBoxLayout()
        button_row.addWidget(self.empty_button)
        button_row.addStretch(1)
        empty_layout.addLayout(button_row)
        empty_layout.addStretch(1)
        # the results
        self.content = QWidget()
        self.show_label = QLabel()
        self.picker = QComboBox()
        self.picker.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.picker.setMinimumContentsLength(40)
        self.show_label.setBuddy(self.picker)
        self.report_button = QPushButton()
        self.documents = DocumentRunner(self, context)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.competence_chart = LevelChart()
        self.area_chart = LevelChart()
        self.table = record_table()
        self.table.setAlternatingRowColors(True)
        self.tabs = QTabWidget()
        self.competence_scroll = _scrolled(self.competence_chart)
        self.area_scroll = _scrolled(self.area_chart)
        self.tabs.addTab(self.competence_scroll, "")
        self.tabs.addTab(self.area_scroll, "")
        self.tabs.addTab(self.table, "")
        self.scale_note = QLabel()
        self.scale_note.setWordWrap(True)
        picker_row = QHBoxLayout()
        picker_row.addWidget(self.show_label)
        picker_row.addWidget(self.picker, 1)
        picker_row.addWidget(self.report_button)
        content_layout = QVBoxLayout(self.content)
        content_layout.setContentsMargins(0, 0, 0, 0)
        content_layout.addLayout(picker_row)
        content_layout.addWidget(self.summary)
        content_layout.addWidget(self.tabs, 1)
        content_layout.addWidget(self.scale_note)
        content_layout.addWidget(self.message)
        self.pages.addWidget(self.empty)
        self.pages.addWidget(self.content)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.pages, 1)

        self.picker.currentIndexChanged.connect(self._on_choice)
        self.empty_button.clicked.connect(lambda: context.navigate("self_assessment"))
        self.report_button.clicked.connect(self.save_profile_report)
        self.message.hide()  # until a report was saved
        self.documents.finished.connect(self._show_message)
        self.setTabOrder(self.picker, self.report_button)
        self.setTabOrder(self.report_button, self.tabs)
        self.retranslate()

    # --- data ----------------------------------------------------------------------------

    def refresh(self) -> None:
        actor = self._context.actor
        if actor.learner_id is None:
            self._show_empty(
                _("Your account is not linked to a learner record. Ask your coordinator.")
            )
            return
        try:
            self.history = self_assessment.history(self._context.db, actor, actor.learner_id)
            self.mobilities = mobilities.list_all(self._context.db, actor)
        except ServiceError as error:
            self._show_empty(_("Your results could not be read: {problem}").format(problem=error))
            return
        previous = self.choices[self.picker.currentIndex()] if self.picker.count() else None
        self.choices = data.choices(self.history)
        self._fill_picker(previous)
        self._on_choice(self.picker.currentIndex())

    def _fill_picker(self, keep: data.Choice | None) -> None:
        self.picker.blockSignals(True)
        self.picker.clear()
        for choice in self.choices:
            self.picker.addItem(data.choice_label(choice, self.history, self.mobilities))
        if self.choices:
            self.picker.setCurrentIndex(self.choices.index(keep) if keep in self.choices else 0)
        self.picker.blockSignals(False)

    def _on_choice(self, index: int) -> None:
        if not 0 <= index < len(self.choices):
            self._show_empty(self._empty_message())
            return
        actor = self._context.actor
        assert actor.learner_id is not None
        try:
            self.result = data.load(
                self._context.db,
                actor,
                actor.learner_id,
                self.choices[index],
                self.history,
                self._context.library,
            )
        except (ServiceError, LookupError) as error:
            self._show_empty(_("These results could not be read: {problem}").format(problem=error))
            return
        self.pages.setCurrentWidget(self.content)
        self._show_result()

    def _empty_message(self) -> str:
        unfinished = [h for h in self.history if h.completed_at is None]
        if unfinished:
            done = len(unfinished[-1].answers)
            return ngettext(
                "You have not finished a self-assessment yet. You have answered {done} "
                "competence of the one you started: finish it under Self-assessment and "
                "your results appear here.",
                "You have not finished a self-assessment yet. You have answered {done} "
                "competences of the one you started: finish it under Self-assessment and "
                "your results appear here.",
                done,
            ).format(done=done)
        return _(
            "You have no results yet. Assess yourself under Self-assessment — it takes "
            "about fifteen minutes — and your levels appear here as a chart and a table."
        )

    def _show_empty(self, text: str) -> None:
        self.result = None
        self.empty_text.setText(text)
        self.pages.setCurrentWidget(self.empty)

    # --- the profile report ------------------------------------------------------------------

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def save_profile_report(self) -> None:
        """Save the learner's profile report (PDF) for the results shown, in a language
        they choose."""
        actor = self._context.actor
        if actor.learner_id is None:
            return
        index = self.picker.currentIndex()
        choice = self.choices[index] if 0 <= index < len(self.choices) else None
        mobility_id = choice.mobility_id if choice and choice.kind == "mobility" else None
        db, learner_id = self._context.db, actor.learner_id

        def make(language: str) -> ReportFile:
            from digcomp_app.services import reports  # reportlab: loaded when first needed

            return reports.profile(db, actor, learner_id, language, mobility_id)

        self.documents.save_report(
            _("Save my profile report"),
            _(
                "Your profile report shows your self-assessment results with the chart, "
                "the comparison before and after, and your own rating beside the level a "
                "teacher assessed. Choose its language and where to save it."
            ),
            make,
        )

    # --- showing -----------------------------------------------------------------------------

    def _show_result(self) -> None:
        result = self.result
        if result is None:
            return
        language = current_language()
        series = result.series()
        self.competence_chart.set_data(series, data.competence_rows(result, language))
        self.area_chart.set_data(series, data.area_rows(result, language))
        self.summary.setText(
            _("Framework: {name}.").format(name=framework_name(result.framework))
            + " "
            + data.summary(result)
        )
        self._fill_table(result, series, language)

    def _fill_table(self, result: data.Result, series: list[str], language: str) -> None:
        headers = [_("Competence"), *series]
        if result.comparing:
            headers.append(_("Change"))
        self.table.clear()
        self.table.setColumnCount(len(headers))
        self.table.setHorizontalHeaderLabels(headers)
        bold = QFont(self.table.font())
        bold.setBold(True)
        rows: list[tuple[str, tuple, bool]] = []
        area_rows = data.area_rows(result, language)
        for area, area_row in zip(result.framework.areas, area_rows, strict=True):
            label = _("{area} (average; {rated})").format(
                area=area_row.label, rated=data.rated_text(result, area.id)
            )
            rows.append((label, area_row.values, True))
            for competence in area.competences:
                title = competence.title.get(language)
                values = result.levels.get(competence.id, (None,) * len(series))
                rows.append((f"{competence.id} {title}", values, False))
        self.table.setRowCount(len(rows))
        for number, (label, values, strong) in enumerate(rows):
            cells = [label, *(value_text(v) for v in values)]
            if result.comparing:
                cells.append(data.change_text(values[0], values[1]))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if strong:
                    item.setFont(bold)
                self.table.setItem(number, column, item)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        for column in range(1, len(headers)):
            header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)

    def retranslate(self) -> None:
        self.heading.setText("<h2>" + escape(_("Results")) + "</h2>")
        self.empty_button.setText(_("Go to the &self-assessment"))
        self.empty_button.setAccessibleName(_("Go to the self-assessment"))
        self.show_label.setText(_("&Show:"))
        self.report_button.setText(_("Save my &profile report (PDF)…"))
        self.report_button.setAccessibleName(_("Save my profile report (PDF)"))
        self.message.setAccessibleName(_("Message"))
        self.picker.setAccessibleName(_("Which results to show"))
        self.tabs.setTabText(0, _("By &competence"))
        self.tabs.setTabText(1, _("By &area"))
        self.tabs.setTabText(2, _("&Numbers"))
        self.tabs.setAccessibleName(_("Your results"))
        self.tabs.tabBar().setAccessibleName(_("Ways to show your results"))
        self.competence_chart.setAccessibleName(_("Chart of your level in each competence"))
        self.competence_scroll.setAccessibleName(self.competence_chart.accessibleName())
        self.area_chart.setAccessibleName(_("Chart of your average level in each area"))
        self.area_scroll.setAccessibleName(self.area_chart.accessibleName())
        for chart in (self.competence_chart, self.area_chart):
            chart.setAccessibleDescription(_("The same numbers are in the Numbers tab."))
        self.table.setAccessibleName(_("Your levels as numbers"))
        self.scale_note.setText(
            _(
                "Levels go from 1 to 8; an empty dashed bar means “not yet”. An area's bar is "
                "the average of its rated competences: “not yet” is left out, and the Numbers "
                "tab says how many are rated."
            )
        )
        if self.choices:
            self._fill_picker(self.choices[max(self.picker.currentIndex(), 0)])
        if self.result is not None:
            self._show_result()
        elif self.pages.currentWidget() is self.empty and self.history is not None:
            self.empty_text.setText(self._empty_message())
