"""The standard evaluators, compiled: ``standard`` and ``before_anchor``.

Most rules are "a period from a start event, met by another event": the
``standard`` evaluator. :func:`sendflow.evaluate` runs all of a case's standard
rules together in one pass over its events (:func:`standard_many`), from a
:class:`Group` compiled once per set of rules. ``tests/reference/engine.py``
holds a plain, quadratic reading of the same rule, and
``tests/property/test_engine_reference.py`` holds the two equal.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple, cast

from sendflow._readings_law import notice_due
from sendflow.compliance._build import build_deadline
from sendflow.compliance._compiled import (
    Parts,
    Role,
    Segment,
    Span,
    clock_of,
    due_on,
    notice_due_on,
    parts_on,
    plays,
    segments_of,
    spans_of,
)
from sendflow.compliance._context import EvaluationContext
from sendflow.compliance._report import Deadline, format_date
from sendflow.errors import CalendarError, SendflowError
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import EVENT_CLASSES, BaseEvent

__all__ = ["Group", "before_anchor", "before_anchor_fast", "group", "standard", "standard_many"]

_fmt = format_date

#: Event classes by their type, for what a compiled rule may read from an event.
_EVENT_CLASS: dict[str, type[BaseEvent]] = {
    cls.model_fields["type"].default: cls for cls in EVENT_CLASSES
}


def standard(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Start → period → first satisfying event, per instance (see EVENTS in the docs).

    One pass over the events. Each start opens an instance (one per start,
    keyed by the clock's ``per`` field); each later event of a type the clock
    names settles the open instances it concerns, testing in this order:

    1. a new start with the same key supersedes the instance — if the due date
       had already passed the breach stands (overdue), otherwise it falls away;
    2. a satisfying event with the same key meets it on that event's date;
    3. a closing event (whatever its key) takes the case off the path.

    An event without the key field concerns every instance. Instances are
    reported in the order they started. :func:`evaluate` runs all of a case's
    standard rules together in the same single pass (:func:`standard_many`).
    """
    found = standard_many(group(segments_of(hist)), ctx)
    return found[0] if len(found) == 1 else [d for one in found for d in one]



class Entry(NamedTuple):
    """How events of one type take part in one rule of a :class:`Group`."""

    rule: int
    start: Role
    met: Role
    close: Role
    per: str | None
    while_in: frozenset[str]
    start_field: str | None


def _plain(value: Any) -> Any:
    """A NamedTuple's values as a plain tuple (same fields, same order)."""
    return tuple(value)


class Group:
    """Standard rules (segments) compiled to run together: event type -> entries."""

    __slots__ = ("dispatch", "hists", "segments", "spans")

    def __init__(self, segments: tuple[Segment, ...]) -> None:
        self.segments = segments
        self.hists: tuple[RuleHistory, ...] = tuple(s.history for s in segments)
        # Per rule, each version's span, so a start finds its version and due
        # date without a call (see RuleHistory.on and Period._offset).
        # (Entries and spans are kept as plain tuples in their NamedTuple's field
        # order: unpacking a plain tuple is much quicker than a subclass's.)
        self.spans: tuple[tuple[Span, ...], ...] = tuple(
            tuple(_plain(span) for span in s.spans) for s in segments
        )
        # A ``per`` or ``start_field`` the event type does not have is dropped
        # here: it reads as None (the registry checks, when it loads, that each
        # is a field of every start event; an event without the key concerns
        # every instance), and asking a pydantic model for a field it lacks goes
        # through its slow ``__getattr__``.
        dispatch: dict[str, list[Entry]] = {}
        for r, segment in enumerate(segments):
            clock = segment.clock
            for type_, roles in clock.roles.items():
                cls = _EVENT_CLASS.get(type_)
                per, start_field = clock.per, clock.start_field
                if cls is not None:
                    per = per if per in cls.model_fields else None
                    start_field = start_field if start_field in cls.model_fields else None
                dispatch.setdefault(type_, []).append(
                    Entry(r, roles.start, roles.met, roles.close, per, clock.while_in,
                          start_field)
                )
        self.dispatch: dict[str, tuple[Entry, ...]] = {
            t: tuple(_plain(entry) for entry in v) for t, v in dispatch.items()
        }


