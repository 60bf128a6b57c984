"""What the learners and groups tabs share: a message line under the table, opening a
service dialog whose success is said there, a question that does not block."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QLabel, QMessageBox, QPushButton, QWidget

from digcomp_app.i18n import _
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import ERROR_STYLE, ServiceDialog

if TYPE_CHECKING:
    from digcomp_app.ui.screens.learners.view import LearnersScreen

ITEM_ID = Qt.ItemDataRole.UserRole


def _plain(text: str) -> str:
    return text.replace("&", "").rstrip("…").strip()


def name_buttons(buttons: Sequence[QPushButton]) -> None:
    for button in buttons:
        button.setAccessibleName(_plain(button.text()))


class Tab:
    """What both tabs have: a message line under the table (errors in red), and the
    service dialogs they open, whose success is said there."""

    message: QLabel
    dialog: ServiceDialog | None
    _context: UiContext
    _screen: LearnersScreen

    def show_error(self, text: str) -> None:
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setText(text)

    def show_done(self, text: str) -> None:
        self.message.setStyleSheet("")
        self.message.setText(text)
        self._context.notify(text)

    def _open(self, dialog: ServiceDialog, done: Callable[[ServiceDialog], str]) -> None:
        self.message.clear()
        self.dialog = dialog
        dialog.setModal(True)

        def finished(code: int) -> None:
            self.dialog = None
            if code == QDialog.DialogCode.Accepted:
                text = done(dialog)
                self._screen.refresh()
                self.show_done(text)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()


def confirm(
    parent: QWidget, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """A question that does not block: ``on_yes`` runs when the person agrees."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(yes)
    box.yes_button = yes  # type: ignore[attr-defined]  # for the keyboard and tests

    def finished() -> None:
        if box.clickedButton() is yes:
            on_yes()
        box.deleteLater()

    box.finished.connect(lambda _code: finished())
    box.open()
    return box
