"""Property tests for the plan lifecycle (issue 5).

- every generated lifecycle history replays deterministically;
- ``upcoming`` equals filtering every deadline of ``evaluate`` by date.
"""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sendflow import Case, evaluate
from sendflow.upcoming import upcoming
from sendflow.workflows import MAIN

_FIELDS: dict[str, list[dict[str, Any]]] = {
    "review_decision": [{"outcome": o} for o in ("maintain", "amend", "cease")],
    "reassessment_decision": [{"outcome": "assess"}, {"outcome": "refuse"}],
    "moved_to_another_la": [{"new_la": "802", "old_la": "801"}],
    "request_received": [{"made_by": "parent"}],
    "assessment_decision": [{"outcome": "assess"}, {"outcome": "refuse"}],
    "advice_requested": [{"adviser": "educational"}],
    "advice_received": [{"adviser": "educational"}],
    "exception_recorded": [],
    "course_recorded": [{"setting": "further_education"}, {"setting": "apprenticeship"}],
}


@st.composite
def histories(draw: st.DrawFn) -> list[dict[str, Any]]:
    """A walk through the main-line table from a first plan (dates increasing)."""
    day = draw(st.dates(min_value=date(2015, 1, 1), max_value=date(2030, 1, 1)))
    events: list[dict[str, Any]] = [{"type": "final_plan_issued", "on": day.isoformat()}]
    state = "plan_issued"
    for _ in range(draw(st.integers(0, 25))):
        options = []
        for event in MAIN.allowed(state):
            if event == "exception_recorded":
                continue
            for extra in _FIELDS.get(event, [{}]):
                if event == "phase_transfer_scheduled":
                    extra = {"transfer_date": (day + timedelta(days=200)).isoformat(),
                             "kind": draw(st.sampled_from(["primary_to_secondary",
                                                           "post16_to_post16",
                                                           "secondary_to_post16"]))}
                probe = SimpleNamespace(type=event, **extra)
                if MAIN.next_state(state, probe) is not None:
                    options.append((event, extra))
        if not options:
            break
        event, extra = draw(st.sampled_from(options))
        day += timedelta(days=draw(st.integers(0, 120)))
        record = {"type": event, "on": day.isoformat(), **extra}
        case = Case.model_validate({"events": [*events, record]})
        events.append(record)
        state = case.state
    return events


@settings(max_examples=60, deadline=None)
@given(histories(), st.dates(min_value=date(2015, 1, 1), max_value=date(2040, 1, 1)))
def test_lifecycle_replay_is_deterministic(events: list[dict[str, Any]], as_of: date) -> None:
    a = Case.model_validate({"events": events})
    b = Case.model_validate(a.model_dump(mode="json"))
    assert a.states == b.states
    assert evaluate(a, as_of=as_of) == evaluate(b, as_of=as_of)


@settings(max_examples=60, deadline=None)
@given(histories(), st.dates(min_value=date(2015, 1, 1), max_value=date(2035, 1, 1)),
       st.integers(0, 800))
def test_upcoming_equals_filtering_deadlines(
    events: list[dict[str, Any]], start: date, width: int
) -> None:
    case = Case.model_validate({"events": events})
    end = start + timedelta(days=width)
    got = [(u.rule_id, u.key, u.due, u.status) for u in
           upcoming([case], between=(start, end), as_of=start)]
    want = sorted(
        ((d.rule_id, d.key, d.due, d.status) for d in evaluate(case, as_of=start).deadlines
         if d.due is not None and start <= d.due <= end),
        key=lambda t: (t[2], t[0], t[1] or ""),
    )
    assert got == want
