"""What the compliance engine sees of a case: opened records, as_of, what is recorded.

Four adjustments around the engine's single pass (issue 14), each costing
nothing on a case that does not need it:

- **A record that opens part-way** (``record_opened``): the engine is shown
  the history the anchors date, as if it were held — a request on
  ``request_received_on``, a plan made on ``plan_made_on``, a review decided
  on ``last_review_on``, a transfer on ``transferred_on`` — plus the steps the
  state implies but the record does not date (a decision, a draft). Such a
  step carries an :class:`_Undated` date: a deadline it would start is not
  assessed (a note says which anchor would let it run), and one it would meet
  is reported as met before the record opened, date unknown. Nothing earlier
  is assumed.
- **as_of is a point in time**: events dated after it are not seen (the
  report is that of the case truncated there), only counted, and findings
  flag dates that cannot be right.
- **No silent clock**: a refusal the LA reverses without a new request keeps
  the 20-week clock from the original request (reg. 13(2)); in
  ``awaiting_decision``, ``assessing`` and ``draft_issued`` a clock that does
  not run says why.
- **What the source system records** (``recorded=``): a deadline whose
  meeting event the system never records is ``not_recorded``, not overdue.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from sendflow.calendar import birthday_in_year
from sendflow.rules._registry import nearest_version
from sendflow.workflows import BaseEvent
from sendflow.workflows.assessment import (
    AssessmentDecision,
    DraftPlanIssued,
    FinalPlanIssued,
    NoPlanNoticeSent,
    RequestReceived,
)
from sendflow.workflows.opening import PLAN_OPEN_STATES, RecordOpened
from sendflow.workflows.review import PlanTransferred, ReviewDecision, ReviewMeetingHeld

if TYPE_CHECKING:
    from sendflow.case import Case
    from sendflow.compliance import Deadline, Finding

__all__: list[str] = []


class _Undated(date):
    """A stand-in date for a step a record implies but does not date.

    It orders the step among the others; every deadline it would start or
    meet is recognised by this type and reported without the made-up date.
    """

    __slots__ = ()


def _undated(d: date) -> _Undated:
    return _Undated(d.year, d.month, d.day)


def is_undated(d: date | None) -> bool:
    """Whether ``d`` stands in for a date the record does not hold."""
    return type(d) is _Undated


# ------------------------------------------------------------------ opening
#: A step of the history an opening implies: the event class, its fields, its
#: date (None: implied, not dated), the main-line state after it, and whether
#: it is kept even when nothing before it is dated (the plan itself: the
#: plan's clocks need it to exist).
_Step = tuple[type[BaseEvent], dict[str, Any], date | None, str, bool]


def _steps(opening: RecordOpened) -> list[_Step]:
    state = opening.state
    steps: list[_Step] = []
    last_review = opening.last_review_on
    transferred = opening.transferred_on

    def review(on: date) -> None:
        # The LA's decision on the last review; its meeting (before it) is not dated.
        steps.append((ReviewMeetingHeld, {}, None, "under_review", False))
        steps.append((ReviewDecision, {"outcome": "maintain"}, on, "plan_maintained", True))

    if transferred is not None:
        # The new LA's record: the plan's making and any earlier review travel on
        # the transfer (reg. 15(5) reads them); the old LA's cycles are not this
        # record's history.
        before = last_review if last_review is not None and last_review < transferred else None
        fields: dict[str, Any] = {"plan_made_on": opening.plan_made_on,
                                  "last_reviewed_on": before}
        steps.append((PlanTransferred, fields, transferred, "plan_maintained", True))
        if last_review is not None and before is None:
            review(last_review)
        return steps
    steps.append((RequestReceived, {"made_by": opening.request_made_by or "other"},
                  opening.request_received_on,
                  "awaiting_decision", False))
    if state == "awaiting_decision":
        return steps
    outcome = "refuse" if state == "assessment_refused" else "assess"
    after = "assessment_refused" if outcome == "refuse" else "assessing"
    steps.append((AssessmentDecision, {"outcome": outcome}, opening.decision_on, after, False))
    if state == "plan_refused":
        steps.append((NoPlanNoticeSent, {}, None, "plan_refused", False))
    elif state == "draft_issued":
        steps.append((DraftPlanIssued, {}, None, "draft_issued", False))
    elif state in PLAN_OPEN_STATES:
        steps.append((FinalPlanIssued, {}, opening.plan_made_on, "plan_issued", True))
        if last_review is not None:
            review(last_review)
    return steps


def opened_history(opening: RecordOpened) -> tuple[tuple[BaseEvent, ...], tuple[str, ...]]:
    """The events an opening stands for, in order, and the main-line state after each.

    Steps before the first dated one are left out (nothing is assumed), except
    the plan itself; a kept step without a date gets an :class:`_Undated` date:
    the first later anchor's, or the opening day.
    """
    steps = _steps(opening)
    first = next((i for i, s in enumerate(steps) if s[2] is not None), len(steps))
    events: list[BaseEvent] = []
    states: list[str] = []
    for i, (cls, fields, on, state, required) in enumerate(steps):
        if on is None:
            if i < first and not required:
                continue
            later = next((s[2] for s in steps[i + 1:] if s[2] is not None), opening.on)
            on = _undated(later)
        # Built without validation: every field is valid by construction, and
        # validation would turn an _Undated date into a plain one.
        events.append(cls.model_construct(on=on, **fields))
        states.append(state)
    return tuple(events), tuple(states)


#: Which anchor would date the start of a rule's clock (for the notes).
_ANCHOR_HINTS: tuple[tuple[str, str], ...] = (
    ("assessment.draft_representations", "record the draft_plan_issued event with its date"),
    ("assessment.", "give request_received_on"),
    ("plan.", "give request_received_on"),
    ("review.", "give plan_made_on or last_review_on"),
    ("la_transfer.", "give transferred_on"),
)


#: Clocks a review completes: with only the LA's decision on the last review
#: recorded, the review is taken as completed that day.
_REVIEW_CLOCKS = frozenset({"review.annual", "review.after_reassessment", "la_transfer.review"})


def _plain(d: date) -> date:
    return date(d.year, d.month, d.day)


def _join(first: str | None, then: str) -> str:
    return then if not first else f"{first} {then}"


def _hint(rule_id: str) -> str:
    for prefix, hint in _ANCHOR_HINTS:
        if rule_id.startswith(prefix):
            return f" ({hint})"
    return ""


def settle_opened(
    deadlines: list[Deadline],
    findings: list[Finding],
    opening: RecordOpened,
    offset: int,
    note_deadline: Callable[[str, str], Deadline | None],
) -> tuple[list[Deadline], list[Finding]]:
    """Report an opened record's deadlines without the dates it does not hold.

    ``offset`` is the number of events the opening stood for (the engine saw
    them before the case's own); finding indexes are mapped back to the case's.
    """
    from sendflow.compliance import Status

    on = opening.on
    opened = format_day(on)
    last_review = opening.last_review_on
    out: list[Deadline] = []
    unjudged: set[str] = set()
    for d in deadlines:
        if (last_review is not None and d.start_event == "final_plan_issued"
                and d.rule_id.startswith("review.")):
            continue  # cycles between the plan's making and the last review: not held
        if is_undated(d.started_on):
            if (d.rule_id in _REVIEW_CLOCKS and last_review is not None
                    and d.started_on == last_review and d.start_event == "review_meeting_held"):
                # The record holds the last review's decision, not its meeting.
                d = d.model_copy(update={
                    "started_on": last_review,
                    "due": None if d.due is None else _plain(d.due),
                    "start_event": "last_review_on",
                    "note": _join(d.note, "Runs from the last review, taken as completed on the "
                                          "LA's decision (last_review_on); the record does not "
                                          "hold the meeting's date."),
                })
            else:
                unjudged.add(d.rule_id)
                met = d.met_on
                if met is not None and met <= on:
                    continue  # begun and done before the record opened
                if met is None and d.due is not None and d.due < on:
                    continue  # fell due before the record opened, from a day it does not hold
                if met is None and d.status is Status.NOT_APPLICABLE:
                    continue  # off the path (closed, or a right that lapsed)
                note = (f"This clock started before the record opened on {opened}, on a day "
                        f"the record does not hold{_hint(d.rule_id)}: it is not assessed.")
                replaced = note_deadline(d.rule_id, note)
                if replaced is not None:
                    out.append(replaced.model_copy(update={"key": d.key}))
                continue
        if is_undated(d.met_on):
            assert d.met_on is not None
            by = _plain(d.met_on)
            if d.due is not None and by <= d.due:
                out.append(d.model_copy(update={
                    "status": Status.MET, "met_on": None, "exception": None,
                    "note": _join(d.note, f"Met by {format_day(by)} at the latest: done before "
                                          "the record opened, on a day it does not hold."),
                }))
            else:
                out.append(d.model_copy(update={
                    "status": Status.NOT_APPLICABLE, "met_on": None, "exception": None,
                    "note": _join(d.note, f"Done before the record opened on {opened}, on a day "
                                          "the record does not hold, so whether it was in time "
                                          "is not assessed."),
                }))
            continue
        out.append(d)
    kept: list[Finding] = []
    for f in findings:
        if f.rule_id is not None and f.rule_id in unjudged:
            continue  # about a clock whose start the record does not date
        if f.event_index is not None:
            if f.event_index < offset:
                continue  # about a step the record only implies
            f = f.model_copy(update={"event_index": f.event_index - offset})
        kept.append(f)
    if opening.state not in PLAN_OPEN_STATES and opening.request_received_on is None:
        have = {d.rule_id for d in out}
        note = (f"The record opened on {opened} in state '{opening.state}' without "
                "request_received_on: this limit runs from the request, which the record "
                "does not date, so it is not assessed.")
        wanted = ["assessment.final_plan"]
        if opening.state == "awaiting_decision":
            wanted.insert(0, "assessment.decision")
        if opening.state in ("awaiting_decision", "assessing"):
            wanted.append("assessment.no_plan_notice")
        for rule_id in wanted:
            if rule_id not in have:
                made = note_deadline(rule_id, note)
                if made is not None:
                    out.append(made)
    return out, kept


def format_day(d: date) -> str:
    """A date as explanations write it (``Mon 5 Jan 2026``)."""
    from sendflow.compliance import format_date

    return format_date(_plain(d))


# -------------------------------------------------------------- point in time
def seen_as_of(case: Case, as_of: date) -> tuple[Case, int] | None:
    """The case as known on ``as_of`` and how many events were left out, or
    None when every event is dated on or before ``as_of`` (no work done then).

    The events dated on or before ``as_of``; if they do not make a valid
    history (a retrospective event recorded after a later one), the events
    before the first one dated after ``as_of``.
    """
    from sendflow.case import Case as CaseModel
    from sendflow.errors import SendflowError

    events = case.events
    if not events:
        return None
    private = case.__pydantic_private__
    last = private.get("_last_on") if private else None
    if last is None:
        last = max(e.on for e in events if not e.retrospective) if any(
            not e.retrospective for e in events) else None
    if (last is None or last <= as_of) and not any(
        e.retrospective and e.on > as_of for e in events
    ):
        return None
    seen = tuple(e for e in events if e.on <= as_of)
    try:
        truncated = CaseModel(reference=case.reference, responsible_la=case.responsible_la,
                              child=case.child, events=seen)
    except (SendflowError, ValueError):
        cut = next(i for i, e in enumerate(events) if e.on > as_of)
        seen = events[:cut]
        truncated = CaseModel(reference=case.reference, responsible_la=case.responsible_la,
                              child=case.child, events=seen)
    return truncated, len(events) - len(seen)


def _birthday(dob: date, years: int) -> date:
    """The ``years``-th anniversary of ``dob`` (a 29 February one falls on 1 March in a
    common year: :func:`sendflow.calendar.birthday_in_year`)."""
    return birthday_in_year(dob, dob.year + years)


def _outer_limit(dob: date) -> int:
    """The age in years after whose birthday no plan can be maintained: ``ceasing.age_25``'s
    ``ages.outer_limit`` (26: reg. 46(1)(b)-(c) end a plan at the latest the day before the
    26th birthday; CFA 2014 s. 46), in the version :func:`sendflow.lifecycle.plan_latest_end`
    reads for ``dob``."""
    return nearest_version("ceasing.age_25", dob).age("outer_limit")


def date_findings(case: Case, as_of: date, after: int) -> list[Finding]:
    """Findings on event dates that cannot be right: more than a year after
    ``as_of`` (a data-quality horizon, not a statutory number), after the birthday of
    ``ceasing.age_25``'s outer limit (the 26th), before birth (no values in messages)."""
    from sendflow.compliance import Finding

    out: list[Finding] = []
    events = case.events
    if after:
        horizon = _birthday(as_of, 1)
        for index, e in enumerate(events):
            if e.on > horizon:
                out.append(Finding(
                    code="event_far_after_as_of",
                    message="event dated more than a year after the report's as_of date: "
                            "likely a mistyped date (it is not used in this report)",
                    event_index=index, on=e.on))
    child = case.child
    if child is not None and events:
        dob = child.date_of_birth
        last_day = _birthday(dob, _outer_limit(dob))
        first = min(e.on for e in events)
        latest = max(e.on for e in events)
        if first < dob or latest > last_day:
            for index, e in enumerate(events):
                if e.on < dob:
                    out.append(Finding(
                        code="event_before_birth",
                        message="event dated before the child's date of birth",
                        event_index=index, on=e.on))
                elif e.on > last_day:
                    out.append(Finding(
                        code="event_after_26th_birthday",
                        message="event dated after the birthday past which no EHC plan "
                                "can be maintained (the outer limit of ceasing.age_25: "
                                "CFA 2014 s. 46, reg. 46(1))",
                        event_index=index, on=e.on))
    return out


def odd_dates_of(dob: date, first: date, last: date | None) -> bool:
    """Whether a case whose events run from ``first`` to ``last`` has one dated before
    the birth on ``dob`` or after the birthday of ``ceasing.age_25``'s outer limit (the
    26th; cheap: a year test first)."""
    if first < dob:
        return True
    if last is None:
        return False
    outer = _outer_limit(dob)
    return last.year - dob.year >= outer and last > _birthday(dob, outer)


def has_refusal(private: dict[str, Any] | None) -> bool:
    """Whether a case's main line passed a refusal (so a reversal may follow): read
    from the case's private store; True when the store is missing (then look)."""
    trail = private.get("_trail") if private else None
    if trail is None:
        return True
    return "assessment_refused" in trail or "plan_refused" in trail


# ----------------------------------------------------------- no silent clock
def reconsidered(case: Case) -> list[tuple[int, int]]:
    """Refusals the LA reversed without a new request: (refusal index, reversal index).

    A refusal to assess followed by a decision to assess (state
    ``assessment_refused`` then ``assessing``), or a notice that no plan will
    be made followed by a draft plan (``plan_refused`` then ``draft_issued``).
    """
    private = case.__pydantic_private__
    trail = private.get("_trail") if private else None
    if trail is None or len(trail) != len(case.events):
        trail = case.main_states()
    if "assessment_refused" not in trail and "plan_refused" not in trail:
        return []
    out: list[tuple[int, int]] = []
    refused: int | None = None
    for i, state in enumerate(trail):
        if state in ("assessment_refused", "plan_refused"):
            refused = i if refused is None or trail[refused] != state else refused
        elif refused is not None:
            before = trail[refused]
            if (before, state) in (("assessment_refused", "assessing"),
                                   ("plan_refused", "draft_issued")):
                out.append((refused, i))
            refused = None
    return out


#: The clocks a main-line state must show: running, or with a note saying why not.
EXPECTED_CLOCKS: dict[str, tuple[str, ...]] = {
    "awaiting_decision": ("assessment.decision", "assessment.final_plan"),
    "assessing": ("assessment.final_plan",),
    "draft_issued": ("assessment.final_plan",),
}


def silent_clock_note(case: Case, rule_id: str) -> str:
    """Why ``rule_id`` has no running clock in the case's current state."""
    trail = case.main_states()
    if "moved_before_plan" in trail:
        return ("The family moved before a plan was made and the LA took the case on: the "
                "time limits run from the day this LA became responsible for the child "
                "(CFA 2014 s. 24; SEND Regulations 2014 regs 5(1), 13(2)), which the case "
                "does not record. Record it as la_became_responsible on that day.")
    return ("No clock for this limit is running on this case's path (no request the "
            "decision answers is recorded since the last refusal, withdrawal or notice): "
            "record the request (request_received) or the day this LA became responsible "
            "(la_became_responsible).")


# ------------------------------------------------------------------ recorded
def met_types(deadline: Deadline) -> frozenset[str]:
    """The event types that meet ``deadline``'s rule (its clock's ``met_by``)."""
    rule = deadline.rule
    if rule is None:
        return frozenset()
    return frozenset(m.event for m in rule.clock.met_by)


def mark_not_recorded(
    deadlines: Iterable[Deadline], recorded: frozenset[str]
) -> list[Deadline]:
    """Deadlines whose meeting event the system does not record become ``not_recorded``."""
    from sendflow.compliance import Status

    judged = {Status.PENDING, Status.OVERDUE, Status.MISSED, Status.DISAPPLIED}
    out: list[Deadline] = []
    for d in deadlines:
        if d.due is not None and d.status in judged:
            types = met_types(d)
            if types and types.isdisjoint(recorded):
                needed = " or ".join(sorted(types))
                note = (f"Not recorded: the source system does not record {needed}, the event "
                        "that meets this deadline, so it cannot be judged from these records.")
                if d.note:
                    note = f"{d.note} {note}"
                d = d.model_copy(update={"status": Status.NOT_RECORDED, "met_on": None,
                                         "exception": None, "note": note})
        out.append(d)
    return out
