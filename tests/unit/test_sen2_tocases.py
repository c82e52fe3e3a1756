"""sen2.to_cases: a SEN2 return as cases, checked for statutory deadlines; and back.

Reporting year 2026: activity in calendar year 2025, census 15 January 2026 (the
``as_of`` of the cases). Limits worked by hand from SI 2014/1530: decision whether to
assess within 6 weeks of the request (reg. 4(1) read with reg. 5(1): received + 42
days), final plan within 20 weeks (reg. 13(2): received + 140 days), review decision
within 4 weeks of the meeting (reg. 20(10): meeting + 28 days), the next review within
12 months of the last (CFA 2014 s. 44(1)).
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendflow import evaluate, recording
from sendflow._cli import main
from sendflow.calendar import add_months
from sendflow.sen2 import (
    ActivePlan,
    Assessment,
    Header,
    NamedPlan,
    Person,
    PlacementDetail,
    PlanDetail,
    Request,
    SEN2Return,
    SENNeed,
    build_return,
    census_date,
    from_xml,
    read_csv_dir,
    to_cases,
    to_xml,
    write_csv_dir,
)

HDR = {"dmo": "Y", "dco": "Y", "dsco": "Y"}


def _ret(*persons: Person, year: int = 2026) -> SEN2Return:
    return SEN2Return(header=Header(year=year, reference_date=census_date(year), lea="201"),
                      persons=persons)


def _person(n: int, *requests: Request, year: int = 2026) -> Person:
    sex = {"sex": "F"} if year >= 2024 else {"gender_current": "2"}
    return Person(person_id=f"P{n}", surname="Smith", forename="Ann",
                  birth_date=date(2015, 3, 1), ethnicity="WBRI", upn_unknown="UN2",
                  requests=requests, **sex)


def _placed(urn: str, *needs: str) -> ActivePlan:
    return ActivePlan(placements=(PlacementDetail(urn=urn, placement_rank=1),),
                      needs=tuple(SENNeed(sen_type=t, sen_type_rank=i + 1)
                                  for i, t in enumerate(needs)))


def _plan(start: date | None, urn: str = "100001", **more: Any) -> NamedPlan:
    return NamedPlan(start_date=start, plan_detail=(PlanDetail(urn=urn, placement_rank=1),),
                     **more)


# One request of each kind, every item one a case carries (the 2026 collection).
AWAITING = Request(received_date=date(2025, 10, 6), request_source="2", request_outcome="A")
WITHDRAWN = Request(received_date=date(2025, 4, 7), request_source="1", request_outcome="W")
REFUSED = Request(received_date=date(2025, 3, 3), request_source="3", request_outcome="N",
                  request_outcome_date=date(2025, 4, 7))
ASSESSING = Request(received_date=date(2025, 9, 1), request_source="4", request_outcome="Y",
                    request_outcome_date=date(2025, 10, 6),
                    assessment=(Assessment(assessment_outcome="A"),))
NO_PLAN = Request(received_date=date(2025, 1, 6), request_source="5", request_outcome="Y",
                  request_outcome_date=date(2025, 2, 10),
                  assessment=(Assessment(assessment_outcome="N",
                                         assessment_outcome_date=date(2025, 5, 12)),))
# Issued on day 140 (6 Jan + 140 days = 26 May): on time.
ISSUED = Request(received_date=date(2025, 1, 6), request_source="2", request_outcome="Y",
                 request_outcome_date=date(2025, 2, 10),
                 assessment=(Assessment(assessment_outcome="Y",
                                        assessment_outcome_date=date(2025, 5, 26), week20=False,
                                        named_plan=(_plan(date(2025, 5, 26)),)),),
                 active_plans=(_placed("100001", "ASD", "SLCN"),))
# Issued 1 Sep 2025, 238 days after the request, with a Week20 exception.
EXCEPTED = Request(received_date=date(2025, 1, 6), request_outcome="Y",
                   request_outcome_date=date(2025, 3, 3),
                   assessment=(Assessment(assessment_outcome="Y",
                                          assessment_outcome_date=date(2025, 9, 1), week20=True,
                                          named_plan=(_plan(date(2025, 9, 1), "100002"),)),),
                   active_plans=(_placed("100002", "SEMH"),))
DRAFTED = Request(received_date=date(2025, 8, 4), request_source="1", request_outcome="Y",
                  request_outcome_date=date(2025, 9, 8),
                  assessment=(Assessment(assessment_outcome="Y"),))
# A legacy plan last reviewed on 10 March 2024: the next review was due by 9 March 2025.
LEGACY = Request(request_outcome="H",
                 assessment=(Assessment(assessment_outcome="H",
                                        named_plan=(_plan(date(2022, 6, 1), "100003"),)),),
                 active_plans=(_placed("100003", "MLD").model_copy(
                     update={"last_review": date(2024, 3, 10)}),))
# Made 1 May 2024, first reviewed in the year: meeting 3 Mar 2025, decision 24 Mar (21 days).
REVIEWED = Request(request_outcome="H",
                   assessment=(Assessment(assessment_outcome="H",
                                          named_plan=(_plan(date(2024, 5, 1), "100004"),)),),
                   active_plans=(_placed("100004", "ASD").model_copy(update={
                       "review_meeting": date(2025, 3, 3), "review_outcome": "M",
                       "last_review": date(2025, 3, 24)}),))
CEASED = Request(request_outcome="H",
                 assessment=(Assessment(assessment_outcome="H", named_plan=(
                     _plan(date(2024, 9, 2), "100005", cease_date=date(2025, 7, 31)),)),),
                 active_plans=(_placed("100005", "SPLD").model_copy(
                     update={"last_review": date(2025, 6, 30)}),))
H_ASSESSING = Request(received_date=date(2024, 11, 4), request_outcome="H",
                      assessment=(Assessment(assessment_outcome="A"),))

HAND = _ret(
    _person(1, AWAITING), _person(2, WITHDRAWN), _person(3, REFUSED, ISSUED),
    _person(4, ASSESSING), _person(5, NO_PLAN), _person(6, EXCEPTED), _person(7, DRAFTED),
    _person(8, LEGACY), _person(9, REVIEWED), _person(10, CEASED), _person(11, H_ASSESSING),
)


def _report(ret: SEN2Return, where: str) -> dict[str, Any]:
    cases = to_cases(ret)
    case = cases[cases.locations.index(where)]
    report = evaluate(case, as_of=cases.as_of, recorded=cases.recorded)
    return {"state": report.state,
            **{d.rule_id: (d.due, d.status.value) for d in report.deadlines}}


def test_the_hand_made_return_comes_back_whole() -> None:
    cases = to_cases(HAND)
    # Two persons' requests: P3 has two (a refusal, then a plan); one case per request.
    assert len(cases) == 12 and cases.as_of == date(2026, 1, 15)
    assert build_return(cases, year=2026, header=HDR).persons == HAND.persons


def test_an_undecided_request_is_overdue_on_the_census_date() -> None:
    r = _report(HAND, "Person[0].Requests[0]")
    # 6 Oct 2025 + 42 days = 17 Nov 2025, not decided by 15 Jan 2026.
    assert r["state"] == "awaiting_decision"
    assert r["assessment.decision"] == (date(2025, 11, 17), "overdue")


def test_a_plan_issued_on_day_140_is_on_time_and_a_late_decision_is_missed() -> None:
    r = _report(HAND, "Person[2].Requests[1]")
    assert r["assessment.final_plan"] == (date(2025, 5, 26), "met")
    assert r["assessment.decision"] == (date(2025, 2, 17), "met")  # 10 Feb: day 35
    late = _report(HAND, "Person[5].Requests[0]")
    assert late["assessment.decision"] == (date(2025, 2, 17), "missed")  # 3 Mar: day 56
    # Week20 = 1: the 20-week limit is disapplied, not missed.
    assert late["assessment.final_plan"] == (date(2025, 5, 26), "disapplied")


def test_reviews_from_last_review_and_from_the_meeting() -> None:
    legacy = _report(HAND, "Person[7].Requests[0]")
    assert legacy["review.annual"] == (date(2025, 3, 9), "overdue")
    reviewed = _report(HAND, "Person[8].Requests[0]")
    # Meeting 3 Mar 2025 + 28 days = 31 Mar; decided 24 Mar.
    assert reviewed["review.decision"] == (date(2025, 3, 31), "met")
    # What the return cannot hold is not_recorded, never overdue.
    assert reviewed["review.invitations"][1] == "not_recorded"


def test_a_draft_plan_not_yet_final_runs_on_from_the_request() -> None:
    r = _report(HAND, "Person[6].Requests[0]")
    # 4 Aug 2025 + 140 days = 22 Dec 2025, no final plan by the census.
    assert r["state"] == "draft_issued"
    assert r["assessment.final_plan"] == (date(2025, 12, 22), "overdue")


def test_nothing_the_return_cannot_date_is_judged_overdue() -> None:
    cases = to_cases(HAND)
    for case in cases:
        report = evaluate(case, as_of=cases.as_of, recorded=cases.recorded)
        for d in report.deadlines:
            if d.status.value in ("overdue", "missed"):
                assert d.started_on is not None and d.started_on >= date(2024, 3, 10)


def test_what_cannot_be_carried_is_listed_by_location_never_value() -> None:
    odd = REVIEWED.model_copy(update={"active_plans": (REVIEWED.active_plans[0].model_copy(
        update={"transfer_la": "202", "phase_transfer_due_date": date(2025, 2, 15)}),)})
    bad_upn = _person(1, odd).model_copy(update={"upn": "B801200005002", "upn_unknown": None})
    backwards = Request(received_date=date(2025, 6, 2), request_outcome="N",
                        request_outcome_date=date(2025, 5, 1))
    cases = to_cases(_ret(bad_upn, _person(2, backwards)))
    where = {u.location: u for u in cases.unkept}
    assert "Person[0].UPN" in where
    # TransferLA and the phase-transfer dates are carried (SEN2Items), not judged.
    assert "Person[0].Requests[0].ActivePlans[0].TransferLA" not in where
    back = build_return(cases, year=2026, header=HDR).persons[0].requests[0].active_plans[0]
    assert (back.transfer_la, back.phase_transfer_due_date) == ("202", date(2025, 2, 15))
    assert where["Person[1].Requests[0]"].left_out
    assert cases.locations == ("Person[0].Requests[0]",)
    text = " ".join(str(u) for u in cases.unkept)
    assert "B801200005002" not in text and "202" not in text and "2025-05-01" not in text


def test_through_xml_and_blade_csv(tmp_path: Path) -> None:
    assert build_return(to_cases(from_xml(to_xml(HAND))), year=2026,
                        header=HDR).persons == HAND.persons
    write_csv_dir(HAND, tmp_path)
    assert build_return(to_cases(read_csv_dir(tmp_path)), year=2026,
                        header=HDR).persons == HAND.persons


# -------------------------------------------------------------- property: round trip
@st.composite
def _request(draw: st.DrawFn, year: int) -> Request:
    start = date(year - 1, 1, 1)

    def day(lo: date, hi: date) -> date:
        return lo + timedelta(days=draw(st.integers(0, (hi - lo).days)))

    end = date(year - 1, 12, 31)
    kind = draw(st.sampled_from(["A", "W", "N", "YA", "YN", "YW", "Yplan", "Ydraft",
                                 "Hlegacy", "Hreview", "Hassessing"]))
    source = draw(st.sampled_from(["1", "2", "3", "4", "5"])) if year >= 2025 else None
    rec = day(start, date(year - 1, 10, 31))
    dec = day(rec, rec + timedelta(days=60))
    urn = draw(st.sampled_from(["100001", "100002", "123456"]))
    needs = draw(st.sampled_from([("ASD",), ("SEMH", "SLCN"), ("MLD",)]))
    placed = _placed(urn, *needs)
    if kind in ("A", "W"):
        return Request(received_date=rec, request_source=source, request_outcome=kind)
    if kind == "N":
        return Request(received_date=rec, request_source=source, request_outcome="N",
                       request_outcome_date=dec)
    decided = {"received_date": rec, "request_outcome": "Y", "request_outcome_date": dec}
    if kind in ("YA", "YW"):
        return Request(request_source=source, **decided,
                       assessment=(Assessment(assessment_outcome=kind[1]),))
    if kind == "YN":
        return Request(request_source=source, **decided, assessment=(Assessment(
            assessment_outcome="N", assessment_outcome_date=day(dec, end)),))
    if kind == "Ydraft":
        return Request(request_source=source, **decided,
                       assessment=(Assessment(assessment_outcome="Y"),))
    if kind == "Yplan":
        issued = day(dec, end)
        cease = day(issued, end) if draw(st.booleans()) else None
        return Request(request_source=source, **decided, assessment=(Assessment(
            assessment_outcome="Y", assessment_outcome_date=issued, week20=draw(st.booleans()),
            named_plan=(_plan(issued, urn, cease_date=cease),)),), active_plans=(placed,))
    if kind == "Hassessing":
        return Request(received_date=day(date(year - 2, 6, 1), date(year - 2, 12, 31)),
                       request_outcome="H", assessment=(Assessment(assessment_outcome="A"),))
    if kind == "Hlegacy" or year < 2024:
        made = day(date(year - 6, 1, 1), date(year - 3, 12, 31))
        last = day(date(year - 2, 1, 1), date(year - 2, 12, 31))
        return Request(request_outcome="H", assessment=(Assessment(
            assessment_outcome="H", named_plan=(_plan(made, urn),)),),
            active_plans=(placed.model_copy(update={"last_review": last}),))
    meeting = day(start, date(year - 1, 11, 1))
    # Made within the 12 months before the meeting: the review in the year is the first.
    made = day(add_months(meeting, -12), start - timedelta(days=1))
    return Request(request_outcome="H", assessment=(Assessment(
        assessment_outcome="H", named_plan=(_plan(made, urn),)),),
        active_plans=(placed.model_copy(update={
            "review_meeting": meeting, "review_outcome": draw(st.sampled_from("AMC")),
            "last_review": day(meeting, meeting + timedelta(days=50))}),))


@st.composite
def _returns(draw: st.DrawFn) -> SEN2Return:
    year = draw(st.sampled_from([2024, 2025, 2026]))
    persons = [_person(i + 1, draw(_request(year)), year=year)
               for i in range(draw(st.integers(1, 4)))]
    return _ret(*persons, year=year)


@given(_returns())
def test_build_return_of_to_cases_gives_back_the_return(ret: SEN2Return) -> None:
    back = build_return(to_cases(ret), year=ret.year, header=HDR)
    assert back.persons == ret.persons


def test_an_item_with_no_event_is_given_back() -> None:
    # The mediation flag has no date, so no event: it is carried in SEN2Items.
    ret = _ret(_person(1, ISSUED.model_copy(update={"request_mediation": True})))
    back = build_return(to_cases(ret), year=2026, header=HDR)
    assert back.persons[0].requests[0].request_mediation is True


# ------------------------------------------------------------------ sendflow check --sen2
def test_check_sen2_reports_the_whole_return(tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(HAND))
    assert main(["check", str(path), "--sen2"]) == 0
    out = capsys.readouterr().out
    assert "Person[0].Requests[0] P1: awaiting_decision — assessment.decision overdue " \
           "(due 2025-11-17)" in out
    assert "Summary as of 2026-01-15: 12 cases checked, 0 invalid lines" in out
    assert main(["check", str(path), "--sen2", "--format", "json"]) == 0
    lines = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    lines = [x for x in lines if "unkept" not in x]  # the summary of what is not carried
    assert lines[0]["line"] == "Person[0].Requests[0]" and len(lines) == 12
    folder = tmp_path / "blade"
    folder.mkdir()
    write_csv_dir(HAND, folder)
    assert main(["check", str(folder), "--sen2", "--format", "csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[1].startswith("Person[0].Requests[0],P1,awaiting_decision,assessment.decision,")


def test_check_sen2_exit_codes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    backwards = Request(received_date=date(2025, 6, 2), request_outcome="N",
                        request_outcome_date=date(2025, 5, 1))
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(_ret(_person(1, backwards), _person(2, AWAITING))))
    assert main(["check", str(path), "--sen2"]) == 1  # a request left out: as a bad line
    err = capsys.readouterr().err
    assert "Person[0].Requests[0]" in err and "2025-05-01" not in err
    assert main(["check", str(tmp_path / "missing.xml"), "--sen2"]) == 3  # unreadable
    assert main(["check", str(path), "--sen2", "--layout", "flat"]) == 2


def test_check_sen2_reads_the_same_return_as_evaluate(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(HAND))
    assert main(["check", str(path), "--sen2", "--format", "json",
                 "--recorded", "sen2"]) == 0
    rows = [json.loads(x) for x in capsys.readouterr().out.splitlines()]
    rows = [x for x in rows if "unkept" not in x]  # the summary of what is not carried
    cases = to_cases(HAND)
    expect = evaluate(cases[0], as_of=cases.as_of, recorded=recording.SEN2)
    assert rows[0]["report"] == json.loads(expect.model_dump_json())


# --------------------------------------------------- property: any return, no exception
_DAY = st.none() | st.dates(date(2010, 1, 1), date(2027, 12, 31))
_ACTIVE = st.builds(ActivePlan, transfer_la=st.none() | st.just("202"), review_meeting=_DAY,
                    review_outcome=st.none() | st.sampled_from(["A", "M", "C", "X"]),
                    last_review=_DAY, placements=st.just(()) | st.just(
                        (PlacementDetail(urn="100001", placement_rank=1),)))
_ASSESSMENT = st.builds(Assessment, assessment_outcome=st.sampled_from(list("YNAWHQ")),
                        assessment_outcome_date=_DAY, week20=st.none() | st.booleans(),
                        named_plan=st.just(()) | st.builds(
                            lambda s, c: (NamedPlan(start_date=s, cease_date=c),), _DAY, _DAY))
_ANY_REQUEST = st.builds(
    Request, received_date=_DAY, request_outcome=st.sampled_from(list("YNAWHQ")),
    request_outcome_date=_DAY, request_source=st.none() | st.sampled_from(["1", "3", "9"]),
    assessment=st.just(()) | _ASSESSMENT.map(lambda a: (a,)),
    active_plans=st.just(()) | _ACTIVE.map(lambda a: (a,)))


@given(st.sampled_from([2023, 2024, 2025, 2026, 2027]),
       st.lists(st.lists(_ANY_REQUEST, min_size=1, max_size=3), min_size=1, max_size=3),
       st.none() | st.dates(date(1995, 1, 1), date(2027, 12, 31)))
def test_any_return_gives_cases_or_says_why_not(year: int, requests: list[list[Request]],
                                                born: date | None) -> None:
    persons = tuple(Person(person_id=f"P{i + 1}", birth_date=born, requests=tuple(rs))
                    for i, rs in enumerate(requests))
    cases = to_cases(_ret(*persons, year=year))
    left_out = {u.location for u in cases.unkept if u.left_out}
    every = {f"Person[{i}].Requests[{j}]" for i, rs in enumerate(requests)
             for j in range(len(rs))}
    assert set(cases.locations) | left_out == every
    assert not set(cases.locations) & left_out
    for case in cases:  # every case can be checked on the census date
        evaluate(case, as_of=cases.as_of, recorded=cases.recorded)


def test_who_made_the_request_travels_on_an_opened_record() -> None:
    from pydantic import ValidationError

    from sendflow.workflows.opening import RecordOpened

    cases = to_cases(HAND)
    opened = cases[cases.locations.index("Person[6].Requests[0]")].events[0]
    assert opened.type == "record_opened" and opened.request_made_by == "parent"
    with pytest.raises(ValidationError):
        RecordOpened(on=date(2025, 9, 8), state="draft_issued", request_made_by="parent")


def test_every_item_once_not_carried_is_carried_or_listed_never_value() -> None:
    """Issue 16 pt 4: a record holding every item the old NOT_CARRIED list named, some with
    codes no code set has, gets each valid one carried and each invalid one listed in
    unkept by location, never by value."""
    setting = {"sen_setting": "MSI", "sen_setting_other": "Hilltop Lodge",
               "sen_unit_indicator": True, "resourced_provision_indicator": False}
    plan = NamedPlan(start_date=date(2025, 3, 3), plan_res="RES07", plan_wbp="S",
                     pb=True, oa=False, dp="DP07", cease_reason="7",
                     plan_detail=(PlanDetail(urn="100001", placement_rank=3, **setting),
                                  PlanDetail(urn="100777")))
    placed = PlacementDetail(urn="100001", ukprn="10077777", placement_rank=2,
                             entry_date=date(2024, 9, 4), leaving_date=date(2025, 7, 21),
                             res="RES08", wbp="WBP08", attendance_pattern="ATT07", **setting)
    act = ActivePlan(last_review=date(2025, 6, 2), res="RES09", wbp="WBP09",
                     placements=(PlacementDetail(urn="100888", placement_rank=4), placed))
    request = Request(received_date=date(2024, 11, 4), request_source="2", rya=True,
                      request_outcome="Y", request_outcome_date=date(2024, 12, 16),
                      request_mediation=True, request_tribunal=False, exported="207",
                      assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=
                                             date(2025, 3, 3), assessment_mediation=True,
                                             assessment_tribunal=False, other_mediation=True,
                                             other_tribunal=False, week20=False,
                                             named_plan=(plan,)),),
                      active_plans=(act,))
    person = _person(0, request).model_copy(update={"gender_current": "9"})
    cases = to_cases(_ret(person))
    assert len(cases) == 1 and not [u for u in cases.unkept if u.left_out]
    r = "Person[0].Requests[0]"
    p, a = f"{r}.Assessment[0].NamedPlan[0]", f"{r}.ActivePlans[0]"
    assert {u.location for u in cases.unkept} == {
        "Person[0].GenderCurrent",  # not an item of the 2026 collection
        f"{p}.PlanRes", f"{p}.DP", f"{p}.PlanDetail[0]",  # codes no code set has
        f"{p}.CeaseReason",  # no CeaseDate: the plan has not ceased
        f"{a}.Res", f"{a}.WBP",  # 2023 only
        f"{a}.PlacementDetail[0]", f"{a}.PlacementDetail[1]",  # rank 4; MSI and RES08
        f"{a}.PlacementDetail[1].AttendancePattern",  # 2023 only
    }
    text = " ".join(f"{u.location} {u.reason}" for u in cases.unkept)
    for value in ("MSI", "Hilltop", "100001", "10077777", "100777", "100888", "RES0", "WBP0",
                  "DP07", "ATT07", "207", "2024-09-04", "2025-07-21", "True", "False"):
        assert value not in text, value
    back = build_return(cases, year=2026, header=HDR).persons[0].requests[0]
    assert (back.rya, back.request_mediation, back.request_tribunal, back.exported) == (
        True, True, False, "207")
    got = back.assessment[0]
    assert (got.assessment_mediation, got.assessment_tribunal, got.other_mediation,
            got.other_tribunal) == (True, False, True, False)
    named = got.named_plan[0]
    assert (named.plan_wbp, named.pb, named.oa, named.cease_reason) == ("S", True, False, None)
    assert named.plan_detail == (PlanDetail(urn="100777"),)


def test_not_carried_is_empty() -> None:
    """Every item of the model has a home on the case (the table of homes is held to the
    model in test_sen2_carry.py)."""
    from sendflow.sen2 import NOT_CARRIED

    assert NOT_CARRIED == ()


def test_carried_values_are_not_listed() -> None:
    """A rank-1 placement with only a URN, rank-1 plan detail and GenderCurrent 1 or 2
    in 2023 are carried, so not listed."""
    act = _placed("100001", "SLD")
    req = Request(received_date=date(2022, 3, 7), request_source="2", request_outcome="Y",
                  request_outcome_date=date(2022, 4, 11),
                  assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=
                                         date(2022, 7, 11), named_plan=(_plan(
                                             date(2022, 7, 11)),)),),
                  active_plans=(act,))
    cases = to_cases(_ret(_person(0, req, year=2023), year=2023))
    assert not [u for u in cases.unkept if "Placement" in u.location or "PlanDetail"
                in u.location or "GenderCurrent" in u.location]


def test_check_sen2_prints_items_not_carried_by_place(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    # RYA is carried; an Exported code of the wrong shape is not (the XML reader keeps it).
    req = REVIEWED.model_copy(update={"rya": True, "exported": "2O7"})
    path = tmp_path / "return.xml"
    path.write_bytes(to_xml(_ret(_person(0, req))))
    assert main(["check", str(path), "--sen2", "--unkept", "list"]) == 0
    err = capsys.readouterr().err
    assert "Person[0].Requests[0].RYA" not in err
    assert "sendflow check: Person[0].Requests[0].Exported: is not valid" in err
    assert "2O7" not in err


def test_a_review_after_the_cease_date_loses_that_date_not_the_request() -> None:
    # The LIIA sample returns (tests/fixtures/sen2/liia/) have a plan ceased on 31 Dec 2023
    # with a review decided after it. Here: CEASED's plan ceases 31 July 2025 and its
    # LastReview is 15 August 2025. A history cannot hold a review after the cease, so that
    # one date is listed and left out; the request, its plan and its cease are kept.
    late = CEASED.model_copy(update={"active_plans": (CEASED.active_plans[0].model_copy(
        update={"last_review": date(2025, 8, 15)}),)})
    cases = to_cases(_ret(_person(1, late)))
    assert cases.locations == ("Person[0].Requests[0]",)
    where = {u.location: u for u in cases.unkept}
    assert not where["Person[0].Requests[0].ActivePlans[0].LastReview"].left_out
    assert not any(u.left_out for u in cases.unkept)
    assert [(e.type, e.on) for e in cases[0].events][-1] == ("plan_ceased", date(2025, 7, 31))
    back = build_return(cases, year=2026, header=HDR).persons[0].requests[0]
    assert back.assessment[0].named_plan[0].cease_date == date(2025, 7, 31)
    assert "2025-08-15" not in " ".join(str(u) for u in cases.unkept)


def test_a_request_left_out_says_why_in_a_whole_sentence() -> None:
    # Refused on 1 May for a request received on 2 June: no valid history. The reason
    # names the event and the rule broken, without the list of events allowed next.
    backwards = Request(received_date=date(2025, 6, 2), request_outcome="N",
                        request_outcome_date=date(2025, 5, 1))
    (unkept,) = [u for u in to_cases(_ret(_person(1, backwards))).unkept if u.left_out]
    assert "dated before the previous event" in unkept.reason
    assert "allowed next" not in unkept.reason and unkept.reason.endswith(")")
