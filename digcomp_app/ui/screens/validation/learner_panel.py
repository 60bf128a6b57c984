"""The teacher's groups and mobilities with their learners, and a search that filters as
you type. Beside each learner: the stage of their case (a numbered marker with the stage's
name) and ⚑ when a level is two or more away from the learner's own rating."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QLineEdit,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import learners, mobilities, validation
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import LearnerSummary
from digcomp_app.services.validation import STAGE_NAMES, CaseMark
from digcomp_app.ui.context import UiContext

LEARNER_ROLE = Qt.ItemDataRole.UserRole
MOBILITY_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_COLUMN, STAGE_COLUMN = 0, 1
#: a case's stage as a numbered marker (with the stage's name beside it: not colour alone)
STAGE_MARKS = {
    "identification": "①",
    "documentation": "②",
    "assessment": "③",
    "certification": "④",
    "certified": "✓",
}


def legend() -> str:
    """The markers with the stages' names, shown under the list."""
    # a no-break space keeps each marker with its name when the legend wraps
    return "  ".join(mark + "\u00a0" + _(STAGE_NAMES[stage]) for stage, mark in STAGE_MARKS.items())


def marks_text(marks: list[CaseMark]) -> str:
    """The markers of the learner's cases ("②", "② ④ ⚑"; the names are in the legend
    under the list and in the tooltip, so the learners' names keep the width); none: ""."""
    text = " ".join(STAGE_MARKS[m.stage] for m in marks)
    return text + " ⚑" if any(m.gap for m in marks) else text


def marks_tip(marks: list[CaseMark], titles: dict[int, str]) -> str:
    """Each case in words: its mobility, stage and ⚑ count."""
    if not marks:
        return _("No case yet.")
    lines = []
    for mark in marks:
        where = (
            titles.get(mark.mobility_id, "")
            if mark.mobility_id is not None
            else _("without a mobility")
        )
        line = _("{mobility}: {stage}").format(mobility=where, stage=_(STAGE_NAMES[mark.stage]))
        if mark.gap:
            line += " – " + ngettext(
                "⚑ {count} level two or more away from the learner's own rating",
                "⚑ {count} levels two or more away from the learner's own rating",
                len(mark.flagged),
            ).format(count=len(mark.flagged))
        lines.append(line)
    return "\n".join(lines)


