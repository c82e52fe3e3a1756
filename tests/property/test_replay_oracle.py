"""Oracle for ``Case``'s bulk replay: validating a whole history gives exactly what
stepping through it with the plain check (``sendflow.workflows._replay.step``) gives.

The replay run on every case read (``Case._replay``) walks an automaton whose
nodes are every region's states at once (``_Node``: one look-up an event in its
``moves``, each worked out once by ``step``; the private store copied from the
final node's template); what it does not take (dates going
back, retrospective events, a refused event) goes to the general path
(``Case._replay_general``), itself with fast paths over the transition tables:
one look-up for an unguarded single-region event type (``_SIMPLE``) and one for a
type whose rows are guarded by one field's value (``_KEYED``:
``assessment_decision``, ``review_decision``...). Here histories of
every workflow, runs of random events (many refused: wrong state, wrong outcome,
dated backwards, reversals of a refusal) and valid histories with one event
changed go through both, and must agree on acceptance, states, the trail of
main-line states, the event types and whether the case needs a closer look
(``_adjust``: a reversal or a record opened part-way); the automaton and the
general path must agree with each other too, and every move the automaton has
remembered must be the table's.
"""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest
from hypothesis import event as event_note
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from sendflow import Case, InvalidTransition
from sendflow.case import (
    _BY_OUTCOME,
    _INITIAL,
    _KEYED,
    _NODES,
    _OFF_AUTOMATON,
    _SIMPLE,
    REVERSALS,
    _Node,
    _Refused,
    parse_event,
)
from sendflow.testing.strategies import case_histories, events
from sendflow.workflows import EVENT_CLASSES, REGIONS, TABLES, BaseEvent
from sendflow.workflows._replay import step

_TYPES = sorted(cls.model_fields["type"].default for cls in EVENT_CLASSES)
#: The types the fast paths take, weighted up: they are what the oracle guards.
_FAST = sorted(set(_SIMPLE) | set(_KEYED))


def plain_replay(history: list[BaseEvent]) -> dict[str, Any] | None:
    """The plain path: ``step`` for each event; None when an event is refused."""
    states = dict(_INITIAL)
    last_on: date | None = None
    trail: list[str] = []
    adjust = bool(history) and history[0].type == "record_opened"
    for index, event in enumerate(history):
        before = states["main"]
        try:
            last_on = step(REGIONS, states, event, index, last_on)
        except InvalidTransition:
            return None
        adjust = adjust or (before, states["main"]) in REVERSALS
        trail.append(states["main"])
    return {"states": states, "trail": trail, "last_on": last_on,
            "types": frozenset(e.type for e in history), "adjust": adjust}


def fast_replay(history: list[BaseEvent]) -> dict[str, Any] | None:
    try:
        case = Case.model_validate({"events": [e.model_dump() for e in history]})
    except ValidationError:
        return None
    private = case.__pydantic_private__
    assert private is not None
    assert set(private) == {"_states", "_trail", "_last_on", "_types", "_adjust"}
    assert isinstance(private["_trail"], list)
    return {"states": private["_states"], "trail": private["_trail"],
            "last_on": private["_last_on"], "types": private["_types"],
            "adjust": private["_adjust"]}


def general_replay(case: Case) -> dict[str, Any]:
    """The general path alone, on a case already read (through the automaton)."""
    copy = Case.model_construct(events=case.events)  # model_construct replays too
    copy._replay_general()
    private = copy.__pydantic_private__
    assert private is not None
    return {"states": private["_states"], "trail": private["_trail"],
            "last_on": private["_last_on"], "types": private["_types"],
            "adjust": private["_adjust"]}


def check(history: list[BaseEvent]) -> None:
    expected = plain_replay(history)
    got = fast_replay(history)
    event_note("refused" if expected is None else "accepted")
    assert got == expected, [e.type for e in history]
    if expected is not None:
        case = Case.model_validate({"events": [e.model_dump() for e in history]})
        assert general_replay(case) == expected, [e.type for e in history]


