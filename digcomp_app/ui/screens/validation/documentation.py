"""Documentation: the case's evidence — files (dropped or picked), links and notes, each
tied to target competences — with a preview of the chosen item. Before assessment, an item
added by mistake can be removed, or tied to other competences."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import evidence
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.evidence import (
    CHANGE_STAGES,
    EVIDENCE_STAGES,
    MAX_FILE_BYTES,
    EvidenceInfo,
)
from digcomp_app.services.validation import CaseInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.validation.evidence_widgets import (
    CompetenceChecks,
    EvidenceTree,
    LinkDialog,
    NoteDialog,
    TiesDialog,
)
from digcomp_app.ui.screens.validation.preview import EvidencePreview

EVIDENCE_ROLE = Qt.ItemDataRole.UserRole
FILE_PATTERNS = "*.pdf *.png *.jpg *.jpeg *.gif *.webp *.txt *.docx *.xlsx *.pptx *.odt *.ods *.odp"


def kind_name(kind: str) -> str:
    return {"file": _("File"), "link": _("Link"), "note": _("Note")}.get(kind, kind)


class EvidencePage(QWidget):
    changed = Signal()  # evidence was added or removed: the case's count changed
    failed = Signal(str)
    done = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.case: CaseInfo | None = None
        self.framework: Framework | None = None
        self.items: list[EvidenceInfo] = []
        self.editable = False
        self.changeable = False

        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.file_button = QPushButton()
        self.link_button = QPushButton()
        self.note_button = QPushButton()
        self.list_label = QLabel()
        self.list = EvidenceTree()
        self.list.setColumnCount(3)
        self.list_label.setBuddy(self.list)
        header = self.list.header()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)
        self.remove_button = QPushButton()
        self.retie_button = QPushButton()
        self.item_note = QLabel()
        self.item_note.setWordWrap(True)
        # the same two actions on the list itself: Delete, and its context menu
        self.remove_action = QAction(self.list)
        self.remove_action.setShortcut(QKeySequence(QKeySequence.StandardKey.Delete))
        self.remove_action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        self.retie_action = QAction(self.list)
        self.list.addAction(self.retie_action)
        self.list.addAction(self.remove_action)
        self.list.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        self.ties_label = QLabel()
        self.ties_label.setWordWrap(True)
        self.ties = CompetenceChecks()
        self.ties_label.setBuddy(self.ties)
        self.preview = EvidencePreview(context)

        buttons = QHBoxLayout()
        for button in (self.file_button, self.link_button, self.note_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        left = QWidget()
        column = QVBoxLayout(left)
        column.setContentsMargins(0, 0, 0, 0)
        column.addLayout(buttons)
        column.addWidget(self.list_label)
        column.addWidget(self.list, 1)
        item_buttons = QHBoxLayout()
        item_buttons.addWidget(self.retie_button)
        item_buttons.addWidget(self.remove_button)
        item_buttons.addWidget(self.item_note, 1)
        column.addLayout(item_buttons)
        column.addWidget(self.ties_label)
        column.addWidget(self.ties)
        self.splitter = QSplitter(Qt.Orientation.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.addWidget(self.preview)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.intro)
        layout.addWidget(self.splitter, 1)
        self.setTabOrder(self.file_button, self.link_button)
        self.setTabOrder(self.link_button, self.note_button)
        self.setTabOrder(self.note_button, self.list)
        self.setTabOrder(self.list, self.retie_button)
        self.setTabOrder(self.retie_button, self.remove_button)
        self.setTabOrder(self.remove_button, self.ties)

        self.file_button.clicked.connect(self.pick_files)
        self.link_button.clicked.connect(self.add_link)
        self.note_button.clicked.connect(self.add_note)
        self.list.files_dropped.connect(self.add_files)
        self.list.currentItemChanged.connect(self._on_current)
        self.remove_button.clicked.connect(self.confirm_remove)
        self.remove_action.triggered.connect(self.confirm_remove)
        self.retie_button.clicked.connect(self.ask_ties)
        self.retie_action.triggered.connect(self.ask_ties)
        self.retranslate()

    # --- loading ------------------------------------------------------------------

    def load(self, case: CaseInfo, framework: Framework) -> None:
        targets = [t.competence_id for t in case.targets]
        ticked = set(targets)
        if self.case is not None and self.case.id == case.id:  # keep what was unticked
            ticked -= set(self.ties.listed()) - set(self.ties.ticked())
        self.case, self.framework = case, framework
        self.editable = case.stage in EVIDENCE_STAGES
        self.changeable = case.stage in CHANGE_STAGES
        self.ties.set_competences(framework, targets, ticked)
        self.reload()

    def reload(self, select_id: int | None = None) -> None:
        if self.case is None:
            return
        current = self.current_id() if select_id is None else select_id
        try:
            self.items = evidence.list_items(self._context.db, self._context.actor, self.case.id)
        except ServiceError as error:
            self.items = []
            self.failed.emit(str(error))
        self.list.blockSignals(True)
        self.list.clear()
        chosen = None
        for info in self.items:
            ties = ", ".join(info.competence_ids)
            item = QTreeWidgetItem([info.title, kind_name(info.kind), ties])
            item.setData(0, EVIDENCE_ROLE, info.id)
            item.setToolTip(
                0,
                _("Added by {who} on {date}").format(
                    who=info.added_by, date=format_date(info.added_at.date())
                ),
            )
            self.list.addTopLevelItem(item)
            if info.id == current:
                chosen = item
        self.list.blockSignals(False)
        if chosen is None and self.list.topLevelItemCount():
            chosen = self.list.topLevelItem(0)
        if chosen is not None:
            self.list.setCurrentItem(chosen)
        else:
            self.preview.show_item(None)
        self._update_state()

    def current_id(self) -> int | None:
        item = self.list.currentItem()
        return item.data(0, EVIDENCE_ROLE) if item is not None else None

    def current_item(self) -> EvidenceInfo | None:
        evidence_id = self.current_id()
        return next((i for i in self.items if i.id == evidence_id), None)

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        evidence_id = current.data(0, EVIDENCE_ROLE) if current is not None else None
        self.preview.show_item(next((i for i in self.items if i.id == evidence_id), None))
        self._update_item_buttons()

    # --- changing an item ---------------------------------------------------------

    def confirm_remove(self) -> None:
        """Ask, then remove the chosen item from the case."""
        info = self.current_item()
        if info is None or not self.changeable:
            return
        buttons = QMessageBox.StandardButton
        question = _("Remove “{title}” from the evidence of this case?").format(title=info.title)
        if info.kind == "file":
            question += " " + _(
                "The stored file is deleted too, unless other evidence uses the same file."
            )
        answer = QMessageBox.question(
            self, _("Remove evidence"), question, buttons.Yes | buttons.No, buttons.No
        )
        if answer == buttons.Yes:
            self.remove(info.id)

    def remove(self, evidence_id: int) -> bool:
        try:
            removed = evidence.remove(self._context.db, self._context.actor, evidence_id)
        except ServiceError as error:
            self.failed.emit(str(error))
            self.reload()
            return False
        index = next((n for n, i in enumerate(self.items) if i.id == evidence_id), 0)
        following = self.items[index + 1 : index + 2] or self.items[index - 1 : index]
        self.reload(select_id=following[0].id if following else None)
        self.changed.emit()
        self.done.emit(_("Removed from the evidence: {title}").format(title=removed.title))
        return True

    def ask_ties(self) -> None:
        """Ask which target competences the chosen item shows, then save that."""
        info = self.current_item()
        if info is None or self.framework is None or not self.changeable:
            return
        dialog = TiesDialog(
            info.title, self.framework, self._targets(), set(info.competence_ids), self
        )
        if dialog.exec() != TiesDialog.DialogCode.Accepted:
            return
        self.set_ties(info.id, dialog.competences.ticked())

    def set_ties(self, evidence_id: int, competence_ids: tuple[str, ...]) -> bool:
        try:
            info = evidence.set_competences(
                self._context.db, self._context.actor, evidence_id, competence_ids
            )
        except ServiceError as error:
            self.failed.emit(str(error))
            return False
        self.reload(select_id=info.id)
        self.done.emit(
            _("“{title}” now shows: {competences}").format(
                title=info.title, competences=", ".join(info.competence_ids)
            )
        )
        return True

    def _update_item_buttons(self) -> None:
        chosen = self.current_item() is not None
        for control in (self.remove_button, self.retie_button):
            control.setEnabled(self.changeable and chosen)
        for action in (self.remove_action, self.retie_action):
            action.setEnabled(self.changeable and chosen)
        if self.changeable or not self.items:
            self.item_note.clear()
        else:
            self.item_note.setText(
                _(
                    "Evidence is removed or tied to other competences only before "
                    "assessment: go back a stage to change it."
                )
            )

    # --- adding -------------------------------------------------------------------

    def pick_files(self) -> None:
        paths, _filter = QFileDialog.getOpenFileNames(
            self,
            _("Add files as evidence"),
            "",
            _("Evidence files ({patterns});;All files (*)").format(patterns=FILE_PATTERNS),
        )
        if paths:
            self.add_files(paths)

    def add_files(self, paths: list[str]) -> None:
        """Store each file as evidence tied to the ticked competences; the name it had is
        kept only for display."""
        if self.case is None:
            return
        if not self.editable:
            self.failed.emit(self._closed_text())
            return
        problems, added = [], []
        for path in paths:
            name = os.path.basename(path)
            try:
                if not os.path.isfile(path):
                    raise OSError(_("it is not a file"))
                size = os.path.getsize(path)
                if size > MAX_FILE_BYTES:
                    problems.append(
                        _(
                            "{name}: the file is {size} MB; files up to {limit} MB are accepted."
                        ).format(
                            name=name, size=round(size / 2**20, 1), limit=MAX_FILE_BYTES // 2**20
                        )
                    )
                    continue
                with open(path, "rb") as handle:
                    content = handle.read(MAX_FILE_BYTES + 1)
            except OSError as problem:
                problems.append(
                    _("{name} could not be read: {problem}").format(
                        name=name, problem=problem.strerror or problem
                    )
                )
                continue
            try:
                info = evidence.add_file(
                    self._context.db,
                    self._context.actor,
                    self.case.id,
                    name,
                    content,
                    competence_ids=self.ties.ticked(),
                )
            except ServiceError as error:
                problems.append(_("{name}: {problem}").format(name=name, problem=error))
                continue
            added.append(info)
        if added:
            self.reload(select_id=added[-1].id)
            self.changed.emit()
            self.done.emit(
                ngettext(
                    "{count} file added as evidence.",
                    "{count} files added as evidence.",
                    len(added),
                ).format(count=len(added))
            )
        if problems:
            self.failed.emit("\n".join(problems))

    def add_link(self) -> None:
        if self.case is None or self.framework is None:
            return
        dialog = LinkDialog(self.framework, self._targets(), set(self.ties.ticked()), self)
        if dialog.exec() != LinkDialog.DialogCode.Accepted:
            return
        self._add(
            evidence.add_link,
            dialog.url.text(),
            dialog.title.text(),
            dialog.competences.ticked(),
            dialog.description.toPlainText(),
        )

    def add_note(self) -> None:
        if self.case is None or self.framework is None:
            return
        dialog = NoteDialog(self.framework, self._targets(), set(self.ties.ticked()), self)
        if dialog.exec() != NoteDialog.DialogCode.Accepted:
            return
        self._add(
            evidence.add_note,
            dialog.title.text(),
            dialog.text.toPlainText(),
            dialog.competences.ticked(),
        )

    def _add(self, service, *args: object) -> None:  # type: ignore[no-untyped-def]
        assert self.case is not None
        try:
            info = service(self._context.db, self._context.actor, self.case.id, *args)
        except ServiceError as error:
            self.failed.emit(str(error))
            return
        self.reload(select_id=info.id)
        self.changed.emit()
        self.done.emit(_("Added: {title}").format(title=info.title))

    def _targets(self) -> list[str]:
        return [t.competence_id for t in self.case.targets] if self.case else []

    def _closed_text(self) -> str:
        return _(
            "Evidence can be added only at the identification, documentation and assessment stages."
        )

    def _update_state(self) -> None:
        for button in (self.file_button, self.link_button, self.note_button):
            button.setEnabled(self.editable)
        self.ties.setEnabled(self.editable)
        self.intro.setText(
            _(
                "Drag files from your computer onto the list, or use the buttons. New evidence "
                "is tied to the competences ticked below the list."
            )
            if self.editable
            else self._closed_text()
        )
        self.list.accepting = self.editable
        if self.editable:
            self.list.placeholder = _(
                "No evidence yet. Drag files here, or use Add file, Add link or Add note."
            )
        else:
            self.list.placeholder = _("No evidence was added to this case.")
        count = len(self.items)
        self.list_label.setText(
            ngettext("&Evidence ({count} item):", "&Evidence ({count} items):", count).format(
                count=count
            )
        )
        self.list.viewport().update()
        self._update_item_buttons()

    def retranslate(self) -> None:
        self.file_button.setText(_("Add f&ile…"))
        self.file_button.setAccessibleName(_("Add a file as evidence"))
        self.link_button.setText(_("Add lin&k…"))
        self.link_button.setAccessibleName(_("Add a link as evidence"))
        self.note_button.setText(_("Add &note…"))
        self.note_button.setAccessibleName(_("Add a note as evidence"))
        self.retie_button.setText(_("Change compe&tences…"))
        self.retie_button.setAccessibleName(_("Change the competences the chosen evidence shows"))
        self.retie_action.setText(_("Change the competences it shows…"))
        self.remove_button.setText(_("Re&move…"))
        self.remove_button.setAccessibleName(_("Remove the chosen evidence"))
        self.remove_button.setToolTip(
            _("Remove the chosen evidence from the case ({keys} in the list)").format(
                keys=self.remove_action.shortcut().toString(QKeySequence.SequenceFormat.NativeText)
            )
        )
        self.remove_action.setText(_("Remove from the case…"))
        self.list.setHeaderLabels([_("Title"), _("Kind"), _("Competences")])
        self.list.setAccessibleName(_("Evidence of this case"))
        self.ties_label.setText(_("New evidence &shows these competences:"))
        self.ties.setAccessibleName(_("Competences new evidence shows"))
        if self.framework is not None:
            self.ties.retitle(self.framework)
        for index in range(self.list.topLevelItemCount()):
            item = self.list.topLevelItem(index)
            info = next((i for i in self.items if i.id == item.data(0, EVIDENCE_ROLE)), None)
            if info is not None:
                item.setText(1, kind_name(info.kind))
        self.preview.retranslate()
        self._update_state()
