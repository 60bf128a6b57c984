"""The coordinator's mobilities: a searchable list beside the form of the chosen one; the
chosen mobility's summary (PDF) and its attestations printed from here.

Each mobility of the list is one cell on several lines (title, code, dates and learners:
widgets.MobilityCell) that wrap with the list's width, so they read whole at 1366x768
with a larger font too."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import mobilities, organisations
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.services.organisations import OrganisationInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.print_dialog import DocumentRunner
from digcomp_app.ui.screens.mobilities.editor import MobilityEditor
from digcomp_app.ui.screens.mobilities.widgets import (
    CODE_ROLE,
    DETAILS_ROLE,
    ButtonRow,
    MobilityCell,
    plain,
    set_label,
)
from digcomp_app.ui.unsaved import confirm_leave
from digcomp_app.ui.widgets import ERROR_COLOUR, record_table

if TYPE_CHECKING:
    from digcomp_app.services.reports import ReportFile

_ID = Qt.ItemDataRole.UserRole


class MobilitiesScreen(QWidget):
    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._rows: list[MobilityInfo] = []
        self._organisations: list[OrganisationInfo] = []

        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.new_button = QPushButton()
        self.table = record_table(1)
        self.table.setWordWrap(True)
        self.table.setItemDelegate(MobilityCell(self.table))
        self.table.setShowGrid(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.hide()
        # the rows' heights follow the list's width: its lines wrap
        self.table.viewport().installEventFilter(self)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.problem = QLabel()
        self.problem.setWordWrap(True)
        self.problem.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.editor = MobilityEditor(context)
        self.summary_button = QPushButton()
        self.print_button = QPushButton()
        self.documents = DocumentRunner(self, context)
        self.documents_message = QLabel()
        self.documents_message.setWordWrap(True)

        top = QHBoxLayout()
        top.addWidget(self.search_label)
        top.addWidget(self.search, 1)
        top.addWidget(self.new_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(top)
        left_layout.addWidget(self.table, 1)
        left_layout.addWidget(self.empty)
        left_layout.addWidget(self.problem)
        left_layout.addWidget(ButtonRow(self.summary_button, self.print_button))
        left_layout.addWidget(self.documents_message)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.editor)
        self.splitter.setStretchFactor(0, 4)
        self.splitter.setStretchFactor(1, 5)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setSizes([520, 580])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)
        self.setTabOrder(self.search, self.new_button)
        self.setTabOrder(self.new_button, self.table)
        self.setTabOrder(self.table, self.summary_button)
        self.setTabOrder(self.summary_button, self.print_button)
        self.setTabOrder(self.print_button, self.editor.tabs)

        self.search.textChanged.connect(self._reload_list)
        self.new_button.clicked.connect(self.new_mobility)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.editor.saved.connect(self._on_saved)
        self.editor.outdated.connect(self._reload_list)
        self.editor.organisation_added.connect(lambda _org: self._load_organisations())
        self.summary_button.clicked.connect(self.save_summary)
        self.print_button.clicked.connect(self.print_attestations)
        self.documents_message.hide()  # until a document was written
        self.documents.finished.connect(self._show_documents_message)
        QShortcut(QKeySequence.StandardKey.New, self, self.new_mobility)
        self.retranslate()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.table.viewport() and event.type() == QEvent.Type.Resize:
            self.table.resizeRowsToContents()
        return super().eventFilter(watched, event)

    # --- screen protocol --------------------------------------------------------------

    def retranslate(self) -> None:
        set_label(self.search_label, _("Fin&d:"), self.search)
        self.search.setPlaceholderText(_("Code or title"))
        self.search.setAccessibleName(_("Find mobilities by code or title"))
        self.new_button.setText(_("&New mobility"))
        self.new_button.setToolTip(_("Create a new mobility (Ctrl+N)"))
        self.new_button.setAccessibleName(plain(self.new_button.text()))
        self.table.setAccessibleName(_("Mobilities"))
        self.summary_button.setText(_("Mobility summar&y (PDF)…"))
        self.summary_button.setAccessibleName(_("Mobility summary (PDF)"))
        self.summary_button.setToolTip(
            _("The participants of the chosen mobility and the level each reached, as a PDF.")
        )
        self.print_button.setText(_("Print attestations of this mobility…"))
        self.print_button.setAccessibleName(_("Print attestations of this mobility"))
        self.documents_message.setAccessibleName(_("Message"))
        self.editor.retranslate()
        self._fill_table()

    def refresh(self) -> None:
        self._load_organisations()
        self._reload_list()
        shown = self.editor.mobility
        fresh = next((m for m in self._rows if shown and m.id == shown.id), None)
        if fresh is not None and fresh != shown and not self.editor.is_dirty():
            self.editor.show_mobility(fresh)  # changed elsewhere; nothing typed here is lost

    # --- actions ----------------------------------------------------------------------

    def new_mobility(self) -> None:
        if not self._may_leave():
            return
        self.table.blockSignals(True)
        self.table.clearSelection()
        self.table.blockSignals(False)
        self.editor.show_mobility(None)
        self._update_document_buttons()
        self.editor.tabs.setCurrentIndex(0)
        self.editor.form.code.setFocus()

    def select_mobility(self, mobility_id: int) -> bool:
        for row in range(self.table.rowCount()):
            if self.table.item(row, 0).data(_ID) == mobility_id:
                self.table.selectRow(row)
                return True
        return False

    def listed_codes(self) -> list[str]:
        return [self.table.item(row, 0).data(CODE_ROLE) for row in range(self.table.rowCount())]

    def listed_mobilities(self) -> list[MobilityInfo]:
        """The mobilities of the list, in its order."""
        return list(self._rows)

    def save_summary(self) -> None:
        """The chosen mobility's summary as a PDF, in the language the coordinator picks."""
        shown = self.editor.mobility
        if shown is None:
            return
        db, actor, code = self._context.db, self._context.actor, shown.code

        def make(language: str) -> ReportFile:
            from digcomp_app.services import reports  # reportlab: loaded when first needed

            return reports.mobility_summary(db, actor, code, language)

        self.documents.save_report(
            _("Mobility summary"),
            _(
                "The summary of {code} lists its participants and the level each reached "
                "per competence. Choose its language and where to save it."
            ).format(code=code),
            make,
        )

    def print_attestations(self) -> None:
        """Print the attestations in force of the chosen mobility (the print dialog)."""
        shown = self.editor.mobility
        if shown is not None:
            self.documents.print_attestations(mobility_code=shown.code)

    def _show_documents_message(self, text: str) -> None:
        self.documents_message.setText(text)
        self.documents_message.setVisible(bool(text))

    def _update_document_buttons(self) -> None:
        chosen = self.editor.mobility is not None
        self.summary_button.setEnabled(chosen)
        self.print_button.setEnabled(chosen)

    # --- data -------------------------------------------------------------------------

    def _load_organisations(self) -> None:
        db, actor = self._context.db, self._context.actor
        try:
            self._organisations = organisations.list_all(db, actor)
            home = organisations.get_home(db, actor)
        except ServiceError as error:
            self.problem.setText(str(error))
            return
        self.editor.set_organisations(self._organisations, home.id if home else None)

    def _reload_list(self) -> None:
        try:
            self._rows = mobilities.list_all(
                self._context.db, self._context.actor, text=self.search.text()
            )
        except ServiceError as error:
            self._rows = []
            self.problem.setText(str(error))
        else:
            self.problem.clear()
        self._fill_table()

    def _fill_table(self) -> None:
        chosen = self.editor.mobility.id if self.editor.mobility else None
        self.table.blockSignals(True)
        self.table.setRowCount(len(self._rows))
        for row, info in enumerate(self._rows):
            dates = _("{start} – {end}").format(
                start=format_date(info.start_date, "short"),
                end=format_date(info.end_date, "short"),
            )
            learners = ngettext(
                "{count} learner", "{count} learners", info.participant_count
            ).format(count=info.participant_count)
            details = _("{dates} · {learners}").format(dates=dates, learners=learners)
            tip = _("{title}\n{code}\nHost: {host} ({country})\n{start} – {end}").format(
                title=info.title,
                code=info.code,
                host=info.host_organisation,
                country=info.host_country,
                start=format_date(info.start_date),
                end=format_date(info.end_date),
            )
            item = QTableWidgetItem(info.title)
            item.setToolTip(tip)
            item.setData(_ID, info.id)
            item.setData(CODE_ROLE, info.code)
            item.setData(DETAILS_ROLE, details)
            item.setData(
                Qt.ItemDataRole.AccessibleTextRole,
                ", ".join((info.title, info.code, dates, learners)),
            )
            self.table.setItem(row, 0, item)
        self.table.clearSelection()
        if chosen is not None:
            self.select_mobility(chosen)
        self.table.blockSignals(False)
        self.table.resizeRowsToContents()
        self._show_empty_state()
        self._update_document_buttons()

    def _show_empty_state(self) -> None:
        if self._rows:
            self.empty.hide()
            return
        if self.search.text().strip():
            text = _(
                "No mobility matches '{text}'. Check the spelling or clear the search."
            ).format(text=self.search.text().strip())
        else:
            text = _(
                "There are no mobilities yet. Press New mobility to create the first one; "
                "then add its participants and teachers."
            )
        self.empty.setText(text)
        self.empty.show()

    def _on_selection(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return
        mobility_id = self.table.item(rows[0].row(), 0).data(_ID)
        current = self.editor.mobility
        if current is not None and current.id == mobility_id:
            return
        if not self._may_leave():
            self.table.blockSignals(True)
            self.table.clearSelection()
            if current is not None:
                self.select_mobility(current.id)
            self.table.blockSignals(False)
            return
        info = next((m for m in self._rows if m.id == mobility_id), None)
        if info is not None:
            self.editor.show_mobility(info)
        self._update_document_buttons()

    def _on_saved(self, info: MobilityInfo) -> None:
        self._reload_list()

    def _may_leave(self) -> bool:
        """True when the form has no unsaved changes, or the coordinator saved or discarded
        them (the app's one question, see digcomp_app.ui.unsaved)."""
        return confirm_leave(self, [self])

    # --- unsaved changes (digcomp_app.ui.unsaved) ----------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.editor.is_dirty()

    def save_changes(self) -> bool:
        return self.editor.save()

    def discard_changes(self) -> None:
        self.editor.discard()

    def unsaved_title(self) -> str:
        if self.editor.mobility is not None:
            return _("Mobility {code}").format(code=self.editor.mobility.code)
        return _("New mobility")
