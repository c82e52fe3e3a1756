"""Issue 17 point 5: a copied case can never hold a stale state."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sendflow import Case, evaluate

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}
DECISION = {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"}


def test_new_events_are_replayed() -> None:
    copy = Case(reference="r1").model_copy(update={"events": [REQUEST]})
    fresh = Case.model_validate({"reference": "r1", "events": [REQUEST]})
    assert copy.state == fresh.state == "awaiting_decision"
    assert copy.main_states() == fresh.main_states()
    as_of = date(2026, 3, 1)
    assert evaluate(copy, as_of=as_of) == evaluate(fresh, as_of=as_of)
    assert len(evaluate(copy, as_of=as_of).deadlines) > 0


def test_events_taken_away_are_replayed_too() -> None:
    case = Case.model_validate({"events": [REQUEST, DECISION]})
    shorter = case.model_copy(update={"events": case.events[:1]})
    assert shorter.state == "awaiting_decision" != case.state
    assert Case().model_copy(update={"reference": "r2"}).state == Case().state


def test_a_bad_update_is_refused() -> None:
    with pytest.raises(ValidationError):  # as Case.model_validate gives it
        Case().model_copy(update={"events": [DECISION]})
    with pytest.raises(ValidationError):
        Case().model_copy(update={"events": [{"type": "request_received", "on": "soon"}]})
    with pytest.raises(ValidationError):
        Case().model_copy(update={"reference": 5})
    with pytest.raises(ValidationError) as info:
        Case().model_copy(update={"B801200005001": 1})
    assert "B801200005001" not in str(info.value) + info.value.json()


def test_a_plain_copy_keeps_everything() -> None:
    case = Case.model_validate({"reference": "r1", "events": [REQUEST]})
    copy = case.model_copy()
    assert copy == case and copy.state == case.state and copy is not case
    assert case.model_copy(deep=True) == case
    assert case.model_copy(update={"reference": "r1"}).model_fields_set == case.model_fields_set
