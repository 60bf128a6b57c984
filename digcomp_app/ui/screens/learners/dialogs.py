"""The learners screen's dialogs: a learner's details, moving learners, a group, its
teachers. Each OK calls one service; its error stays in the dialog with what was typed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import accounts, learners
from digcomp_app.services.errors import InvalidInput, ServiceError
from digcomp_app.services.learners import GroupInfo, LearnerSummary
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import ServiceDialog, refuse
from digcomp_app.ui.widgets import fit_to_texts


def _labelled(form: QFormLayout, field: QWidget) -> QLabel:
    label = QLabel()
    label.setBuddy(field)
    form.addRow(label, field)
    return label


def parse_date(text: str) -> dt.date | None:
    """A date typed as 31.12.2008 (as Latvians write it), 31/12/2008 or 2008-12-31."""
    text = text.strip()
    if not text:
        return None
    for pattern in ("%d.%m.%Y", "%d/%m/%Y", "%Y-%m-%d", "%d.%m.%Y."):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def fill_group_combo(
    combo: QComboBox, groups: Sequence[GroupInfo], none_text: str | None = None
) -> None:
    """The open groups, by name (with the school year when there is one)."""
    combo.clear()
    if none_text is not None:
        combo.addItem(none_text, None)
    for group in groups:
        if group.archived:
            continue
        label = f"{group.name} ({group.school_year})" if group.school_year else group.name
        combo.addItem(label, group.id)


class LearnerDialog(ServiceDialog):
    """A new learner (``learner`` None) or a learner's details to change."""

    def __init__(
        self,
        context: UiContext,
        groups: Sequence[GroupInfo],
        keep_birth_date: bool,
        learner: LearnerSummary | None = None,
        group_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.learner = learner
        self.keep_birth_date = keep_birth_date
        self.given_names = QLineEdit()
        self.given_names.setMaxLength(learners.MAX_NAME)
        self.surname = QLineEdit()
        self.surname.setMaxLength(learners.MAX_NAME)
        self.number = QLineEdit()
        self.number.setMaxLength(learners.MAX_NUMBER)
        self.group = QComboBox()
        self.email = QLineEdit()
        self.email.setMaxLength(learners.MAX_EMAIL)
        self.birth_date = QLineEdit()
        self.birth_date.setMaxLength(12)
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.given_label = _labelled(form, self.given_names)
        self.surname_label = _labelled(form, self.surname)
        self.number_label = _labelled(form, self.number)
        self.group_label = _labelled(form, self.group)
        self.email_label = _labelled(form, self.email)
        self.birth_label = _labelled(form, self.birth_date)
        self.note = QLabel()
        self.note.setWordWrap(True)
        fill_group_combo(self.group, groups, "")
        if group_id is not None and self.group.findData(group_id) >= 0:
            self.group.setCurrentIndex(self.group.findData(group_id))
        if learner is not None:
            self.given_names.setText(learner.given_names)
            self.surname.setText(learner.surname)
            self.number.setText(learner.learner_number)
            self.email.setText(learner.email)
            if learner.date_of_birth is not None:
                self.birth_date.setText(learner.date_of_birth.strftime("%d.%m.%Y"))
            # a learner changes group with "Move to group…"
            form.setRowVisible(self.group, False)
        form.setRowVisible(self.birth_date, keep_birth_date)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        fit_to_texts(self, 56)

    def retranslate(self) -> None:
        new = self.learner is None
        self.setWindowTitle(_("New learner") if new else _("Edit learner"))
        self.given_label.setText(_("&First names:"))
        self.surname_label.setText(_("&Surname:"))
        self.number_label.setText(_("Learner &number:"))
        self.group_label.setText(_("&Group:"))
        self.email_label.setText(_("&E-mail:"))
        self.birth_label.setText(_("&Date of birth:"))
        self.given_names.setAccessibleName(_("First names"))
        self.surname.setAccessibleName(_("Surname"))
        self.number.setAccessibleName(_("Learner number"))
        self.group.setAccessibleName(_("Group"))
        self.email.setAccessibleName(_("E-mail"))
        self.birth_date.setAccessibleName(_("Date of birth"))
        self.number.setPlaceholderText(_("the number in the school's register"))
        self.email.setPlaceholderText(_("optional, e.g. name@school.lv"))
        self.birth_date.setPlaceholderText(_("e.g. 31.12.2008"))
        self.group.setItemText(0, _("(no group)"))
        if self.keep_birth_date:
            self.note.setText("")
        else:
            self.note.setText(
                _(
                    "The school does not keep learners' dates of birth (an administrator can "
                    "change this in School details)."
                )
            )
        self.note.setVisible(not self.keep_birth_date)
        self.retranslate_buttons(_("Add learner") if new else _("Save"))

    def submit(self) -> LearnerSummary:
        birth = None
        if self.keep_birth_date:
            try:
                birth = parse_date(self.birth_date.text())
            except ValueError:
                refuse(
                    self,
                    _("Type the date of birth as day.month.year, e.g. 31.12.2008."),
                    self.birth_date,
                )
        db, actor = self._context.db, self._context.actor
        if self.learner is None:
            return learners.create(
                db,
                actor,
                self.given_names.text(),
                self.surname.text(),
                date_of_birth=birth,
                email=self.email.text(),
                learner_number=self.number.text(),
                group_id=self.group.currentData(),
            )
        if not self.keep_birth_date:
            birth = self.learner.date_of_birth
        return learners.update(
            db,
            actor,
            self.learner.id,
            self.given_names.text(),
            self.surname.text(),
            birth,
            self.email.text(),
            learner_number=self.number.text(),
        )

    def focus_for(self, problem: ServiceError) -> QWidget | None:
        if not isinstance(problem, InvalidInput):
            return None
        return {
            "given_names": self.given_names,
            "name": self.given_names,
            "surname": self.surname,
            "learner_number": self.number,
            "email": self.email,
            "date_of_birth": self.birth_date,
            "group": self.group,
        }.get(problem.field)


class MoveDialog(ServiceDialog):
    """Choose the group the chosen learners move to."""

    def __init__(
        self,
        context: UiContext,
        chosen: Sequence[LearnerSummary],
        groups: Sequence[GroupInfo],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.chosen = tuple(chosen)
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.group = QComboBox()
        fill_group_combo(self.group, groups)
        form = QFormLayout()
        self.group_label = _labelled(form, self.group)
        self.note = QLabel()
        self.note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        fit_to_texts(self, 50)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Move to group"))
        if len(self.chosen) == 1:
            self.heading.setText(
                _("Move {name} to another group.").format(name=self.chosen[0].full_name)
            )
        else:
            self.heading.setText(
                ngettext(
                    "Move {count} learner to another group.",
                    "Move {count} learners to another group.",
                    len(self.chosen),
                ).format(count=len(self.chosen))
            )
        self.group_label.setText(_("&New group:"))
        self.group.setAccessibleName(_("New group"))
        self.note.setText(
            _(
                "They leave their current groups. Cases already opened keep the group they "
                "were opened in."
            )
        )
        self.retranslate_buttons(_("&Move"))

    def submit(self) -> int:
        if self.group.currentData() is None:
            refuse(self, _("There is no open group to move to. Create a group first."))
        return learners.move_to_group(
            self._context.db,
            self._context.actor,
            self.group.currentData(),
            [learner.id for learner in self.chosen],
        )


class GroupDialog(ServiceDialog):
    """A new group (``group`` None) or a group's new name and school year."""

    def __init__(
        self, context: UiContext, group: GroupInfo | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._context = context
        self.group = group
        self.name = QLineEdit(group.name if group else "")
        self.name.setMaxLength(learners.MAX_GROUP)
        self.school_year = QLineEdit(group.school_year if group else _this_school_year())
        self.school_year.setMaxLength(learners.MAX_SCHOOL_YEAR)
        form = QFormLayout()
        self.name_label = _labelled(form, self.name)
        self.year_label = _labelled(form, self.school_year)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        fit_to_texts(self, 44)

    def retranslate(self) -> None:
        self.setWindowTitle(_("New group") if self.group is None else _("Rename group"))
        self.name_label.setText(_("Group &name:"))
        self.year_label.setText(_("School &year:"))
        self.name.setAccessibleName(_("Group name"))
        self.school_year.setAccessibleName(_("School year"))
        self.name.setPlaceholderText(_("e.g. 2.a or DT-23"))
        self.school_year.setPlaceholderText(_("e.g. 2025/2026"))
        self.retranslate_buttons(_("Add group") if self.group is None else _("Save"))

    def submit(self) -> GroupInfo:
        db, actor = self._context.db, self._context.actor
        if self.group is None:
            return learners.create_group(db, actor, self.name.text(), self.school_year.text())
        return learners.rename_group(
            db, actor, self.group.id, self.name.text(), self.school_year.text()
        )

    def focus_for(self, problem: ServiceError) -> QWidget | None:
        if isinstance(problem, InvalidInput) and problem.field == "school_year":
            return self.school_year
        return self.name


def _this_school_year(today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    start = today.year if today.month >= 8 else today.year - 1
    return f"{start}/{start + 1}"


class TeachersDialog(ServiceDialog):
    """Tick the teachers of a group (teachers see their groups' learners and cases)."""

    def __init__(self, context: UiContext, group: GroupInfo, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._context = context
        self.group = group
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        self.teachers = QListWidget()
        self.note = QLabel()
        self.note.setWordWrap(True)
        current = {user_id for user_id, _name in group.teachers}
        try:
            found = accounts.list_teachers(context.db, context.actor)
        except ServiceError as problem:
            found = []
            self.error.setText(str(problem))
        for teacher in found:
            item = QListWidgetItem(f"{teacher.display_name} ({teacher.username})")
            item.setData(Qt.ItemDataRole.UserRole, teacher.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if teacher.id in current else Qt.CheckState.Unchecked
            )
            self.teachers.addItem(item)
        self.before = current
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.teachers, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.retranslate()
        fit_to_texts(self, 48)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Teachers of the group"))
        self.heading.setText(_("Tick the teachers of {group}:").format(group=self.group.name))
        self.teachers.setAccessibleName(_("Teachers"))
        self.note.setText(
            _("A group's teachers see its learners and open cases for them.")
            if self.teachers.count()
            else _("There are no teachers yet. An administrator adds their accounts in Users.")
        )
        self.retranslate_buttons(_("Save"))

    def chosen(self) -> set[int]:
        return {
            self.teachers.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.teachers.count())
            if self.teachers.item(row).checkState() == Qt.CheckState.Checked
        }

    def set_checked(self, user_id: int, checked: bool) -> None:
        for row in range(self.teachers.count()):
            item = self.teachers.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == user_id:
                item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def submit(self) -> set[int]:
        db, actor = self._context.db, self._context.actor
        chosen = self.chosen()
        for user_id in sorted(chosen - self.before):
            learners.assign_group_teacher(db, actor, self.group.id, user_id)
        for user_id in sorted(self.before - chosen):
            learners.unassign_group_teacher(db, actor, self.group.id, user_id)
        return chosen


def birth_text(value: dt.date | None) -> str:
    return format_date(value) if value is not None else ""