#: Compiled groups by their segments' keys (checked against the segments).
_GROUPS: dict[tuple[tuple[str, date], ...], Group] = {}


def group(segments: tuple[Segment, ...]) -> Group:
    """The segments compiled to run together (once per set of segments)."""
    key = tuple(s.key for s in segments)
    hit = _GROUPS.get(key)
    if hit is None or any(a is not b for a, b in zip(hit.segments, segments, strict=True)):
        if len(_GROUPS) >= 10_000:
            _GROUPS.clear()
        hit = _GROUPS[key] = Group(segments)
    return hit


def clear() -> None:
    """Forget every compiled group."""
    _GROUPS.clear()


class Open(NamedTuple):
    """An instance of a rule started and not yet settled (one per deadline)."""

    #: Its place in the rule's output list, filled when it is settled.
    slot: int
    due: date
    start: date
    #: The type of the event that started it.
    start_event: str
    #: The parts of the rule version in force on the start date.
    parts: Parts


def standard_many(group: Group, ctx: EvaluationContext) -> list[list[Deadline]]:
    """The deadlines of each rule of ``group`` (see :func:`standard`), in one pass."""
    hists, dispatch, spans = group.hists, group.dispatch, group.spans
    holidays = ctx.holidays
    make = build_deadline
    outs: list[list[Deadline | None]] = [[] for _ in hists]
    # Open instances per rule, by key. A start supersedes every open instance
    # with its key, so each key has at most one.
    opens: list[dict[str | None, Open]] = [{} for _ in hists]
    r = 0
    try:
        for i, event in enumerate(ctx.events):
            type_ = event.type
            entries = dispatch.get(type_)
            if entries is None:
                continue
            on = event.on
            for r, start_role, met_role, close_role, per, while_in, start_field in entries:
                open_ = opens[r]
                is_start = start_role is True or (
                    start_role is not None and plays(start_role, event)
                )
                # The instance key: the value of the clock's ``per`` field, if any.
                # An enum member's ``_value_`` is a plain attribute (``.value`` is a
                # slow descriptor).
                key = None
                if per is not None:
                    value = getattr(event, per, None)
                    if value is not None:
                        key = str(getattr(value, "_value_", value))
                if open_:
                    is_met = met_role is True or (met_role is not None and plays(met_role, event))
                    is_closer = close_role is True or (
                        close_role is not None and plays(close_role, event)
                    )
                    if is_start or is_met or is_closer:
                        # A keyed start or satisfying event concerns its own key
                        # only; an event without a key, or a closing one, all.
                        concerned: tuple[tuple[str | None, Open], ...]
                        if key is not None and not is_closer:
                            inst = open_.get(key)
                            concerned = () if inst is None else ((key, inst),)
                        else:
                            concerned = tuple(open_.items())
                        out = outs[r]
                        for inst_key, inst in concerned:
                            same = key is None or key == inst_key
                            if same and is_start:
                                met_on, closed = None, on <= inst.due
                            elif same and is_met:
                                met_on, closed = on, False
                            elif is_closer:
                                met_on, closed = None, True
                            else:
                                continue
                            del open_[inst_key]
                            out[inst.slot] = make(ctx, inst.parts, inst.due, inst.start,
                                                  inst.start_event, met_on, closed, inst_key,
                                                  hists[r])
                if not is_start:
                    continue
                if while_in and ctx.main_state_after(i) not in while_in:
                    continue
                start = getattr(event, start_field, None) if start_field else None
                start = start or on
                for span in spans[r]:  # RuleHistory.on, written out
                    if span[0] <= start <= span[1]:
                        break
                else:
                    # No version of this segment is in force on the start date:
                    # the segment whose version is judges it (or no version is).
                    continue
                _, _, parts, offset = span
                due = (
                    start + offset
                    if offset is not None
                    else due_on(parts.rule.period, start, holidays)
                )
                out = outs[r]
                out.append(None)
                open_[key] = Open(len(out) - 1, due, start, type_, parts)
        for r, open_ in enumerate(opens):
            out = outs[r]
            for inst_key, inst in open_.items():
                out[inst.slot] = make(ctx, inst.parts, inst.due, inst.start, inst.start_event,
                                      None, False, inst_key, hists[r])
    except SendflowError:
        raise
    except (OverflowError, ValueError):
        # date arithmetic ran past what Python's dates can hold (year 9999)
        raise CalendarError(
            f"rule {hists[r].id!r}: a due date falls outside the dates the calendar supports"
        ) from None
    return cast("list[list[Deadline]]", outs)  # every slot was settled above


