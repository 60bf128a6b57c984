"""Small widgets shared by several screens."""

from __future__ import annotations

from typing import TYPE_CHECKING, NamedTuple

from PySide6.QtCore import QEvent, QObject, QSize
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# Imported where used: the window's first paint (which needs this module) does not wait for
# these classes' enums to be set up for Python (docs/decisions/0014-first-paint.md).
if TYPE_CHECKING:
    from PySide6.QtWidgets import QApplication, QDialog, QDialogButtonBox, QTableWidget

#: the colour of error messages shown beside the control they concern
ERROR_COLOUR = "#b00020"


def record_table(columns: int = 0) -> QTableWidget:
    """A read-only table of records: whole rows selected, one at a time, no row numbers."""
    from PySide6.QtWidgets import QAbstractItemView, QTableWidget

    table = QTableWidget(0, columns)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().hide()
    return table


#: the events after which a dialog's minimum size is worked out again
_REFIT = (QEvent.Type.LayoutRequest, QEvent.Type.FontChange, QEvent.Type.Show)


def _fit(dialog: QWidget) -> None:
    layout = dialog.layout()
    if layout is None or dialog.property("textFitBusy"):
        return
    dialog.setProperty("textFitBusy", True)
    try:
        layout.activate()
        least = layout.totalMinimumSize()
        chars = int(dialog.property("textFitChars") or 0)
        width = max(least.width(), chars * dialog.fontMetrics().averageCharWidth())
        height = least.height()
        if layout.hasHeightForWidth():
            height = max(height, layout.totalHeightForWidth(width))
        if dialog.minimumSize() != QSize(width, height):
            dialog.setMinimumSize(width, height)
    finally:
        dialog.setProperty("textFitBusy", False)


class _TextFit(QObject):
    """Works a dialog's minimum size out again when its texts or its font change. It keeps
    nothing of its own (the dialog holds the width wanted), so it is safe while the dialog
    is being torn down."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() in _REFIT and isinstance(watched, QWidget) and watched is self.parent():
            _fit(watched)
        return False


def fit_to_texts(dialog: QWidget, chars: int) -> None:
    """Give ``dialog`` a minimum size at which nothing in it is cut: at least ``chars``
    average characters wide (wrapped texts stay easy to read) and as wide as its widest
    row needs, and as high as its wrapped texts need at that width. Kept up to date when
    its texts or the font change, so a larger application font or a long translation
    never cuts a button or a line; the dialog still fits a 1366x768 screen."""
    dialog.setProperty("textFitChars", chars)
    dialog.installEventFilter(_TextFit(dialog))
    _fit(dialog)


class OneField(NamedTuple):
    """The parts of a dialog that asks for one thing (see ``ask_one_field``)."""

    intro: QLabel
    label: QLabel
    hint: QLabel
    error: QLabel
    buttons: QDialogButtonBox
    accept_button: QPushButton


def ask_one_field(dialog: QDialog, field: QWidget) -> OneField:
    """Lay ``dialog`` out to ask for one thing, top to bottom: an introduction, the field's
    label (its buddy: the label's access key focuses it) and ``field``, a hint, a line for
    errors, then Cancel and the dialog's own accepting button. The texts are the dialog's to
    set; its ``accept`` and ``reject`` answer the buttons."""
    from PySide6.QtWidgets import QDialogButtonBox

    intro, label, hint, error = QLabel(), QLabel(), QLabel(), QLabel()
    for text in (intro, hint, error):
        text.setWordWrap(True)
    label.setBuddy(field)
    error.setStyleSheet(f"color: {ERROR_COLOUR};")
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
    accept_button = buttons.addButton("", QDialogButtonBox.ButtonRole.AcceptRole)
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    for widget in (intro, label, field, hint, error, buttons):
        layout.addWidget(widget)
    return OneField(intro, label, hint, error, buttons, accept_button)


def centre_in(page: QWidget, box: QWidget) -> None:
    """Lay ``box`` out in the middle of ``page``, a little above centre. Centred between
    stretches (not by alignment), so wrapped texts in it get their height."""
    outer = QVBoxLayout(page)
    outer.addStretch(1)
    row = QHBoxLayout()
    row.addStretch(1)
    row.addWidget(box)
    row.addStretch(1)
    outer.addLayout(row)
    outer.addStretch(2)


#: the text size applied to the application, in per cent of the font it started with
_text_size = 100


def text_size() -> int:
    """The text size now applied (per cent)."""
    return _text_size


def apply_text_size(percent: int) -> None:
    """Make the application's font ``percent`` % of the size it started with: every widget
    that does not set its own size follows (layouts grow, dialogs refit)."""
    global _text_size
    if percent == _text_size or percent <= 0:  # (before QFont's enums are set up: 0014)
        return
    from PySide6.QtGui import QFont
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if not isinstance(app, QApplication):
        return
    font = QFont(app.font())
    base = font.pointSizeF() * 100 / _text_size
    font.setPointSizeF(round(base * percent / 100, 2))
    app.setFont(font)
    # Under an application style sheet (ui/style.py) the new font reaches only widgets made
    # from now on: the open ones (the menu bar, the screens) are polished again by the style
    # they have, parents before their children (a child's font follows its parent's).
    if app.styleSheet():
        _restyle(app)
    _text_size = percent


def _restyle(app: QApplication) -> None:
    """What setting the style sheet again does for a new font, without building a new style
    and its rules for every widget (a fifth of the time): each widget polished again by its
    style, parents first; then told its style changed, children first, so a parent's size
    hints are worked out from its children's new ones."""

    def depth(widget: QWidget) -> int:
        level = 0
        parent = widget.parentWidget()
        while parent is not None:
            level += 1
            parent = parent.parentWidget()
        return level

    widgets = sorted(app.allWidgets(), key=depth)
    for widget in widgets:
        style = widget.style()
        style.unpolish(widget)
        style.polish(widget)
    for widget in reversed(widgets):
        app.sendEvent(widget, QEvent(QEvent.Type.StyleChange))
