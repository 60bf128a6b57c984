"""Data protection on the Learners screen: erasing a learner (with a typed confirmation),
their consent records, and the school's retention rules with a preview (decision 0027)."""

from __future__ import annotations

import unicodedata

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QPushButton,
    QSpinBox,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from digcomp_app.i18n import _, format_date, ngettext
from digcomp_app.services import consent, erasure, retention
from digcomp_app.services.errors import ServiceError
from digcomp_app.services.learners import LearnerSummary
from digcomp_app.ui.context import UiContext
from digcomp_app.ui.screens.accounts.common import ERROR_STYLE, ServiceDialog
from digcomp_app.ui.screens.learners.dialogs import parse_date
from digcomp_app.ui.unsaved import GuardedDialog
from digcomp_app.ui.widgets import record_table


def _norm(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).split()).casefold()


def is_erased(learner: LearnerSummary) -> bool:
    return not learner.given_names and erasure.is_pseudonym(learner.surname)


def shown_name(learner: LearnerSummary) -> str:
    """The learner's name, or "Erased learner #K7Q2-M9XD"."""
    return erasure.erased_name(learner.surname) if is_erased(learner) else learner.full_name


def _form_row(form: QFormLayout, field: QWidget) -> QLabel:
    label = QLabel()
    label.setWordWrap(True)
    label.setBuddy(field)
    form.addRow(label, field)
    return label


class EraseDialog(ServiceDialog):
    """What erasing the learner removes, and a box where their full name must be typed."""

    def __init__(self, context: UiContext, learner: LearnerSummary, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self.learner = learner
        self.preview = erasure.erasure_preview(context.db, context.actor, learner.id)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.PlainText)
        self.confirm_label = QLabel()
        self.confirm_edit = QLineEdit()
        self.confirm_label.setBuddy(self.confirm_edit)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.confirm_label)
        layout.addWidget(self.confirm_edit)
        layout.addWidget(self.error)
        layout.addWidget(self.buttons)
        self.confirm_edit.textChanged.connect(lambda _text: self._update())
        self.retranslate()
        self._update()
        self.setMinimumWidth(480)

    def retranslate(self) -> None:
        p = self.preview
        self.setWindowTitle(_("Erase {name}'s data").format(name=p.full_name))
        counts = [
            ngettext("{count} self-assessment", "{count} self-assessments", p.self_assessments),
            ngettext("{count} case", "{count} cases", p.cases),
            ngettext("{count} evidence item", "{count} evidence items", p.evidence_items),
            ngettext("{count} evidence file", "{count} evidence files", p.evidence_files),
            ngettext("{count} consent record", "{count} consent records", p.consents),
        ]
        text = _(
            "This removes for good everything that identifies {name}: names, learner number, "
            "e-mail, date of birth, groups, mobilities, {counts}, and {account}. It cannot be "
            "undone."
        ).format(
            name=p.full_name,
            counts=", ".join(
                c.format(count=n)
                for c, n in zip(
                    counts,
                    (p.self_assessments, p.cases, p.evidence_items, p.evidence_files, p.consents),
                    strict=True,
                )
            ),
            account=_("their sign-in account") if p.has_account else _("no sign-in account"),
        )
        if p.certificates:
            text += " " + ngettext(
                "The {count} attestation issued stays in the register under a pseudonym: its "
                "code still verifies, and it can still be revoked.",
                "The {count} attestations issued stay in the register under a pseudonym: their "
                "codes still verify, and they can still be revoked.",
                p.certificates,
            ).format(count=p.certificates)
        text += " " + _("Make a data export first if the learner asked for a copy.")
        self.summary.setText(text)
        self.confirm_label.setText(
            _("To confirm, type the learner's full name ({name}):").format(name=p.full_name)
        )
        self.confirm_edit.setAccessibleName(_("The learner's full name, to confirm"))
        self.retranslate_buttons(_("&Erase for good"))

    def _update(self) -> None:
        self.ok_button.setEnabled(
            not self.preview.erased
            and _norm(self.confirm_edit.text()) == _norm(self.preview.full_name)
        )

    def submit(self) -> erasure.ErasureResult:
        return erasure.erase_learner(
            self._context.db, self._context.actor, self.learner.id, self.confirm_edit.text()
        )

    def focus_for(self, problem: ServiceError) -> QWidget | None:
        return self.confirm_edit