@st.composite
def attempts(draw: st.DrawFn) -> list[BaseEvent]:
    """A run of events, many of the fast paths' types, dates wandering back and forth."""
    n = draw(st.integers(1, 14))
    day = draw(st.dates(date(2016, 1, 1), date(2028, 1, 1)))
    out: list[BaseEvent] = []
    for _ in range(n):
        day = day + timedelta(days=draw(st.integers(-5, 40)))
        type_ = draw(st.sampled_from(_FAST) | st.sampled_from(_TYPES))
        out.append(draw(events(type_, on=day)))
    return out


@st.composite
def changed_histories(draw: st.DrawFn) -> list[BaseEvent]:
    """A valid history with one event swapped for another of a fast-path type."""
    case = draw(st.sampled_from(sorted(TABLES)).flatmap(lambda w: case_histories(w)))
    history = list(case.events)
    i = draw(st.integers(0, len(history)))
    on = history[min(i, len(history) - 1)].on + timedelta(days=draw(st.integers(-3, 3)))
    new = draw(events(draw(st.sampled_from(_FAST)), on=on))
    return [*history[:i], new, *history[i + 1:]]


@given(st.sampled_from(sorted(TABLES)).flatmap(lambda w: case_histories(w)))
def test_valid_histories_replay_as_step_by_step(case: Case) -> None:
    check(list(case.events))


@given(st.sampled_from(_TYPES).flatmap(lambda type_: events(type_)))
def test_one_event_cases_replay_as_step_by_step(event: BaseEvent) -> None:
    """A case of one event takes its own branch of ``Case._replay``: every type,
    accepted or refused, gives what stepping gives."""
    check([event])


@given(attempts())
def test_random_runs_are_accepted_and_refused_as_step_by_step(history: list[BaseEvent]) -> None:
    check(history)


@given(changed_histories())
def test_histories_with_one_event_changed_replay_as_step_by_step(
    history: list[BaseEvent],
) -> None:
    check(history)


def _event(type_: str, on: str, **fields: Any) -> dict[str, Any]:
    return {"type": type_, "on": on, **fields}


@pytest.mark.parametrize(
    ("history", "states"),
    [
        # A keyed type in each state its rows leave, and a refusal reversed by
        # the LA (reg. 13(2)): the general path notes the reversal.
        ([_event("request_received", "2026-01-05", made_by="parent"),
          _event("assessment_decision", "2026-02-01", outcome="refuse"),
          _event("assessment_decision", "2026-02-20", outcome="assess")], ["awaiting_decision",
                                                                       "assessment_refused",
                                                                       "assessing"]),
        ([_event("final_plan_issued", "2020-04-01"),
          _event("review_decision", "2021-03-01", outcome="maintain"),
          _event("review_decision", "2022-03-01", outcome="amend"),
          _event("review_decision", "2022-04-01", outcome="amend")], ["plan_issued",
                                                                 "plan_maintained",
                                                                 "amending", "amending"]),
    ],
)
def test_worked_examples(history: list[dict[str, Any]], states: list[str]) -> None:
    case = Case.model_validate({"events": history})
    assert case.main_states() == states
    assert plain_replay(list(case.events)) == fast_replay(list(case.events))


@pytest.mark.parametrize(
    "history",
    [
        # review_decision after amending may only be another amend (the table's row)
        [_event("final_plan_issued", "2020-04-01"),
         _event("review_decision", "2022-03-01", outcome="amend"),
         _event("review_decision", "2022-04-01", outcome="cease")],
        # a keyed event dated before the previous one
        [_event("final_plan_issued", "2020-04-01"),
         _event("review_decision", "2020-03-01", outcome="maintain")],
    ],
)
def test_refused_by_both(history: list[dict[str, Any]]) -> None:
    with pytest.raises(ValidationError):
        Case.model_validate({"events": history})
    assert plain_replay([parse_event(e) for e in history]) is None


