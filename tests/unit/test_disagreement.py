"""The disagreement region: table, generated machine, events, evaluators and findings.

Dates are worked by hand from SEND Regulations 2014 Part 6 and HESC Rules
r. 20(1)(c) and r. 12 (timescales.md examples 8-10).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sendflow import Case, InvalidEvent, InvalidTransition, evaluate
from sendflow._cli import main
from sendflow.workflows import EVENT_CLASSES, REGIONS, TABLES
from sendflow.workflows.disagreement import (
    DISAGREEMENT,
    DISAGREEMENT_EVENTS,
    AppealRightsNotified,
    DisagreementState,
    disagreement_machine,
)


def _case(*events: dict[str, Any]) -> Case:
    return Case.model_validate({"events": list(events)})


def test_region_and_table_are_registered() -> None:
    assert REGIONS["disagreement"] is DISAGREEMENT
    assert TABLES["disagreement"] is DISAGREEMENT
    assert set(DISAGREEMENT_EVENTS) <= set(EVENT_CLASSES)


def test_states_cover_the_issue() -> None:
    assert {s.value for s in DisagreementState} == set(DISAGREEMENT.states)
    assert set(DISAGREEMENT.states) >= {
        "raised", "in_mediation", "certificate_issued", "appeal_pending",
        "decided", "withdrawn", "conceded",
    }
    assert DISAGREEMENT.final == frozenset()  # a case can hold several disagreements


def test_every_table_event_has_an_event_class_or_is_shared() -> None:
    types = {cls.model_fields["type"].default for cls in EVENT_CLASSES}
    assert DISAGREEMENT.events <= types


def test_generated_machine_follows_the_table() -> None:
    m = disagreement_machine()
    m.send("appeal_rights_notified",
           record=AppealRightsNotified(on=date(2026, 1, 5), decision="refuse_assessment"))
    m.send("appeal_lodged", record={"type": "appeal_lodged", "on": "2026-01-20"})
    assert m.current_state_value == "appeal_pending"
    # as Case does, the machine needs the event itself, of the type sent
    with pytest.raises(InvalidEvent, match="required"):
        m.send("appeal_withdrawn", record=None)
    assert m.current_state_value == "appeal_pending"


def test_full_path_and_a_second_disagreement() -> None:
    case = _case(
        {"type": "appeal_rights_notified", "on": "2025-03-03", "decision": "refuse_assessment"},
        {"type": "mediation_adviser_contacted", "on": "2025-03-20"},
        {"type": "mediation_requested", "on": "2025-03-21", "health_issues": False},
        {"type": "mediation_held", "on": "2025-04-10", "outcome": "no_agreement"},
        {"type": "mediation_certificate_issued", "on": "2025-04-14"},
        {"type": "appeal_lodged", "on": "2025-05-01"},
        {"type": "tribunal_order", "on": "2025-09-15", "kind": "assess"},
    )
    assert case.states["disagreement"] == "decided"
    # years later, a new decision starts a new disagreement
    case = case.apply({"type": "appeal_rights_notified", "on": "2027-06-01", "decision": "cease"})
    assert case.states["disagreement"] == "raised"
    case = case.apply({"type": "appeal_lodged", "on": "2027-07-01"})
    case = case.apply({"type": "appeal_withdrawn", "on": "2027-07-20"})
    assert case.states["disagreement"] == "withdrawn"
    case = case.apply({"type": "appeal_rights_notified", "on": "2027-09-01",
                       "decision": "plan_contents"})
    assert case.states["disagreement"] == "raised"


def test_appeal_before_any_decision_is_rejected() -> None:
    with pytest.raises(InvalidTransition) as exc:
        Case().apply({"type": "appeal_lodged", "on": "2026-01-05"})
    assert exc.value.process == "disagreement"
    assert exc.value.state == "no_disagreement"


def test_order_needs_an_appeal() -> None:
    case = _case({"type": "appeal_rights_notified", "on": "2026-01-05", "decision": "cease"})
    with pytest.raises(InvalidTransition):
        case.apply({"type": "tribunal_order", "on": "2026-03-01", "kind": "cease"})


def test_exception_accepted_while_main_line_cannot_take_it() -> None:
    # main is 'assessment_refused' (no exception row there); the disagreement region takes it
    case = _case(
        {"type": "request_received", "on": "2026-03-02", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-04-10", "outcome": "refuse"},
        {"type": "exception_recorded", "on": "2026-04-20", "ground": "absent_from_area"},
    )
    assert case.state == "assessment_refused"


def test_open_appeal_windows_one_per_decision() -> None:
    case = _case(
        {"type": "appeal_rights_notified", "on": "2026-09-01", "decision": "refuse_amendment"},
        {"type": "appeal_rights_notified", "on": "2026-10-01", "decision": "plan_contents"},
        {"type": "appeal_rights_notified", "on": "2026-10-05", "decision": "cease"},
        {"type": "appeal_lodged", "on": "2026-10-20", "decision": "cease"},
    )
    report = evaluate(case, as_of=date(2026, 11, 10))
    windows = report.open_appeal_windows()
    # refuse_amendment: 1 Sep -> Sun 1 Nov -> Mon 2 Nov 2026: closed (lapsed) by 10 Nov
    # plan_contents: 1 Oct -> Tue 1 Dec 2026: open; cease: lodged, so met
    assert [(d.key, d.due) for d in windows] == [("plan_contents", date(2026, 12, 1))]
    by_key = {d.key: d for d in report.deadlines if d.rule_id == "appeal.deadline"}
    assert by_key["refuse_amendment"].due == date(2026, 11, 2)
    assert by_key["refuse_amendment"].status == "not_applicable"
    assert by_key["cease"].status == "met"


def test_appeal_lodged_without_decision_meets_the_latest_window() -> None:
    case = _case(
        {"type": "appeal_rights_notified", "on": "2026-09-01", "decision": "refuse_amendment"},
        {"type": "appeal_rights_notified", "on": "2026-10-01", "decision": "plan_contents"},
        {"type": "appeal_lodged", "on": "2026-10-20"},
    )
    report = evaluate(case, as_of=date(2026, 10, 25))
    by_key = {d.key: d for d in report.deadlines if d.rule_id == "appeal.deadline"}
    assert by_key["plan_contents"].status == "met"
    assert by_key["refuse_amendment"].status == "pending"


def test_appeal_deadline_explains_the_arithmetic() -> None:
    case = _case(
        {"type": "appeal_rights_notified", "on": "2026-10-01", "decision": "refuse_assessment"},
        {"type": "mediation_certificate_issued", "on": "2026-11-29"},
    )
    text = evaluate(case, as_of=date(2026, 12, 1)).deadline("appeal.deadline").explain()
    assert "Mon 4 Jan 2027" in text
    assert "r. 12(3)(a)" in text


def test_local_resolution_meeting_is_a_finding_without_deadline() -> None:
    case = _case({"type": "local_resolution_meeting", "on": "2026-05-01", "resolved": True})
    report = evaluate(case, as_of=date(2026, 6, 1))
    assert [f.code for f in report.findings] == ["local_resolution_meeting"]
    assert report.deadlines == ()
    assert case.states["disagreement"] == "no_disagreement"


def test_local_resolution_meeting_names_the_mediation_limit_from_the_data() -> None:
    # CFA s. 55(2), HESC r. 20(1)(c): 2 months to contact a mediation adviser, read from
    # disagreement.mediation_contact's version in force, not written in Python.
    case = _case({"type": "local_resolution_meeting", "on": "2026-05-01"})
    (finding,) = evaluate(case, as_of=date(2026, 6, 1)).findings
    assert "the 2 months to contact a mediation adviser" in finding.message


@pytest.mark.parametrize(
    ("lodged", "conceded", "due", "words"),
    [
        # Reg. 45(5)(b): placement and content conceded together -> amend_content's 5 weeks:
        # Mon 7 Sep 2026 + 35 days = Mon 12 Oct 2026.
        ("2026-06-20", "2026-09-07", date(2026, 10, 12), "within 5 weeks"),
        # Reg. 45 as made (to 22 Mar 2015): amend_content's version then had 4 weeks:
        # Mon 2 Feb 2015 + 28 days = Mon 2 Mar 2015; the note says the same period.
        ("2014-11-20", "2015-02-02", date(2015, 3, 2), "within 4 weeks"),
    ],
)
def test_placement_with_content_note_gives_the_period_it_counted(
    lodged: str, conceded: str, due: date, words: str
) -> None:
    notified = date.fromisoformat(lodged).replace(day=1).isoformat()
    case = _case(
        {"type": "final_plan_issued", "on": notified},
        {"type": "appeal_rights_notified", "on": notified, "decision": "plan_contents"},
        {"type": "appeal_lodged", "on": lodged},
        {"type": "appeal_conceded", "on": conceded, "kind": "amend_provision"},
        {"type": "appeal_conceded", "on": conceded, "kind": "amend_placement"},
    )
    as_of = date.fromisoformat(conceded)
    placement = evaluate(case, as_of=as_of).deadline("unopposed.amend_placement")
    assert placement.due == due
    assert placement.note is not None and f"{words}, unopposed.amend_content" in placement.note


def test_agreement_without_kind_is_a_finding() -> None:
    case = _case(
        {"type": "appeal_rights_notified", "on": "2026-05-01", "decision": "plan_contents"},
        {"type": "mediation_requested", "on": "2026-05-10", "health_issues": False},
        {"type": "mediation_held", "on": "2026-06-01"},
        {"type": "mediation_agreement", "on": "2026-06-01", "appealable": True},
    )
    report = evaluate(case, as_of=date(2026, 6, 10))
    assert "mediation_agreement_kind_missing" in {f.code for f in report.findings}
    assert not [d for d in report.deadlines if d.rule_id == "disagreement.agreement_appealable"]


def test_agreement_on_other_matters_and_health_body_notice() -> None:
    # agreement Mon 1 Jun 2026: act within 2 weeks (Mon 15 Jun); commissioner tells the LA
    # within 1 week (Mon 8 Jun) when the LA was not a party (reg 42(3)-(4))
    case = _case(
        {"type": "appeal_rights_notified", "on": "2026-05-01", "decision": "plan_contents"},
        {"type": "mediation_requested", "on": "2026-05-10", "health_issues": True,
         "other_issues": False},
        {"type": "health_bodies_notified", "on": "2026-05-12"},
        {"type": "mediation_held", "on": "2026-06-01"},
        {"type": "mediation_agreement", "on": "2026-06-01", "appealable": False,
         "la_party": False},
        {"type": "mediation_agreement_notified", "on": "2026-06-09"},
        {"type": "mediation_agreement_actioned", "on": "2026-06-12"},
    )
    report = evaluate(case, as_of=date(2026, 7, 1))
    assert report.deadline("disagreement.agreement_notify_la").due == date(2026, 6, 8)
    assert report.deadline("disagreement.agreement_notify_la").status == "missed"
    assert report.deadline("disagreement.agreement_other").due == date(2026, 6, 15)
    assert report.deadline("disagreement.agreement_other").status == "met"
    # health only: 30 days from the notice (12 May) -> Thu 11 Jun; held 1 Jun
    assert report.deadline("disagreement.mediation_health_only").status == "met"


def test_recommendations_after_a_decision() -> None:
    # 5 weeks beginning with Wed 15 Jul 2026 -> Tue 18 Aug; copy within 1 week beginning
    # with the response (Mon 10 Aug) -> Sun 16 Aug (SI 2017/1306 regs 6(3), 6(6))
    case = _case(
        {"type": "appeal_rights_notified", "on": "2026-01-15", "decision": "plan_contents"},
        {"type": "appeal_lodged", "on": "2026-03-01"},
        {"type": "appeal_decided", "on": "2026-07-15", "outcome": "partly_upheld"},
        {"type": "tribunal_recommendation", "on": "2026-07-15", "kind": "health"},
        {"type": "recommendation_response_sent", "on": "2026-08-10", "kind": "health"},
        {"type": "recommendation_copy_sent", "on": "2026-08-20", "kind": "health"},
    )
    report = evaluate(case, as_of=date(2026, 9, 1))
    health = report.deadline("disagreement.recommendation_health")
    assert (health.due, health.status) == (date(2026, 8, 18), "met")
    copy = report.deadline("disagreement.recommendation_health_copy")
    assert (copy.due, copy.status) == (date(2026, 8, 16), "missed")


def test_diagram_cli_draws_the_disagreement(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["diagram", "disagreement"]) == 0
    out = capsys.readouterr().out
    assert "appeal_pending --> decided : tribunal_order" in out
