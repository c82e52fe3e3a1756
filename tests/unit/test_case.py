"""Case: replay, apply, rejection and JSON round-trip."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sendflow import Case, InvalidEvent, InvalidTransition, SendflowError
from sendflow.workflows.assessment import AssessmentDecision, RequestReceived

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}


def test_a_case_needs_nothing_but_events() -> None:
    assert Case.model_validate({"events": []}).state == "not_requested"
    assert Case().state == "not_requested"
    assert Case.model_validate({"events": [REQUEST]}).state == "awaiting_decision"


def test_apply_returns_a_new_case_and_leaves_the_old_one() -> None:
    case = Case.model_validate({"events": [REQUEST]})
    after = case.apply(AssessmentDecision(on=date(2026, 2, 1), outcome="assess"))
    assert after.state == "assessing"
    assert case.state == "awaiting_decision"
    assert len(case.events) == 1 and len(after.events) == 2


def test_event_not_allowed_names_state_and_event() -> None:
    case = Case.model_validate({"events": [REQUEST]})
    with pytest.raises(InvalidTransition) as info:
        case.apply({"type": "final_plan_issued", "on": "2026-02-01"})
    err = info.value
    assert (err.state, err.event, err.index) == ("awaiting_decision", "final_plan_issued", 1)
    assert "final_plan_issued" in str(err) and "awaiting_decision" in str(err)
    assert case.state == "awaiting_decision"
    assert isinstance(err, SendflowError)


def test_event_dated_before_previous_is_rejected() -> None:
    case = Case.model_validate({"events": [REQUEST]})
    with pytest.raises(InvalidTransition, match="dated before the previous event"):
        case.apply({"type": "assessment_decision", "on": "2026-01-04", "outcome": "assess"})


def test_same_day_events_are_allowed() -> None:
    case = Case.model_validate({"events": [REQUEST]})
    assert case.apply({"type": "request_withdrawn", "on": "2026-01-05"}).state == "withdrawn"


def test_exception_may_be_recorded_after_it_began() -> None:
    case = Case.model_validate(
        {
            "events": [
                REQUEST,
                {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"},
                {"type": "exception_recorded", "on": "2026-02-01", "ground": "absent_from_area"},
            ]
        }
    )
    assert case.state == "assessing"


def test_malformed_event_raises_invalid_event_without_values() -> None:
    case = Case.model_validate({"events": [REQUEST]})
    with pytest.raises(InvalidEvent) as info:
        case.apply({"type": "assessment_decision", "on": "2026-02-01", "outcome": "perhaps"})
    assert "perhaps" not in str(info.value)
    assert "outcome" in str(info.value)


def test_invalid_history_fails_validation_with_index() -> None:
    with pytest.raises(ValidationError) as info:
        Case.model_validate(
            {"events": [{"type": "final_plan_issued", "on": "2026-01-01"}, REQUEST]}
        )
    assert "event #1" in str(info.value)


def test_unknown_fields_and_types_are_rejected() -> None:
    with pytest.raises(ValidationError):
        Case.model_validate({"events": [{**REQUEST, "surname": "Smith"}]})
    with pytest.raises(ValidationError):
        Case.model_validate({"events": [{"type": "meteor_strike", "on": "2026-01-01"}]})
    with pytest.raises(ValidationError):
        Case.model_validate({"events": [], "colour": "blue"})


def test_event_with_only_contract_fields_validates() -> None:
    events = [
        REQUEST,
        {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"},
        {"type": "advice_requested", "on": "2026-02-11", "adviser": "psychological"},
        {"type": "advice_received", "on": "2026-03-11", "adviser": "psychological"},
        {
            "type": "exception_recorded",
            "on": "2026-03-12",
            "ground": "school_closure",
            "until": "2026-04-20",
        },
        {"type": "draft_plan_issued", "on": "2026-04-21"},
        {"type": "setting_consulted", "on": "2026-04-21"},
        {"type": "representations_received", "on": "2026-04-28"},
        {"type": "setting_response_received", "on": "2026-04-29"},
        {"type": "final_plan_issued", "on": "2026-05-20"},
    ]
    case = Case.model_validate({"events": events})
    assert case.state == "plan_issued"


def test_json_round_trip_is_lossless() -> None:
    case = Case.model_validate(
        {
            "reference": "C-1",
            "responsible_la": "202",
            "events": [
                REQUEST,
                {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"},
            ],
        }
    )
    data = case.model_dump(mode="json")
    again = Case.model_validate(data)
    assert again == case and again.model_dump(mode="json") == data
    assert Case.model_validate_json(case.model_dump_json()) == case


def test_history_yields_state_after_each_event() -> None:
    case = Case.model_validate(
        {
            "events": [
                REQUEST,
                {"type": "assessment_decision", "on": "2026-02-10", "outcome": "refuse"},
            ]
        }
    )
    assert [s for _, _, s in case.history()] == ["awaiting_decision", "assessment_refused"]


def test_repr_has_no_personal_data() -> None:
    case = Case.model_validate({"events": [REQUEST], "child": {"date_of_birth": "2015-03-14"}})
    assert "2015" not in repr(case)


def test_apply_all_is_all_or_nothing() -> None:
    case = Case()
    with pytest.raises(InvalidTransition):
        case.apply_all(
            [
                RequestReceived(on=date(2026, 1, 5), made_by="parent"),
                {"type": "final_plan_issued", "on": "2026-01-06"},
            ]
        )
    assert case.events == ()


def test_direct_construction_and_assignment_never_echo_input() -> None:
    from sendflow import ChildOrYoungPerson

    with pytest.raises(ValidationError) as info:
        ChildOrYoungPerson(date_of_birth="2015-03-17", Zebedee=1)  # type: ignore[call-arg]
    assert "Zebedee" not in str(info.value)
    with pytest.raises(ValidationError) as info:
        Case(events=[{"type": "Zebedee", "on": "2026-01-05"}])  # type: ignore[list-item]
    assert "Zebedee" not in str(info.value)
    child = ChildOrYoungPerson(date_of_birth="2015-03-17")  # type: ignore[arg-type]
    with pytest.raises(ValidationError) as info:
        child.family_name = "Quixote"  # type: ignore[misc]
    assert "Quixote" not in str(info.value)


def test_models_validate_without_calling_back_into_python() -> None:
    """A custom __init__ would make pydantic-core call Python for every nested model."""
    from sendflow import ChildOrYoungPerson

    assert not Case.__pydantic_custom_init__
    assert not ChildOrYoungPerson.__pydantic_custom_init__


def test_replay_runs_for_every_way_of_building_a_case() -> None:
    events = (RequestReceived(on=date(2026, 1, 5), made_by="parent"),
              AssessmentDecision(on=date(2026, 2, 2), outcome="assess"))
    built = [
        Case.model_validate({"events": [e.model_dump() for e in events]}),
        Case(events=events),
        Case.model_construct(events=events),  # trusted data: replayed all the same
    ]
    assert {c.state for c in built} == {"assessing"}
    assert all(c.main_states() == ["awaiting_decision", "assessing"] for c in built)
