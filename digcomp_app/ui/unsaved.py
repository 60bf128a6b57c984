"""Never lose an edit: one question, Save / Discard / Cancel, before unsaved changes go.

A form (a screen of the workspace or a dialog) that holds changes not yet saved offers:

- ``has_unsaved_changes() -> bool``;
- ``save_changes() -> bool``: save them as its own Save button would (False: they could not
  be saved, e.g. a field is wrong; the form says why and stays);
- ``discard_changes()``: drop them, back to what is stored;
- ``unsaved_title() -> str``: the form's name in the question.

Before the window quits, signs out, locks at the user's request, or shows another screen,
the main window calls :func:`confirm_leave` with the workspace's forms; a dialog with
unsaved input asks the same question when it is closed without its OK
(:class:`GuardedDialog`). Screens list the forms they hold in ``edit_forms()``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol, runtime_checkable

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractSpinBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QMessageBox,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

from digcomp_app.i18n import _

#: the question's object name (tests find the box by it)
QUESTION_NAME = "unsavedChangesQuestion"


@runtime_checkable
class EditForm(Protocol):
    def has_unsaved_changes(self) -> bool: ...

    def save_changes(self) -> bool: ...

    def discard_changes(self) -> None: ...

    def unsaved_title(self) -> str: ...


def ask(parent: QWidget | None, title: str) -> str:
    """Ask what to do with the unsaved changes of the form called ``title``:
    ``"save"``, ``"discard"`` or ``"cancel"`` (also Esc and closing the question)."""
    box = QMessageBox(parent)
    box.setObjectName(QUESTION_NAME)
    box.setIcon(QMessageBox.Icon.Question)
    box.setWindowTitle(_("Unsaved changes"))
    box.setText(_("“{form}” has changes that are not saved.").format(form=title))
    box.setInformativeText(_("Save them, discard them, or cancel to go back to them."))
    save = box.addButton(_("&Save"), QMessageBox.ButtonRole.AcceptRole)
    discard = box.addButton(_("&Discard"), QMessageBox.ButtonRole.DestructiveRole)
    cancel = box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(save)
    box.setEscapeButton(cancel)
    box.exec()
    clicked = box.clickedButton()
    box.deleteLater()
    if clicked is save:
        return "save"
    if clicked is discard:
        return "discard"
    return "cancel"


def confirm_leave(parent: QWidget | None, forms: Iterable[object]) -> bool:
    """Ask about each form with unsaved changes; True when it is safe to go on (every change
    saved or discarded), False to stay (Cancel, or a save that failed)."""
    for form in forms:
        if not isinstance(form, EditForm) or not form.has_unsaved_changes():
            continue
        answer = ask(parent, form.unsaved_title())
        if answer == "cancel":
            return False
        if answer == "discard":
            form.discard_changes()
        elif not form.save_changes():
            return False
    return True


def edit_forms(widget: object) -> list[object]:
    """The forms a screen holds: those it lists in ``edit_forms()``, or itself."""
    listed = getattr(widget, "edit_forms", None)
    if callable(listed):
        return list(listed())
    return [widget] if isinstance(widget, EditForm) else []


# --- dialogs --------------------------------------------------------------------------


def form_state(root: QWidget) -> tuple[object, ...]:
    """What the editable fields inside ``root`` hold, in a comparable form."""
    state: list[object] = []
    for child in root.findChildren(QWidget):
        if not child.isEnabled():
            state.append(None)
        elif isinstance(child, QLineEdit) and not child.isReadOnly():
            state.append(child.text())
        elif isinstance(child, QPlainTextEdit | QTextEdit) and not child.isReadOnly():
            state.append(child.toPlainText())
        elif isinstance(child, QComboBox):
            state.append((child.currentIndex(), child.currentText()))
        elif isinstance(child, QDateEdit):
            state.append(child.date().toString("yyyy-MM-dd"))
        elif isinstance(child, QAbstractSpinBox):
            state.append(child.text())
        elif isinstance(child, QAbstractButton) and child.isCheckable():
            state.append(child.isChecked())
        elif isinstance(child, QListWidget):
            state.append(tuple(child.item(i).checkState() for i in range(child.count())))
    return tuple(state)


class GuardedDialog(QDialog):
    """A dialog that asks Save / Discard / Cancel when it is closed with Esc or the window's
    close button (or the window quits, signs out or locks) with input that differs from what
    it showed when it opened; its own Cancel button drops the input without a question.
    Save is the dialog's own OK: it may refuse and keep the dialog open with its message."""

    _opened_state: tuple[object, ...] | None = None
    #: the dialog's own Cancel is being clicked (between its press and the click's end)
    _cancelling = False
    #: its own rejecting button (Cancel) drops the input without a question; False for a
    #: dialog whose only such button is Close (its input is saved by a button of its own)
    own_cancel_drops = True

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]  # noqa: N802 - Qt's name
        if self._opened_state is None:
            self._opened_state = form_state(self)
            for box in self.findChildren(QDialogButtonBox) if self.own_cancel_drops else ():
                for button in box.buttons():
                    if box.buttonRole(button) == QDialogButtonBox.ButtonRole.RejectRole:
                        button.pressed.connect(self._cancel_pressed)
                        button.released.connect(self._cancel_released)
        super().showEvent(event)

    def _cancel_pressed(self) -> None:
        self._cancelling = True

    def _cancel_released(self) -> None:
        # the click (and the reject it causes) comes right after the release
        QTimer.singleShot(0, lambda: setattr(self, "_cancelling", False))

    def mark_saved(self) -> None:
        """What the fields hold now counts as unchanged (e.g. after a step was saved)."""
        self._opened_state = form_state(self)

    # the protocol

    def has_unsaved_changes(self) -> bool:
        return (
            self.isVisible()
            and self._opened_state is not None
            and form_state(self) != self._opened_state
        )

    def save_changes(self) -> bool:
        button = self.accept_button()
        if button is None:
            return False
        button.click()
        return self.result() == QDialog.DialogCode.Accepted or not self.isVisible()

    def discard_changes(self) -> None:
        QDialog.reject(self)

    def unsaved_title(self) -> str:
        return self.windowTitle() or _("This form")

    def accept_button(self) -> QAbstractButton | None:
        """The button that saves (OK): the first accepting button of the dialog's buttons."""
        for box in self.findChildren(QDialogButtonBox):
            for button in box.buttons():
                if box.buttonRole(button) == QDialogButtonBox.ButtonRole.AcceptRole:
                    return button
        return None

    def reject(self) -> None:
        # The dialog's own Cancel button is a deliberate "drop it"; Esc and the window's
        # close button are easily pressed by mistake, so they ask.
        if self._cancelling or not self.has_unsaved_changes():
            super().reject()
            return
        answer = ask(self, self.unsaved_title())
        if answer == "discard":
            self.discard_changes()
        elif answer == "save" and self.save_changes() and self.isVisible():
            super().reject()  # saved by a button of its own that keeps it open: now it closes
