"""Step 4 of the import wizard: the import, in the background with Cancel (all or
nothing), and what it did, with the new accounts' sign-in slips."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton, QVBoxLayout, QWidget

from digcomp_app.i18n import _
from digcomp_app.services import rosters
from digcomp_app.services.roster_files import RosterCancelled
from digcomp_app.services.rosters import ImportRefused, ImportResult
from digcomp_app.ui.screens.rosters.common import RESULT, escaped, wrapped
from digcomp_app.ui.tasks import Cancelled, Report


class ResultStep:
    """Step 4 of :class:`~digcomp_app.ui.screens.rosters.wizard.ImportWizard` (mixed into it):
    the import, and its ``result``."""

    def _build_result_page(self) -> QWidget:
        page = QWidget()
        self.result_label = wrapped()
        self.result_label.setTextFormat(Qt.TextFormat.RichText)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.slips_button = QPushButton()
        self.slips_button.clicked.connect(self.open_slips)
        self.slips_button.setVisible(False)
        layout = QVBoxLayout(page)
        layout.addWidget(self.result_label)
        layout.addWidget(self.slips_button, 0, Qt.AlignmentFlag.AlignLeft)
        layout.addStretch(1)
        return page

    def start_import(self) -> None:
        """Import in the background; Cancel leaves the database as it was."""
        plan = self.plan
        if plan is None or not plan.ok or self.task is not None or self.result is not None:
            return
        table, mapping = self.table, self.mapping
        assert table is not None and mapping is not None
        db, actor = self._context.db, self._context.actor
        default_group = self.default_group.currentText().strip()
        create_groups = self.create_groups.isChecked()
        kind = self.kind
        text = _("Importing learners…") if kind == "learners" else _("Importing staff…")

        def work(report: Report, cancelled):
            def progress(done: int, total: int) -> None:
                report(done, total, text)

            try:
                if kind == "learners":
                    return rosters.import_learners(
                        db,
                        actor,
                        table,
                        mapping,
                        default_group,
                        create_groups,
                        should_stop=cancelled,
                        progress=progress,
                    )
                return rosters.import_staff(
                    db, actor, table, mapping, should_stop=cancelled, progress=progress
                )
            except RosterCancelled:
                raise Cancelled() from None
            except ImportRefused as refused:
                return refused.plan

        self._import_note = ""
        self.import_note.setVisible(False)
        self._start(text, work, self._import_done)

    def _import_done(self, outcome) -> None:
        if isinstance(outcome, ImportResult):
            self.result = outcome
            self.imported = bool(outcome.created or outcome.updated or outcome.groups_created)
            self.stack.setCurrentIndex(RESULT)
            self._show_step()
            self._show_result()
            if outcome.credentials:
                self.open_slips()
            return
        # the database changed since the preview: the new problems, nothing imported
        self.plan = outcome
        self._import_note = _("Nothing was imported: the file has problems to correct first.")
        self._show_plan()

    def _show_result(self) -> None:
        result = self.result
        assert result is not None
        if self.kind == "learners":
            lines = [
                _(
                    "Created {created}, updated {updated}, unchanged {unchanged}, empty rows "
                    "skipped {skipped}."
                ).format(
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    skipped=result.skipped_empty,
                ),
                _("Groups created: {groups}.").format(
                    groups=", ".join(result.groups_created) or _("none")
                ),
            ]
        else:
            lines = [
                _(
                    "Accounts created {created}, given more roles {updated}, unchanged "
                    "{unchanged}, empty rows skipped {skipped}."
                ).format(
                    created=result.created,
                    updated=result.updated,
                    unchanged=result.unchanged,
                    skipped=result.skipped_empty,
                )
            ]
            if result.credentials:
                lines.append(
                    _(
                        "The new accounts have one-time passwords, shown only on their sign-in "
                        "slips: save the slips and hand them out."
                    )
                )
        self.result_label.setText("<br>".join(escaped(line) for line in lines))
        self.slips_button.setVisible(bool(result.credentials))

    def open_slips(self) -> None:
        """The new accounts' sign-in slips (their one-time passwords) to save as a PDF."""
        if self.result is None or not self.result.credentials:
            return
        from digcomp_app.ui.slips_dialog import SlipsDialog

        if self.slips_dialog is None:
            self.slips_dialog = SlipsDialog(self, self._context, self.result.credentials)
        self.slips_dialog.open()
