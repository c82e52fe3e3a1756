"""Issue 14 points 2-4: as_of is a point in time, no silent clock, what a system records.

Worked by hand from the SEND Regulations 2014 (SI 2014/1530): reg. 5(1) (6 weeks to
decide), reg. 10(1) (16 weeks to say no plan), reg. 13(2) (20 weeks to the final plan),
all from the day the request was received.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import pytest

from sendflow import Case, ComplianceReport, InvalidArgument, evaluate, evaluate_many, recording

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}
ASSESS = {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"}
REFUSE = {"type": "assessment_decision", "on": "2026-02-10", "outcome": "refuse"}
DRAFT = {"type": "draft_plan_issued", "on": "2026-04-20"}
FINAL = {"type": "final_plan_issued", "on": "2026-07-01"}


def _case(*events: dict[str, Any], **extra: Any) -> Case:
    return Case.model_validate({"events": list(events), **extra})


def test_events_after_as_of_are_not_seen() -> None:
    case = _case(REQUEST, ASSESS, DRAFT, FINAL)
    report = evaluate(case, as_of=date(2026, 3, 1))
    assert report.state == "assessing"
    assert report.events_after_as_of == 2
    final = report.deadline("assessment.final_plan")
    # reg. 13(2): Mon 5 Jan 2026 + 140 days = Mon 25 May 2026.
    assert (final.due, final.status, final.met_on) == (date(2026, 5, 25), "pending", None)
    truncated = _case(REQUEST, ASSESS)
    seen = evaluate(truncated, as_of=date(2026, 3, 1))
    assert report.model_copy(update={"events_after_as_of": 0}) == seen


def test_no_events_after_as_of_counts_none() -> None:
    report = evaluate(_case(REQUEST, ASSESS), as_of=date(2026, 3, 1))
    assert report.events_after_as_of == 0
    assert report.recorded is None


def test_a_date_far_beyond_as_of_is_a_finding_not_a_fact() -> None:
    mistyped = {"type": "final_plan_issued", "on": "2062-07-01"}
    report = evaluate(_case(REQUEST, ASSESS, DRAFT, mistyped), as_of=date(2026, 8, 1))
    assert report.state == "draft_issued"
    assert report.events_after_as_of == 1
    codes = [(f.code, f.event_index) for f in report.findings]
    assert ("event_far_after_as_of", 3) in codes
    assert report.deadline("assessment.final_plan").status == "overdue"


def test_events_outside_the_childs_life_are_findings() -> None:
    child = {"date_of_birth": "2010-05-01"}
    late = {"type": "final_plan_issued", "on": "2040-01-01"}
    case = _case({**REQUEST, "on": "2009-01-05"}, ASSESS, DRAFT, late, child=child)
    report = evaluate(case, as_of=date(2026, 8, 1))
    codes = {f.code for f in report.findings}
    assert {"event_before_birth", "event_after_26th_birthday", "event_far_after_as_of"} <= codes
    for f in report.findings:
        assert "2010" not in f.message


def test_a_reversed_refusal_keeps_the_20_week_clock_from_the_request() -> None:
    # request Mon 5 Jan 2026; refused 10 Feb; the LA reconsiders on 1 Mar without a
    # new request: the final plan is still due Mon 25 May 2026 (reg. 13(2)).
    case = _case(REQUEST, REFUSE, {**ASSESS, "on": "2026-03-01"})
    assert case.state == "assessing"
    report = evaluate(case, as_of=date(2026, 6, 1))
    final = report.deadline("assessment.final_plan")
    assert (final.due, final.status) == (date(2026, 5, 25), "overdue")
    assert final.note is not None and "reg. 13(2)" in final.note
    no_plan = report.deadline("assessment.no_plan_notice")
    assert (no_plan.due, no_plan.status) == (date(2026, 4, 27), "overdue")
    # the refusal itself met the 6-week decision limit
    assert report.deadline("assessment.decision").status == "met"


def test_a_reversed_no_plan_notice_keeps_the_final_plan_clock() -> None:
    notice = {"type": "no_plan_notice_sent", "on": "2026-04-01"}
    case = _case(REQUEST, ASSESS, notice, {**DRAFT, "on": "2026-05-01"})
    report = evaluate(case, as_of=date(2026, 5, 10))
    final = report.deadline("assessment.final_plan")
    assert (final.due, final.status) == (date(2026, 5, 25), "pending")
    assert final.note is not None and "reversed" in final.note


def test_recorded_profile_marks_unrecorded_meeting_events() -> None:
    case = _case(REQUEST, ASSESS, {"type": "advice_requested", "on": "2026-02-11",
                                   "adviser": "educational"})
    report = evaluate(case, as_of=date(2026, 6, 1), recorded=recording.MINIMAL)
    advice = report.deadline("assessment.advice")
    assert advice.status == "not_recorded"
    assert advice.note is not None and "advice_received" in advice.note
    assert report.deadline("assessment.final_plan").status == "overdue"  # recorded: judged
    assert report.state == "assessing"
    assert report.recorded == tuple(sorted(recording.MINIMAL))
    assert "not recorded" in advice.explain()


def test_recorded_accepts_names_and_rejects_unknown_types() -> None:
    case = _case(REQUEST)
    report = evaluate(case, as_of=date(2026, 6, 1), recorded=["request_received"])
    assert report.deadline("assessment.decision").status == "not_recorded"
    with pytest.raises(InvalidArgument):
        evaluate(case, as_of=date(2026, 6, 1), recorded=["no_such_event"])
    with pytest.raises(InvalidArgument):
        list(evaluate_many([case], as_of=date(2026, 6, 1), recorded="nonsense"))
    many = list(evaluate_many([case], as_of=date(2026, 6, 1), recorded="minimal"))
    assert many[0].deadline("assessment.decision").status == "overdue"


def test_report_json_round_trip_keeps_the_new_fields() -> None:
    case = _case(REQUEST, ASSESS, DRAFT, FINAL)
    report = evaluate(case, as_of=date(2026, 3, 1), recorded="sen2")
    again = ComplianceReport.model_validate_json(report.model_dump_json())
    assert again.events_after_as_of == 2
    assert again.recorded == report.recorded
    assert json.loads(report.model_dump_json())["events_after_as_of"] == 2
