"""One item at a time: the keys 1-5 or the arrows choose, Enter goes on, Backspace or
Alt+Left goes back. Every answer is saved the moment it is chosen, so the test can be left
and continued at any item."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFont, QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework.digcompsat import ItemBank, builtin_bank
from digcomp_app.i18n import _
from digcomp_app.services import skills_test
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.skills_test import SkillsTestInfo
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.self_assessment.questionnaire import key_text
from digcomp_app.ui.screens.skills_test.texts import area_title, test_language_name, type_name

#: the button id of "unclear to me" (the scale's answers are 0-3)
UNCLEAR = 4
_NUMBER_KEYS = {
    Qt.Key.Key_1: 0,
    Qt.Key.Key_2: 1,
    Qt.Key.Key_3: 2,
    Qt.Key.Key_4: 3,
    Qt.Key.Key_5: UNCLEAR,
}
_PROBLEM_STYLE = "QLabel { background: #fdecea; color: #611a15; padding: 6px; border-radius: 3px; }"


class TestPage(QWidget):
    #: the test was finished (its SkillsTestInfo)
    finished = Signal(object)
    #: the learner chose to carry on later
    left = Signal()

    def __init__(self, context: UiContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.bank: ItemBank = builtin_bank()
        self.info: SkillsTestInfo | None = None
        self.answers: dict[str, int | None] = {}
        self.index = 0

        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.progress.setRange(0, len(self.bank))
        self.progress.setMaximumWidth(240)
        self.context_label = QLabel()
        self.context_label.setWordWrap(True)
        self.item_text = QLabel()
        self.item_text.setWordWrap(True)
        self.item_text.setTextFormat(Qt.TextFormat.PlainText)
        font = QFont(self.item_text.font())
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.item_text.setFont(font)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.choices: list[QRadioButton] = []
        choices = QVBoxLayout()
        for number in range(5):
            button = QRadioButton()
            button.installEventFilter(self)
            self.group.addButton(button, number)
            self.choices.append(button)
            choices.addWidget(button)
        self.keys_hint = QLabel()
        self.keys_hint.setWordWrap(True)
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setStyleSheet(_PROBLEM_STYLE)
        self.message.hide()
        self.later_button = QPushButton()
        self.back_button = QPushButton()
        self.next_button = QPushButton()

        top = QHBoxLayout()
        top.addWidget(self.heading, 1)
        top.addWidget(self.progress_label)
        top.addWidget(self.progress)
        buttons = QHBoxLayout()
        buttons.addWidget(self.later_button)
        buttons.addStretch(1)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addSpacing(12)
        layout.addWidget(self.context_label)
        layout.addWidget(self.item_text)
        layout.addSpacing(8)
        layout.addLayout(choices)
        layout.addStretch(1)
        layout.addWidget(self.keys_hint)
        layout.addWidget(self.message)
        layout.addLayout(buttons)

        for keys, action in (("Alt+Left", self.back), ("Alt+Right", self.next)):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(action)
        self.group.idClicked.connect(self._chosen)
        self.back_button.clicked.connect(self.back)
        self.next_button.clicked.connect(self.next)
        self.later_button.clicked.connect(self.leave)
        self.retranslate()

    # --- showing ----------------------------------------------------------------------

    def open(self, info: SkillsTestInfo) -> None:
        """Show ``info`` at its first open item (the last item when all are answered)."""
        self.info = info
        self.answers = dict(info.answers)
        self.index = min(info.next_open(self.bank), len(self.bank) - 1)
        self.message.hide()
        self._set_heading()
        self.show_item()

    def _set_heading(self) -> None:
        if self.info is not None:
            self.heading.setText(
                _("Digital skills test · items in {language}").format(
                    language=test_language_name(self.info.language)
                )
            )

    def show_item(self) -> None:
        if self.info is None:
            return
        item = self.bank.items[self.index]
        language = self.info.language
        total = len(self.bank)
        self.progress_label.setText(
            _("Item {number} of {total}").format(number=self.index + 1, total=total)
        )
        self.progress.setValue(len(self.answers))
        self.context_label.setText(
            _("{area} · {type}").format(
                area=area_title(self._context.library, item.area), type=type_name(item.type)
            )
        )
        self.item_text.setText(self.bank.text(item, language))
        self.item_text.setAccessibleName(
            _("Item {number} of {total}").format(number=self.index + 1, total=total)
        )
        texts = list(self.bank.answers(item, language))
        unclear = self.bank.unclear_text(item, language)
        chosen = self.answers.get(item.id, -1) if item.id in self.answers else -1
        self.group.setExclusive(False)
        for number, button in enumerate(self.choices):
            text = texts[number] if number < len(texts) else unclear
            if number == UNCLEAR and unclear is None:
                button.hide()
                button.setChecked(False)
                continue
            button.setText(f"{number + 1}  {text}")
            button.setAccessibleName(text or "")
            button.setChecked(number == (UNCLEAR if chosen is None else chosen))
            button.show()
        self.group.setExclusive(True)
        self.back_button.setEnabled(self.index > 0)
        last = self.index == total - 1
        self.next_button.setText(_("F&inish") if last else _("&Next"))
        self.next_button.setAccessibleName(_("Finish") if last else _("Next"))
        checked = self.group.checkedButton()
        (checked or self.choices[0]).setFocus()

    def _visible_ids(self) -> list[int]:
        return [n for n, b in enumerate(self.choices) if not b.isHidden()]

    # --- answering --------------------------------------------------------------------

    def choose(self, number: int) -> bool:
        """Choose answer ``number`` (0-3, or UNCLEAR) of the item shown and save it."""
        if number not in self._visible_ids():
            return False
        self.choices[number].setChecked(True)
        self.choices[number].setFocus()
        return self._chosen(number)

    def _chosen(self, number: int) -> bool:
        if self.info is None:
            return False
        item = self.bank.items[self.index]
        value = None if number == UNCLEAR else number
        try:
            self.info = skills_test.answer(
                self._context.db, self._context.actor, self.info.id, item.id, value
            )
        except ServiceError as error:
            self._problem(_("The answer could not be saved: {problem}").format(problem=error))
            return False
        self.answers[item.id] = value
        self.progress.setValue(len(self.answers))
        self.message.hide()
        return True

    def next(self) -> None:
        if self.info is None:
            return
        item = self.bank.items[self.index]
        if item.id not in self.answers:
            keys = "1–5" if self.bank.unclear_text(item, self.info.language) else "1–4"
            self._problem(_("Choose an answer first (keys {keys}).").format(keys=keys))
            return
        if self.index == len(self.bank) - 1:
            self.finish()
            return
        self.index += 1
        self.message.hide()
        self.show_item()

    def back(self) -> None:
        if self.index > 0:
            self.index -= 1
            self.message.hide()
            self.show_item()

    def finish(self) -> None:
        if self.info is None:
            return
        try:
            done = skills_test.complete(self._context.db, self._context.actor, self.info.id)
        except ServiceError as error:
            self._problem(str(error))
            open_item = self.info.next_open(self.bank)
            if open_item < len(self.bank):
                self.index = open_item
                self.show_item()
            return
        self.info = done
        self.finished.emit(done)

    def leave(self) -> None:
        self.left.emit()

    def _problem(self, text: str) -> None:
        self.message.setText(text)
        self.message.show()

    # --- keys -------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(event, QKeyEvent)
            and self.handle_key(event)
        ):
            return True
        return super().eventFilter(watched, event)

    def keyPressEvent(self, event: QKeyEvent) -> None:  # noqa: N802 - Qt's name
        if not self.handle_key(event):
            super().keyPressEvent(event)

    def handle_key(self, event: QKeyEvent) -> bool:
        key = Qt.Key(event.key())
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if modifiers != Qt.KeyboardModifier.NoModifier:
            return False
        if key in _NUMBER_KEYS:
            self.choose(_NUMBER_KEYS[key])
            return True
        if key in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            ids = self._visible_ids()
            current = self.group.checkedId()
            if current in ids:
                step = -1 if key == Qt.Key.Key_Up else 1
                target = ids[max(0, min(len(ids) - 1, ids.index(current) + step))]
            else:
                target = ids[0] if key == Qt.Key.Key_Down else ids[-1]
            self.choose(target)
            return True
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.next()
            return True
        if key == Qt.Key.Key_Backspace:
            self.back()
            return True
        return False

    def retranslate(self) -> None:
        self._set_heading()
        self.keys_hint.setText(
            _(
                "Keys: 1–5 or ↑/↓ choose an answer, Enter goes on, Backspace goes back. "
                "Every answer is saved at once."
            )
        )
        self.later_button.setText(_("Continue &later"))
        self.later_button.setAccessibleName(_("Continue later"))
        self.back_button.setText(_("&Back"))
        self.back_button.setAccessibleName(_("Back"))
        self.back_button.setToolTip(
            _("Back (Backspace or {keys})").format(keys=key_text("Alt+Left"))
        )
        self.next_button.setToolTip(_("Next (Enter or {keys})").format(keys=key_text("Alt+Right")))
        self.show_item()
