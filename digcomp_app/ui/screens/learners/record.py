"""One learner's record as rich text (the learners tab's right-hand side)."""

from __future__ import annotations

from collections.abc import Sequence

from digcomp_app.i18n import _
from digcomp_app.services.learners import LearnerRecord
from digcomp_app.ui.screens.learners.dialogs import birth_text
from digcomp_app.ui.screens.learners.privacy import is_erased, shown_name


def record_html(record: LearnerRecord, consents: Sequence[str] = ()) -> str:
    """One learner's record as a few lines of rich text."""
    from html import escape

    learner = record.learner
    past = [name for name in record.past_groups if name not in record.groups]
    rows = [
        (_("Learner number"), learner.learner_number or "—"),
        (_("Groups"), ", ".join(record.groups) or _("none")),
        (_("Earlier groups"), ", ".join(past) or _("none")),
        (_("E-mail"), record.email or "—"),
    ]
    if learner.date_of_birth is not None:
        rows.append((_("Date of birth"), birth_text(learner.date_of_birth)))
    rows += [
        (_("User name"), record.username or _("no account")),
        (_("Active"), _("yes") if learner.active else _("no, deactivated")),
        (_("Cases"), str(len(record.case_ids))),
        (_("Self-assessments"), str(len(record.self_assessment_ids))),
        (_("Mobilities"), str(len(record.mobility_ids))),
        (_("Certificates"), ", ".join(record.certificate_serials) or _("none")),
    ]
    if not is_erased(learner):
        rows.append((_("Consents"), "; ".join(consents) or _("none recorded")))
    lines = "".join(f"<p><b>{escape(k)}:</b> {escape(v)}</p>" for k, v in rows)
    return f"<h3>{escape(shown_name(learner))}</h3>{lines}"
