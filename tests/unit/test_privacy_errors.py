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


def test_a_dict_key_in_a_location_is_hidden_unless_safe() -> None:
    """Issue 17 point 1: a dictionary's keys are input, like an unknown key."""
    from sendflow import ComplianceReport

    with pytest.raises(ValidationError) as info:
        ComplianceReport.model_validate(
            {"as_of": "2026-01-01", "state": "x", "deadlines": [],
             "states": {SECRET + " Smith": 5, "disagreement": 6}}
        )
    assert SECRET not in every_text(info.value)
    assert sorted(e["loc"] for e in info.value.errors()) == [
        ("states", "<unknown field>"), ("states", "disagreement")
    ]


def _user_calls() -> list[Any]:
    from pydantic import Field

    from sendflow import ChildOrYoungPerson, Event, SafeModel, SafeTypeAdapter

    class Referral(SafeModel):
        child: ChildOrYoungPerson
        note: int
        by_name: dict[str, int] = Field(default_factory=dict)

    bad_child = {"date_of_birth": SECRET, "upn": SECRET}
    return [
        lambda: Referral.model_validate({"child": bad_child, "note": SECRET}),
        lambda: Referral(child=bad_child, note=SECRET),  # type: ignore[arg-type]
        lambda: Referral.model_validate_json(json.dumps({"child": bad_child, "note": 1})),
        lambda: Referral.model_validate(
            {"child": {"date_of_birth": "2015-01-01"}, "note": 1, "by_name": {SECRET: SECRET}}
        ),
        lambda: SafeTypeAdapter(Event).validate_python({"type": "request_withdrawn",
                                                        "on": SECRET}),
        lambda: SafeTypeAdapter(list[Event]).validate_json(
            json.dumps([{"type": "request_received", "on": "2026-01-05", "made_by": SECRET}])
        ),
        lambda: SafeTypeAdapter(Case).validate_python({"events": [], SECRET: 1}),
        lambda: SafeTypeAdapter(dict[str, int]).validate_strings({"a": SECRET}),
    ]


@pytest.mark.parametrize("index", range(8))
def test_the_users_own_models_and_adapters_keep_the_guarantee(index: int) -> None:
    """Issue 17 point 1: SafeModel and SafeTypeAdapter, for the user's own code."""
    with pytest.raises(ValidationError) as info:
        _user_calls()[index]()
    assert SECRET not in every_text(info.value)
    assert all(err["input"] is None and err["loc"] for err in info.value.errors())


def test_redact_validation_error_for_any_other_model() -> None:
    from pydantic import BaseModel

    from sendflow import redact_validation_error

    class Row(BaseModel):
        name: int
        notes: dict[str, int]

    with pytest.raises(ValidationError) as info:
        Row.model_validate({"name": SECRET, "notes": {SECRET: "x"}, SECRET: 2})
    assert SECRET in every_text(info.value)  # pydantic's own keeps the input
    safe = redact_validation_error(info.value)
    assert SECRET not in every_text(safe)
    assert [e["loc"] for e in safe.errors()] == [("name",), ("notes", "<unknown field>")]
