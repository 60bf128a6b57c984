"""Cases teachers sent to certification: check the assessed levels, approve and issue."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import certificates, mobilities, validation
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.validation import METHOD_NAMES, CaseInfo
from digcomp_app.ui.column_fit import ColumnFit
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.certificates.common import (
    competence_title,
    plain,
    show_moment,
)
from digcomp_app.ui.signing import ensure_signer
from digcomp_app.ui.widgets import ERROR_COLOUR

_CASE = Qt.ItemDataRole.UserRole
#: columns. A case's own row reads across the whole list: the learner, the mobility code
#: (whole) and how many competences; its competences' rows below fill the columns, levels
#: and dates whole, titles, methods, names and comments shortened with "…" when the list
#: has no room (whole in their tooltips).
NAME, MOBILITY, TARGET, ASSESSED, METHOD, ASSESSOR, DATE, COMMENT = range(8)
#: the most characters a column asks for (a longer text gives way first)
COLUMN_CAPS = {NAME: 64, METHOD: 24, ASSESSOR: 24, COMMENT: 40}
#: the fewest characters a column gets: a competence's title gives way last, a teacher's
#: name reads whole
COLUMN_LEAST = {NAME: 28, METHOD: 10, ASSESSOR: 16, COMMENT: 10}
#: what joins the parts of a case's own row
CASE_ROW_SEPARATOR = " · "


def gap_note(count: int) -> str:
    """What ⚑ means, said in words (a tooltip beside the mark)."""
    return ngettext(
        "⚑ {count} competence where the learner's own rating is 2 or more levels away "
        "from the level assessed.",
        "⚑ {count} competences where the learner's own rating is 2 or more levels away "
        "from the level assessed.",
        count,
    ).format(count=count)


def case_row_text(item: QTreeWidgetItem) -> str:
    """What a case's own row shows across the list: its columns' texts, joined."""
    parts = (item.text(column) for column in range(item.columnCount()))
    return CASE_ROW_SEPARATOR.join(part for part in parts if part)


class _CaseRowDelegate(QStyledItemDelegate):
    """Draws a case's own row (spanning every column) with all its columns' texts."""

    def initStyleOption(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> None:
        super().initStyleOption(option, index)
        if not index.parent().isValid() and index.column() == NAME:
            tree = self.parent()
            if isinstance(tree, QTreeWidget):
                item = tree.topLevelItem(index.row())
                if item is not None:
                    option.text = case_row_text(item)  # type: ignore[attr-defined]

    def sizeHint(  # noqa: N802 - Qt's name
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        hint = super().sizeHint(option, index)
        if not index.parent().isValid() and index.column() == NAME:
            # it spans the list: the first column need not be as wide as all of it
            text = str(index.data() or "")
            return QSize(option.fontMetrics.horizontalAdvance(text) + 8, hint.height())  # type: ignore[attr-defined]
        return hint


class QueuePanel(QWidget):
    """One row per case, its target competences below it."""

    #: a certificate was issued (CertificateInfo)
    issued = Signal(object)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self._cases: list[CaseInfo] = []
        self._codes: dict[int, str] = {}
        #: case id → the competences marked ⚑ (the learner's own rating far from the level)
        self._flagged: dict[int, tuple[str, ...]] = {}

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.tree = QTreeWidget()
        self.tree.setColumnCount(8)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.setAlternatingRowColors(True)
        self.tree.setItemDelegate(_CaseRowDelegate(self.tree))
        self.columns = ColumnFit(
            self.tree,
            whole=(TARGET, ASSESSED, DATE),
            giving=(NAME, METHOD, ASSESSOR, COMMENT),
            caps=COLUMN_CAPS,
            least=COLUMN_LEAST,
            alignment=Qt.AlignmentFlag.AlignLeft,
        )
        # the mobility code is read in the case's own row, across the list
        self.tree.setColumnHidden(MOBILITY, True)
        self.empty = QLabel()
        self.empty.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.approve_button = QPushButton()
        buttons = QHBoxLayout()
        buttons.addWidget(self.approve_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.empty)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.setTabOrder(self.tree, self.approve_button)

        self.tree.currentItemChanged.connect(lambda *_args: self._update_buttons())
        self.approve_button.clicked.connect(self.approve_selected)
        self.retranslate()

    def retranslate(self) -> None:
        self.intro.setText(
            _(
                "Cases that teachers have sent for certification. Check the assessed "
                "levels and the teachers' comments (⚑ marks a level two or more away from "
                "the learner's own rating); then approve the case and issue its certificate."
            )
        )
        self.tree.setHeaderLabels(
            [
                _("Learner and competences"),
                _("Mobility"),
                _("Target level"),
                _("Assessed level"),
                _("Method"),
                _("Assessed by"),
                _("Assessed on"),
                _("Teacher's comment"),
            ]
        )
        self.tree.setAccessibleName(_("Cases waiting for approval"))
        self.approve_button.setText(_("&Approve and issue…"))
        self.approve_button.setAccessibleName(plain(self.approve_button.text()))
        self.message.setAccessibleName(_("Message"))
        self._fill()

    def refresh(self) -> None:
        db, actor = self._context.db, self._context.actor
        try:
            self._cases = certificates.certification_queue(db, actor)
            self._codes = {m.id: m.code for m in mobilities.list_all(db, actor)}
            self._flagged = {
                mark.case_id: mark.flagged
                for mark in validation.case_marks(db, actor, stage="certification")
            }
        except ServiceError as error:
            self._cases, self._flagged = [], {}
            self._say(str(error), error=True)
        self._fill()

    # --- what is shown ------------------------------------------------------------------

    def _fill(self) -> None:
        chosen = self.selected_case()
        chosen_id = chosen.id if chosen else None
        self.tree.clear()
        library = self._context.library
        for case in self._cases:
            code = self._codes.get(case.mobility_id or 0, "")
            count = ngettext("{count} competence", "{count} competences", len(case.targets)).format(
                count=len(case.targets)
            )
            flagged = self._flagged.get(case.id, ())
            top = QTreeWidgetItem([case.learner_name, code, count])
            top.setData(0, _CASE, case.id)
            top.setToolTip(0, self._sent_text(case))
            top.setToolTip(MOBILITY, code)
            if flagged:
                top.setText(NAME, "⚑ " + case.learner_name)
                top.setToolTip(NAME, gap_note(len(flagged)) + "\n" + self._sent_text(case))
            font = top.font(0)
            font.setBold(True)
            top.setFont(0, font)
            for target in case.targets:
                assessed = case.assessment_for(target.competence_id)
                title = competence_title(
                    library, case.framework_id, case.framework_version, target.competence_id
                )
                row = [
                    title,
                    "",
                    str(target.level),
                    str(assessed.level) if assessed else _("not assessed"),
                    _(METHOD_NAMES.get(assessed.method, assessed.method)) if assessed else "",
                    assessed.assessor if assessed else "",
                    format_date(assessed.assessed_on, "short") if assessed else "",
                    " ".join(assessed.comment.split()) if assessed else "",
                ]
                child = QTreeWidgetItem(row)
                child.setData(0, _CASE, case.id)
                child.setToolTip(0, title)
                if target.competence_id in flagged:
                    child.setText(NAME, "⚑ " + title)
                    child.setToolTip(NAME, title + "\n" + gap_note(1))
                for column in (METHOD, ASSESSOR):
                    child.setToolTip(column, row[column])
                if assessed and assessed.comment:
                    child.setToolTip(COMMENT, assessed.comment)
                    child.setToolTip(METHOD, row[METHOD] + "\n" + assessed.comment)
                for column in (2, 3):
                    child.setTextAlignment(column, Qt.AlignmentFlag.AlignCenter)
                top.addChild(child)
            self.tree.addTopLevelItem(top)
            top.setFirstColumnSpanned(True)  # learner · mobility code · competences
            top.setData(NAME, Qt.ItemDataRole.AccessibleTextRole, case_row_text(top))
            if case.id == chosen_id:
                self.tree.setCurrentItem(top)
        self.tree.expandAll()
        if self.tree.currentItem() is None and self.tree.topLevelItemCount():
            self.tree.setCurrentItem(self.tree.topLevelItem(0))
        self.columns.fit()
        if self._cases:
            self.empty.hide()
        else:
            self.empty.setText(
                _(
                    "No case is waiting for approval. Cases appear here when a teacher has "
                    "assessed every target competence and sent the case to certification."
                )
            )
            self.empty.show()
        self._update_buttons()

    def _sent_text(self, case: CaseInfo) -> str:
        step = next((s for s in reversed(case.history) if s.to_stage == "certification"), None)
        evidence = ngettext(
            "{count} piece of evidence", "{count} pieces of evidence", case.evidence_count
        ).format(count=case.evidence_count)
        if step is None:
            return evidence
        return _("Sent to certification by {name} on {moment}; {evidence}.").format(
            name=step.by, moment=show_moment(step.at), evidence=evidence
        )

    def row_texts(self, case_id: int) -> list[list[str]]:
        """The case's rows as shown: its own, then one per competence (for tests)."""
        for index in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(index)
            if top.data(0, _CASE) == case_id:
                rows = [top, *(top.child(i) for i in range(top.childCount()))]
                return [[r.text(c) for c in range(self.tree.columnCount())] for r in rows]
        raise LookupError(case_id)

    def selected_case(self) -> CaseInfo | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        case_id = item.data(0, _CASE)
        return next((c for c in self._cases if c.id == case_id), None)

    def select_case(self, case_id: int) -> bool:
        for index in range(self.tree.topLevelItemCount()):
            item = self.tree.topLevelItem(index)
            if item.data(0, _CASE) == case_id:
                self.tree.setCurrentItem(item)
                return True
        return False

    def cases(self) -> list[CaseInfo]:
        return list(self._cases)

    # --- approving ----------------------------------------------------------------------

    def approve_selected(self) -> None:
        case = self.selected_case()
        if case is None:
            return
        if not self._confirm(case):
            return
        signer = ensure_signer(self, self._context)
        if signer is None:
            return
        try:
            cert = certificates.issue(self._context.db, self._context.actor, case.id, signer)
        except ServiceError as error:
            self._say(str(error), error=True)
            return
        text = _("Certificate {serial} issued to {holder}. It is now in the register.").format(
            serial=cert.serial, holder=cert.holder
        )
        self._say(text)
        self._context.notify(text)
        self.refresh()
        self.issued.emit(cert)

    def _confirm(self, case: CaseInfo) -> bool:
        library = self._context.library
        levels = []
        for target in case.targets:
            assessed = case.assessment_for(target.competence_id)
            levels.append(
                _("{competence}: level {level}").format(
                    competence=competence_title(
                        library, case.framework_id, case.framework_version, target.competence_id
                    ),
                    level=assessed.level if assessed else _("not assessed"),
                )
            )
        box = QMessageBox(self)
        box.setIcon(QMessageBox.Icon.Question)
        box.setWindowTitle(_("Approve and issue"))
        box.setText(
            _("Issue the certificate for {learner} ({mobility})?").format(
                learner=case.learner_name,
                mobility=self._codes.get(case.mobility_id or 0, _("no mobility")),
            )
        )
        box.setInformativeText(
            "\n".join(levels)
            + "\n\n"
            + _(
                "An issued certificate cannot be changed. A mistake is corrected by "
                "revoking the certificate and issuing a new one."
            )
        )
        issue = box.addButton(_("&Approve and issue"), QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is issue

    def _update_buttons(self) -> None:
        self.approve_button.setEnabled(self.selected_case() is not None)

    def _say(self, text: str, *, error: bool = False) -> None:
        self.message.setStyleSheet(f"color: {ERROR_COLOUR};" if error else "")
        self.message.setText(text)
