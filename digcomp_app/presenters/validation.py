"""The case panel's rules: which case is shown first, what moves a case allows, what the
panel says about it (``ui/screens/validation/case_panel.py`` shows it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from digcomp_app.i18n import _
from digcomp_app.services.validation import STAGE_NAMES, STAGES, CaseInfo

#: the steps of the path shown on the case panel (a certified case shows the last one)
STEPS = ("identification", "documentation", "assessment", "certification")
#: the stages a teacher moves on from with the advance button
ADVANCING = ("identification", "documentation", "assessment")
#: the pages of the case panel, one per step
PAGES = STEPS


def stage_name(stage: str) -> str:
    return _(STAGE_NAMES[stage])


def advance_text(stage: str) -> str:
    """The label of the button that moves a case on from ``stage``."""
    if stage == "assessment":
        return _("Sen&d to certification ▶")
    if stage in ("identification", "documentation"):
        following = STAGES[STAGES.index(stage) + 1]
        return _("&Advance to {stage} ▶").format(stage=stage_name(following))
    return _("&Advance ▶")


def step_of(stage: str) -> str:
    """The step shown for a case at ``stage`` (a certified case shows certification)."""
    return stage if stage in STEPS else STEPS[-1]


def previous_stage(stage: str) -> str:
    """The stage a case goes back to from ``stage`` (the first stays where it is)."""
    index = STAGES.index(stage)
    return STAGES[index - 1] if index > 0 else stage


@dataclass(frozen=True, slots=True)
class Moves:
    """The buttons that move a case, for the case shown (or none)."""

    can_go_back: bool
    can_advance: bool
    advance_text: str
    advance_tip: str

    @property
    def advance_name(self) -> str:
        """The advance button's accessible name: its text without the mnemonic."""
        return self.advance_text.replace("&", "")


def moves(case: CaseInfo | None) -> Moves:
    """Back a stage from documentation on, until certified; advance up to assessment; only
    issuing the certificate completes certification."""
    stage = case.stage if case is not None else ""
    return Moves(
        can_go_back=stage not in ("", "identification", "certified"),
        can_advance=stage in ADVANCING,
        advance_text=advance_text(stage),
        advance_tip=(
            _("Only issuing the certificate completes the certification stage.")
            if stage in ("certification", "certified")
            else ""
        ),
    )


def first_case(cases: Sequence[CaseInfo], mobility_hint: int | None) -> int | None:
    """The case shown when a learner is chosen: an open case of the mobility the learner
    was found through, else their first open case, else their latest case."""
    open_cases = [c for c in cases if c.stage != "certified"]
    hinted = [c for c in open_cases if c.mobility_id == mobility_hint]
    picks = hinted or open_cases or list(cases[-1:])
    return picks[0].id if picks else None


def case_text(case: CaseInfo, mobility_title: Callable[[int | None], str]) -> str:
    """A case in the case list: number, mobility and stage."""
    return _("No. {id} · {mobility} · {stage}").format(
        id=case.id, mobility=mobility_title(case.mobility_id), stage=stage_name(case.stage)
    )


def no_mobility_title(mobility_id: int | None) -> str:
    """What the case list says for a case without a mobility, or one no longer found."""
    if mobility_id is None:
        return _("without a mobility")
    return _("mobility no. {id}").format(id=mobility_id)


@dataclass(frozen=True, slots=True)
class Panel:
    """What the panel shows around the case: which controls, its title and its note."""

    title: str
    note: str
    shows_case_list: bool
    offers_new_case: bool
    offers_first_case: bool
    offers_report: bool
    shows_case: bool


def panel(learner_name: str | None, cases: Sequence[CaseInfo], case: CaseInfo | None) -> Panel:
    """``learner_name`` None: no learner is chosen yet."""
    has_learner = learner_name is not None
    if learner_name is None:
        title = _("Validation cases")
        note = _(
            "Choose a learner on the left, or type part of a name in Find a learner, "
            "to see their validation case."
        )
    else:
        title = learner_name
        note = _(
            "{name} has no validation case yet. Open one to start at identification; "
            "the targets are taken from the learner's latest self-assessment."
        ).format(name=learner_name)
    return Panel(
        title=title,
        note=note,
        shows_case_list=bool(cases),
        offers_new_case=has_learner and bool(cases),
        offers_first_case=has_learner and not cases,
        offers_report=has_learner,
        shows_case=case is not None,
    )


def unsaved_before_advance(stage: str, unsaved: Sequence[str]) -> str:
    """Why the case cannot move on yet ("" when it can): assessments changed and not
    saved, at the assessment stage."""
    if stage != "assessment" or not unsaved:
        return ""
    return _(
        "Save or revert the assessments you changed first: {ids}. Then send the "
        "case to certification."
    ).format(ids=", ".join(unsaved))


def moved_text(moved: CaseInfo, forward: bool) -> str:
    """What is said once a case moved on (``forward``) or back."""
    if not forward:
        return _("The case went back to {stage}.").format(stage=stage_name(moved.stage))
    if moved.stage == "certification":
        return _(
            "Sent to certification. The coordinator can now issue the certificate for {name}."
        ).format(name=moved.learner_name)
    return _("The case moved on to {stage}.").format(stage=stage_name(moved.stage))


def pages_to_load(pages: Sequence[str] | None) -> frozenset[str]:
    """The pages loaded when a case is shown: the named ones, all when None."""
    wanted = frozenset(PAGES if pages is None else pages)
    unknown = wanted - set(PAGES)
    if unknown:
        raise ValueError(f"no such page: {', '.join(sorted(unknown))}")
    return wanted


def report_intro(learner_name: str, mobility_title: str | None) -> str:
    """The profile report dialog's introduction; ``mobility_title`` None: all the
    learner's results (no case shown)."""
    intro = _(
        "The profile report shows {name}'s self-assessment results with the chart, the "
        "comparison before and after, and the learner's own rating beside the level "
        "assessed."
    ).format(name=learner_name)
    if mobility_title is not None:
        intro += " " + _("It covers the mobility {mobility}.").format(mobility=mobility_title)
    return intro + " " + _("Choose its language and where to save it.")
