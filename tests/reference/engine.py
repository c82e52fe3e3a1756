"""Reference implementations kept as test oracles.

``standard`` is sendflow 0.1's first "standard" evaluator: for each start,
scan every later event of a type the clock names, in order, and stop at the
first that supersedes, satisfies or closes the instance. It is quadratic and
slow but plainly follows the rule's wording; the optimised evaluator in
``sendflow.compliance`` must agree with it on every case.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sendflow.compliance import Deadline, EvaluationContext
from sendflow.rules._model import EventMatch
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent
from sendflow.workflows._table import has_fields


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
    out: list[Deadline] = []
    events = ctx.events
    clock = hist.versions[-1].clock
    types = {m.event for m in (*clock.starts, *clock.met_by, *clock.closed_by)}
    relevant = [i for i, e in enumerate(events) if e.type in types]
    for n, i in enumerate(relevant):
        event = events[i]
        if not _matches(clock.starts, event):
            continue
        if clock.while_in and ctx.main_state_after(i) not in clock.while_in:
            continue
        start = getattr(event, clock.start_field, None) if clock.start_field else None
        start = start or event.on
        rule = hist.on(start)
        if rule is None:
            continue
        if clock.per is not None and clock.per not in type(event).model_fields:
            # A per naming no field of the start event would merge separate
            # instances into one: the oracle refuses it rather than agree.
            raise AssertionError(f"{hist.id}: per {clock.per!r} is not a field of {event.type}")
        key = _key(event, clock.per)
        due = rule.period.due(start, holidays=ctx.holidays)
        met_on: date | None = None
        closed = False
        for j in relevant[n + 1 :]:
            later = events[j]
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
        out.append(
            ctx.make(
                rule, due=due, started_on=start, start_event=event.type, met_on=met_on,
                closed=closed, key=key, history=hist,
            )
        )
    return out
