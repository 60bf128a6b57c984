"""The learners tab's changes: a new learner, edits, moves between groups, deactivating
and reactivating, accounts with their sign-in slips."""

from __future__ import annotations

from collections.abc import Sequence

from digcomp_app.i18n import _, format_list, ngettext
from digcomp_app.services import accounts, learners, organisations
from digcomp_app.services.accounts import AccountsCreated
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import LearnerSummary
from digcomp_app.ui.screens.accounts.common import ServiceDialog
from digcomp_app.ui.screens.learners.common import confirm
from digcomp_app.ui.screens.learners.dialogs import LearnerDialog, MoveDialog
from digcomp_app.ui.slips_dialog import SlipsDialog
from digcomp_app.ui.tasks import TaskHandle, run_task


class LearnerActions:
    """Mixed into :class:`~digcomp_app.ui.screens.learners.learners_tab.LearnersTab`, whose
    table, selection and message line it uses."""

    def _keeps_birth_dates(self) -> bool:
        try:
            home = organisations.get_home(self._context.db, self._context.actor)
        except ServiceError:
            return False
        return home is not None and home.keep_birth_date

    def new_learner(self) -> None:
        dialog = LearnerDialog(
            self._context,
            self.groups,
            self._keeps_birth_dates(),
            group_id=self.group_id(),
            parent=self,
        )

        def done(d: ServiceDialog) -> str:
            learner: LearnerSummary = d.result_value  # type: ignore[assignment]
            self.search.clear()
            return _("{name} was added.").format(name=learner.full_name)

        self._open(dialog, done)

    def edit_learner(self) -> None:
        chosen = self.selected()
        if len(chosen) != 1 or not self.can_edit:
            return
        dialog = LearnerDialog(
            self._context, self.groups, self._keeps_birth_dates(), chosen[0], parent=self
        )
        self._open(
            dialog,
            lambda d: _("The details of {name} were saved.").format(
                name=d.result_value.full_name  # type: ignore[attr-defined]
            ),
        )

    def move_learners(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        self._open(
            MoveDialog(self._context, chosen, self.groups, self),
            lambda d: ngettext(
                "{count} learner moved.",
                "{count} learners moved.",
                d.result_value,  # type: ignore[arg-type]
            ).format(count=d.result_value),
        )

    def toggle_active(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        activate = all(not learner.active for learner in chosen)
        names = format_list([learner.full_name for learner in chosen[:5]])
        if len(chosen) > 5:
            names = _("{names} and {count} more").format(names=names, count=len(chosen) - 5)
        if activate:
            title = _("Reactivate")
            text = _(
                "Reactivate {names}? They appear in the lists again and their account (if "
                "they have one) can sign in again."
            ).format(names=names)
        else:
            title = _("Deactivate")
            text = _(
                "Deactivate {names}? Their records (cases, self-assessments, certificates) are "
                "kept; their account, if they have one, stops working."
            ).format(names=names)
        self.confirm_box = confirm(
            self, title, text, title, lambda: self.set_active(chosen, activate)
        )

    def set_active(self, chosen: Sequence[LearnerSummary], active: bool) -> None:
        self.confirm_box = None
        try:
            for learner in chosen:
                learners.set_active(self._context.db, self._context.actor, learner.id, active)
        except ServiceError as problem:
            self.show_error(str(problem))
            return
        self._screen.refresh()
        count = len(chosen)
        self.show_done(
            (
                ngettext(
                    "{count} learner is active again.", "{count} learners are active again.", count
                )
                if active
                else ngettext(
                    "{count} learner was deactivated; their records are kept.",
                    "{count} learners were deactivated; their records are kept.",
                    count,
                )
            ).format(count=count)
        )

    def create_accounts(self) -> None:
        chosen = self.selected() or (self.learners if self.group_id() is not None else [])
        if not chosen or not self.can_make_accounts:
            return
        without = [learner for learner in chosen if not learner.has_account]
        group = self.shown_group()
        if not self.selected() and group is not None:
            text = _(
                "Create accounts with one-time passwords for the {count} learners of {group} "
                "who have none?"
            ).format(count=len(without), group=group.name)
        else:
            text = ngettext(
                "Create an account with a one-time password for {count} learner?",
                "Create accounts with one-time passwords for {count} learners?",
                len(without),
            ).format(count=len(without))
        text += " " + _(
            "Learners who already have an account are skipped. You then save the sign-in "
            "slips: the passwords are printed only there."
        )
        ids = [learner.id for learner in chosen]
        self.confirm_box = confirm(
            self, _("Create accounts"), text, _("Create accounts"), lambda: self.run_accounts(ids)
        )

    def run_accounts(self, learner_ids: Sequence[int]) -> TaskHandle:
        """Make the accounts in the background (each password is hashed), then show them."""
        self.confirm_box = None
        db, actor = self._context.db, self._context.actor
        ids = list(learner_ids)

        def work(report, cancelled) -> AccountsCreated:  # type: ignore[no-untyped-def]
            report(0, 0, _("Creating {count} accounts…").format(count=len(ids)))
            return accounts.create_learner_accounts(db, actor, ids)

        def done(result: AccountsCreated) -> None:
            self.task = None
            self._screen.refresh()
            self.show_done(
                ngettext(
                    "{count} account was created.",
                    "{count} accounts were created.",
                    len(result.created),
                ).format(count=len(result.created))
            )
            self.show_slips(result.created, result.skipped)

        self.task = run_task(self, _("Create accounts"), work, done)
        self.task.done.connect(lambda: setattr(self, "task", None))
        return self.task

    def show_slips(self, credentials, skipped=()) -> SlipsDialog:  # type: ignore[no-untyped-def]
        dialog = SlipsDialog(self, self._context, credentials, skipped)
        dialog.setModal(True)
        self.slips = dialog

        def finished(_code: int) -> None:
            self.slips = None
            dialog.deleteLater()

        dialog.finished.connect(finished)
        dialog.open()
        return dialog
