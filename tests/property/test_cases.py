"""Properties of cases and compliance over generated histories of every workflow.

Histories come from sendflow.testing.strategies.case_histories, which walks
each workflow's transition table, so new workflows are covered as they land.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

import sendflow
from sendflow import Case, InvalidTransition, evaluate, evaluate_many
from sendflow.compliance import Deadline, Status
from sendflow.testing import strategies as s
from sendflow.workflows import REGIONS, TABLES

WORKFLOWS = sorted(TABLES)
AS_OF = date(2026, 6, 1)


def histories(**kwargs: object) -> st.SearchStrategy[Case]:
    return st.sampled_from(WORKFLOWS).flatmap(lambda wf: s.case_histories(wf, **kwargs))  # type: ignore[arg-type]


def judged_on(case: Case) -> date:
    last = s.latest_date(case)
    assert last is not None
    return last


@given(histories(child=st.none() | s.children()))
def test_json_round_trip(case: Case) -> None:
    text = case.model_dump_json()
    again = Case.model_validate_json(text)
    assert again == case
    assert again.states == case.states
    assert Case.model_validate(case.model_dump(mode="json")) == case
    assert again.model_dump_json() == text


@given(histories(), st.integers(0, 400))
def test_replay_is_deterministic(case: Case, days: int) -> None:
    data = case.model_dump(mode="json")
    one, two = Case.model_validate(data), Case.model_validate(data)
    assert one.states == two.states == case.states
    as_of = judged_on(case) + timedelta(days=days)
    assert evaluate(one, as_of=as_of) == evaluate(two, as_of=as_of)


@given(histories())
def test_valid_histories_are_accepted_event_by_event(case: Case) -> None:
    rebuilt = Case().apply_all(list(case.events))
    assert rebuilt.states == case.states
    states = [state for _, _, state in case.history()]
    assert states[-1] == case.state
    # The fast replay on validation gives the same trail as stepping one by one.
    assert case.main_states() == rebuilt.main_states() == states


@given(histories(), st.data())
def test_one_illegal_event_is_rejected_and_the_case_is_unchanged(
    case: Case, data: st.DataObject
) -> None:
    states = case.states
    allowed = {
        row.event
        for region, table in REGIONS.items()
        for row in table.transitions
        if row.source == states[region]
    }
    illegal = sorted(set(s.event_types()) - allowed)
    if not illegal:
        return  # every event type is allowed somewhere in this state
    on = judged_on(case) + timedelta(days=data.draw(st.integers(0, 30)))
    event = data.draw(s.events(data.draw(st.sampled_from(illegal)), on=on))
    before = case.model_dump(mode="json")
    with pytest.raises(InvalidTransition):
        case.apply(event)
    assert case.model_dump(mode="json") == before
    assert case.states == states


@given(histories(min_events=2), st.data())
def test_an_event_dated_before_the_previous_one_is_rejected(
    case: Case, data: st.DataObject
) -> None:
    if case.events[-1].retrospective:
        return
    forward = [e for e in case.events if not e.retrospective]
    if len(forward) < 2:
        return
    last, previous = forward[-1], forward[-2]
    earlier = previous.on - timedelta(days=data.draw(st.integers(1, 30)))
    before = case.model_dump(mode="json")
    with pytest.raises(InvalidTransition):
        Case().apply_all([*case.events[:-1], last.model_copy(update={"on": earlier})])
    assert case.model_dump(mode="json") == before


def standard(d: Deadline) -> bool:
    """Deadline subclasses may give met/missed another meaning (e.g. "not before"
    prohibitions in ceasing); the due-date contract below is Deadline's own."""
    return type(d) is Deadline


def check_status(d: Deadline, as_of: date) -> None:
    if not standard(d):
        return
    if d.due is None:
        assert d.status is Status.NOT_APPLICABLE
        return
    if d.status is Status.MET:
        assert d.met_on is not None and d.met_on <= d.due
    elif d.status is Status.MISSED:
        assert d.met_on is not None and d.met_on > d.due
    elif d.status is Status.OVERDUE:
        assert d.met_on is None and as_of > d.due
    elif d.status is Status.PENDING:
        assert d.met_on is None and as_of <= d.due
    elif d.status is Status.DISAPPLIED:
        assert d.exception is not None
        assert (d.met_on is not None and d.met_on > d.due) or (d.met_on is None and as_of > d.due)


@given(histories(), st.integers(-30, 400))
def test_statuses_agree_with_due_dates(case: Case, days: int) -> None:
    as_of = judged_on(case) + timedelta(days=days)
    for d in evaluate(case, as_of=as_of).deadlines:
        check_status(d, as_of)


ALLOWED_LATER = {
    (Status.PENDING, Status.OVERDUE),
    (Status.PENDING, Status.DISAPPLIED),
    (Status.PENDING, Status.NOT_APPLICABLE),  # a right that lapsed unused
}


@given(histories(), st.integers(0, 200), st.integers(1, 400))
def test_later_as_of_only_moves_pending_forward(case: Case, first: int, more: int) -> None:
    early = judged_on(case) + timedelta(days=first)
    late = early + timedelta(days=more)
    before = evaluate(case, as_of=early).deadlines
    after = evaluate(case, as_of=late).deadlines
    assert [(d.rule_id, d.key, d.due) for d in before] == [(d.rule_id, d.key, d.due) for d in after]
    for b, a in zip(before, after, strict=True):
        if b.status is not a.status and standard(b):
            assert (b.status, a.status) in ALLOWED_LATER, (b.rule_id, b.status, a.status)
        if a.status is Status.NOT_APPLICABLE and b.status is Status.PENDING:
            assert a.rule is not None and a.rule.lapses


@given(histories(compliant=True))
def test_compliant_histories_have_nothing_missed_or_overdue(case: Case) -> None:
    report = evaluate(case, as_of=judged_on(case))
    assert not [d.rule_id for d in report.deadlines if d.status in s.VIOLATIONS]


@given(histories(compliant=True, as_of=AS_OF))
def test_compliant_histories_as_of_a_date(case: Case) -> None:
    assert judged_on(case) <= AS_OF
    report = evaluate(case, as_of=AS_OF)
    assert not [d.rule_id for d in report.deadlines if d.status in s.VIOLATIONS]


@given(histories(compliant=False, as_of=AS_OF))
def test_non_compliant_histories_break_a_deadline(case: Case) -> None:
    assert judged_on(case) <= AS_OF
    report = evaluate(case, as_of=AS_OF)
    assert [d.rule_id for d in report.deadlines if d.status in s.VIOLATIONS]


@given(st.lists(histories(max_events=6), max_size=4), st.integers(0, 300))
def test_evaluate_many_equals_evaluate_one_by_one(cases: list[Case], days: int) -> None:
    as_of = AS_OF + timedelta(days=days)
    assert list(evaluate_many(iter(cases), as_of=as_of)) == [
        evaluate(c, as_of=as_of) for c in cases
    ]


def test_every_workflow_has_a_strategy() -> None:
    assert set(WORKFLOWS) <= set(sendflow.workflows.TABLES)
    assert "assessment" in WORKFLOWS