def test_fast_tables_are_the_transition_tables() -> None:
    """Every entry of the fast paths' tables, and every state and value they leave
    out, against the table's own ``next_state`` (exhaustive over the tables)."""
    from types import SimpleNamespace

    for type_, (region, targets) in _SIMPLE.items():
        table = REGIONS[region]
        for state in table.states:
            target = table.next_state(state, SimpleNamespace(type=type_))
            if target is None or (state, target) in REVERSALS:
                assert state not in targets, (type_, state)
            else:
                assert targets[state] == target, (type_, state)
    for type_, (region, field, by_value) in _KEYED.items():
        table = REGIONS[region]
        values = {row.when[field] for row in table.transitions if row.event == type_}
        assert all(set(row.when) == {field} for row in table.transitions if row.event == type_)
        for state in table.states:
            for value in [*sorted(values), "not_a_value"]:
                event = SimpleNamespace(type=type_, **{field: value})
                target = table.next_state(state, event)
                if target is None or (state, target) in REVERSALS:
                    assert (state, value) not in by_value, (type_, state, value)
                else:
                    assert by_value[(state, value)] == target, (type_, state, value)
    # Each fast type moves one region only and is never retrospective.
    for type_ in [*_SIMPLE, *_KEYED]:
        assert sum(type_ in table.events for table in REGIONS.values()) == 1, type_
        cls = next(c for c in EVENT_CLASSES if c.model_fields["type"].default == type_)
        assert not cls.retrospective, type_


def test_automaton_moves_are_the_transition_tables() -> None:
    """Every node the automaton has built, and every token it remembers, against
    ``step`` from the node's states (after the tests above have filled it, and
    after walking every token from every node built so far)."""
    from types import SimpleNamespace

    types = sorted(cls.model_fields["type"].default for cls in EVENT_CLASSES)
    outcomes: dict[str, list[Any]] = {}
    for table in REGIONS.values():
        for row in table.transitions:
            if "outcome" in row.when:
                outcomes.setdefault(row.event, []).append(row.when["outcome"])
    tokens: list[Any] = []
    for type_ in types:
        if type_ in _BY_OUTCOME:
            tokens += [(type_, v) for v in [*sorted(set(outcomes[type_])), "not_a_value"]]
        else:
            tokens.append(type_)
    for node in list(_NODES.values()):
        for token in tokens:
            with contextlib.suppress(_Refused):
                node.advance(token)
    assert len(_NODES) > 10
    for (state_items, adjust, types), node in list(_NODES.items()):
        assert isinstance(node, _Node)
        assert tuple(node.states.items()) == state_items and node.adjust is adjust
        assert node.types == types
        assert node.main == node.states["main"]
        # The templates a case's private store is copied from.
        assert node.private == {"_states": node.states, "_last_on": None, "_trail": None,
                                "_types": types, "_adjust": adjust}
        for token, target in node.moves.items():
            type_, value = token if isinstance(token, tuple) else (token, None)
            assert type_ not in _OFF_AUTOMATON
            assert (type_ in _BY_OUTCOME) is isinstance(token, tuple)
            states = dict(node.states)
            step(REGIONS, states, SimpleNamespace(type=type_, on=date(2020, 1, 1),
                                                  retrospective=False, outcome=value), 0, None)
            assert target.states == states, (state_items, token)
            reversal = any((node.states[r], states[r]) in REVERSALS for r in states)
            assert target.adjust is (adjust or reversal), (state_items, token)
            assert target.types == types | {type_}, (state_items, token)