class LearnerPanel(QWidget):
    """Emits ``learner_chosen(learner id, name, mobility id or None)``."""

    learner_chosen = Signal(int, str, object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._mobility_members: dict[int, list[LearnerSummary]] | None = None
        self._groups: list = []
        self._mobilities: list = []
        self._problem = ""
        self._loaded = False
        #: learner id → the marks of their cases (read at refresh and when the list is
        #: focused again: the case beside it may have moved on)
        self._marks: dict[int, list[CaseMark]] = {}
        self.search_label = QLabel()
        self.search = QLineEdit()
        self.search.setClearButtonEnabled(True)
        self.search_label.setBuddy(self.search)
        self.tree = QTreeWidget()
        self.tree.setHeaderHidden(True)
        self.tree.setColumnCount(2)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        header = self.tree.header()
        header.setStretchLastSection(False)
        # the stage whole; a long name is cut with "…" (its tooltip is whole)
        header.setSectionResizeMode(NAME_COLUMN, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(STAGE_COLUMN, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setUniformRowHeights(True)
        # learners' names need the width more than the tree's steps do
        self.tree.setIndentation(14)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.empty.hide()
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.search_label)
        layout.addWidget(self.search)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.legend)
        self.setTabOrder(self.search, self.tree)
        self.search.textChanged.connect(self._fill)
        self.search.returnPressed.connect(self._take_first)
        self.search.installEventFilter(self)
        self.tree.installEventFilter(self)
        self.tree.currentItemChanged.connect(self._on_current)
        self.tree.itemExpanded.connect(self._on_expanded)
        self.retranslate()

    # --- loading ------------------------------------------------------------------

    def refresh(self) -> None:
        db, actor = self._context.db, self._context.actor
        self._problem = ""
        try:
            self._groups = learners.list_groups(db, actor)
            self._mobilities = mobilities.list_all(db, actor)
            self._marks = self._read_marks()
        except ServiceError as error:
            self._groups, self._mobilities, self._problem = [], [], str(error)
            self._marks = {}
        self._mobility_members = None
        self._loaded = True
        self._fill()

    def _read_marks(self) -> dict[int, list[CaseMark]]:
        marks: dict[int, list[CaseMark]] = {}
        for mark in validation.case_marks(self._context.db, self._context.actor):
            marks.setdefault(mark.learner_id, []).append(mark)
        return marks

    def update_marks(self) -> None:
        """Read the cases' stages again and show them, keeping the list as it is."""
        try:
            self._marks = self._read_marks()
        except ServiceError:
            return  # the marks shown stay; the next refresh says what is wrong
        for item in self.learner_items():
            self._show_marks(item)

    def _show_marks(self, item: QTreeWidgetItem) -> None:
        learner_id, mobility_id = item.data(0, LEARNER_ROLE), item.data(0, MOBILITY_ROLE)
        marks = self._marks.get(learner_id, [])
        if mobility_id is not None:
            marks = [m for m in marks if m.mobility_id == mobility_id]
        titles = {m.id: m.title for m in self._mobilities}
        item.setText(STAGE_COLUMN, marks_text(marks))
        item.setToolTip(STAGE_COLUMN, marks_tip(marks, titles))

    def _members_of_mobility(self, mobility_id: int) -> list[LearnerSummary]:
        """The mobility's participants, read once and kept until the next refresh."""
        if self._mobility_members is None:
            self._mobility_members = {}
        if mobility_id not in self._mobility_members:
            db, actor = self._context.db, self._context.actor
            self._mobility_members[mobility_id] = [
                LearnerSummary(p.learner_id, p.given_names, p.surname, p.date_of_birth)
                for p in mobilities.list_participants(db, actor, mobility_id)
            ]
        return self._mobility_members[mobility_id]

    def _fill(self, *_args: object) -> None:
        chosen = self.current_learner()
        self.tree.blockSignals(True)
        self.tree.clear()
        text = self.search.text().strip()
        try:
            if text:
                self._fill_results(text)
            else:
                self._fill_tree()
        except ServiceError as error:
            self._problem = str(error)
        self.tree.blockSignals(False)
        if chosen is not None:
            self.select_learner(chosen[0], chosen[1], emit=False)
        self._show_empty_state(text)

    def _fill_results(self, text: str) -> None:
        for learner in learners.search(self._context.db, self._context.actor, text):
            self.tree.addTopLevelItem(self._learner_item(learner, None))

    def _fill_tree(self) -> None:
        bold = QFont(self.tree.font())
        bold.setBold(True)
        for group in self._groups:
            label = ngettext(
                "{name} – {count} learner", "{name} – {count} learners", group.member_count
            ).format(name=group.name, count=group.member_count)
            item = QTreeWidgetItem([label])
            item.setFont(0, bold)
            item.setToolTip(
                0, label + "\n" + _("School year {year}").format(year=group.school_year)
            )
            self.tree.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)
            db, actor = self._context.db, self._context.actor
            for learner in learners.group_members(db, actor, group.id):
                item.addChild(self._learner_item(learner, None))
            item.setExpanded(True)
        for mobility in self._mobilities:
            item = QTreeWidgetItem([_("Mobility: {title}").format(title=mobility.title)])
            item.setFont(0, bold)
            item.setData(0, MOBILITY_ROLE, mobility.id)
            item.setToolTip(
                0,
                mobility.title
                + "\n"
                + _("{code}\n{start} – {end}, {host}").format(
                    code=mobility.code,
                    start=format_date(mobility.start_date),
                    end=format_date(mobility.end_date),
                    host=mobility.host_organisation,
                ),
            )
            item.setChildIndicatorPolicy(QTreeWidgetItem.ChildIndicatorPolicy.ShowIndicator)
            self.tree.addTopLevelItem(item)
            item.setFirstColumnSpanned(True)

    def _on_expanded(self, item: QTreeWidgetItem) -> None:
        mobility_id = item.data(0, MOBILITY_ROLE)
        if mobility_id is None or item.childCount():
            return
        try:
            members = self._members_of_mobility(mobility_id)
        except ServiceError as error:
            self._problem = str(error)
            self._show_empty_state("")
            return
        for learner in members:
            item.addChild(self._learner_item(learner, mobility_id))
        if not members:
            item.setChildIndicatorPolicy(
                QTreeWidgetItem.ChildIndicatorPolicy.DontShowIndicatorWhenChildless
            )

    def _learner_item(self, learner: LearnerSummary, mobility_id: int | None) -> QTreeWidgetItem:
        item = QTreeWidgetItem([learner.full_name])
        item.setData(0, LEARNER_ROLE, learner.id)
        item.setData(0, MOBILITY_ROLE, mobility_id)
        # the full name, also when a narrow list cuts it
        tip = learner.full_name
        if learner.date_of_birth is not None:
            born = _("Born {date}").format(date=format_date(learner.date_of_birth))
            tip += "\n" + born
        item.setToolTip(0, tip)
        self._show_marks(item)
        return item

    def _show_empty_state(self, text: str) -> None:
        if self._problem:
            message = self._problem
        elif text and not self.tree.topLevelItemCount():
            message = _(
                'No learner of yours matches "{text}". Check the spelling (accents do not '
                "matter), or clear the field to see your groups and mobilities."
            ).format(text=text)
        elif self._loaded and not text and not self.tree.topLevelItemCount():
            message = _(
                "You have no groups or mobilities yet. Ask the coordinator to assign you "
                "to a group or a mobility."
            )
        else:
            message = ""
        self.empty.setText(message)
        self.empty.setVisible(bool(message))

    # --- choosing -----------------------------------------------------------------

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        if current is None or current.data(0, LEARNER_ROLE) is None:
            return
        self.learner_chosen.emit(
            int(current.data(0, LEARNER_ROLE)), current.text(0), current.data(0, MOBILITY_ROLE)
        )

    def _take_first(self) -> None:
        items = self.learner_items()
        if items:
            self.tree.setCurrentItem(items[0])
            self.tree.setFocus()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        """Down in the search field goes on to the list, as in a file dialog."""
        if watched is self.tree and event.type() == QEvent.Type.FocusIn and self._loaded:
            self.update_marks()
        if (
            watched is self.search
            and event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and event.key() == Qt.Key.Key_Down
        ):
            if self.tree.currentItem() is None:
                self._take_first()
            self.tree.setFocus()
            return True
        return super().eventFilter(watched, event)

    def current_learner(self) -> tuple[int, int | None] | None:
        item = self.tree.currentItem()
        if item is None or item.data(0, LEARNER_ROLE) is None:
            return None
        return int(item.data(0, LEARNER_ROLE)), item.data(0, MOBILITY_ROLE)

    def learner_items(self) -> list[QTreeWidgetItem]:
        items = []
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top.data(0, LEARNER_ROLE) is not None:
                items.append(top)
            items.extend(top.child(i) for i in range(top.childCount()))
        return items

    def select_learner(self, learner_id: int, mobility_id: int | None, emit: bool = True) -> None:
        items = [i for i in self.learner_items() if i.data(0, LEARNER_ROLE) == learner_id]
        exact = [i for i in items if i.data(0, MOBILITY_ROLE) == mobility_id]
        if not (exact or items):
            return
        self.tree.blockSignals(not emit)
        self.tree.setCurrentItem((exact or items)[0])
        self.tree.blockSignals(False)

    def retranslate(self) -> None:
        self.search_label.setText(_("Find a &learner:"))
        self.search.setPlaceholderText(_("Type part of a name"))
        self.search.setAccessibleName(_("Find a learner by name"))
        self.tree.setAccessibleName(_("Your groups, mobilities and learners"))
        self.empty.setAccessibleName(_("Learner list note"))
        self.legend.setText(legend() + "  ⚑\u00a0" + _("large difference from the own rating"))
        self.legend.setAccessibleName(_("Case stages"))
        self._fill()
