"""Issue 17: no input in any part of a sendflow ValidationError, and wrong-typed
calendar arguments are sendflow errors (booleans are not counts)."""

from __future__ import annotations

import json
from datetime import UTC, date
from typing import Any

import pytest
from pydantic import ValidationError

from sendflow import Case, InvalidArgument, SendflowError, calendar
from sendflow.case import parse_event
from sendflow.errors import CalendarError

SECRET = "Quinteroxa"


def every_text(exc: ValidationError) -> str:
    """str, repr, errors() (defaults: input included if pydantic kept it) and json()."""
    return str(exc) + repr(exc) + json.dumps(exc.errors(), default=str) + exc.json()


@pytest.mark.parametrize(
    "call",
    [
        lambda: parse_event({"type": "request_withdrawn", "on": SECRET}),
        lambda: Case.model_validate(
            {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": SECRET}]}
        ),
        lambda: Case.model_validate_json(
            json.dumps({"reference": 5, "events": [{"type": "request_received",
                                                    "on": SECRET, "made_by": "parent"}]})
        ),
        lambda: Case(events=[{"type": "request_received", "on": SECRET}]),  # type: ignore[list-item]
    ],
)
def test_no_input_in_any_part_of_the_error(call: Any) -> None:
    with pytest.raises(ValidationError) as info:
        call()
    assert SECRET not in every_text(info.value)
    assert all(err.get("input") is None for err in info.value.errors())
    assert all(err["loc"] for err in info.value.errors())  # the field is still named


@pytest.mark.parametrize(
    "call",
    [
        lambda: calendar.add_weeks(date(2026, 1, 5), True),
        lambda: calendar.add_days(date(2026, 1, 5), False),
        lambda: calendar.add_months(date(2026, 1, 5), 2.5),
        lambda: calendar.add_working_days("2026-01-05", 3),
        lambda: calendar.bank_holidays(2026.5),
        lambda: calendar.bank_holidays(True),
        lambda: calendar.is_projected(date(2026, 1, 1)),
        lambda: calendar.academic_year_end(9999),
        lambda: calendar.academic_year_end("2026"),
    ],
)
def test_wrong_calendar_arguments_are_sendflow_errors(call: Any) -> None:
    with pytest.raises(SendflowError) as info:
        call()
    assert isinstance(info.value, (InvalidArgument, CalendarError))


@pytest.mark.parametrize(
    "call",
    [
        lambda: __import__("sendflow").appeal_deadline(date(9999, 10, 25)),
        lambda: __import__("sendflow.appeals").appeals.appeal_deadline("2026-01-05"),
        lambda: __import__("sendflow.lifecycle").lifecycle.plan_latest_end(date(9975, 8, 1)),
        lambda: __import__("sendflow.lifecycle").lifecycle.phase_transfer_due(
            "nope", date(2026, 9, 1)
        ),
        lambda: __import__("sendflow").plan_timeline(request_received=date(2026, 1, 5)).step(
            "nope"
        ),
    ],
)
def test_public_functions_raise_only_sendflow_errors(call: Any) -> None:
    with pytest.raises(SendflowError) as info:
        call()
    assert "nope" not in str(info.value).split("(the keys")[0]


def test_evaluate_refuses_a_datetime_and_a_plain_dict() -> None:
    from datetime import datetime

    from sendflow import evaluate

    case = Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    )
    with pytest.raises(InvalidArgument):
        evaluate(case, as_of=datetime(2026, 3, 1, tzinfo=UTC))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument):
        evaluate({"events": []}, as_of=date(2026, 3, 1))  # type: ignore[arg-type]
