"""Documentation: the case's evidence — files (dropped or picked), links and notes, each
tied to target competences — with a preview of the chosen item."""

from __future__ import annotations

import os

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
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
from digcomp_app.services.evidence import EVIDENCE_STAGES, MAX_FILE_BYTES, EvidenceInfo
from digcomp_app.services.validation import CaseInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.cases.evidence_widgets import (
    CompetenceChecks,
    EvidenceTree,
    LinkDialog,
    NoteDialog,
)
from digcomp_app.ui.screens.cases.preview import EvidencePreview

EVIDENCE_ROLE = Qt.ItemDataRole.UserRole
FILE_PATTERNS = "*.pdf *.png *.jpg *.jpeg *.gif *.webp *.txt *.docx *.xlsx *.pptx *.odt *.ods *.odp"


def kind_name(kind: str) -> str:
    return {"file": _("File"), "link": _("Link"), "note": _("Note")}.get(kind, kind)


class EvidencePage(QWidget):
    changed = Signal()  # evidence was added: the case's count changed
    failed = Signal(str)
    done = Signal(str)

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.case: CaseInfo | None = None
        self.framework: Framework | None = None
        self.items: list[EvidenceInfo] = []
        self.editable = False

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
        self.setTabOrder(self.list, self.ties)

        self.file_button.clicked.connect(self.pick_files)
        self.link_button.clicked.connect(self.add_link)
        self.note_button.clicked.connect(self.add_note)
        self.list.files_dropped.connect(self.add_files)
        self.list.currentItemChanged.connect(self._on_current)
        self.retranslate()

    # --- loading ------------------------------------------------------------------

    def load(self, case: CaseInfo, framework: Framework) -> None:
        targets = [t.competence_id for t in case.targets]
        ticked = set(targets)
        if self.case is not None and self.case.id == case.id:  # keep what was unticked
            ticked -= set(self.ties.listed()) - set(self.ties.ticked())
        self.case, self.framework = case, framework
        self.editable = case.stage in EVIDENCE_STAGES
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

    def _on_current(self, current: QTreeWidgetItem | None, _previous: object) -> None:
        evidence_id = current.data(0, EVIDENCE_ROLE) if current is not None else None
        self.preview.show_item(next((i for i in self.items if i.id == evidence_id), None))

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

    def retranslate(self) -> None:
        self.file_button.setText(_("Add f&ile…"))
        self.file_button.setAccessibleName(_("Add a file as evidence"))
        self.link_button.setText(_("Add lin&k…"))
        self.link_button.setAccessibleName(_("Add a link as evidence"))
        self.note_button.setText(_("Add &note…"))
        self.note_button.setAccessibleName(_("Add a note as evidence"))
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
