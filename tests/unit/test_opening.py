"""record_opened: a record that opens part-way (issue 14 point 1).

The anchors are checked against ``on``, against each other and against the
state; errors name the field and never carry the value given.
"""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from sendflow import Case, InvalidTransition
from sendflow.workflows import EVENT_CLASSES
from sendflow.workflows.opening import FIRST_EVENTS, OPEN_STATES, RecordOpened


def _open(**fields: Any) -> Case:
    event = {"type": "record_opened", "on": "2026-09-01", **fields}
    return Case.model_validate({"events": [event]})


@pytest.mark.parametrize("state", OPEN_STATES)
def test_record_opened_moves_a_new_case_to_its_state(state: str) -> None:
    assert _open(state=state).state == state


def test_a_legacy_plan_with_its_review_date() -> None:
    case = _open(state="plan_maintained", plan_made_on="2021-03-04", last_review_on="2026-02-20")
    assert case.state == "plan_maintained"
    later = case.apply({"type": "review_meeting_held", "on": "2027-01-20"})
    assert later.state == "under_review"


def test_a_plan_transferred_in() -> None:
    case = _open(state="plan_maintained", plan_made_on="2022-05-01",
                 transferred_from_la="201", transferred_on="2026-08-03")
    opened = case.events[0]
    assert isinstance(opened, RecordOpened)
    assert opened.transferred_from_la == "201"
    assert opened.plan_open and opened.review_anchor is not None


def test_record_opened_only_as_first_event() -> None:
    case = Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    with pytest.raises(InvalidTransition, match="first event") as info:
        case.apply({"type": "record_opened", "on": "2026-02-01", "state": "assessing"})
    assert info.value.index == 1
    assert case.events[-1].type == "request_received"  # unchanged


def test_plan_transferred_may_begin_a_case() -> None:
    case = Case.model_validate({"events": [
        {"type": "plan_transferred", "on": "2026-04-01", "plan_made_on": "2023-01-10"}]})
    assert case.state == "plan_maintained"


#: Event types that cannot begin a case (every main-line type but the first events).
_MID_HISTORY = sorted(
    t for cls in EVENT_CLASSES
    if (t := cls.model_fields["type"].default) not in FIRST_EVENTS
    and t in {"review_meeting_held", "review_decision", "assessment_decision",
              "draft_plan_issued", "plan_ceased", "amended_plan_issued", "moved_to_another_la",
              "advice_requested", "no_plan_notice_sent", "cease_notice_sent"}
)


@pytest.mark.parametrize("type_", _MID_HISTORY)
def test_mid_history_events_cannot_begin_a_case(type_: str) -> None:
    fields: dict[str, Any] = {"type": type_, "on": "2026-03-01"}
    fields.update({
        "assessment_decision": {"outcome": "assess"},
        "review_decision": {"outcome": "maintain"},
        "advice_requested": {"adviser": "educational"},
        "moved_to_another_la": {"new_la": "202"},
    }.get(type_, {}))
    with pytest.raises(InvalidTransition, match="begins with") as info:
        Case().apply(fields)
    assert info.value.index == 0
    assert "record_opened" in str(info.value)


BAD: list[tuple[dict[str, Any], str]] = [
    ({"state": "assessing", "request_received_on": "2026-09-02"}, "request_received_on is after"),
    ({"state": "assessing", "request_received_on": "2026-05-02", "decision_on": "2026-05-01"},
     "decision_on is before request_received_on"),
    ({"state": "plan_maintained", "plan_made_on": "2024-05-02", "last_review_on": "2024-05-01"},
     "last_review_on is before plan_made_on"),
    ({"state": "plan_maintained", "plan_made_on": "2024-05-02", "transferred_on": "2024-05-01"},
     "transferred_on is before plan_made_on"),
    ({"state": "assessing", "plan_made_on": "2024-05-02"}, "before a plan is made"),
    ({"state": "draft_issued", "last_review_on": "2024-05-02"}, "before a plan is made"),
    ({"state": "awaiting_decision", "decision_on": "2026-05-02"}, "has no decision"),
    ({"state": "plan_issued", "last_review_on": "2026-05-02"}, "plan_maintained"),
    ({"state": "plan_issued", "transferred_on": "2026-05-02"}, "plan_maintained"),
    ({"state": "plan_maintained", "transferred_from_la": "201"}, "needs transferred_on"),
    ({"state": "plan_maintained", "transferred_on": "2026-05-02",
      "request_received_on": "2025-01-02"}, "old LA"),
    ({"state": "ceased"}, "state"),
]


@pytest.mark.parametrize(("fields", "message"), BAD)
def test_inconsistent_anchors_are_rejected_without_their_values(
    fields: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValidationError) as info:
        _open(**fields)
    text = str(info.value)
    assert message in text
    for value in fields.values():
        if value not in ("assessing", "plan_maintained", "plan_issued", "draft_issued",
                         "awaiting_decision", "ceased"):
            assert value not in text
            assert value not in repr(info.value.errors(include_input=False))