def before_anchor(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """ "At least N before" an anchor event (a meeting, a mediation).

    Each event matching ``starts`` is an anchor; its date (or the field named
    by ``start_field``, e.g. a mediation date fixed in advance) is the day the
    notice must precede. The deadline is met by the earliest event matching
    ``met_by`` between the previous anchor and the next one.
    """
    out: list[Deadline] = []
    events = ctx.events
    clock = hist.versions[-1].clock  # every version of a segment shares it
    compiled = clock_of(hist)
    starts, met_by, closed_by = compiled.starts, compiled.met_by, compiled.closed_by
    anchors = [i for i, e in enumerate(events) if starts(e)]
    reading = ctx.reading("notice.at_least")
    for n, i in enumerate(anchors):
        event = events[i]
        anchor = getattr(event, clock.start_field, None) if clock.start_field else None
        anchor = anchor or event.on
        rule = hist.on(anchor)
        if rule is None:
            continue
        due = notice_due(rule.period, anchor, reading=reading, holidays=ctx.holidays)
        note = None
        if reading == "clear_days":
            note = (f"Read as clear days (reading notice.at_least = clear_days): neither the "
                    f"day of the notice nor {_fmt(anchor)} is counted, so the notice is due "
                    f"{_fmt(due)}.")
        lo = anchors[n - 1] + 1 if n else 0
        hi = anchors[n + 1] if n + 1 < len(anchors) else len(events)
        met = [e.on for e in events[lo:hi] if met_by(e) and e.on <= anchor]
        closed = any(closed_by(e) for e in events[i + 1 : hi])
        out.append(
            ctx.make(
                rule,
                due=due,
                started_on=anchor,
                start_event=event.type,
                met_on=min(met) if met else None,
                closed=closed and not met,
                history=hist,
                note=note,
            )
        )
    return out


def before_anchor_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """:func:`before_anchor` in one scan: the events that can anchor, meet or close the
    notice are picked out by type first, and each due date is counted once a caseload
    (:func:`~sendflow.compliance._compiled.notice_due_on`). ``before_anchor`` is the
    plain path; tests/property/test_engine_reference.py holds the two equal."""
    compiled = clock_of(hist)
    roles = compiled.roles
    start_field = compiled.start_field
    anchors: list[int] = []
    mets: list[tuple[int, date]] = []
    closers: list[int] = []
    events = ctx.events
    for i, e in enumerate(events):
        role = roles.get(e.type)
        if role is None:
            continue
        start, met, close = role
        if start is True or (start is not None and plays(start, e)):
            anchors.append(i)
        if met is True or (met is not None and plays(met, e)):
            mets.append((i, e.on))
        if close is True or (close is not None and plays(close, e)):
            closers.append(i)
    if not anchors:
        return []
    out: list[Deadline] = []
    reading = ctx.readings["notice.at_least"]  # (ctx.reading, without the call)
    holidays = ctx.holidays
    n_events = len(events)
    last = len(anchors) - 1
    # hist.on and parts_for in one step: each version's days in force with its parts
    spans = spans_of(hist)
    for n, i in enumerate(anchors):
        event = events[i]
        anchor = getattr(event, start_field, None) if start_field else None
        anchor = anchor or event.on
        parts = parts_on(hist, spans, anchor)
        if parts is None:
            continue
        rule = parts.rule
        due = notice_due_on(rule.period, anchor, reading, holidays)
        note = None
        if reading == "clear_days":
            note = (f"Read as clear days (reading notice.at_least = clear_days): neither the "
                    f"day of the notice nor {_fmt(anchor)} is counted, so the notice is due "
                    f"{_fmt(due)}.")
        lo = anchors[n - 1] + 1 if n else 0
        hi = anchors[n + 1] if n < last else n_events
        met_on = None
        for j, on in mets:
            if lo <= j < hi and on <= anchor and (met_on is None or on < met_on):
                met_on = on
        closed = met_on is None and bool(closers) and any(i < j < hi for j in closers)
        out.append(build_deadline(ctx, parts, due, anchor, event.type, met_on, closed, None,
                                  hist, note))
    return out
