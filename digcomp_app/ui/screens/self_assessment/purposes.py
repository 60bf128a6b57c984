"""What a self-assessment is for: before or after one of the learner's mobilities, or other.

Plain helpers (no widgets), shared by the self-assessment and results screens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from digcomp_app.framework import Framework
from digcomp_app.i18n import _, current_language, format_date, language_name
from digcomp_app.services.mobilities import MobilityInfo
from digcomp_app.services.self_assessment import SelfAssessmentInfo


@dataclass(frozen=True)
class Purpose:
    mobility: MobilityInfo | None
    moment: str  # "before", "after" or "other"

    @property
    def mobility_id(self) -> int | None:
        return self.mobility.id if self.mobility is not None else None

    @property
    def key(self) -> tuple[int | None, str]:
        return (self.mobility_id, self.moment)

    def label(self) -> str:
        if self.mobility is None:
            if self.moment == "before":
                return _("Before a mobility")
            if self.moment == "after":
                return _("After a mobility")
            return _("Not for a mobility (other purpose)")
        values = {"title": self.mobility.title, "dates": mobility_dates(self.mobility)}
        if self.moment == "before":
            return _("Before the mobility “{title}” ({dates})").format(**values)
        return _("After the mobility “{title}” ({dates})").format(**values)


def mobility_dates(mobility: MobilityInfo) -> str:
    return f"{format_date(mobility.start_date)} – {format_date(mobility.end_date)}"


def purposes_for(mobilities: Iterable[MobilityInfo]) -> list[Purpose]:
    """Before and after each mobility, then "other"."""
    found = [Purpose(m, moment) for m in mobilities for moment in ("before", "after")]
    found.append(Purpose(None, "other"))
    return found


def purpose_of(info: SelfAssessmentInfo, mobilities: Sequence[MobilityInfo]) -> Purpose:
    mobility = next((m for m in mobilities if m.id == info.mobility_id), None)
    return Purpose(mobility, info.moment)


def framework_name(framework: Framework) -> str:
    """The short name, e.g. "DigComp 3.0" (the title up to its colon); "DigComp 2.2
    (English)" when the framework has no texts in the interface's language and shows
    another language's."""
    language = current_language()
    title, shown = framework.title.resolve(language)
    name = title.split(":", 1)[0].strip() or framework.label
    if shown != language:
        name = f"{name} ({language_name(shown, language)})"
    return name


def local_date(value: dt.datetime) -> dt.date:
    """The day a stored (UTC) time falls on here."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone().date()


def assessment_date(info: SelfAssessmentInfo) -> str:
    return format_date(local_date(info.completed_at or info.started_at))


def suggested_purpose(
    purposes: Sequence[Purpose], history: Sequence[SelfAssessmentInfo], today: dt.date
) -> tuple[Purpose, SelfAssessmentInfo | None]:
    """What to offer first: the newest unfinished self-assessment; else the first mobility
    still missing its "before" (or, once it has begun, its "after"); else "other"."""
    unfinished = [h for h in history if h.completed_at is None]
    if unfinished:
        latest = max(unfinished, key=lambda h: (h.started_at, h.id))
        match = next((p for p in purposes if p.key == (latest.mobility_id, latest.moment)), None)
        if match is not None:
            return match, latest
    done = {(h.mobility_id, h.moment) for h in history if h.completed_at is not None}
    for purpose in purposes:
        mobility = purpose.mobility
        if mobility is None or purpose.key in done:
            continue
        if purpose.moment == "before" or mobility.start_date <= today:
            return purpose, None
    return purposes[-1], None
