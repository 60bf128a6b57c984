"""Small dialogs of the case workspace: why a case goes back, and opening a new case."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import FrameworkLibrary
from digcomp_app.i18n import _, current_language
from digcomp_app.services import learners, mobilities
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.validation.common import MessageBar, stage_name
from digcomp_app.ui.unsaved import GuardedDialog


class ReasonDialog(GuardedDialog):
    """Asks why the case goes back from ``stage`` to ``previous``."""

    def __init__(self, stage: str, previous: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Back a stage"))
        self.note = QLabel(
            _(
                "The case goes back from {stage} to {previous}. Say why: the reason is kept "
                "in the case's history."
            ).format(stage=stage_name(stage), previous=stage_name(previous))
        )
        self.note.setWordWrap(True)
        self.reason_label = QLabel(_("&Reason:"))
        self.reason = QPlainTextEdit()
        self.reason.setTabChangesFocus(True)
        self.reason.setAccessibleName(_("Reason for going back"))
        self.reason_label.setBuddy(self.reason)
        self.message = MessageBar()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self._check)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.note)
        layout.addWidget(self.reason_label)
        layout.addWidget(self.reason, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.resize(480, 260)

    def text(self) -> str:
        return self.reason.toPlainText().strip()

    def _check(self) -> None:
        if self.text():
            self.accept()
        else:
            self.message.show_error(_("Say why the case goes back a stage."))
            self.reason.setFocus()


class OpenCaseDialog(QDialog):
    """Which mobility (or none) and which framework a new case is for; ``taken`` lists the
    learner's mobilities as (id, title, framework label such as "digcomp 3.0")."""

    def __init__(
        self,
        learner_name: str,
        taken: list[tuple[int, str, str]],
        library: FrameworkLibrary,
        preferred_mobility: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(_("Open a validation case"))
        self._library = library
        note = QLabel(
            _(
                "Open a validation case for {name}. It starts at identification, with the "
                "targets taken from the learner's latest self-assessment."
            ).format(name=learner_name)
        )
        note.setWordWrap(True)
        self.mobility = QComboBox()
        self.mobility.setAccessibleName(_("Mobility of the case"))
        self.mobility.addItem(_("No mobility (recognition at school)"), None)
        for mobility_id, title, _framework in taken:
            self.mobility.addItem(title, mobility_id)
        self._frameworks = {mobility_id: label for mobility_id, _title, label in taken}
        self.framework = QComboBox()
        self.framework.setAccessibleName(_("Competence framework of the case"))
        language = current_language()
        for framework in library:
            self.framework.addItem(framework.title.get(language), framework.label)
        form = QFormLayout()
        for text, field in ((_("&Mobility:"), self.mobility), (_("&Framework:"), self.framework)):
            label = QLabel(text)
            label.setBuddy(field)
            form.addRow(label, field)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.mobility.currentIndexChanged.connect(self._follow_mobility)
        index = self.mobility.findData(preferred_mobility)
        self.mobility.setCurrentIndex(max(index, 0))
        self._follow_mobility()
        self.resize(520, 200)

    def _follow_mobility(self) -> None:
        """A mobility names its framework; without one, the library's default."""
        label = self._frameworks.get(self.mobility.currentData()) or self._library.default().label
        index = self.framework.findData(label)
        if index >= 0:
            self.framework.setCurrentIndex(index)

    def choice(self) -> tuple[int | None, str, str]:
        """The mobility id (or None), the framework's id and version."""
        framework_id, version = str(self.framework.currentData()).split(" ", 1)
        return self.mobility.currentData(), framework_id, version


def ask_new_case(
    parent: QWidget,
    context: UiContext,
    learner_id: int,
    learner_name: str,
    preferred_mobility: int | None,
    title_of: Callable[[int], str],
) -> tuple[int | None, tuple[str, str]] | None:
    """Ask for the mobility and framework of a new case; None when cancelled."""
    db, actor = context.db, context.actor
    choices = []
    for mobility_id in learners.get_record(db, actor, learner_id).mobility_ids:
        try:
            info = mobilities.get(db, actor, mobility_id)
        except ServiceError:  # a mobility this person may not see: no framework hint
            choices.append((mobility_id, title_of(mobility_id), ""))
        else:
            label = " ".join((info.framework_id, info.framework_version))
            choices.append((mobility_id, info.title, label))
    dialog = OpenCaseDialog(learner_name, choices, context.library, preferred_mobility, parent)
    if dialog.exec() != OpenCaseDialog.DialogCode.Accepted:
        return None
    mobility_id, framework_id, version = dialog.choice()
    return mobility_id, (framework_id, version)
