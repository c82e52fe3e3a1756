"""Properties of issue 14 over generated histories of every workflow, and of
records that open part-way (``record_opened`` then a walk of the main line).

- as_of is a point in time: the report as of D is the report of the case
  truncated at D (state included), apart from the count of what was left out;
- no silent clock: in awaiting_decision, assessing and draft_issued the
  corresponding deadline exists and is never not_applicable without a note;
- recorded profiles never yield overdue or missed for an unrecorded event;
- an opened record never reports a deadline from a day it does not hold.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import assume, given
from hypothesis import strategies as st

from sendflow import Case, evaluate, recording
from sendflow._caseview import is_undated, met_types
from sendflow.compliance import ComplianceReport, Status
from sendflow.errors import SendflowError
from sendflow.testing import strategies as s
from sendflow.workflows import MAIN, TABLES
from sendflow.workflows.opening import OPEN_STATES, PLAN_OPEN_STATES, RecordOpened

WORKFLOWS = sorted(TABLES)
_DATE_FINDINGS = {"event_far_after_as_of", "event_before_birth", "event_after_26th_birthday"}


@st.composite
def opened_cases(draw: st.DrawFn, steps: int = 6) -> Case:
    """A record opened part-way (consistent anchors drawn before 'on'), then a
    walk of up to ``steps`` events of the main line."""
    state = draw(st.sampled_from(OPEN_STATES))
    on = draw(st.dates(date(2016, 1, 1), date(2031, 12, 31)))
    gaps = sorted(draw(st.lists(st.integers(0, 900), min_size=4, max_size=4)), reverse=True)
    dates = [on - timedelta(days=g) for g in gaps]  # in process order, none after 'on'
    fields: dict[str, Any] = {"type": "record_opened", "on": on, "state": state}
    transfer = state == "plan_maintained" and draw(st.booleans())
    names = (["plan_made_on", "last_review_on", "transferred_on"] if transfer else
             ["request_received_on", "decision_on", "plan_made_on", "last_review_on"])
    for name, day in zip(names, dates, strict=False):
        if draw(st.booleans()):
            fields[name] = day
    if transfer:
        fields["transferred_on"] = fields.get("transferred_on", dates[2])
        if draw(st.booleans()):
            fields["transferred_from_la"] = "201"
    if state not in PLAN_OPEN_STATES:
        fields.pop("plan_made_on", None)
        fields.pop("last_review_on", None)
    if state == "awaiting_decision":
        fields.pop("decision_on", None)
    if state == "plan_issued":
        fields.pop("last_review_on", None)
    if "transferred_on" in fields and "last_review_on" in fields and draw(st.booleans()):
        fields["last_review_on"] = on  # a review by the new LA after the transfer
    try:
        case = Case.model_validate({"events": [fields]})
    except ValueError:
        assume(False)
        raise
    day = on
    for _ in range(draw(st.integers(0, steps))):
        known = s.event_types()
        rows = [r for r in MAIN.transitions if r.source == case.state and r.event in known]
        if not rows:
            break
        row = draw(st.sampled_from(rows))
        day = day + timedelta(days=draw(st.integers(0, 90)))
        event = draw(s.events(row.event, on=day, **dict(row.when)))
        try:
            case = case.apply(event)
        except SendflowError:
            break
    return case


def any_cases() -> st.SearchStrategy[Case]:
    walked = st.sampled_from(WORKFLOWS).flatmap(lambda wf: s.case_histories(wf))  # type: ignore[arg-type]
    return walked | opened_cases()


def _truncated(case: Case, as_of: date) -> Case:
    events = tuple(e for e in case.events if e.on <= as_of)
    try:
        return Case(events=events)
    except ValueError:
        cut = next(i for i, e in enumerate(case.events) if e.on > as_of)
        return Case(events=case.events[:cut])


def _comparable(report: ComplianceReport) -> ComplianceReport:
    return report.model_copy(update={
        "events_after_as_of": 0,
        "findings": tuple(f for f in report.findings if f.code not in _DATE_FINDINGS),
    })


@given(any_cases(), st.integers(-400, 400))
def test_report_as_of_a_day_is_the_report_of_the_case_truncated_there(
    case: Case, shift: int
) -> None:
    last = s.latest_date(case)
    assert last is not None
    as_of = last + timedelta(days=shift)
    report = evaluate(case, as_of=as_of)
    truncated = _truncated(case, as_of)
    assume(truncated.events)
    assert _comparable(report) == _comparable(evaluate(truncated, as_of=as_of))
    assert report.state == truncated.state
    assert report.events_after_as_of == len(case.events) - len(truncated.events)
    assert all(d.met_on is None or d.met_on <= as_of for d in report.deadlines)


#: The deadline each state must show running (or explain).
EXPECTED = {
    "awaiting_decision": "assessment.decision",
    "assessing": "assessment.final_plan",
    "draft_issued": "assessment.final_plan",
}


@given(any_cases(), st.integers(0, 200))
def test_no_silent_clock(case: Case, later: int) -> None:
    for n in range(1, len(case.events) + 1):
        prefix = Case(events=case.events[:n])
        rule = EXPECTED.get(prefix.state)
        if rule is None:
            continue
        last = s.latest_date(prefix)
        assert last is not None
        report = evaluate(prefix, as_of=last + timedelta(days=later))
        instances = [d for d in report.deadlines if d.rule_id == rule]
        assert instances, (prefix.state, rule)
        latest = report.deadline(rule)
        assert latest.status is not Status.NOT_APPLICABLE or latest.note, (
            prefix.state, [e.type for e in prefix.events], latest.explain())


@given(any_cases(), st.sampled_from(["all", "sen2", "minimal", "subset"]), st.data())
def test_recorded_profiles_never_flag_unrecorded_events(
    case: Case, profile: str, data: st.DataObject
) -> None:
    if profile == "subset":
        kept = frozenset(data.draw(st.sets(st.sampled_from(sorted(recording.ALL)))))
    else:
        kept = recording.resolve(profile)
    last = s.latest_date(case)
    assert last is not None
    report = evaluate(case, as_of=last + timedelta(days=30), recorded=kept)
    plain = evaluate(case, as_of=last + timedelta(days=30))
    assert report.state == plain.state and report.states == plain.states
    for d in report.deadlines:
        types = met_types(d)
        if types and types.isdisjoint(kept):
            assert d.status not in (Status.OVERDUE, Status.MISSED), d.explain()
    if kept == recording.ALL:
        assert [d.status for d in report.deadlines] == [d.status for d in plain.deadlines]


@given(opened_cases(steps=3), st.integers(0, 400))
def test_an_opened_record_reports_no_day_it_does_not_hold(case: Case, later: int) -> None:
    opening = case.events[0]
    assert isinstance(opening, RecordOpened)
    last = s.latest_date(case)
    assert last is not None
    report = evaluate(case, as_of=last + timedelta(days=later))
    anchors = {d for d in (opening.request_received_on, opening.decision_on,
                           opening.plan_made_on, opening.last_review_on,
                           opening.transferred_on) if d is not None}
    for d in report.deadlines:
        for value in (d.started_on, d.met_on, d.due):
            assert not is_undated(value), d.explain()
        if d.started_on is not None and d.started_on < opening.on:
            assert d.started_on in anchors, d.explain()
    assert all(f.event_index is None or 0 <= f.event_index < len(case.events)
               for f in report.findings)
    again = ComplianceReport.model_validate_json(report.model_dump_json())
    assert again.events_after_as_of == report.events_after_as_of
