"""Step 3 of the import wizard: the file checked against the school's data, in the
background: what will be created and updated, and every problem."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, ngettext
from digcomp_app.services import rosters
from digcomp_app.services.permissions import Role
from digcomp_app.ui.screens.rosters.common import error_label, escaped, wrapped
from digcomp_app.ui.tasks import Cancelled, Report
from digcomp_app.ui.widgets import record_table

#: how many planned rows the preview lists
PREVIEW_ROWS = 50


def change_name(change: str) -> str:
    names = {
        "name": _("name"),
        "email": _("e-mail"),
        "date_of_birth": _("date of birth"),
        "group": _("group"),
        "active": _("active again"),
    }
    return names.get(change, change)


def _role_names(roles: frozenset[str]) -> str:
    from digcomp_app.ui.screens.home import role_names

    return role_names(frozenset(Role(r) for r in roles))


class PreviewStep:
    """Step 3 of :class:`~digcomp_app.ui.screens.rosters.wizard.ImportWizard` (mixed into it):
    the ``plan``, shown with its problems."""

    def _build_preview_page(self) -> QWidget:
        page = QWidget()
        self.counts_label = wrapped()
        self.counts_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notices_label = wrapped()
        for label in (self.counts_label, self.notices_label):
            label.setTextFormat(Qt.TextFormat.RichText)
        self.problems_label = error_label()
        self.problems_table = record_table(3)
        header = self.problems_table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.problems_table.setWordWrap(True)
        self.reload_button = QPushButton()
        self.reload_button.clicked.connect(self.reload)
        self.rows_label = wrapped()
        self.rows_table = record_table(5)
        rows_header = self.rows_table.horizontalHeader()
        rows_header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        rows_header.setStretchLastSection(True)
        self.import_note = wrapped()
        layout = QVBoxLayout(page)
        layout.addWidget(self.counts_label)
        layout.addWidget(self.notices_label)
        problems_row = QHBoxLayout()
        problems_row.addWidget(self.problems_label, 1)
        problems_row.addWidget(self.reload_button, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(problems_row)
        layout.addWidget(self.problems_table, 1)
        layout.addWidget(self.rows_label)
        layout.addWidget(self.rows_table, 1)
        layout.addWidget(self.import_note)
        return page

    def _start_preview(self) -> None:
        table, mapping = self.table, self.mapping
        assert table is not None and mapping is not None
        db, actor = self._context.db, self._context.actor
        default_group = self.default_group.currentText().strip()
        create_groups = self.create_groups.isChecked()
        kind = self.kind

        def work(report: Report, cancelled):
            if kind == "learners":
                plan = rosters.preview_learners(
                    db, actor, table, mapping, default_group, create_groups
                )
            else:
                plan = rosters.preview_staff(db, actor, table, mapping)
            if cancelled():
                raise Cancelled()
            return plan

        self.plan = None
        self._import_note = ""
        self._show_plan()
        self._start(_("Checking the file…"), work, self._preview_done)

    def _preview_done(self, plan) -> None:
        self.plan = plan
        self._show_plan()

    def _show_plan(self) -> None:
        plan = self.plan
        self.import_note.setText(self._import_note)
        self.import_note.setVisible(bool(self._import_note))
        if plan is None:
            self.counts_label.setText(_("Checking the file…") if self.task else "")
            self.counts_label.setVisible(True)
            for widget in (
                self.notices_label,
                self.problems_label,
                self.problems_table,
                self.reload_button,
                self.rows_label,
                self.rows_table,
            ):
                widget.setVisible(False)
            return
        create, update = plan.count("create"), plan.count("update")
        unchanged = plan.count("unchanged")
        if self.kind == "learners":
            parts = [
                ngettext(
                    "Will create {count} learner", "Will create {count} learners", create
                ).format(count=create),
                ngettext("update {count}", "update {count}", update).format(count=update),
                ngettext("{count} unchanged", "{count} unchanged", unchanged).format(
                    count=unchanged
                ),
            ]
            new_groups = plan.new_groups  # type: ignore[union-attr]
            groups = (
                _("New groups: {groups}.").format(groups=", ".join(new_groups))
                if new_groups
                else _("No new groups.")
            )
        else:
            parts = [
                ngettext(
                    "Will create {count} account", "Will create {count} accounts", create
                ).format(count=create),
                ngettext("add roles to {count}", "add roles to {count}", update).format(
                    count=update
                ),
                ngettext("{count} unchanged", "{count} unchanged", unchanged).format(
                    count=unchanged
                ),
            ]
            groups = ""
        counts = ", ".join(parts) + "."
        if plan.skipped_empty:
            counts += " " + ngettext(
                "{count} empty row is skipped.",
                "{count} empty rows are skipped.",
                plan.skipped_empty,
            ).format(count=plan.skipped_empty)
        self.counts_label.setText(
            "<b>" + escaped(counts) + "</b>" + (" " + escaped(groups) if groups else "")
        )
        # with problems nothing is imported: the problems are the news, not the counts
        self.counts_label.setVisible(plan.ok)
        self.notices_label.setText("<br>".join(escaped(n) for n in plan.notices))
        self.notices_label.setVisible(bool(plan.notices))
        problems = plan.problems
        self.problems_label.setText(
            ngettext(
                "The file has {count} problem. Correct the file and choose it again; nothing "
                "will be imported until every problem is solved.",
                "The file has {count} problems. Correct the file and choose it again; nothing "
                "will be imported until every problem is solved.",
                len(problems),
            ).format(count=len(problems))
        )
        for widget in (self.problems_label, self.problems_table, self.reload_button):
            widget.setVisible(bool(problems))
        self.problems_table.setRowCount(len(problems))
        for row, problem in enumerate(problems):
            line = str(problem.line) if problem.line else _("whole file")
            for column, text in enumerate((line, problem.column, problem.message)):
                item = QTableWidgetItem(text)
                item.setToolTip(text)
                self.problems_table.setItem(row, column, item)
        self.problems_table.resizeRowsToContents()
        shown = plan.rows[:PREVIEW_ROWS]
        self.rows_table.setRowCount(len(shown))
        for row, planned in enumerate(shown):
            name = f"{planned.given_names} {planned.surname}"
            if self.kind == "learners":
                cells = (
                    str(planned.line),
                    name,
                    planned.learner_number,  # type: ignore[union-attr]
                    planned.group,  # type: ignore[union-attr]
                    self._action_text(planned.action, planned.changes),  # type: ignore[union-attr]
                )
            else:
                cells = (
                    str(planned.line),
                    name,
                    planned.username or _("(made up at import)"),  # type: ignore[union-attr]
                    _role_names(planned.roles),  # type: ignore[union-attr]
                    self._action_text(planned.action, ()),
                )
            for column, text in enumerate(cells):
                self.rows_table.setItem(row, column, QTableWidgetItem(text))
        more = len(plan.rows) - len(shown)
        self.rows_label.setText(
            _("The first rows as they will be imported:")
            + (
                " " + ngettext("({count} more row)", "({count} more rows)", more).format(count=more)
                if more > 0
                else ""
            )
        )
        self.rows_label.setVisible(bool(shown))
        self.rows_table.setVisible(bool(shown))
        self._update_buttons()

    def _action_text(self, action: str, changes: Sequence[str]) -> str:
        if action == "create":
            return _("new") if self.kind == "learners" else _("new account")
        if action == "update":
            if self.kind == "staff":
                return _("gets more roles")
            return _("updated: {what}").format(what=", ".join(change_name(c) for c in changes))
        return _("no change")
