"""The learners tab's data protection: consents, erasure, retention rules and one learner's
data export (requests under the GDPR); the dialogs are in :mod:`.privacy`."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QFileDialog

from digcomp_app.i18n import _
from digcomp_app.services import privacy
from digcomp_app.services.errors import ServiceError
from digcomp_app.ui.screens.learners.privacy import (
    ConsentsDialog,
    EraseDialog,
    RetentionDialog,
    is_erased,
)
from digcomp_app.ui.tasks import TaskHandle, run_task


def _file_name_part(text: str) -> str:
    """A learner number made fit for a suggested file name."""
    return "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in text)[:50] or "learner"


class PrivacyActions:
    """Mixed into :class:`~digcomp_app.ui.screens.learners.learners_tab.LearnersTab`, whose
    table, selection and message line it uses."""

    def _open_privacy(self, dialog: QDialog, done: Callable[[QDialog, int], None]) -> None:
        self.message.clear()
        self.privacy_dialog = dialog
        dialog.setModal(True)

        def finished(code: int) -> None:
            self.privacy_dialog = None
            done(dialog, code)
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()

    def open_consents(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_record_consent:
            return
        self._open_privacy(
            ConsentsDialog(self._context, chosen[0], self), lambda _d, _code: self._show_record()
        )

    def erase_learner(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_erase or is_erased(chosen[0]):
            return
        try:
            dialog = EraseDialog(self._context, chosen[0], self)
        except ServiceError as problem:
            self.show_error(str(problem))
            return

        def done(d: QDialog, code: int) -> None:
            if code != QDialog.DialogCode.Accepted:
                return
            result = d.result_value  # type: ignore[attr-defined]
            self.show_inactive.setChecked(True)
            self._screen.refresh()
            text = _(
                "The learner's personal data was erased; their attestations stay in the "
                "register as {pseudonym}."
            ).format(pseudonym=result.pseudonym)
            if not result.file_cleaned and self._context.db.backend == "sqlite":
                text += " " + _(
                    "The database file could not be cleaned now; close the app on other "
                    "computers and erase again, or run 'digcomp-app privacy compact'."
                )
            self.show_done(text)

        self._open_privacy(dialog, done)

    def open_retention(self) -> None:
        if not self.can_retain:
            return

        def done(d: QDialog, _code: int) -> None:
            if d.result_value is not None:  # type: ignore[attr-defined]
                self._screen.refresh()

        self._open_privacy(RetentionDialog(self._context, self), done)

    def export_data(self) -> None:
        """Ask where to save the chosen learner's data export, then write it."""
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_export:
            return
        learner = chosen[0]
        suggested = _("learner-data-{number}.zip").format(
            number=_file_name_part(learner.learner_number or str(learner.id))
        )
        path, _filter = QFileDialog.getSaveFileName(
            self,
            _("Export {name}'s data").format(name=learner.full_name),
            suggested,
            _("Zip archives (*.zip)"),
        )
        if path:
            self.run_export(learner.id, path)

    def run_export(self, learner_id: int, path: str) -> TaskHandle:
        """Write one learner's data export to ``path`` in the background."""
        db, actor = self._context.db, self._context.actor
        if not path.lower().endswith(".zip"):
            path += ".zip"

        def work(report, cancelled) -> privacy.ExportSummary:  # type: ignore[no-untyped-def]
            report(0, 0, _("Exporting the learner's data…"))
            return privacy.save_learner_export(db, actor, learner_id, path, report, cancelled)

        def done(summary: privacy.ExportSummary) -> None:
            self.show_done(
                _(
                    "Data export saved to {path}: {cases} case(s), {files} evidence file(s), "
                    "{certificates} attestation(s)."
                ).format(
                    path=path,
                    cases=summary.cases,
                    files=summary.evidence_files,
                    certificates=summary.certificates,
                )
            )

        self.task = run_task(self, _("Export data"), work, done)
        self.task.done.connect(lambda: setattr(self, "task", None))
        return self.task
