"""A finished test: the band each competence's answers suggest, knowledge, skills and
attitudes apart, beside the learner's own level, large differences flagged; and what changed
between the tests before and after a mobility."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.framework.digcompsat import TYPES, Profile
from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services.skills_test import BeforeAfter, ComparedCompetence, TestResult
from digcomp_app.ui.screens.self_assessment.purposes import local_date
from digcomp_app.ui.screens.skills_test.texts import (
    area_title,
    band_name,
    competence_title,
    percent_text,
    score_text,
    short_band_name,
    test_language_name,
    type_name,
)

FLAG = "⚑"


def _table(columns: int) -> QTableWidget:
    table = QTableWidget(0, columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().hide()
    table.setWordWrap(False)
    header = table.horizontalHeader()
    header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    for column in range(1, columns):
        header.setSectionResizeMode(column, QHeaderView.ResizeMode.ResizeToContents)
    return table


def _cell(text: str, tip: str = "") -> QTableWidgetItem:
    item = QTableWidgetItem(text)
    if tip:
        item.setToolTip(tip)
    return item


def own_level_text(row: ComparedCompetence) -> str:
    if not row.rated:
        return _("not rated")
    if row.own_level is None:
        return _("not yet")
    return _("level {level}").format(level=row.own_level)


def difference_text(row: ComparedCompetence) -> str:
    if row.difference is None:
        return "–"
    text = ngettext("{count} level", "{count} levels", row.difference).format(count=row.difference)
    return f"{FLAG} {text}" if row.large else text


class ResultPage(QWidget):
    done = Signal()

    def __init__(self, library: FrameworkLibrary, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._library = library
        self.result: TestResult | None = None
        self.before_after: BeforeAfter | None = None
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        bold = QFont(self.heading.font())
        bold.setBold(True)
        self.heading.setFont(bold)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.areas = _table(5)
        self.areas.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.competences = _table(7)
        self.flags = QLabel()
        self.flags.setWordWrap(True)
        self.changes = _table(4)
        self.changes_note = QLabel()
        self.changes_note.setWordWrap(True)
        self.done_button = QPushButton()

        result_tab = QWidget()
        result_layout = QVBoxLayout(result_tab)
        result_layout.addWidget(self.areas)
        result_layout.addWidget(self.competences, 1)
        result_layout.addWidget(self.flags)
        changes_tab = QWidget()
        changes_layout = QVBoxLayout(changes_tab)
        changes_layout.addWidget(self.changes_note)
        changes_layout.addWidget(self.changes, 1)
        self.tabs = QTabWidget()
        self.tabs.addTab(result_tab, "")
        self.tabs.addTab(changes_tab, "")
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addLayout(buttons)
        self.done_button.clicked.connect(self.done.emit)
        self.retranslate()

    def show_result(self, result: TestResult, before_after: BeforeAfter | None) -> None:
        self.result, self.before_after = result, before_after
        self.tabs.setCurrentIndex(0)
        self._fill()

    # --- filling ----------------------------------------------------------------------

    def _fill(self) -> None:
        result = self.result
        if result is None:
            return
        test = result.test
        when = test.completed_at or test.started_at
        self.heading.setText(
            _("Your digital skills test of {date} (items in {language})").format(
                date=format_date(local_date(when)), language=test_language_name(test.language)
            )
        )
        scored = result.result
        self.summary.setText(
            _(
                "{answered} of {total} items answered on their scale, {unclear} “unclear to "
                "me”. The band is the average of a competence's items as a share of the "
                "highest answer (Foundation from 30 %, Intermediate from 48 %, Advanced from "
                "81 %). It is your own view of yourself: a starting point for your teacher, "
                "not an assessment."
            ).format(answered=scored.answered, total=scored.total, unclear=scored.unclear)
        )
        self._fill_areas(scored.areas)
        self._fill_competences(result)
        self._fill_changes()

    def _type_cells(self, table: QTableWidget, row: int, profile: Profile) -> None:
        for column, kind in enumerate(TYPES, start=2):
            score = profile.by_type[kind]
            # the share only (the band in the tooltip): the three stay narrow side by side
            text = score_text(score) if score.empty else percent_text(score.percent)
            table.setItem(row, column, _cell(text, band_name(score.band)))

    def _fill_areas(self, areas: tuple[Profile, ...]) -> None:
        self.areas.setRowCount(len(areas))
        for row, profile in enumerate(areas):
            self.areas.setItem(row, 0, _cell(area_title(self._library, profile.id)))
            self.areas.setItem(row, 1, _cell(score_text(profile.overall), band_name(profile.band)))
            self._type_cells(self.areas, row, profile)
        # all five areas in view, the competences below take the rest
        self.areas.resizeRowsToContents()
        height = self.areas.horizontalHeader().height() + 2 * self.areas.frameWidth()
        height += sum(self.areas.rowHeight(r) for r in range(self.areas.rowCount()))
        self.areas.setFixedHeight(height)

    def _fill_competences(self, result: TestResult) -> None:
        profiles = result.result.competences
        self.competences.setRowCount(len(profiles))
        large = []
        for row, profile in enumerate(profiles):
            compared = result.compared_for(profile.id)
            title = competence_title(self._library, profile.id)
            self.competences.setItem(row, 0, _cell(title, title))
            self.competences.setItem(
                row, 1, _cell(score_text(profile.overall), band_name(profile.band))
            )
            self._type_cells(self.competences, row, profile)
            self.competences.setItem(row, 5, _cell(own_level_text(compared)))
            flag = _cell(difference_text(compared))
            if compared.large:
                flag.setToolTip(
                    _("Your own level and the test's band are {count} levels apart.").format(
                        count=compared.difference
                    )
                )
                large.append(profile.id)
            self.competences.setItem(row, 6, flag)
        if result.self_assessment_id is None:
            self.flags.setText(
                _("You have no finished self-assessment yet to compare the test with.")
            )
        elif large:
            self.flags.setText(
                _(
                    "{flag} Your own level and the test differ by 2 levels or more in: {ids}. "
                    "Worth talking over with your teacher."
                ).format(flag=FLAG, ids=", ".join(large))
            )
        else:
            self.flags.setText(_("Your own levels and the test agree within one level."))

    def _fill_changes(self) -> None:
        compared = self.before_after
        if compared is None or compared.before_id is None or compared.after_id is None:
            self.changes.setRowCount(0)
            self.changes_note.setText(
                _("Take the test before and after a mobility (or twice) to see what changed here.")
            )
            return
        self.changes_note.setText(
            _("The test before and the test after: each competence's score and band.")
        )
        rows = list(compared.areas) + list(compared.competences)
        self.changes.setRowCount(len(rows))
        for n, row in enumerate(rows):
            is_area = "." not in row.id
            title = (
                area_title(self._library, row.id)
                if is_area
                else competence_title(self._library, row.id)
            )
            first = _cell(title, title)
            if is_area:
                font = QFont(first.font())
                font.setBold(True)
                first.setFont(font)
            self.changes.setItem(n, 0, first)
            self.changes.setItem(
                n,
                1,
                _cell(f"{percent_text(row.before)} {short_band_name(row.before_band)}"),
            )
            self.changes.setItem(
                n, 2, _cell(f"{percent_text(row.after)} {short_band_name(row.after_band)}")
            )
            change = row.change
            text = "–" if change is None else f"{change:+d}"
            self.changes.setItem(n, 3, _cell(text))

    def retranslate(self) -> None:
        self.tabs.setTabText(0, _("Result"))
        self.tabs.setTabText(1, _("Before and after"))
        self.areas.setHorizontalHeaderLabels(
            [_("Area"), _("All items")] + [type_name(kind) for kind in TYPES]
        )
        self.competences.setHorizontalHeaderLabels(
            [_("Competence"), _("Suggested band")]
            + [type_name(kind) for kind in TYPES]
            + [_("Your own level"), _("Difference")]
        )
        self.changes.setHorizontalHeaderLabels(
            [_("Area or competence"), _("Before"), _("After"), _("Change (points)")]
        )
        self.areas.setAccessibleName(_("Profile per area"))
        self.competences.setAccessibleName(_("Suggested band per competence"))
        self.changes.setAccessibleName(_("Before and after"))
        self.done_button.setText(_("&Done"))
        self.done_button.setAccessibleName(_("Done"))
        self._fill()
