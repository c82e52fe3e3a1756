"""Every published figure on a small hand-made 2026 return, worked out by hand.

Reporting year 2026: flows are calendar year 2025 (1 Jan - 31 Dec 2025), the stock is
plans active on the census date, 15 January 2026. Limits: decision to assess within
6 weeks (SEND Regulations 2014 reg. 4(1), 5(1): received + 42 days), final plan within
20 weeks (reg. 13(2): received + 140 days, the last compliant day), review decision
within 4 weeks of the meeting (reg. 20(10): meeting + 28 days), annual review on the
plan's anniversary (CFA 2014 s. 44(1)).

==  =========================================================================================
#   record
==  =========================================================================================
P1  received Mon 6 Jan 2025; decided Y 10 Feb (35 days: within 6 weeks); plan issued
    26 May (day 140: within 20 weeks, 20.0 weeks); Week20 0; ASD; URN 100001; PB, DP E
P2  received 6 Jan 2025; decided Y 3 Mar (56 days: late); issued 1 Sep (238 days = 34 weeks:
    20-52 band); Week20 1 (exception); SEMH; SENSetting OLA
P3  received 4 Nov 2024 (not a 2025 request), outcome H; issued 1 Dec 2025 (392 days = 56
    weeks: over 52); Week20 0; ASD; URN 100002
P4  received 3 Mar 2025; refused N 7 Apr (35 days: within); went to mediation
P5  received 2 Jun 2025; no decision yet (A)
P6  plan made 1 Mar 2020 (H); review meeting 3 Mar 2025, decision 24 Mar (21 days: within
    4 weeks), outcome amend; residential 52 weeks (Res B); phase transfer due 14 Feb 2025,
    final 10 Feb (by the deadline); MLD; URN 100001
P7  plan made 1 Jun 2022; last review 10 Mar 2024 (anniversary 1 Jun 2025 not reviewed);
    supported internship (WBP S); phase transfer due 30 Mar 2025, final 15 Apr (late); ASD
P8  plan made 1 Sep 2023; last review 15 Nov 2024: after 1 Sep 2024 and before the year, so
    the review due on 1 Sep 2025 was completed before the year; ASD
P9  plan made 10 Jan 2019, ceased 31 Jul 2025, reason 6; no active-plan record
P10 plan made 1 Feb 2021, ceased 15 Oct 2025, reason 5 (transferred); its active-plan
    record is not stock (ceased before the census)
==  =========================================================================================

Hand counts: requests P1 P2 P4 P5 = 4; decisions P1 P2 P4 = 3, of which 2 within 6 weeks
(66.7 %); plans issued P1 P2 P3 = 3, within 20 weeks P1 = 1 (33.3 %); excluding P2's
exception 1 of 2 (50.0 %); average weeks (20 + 34 + 56) / 3 = 36.7, excluding exceptions
(20 + 56) / 2 = 38.0; active plans P1 P2 P3 P6 P7 P8 = 6; reviews expected (plans made
before 2025) P6 P7 P8 = 3: completed P6, before the year P8, not completed P7; phase
transfers due P6 P7 = 2, by the deadline P6 = 1 (50.0 %); ceased P9 (6), P10 (5).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sendflow import Case, InvalidArgument
from sendflow.sen2 import (
    FIGURES,
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Person,
    PlacementDetail,
    Request,
    SEN2Error,
    SEN2Return,
    SENNeed,
    build_return,
    statistics,
)

D = date.fromisoformat


def _active(need: str, *, urn: str | None = None, setting: str | None = None,
            **kw: Any) -> ActivePlan:
    place_kw = {k: kw.pop(k) for k in ("res", "wbp") if k in kw}
    place = PlacementDetail(urn=urn, sen_setting=setting, placement_rank=1, **place_kw)
    return ActivePlan(placements=(place,), needs=(SENNeed(sen_type=need, sen_type_rank=1),),
                      **kw)


def _person(i: int, request: Request) -> Person:
    return Person(person_id=f"P{i}", requests=(request,))


def _historic(start: str, active: ActivePlan | None, **plan: Any) -> Request:
    return Request(
        request_outcome="H",
        assessment=(Assessment(assessment_outcome="H",
                               named_plan=(NamedPlan(start_date=D(start), **plan),)),),
        active_plans=(active,) if active is not None else (),
    )


def hand_return() -> SEN2Return:
    p1 = Request(
        received_date=D("2025-01-06"), request_outcome="Y", request_outcome_date=D("2025-02-10"),
        assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=D("2025-05-26"),
                               week20=False,
                               named_plan=(NamedPlan(start_date=D("2025-05-26"), pb=True,
                                                     dp="E"),)),),
        active_plans=(_active("ASD", urn="100001"),))
    p2 = Request(
        received_date=D("2025-01-06"), request_outcome="Y", request_outcome_date=D("2025-03-03"),
        assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=D("2025-09-01"),
                               week20=True,
                               named_plan=(NamedPlan(start_date=D("2025-09-01")),)),),
        active_plans=(_active("SEMH", setting="OLA"),))
    p3 = Request(
        received_date=D("2024-11-04"), request_outcome="H",
        assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=D("2025-12-01"),
                               week20=False,
                               named_plan=(NamedPlan(start_date=D("2025-12-01")),)),),
        active_plans=(_active("ASD", urn="100002"),))
    p4 = Request(received_date=D("2025-03-03"), request_outcome="N",
                 request_outcome_date=D("2025-04-07"), request_mediation=True)
    p5 = Request(received_date=D("2025-06-02"), request_outcome="A")
    p6 = _historic("2020-03-01", _active(
        "MLD", urn="100001", res="B", review_meeting=D("2025-03-03"),
        last_review=D("2025-03-24"), review_outcome="A",
        phase_transfer_due_date=D("2025-02-14"), phase_transfer_final_date=D("2025-02-10")))
    p7 = _historic("2022-06-01", _active(
        "ASD", urn="100003", wbp="S", last_review=D("2024-03-10"),
        phase_transfer_due_date=D("2025-03-30"), phase_transfer_final_date=D("2025-04-15")))
    p8 = _historic("2023-09-01", _active("ASD", urn="100004", last_review=D("2024-11-15")))
    p9 = _historic("2019-01-10", None, cease_date=D("2025-07-31"), cease_reason="6")
    p10 = _historic("2021-02-01", _active("ASD", urn="100005"),
                    cease_date=D("2025-10-15"), cease_reason="5")
    requests = (p1, p2, p3, p4, p5, p6, p7, p8, p9, p10)
    return SEN2Return(
        header=Header(year=2026, reference_date=D("2026-01-15"), lea="201"),
        persons=tuple(_person(i + 1, r) for i, r in enumerate(requests)))


EXPECTED: dict[str, float | int | None] = {
    "requests": 4, "request_decisions": 3, "requests_assessed": 2, "requests_refused": 1,
    "request_decisions_within_6_weeks": 2, "percent_request_decisions_within_6_weeks": 66.7,
    "assessments_completed": 3, "assessments_not_issued": 0,
    "plans_issued": 3, "plans_timed": 3, "plans_within_20_weeks": 1,
    "percent_within_20_weeks": 33.3, "plans_with_exceptions": 1,
    "plans_timed_excluding_exceptions": 2, "plans_within_20_weeks_excluding_exceptions": 1,
    "percent_within_20_weeks_excluding_exceptions": 50.0,
    "plans_20_to_52_weeks": 1, "plans_over_52_weeks": 1,
    "plans_20_to_52_weeks_excluding_exceptions": 0,
    "plans_over_52_weeks_excluding_exceptions": 1,
    "weeks_to_issue_total": 110.0, "weeks_to_issue_total_excluding_exceptions": 76.0,
    "average_weeks_to_issue": 36.7, "average_weeks_to_issue_excluding_exceptions": 38.0,
    "reviews_expected": 3, "reviews_completed": 1, "reviews_completed_before_year": 1,
    "reviews_not_completed": 1, "review_outcome_amend": 1, "review_outcome_maintain": 0,
    "review_outcome_cease": 0, "review_outcome_none": 0, "review_decisions_timed": 1,
    "review_decisions_within_4_weeks": 1, "percent_review_decisions_within_4_weeks": 100.0,
    "phase_transfers_due": 2, "phase_transfers_final_by_deadline": 1,
    "percent_phase_transfers_final_by_deadline": 50.0,
    "plans_ceased": 2, "ceased_reason_1": 0, "ceased_reason_2": 0, "ceased_reason_3": 0,
    "ceased_reason_4": 0, "ceased_reason_5": 1, "ceased_reason_6": 1, "ceased_reason_7": 0,
    "ceased_reason_8": 0, "ceased_reason_9": 0,
    "request_mediation": 1, "request_tribunal": 0, "assessment_mediation": 0,
    "assessment_tribunal": 0, "other_mediation": 0, "other_tribunal": 0,
    "active_plans": 6, "personal_budgets": 1, "personal_budgets_organised_arrangements": 0,
    "direct_payments_education": 1, "direct_payments_social_care": 0,
    "direct_payments_health": 0, "direct_payments_integrated": 0,
    "residential_38_to_51_weeks": 0, "residential_52_weeks": 1,
    "work_based_apprenticeship": 0, "work_based_traineeship": 0,
    "work_based_supported_internship": 1,
}


def test_every_figure_is_worked_by_hand() -> None:
    assert set(EXPECTED) == {f.name for f in FIGURES}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_figure_on_hand_worked_return(name: str) -> None:
    assert statistics(hand_return())[name] == EXPECTED[name]


def test_breakdowns() -> None:
    s = statistics(hand_return(), setting_types={"100001": "mainstream_academy"})
    # By month of the date each flow is counted at.
    assert s.by_month[1]["requests"] == 2  # P1, P2 received in January
    assert s.by_month[5]["plans_issued"] == 1  # P1 issued 26 May
    assert s.by_month[2]["phase_transfers_due"] == 1  # P6 due 14 Feb
    assert all(f["active_plans"] == 0 for f in s.by_month.values())  # stock has no month
    # By primary need: P1 and P3 are ASD plans issued in the year; P2 is SEMH.
    assert s.by_need_type["ASD"]["plans_issued"] == 2
    assert s.by_need_type["SEMH"]["plans_issued"] == 1
    assert s.by_need_type["unknown"]["requests"] == 2  # P4, P5: no active plan
    # By setting type: URN 100001 mapped (P1, P6); P2 OLA; others unmapped URNs.
    assert s.by_setting_type["mainstream_academy"]["active_plans"] == 2
    assert s.by_setting_type["OLA"]["plans_with_exceptions"] == 1
    assert s.by_setting_type["URN"]["active_plans"] == 3  # P3, P7, P8
    rows = list(s.rows())
    assert rows[0]["breakdown"] == "total" and rows[0]["plans_issued"] == 3
    assert {r["breakdown"] for r in rows} == {"total", "month", "need_type", "setting_type"}


def test_figures_name_a_definition() -> None:
    for f in FIGURES:
        assert f.dfe and f.reading
        assert isinstance(f.verified, bool)


def test_year_must_match_the_return() -> None:
    with pytest.raises(InvalidArgument):
        statistics(hand_return(), year=2025)
    with pytest.raises(InvalidArgument):
        statistics([], year=None)


def _case(*events: dict[str, Any]) -> Case:
    return Case.model_validate({"responsible_la": "201", "events": list(events)})


def test_cases_see_only_what_the_year_holds() -> None:
    # Received 3 Feb 2025, decided 10 Mar (35 days), issued 16 Jun 2025 (133 days, within).
    # A second request received 1 Dec 2025 is decided on 2 Feb 2026, after the census
    # (15 Jan 2026): for 2026 it is an undecided request; its decision is not seen.
    case = _case(
        {"type": "request_received", "on": "2025-02-03", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2025-03-10", "outcome": "assess"},
        {"type": "draft_plan_issued", "on": "2025-05-19"},
        {"type": "final_plan_issued", "on": "2025-06-16"},
    )
    later = _case(
        {"type": "request_received", "on": "2025-12-01", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-02", "outcome": "refuse"},
    )
    s = statistics([case, later], year=2026)
    assert s["requests"] == 2
    assert s["request_decisions"] == 1
    assert s["plans_within_20_weeks_excluding_exceptions"] == 1
    assert s["average_weeks_to_issue"] == 19.0  # 133 days / 7
    # The same figures as from the return built from the cases.
    ret = build_return([case], year=2026, header={"dmo": "N", "dco": "N", "dsco": "N"})
    assert statistics(ret)["plans_issued"] == statistics([case], year=2026)["plans_issued"] == 1


def test_cases_are_counted_from_their_records_with_no_header() -> None:
    # No LA code and no DMO/DCO: build_return would refuse (no header can be made),
    # but counting needs only the person records.
    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2025-02-03", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2025-03-10", "outcome": "assess"}]})
    with pytest.raises(SEN2Error):
        build_return([case], year=2026, header={"dmo": "Y", "dco": "Y"})
    s = statistics([case], year=2026)
    assert (s["requests"], s["requests_assessed"], s.la) == (1, 1, None)


def test_to_pandas() -> None:
    pd = pytest.importorskip("pandas")
    frame = statistics(hand_return()).to_pandas()
    assert isinstance(frame, pd.DataFrame)
    assert int(frame.loc[frame["breakdown"] == "total", "plans_issued"].iloc[0]) == 3


def test_every_figure_is_listed_in_the_how_to() -> None:
    from pathlib import Path

    page = (Path(__file__).resolve().parents[2] / "docs" / "how-to" / "timeliness.md").read_text(
        encoding="utf-8")
    missing = [f.name for f in FIGURES if f"`{f.name}`" not in page
               and f.name not in {f"ceased_reason_{i}" for i in range(2, 9)}]
    assert missing == []


def test_a_case_that_cannot_be_counted_is_listed_not_dropped() -> None:
    ok = _case({"type": "request_received", "on": "2025-02-03", "made_by": "parent"})
    named = Case.model_validate({"responsible_la": "201", "child": {
        "date_of_birth": "2015-03-01", "family_name": "X" * 101},
        "events": [{"type": "request_received", "on": "2025-03-03", "made_by": "parent"}]})
    s = statistics([ok, named], year=2026)
    assert s["requests"] == 1
    assert [(r.case_index, r.item) for r in s.refused] == [(1, "Person.Surname")]
    assert "XXXX" not in str(s.refused[0])


def test_the_cases_of_a_return_count_for_its_year_by_default() -> None:
    from sendflow.sen2 import to_cases

    ret = hand_return()
    cases = to_cases(ret)
    assert statistics(cases).total.as_dict() == statistics(cases, year=ret.year).total.as_dict()
    assert statistics(cases).year == ret.year
    with pytest.raises(InvalidArgument):
        statistics(list(cases))  # plain cases still need the year
