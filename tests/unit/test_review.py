"""Unit tests for the plan-lifecycle workflow, helpers and evaluators (issue 5).

Dates are worked by hand from CFA 2014 ss. 44-46 and SEND Regulations 2014
regs 15, 18, 20-22, 46 (timescales.md worked examples 3-6).
"""

from __future__ import annotations

from datetime import date

import pytest

from sendflow import Case, InvalidTransition, evaluate
from sendflow.lifecycle import phase_transfer_due, plan_latest_end, transfer_kind_for
from sendflow.workflows import MAIN, TABLES
from sendflow.workflows.review import REVIEW, TransferKind, review_machine

PLAN = {"type": "final_plan_issued", "on": "2025-03-20"}


def test_review_table_is_drawable_and_composed_into_main() -> None:
    assert TABLES["review"] is REVIEW
    assert "plan_issued" in MAIN.states and "ceased" in MAIN.final
    # plan_issued has the same exits as plan_maintained
    assert MAIN.allowed("plan_issued") == MAIN.allowed("plan_maintained")


def test_whole_history_from_request_to_ceasing() -> None:
    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2025-01-06", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2025-02-10", "outcome": "assess"},
        {"type": "draft_plan_issued", "on": "2025-04-01"},
        {"type": "representations_received", "on": "2025-04-10"},
        {"type": "final_plan_issued", "on": "2025-05-20"},
        {"type": "review_invitations_sent", "on": "2026-04-01"},
        {"type": "review_meeting_held", "on": "2026-04-20"},
        {"type": "review_decision", "on": "2026-05-10", "outcome": "cease"},
        {"type": "cease_notice_sent", "on": "2026-05-10"},
        {"type": "plan_ceased", "on": "2026-08-01"},
    ]})
    assert case.state == "ceased"
    with pytest.raises(InvalidTransition):
        case.apply({"type": "review_meeting_held", "on": "2026-09-01"})


def test_review_decision_outcomes_route_the_plan() -> None:
    meeting = {"type": "review_meeting_held", "on": "2026-03-02"}
    base = Case.model_validate({"events": [PLAN, meeting]})
    states = {o: base.apply({"type": "review_decision", "on": "2026-03-20", "outcome": o}).state
              for o in ("maintain", "amend", "cease")}
    assert states == {"maintain": "plan_maintained", "amend": "amending", "cease": "ceasing"}


def test_review_decision_without_a_recorded_meeting_routes_the_plan() -> None:
    # A system that records only the LA's review decision (SEN2's LastReview,
    # the MINIMAL recording profile) still moves the plan on.
    case = Case.model_validate({"events": [PLAN]})
    states = {o: case.apply({"type": "review_decision", "on": "2026-03-20", "outcome": o}).state
              for o in ("maintain", "amend", "cease")}
    assert states == {"maintain": "plan_maintained", "amend": "amending", "cease": "ceasing"}
    kept = case.apply({"type": "review_decision", "on": "2026-03-20", "outcome": "maintain"})
    again = kept.apply({"type": "review_decision", "on": "2027-03-10", "outcome": "maintain"})
    assert again.state == "plan_maintained"


def test_moved_to_another_la_new_la_is_a_typed_la_code() -> None:
    case = Case.model_validate({"events": [PLAN]})
    with pytest.raises(ValueError, match="new_la"):
        case.apply({"type": "moved_to_another_la", "on": "2026-01-05", "new_la": "999"})


def test_generated_machine_follows_the_table() -> None:
    from sendflow.workflows.assessment import FinalPlanIssued
    from sendflow.workflows.review import ReviewDecision, ReviewMeetingHeld

    m = review_machine()
    m.send("final_plan_issued", record=FinalPlanIssued(on=date(2025, 3, 20)))
    m.send("review_meeting_held", record=ReviewMeetingHeld(on=date(2026, 3, 2)))
    m.send("review_decision", record=ReviewDecision(on=date(2026, 3, 9), outcome="amend"))
    assert m.current_state_value == "amending"


@pytest.mark.parametrize(
    ("dob", "expected"),
    [
        (date(2010, 3, 14), date(2035, 7, 31)),   # turns 25 in March: that July
        (date(2010, 7, 31), date(2035, 7, 31)),   # on 31 July itself
        (date(2010, 8, 1), date(2036, 7, 31)),    # 1 August: next July
        (date(2008, 2, 29), date(2033, 7, 31)),   # leap-day birthday, 1 Mar 2033
    ],
)
def test_plan_latest_end_further_education(dob: date, expected: date) -> None:
    # CFA 2014 s. 46; SEND Regulations 2014 reg. 46(1)(a): academic year ends 31 July
    assert plan_latest_end(dob) == expected


