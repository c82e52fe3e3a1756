"""The standard pass (standard_many) reads any run of events as the plain reading does.

tests/property/test_engine_reference.py compares whole reports on histories a case
can hold; here the pass of sendflow.compliance._standard meets runs of events no
workflow would allow (a rule restarted on its own due date, a keyed start beside
an unkeyed close, events on one day), with the main-line state after each event
drawn freely, so every branch of the pass — superseding with and without a key, a
closing event, a gated start, a start no version is in force for — is compared
with tests/reference/engine.py's plain reading, rule by rule.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.reference import engine as reference

from sendflow.compliance._compiled import Segment, compile_rule
from sendflow.compliance._context import EvaluationContext
from sendflow.compliance._standard import _keyed_pass, every_event, group, standard_many
from sendflow.rules._registry import all_rules
from sendflow.testing import strategies as s
from sendflow.workflows import EVENT_CLASSES as WORKFLOW_EVENTS

#: Every segment of the standard evaluator.
SEGMENTS: tuple[Segment, ...] = tuple(
    segment
    for hist in all_rules()
    for segment in compile_rule(hist).segments
    if segment.evaluator == "standard"
)
#: The instance keys' fields.
PERS = sorted({seg.clock.per for seg in SEGMENTS if seg.clock.per is not None})
#: Event classes by their type.
EVENT_CLASSES = {cls.model_fields["type"].default: cls for cls in WORKFLOW_EVENTS}
#: The states the gated rules start in, and one they do not.
STATES = sorted({st_ for seg in SEGMENTS for st_ in seg.clock.while_in} | {"plan_in_force"})


def _row(d: Any) -> tuple[Any, ...]:
    return (d.rule_id, d.key or "", d.started_on, d.due, d.start_event, d.status.value,
            d.met_on or date.min, d.exception is not None, d.note or "")


def _types_of(segment: Segment) -> set[str]:
    return {m.event for version in segment.history.versions
            for m in (*version.clock.starts, *version.clock.met_by, *version.clock.closed_by)}


def _periods_of(segment: Segment) -> set[int]:
    return {span.offset.days for span in segment.spans if span.offset is not None}


#: Every type a standard clock names.
TYPES = sorted(set().union(*map(_types_of, SEGMENTS)))


@st.composite
def runs(draw: st.DrawFn) -> tuple[tuple[Segment, ...], tuple[Any, ...], list[str]]:
    """A few standard rules, and events of their clocks' types (and now and then
    another type) in date order, as often as not one of the rules' periods apart
    (so a restart falls on a due date), with a main-line state after each."""
    chosen = draw(st.sets(st.integers(0, len(SEGMENTS) - 1), min_size=1, max_size=3))
    segments = tuple(SEGMENTS[n] for n in sorted(chosen))
    few = sorted(set().union(*map(_types_of, segments)))
    types = draw(st.lists(st.sampled_from(few) | st.sampled_from(TYPES), max_size=12))
    periods = sorted(set().union(*map(_periods_of, segments)) | {0})
    on = draw(st.dates(date(2014, 6, 1), date(2030, 12, 31)))
    events = []
    keys: dict[str, Any] = {}  # the instance key last drawn, by field: often drawn again
    for type_ in types:
        fields = {f: v for f, v in keys.items()
                  if f in EVENT_CLASSES[type_].model_fields and draw(st.booleans())}
        event = draw(s.events(type_, on=on, **fields))
        keys.update({f: getattr(event, f) for f in PERS if f in type(event).model_fields})
        events.append(event)
        on += timedelta(days=draw(st.integers(0, 3) | st.sampled_from(periods)))
    return segments, tuple(events), [draw(st.sampled_from(STATES)) for _ in events]


@settings(max_examples=400, deadline=None)
@given(runs(), st.dates(date(2014, 9, 1), date(2031, 12, 31)))
def test_the_pass_reads_any_run_as_the_plain_reading(
    run: tuple[tuple[Segment, ...], tuple[Any, ...], list[str]], as_of: date
) -> None:
    segments, events, states = run
    ctx = EvaluationContext(events, as_of, _main_states=states)
    fast = standard_many(group(segments), ctx)
    plain = [d for seg in segments for d in reference.standard(seg.history, ctx)]
    assert sorted(map(_row, fast)) == sorted(map(_row, plain))
    # each rule's deadlines in the order they started, as the plain reading gives them
    for seg in segments:
        rule_id = seg.history.id
        assert [_row(d) for d in fast if d.rule_id == rule_id] == [
            _row(d) for d in plain if d.rule_id == rule_id]


@pytest.mark.parametrize(("rule_id", "type_", "fields", "first", "again", "due", "status"), [
    # Six weeks for the decision (reg. 5(1)): a request on 5 Jan 2026 is due 16 Feb.
    # A new request on the due day itself supersedes an instance not yet overdue;
    # a day later the breach stands.
    ("assessment.decision", "request_received", {"made_by": "parent"},
     date(2026, 1, 5), date(2026, 2, 16), date(2026, 2, 16), "not_applicable"),
    ("assessment.decision", "request_received", {"made_by": "parent"},
     date(2026, 1, 5), date(2026, 2, 17), date(2026, 2, 16), "overdue"),
    # Six weeks for advice (reg. 8(1)), per adviser: requested 3 Mar 2025, due 14 Apr.
    ("assessment.advice", "advice_requested", {"adviser": "medical"},
     date(2025, 3, 3), date(2025, 4, 14), date(2025, 4, 14), "not_applicable"),
    ("assessment.advice", "advice_requested", {"adviser": "medical"},
     date(2025, 3, 3), date(2025, 4, 15), date(2025, 4, 14), "overdue"),
])
def test_a_restart_on_the_due_day_supersedes_a_day_later_the_breach_stands(
    rule_id: str, type_: str, fields: dict[str, str], first: date, again: date, due: date,
    status: str,
) -> None:
    segments = tuple(seg for seg in SEGMENTS if seg.history.id == rule_id)
    cls = EVENT_CLASSES[type_]
    events = (cls(on=first, **fields), cls(on=again, **fields))
    ctx = EvaluationContext(events, date(2026, 6, 1), _main_states=["assessing"] * 2)
    found = standard_many(group(segments), ctx)
    superseded = found[0]
    assert (superseded.started_on, superseded.due, superseded.status.value) == (first, due, status)
    assert sorted(map(_row, found)) == sorted(
        map(_row, [d for seg in segments for d in reference.standard(seg.history, ctx)]))


#: The segments without an instance key, a gate or a start field: groups of these
#: run _unkeyed_pass (the two assessment rules are such a group).
UNKEYED = tuple(seg for seg in SEGMENTS if seg.clock.per is None and not seg.clock.while_in
                and seg.clock.start_field is None)


@st.composite
def unkeyed_runs(draw: st.DrawFn) -> tuple[tuple[Segment, ...], tuple[Any, ...], list[str]]:
    """:func:`runs` with the rules drawn from :data:`UNKEYED` only."""
    chosen = draw(st.sets(st.integers(0, len(UNKEYED) - 1), min_size=1, max_size=3))
    segments = tuple(UNKEYED[n] for n in sorted(chosen))
    few = sorted(set().union(*map(_types_of, segments)))
    types = draw(st.lists(st.sampled_from(few) | st.sampled_from(TYPES), max_size=12))
    on = draw(st.dates(date(2014, 6, 1), date(2030, 12, 31)))
    events = []
    for type_ in types:
        events.append(draw(s.events(type_, on=on)))
        on += timedelta(days=draw(st.integers(0, 3) | st.sampled_from([0, 42, 140])))
    return segments, tuple(events), ["assessing"] * len(events)


def test_the_unkeyed_segments_include_the_two_assessment_rules() -> None:
    ids = {seg.history.id for seg in UNKEYED}
    assert {"assessment.decision", "assessment.final_plan"} <= ids
    assert group(tuple(seg for seg in SEGMENTS if seg.history.id in {
        "assessment.decision", "assessment.final_plan"})).unkeyed


@settings(max_examples=300, deadline=None)
@given(runs() | unkeyed_runs(), st.dates(date(2014, 9, 1), date(2031, 12, 31)))
def test_the_pass_over_the_events_it_reads_is_the_pass_over_every_event(
    run: tuple[tuple[Segment, ...], tuple[Any, ...], list[str]], as_of: date
) -> None:
    """The oracle of Group.reads_of and _unkeyed_pass: standard_many (the events
    the group reads, found by their classes; the unkeyed loop where the group has
    no key, gate or start field) gives the very deadlines, in the same order, of
    the keyed pass walking every event."""
    segments, events, states = run
    g = group(segments)
    fast = standard_many(g, EvaluationContext(events, as_of, _main_states=states))
    # twice: the second time the reads come from the table
    again = standard_many(g, EvaluationContext(events, as_of, _main_states=states))
    plain = _keyed_pass(g, EvaluationContext(events, as_of, _main_states=states),
                        every_event(events))
    assert fast == plain
    assert again == plain
    classes = tuple(map(type, events))
    assert g.reads[classes] == tuple((i, t) for i, t in every_event(events) if t in g.switches)


def test_an_event_of_a_class_of_its_own_is_read_by_its_type() -> None:
    """A subclass of a sendflow event (the user's own) is not one whose class the
    table knows: the pass reads every event's type for that case, and finds the
    same deadlines as for the sendflow classes."""
    received = EVENT_CLASSES["request_received"]

    class MyRequest(received):  # type: ignore[misc, valid-type]
        pass

    segments = tuple(seg for seg in SEGMENTS if seg.history.id in {
        "assessment.decision", "assessment.final_plan"})
    g = group(segments)
    decision = EVENT_CLASSES["assessment_decision"](on=date(2026, 2, 2), outcome="refuse")
    plain_events = (received(on=date(2026, 1, 5), made_by="parent"), decision)
    own_events = (MyRequest(on=date(2026, 1, 5), made_by="parent"), decision)
    as_of = date(2026, 6, 1)
    own = standard_many(g, EvaluationContext(own_events, as_of))
    assert (type(own_events[0]), type(decision)) not in g.reads
    assert own == standard_many(g, EvaluationContext(plain_events, as_of))
    # six weeks from 5 January 2026 (reg. 5(1)) is 16 February: met on 2 February;
    # the refusal closes the 20-week final plan clock (reg. 13(2))
    by_rule = {d.rule_id: (d.due, d.status.value, d.met_on) for d in own}
    assert by_rule == {
        "assessment.decision": (date(2026, 2, 16), "met", date(2026, 2, 2)),
        "assessment.final_plan": (date(2026, 5, 25), "not_applicable", None),
    }
