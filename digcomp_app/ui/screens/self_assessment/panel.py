"""One competence of the questionnaire: its descriptor, the levels to choose from, the
competence statements of the chosen level's band to tick, and a note."""

from __future__ import annotations

from collections.abc import Callable
from html import escape

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QFocusEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Competence, Framework
from digcomp_app.framework.export import level_description
from digcomp_app.i18n import _, current_language, ngettext
from digcomp_app.services.self_assessment import Answer
from digcomp_app.ui.screens.self_assessment.choices import ChoiceRow

NOT_YET = 0  # the button id of "Not yet" (levels use their numbers)


class CompetencePanel(QWidget):
    #: the level or a tick changed: save at once
    answer_changed = Signal()
    #: the note was edited and left (Return or focus elsewhere)
    note_finished = Signal()
    #: check boxes came or went: the tab order is to be set again
    controls_changed = Signal()

    def __init__(
        self, on_focus: Callable[[QWidget], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._on_focus = on_focus
        self._framework: Framework | None = None
        self._competence: Competence | None = None
        self._answered = False
        self._level: int | None = None
        self._ticked: set[str] = set()
        self._shown_band: str | None = None

        self.title = QLabel()
        self.title.setWordWrap(True)
        self.title.setTextFormat(Qt.TextFormat.RichText)
        self.descriptor = QLabel()
        self.descriptor.setWordWrap(True)
        self.descriptor.setTextFormat(Qt.TextFormat.PlainText)

        self.level_box = QGroupBox()
        self.level_layout = QVBoxLayout(self.level_box)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.not_yet = ChoiceRow(QRadioButton(), on_focus)
        self.group.addButton(self.not_yet.button, NOT_YET)
        self.level_layout.addWidget(self.not_yet)
        self.level_rows: dict[int, ChoiceRow] = {}
        self.band_labels: dict[str, QLabel] = {}
        self._band_sections: dict[str, QWidget] = {}

        self.statements_box = QGroupBox(self.level_box)
        self.statements_box.hide()
        self.statements_layout = QVBoxLayout(self.statements_box)
        self.statement_rows: list[ChoiceRow] = []
        self.other_ticks = QLabel()
        self.other_ticks.setWordWrap(True)

        self.note_label = QLabel()
        self.note = QLineEdit()
        self.note_label.setBuddy(self.note)
        # Left means Return or the keyboard moved to another control of this window; not
        # another window taking the keyboard (the unsaved-changes question, say: its answer
        # decides, and the keyboard comes back here afterwards).
        self.note.returnPressed.connect(self.note_finished)
        self.note.installEventFilter(self)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.descriptor)
        layout.addWidget(self.level_box)
        layout.addWidget(self.note_label)
        layout.addWidget(self.note)
        layout.addStretch(1)
        self.group.idClicked.connect(self._on_level_clicked)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if (
            watched is self.note
            and event.type() == QEvent.Type.FocusOut
            and isinstance(event, QFocusEvent)
            and event.reason()
            not in (Qt.FocusReason.ActiveWindowFocusReason, Qt.FocusReason.PopupFocusReason)
        ):
            self.note_finished.emit()
        return super().eventFilter(watched, event)

    # --- building ----------------------------------------------------------------------

    def set_framework(self, framework: Framework) -> None:
        """Make the level buttons (they stay while the competences change)."""
        self._framework = framework
        for section in self._band_sections.values():
            for row in section.findChildren(ChoiceRow):
                self.group.removeButton(row.button)
            self.level_layout.removeWidget(section)
            section.hide()
            section.deleteLater()
        self._band_sections.clear()
        self.level_rows.clear()
        self.band_labels.clear()
        self._hide_statements()
        groups = [(b.id, b.levels) for b in framework.bands]
        if not groups:
            groups = [("", tuple(level.number for level in framework.levels))]
        for band_id, numbers in groups:
            section = QWidget()
            section_layout = QVBoxLayout(section)
            section_layout.setContentsMargins(0, 4, 0, 0)
            section_layout.setSpacing(2)
            if band_id:
                label = QLabel()
                label.setWordWrap(True)
                section_layout.addWidget(label)
                self.band_labels[band_id] = label
            for number in numbers:
                row = ChoiceRow(QRadioButton(), self._on_focus)
                self.group.addButton(row.button, number)
                section_layout.addWidget(row)
                self.level_rows[number] = row
            self.level_layout.addWidget(section)
            self._band_sections[band_id] = section
        self.retranslate()

    def show_competence(self, competence: Competence, answer: Answer | None) -> None:
        self._competence = competence
        self._answered = answer is not None
        self._level = answer.level if answer is not None else None
        self._ticked = set(answer.ticked) if answer is not None else set()
        self._check(NOT_YET if answer is not None and answer.level is None else self._level)
        self.note.setText(answer.note if answer is not None else "")
        self._shown_band = None
        self._update_statements()
        self._update_texts()

    def _check(self, button_id: int | None) -> None:
        self.group.setExclusive(False)
        for button in self.group.buttons():
            button.setChecked(self.group.id(button) == button_id)
        self.group.setExclusive(True)

    # --- what the learner answered ---------------------------------------------------------

    @property
    def answered(self) -> bool:
        return self._answered

    def values(self) -> tuple[int | None, tuple[str, ...], str]:
        """(level or None for "not yet", ticked statements in their order, note)."""
        ticked: tuple[str, ...] = ()
        if self._level is not None and self._competence is not None:
            ticked = tuple(s.id for s in self._competence.statements if s.id in self._ticked)
        return self._level, ticked, self.note.text().strip()

    def focus_levels(self) -> None:
        button = self.group.checkedButton() or self.not_yet.button
        button.setFocus(Qt.FocusReason.TabFocusReason)

    def focus_chain(self) -> list[QWidget]:
        """The panel's controls in tab order."""
        buttons: list[QWidget] = [self.not_yet.button]
        buttons += [self.level_rows[n].button for n in sorted(self.level_rows)]
        buttons += [row.button for row in self.statement_rows]
        return [*buttons, self.note]

    def _on_level_clicked(self, button_id: int) -> None:
        level = None if button_id == NOT_YET else button_id
        if self._answered and level == self._level:
            return
        self._answered, self._level = True, level
        self._update_statements()
        self._update_note()
        self.answer_changed.emit()

    def _on_tick(self, statement_id: str, checked: bool) -> None:
        if checked:
            self._ticked.add(statement_id)
        else:
            self._ticked.discard(statement_id)
        self.answer_changed.emit()

    # --- the statements of the chosen band ----------------------------------------------------

    def _band_id(self) -> str | None:
        if self._framework is None or self._level is None:
            return None
        return self._framework.level(self._level).band_id

    def _update_statements(self) -> None:
        """Show the statements of the chosen level's band right under that band's levels."""
        band_id = self._band_id()
        statements = (
            [s for s in self._competence.statements if s.band_id == band_id]
            if band_id and self._competence is not None
            else []
        )
        if not statements:
            self._hide_statements()
            return
        if band_id == self._shown_band:
            return
        self._hide_statements()
        language = current_language()
        for statement in statements:
            row = ChoiceRow(QCheckBox(), self._on_focus)
            row.set_description(statement.text.get(language))
            row.button.setChecked(statement.id in self._ticked)
            row.button.clicked.connect(
                lambda checked, sid=statement.id: self._on_tick(sid, checked)
            )
            self.statements_layout.addWidget(row)
            self.statement_rows.append(row)
        self.statements_layout.removeWidget(self.other_ticks)
        self.statements_layout.addWidget(self.other_ticks)
        index = self.level_layout.indexOf(self._band_sections[band_id]) + 1
        self.level_layout.insertWidget(index, self.statements_box)
        self.statements_box.show()
        self._shown_band = band_id
        self._retranslate_statements()
        self.controls_changed.emit()

    def _hide_statements(self) -> None:
        had_rows = bool(self.statement_rows)
        for row in self.statement_rows:
            self.statements_layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.statement_rows = []
        self.level_layout.removeWidget(self.statements_box)
        self.statements_box.hide()
        self._shown_band = None
        if had_rows:
            self.controls_changed.emit()

    # --- texts -------------------------------------------------------------------------

    def retranslate(self) -> None:
        self.level_box.setTitle(_("&Your level"))
        self.not_yet.button.setText(_("No&t yet"))
        self.not_yet.button.setAccessibleName(_("Not yet"))
        self.not_yet.set_description(_("I have not done this yet, or I cannot do it yet."))
        self.note_label.setText(_("N&ote (optional):"))
        self.note.setAccessibleName(_("Note"))
        framework = self._framework
        if framework is not None:
            language = current_language()
            for band in framework.bands:
                label = self.band_labels.get(band.id)
                if label is None:
                    continue
                heading = _("{band} (levels {first}–{last})").format(
                    band=band.name.get(language), first=band.levels[0], last=band.levels[-1]
                )
                text = f"<b>{escape(heading)}</b>"
                if band.description:
                    text += "<br><small>" + escape(band.description.get(language)) + "</small>"
                label.setText(text)
            for number, row in self.level_rows.items():
                row.button.setText(_("Level &{number}").format(number=number))
                row.button.setAccessibleName(_("Level {number}").format(number=number))
                row.set_description(level_description(framework, framework.level(number), language))
        self._update_texts()
        self._retranslate_statements()

    def _update_texts(self) -> None:
        competence = self._competence
        if competence is None:
            return
        language = current_language()
        self.title.setText(
            "<h2>" + escape(competence.id) + " " + escape(competence.title.get(language)) + "</h2>"
        )
        self.descriptor.setText(competence.description.get(language))
        self._update_note()

    def _update_note(self) -> None:
        self.note.setEnabled(self._answered)
        if self._answered:
            self.note.setPlaceholderText(_("For example where or how you did this"))
        else:
            self.note.setPlaceholderText(_("Choose a level first; the note is kept with it"))

    def _retranslate_statements(self) -> None:
        if self._framework is None or self._shown_band is None or self._competence is None:
            return
        band = self._framework.band(self._shown_band)
        language = current_language()
        self.statements_box.setTitle(
            _("Competence &statements at the {band} level: tick what you can do").format(
                band=band.name.get(language)
            )
        )
        shown = [s for s in self._competence.statements if s.band_id == band.id]
        for row, statement in zip(self.statement_rows, shown, strict=True):
            row.set_description(statement.text.get(language))
        others = len({s.id for s in self._competence.statements} & self._ticked) - sum(
            1 for s in shown if s.id in self._ticked
        )
        self.other_ticks.setVisible(others > 0)
        self.other_ticks.setText(
            ngettext(
                "You also ticked {count} statement of another band; it is kept.",
                "You also ticked {count} statements of other bands; they are kept.",
                others,
            ).format(count=others)
        )
