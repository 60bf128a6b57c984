"""The form for one target competence's assessment: level, method, criteria, comment,
with the learner's own rating beside the level and a flag for a large difference."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.framework import Framework
from digcomp_app.i18n import _, ngettext
from digcomp_app.services.validation import FLAG_GAP, METHOD_NAMES, METHODS, AssessmentInfo
from digcomp_app.ui.screens.validation.common import level_text


@dataclass(frozen=True)
class FormValues:
    level: int | None
    method: str | None
    criteria: str
    comment: str

    @classmethod
    def of(cls, info: AssessmentInfo | None) -> FormValues:
        if info is None:
            return cls(None, None, "", "")
        return cls(info.level, info.method, info.criteria, info.comment)


def flag_text(own: int | None, assessed: int | None) -> str:
    """ "⚑ The learner rated themselves 2 levels higher.", or "" for a small gap."""
    if own is None or assessed is None or abs(own - assessed) < FLAG_GAP:
        return ""
    gap = abs(own - assessed)
    if own > assessed:
        text = ngettext(
            "The learner rated themselves {count} level higher.",
            "The learner rated themselves {count} levels higher.",
            gap,
        )
    else:
        text = ngettext(
            "The learner rated themselves {count} level lower.",
            "The learner rated themselves {count} levels lower.",
            gap,
        )
    return "⚑ " + text.format(count=gap)


class AssessmentForm(QGroupBox):
    edited = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.framework: Framework | None = None
        self.own_level: int | None = None
        self._has_competence = False
        self._filling = False
        self.level = QComboBox()
        self.own = QLabel()
        self.flag = QLabel()
        self.flag.setWordWrap(True)
        self.flag.setStyleSheet("color: #b3261e; font-weight: bold;")
        self.flag.hide()
        self.method = QComboBox()
        self.criteria = QLineEdit()
        self.comment = QPlainTextEdit()
        self.comment.setTabChangesFocus(True)
        self.comment.setMinimumHeight(60)
        self.by = QLabel()
        self.by.setWordWrap(True)
        self.save_button = QPushButton()
        self.revert_button = QPushButton()
        self.level_label, self.method_label = QLabel(), QLabel()
        self.criteria_label, self.comment_label = QLabel(), QLabel()
        level_row = QHBoxLayout()
        level_row.addWidget(self.level)
        level_row.addWidget(self.own, 1)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.ExpandingFieldsGrow)
        form.addRow(self.level_label, level_row)
        form.addRow(self.flag)
        form.addRow(self.method_label, self.method)
        form.addRow(self.criteria_label, self.criteria)
        form.addRow(self.comment_label, self.comment)
        for label, field in (
            (self.level_label, self.level),
            (self.method_label, self.method),
            (self.criteria_label, self.criteria),
            (self.comment_label, self.comment),
        ):
            label.setBuddy(field)
        buttons = QHBoxLayout()
        buttons.addWidget(self.by, 1)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.save_button)
        box = QVBoxLayout(self)
        box.addLayout(form)
        box.addLayout(buttons)
        for first, second in (
            (self.level, self.method),
            (self.method, self.criteria),
            (self.criteria, self.comment),
            (self.comment, self.revert_button),
            (self.revert_button, self.save_button),
        ):
            self.setTabOrder(first, second)
        self.level.currentIndexChanged.connect(self._on_edited)
        self.method.currentIndexChanged.connect(self._on_edited)
        self.criteria.textChanged.connect(self._on_edited)
        self.comment.textChanged.connect(self._on_edited)
        self.retranslate()

    def set_framework(self, framework: Framework) -> None:
        self.framework = framework
        self._fill_choices()

    def _fill_choices(self) -> None:
        values = self.values()
        self._filling = True
        self.level.clear()
        if self.framework is not None:
            for level in self.framework.levels:
                self.level.addItem(level_text(self.framework, level.number), level.number)
        self.method.clear()
        for key in METHODS:
            self.method.addItem(_(METHOD_NAMES[key]), key)
        self._filling = False
        self.set_values(values)

    def values(self) -> FormValues:
        return FormValues(
            self.level.currentData(),
            self.method.currentData(),
            self.criteria.text().strip(),
            self.comment.toPlainText().strip(),
        )

    def set_values(self, values: FormValues) -> None:
        self._filling = True
        self.level.setCurrentIndex(self.level.findData(values.level))
        self.method.setCurrentIndex(self.method.findData(values.method))
        self.criteria.setText(values.criteria)
        self.comment.setPlainText(values.comment)
        self._filling = False
        self._on_edited()

    def show_competence(self, title: str, own: int | None, by: str) -> None:
        """Title the form for a competence ("" for none), with the learner's own level."""
        self._has_competence = bool(title)
        self.own_level = own
        self.setTitle(
            _("Assessment of {competence}").format(competence=title) if title else _("Assessment")
        )
        self.by.setText(by)

    def flag_shown(self) -> str:
        return self.flag.text() if self.flag.isVisibleTo(self) else ""

    def _on_edited(self, *_args: object) -> None:
        if self._filling:
            return
        if self._has_competence and self.framework is not None:
            rating = (
                level_text(self.framework, self.own_level)
                if self.own_level is not None
                else _("no rating")
            )
            self.own.setText(_("The learner's own rating: {level}").format(level=rating))
        else:
            self.own.clear()
        flag = flag_text(self.own_level, self.level.currentData())
        self.flag.setText(
            flag + " " + _("Check the evidence, and explain the difference in the comment.")
            if flag
            else ""
        )
        self.flag.setVisible(bool(flag))
        self.edited.emit()

    def set_editable(self, editable: bool, changed: bool) -> None:
        for widget in (self.level, self.method, self.criteria, self.comment):
            widget.setEnabled(editable and self._has_competence)
        self.save_button.setEnabled(editable and changed)
        self.revert_button.setEnabled(editable and changed)

    def retranslate(self) -> None:
        self.level_label.setText(_("Level &reached:"))
        self.level.setAccessibleName(_("Level reached"))
        self.level.setPlaceholderText(_("Choose a level"))
        self.method_label.setText(_("&Method:"))
        self.method.setAccessibleName(_("Assessment method"))
        self.method.setPlaceholderText(_("Choose a method"))
        self.criteria_label.setText(_("Cr&iteria:"))
        self.criteria.setAccessibleName(_("Assessment criteria"))
        self.criteria.setPlaceholderText(_("What the level was judged against (optional)"))
        self.comment_label.setText(_("Comm&ent:"))
        self.comment.setAccessibleName(_("Comment"))
        self.own.setAccessibleName(_("The learner's own rating"))
        self.flag.setAccessibleName(_("Difference from the learner's own rating"))
        self.by.setAccessibleName(_("Who assessed"))
        self.save_button.setText(_("&Save assessment"))
        self.save_button.setAccessibleName(_("Save assessment"))
        self.revert_button.setText(_("Rever&t"))
        self.revert_button.setAccessibleName(_("Revert to the saved assessment"))
        self._fill_choices()