class ConsentsDialog(GuardedDialog):
    """One learner's consent records: record a new one, withdraw one. A consent typed but not
    recorded is asked about before the dialog closes (Save records it)."""

    #: its Close is not a Cancel: closing with a consent typed asks too
    own_cancel_drops = False

    def __init__(self, context: UiContext, learner: LearnerSummary, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self.learner = learner
        self.records: list[consent.ConsentInfo] = []
        self.table = record_table(5)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.scope = QComboBox()
        self.given_by = QComboBox()
        self.giver_name = QLineEdit()
        self.given_on = QLineEdit()
        self.record_button = QPushButton()
        self.withdraw_button = QPushButton()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.form = QFormLayout()
        self.labels = {
            field: _form_row(self.form, field)
            for field in (self.scope, self.given_by, self.giver_name, self.given_on)
        }
        row = QHBoxLayout()
        row.addWidget(self.record_button)
        row.addWidget(self.withdraw_button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(self.form)
        layout.addLayout(row)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.record_button.clicked.connect(self.record)
        self.withdraw_button.clicked.connect(self.withdraw)
        self.table.itemSelectionChanged.connect(self._update)
        self.retranslate()
        self.refresh()
        self.resize(640, 420)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Consents of {name}").format(name=self.learner.full_name))
        self.table.setHorizontalHeaderLabels(
            [_("For"), _("Given by"), _("Name"), _("Given on"), _("Withdrawn on")]
        )
        for combo, labels in ((self.scope, consent.SCOPES), (self.given_by, consent.GIVERS)):
            chosen = combo.currentData()
            combo.clear()
            for key in labels:
                combo.addItem(
                    consent.scope_label(key)
                    if labels is consent.SCOPES
                    else consent.giver_label(key),
                    key,
                )
            if chosen is not None:
                combo.setCurrentIndex(combo.findData(chosen))
        for field, text in (
            (self.scope, _("Consent &for:")),
            (self.given_by, _("Given &by:")),
            (self.giver_name, _("&Name of the person:")),
            (self.given_on, _("&Date (empty: today):")),
        ):
            self.labels[field].setText(text)
            field.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.given_on.setPlaceholderText(_("dd.mm.yyyy"))
        self.record_button.setText(_("&Record consent"))
        self.withdraw_button.setText(_("&Withdraw chosen"))
        self.close_button.setText(_("Close"))

    def refresh(self) -> None:
        try:
            self.records = consent.list_consents(
                self._context.db, self._context.actor, self.learner.id
            )
        except ServiceError as problem:
            self.error.setText(str(problem))
            return
        self.table.setRowCount(len(self.records))
        for row, record in enumerate(self.records):
            values = (
                consent.scope_label(record.scope),
                consent.giver_label(record.given_by),
                record.giver_name,
                format_date(record.given_on),
                format_date(record.withdrawn_on) if record.withdrawn_on else "—",
            )
            for column, text in enumerate(values):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, record.id)
                self.table.setItem(row, column, item)
        self._update()

    def chosen(self) -> consent.ConsentInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self.records[rows[0].row()] if rows else None

    def _update(self) -> None:
        record = self.chosen()
        self.withdraw_button.setEnabled(record is not None and record.current)

    # --- unsaved changes (digcomp_app.ui.unsaved) ---------------------------------------

    def has_unsaved_changes(self) -> bool:
        """A name or a date typed and not recorded yet (the two lists alone are no entry)."""
        return self.isVisible() and bool(
            self.giver_name.text().strip() or self.given_on.text().strip()
        )

    def save_changes(self) -> bool:
        return self.record()

    def record(self) -> bool:
        self.error.clear()
        try:
            day = parse_date(self.given_on.text())
        except ValueError:
            self.error.setText(_("Write the date as dd.mm.yyyy."))
            self.given_on.setFocus()
            return False
        try:
            consent.record_consent(
                self._context.db,
                self._context.actor,
                self.learner.id,
                self.scope.currentData(),
                self.given_by.currentData(),
                self.giver_name.text(),
                day,
            )
        except ServiceError as problem:
            self.error.setText(str(problem))
            self.giver_name.setFocus()
            return False
        self.giver_name.clear()
        self.given_on.clear()
        self.refresh()
        return True

    def withdraw(self) -> None:
        record = self.chosen()
        if record is None:
            return
        self.error.clear()
        try:
            consent.withdraw_consent(self._context.db, self._context.actor, record.id)
        except ServiceError as problem:
            self.error.setText(str(problem))
            return
        self.refresh()


def consent_lines(records: list[consent.ConsentInfo]) -> list[str]:
    """The learner's consents for their record, one line each."""
    lines = []
    for record in records:
        if record.current:
            state = _("since {date}").format(date=format_date(record.given_on))
        else:
            state = _("withdrawn {date}").format(date=format_date(record.withdrawn_on))
        lines.append(
            _("{scope} — {giver} ({who}), {state}").format(
                scope=consent.scope_label(record.scope),
                giver=record.giver_name,
                who=consent.giver_label(record.given_by),
                state=state,
            )
        )
    return lines


class RetentionDialog(GuardedDialog):
    """The school's retention rules, a preview of what they remove today, and Apply. Rules
    changed and not saved are asked about before the dialog closes."""

    #: its Close is not a Cancel: closing with rules changed asks too
    own_cancel_drops = False

    def __init__(self, context: UiContext, parent: QWidget) -> None:
        super().__init__(parent)
        self._context = context
        self.plan: retention.RetentionPlan | None = None
        self.result_value: retention.RetentionResult | None = None
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.evidence_years = QSpinBox()
        self.learner_years = QSpinBox()
        for box in (self.evidence_years, self.learner_years):
            box.setRange(0, retention.MAX_YEARS)
        self.form = QFormLayout()
        self.labels = {
            box: _form_row(self.form, box) for box in (self.evidence_years, self.learner_years)
        }
        self.save_button = QPushButton()
        self.preview_button = QPushButton()
        self.apply_button = QPushButton()
        self.apply_button.setEnabled(False)
        self.summary = QLabel()
        self.summary.setWordWrap(True)
        self.items = QListWidget()
        self.error = QLabel()
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        for button in (self.save_button, self.preview_button, self.apply_button):
            row.addWidget(button)
        row.addStretch(1)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        self.close_button = close.button(QDialogButtonBox.StandardButton.Close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addLayout(self.form)
        layout.addLayout(row)
        layout.addWidget(self.summary)
        layout.addWidget(self.items, 1)
        layout.addWidget(self.error)
        layout.addWidget(close)
        self.save_button.clicked.connect(self.save)
        self.preview_button.clicked.connect(self.show_preview)
        self.apply_button.clicked.connect(self.apply)
        try:
            rules = retention.retention_rules(context.db, context.actor)
            self.evidence_years.setValue(rules.evidence_years or 0)
            self.learner_years.setValue(rules.learner_years or 0)
        except ServiceError as problem:
            self.error.setText(str(problem))
        self._stored = self._rules()
        self.retranslate()
        self.resize(640, 480)

    def retranslate(self) -> None:
        self.setWindowTitle(_("Retention rules"))
        self.intro.setText(
            _(
                "How long the school keeps data it no longer needs. Preview shows exactly "
                "what the rules remove today; Apply removes that, for good."
            )
        )
        for box, text in (
            (
                self.evidence_years,
                _("Delete evidence &files this many years after the mobility (or case) ended:"),
            ),
            (self.learner_years, _("Erase &learners this many years after they were deactivated:")),
        ):
            box.setSpecialValueText(_("off"))
            box.setSuffix(" " + _("years"))
            self.labels[box].setText(text)
            box.setAccessibleName(text.replace("&", "").rstrip(":"))
        self.save_button.setText(_("&Save rules"))
        self.preview_button.setText(_("&Preview"))
        self.apply_button.setText(_("&Apply what is listed"))
        self.close_button.setText(_("Close"))

    def _rules(self) -> tuple[int, int]:
        return self.evidence_years.value(), self.learner_years.value()

    # --- unsaved changes (digcomp_app.ui.unsaved) ---------------------------------------

    def has_unsaved_changes(self) -> bool:
        return self.isVisible() and self._rules() != self._stored

    def save_changes(self) -> bool:
        return self.save()

    def save(self) -> bool:
        self.error.clear()
        try:
            retention.set_retention_rules(
                self._context.db,
                self._context.actor,
                self.evidence_years.value() or None,
                self.learner_years.value() or None,
            )
        except ServiceError as problem:
            self.error.setText(str(problem))
            return False
        self._stored = self._rules()
        self.summary.setText(_("The rules were saved."))
        self._show(None)
        return True

    def _show(self, plan: retention.RetentionPlan | None) -> None:
        self.plan = plan
        self.items.clear()
        self.apply_button.setEnabled(plan is not None and not plan.empty)
        if plan is None:
            return
        self.summary.setText(plan.describe())
        for item in plan.files:
            self.items.addItem(
                _("File “{name}” ({title}) of {learner}; ended {date}").format(
                    name=item.file_name,
                    title=item.title,
                    learner=item.learner_name,
                    date=format_date(item.ended_on),
                )
            )
        for due in plan.learners:
            self.items.addItem(
                _("Erase {name}; left {date}").format(
                    name=due.full_name, date=format_date(due.left_on)
                )
            )

    def show_preview(self) -> None:
        self.error.clear()
        if not self.save():
            return
        try:
            self._show(retention.retention_preview(self._context.db, self._context.actor))
        except ServiceError as problem:
            self.error.setText(str(problem))

    def apply(self) -> None:
        if self.plan is None:
            return
        self.error.clear()
        try:
            result = retention.apply_retention(self._context.db, self._context.actor, self.plan)
        except ServiceError as problem:
            self.error.setText(str(problem))
            return
        self.result_value = result
        self._show(None)
        self.summary.setText(result.describe())
