"""Evaluators and findings for the review of an EHC plan (``rules/data/review.toml``).

``review_annual``              CFA s. 44(1): at least every 12 months
``review_after_reassessment``  reg. 27(4): the first review after a re-assessment
``review_early_years``         Code of Practice: every 3 to 6 months under 5

Finding: ``review_without_invitations`` (regs 20(3), 21(3)). ``review_annual`` and
``review_early_years`` run through fast paths; the plain functions are the reference
(tests/property/test_engine_reference.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import date
from typing import NamedTuple

from sendflow import calendar
from sendflow._readings_law import DECISION_NOTICES, completes_review
from sendflow.compliance._build import build_deadline, new_finding
from sendflow.compliance._compiled import Parts, due_on, parts_for, parts_on, spans_of
from sendflow.compliance._context import EvaluationContext, Evaluator, Hook
from sendflow.compliance._report import Deadline, Finding
from sendflow.compliance.evaluators._common import (
    _fmt,
    _is,
    _next_review,
    _plan_periods,
    _version,
)
from sendflow.compliance.evaluators._made import remember
from sendflow.rules import Period, Rule
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent

__all__ = ["EVALUATORS", "FINDINGS", "NEEDS", "READS"]


# ------------------------------------------------------------ review.annual
class Started(NamedTuple):
    """A review period running: the day it started from and the event that started it."""

    on: date
    event: str


def review_annual(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """CFA s. 44(1): 12 months beginning with the plan's making, then with each review.

    What completes a review is the reading ``review.completed_by``: by default the
    LA's decision notice after the meeting (``review_decision``, or an amendment or
    cease notice after a meeting in the same cycle), else the meeting itself
    (:func:`sendflow._readings_law.completes_review`). The completing event meets the
    running instance and starts the next. A plan re-issued after a
    re-assessment hands the next review to ``review.after_reassessment`` (reg.
    27(4)); a transfer to another LA hands it to ``la_transfer.review`` (reg.
    15(5)); in both cases this rule resumes from the next review meeting. An
    amended plan does not restart the clock.
    """
    out: list[Deadline] = []
    open_: Started | None = None
    has_plan = False
    reassessing = False
    reading = ctx.reading("review.completed_by")
    meeting_since = False  # a review meeting since the last completed review

    def emit(met_on: date | None, closed: bool, note: str | None = None) -> None:
        assert open_ is not None
        start, start_event = open_
        rule = _version(hist, start)
        if rule is None:
            return
        due = rule.period.due(start, holidays=ctx.holidays)
        out.append(ctx.make(rule, due=due, started_on=start, start_event=start_event,
                            met_on=met_on, closed=closed, history=hist, note=note))

    def due_of(start: date) -> date:
        rule = _version(hist, start) or hist.versions[-1]
        return rule.period.due(start, holidays=ctx.holidays)

    for e in ctx.events:
        completes = has_plan and completes_review(
            e.type, reading=reading, meeting_since_last=meeting_since
        )
        if e.type == "review_meeting_held":
            meeting_since = True
        if _is(e, "reassessment_decision", outcome="assess"):
            reassessing = True
        elif e.type == "final_plan_issued":
            if not has_plan:
                has_plan = True
                open_ = Started(e.on, e.type)
            elif reassessing:
                if open_ is not None:
                    emit(None, e.on <= due_of(open_.on),
                         "Superseded by review.after_reassessment: the plan was re-issued "
                         "after a re-assessment (SEND Regulations 2014 reg. 27(4)).")
                open_ = None
            reassessing = False
        elif e.type == "plan_transferred":
            if not has_plan:
                has_plan = True
            elif open_ is not None and e.on <= due_of(open_.on):
                emit(None, True, "Superseded by la_transfer.review: the plan moved to another "
                     "local authority (SEND Regulations 2014 reg. 15(5)).")
                open_ = None
        elif completes:
            if open_ is not None:
                emit(e.on, False)
            open_ = Started(e.on, e.type)
            meeting_since = False
        elif e.type == "plan_ceased" and has_plan:
            if open_ is not None:
                emit(None, e.on <= due_of(open_.on))
            open_ = None
            has_plan = False
    if open_ is not None:
        emit(None, False)
    return out


#: The event types besides ``final_plan_issued`` that review_annual's pass reacts to.
#: A case with none of them has one instance, from its first plan, neither met nor
#: closed (the fast path; review_annual is the plain one, tests/property/
#: test_engine_reference.py holds them equal).
_ANNUAL_REACTS = frozenset(
    {"review_meeting_held", "reassessment_decision", "plan_transferred", "plan_ceased"}
) | DECISION_NOTICES
#: Every event type review_annual's pass can act on: an event of any other type changes
#: nothing there (it neither completes a review nor starts, moves or ends a plan).
_ANNUAL_ACTS = _ANNUAL_REACTS | {"final_plan_issued"}

_SUPERSEDED_REASSESSMENT = (
    "Superseded by review.after_reassessment: the plan was re-issued after a "
    "re-assessment (SEND Regulations 2014 reg. 27(4))."
)
_SUPERSEDED_TRANSFER = (
    "Superseded by la_transfer.review: the plan moved to another local authority "
    "(SEND Regulations 2014 reg. 15(5))."
)


def _review_annual_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """review_annual, in one step for a case none of whose events can meet or move it,
    else by :func:`_review_annual_pass`.

    The one step's deadline depends only on the history, the first plan's issue and the
    report's date (with the default holiday table and no exception recorded), so it is
    made once for those and handed out again (:data:`_ANNUAL_MADE`);
    tests/unit/test_lifecycle_made.py holds it equal to :func:`review_annual`."""
    types = ctx.event_types
    if not types:
        return review_annual(hist, ctx)
    if not types.isdisjoint(_ANNUAL_REACTS):
        return _review_annual_pass(hist, ctx)
    for e in ctx.events:
        if e.type == "final_plan_issued":
            if ctx.holidays is None and not ctx.exceptions:
                hit = _ANNUAL_MADE.get((e.on, ctx.as_of))
                if hit is not None and hit[0] is hist:
                    return [hit[1]]
            parts = parts_on(hist, spans_of(hist), e.on)  # hist.on and parts_for
            if parts is None:
                return []
            due = due_on(parts.rule.period, e.on, ctx.holidays)
            made = build_deadline(ctx, parts, due, e.on, e.type, None, False, None, hist)
            if ctx.holidays is None and not ctx.exceptions:
                remember(_ANNUAL_MADE, (e.on, ctx.as_of), hist, made)
            return [made]
    return []


#: review.annual's one-step deadlines, finished, by the first plan's issue and the
#: report's date (two bare dates: nothing about the person), for the default holiday
#: table and no recorded exception, when nothing else decides the deadline (see
#: :func:`_review_annual_fast`). An entry serves only the very history it was made for.
#: Emptied by :func:`clear` (sendflow.compliance._plan.clear_caches).
_ANNUAL_MADE: dict[tuple[date, date], tuple[object, Deadline]] = {}


def _review_annual_pass(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """:func:`review_annual`'s pass, step for step, over only the events it acts on
    (:data:`_ANNUAL_ACTS`), with :func:`completes_review` written out and each due date
    counted once a caseload (:func:`~sendflow.compliance._compiled.due_on`)."""
    out: list[Deadline] = []
    open_: Started | None = None
    has_plan = False
    reassessing = False
    by_meeting = ctx.reading("review.completed_by") == "meeting"
    meeting_since = False  # a review meeting since the last completed review
    holidays = ctx.holidays
    acts = _ANNUAL_ACTS
    notices = DECISION_NOTICES

    spans = spans_of(hist)  # hist.on and parts_for in one step

    def emit(met_on: date | None, closed: bool, note: str | None = None) -> None:
        assert open_ is not None
        start, start_event = open_
        parts = parts_on(hist, spans, start)
        if parts is None:
            return
        rule = parts.rule
        due = due_on(rule.period, start, holidays)
        out.append(build_deadline(ctx, parts, due, start, start_event, met_on, closed, None,
                                  hist, note))

    def due_of(start: date) -> date:
        rule = hist.on(start) or hist.versions[-1]
        return due_on(rule.period, start, holidays)

    for e in ctx.events:
        type_ = e.type
        if type_ not in acts:
            continue
        # completes_review (sendflow._readings_law), written out
        if not has_plan:
            completes = False
        elif by_meeting:
            completes = type_ == "review_meeting_held"
        else:
            completes = type_ == "review_decision" or (meeting_since and type_ in notices)
        if type_ == "review_meeting_held":
            meeting_since = True
        if type_ == "reassessment_decision" and _is(e, type_, outcome="assess"):
            reassessing = True
        elif type_ == "final_plan_issued":
            if not has_plan:
                has_plan = True
                open_ = Started(e.on, type_)
            elif reassessing:
                if open_ is not None:
                    emit(None, e.on <= due_of(open_.on), _SUPERSEDED_REASSESSMENT)
                open_ = None
            reassessing = False
        elif type_ == "plan_transferred":
            if not has_plan:
                has_plan = True
            elif open_ is not None and e.on <= due_of(open_.on):
                emit(None, True, _SUPERSEDED_TRANSFER)
                open_ = None
        elif completes:
            if open_ is not None:
                emit(e.on, False)
            open_ = Started(e.on, type_)
            meeting_since = False
        elif type_ == "plan_ceased" and has_plan:
            if open_ is not None:
                emit(None, e.on <= due_of(open_.on))
            open_ = None
            has_plan = False
    if open_ is not None:
        emit(None, False)
    return out


def review_after_reassessment(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Reg. 27(4)(a): the first review within 12 months of a plan issued after a re-assessment."""
    out: list[Deadline] = []
    if ctx.event_types and "reassessment_decision" not in ctx.event_types:
        return out  # no re-assessment, no plan issued after one (types unknown: scan)
    events = ctx.events
    reassessing = False
    has_plan = False
    for i, e in enumerate(events):
        if _is(e, "reassessment_decision", outcome="assess"):
            reassessing = True
        elif e.type == "final_plan_issued":
            if has_plan and reassessing:
                rule = _version(hist, e.on)
                if rule is not None:
                    due = rule.period.due(e.on, holidays=ctx.holidays)
                    met_on, closed = _next_review(
                        events, i, ("plan_ceased", "plan_transferred"), due,
                        ctx.reading("review.completed_by"),
                    )
                    out.append(ctx.make(rule, due=due, started_on=e.on, start_event=e.type,
                                        met_on=met_on, closed=closed, history=hist))
            has_plan = True
            reassessing = False
        elif e.type == "plan_transferred":
            has_plan = True
    return out


