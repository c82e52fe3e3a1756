"""What may come next: ``Case.allowed_events`` is what ``Case.apply`` accepts, and the
generated python-statemachine classes accept and refuse exactly what ``Case`` does.

Both go through one check (``sendflow.workflows._replay.step``); these tests hold
the fast replay, ``apply``, ``allowed_events`` and the machines to each other.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import event as event_note
from hypothesis import given
from hypothesis import strategies as st
from statemachine.exceptions import TransitionNotAllowed

from sendflow import Case, InvalidEvent, InvalidTransition
from sendflow.testing.strategies import case_histories, events, latest_date
from sendflow.workflows import DISAGREEMENT, EVENT_CLASSES, MAIN, REGIONS, BaseEvent
from sendflow.workflows.assessment import RequestReceived, assessment_machine
from sendflow.workflows.disagreement import disagreement_machine
from sendflow.workflows.review import review_machine

_TYPES = sorted(cls.model_fields["type"].default for cls in EVENT_CLASSES)
_CLASS_OF = {cls.model_fields["type"].default: cls for cls in EVENT_CLASSES}


def _accepts(case: Case, event: BaseEvent) -> bool:
    try:
        case.apply(event)
    except InvalidTransition:
        return False
    return True


def _guards(case: Case, type_: str) -> list[dict[str, Any]]:
    """The guard fields of every row of ``type_`` leaving a current state ({}: none)."""
    out: list[dict[str, Any]] = []
    for region, table in REGIONS.items():
        out.extend(dict(r.when) for r in table.rows(case.states[region], type_))
    return out


@given(
    st.sampled_from(["assessment", "review", "disagreement"]).flatmap(
        lambda w: case_histories(w, max_events=8)
    ),
    st.data(),
)
def test_allowed_events_is_what_apply_accepts(case: Case, data: st.DataObject) -> None:
    allowed = case.allowed_events
    assert set(allowed) == set(REGIONS)
    flat = {t for types in allowed.values() for t in types}
    last = latest_date(case)
    assert last is not None
    for type_ in _TYPES:
        guards = _guards(case, type_)
        if type_ in flat:
            # some event of the type, dated on the latest day, is accepted
            assert guards, type_
            fields = data.draw(st.sampled_from(guards), label=f"guard of {type_}")
            event = data.draw(events(type_, on=last, **fields), label=type_)
            assert _accepts(case, event), (case.states, type_)
            dated = [e.on for e in case.events if not e.retrospective]
            if dated and not _CLASS_OF[type_].retrospective:
                # ... but not one dated before the latest (non-retrospective) event
                early = event.model_copy(update={"on": max(dated) - timedelta(days=1)})
                with pytest.raises(InvalidTransition, match="dated before"):
                    case.apply(early)
        else:
            event = data.draw(events(type_, on=last), label=type_)
            with pytest.raises(InvalidTransition) as info:
                case.apply(event)
            # the refusal names what may come next, and nothing else
            assert set(info.value.allowed) == flat
            assert ", ".join(sorted(flat)) in str(info.value)


_MAIN_ONLY = sorted(MAIN.events - DISAGREEMENT.events)
_DISAGREEMENT_ONLY = sorted(DISAGREEMENT.events - MAIN.events)


@st.composite
def _attempts(draw: st.DrawFn, types: list[str]) -> list[BaseEvent]:
    """A run of events of ``types``, many valid, some not: dates wander back and forth."""
    n = draw(st.integers(1, 12))
    day = draw(st.dates(date(2016, 1, 1), date(2028, 1, 1)))
    out: list[BaseEvent] = []
    for _ in range(n):
        day = day + timedelta(days=draw(st.integers(-5, 40)))
        out.append(draw(events(draw(st.sampled_from(types)), on=day)))
    return out


def _drive(machine: Any, attempts: list[BaseEvent], regions: tuple[str, ...]) -> None:
    case = Case()
    for event in attempts:
        try:
            expected = case.apply(event)
        except InvalidTransition:
            expected = None
        before = machine.current_state_value
        try:
            machine.send(event.type, record=event)
        except InvalidTransition as exc:
            refused: InvalidTransition | None = exc
        else:
            refused = None
        if refused is not None:
            assert expected is None, (case.states, event.type, str(refused))
            assert isinstance(refused, TransitionNotAllowed)
            assert machine.current_state_value == before  # refused: unchanged
            event_note("refused")
            continue
        assert expected is not None, (case.states, event.type)
        case = expected
        event_note("accepted")
        assert machine.current_state_value in {case.states[r] for r in regions}
    # the bulk replay (validating a whole history) agrees with apply, event by event
    assert Case(events=case.events).states == case.states
    assert Case(events=case.events).main_states() == case.main_states()


@given(st.one_of(
    case_histories("assessment", max_events=6).map(lambda c: list(c.events)),
    _attempts(_MAIN_ONLY),
))
def test_main_line_machine_accepts_exactly_what_case_accepts(attempts: list[BaseEvent]) -> None:
    events_ = [e for e in attempts if e.type in _MAIN_ONLY]
    _drive(review_machine(), events_, ("main",))


@given(_attempts(_DISAGREEMENT_ONLY))
def test_disagreement_machine_accepts_exactly_what_case_accepts(
    attempts: list[BaseEvent],
) -> None:
    _drive(disagreement_machine(), attempts, ("disagreement",))


# ------------------------------------------------------------- worked examples
def _requested() -> Case:
    return Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    )


def test_allowed_events_after_a_request() -> None:
    # SEND Regulations 2014 reg. 4-5: after a request the LA decides whether to assess;
    # the request may be withdrawn; disagreement may begin at any time.
    allowed = _requested().allowed_events
    assert "assessment_decision" in allowed["main"]
    assert "request_withdrawn" in allowed["main"]
    assert "final_plan_issued" not in allowed["main"]
    assert allowed["main"] == tuple(sorted(allowed["main"]))


def test_refusal_lists_what_may_come_next() -> None:
    with pytest.raises(InvalidTransition) as info:
        _requested().apply({"type": "final_plan_issued", "on": "2026-02-01"})
    assert "allowed next: " in str(info.value)
    assert "assessment_decision" in info.value.allowed
    assert "final_plan_issued" not in info.value.allowed


def test_machine_refuses_a_backdated_event_as_case_does() -> None:
    m = assessment_machine()
    m.send("request_received", record=RequestReceived(on=date(2026, 1, 5), made_by="parent"))
    late = {"type": "assessment_decision", "on": "2026-01-04", "outcome": "assess"}
    with pytest.raises(InvalidTransition, match="dated before the previous event"):
        _requested().apply(late)
    with pytest.raises(InvalidTransition, match="dated before the previous event"):
        m.send("assessment_decision", record=late)
    assert m.current_state_value == "awaiting_decision"
    # the same day is fine, as in Case
    m.send("assessment_decision", record={**late, "on": "2026-01-05"})
    assert m.current_state_value == "assessing"


def test_machine_refuses_a_record_of_another_type() -> None:
    m = assessment_machine()
    with pytest.raises(InvalidEvent, match="'final_plan_issued' sent as 'request_received'"):
        m.send("request_received", record={"type": "final_plan_issued", "on": "2026-01-05"})
    with pytest.raises(InvalidEvent, match="required"):
        m.send("request_received")
    with pytest.raises(InvalidEvent, match="made_by"):
        m.send("request_received", record={"type": "request_received", "on": "2026-01-05",
                                           "made_by": "the moon"})
    assert m.current_state_value == "not_requested"


def test_machine_refusal_is_a_sendflow_error_and_a_transition_not_allowed() -> None:
    m = assessment_machine()
    with pytest.raises(InvalidTransition) as info:
        m.send("draft_plan_issued", record={"type": "draft_plan_issued", "on": "2026-01-05"})
    assert isinstance(info.value, TransitionNotAllowed)
    assert "request_received" in info.value.allowed