def test_automaton_refuses_what_it_does_not_take() -> None:
    """Retrospective types, types guarded by another field and refused moves are
    never remembered: the general path decides them."""
    from sendflow.case import _ROOT

    for token in ["exception_recorded", "record_opened", "review_decision",
                  ("request_received", None), "annual_review_not_a_type"]:
        with pytest.raises(_Refused):
            _ROOT.advance(token)
        assert token not in _ROOT.moves
    # a case whose dates go back, or with a retrospective event, is still read
    case = Case.model_validate({"events": [
        _event("request_received", "2026-01-05", made_by="parent"),
        _event("exception_recorded", "2025-12-20", ground="school_closure",
               until="2026-01-10"),
        _event("assessment_decision", "2026-02-01", outcome="assess")]})
    assert case.main_states() == ["awaiting_decision", "awaiting_decision", "assessing"]
    assert case._last_on == date(2026, 2, 1)


def test_cases_at_one_node_do_not_share_what_can_change() -> None:
    """Two cases at the same node share its states, never through anything a
    caller can change: ``states`` is a copy and ``apply`` builds new ones."""
    history = [_event("final_plan_issued", "2020-04-01"),
               _event("review_decision", "2021-03-01", outcome="maintain")]
    one, two = (Case.model_validate({"events": history}) for _ in range(2))
    shown = one.states
    shown["main"] = "not_a_state"
    assert one.state == two.state == "plan_maintained"
    moved = one.apply(_event("review_decision", "2022-03-01", outcome="amend"))
    assert moved.state == "amending"
    assert one.state == two.state == "plan_maintained"
    assert one.main_states() == two.main_states() == ["plan_issued", "plan_maintained"]
    # Each case's private store is its own copy of its node's template, so a
    # private attribute set on one case changes neither the other nor the node.
    for part in (history, history[:1]):
        first, second = (Case.model_validate({"events": part}) for _ in range(2))
        assert first.__pydantic_private__ is not second.__pydantic_private__
        first._adjust = True
        first._last_on = date(2030, 1, 1)
        assert second._adjust is False and second._last_on == date.fromisoformat(
            part[-1]["on"])
        third = Case.model_validate({"events": part})
        assert third._adjust is False and third._last_on == second._last_on
        assert third.main_states() == second.main_states()


def test_events_built_around_validation_take_the_general_path() -> None:
    """An event built with ``model_construct`` and a field missing is not the
    automaton's to judge: the general path decides, exactly as it did before the
    automaton (pydantic's AttributeError for the field it reads)."""
    from sendflow.workflows.assessment import FinalPlanIssued
    from sendflow.workflows.review import ReviewDecision

    plan = FinalPlanIssued(on=date(2020, 4, 1))
    decided = ReviewDecision.model_construct(on=date(2021, 3, 1))  # no outcome
    with pytest.raises(AttributeError):
        Case(events=(plan, decided))
    undated = FinalPlanIssued.model_construct()  # no on
    with pytest.raises(AttributeError):
        Case(events=(undated,))


@pytest.mark.parametrize(
    "on", [date(2020, 4, 1), datetime(2020, 4, 1, 9, 30, tzinfo=UTC), "2020-04-01", None])
def test_a_lone_event_keeps_what_the_general_path_keeps(on: Any) -> None:
    """A case of one event takes the automaton's step without comparing its date
    with anything: whatever ``on`` holds (a date, or anything ``model_construct``
    let in), its private store is the general path's, as the loop's would be."""
    from sendflow.workflows.assessment import FinalPlanIssued

    case = Case(events=(FinalPlanIssued.model_construct(on=on),))
    private = case.__pydantic_private__
    assert private is not None
    assert general_replay(case) == {
        "states": private["_states"], "trail": private["_trail"],
        "last_on": private["_last_on"], "types": private["_types"],
        "adjust": private["_adjust"]}
    assert private["_last_on"] is on
    assert case.main_states() == ["plan_issued"]


def test_a_lone_event_without_its_guard_field_takes_the_general_path() -> None:
    """A first event whose type the automaton keys by ``outcome``, built without
    one, raises pydantic's AttributeError from the general path."""
    from sendflow.workflows.assessment import AssessmentDecision

    with pytest.raises(AttributeError):
        Case(events=(AssessmentDecision.model_construct(on=date(2026, 1, 5)),))