def review_early_years(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Code of Practice: for a child under 5, consider a review every 3 to 6 months.

    Needs the child's date of birth (``case.child.date_of_birth``); one
    instance for the plan's making and for each review meeting while the
    child is under 5.
    """
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    dob = child.date_of_birth
    out: list[Deadline] = []
    events = ctx.events
    # The guidance applies below the age its data names (the oldest any version names,
    # for the quick test that no event can start a clock).
    oldest = max(v.age("under") for v in hist.versions)
    if events:
        first = min(e.on for e in events)
        # Too old at every event: no start can count (a whole calendar year past the
        # age settles it without working out the age).
        if first.year - dob.year > oldest or (
            first >= dob and calendar.age_on(dob, first) >= oldest
        ):
            return out
    for i, e, had_plan in _plan_periods(events):
        starts = (e.type == "final_plan_issued" and not had_plan) or (
            e.type == "review_meeting_held" and had_plan
        )
        if not starts or e.on < dob:
            continue
        rule = _version(hist, e.on)
        if rule is None:
            continue
        under = rule.age("under")
        if calendar.age_on(dob, e.on) >= under:
            continue
        met_on, closed = _next_review(events, i, ("plan_ceased",))
        out.append(_early_years_instance(hist, ctx, rule, e, met_on, closed, rule.period.due))
    return out


def _early_years_instance(
    hist: RuleHistory,
    ctx: EvaluationContext,
    rule: Rule,
    e: BaseEvent,
    met_on: date | None,
    closed: bool,
    count: Callable[..., date],
) -> Deadline:
    """One instance of review.early_years started by ``e`` (``count``: its period's due)."""
    under = rule.age("under")
    consider = rule.limb("consider_from")
    due = count(e.on, holidays=ctx.holidays)
    note = (f"Under {under} on {_fmt(e.on)}: the Code of Practice suggests considering a "
            f"review from {_fmt(consider.due(e.on, holidays=ctx.holidays))} and by "
            f"{_fmt(due)} ({consider.describe()} to {rule.period.describe()}).")
    return ctx.make(rule, due=due, started_on=e.on, start_event=e.type, met_on=met_on,
                    closed=closed, history=hist, note=note)


#: The event types besides ``final_plan_issued`` that review_early_years reacts to:
#: without them only the first plan's issue can start it, and nothing meets or closes it.
_EARLY_YEARS_REACTS = frozenset({"review_meeting_held", "plan_transferred", "plan_ceased"})


def _review_early_years_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """review_early_years, in one step for a case with only its first plan to start it.

    The age test runs on every case; a child under the age then gets the deadline made
    once for the version, the issue and the report's date (:data:`_EARLY_YEARS_MADE`,
    default holiday table, no exception recorded); tests/unit/test_lifecycle_made.py
    holds it equal to :func:`review_early_years`."""
    types = ctx.event_types
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    if not types:
        return review_early_years(hist, ctx)
    if not types.isdisjoint(_EARLY_YEARS_REACTS):
        return _review_early_years_pass(hist, ctx, child.date_of_birth)
    for e in ctx.events:
        if e.type == "final_plan_issued":
            break
    else:
        return []
    dob = child.date_of_birth
    if e.on < dob:
        return []
    years = e.on.year - dob.year  # the age, or one more before the birthday
    if years > _oldest_under(hist):  # too old for every version: as the test below says
        return []
    rule = hist.on(e.on)
    if rule is None:
        return []
    under = rule.age("under")
    if years > under or (years == under and calendar.age_on(dob, e.on) >= under):
        return []
    if ctx.holidays is not None or ctx.exceptions:
        return [_early_years_made(hist, ctx, rule, under, e.on, e.type, None, False)]
    key = (e.on, ctx.as_of)
    hit = _EARLY_YEARS_MADE.get(key)
    if hit is not None and hit[0] is rule:
        return [hit[1]]
    made = _early_years_made(hist, ctx, rule, under, e.on, e.type, None, False)
    remember(_EARLY_YEARS_MADE, key, rule, made)
    return [made]


#: review.early_years' one-step deadlines (a child under the age on the first plan's
#: issue, nothing after it to meet or close it), finished, by that issue and the
#: report's date: two bare dates, never the date of birth (the age test runs first, on
#: every case). The deadline depends on neither the child nor the history beyond the
#: version in force (its exception look-up is skipped: none is recorded). An entry
#: serves only the very version it was made from. Emptied by :func:`clear`.
_EARLY_YEARS_MADE: dict[tuple[date, date], tuple[object, Deadline]] = {}


def clear() -> None:
    """Forget the finished one-step deadlines (a registry loaded afresh, a calendar
    changed under test): sendflow.compliance._plan.clear_caches calls it."""
    _ANNUAL_MADE.clear()
    _EARLY_YEARS_MADE.clear()



#: The oldest age any version of a history names (``ages.under``), by rule id; an
#: entry serves only the very history it was worked out from.
_OLDEST_UNDER: dict[str, tuple[RuleHistory, int]] = {}


def _oldest_under(hist: RuleHistory) -> int:
    hit = _OLDEST_UNDER.get(hist.id)
    if hit is None or hit[0] is not hist:
        if len(_OLDEST_UNDER) >= 1_000:
            _OLDEST_UNDER.clear()
        hit = _OLDEST_UNDER[hist.id] = (hist, max(v.age("under") for v in hist.versions))
    return hit[1]


def _review_early_years_pass(
    hist: RuleHistory, ctx: EvaluationContext, dob: date
) -> list[Deadline]:
    """:func:`review_early_years`'s loop, step for step, with :func:`_plan_periods`
    written out and each possible start tested first by whole years (an event dated
    a calendar year later than the oldest age after the birth year cannot start it,
    which is what the plain path's early exit decides for the whole case); the ages
    themselves come from :func:`calendar.age_on` and the due dates from the
    calendar, counted once a caseload (:func:`~sendflow.compliance._compiled.due_on`).
    ``review_early_years`` is the plain path; tests/property/test_engine_reference.py
    holds the two equal."""
    out: list[Deadline] = []
    events = ctx.events
    oldest = _oldest_under(hist)
    birth_year = dob.year
    has_plan = False
    for i, e in enumerate(events):
        type_ = e.type
        if type_ == "final_plan_issued":
            starts = not has_plan
            has_plan = True
        elif type_ == "review_meeting_held":
            starts = has_plan
        else:
            if type_ == "plan_transferred":
                has_plan = True
            elif type_ == "plan_ceased":
                has_plan = False
            continue
        if not starts:
            continue
        on = e.on
        years = on.year - birth_year  # the age, or one more before the birthday
        if years > oldest or on < dob:
            continue
        rule = hist.on(on)
        if rule is None:
            continue
        under = rule.age("under")
        if years > under or calendar.age_on(dob, on) >= under:
            continue
        met_on, closed = _next_review(events, i, ("plan_ceased",))
        out.append(_early_years_made(hist, ctx, rule, under, on, type_, met_on, closed))
    return out


def _early_years_made(
    hist: RuleHistory, ctx: EvaluationContext, rule: Rule, under: int, on: date,
    start_event: str, met_on: date | None, closed: bool,
) -> Deadline:
    """:func:`_early_years_instance` for the fast paths: the version's texts worked out
    once (:func:`_early_years_parts`) and the due dates counted once a caseload."""
    parts, consider, words = _early_years_parts(rule)
    holidays = ctx.holidays
    due = due_on(rule.period, on, holidays)
    note = (f"Under {under} on {_fmt(on)}: the Code of Practice suggests considering a "
            f"review from {_fmt(due_on(consider, on, holidays))} and by "
            f"{_fmt(due)} ({words}).")
    return build_deadline(ctx, parts, due, on, start_event, met_on, closed, None, hist, note)


#: For each review.early_years version, by rule id and first day (an entry serves only
#: the very version it was made from): its parts, its ``consider_from`` limb and the
#: words of its note that depend only on the version.
_EARLY_YEARS_PARTS: dict[tuple[str, date], tuple[Rule, Parts, Period, str]] = {}


def _early_years_parts(rule: Rule) -> tuple[Parts, Period, str]:
    key = (rule.id, rule.effective_from)
    hit = _EARLY_YEARS_PARTS.get(key)
    if hit is None or hit[0] is not rule:
        if len(_EARLY_YEARS_PARTS) >= 1_000:
            _EARLY_YEARS_PARTS.clear()
        consider = rule.limb("consider_from")
        hit = _EARLY_YEARS_PARTS[key] = (
            rule, parts_for(rule), consider,
            f"{consider.describe()} to {rule.period.describe()}",
        )
    return hit[1], hit[2], hit[3]


# ---------------------------------------------------------------- findings
def _lifecycle_findings(ctx: EvaluationContext) -> list[Finding]:
    """A review meeting held, under a plan, with no invitations recorded since the last."""
    out: list[Finding] = []
    invited = False
    has_plan = False  # (sendflow.compliance.evaluators._common._plan_periods, written out)
    for index, e in enumerate(ctx.events):
        type_ = e.type
        if type_ == "review_invitations_sent":
            invited = True
        elif type_ == "review_meeting_held" and has_plan:
            if not invited:
                out.append(new_finding(
                    "review_without_invitations",
                    "review meeting held with no invitations recorded since the last "
                    "review (SEND Regulations 2014 regs 20(3), 21(3))",
                    "review.invitations",
                    index,
                    e.on,
                ))
            invited = False
        elif type_ == "final_plan_issued" or type_ == "plan_transferred":
            has_plan = True
        elif type_ == "plan_ceased":
            has_plan = False
    return out



#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "review_annual": _review_annual_fast,
    "review_after_reassessment": review_after_reassessment,
    "review_early_years": _review_early_years_fast,
}
#: The evaluators here that find nothing in a case holding none of these event types
#: (each returns at once then, as its first lines say): a plan for such types leaves
#: them out while the evaluators are the built-in ones (sendflow.compliance._plan,
#: ``Plan.lean``); a replaced evaluator still runs.
NEEDS: Mapping[str, frozenset[str]] = {
    "review_after_reassessment": frozenset({"reassessment_decision"}),
}
#: What each evaluator reads from its rule's data besides ``period``: the named
#: periods, ages and spans a version must have, and may have no others of.
READS: Mapping[str, frozenset[str]] = {
    "review_annual": frozenset(),
    "review_after_reassessment": frozenset(),
    "review_early_years": frozenset({"periods.consider_from", "ages.under"}),
}
#: Its findings hooks, each with the event types without which it finds nothing.
FINDINGS: tuple[Hook, ...] = (
    Hook(_lifecycle_findings, frozenset({"review_meeting_held"})),
)
