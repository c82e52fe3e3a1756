"""Reference implementations kept as test oracles.

``standard`` is sendflow 0.1's first "standard" evaluator: for each start,
scan every later event of a type the clock names, in order, and stop at the
first that supersedes, satisfies or closes the instance. It is quadratic and
slow but plainly follows the rule's wording, version by version; the
optimised evaluator in ``sendflow.compliance`` must agree with it on every case
(``evaluate(..., evaluators={"standard": standard})`` runs it in its place).

``assessment_findings`` is the assessment findings hook as first written, telling
events apart with ``isinstance``; the hook in
``sendflow.compliance.evaluators.assessment`` tells them apart by their type and
must find the same.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sendflow.compliance import Deadline, EvaluationContext, Finding
from sendflow.compliance.evaluators.assessment import (
    REQUIRED_ADVICE,
    advice_not_sought,
    final_too_early,
)
from sendflow.partners import AdviceKind
from sendflow.rules import Rule
from sendflow.rules._model import EventMatch
from sendflow.rules._registry import RuleHistory, history
from sendflow.workflows import BaseEvent
from sendflow.workflows._table import has_fields
from sendflow.workflows.assessment import (
    AdviceRequested,
    DraftPlanIssued,
    FinalPlanIssued,
    RepresentationsReceived,
    RequestReceived,
)


def _matches(matchers: tuple[EventMatch, ...], event: BaseEvent) -> bool:
    return any(m.event == event.type and has_fields(event, m.where.items()) for m in matchers)


def _key(event: BaseEvent, per: str | None) -> str | None:
    if per is None:
        return None
    if per not in type(event).model_fields:
        return None  # an event without the field concerns every instance
    value: Any = getattr(event, per)
    return None if value is None else str(getattr(value, "value", value))


def standard(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Each start, judged by the version of the rule in force on its start date.

    Versions may differ in their clock (what starts, meets and closes them): a
    start event counts for a version when it matches that version's clock and
    its start date falls in that version's days, and that version's clock then
    settles it.
    """
    out: list[Deadline] = []
    events = ctx.events
    for i, event in enumerate(events):
        for version in hist.versions:
            deadline = _instance(hist, version, i, event, ctx)
            if deadline is not None:
                out.append(deadline)
    return out


def _instance(
    hist: RuleHistory, rule: Rule, i: int, event: BaseEvent, ctx: EvaluationContext
) -> Deadline | None:
    events = ctx.events
    clock = rule.clock
    if not _matches(clock.starts, event):
        return None
    if clock.while_in and ctx.main_state_after(i) not in clock.while_in:
        return None
    start = getattr(event, clock.start_field, None) if clock.start_field else None
    start = start or event.on
    if hist.on(start) is not rule:
        return None  # another version (or none) is in force on the start date
    if clock.per is not None and clock.per not in type(event).model_fields:
        # A per naming no field of the start event would merge separate
        # instances into one: the oracle refuses it rather than agree.
        raise AssertionError(f"{hist.id}: per {clock.per!r} is not a field of {event.type}")
    key = _key(event, clock.per)
    due = rule.period.due(start, holidays=ctx.holidays)
    met_on: date | None = None
    closed = False
    types = {m.event for m in (*clock.starts, *clock.met_by, *clock.closed_by)}
    for later in events[i + 1 :]:
        if later.type not in types:
            continue
        same_key = clock.per is None or _key(later, clock.per) in (None, key)
        if same_key and _matches(clock.starts, later):
            closed = later.on <= due
            break
        if same_key and _matches(clock.met_by, later):
            met_on = later.on
            break
        if _matches(clock.closed_by, later):
            closed = True
            break
    return ctx.make(
        rule, due=due, started_on=start, start_event=event.type, met_on=met_on,
        closed=closed, key=key, history=hist,
    )


def assessment_findings(ctx: EvaluationContext) -> list[Finding]:
    out: list[Finding] = []
    draft: DraftPlanIssued | None = None
    represented = False
    requested: set[AdviceKind] = set()
    for index, event in enumerate(ctx.events):
        if isinstance(event, RequestReceived):
            requested = set()
            draft = None
        elif isinstance(event, AdviceRequested):
            requested.add(event.adviser)
        elif isinstance(event, DraftPlanIssued):
            missing = [k.value for k in REQUIRED_ADVICE if k not in requested]
            if missing and draft is None:
                out.append(advice_not_sought(missing, index, event.on))
            draft, represented = event, False
        elif isinstance(event, RepresentationsReceived):
            represented = True
        elif isinstance(event, FinalPlanIssued) and draft is not None:
            # The representation period of the rule in force on the draft's day.
            window = history("assessment.draft_representations").on(draft.start_date)
            period = None if window is None else window.period
            window_end = None if period is None else period.due(
                draft.start_date, holidays=ctx.holidays
            )
            if period is not None and window_end is not None and (
                event.on <= window_end and not represented
            ):
                out.append(final_too_early(period, window_end, index, event.on))
            draft = None
    return out
