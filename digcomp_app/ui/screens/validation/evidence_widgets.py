"""Pieces of the documentation page: the evidence list that takes dropped files, the
check list of target competences, and the small dialogs for a link and a note."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListView,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _
from digcomp_app.ui.screens.validation.common import MessageBar, competence_text
from digcomp_app.ui.unsaved import GuardedDialog

COMPETENCE_ROLE = Qt.ItemDataRole.UserRole


def local_files(event: QDropEvent | QDragEnterEvent | QDragMoveEvent) -> list[str]:
    mime = event.mimeData()
    if mime is None or not mime.hasUrls():
        return []
    return [url.toLocalFile() for url in mime.urls() if url.isLocalFile()]


class EvidenceTree(QTreeWidget):
    """The list of a case's evidence; files dropped on it are offered as new evidence."""

    files_dropped = Signal(list)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.accepting = True
        self.placeholder = ""
        self.setAcceptDrops(True)
        self.viewport().setAcceptDrops(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        self.setRootIsDecorated(False)
        self.setUniformRowHeights(True)

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:  # noqa: N802 - Qt's name
        if self.accepting and local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:  # noqa: N802 - Qt's name
        if self.accepting and local_files(event):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:  # noqa: N802 - Qt's name
        paths = local_files(event) if self.accepting else []
        if not paths:
            event.ignore()
            return
        event.acceptProposedAction()
        self.files_dropped.emit(paths)

    def paintEvent(self, event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        super().paintEvent(event)
        if self.topLevelItemCount() == 0 and self.placeholder:
            painter = QPainter(self.viewport())
            painter.setPen(self.palette().placeholderText().color())
            painter.drawText(
                self.viewport().rect().adjusted(12, 12, -12, -12),
                Qt.AlignmentFlag.AlignCenter | Qt.TextFlag.TextWordWrap,
                self.placeholder,
            )
            painter.end()


class CompetenceChecks(QListWidget):
    """Tick the target competences a piece of evidence shows."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setMaximumHeight(110)
        # long titles wrap to the list's width (large text, Latvian) instead of scrolling
        # sideways; the list scrolls up and down only
        self.setWordWrap(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setResizeMode(QListView.ResizeMode.Adjust)

    def set_competences(
        self, framework: Framework, competence_ids: list[str], ticked: set[str] | None = None
    ) -> None:
        self.clear()
        for competence_id in competence_ids:
            item = QListWidgetItem(competence_text(framework, competence_id))
            item.setData(COMPETENCE_ROLE, competence_id)
            item.setFlags(
                Qt.ItemFlag.ItemIsEnabled
                | Qt.ItemFlag.ItemIsSelectable
                | Qt.ItemFlag.ItemIsUserCheckable
            )
            on = ticked is None or competence_id in ticked
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)
            self.addItem(item)

    def retitle(self, framework: Framework) -> None:
        """Show the competence titles in the current language."""
        for i in range(self.count()):
            item = self.item(i)
            item.setText(competence_text(framework, item.data(COMPETENCE_ROLE)))

    def listed(self) -> tuple[str, ...]:
        return tuple(self.item(i).data(COMPETENCE_ROLE) for i in range(self.count()))

    def ticked(self) -> tuple[str, ...]:
        return tuple(
            self.item(i).data(COMPETENCE_ROLE)
            for i in range(self.count())
            if self.item(i).checkState() == Qt.CheckState.Checked
        )

    def set_ticked(self, competence_ids: set[str]) -> None:
        for i in range(self.count()):
            item = self.item(i)
            on = item.data(COMPETENCE_ROLE) in competence_ids
            item.setCheckState(Qt.CheckState.Checked if on else Qt.CheckState.Unchecked)


class _EvidenceDialog(GuardedDialog):
    """Title, the kind's own field, a description and the competences it shows."""

    def __init__(
        self,
        framework: Framework,
        targets: list[str],
        ticked: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.title = QLineEdit()
        self.title.setAccessibleName(_("Title"))
        self.competences = CompetenceChecks()
        self.competences.setAccessibleName(_("Competences this evidence shows"))
        self.competences.set_competences(framework, targets, ticked)
        self.message = MessageBar()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(560, 420)

    def add_row(self, text: str, field: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(field)
        self.form.addRow(label, field)

    def _check(self) -> None:
        if not self.title.text().strip():
            self.message.show_error(_("Give the evidence a title."))
            self.title.setFocus()
        elif not self.competences.ticked():
            self.message.show_error(_("Tick at least one competence this evidence shows."))
            self.competences.setFocus()
        else:
            self.accept()


class LinkDialog(_EvidenceDialog):
    def __init__(
        self,
        framework: Framework,
        targets: list[str],
        ticked: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(framework, targets, ticked, parent)
        self.setWindowTitle(_("Add a link as evidence"))
        self.url = QLineEdit()
        self.url.setPlaceholderText("https://")
        self.url.setAccessibleName(_("Web address"))
        self.description = QPlainTextEdit()
        self.description.setAccessibleName(_("Description"))
        self.description.setTabChangesFocus(True)
        self.add_row(_("&Web address:"), self.url)
        self.add_row(_("&Title:"), self.title)
        self.add_row(_("&Description:"), self.description)
        self.add_row(_("&Shows:"), self.competences)

    def _check(self) -> None:
        if not self.url.text().strip().lower().startswith(("http://", "https://")):
            self.message.show_error(_("A link must start with http:// or https://."))
            self.url.setFocus()
            return
        super()._check()


class NoteDialog(_EvidenceDialog):
    def __init__(
        self,
        framework: Framework,
        targets: list[str],
        ticked: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(framework, targets, ticked, parent)
        self.setWindowTitle(_("Add a note as evidence"))
        self.text = QPlainTextEdit()
        self.text.setAccessibleName(_("Note"))
        self.text.setTabChangesFocus(True)
        self.add_row(_("&Title:"), self.title)
        self.add_row(_("&Note:"), self.text)
        self.add_row(_("&Shows:"), self.competences)

    def _check(self) -> None:
        if not self.text.toPlainText().strip():
            self.message.show_error(
                _("The note is empty. Write what was observed or said, and by whom.")
            )
            self.text.setFocus()
            return
        super()._check()


class TiesDialog(GuardedDialog):
    """Which target competences an existing piece of evidence shows."""

    def __init__(
        self,
        title: str,
        framework: Framework,
        targets: list[str],
        ticked: set[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Competences the evidence shows"))
        self.note = QLabel(_("Tick the competences that “{title}” shows.").format(title=title))
        self.note.setWordWrap(True)
        self.competences = CompetenceChecks()
        self.competences.setMaximumHeight(16777215)
        self.competences.setAccessibleName(_("Competences this evidence shows"))
        self.competences.set_competences(framework, targets, ticked)
        self.note.setBuddy(self.competences)
        self.message = MessageBar()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self._check)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.competences, 1)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.resize(520, 360)

    def _check(self) -> None:
        if self.competences.ticked():
            self.accept()
        else:
            self.message.show_error(_("Tick at least one competence this evidence shows."))
            self.competences.setFocus()
