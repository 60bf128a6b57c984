"""Small pieces the case workspace shares: level and competence labels, the message bar."""

from __future__ import annotations

from typing import ClassVar

from PySide6.QtWidgets import QLabel, QWidget

from digcomp_app.framework import Framework
from digcomp_app.framework.labels import competence_label, level_label
from digcomp_app.i18n import _

# the rules of the case path live in the presenter (no Qt); the pages use them from here too
from digcomp_app.presenters.validation import STEPS, advance_text, stage_name

__all__ = ["STEPS", "MessageBar", "advance_text", "competence_text", "level_text", "stage_name"]


def level_text(framework: Framework, number: int | None) -> str:
    """ "3 – Intermediate", or "not yet" when there is no level."""
    if number is None:
        return _("not yet")
    return level_label(framework, number)


def competence_text(framework: Framework, competence_id: str) -> str:
    """ "1.3 Managing data, information and digital content" in the current language."""
    return competence_label(framework, competence_id)


class MessageBar(QLabel):
    """A line of feedback above the work: an error in plain words, or what just happened."""

    _STYLES: ClassVar[dict[str, str]] = {
        "error": "background: #fdecea; color: #8a1c12; border: 1px solid #f2b8b5;",
        "info": "background: #e8f3ec; color: #1d5631; border: 1px solid #b5dcc2;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setMargin(6)
        self.kind = ""
        self.hide()

    def show_error(self, text: str) -> None:
        self._show("error", text)

    def show_info(self, text: str) -> None:
        self._show("info", text)

    def _show(self, kind: str, text: str) -> None:
        self.kind = kind
        self.setStyleSheet(self._STYLES[kind] + " border-radius: 4px;")
        self.setText(text)
        self.setAccessibleName(_("Problem") if kind == "error" else _("Message"))
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.clear()
        self.hide()
