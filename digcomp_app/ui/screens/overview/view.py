"""The school overview: charts of levels, gains, stages and certificates over the learners
the filters choose, the numbers behind each chart one click away, and an export."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _, current_language, format_number, pgettext
from digcomp_app.services import overview
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.overview import (
    SOURCE_NAMES,
    SOURCES,
    STAGE_NAMES,
    Filters,
    NumbersTable,
    Overview,
    OverviewOptions,
    area_title,
    fewer_text,
    numbers_tables,
)
from digcomp_app.ui.button_grid import ButtonGrid
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.overview.chart import (
    CHANGE_COLOURS,
    COUNT_COLOURS,
    LEVEL_COLOURS,
    Bar,
    BarChart,
)
from digcomp_app.ui.widgets import record_table

#: the tabs, in order, and the numbers tables each one shows
TABS = ("levels", "gains", "stages", "certificates")
KINDS = {".xlsx": "xlsx", ".csv": "csv", ".pdf": "pdf"}


def _scrolled(widget: QWidget) -> QScrollArea:
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setWidget(widget)
    return area


def _number(value: float) -> str:
    return format_number(round(value, 1))


class OverviewScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.options: OverviewOptions | None = None
        self.overview: Overview | None = None
        self.tables: dict[str, NumbersTable] = {}
        self.exported: Path | None = None

        self.heading = QLabel()
        font = self.heading.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.heading.setFont(font)
        # filters
        self.group_label, self.group_box = QLabel(), QComboBox()
        self.year_label, self.year_box = QLabel(), QComboBox()
        self.mobility_label, self.mobility_box = QLabel(), QComboBox()
        self.framework_label, self.framework_box = QLabel(), QComboBox()
        self.mobility_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.mobility_box.setMinimumContentsLength(12)
        self.group_box.setMinimumContentsLength(8)
        self.group_box.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        filters = QHBoxLayout()
        for label, box in (
            (self.group_label, self.group_box),
            (self.year_label, self.year_box),
            (self.mobility_label, self.mobility_box),
            (self.framework_label, self.framework_box),
        ):
            label.setBuddy(box)
            filters.addWidget(label)
            filters.addWidget(box, 1 if box is self.mobility_box else 0)
            box.currentIndexChanged.connect(self._on_filter)
        self.numbers_button = QPushButton()
        self.numbers_button.setCheckable(True)
        self.numbers_button.toggled.connect(self._show_numbers)
        self.export_button = QPushButton()
        self.export_button.clicked.connect(self.export)
        filters.addStretch(0)
        # side by side; one above the other when a larger text size leaves no room
        actions = ButtonGrid(2)
        actions.add(self.numbers_button)
        actions.add(self.export_button)
        filters.addLayout(actions)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        # levels
        self.source_label, self.source_box = QLabel(), QComboBox()
        self.source_label.setBuddy(self.source_box)
        self.source_box.currentIndexChanged.connect(lambda _i: self._fill_levels())
        self.level_chart = BarChart()
        self.level_table = record_table()
        levels_page = QWidget()
        levels_layout = QVBoxLayout(levels_page)
        source_row = QHBoxLayout()
        source_row.addWidget(self.source_label)
        source_row.addWidget(self.source_box)
        source_row.addStretch(1)
        levels_layout.addLayout(source_row)
        self.level_stack = self._stack(self.level_chart, self.level_table)
        levels_layout.addWidget(self.level_stack, 1)
        # gains, stages
        self.gain_chart, self.gain_table = BarChart(), record_table()
        self.gain_stack = self._stack(self.gain_chart, self.gain_table)
        self.stage_chart, self.stage_table = BarChart(), record_table()
        self.stage_stack = self._stack(self.stage_chart, self.stage_table)
        # certificates: per month and per mobility
        self.month_heading, self.mobility_heading = QLabel(), QLabel()
        self.month_chart, self.cert_mobility_chart = BarChart(), BarChart()
        self.month_table, self.cert_mobility_table = record_table(), record_table()
        charts = QWidget()
        charts_layout = QVBoxLayout(charts)
        tables = QWidget()
        tables_layout = QVBoxLayout(tables)
        self.month_table_heading, self.mobility_table_heading = QLabel(), QLabel()
        for label in (
            self.month_heading,
            self.mobility_heading,
            self.month_table_heading,
            self.mobility_table_heading,
        ):
            bold = label.font()
            bold.setBold(True)
            label.setFont(bold)
        for layout, widgets in (
            (
                charts_layout,
                (
                    self.month_heading,
                    self.month_chart,
                    self.mobility_heading,
                    self.cert_mobility_chart,
                ),
            ),
            (
                tables_layout,
                (
                    self.month_table_heading,
                    self.month_table,
                    self.mobility_table_heading,
                    self.cert_mobility_table,
                ),
            ),
        ):
            for widget in widgets:
                layout.addWidget(widget)
        charts_layout.addStretch(1)
        self.certificate_stack = QStackedWidget()
        self.certificate_stack.addWidget(_scrolled(charts))
        self.certificate_stack.addWidget(tables)

        self.tabs = QTabWidget()
        self.tabs.addTab(levels_page, "")
        self.tabs.addTab(self.gain_stack, "")
        self.tabs.addTab(self.stage_stack, "")
        self.tabs.addTab(self.certificate_stack, "")

        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(filters)
        layout.addWidget(self.summary)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self._filling = False
        # the figures come with refresh(), when the screen is shown (counted once, not
        # once here and again as the workspace shows it)
        self.retranslate()

    @staticmethod
    def _stack(chart: BarChart, table: QTableWidget) -> QStackedWidget:
        stack = QStackedWidget()
        page = QWidget()
        page_layout = QVBoxLayout(page)
        page_layout.addWidget(chart)
        page_layout.addStretch(1)
        stack.addWidget(_scrolled(page))
        stack.addWidget(table)
        return stack

    # --- state ----------------------------------------------------------------------

    def filters(self) -> Filters:
        framework = self.framework_box.currentData() or ("digcomp", "3.0")
        return Filters(
            group_id=self.group_box.currentData(),
            school_year=self.year_box.currentData(),
            mobility_id=self.mobility_box.currentData(),
            framework_id=framework[0],
            framework_version=framework[1],
        )

    def framework(self) -> Framework:
        chosen = self.filters()
        return self._context.library.get(chosen.framework_id, chosen.framework_version)

    def refresh(self) -> None:
        db, actor = self._context.db, self._context.actor
        try:
            self.options = overview.options(db, actor)
        except ServiceError as error:
            self.message.setText(str(error))
            return
        self._fill_filters()
        self.load()

    def _fill_filters(self) -> None:
        options = self.options
        if options is None:
            return
        self._filling = True
        try:
            everyone = _("all")
            for box, items in (
                (
                    self.group_box,
                    [
                        (g.name + (f" ({g.school_year})" if g.school_year else ""), g.group_id)
                        for g in options.groups
                    ],
                ),
                (self.year_box, [(year, year) for year in options.school_years]),
                (
                    self.mobility_box,
                    [(f"{m.code} · {m.title}", m.mobility_id) for m in options.mobilities],
                ),
            ):
                kept = box.currentData()
                box.clear()
                box.addItem(everyone, None)
                for text, data in items:
                    box.addItem(text, data)
                    box.setItemData(box.count() - 1, text, Qt.ItemDataRole.ToolTipRole)
                box.setCurrentIndex(max(box.findData(kept), 0))
            kept_framework = self.framework_box.currentData()
            self.framework_box.clear()
            for key in options.frameworks:
                try:
                    label = self._context.library.get(*key).label
                except KeyError:
                    continue
                self.framework_box.addItem(label, key)
            self.framework_box.setCurrentIndex(max(self.framework_box.findData(kept_framework), 0))
            several = self.framework_box.count() > 1
            self.framework_box.setVisible(several)
            self.framework_label.setVisible(several)
        finally:
            self._filling = False

    def _on_filter(self, _index: int) -> None:
        if not self._filling:
            self.load()

    def load(self) -> None:
        """Count the figures for the chosen filters and show them."""
        db, actor = self._context.db, self._context.actor
        try:
            self.overview = overview.figures(db, actor, self.filters())
        except ServiceError as error:
            self.overview = None
            self.message.setText(str(error))
            return
        self.message.clear()
        self.show_overview()

    # --- showing --------------------------------------------------------------------

    def show_overview(self) -> None:
        data = self.overview
        if data is None:
            return
        language = current_language()
        framework = self.framework()
        self.tables = {t.name: t for t in numbers_tables(data, framework, language)}
        population = fewer_text(language) if data.population_suppressed else str(data.learners or 0)
        summary = _("Learners chosen: {number}.").format(number=population)
        if data.protected:
            summary += " " + _(
                "Figures about fewer than {number} learners are not shown, so that no one "
                "can be recognised."
            ).format(number=data.threshold)
        elif self.options is not None and self.options.scope == "teacher":
            summary += " " + _("Only the learners of your groups and mobilities are counted.")
        self.summary.setText(summary)
        self._fill_levels()
        self._fill_gains()
        self._fill_stages()
        self._fill_certificates()

    def _fill_levels(self) -> None:
        data = self.overview
        if data is None:
            return
        source = self.source_box.currentData() or "latest"
        series = data.source(source)
        framework = self.framework()
        language = current_language()
        fewer = fewer_text(language)
        bars = []
        for row in series.rows:
            title = (
                area_title(framework, row.key, language)
                if row.is_area
                else framework.competence(row.key).title.get(language)
            )
            label = f"{row.key} {title}"
            if row.suppressed or row.counts is None:
                bars.append(Bar(label, (), fewer, row.is_area))
            elif not sum(row.counts):
                bars.append(Bar(label, (), _("no levels yet"), row.is_area))
            else:
                mean = "—" if row.mean is None else _number(row.mean)
                text = _("{learners} learners · mean {mean}").format(
                    learners=row.learners, mean=mean
                )
                spread = ", ".join(
                    f"{name}: {count}"
                    for name, count in zip(self._level_names(), row.counts, strict=True)
                )
                bars.append(
                    Bar(label, tuple(float(c) for c in row.counts), text, row.is_area, spread)
                )
        empty = _("No levels recorded for the learners chosen.")
        self.level_chart.set_data(bars, self._level_names(), LEVEL_COLOURS, "share", empty)
        self._fill_table(self.level_table, self.tables.get(source))

    def _level_names(self) -> list[str]:
        return [_("not yet"), *(str(n) for n in range(1, 9))]

    def _fill_gains(self) -> None:
        data = self.overview
        if data is None:
            return
        fewer = fewer_text(current_language())
        bars = []
        for gain in data.gains:
            label = f"{gain.code} · {gain.title}"
            if gain.suppressed:
                bars.append(Bar(label, (), fewer))
                continue
            mean = "—" if gain.mean_change is None else f"{gain.mean_change:+.1f}"
            text = _("{learners} learners · mean change {change}").format(
                learners=gain.learners, change=mean
            )
            values = (gain.higher, gain.same, gain.lower, gain.newly_rated)
            bars.append(Bar(label, tuple(float(v or 0) for v in values), text))
        legend = [_("higher"), _("same"), _("lower"), _("newly rated")]
        empty = _("No learner has a self-assessment both before and after a mobility.")
        self.gain_chart.set_data(bars, legend, CHANGE_COLOURS, "share", empty)
        self._fill_table(self.gain_table, self.tables.get("gains"))

    def _fill_stages(self) -> None:
        data = self.overview
        if data is None:
            return
        stages = data.stages
        fewer = fewer_text(current_language())
        bars = []
        for row in stages.rows:
            label = _(STAGE_NAMES[row.stage])
            if stages.suppressed or row.cases is None:
                bars.append(Bar(label, (), fewer))
                continue
            share = 100 * row.cases / stages.cases if stages.cases else 0.0
            text = _("{cases} cases ({share} %)").format(cases=row.cases, share=_number(share))
            bars.append(Bar(label, (float(row.cases),), text))
        if not stages.suppressed and not stages.cases:
            bars = []
        self.stage_chart.set_data(
            bars, [], COUNT_COLOURS, "scale", _("No cases for the learners chosen.")
        )
        self._fill_table(self.stage_table, self.tables.get("stages"))

    def _fill_certificates(self) -> None:
        data = self.overview
        if data is None:
            return
        fewer = fewer_text(current_language())
        months = [
            Bar(m.month, (), fewer)
            if m.suppressed
            else Bar(m.month, (float(m.certificates or 0),), str(m.certificates))
            for m in data.months
        ]
        mobilities = [
            Bar(
                f"{m.code} · {m.title}" if m.code else _("without a mobility"),
                () if m.suppressed else (float(m.certificates or 0),),
                fewer if m.suppressed else str(m.certificates),
            )
            for m in data.by_mobility
        ]
        empty = _("No certificates issued to the learners chosen.")
        self.month_chart.set_data(months, [], COUNT_COLOURS, "scale", empty)
        self.cert_mobility_chart.set_data(mobilities, [], COUNT_COLOURS, "scale", empty)
        self._fill_table(self.month_table, self.tables.get("months"))
        self._fill_table(self.cert_mobility_table, self.tables.get("mobilities"))

    @staticmethod
    def _fill_table(table: QTableWidget, numbers: NumbersTable | None) -> None:
        table.clear()
        if numbers is None:
            table.setRowCount(0)
            return
        table.setColumnCount(len(numbers.columns))
        table.setHorizontalHeaderLabels(list(numbers.columns))
        table.setRowCount(len(numbers.rows))
        for r, row in enumerate(numbers.rows):
            for c, cell in enumerate(row):
                if cell is None:
                    text = ""
                elif isinstance(cell, float):
                    text = format_number(cell)
                else:
                    text = str(cell)
                item = QTableWidgetItem(text)
                if isinstance(cell, int | float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                if r in numbers.strong:
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        if len(numbers.columns) > 1:
            header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def _show_numbers(self, shown: bool) -> None:
        for stack in (
            self.level_stack,
            self.gain_stack,
            self.stage_stack,
            self.certificate_stack,
        ):
            stack.setCurrentIndex(1 if shown else 0)
        self.numbers_button.setText(_("Sho&w charts") if shown else _("Show &numbers"))

    # --- export ---------------------------------------------------------------------

    def export(self) -> None:
        """Ask where, then write the overview as a workbook, CSV or PDF."""
        kinds = {
            _("Excel workbook (*.xlsx)"): "xlsx",
            _("CSV, for spreadsheets (*.csv)"): "csv",
            _("PDF document (*.pdf)"): "pdf",
        }
        suggested = str(Path.home() / "overview.xlsx")
        path, chosen = QFileDialog.getSaveFileName(
            self, _("Export the overview"), suggested, ";;".join(kinds)
        )
        if not path:
            return
        target = Path(path)
        kind = KINDS.get(target.suffix.lower()) or kinds.get(chosen, "xlsx")
        if target.suffix.lower() != f".{kind}":
            target = target.with_name(target.name + f".{kind}")
        try:
            self.exported = overview.export(
                self._context.db,
                self._context.actor,
                self.filters(),
                target,
                kind,
                current_language(),
            )
        except (ServiceError, OSError) as error:
            self.message.setText(_("Not exported: {error}").format(error=error))
            return
        text = _("Exported to {path}.").format(path=self.exported)
        self.message.setText(text)
        self._context.notify(text)

    # --- language -------------------------------------------------------------------

    def retranslate(self) -> None:
        self.heading.setText(_("School overview"))
        self.group_label.setText(_("&Group:"))
        self.year_label.setText(pgettext("overview filter", "School &year:"))
        self.mobility_label.setText(_("&Mobility:"))
        self.framework_label.setText(_("F&ramework:"))
        self.source_label.setText(_("Levels fr&om:"))
        self._show_numbers(self.numbers_button.isChecked())
        self.numbers_button.setToolTip(_("The numbers behind the charts, as tables"))
        self.export_button.setText(_("&Export…"))
        self.export_button.setToolTip(
            _("Save the overview as an Excel workbook, a CSV file or a PDF")
        )
        self.month_heading.setText(_("Certificates issued per month"))
        self.mobility_heading.setText(_("Certificates issued per mobility"))
        self.month_table_heading.setText(self.month_heading.text())
        self.mobility_table_heading.setText(self.mobility_heading.text())
        for index, title in enumerate(
            (_("&Levels"), _("Before and &after"), _("&Cases per stage"), _("Cer&tificates"))
        ):
            self.tabs.setTabText(index, title)
        kept = self.source_box.currentData()
        self._filling = True
        self.source_box.blockSignals(True)
        self.source_box.clear()
        for source in SOURCES:
            self.source_box.addItem(_(SOURCE_NAMES[source]), source)
        self.source_box.setCurrentIndex(max(self.source_box.findData(kept), 0))
        self.source_box.blockSignals(False)
        self._filling = False
        if self.options is not None:
            self._fill_filters()
        self.show_overview()