def test_plan_latest_end_other_course_capped_at_day_before_26() -> None:
    # reg. 46(1)(c): end of course, or the day before the 26th birthday if earlier
    dob = date(2010, 3, 14)
    assert plan_latest_end(dob, setting="other") == date(2036, 3, 13)
    assert plan_latest_end(dob, setting="other", course_end=date(2035, 6, 30)) == date(2035, 6, 30)


@pytest.mark.parametrize(
    ("frm", "to", "middle", "kind"),
    [
        (-1, 0, False, TransferKind.INTO_SCHOOL),
        (2, 3, False, TransferKind.INFANT_TO_JUNIOR),
        (6, 7, False, TransferKind.PRIMARY_TO_SECONDARY),
        (4, 5, True, TransferKind.PRIMARY_TO_SECONDARY),
        (8, 9, True, TransferKind.MIDDLE_TO_SECONDARY),
        (11, 12, False, TransferKind.SECONDARY_TO_POST16),
        (12, 13, False, TransferKind.POST16_TO_POST16),
        (4, 5, False, None),
        (7, 6, False, None),
    ],
)
def test_transfer_kind_for(frm: int, to: int, middle: bool, kind: TransferKind | None) -> None:
    assert transfer_kind_for(frm, to, middle_school=middle) == kind


@pytest.mark.parametrize(
    ("kind", "transfer", "due"),
    [
        ("primary_to_secondary", date(2026, 9, 1), date(2026, 2, 14)),  # reg 18(1)(b), a Saturday
        ("secondary_to_post16", date(2027, 9, 1), date(2027, 3, 30)),   # reg 18(1)(a)
        ("post16_to_post16", date(2027, 1, 4), date(2026, 8, 4)),       # reg 18(2)
        ("post16_to_post16", date(2027, 7, 31), date(2027, 2, 28)),     # month-end clamp
        ("secondary_to_post16", date(2015, 9, 1), date(2015, 5, 30)),   # reg 18(3)
        ("into_apprenticeship", date(2027, 9, 1), None),
    ],
)
def test_phase_transfer_due(kind: str, transfer: date, due: date | None) -> None:
    assert phase_transfer_due(kind, transfer) == due


def test_phase_transfer_explain_flags_the_code_of_practice_difference() -> None:
    case = Case.model_validate({"events": [
        PLAN,
        {"type": "phase_transfer_scheduled", "on": "2025-10-01", "transfer_date": "2026-09-01",
         "kind": "primary_to_secondary"},
    ]})
    text = evaluate(case, as_of=date(2026, 1, 1)).deadline("transfer.phase").explain()
    assert "by 15 February" in text and "Sat 14 Feb 2026" in text
    assert "before 15 February in the calendar year of" in text


def test_ceasing_explain_says_breached() -> None:
    case = Case.model_validate({"events": [
        PLAN, {"type": "cease_notice_sent", "on": "2026-03-13"},
        {"type": "plan_ceased", "on": "2026-04-01"},
    ]})
    report = evaluate(case, as_of=date(2026, 6, 1))
    assert "breached" in report.deadline("ceasing.appeal_window").explain()
    assert report.model_dump(mode="json")["deadlines"]  # serialises cleanly


def test_ceasing_waits_for_a_lodged_appeal() -> None:
    # CFA s. 45(4): with an appeal brought, the plan continues until it is decided
    case = Case.model_validate({"events": [
        PLAN, {"type": "cease_notice_sent", "on": "2026-03-13"},
        {"type": "appeal_rights_notified", "on": "2026-03-13", "decision": "cease"},
        {"type": "appeal_lodged", "on": "2026-04-20"},
    ]})
    d = evaluate(case, as_of=date(2026, 7, 1)).deadline("ceasing.appeal_window")
    assert d.status == "pending"


def test_age_25_needs_a_date_of_birth() -> None:
    case = Case.model_validate({"events": [PLAN]})
    assert evaluate(case, as_of=date(2026, 1, 1)).deadline("ceasing.age_25").due is None
