"""A radio button or check box with a word-wrapped description beside it.

Qt's buttons cannot wrap their text, and level descriptions and competence statements are
long; so the button carries a short text (or none) and a label the description. Clicking
the label works like clicking the button, and the label is highlighted while the button
has the keyboard focus, so keyboard users see where they are.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QAbstractButton, QHBoxLayout, QLabel, QWidget

_FOCUSED = "background: palette(highlight); color: palette(highlighted-text); border-radius: 3px;"


class _ClickLabel(QLabel):
    def __init__(self, button: QAbstractButton) -> None:
        super().__init__()
        self._button = button

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        if event.button() == Qt.MouseButton.LeftButton and self._button.isEnabled():
            self._button.setFocus(Qt.FocusReason.MouseFocusReason)
            self._button.click()
        super().mouseReleaseEvent(event)


class ChoiceRow(QWidget):
    def __init__(
        self,
        button: QAbstractButton,
        on_focus: Callable[[QWidget], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.button = button
        self._on_focus = on_focus
        self.label = _ClickLabel(button)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.PlainText)
        self.label.setContentsMargins(4, 1, 4, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 1, 0, 1)
        layout.addWidget(button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.label, 1)
        button.installEventFilter(self)

    def set_description(self, text: str) -> None:
        self.label.setText(text)
        self.button.setAccessibleDescription(text)
        if not self.button.text():
            self.button.setAccessibleName(text)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if watched is self.button:
            if event.type() == QEvent.Type.FocusIn:
                self.label.setStyleSheet(_FOCUSED)
                if self._on_focus is not None:
                    self._on_focus(self)
            elif event.type() == QEvent.Type.FocusOut:
                self.label.setStyleSheet("")
        return False
