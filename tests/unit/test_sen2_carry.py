"""Every SEN2 item comes back: ``build_return(to_cases(ret), year=ret.year, header=...)``
equals ``ret`` item for item (issue 16 pt 4).

For each collection year 2023-2027 a hand-made, schema-valid return fills every item the
year has (two PlanDetail, three PlacementDetail, two SENneed); to_cases carries each one
(``unkept`` is empty), build_return writes it back, and the XML validates against the
year's XSD. A hypothesis property does the same over generated returns.

Dates are chosen so the case each request becomes is a valid history: for the plan
issued in the year, the review meeting (3 Nov) comes after the plan (2 Jun), the decision
(17 Nov) within 4 weeks of it (SI 2014/1530 reg. 20(10): meeting + 28 days = 1 Dec), and the
plan ceases (15 Dec) after that decision.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypeVar

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendflow import evaluate
from sendflow.sen2 import (
    NOT_CARRIED,
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
    code_set,
    from_xml,
    item_in_collection,
    schema_path,
    to_cases,
    to_xml,
    validate_schema,
)
from sendflow.sen2._model import _Module
from sendflow.sen2._tocases import _RECORD
from sendflow.testing.strategies import ulns, upns

YEARS = (2023, 2024, 2025, 2026, 2027)
M = TypeVar("M", bound=_Module)


def _header(year: int) -> Header:
    return Header(year=year, reference_date=census_date(year), lea="201", release="1.0",
                  serial_no=1, date_time=f"{year}-02-20T09:30:00", dmo="Y", dco="N",
                  dsco="R" if year >= 2025 else None)


def _supplied(h: Header) -> dict[str, object]:
    """What an LA supplies to build_return for the header ``h``."""
    keys = ("dmo", "dco", "dsco", "software_code", "release", "serial_no", "date_time")
    return {k: getattr(h, k) for k in keys if getattr(h, k) is not None}


def _in_year(cls: type[M], year: int, **values: Any) -> M:
    """``cls`` with those of ``values`` whose item the year's collection has."""
    xml = {i.field: i.xml for i in cls.ITEMS}
    return cls(**{k: v for k, v in values.items()
                  if k not in xml or item_in_collection(cls.__name__, xml[k], year)})


def _placements(year: int) -> tuple[PlacementDetail, ...]:
    y = year - 1
    common = {"sen_unit_indicator": True, "resourced_provision_indicator": False,
              "attendance_pattern": "FT", "res": "A", "wbp": "S"}
    return (
        _in_year(PlacementDetail, year, urn="100001", placement_rank=1,
                 entry_date=date(y - 2, 9, 4), **common),
        _in_year(PlacementDetail, year, ukprn="10012345", placement_rank=2,
                 entry_date=date(y, 1, 9), leaving_date=date(y, 7, 18),
                 **{**common, "attendance_pattern": "PT", "res": "B", "wbp": "A"}),
        _in_year(PlacementDetail, year, sen_setting="OLA",
                 sen_setting_other="Tuition at home", placement_rank=2,
                 entry_date=date(y, 9, 1), sen_unit_indicator=False,
                 resourced_provision_indicator=True),
    )


def _full_request(year: int) -> Request:
    """A plan requested, assessed and issued in the year, reviewed and ceased: every item."""
    y = year - 1
    plan = NamedPlan(
        start_date=date(y, 6, 2),
        plan_detail=(PlanDetail(urn="100001", placement_rank=1, sen_unit_indicator=True,
                                resourced_provision_indicator=False),
                     PlanDetail(sen_setting="OTH", sen_setting_other="A specialist college",
                                placement_rank=2, sen_unit_indicator=False,
                                resourced_provision_indicator=True)),
        plan_res="B", plan_wbp="S", pb=True, oa=False, dp="I",
        cease_date=date(y, 12, 15), cease_reason="5")
    assessment = Assessment(assessment_outcome="Y", assessment_outcome_date=date(y, 6, 2),
                            assessment_mediation=True, assessment_tribunal=False,
                            other_mediation=False, other_tribunal=True, week20=True,
                            named_plan=(plan,))
    active = _in_year(
        ActivePlan, year, transfer_la="XXX", review_meeting=date(y, 11, 3),
        review_outcome="A", review_draft=date(y, 11, 24),
        phase_transfer_due_date=date(y, 2, 15), phase_transfer_final_date=date(y, 2, 10),
        last_review=date(y, 11, 17), res="A", wbp="T", placements=_placements(year),
        needs=(SENNeed(sen_type="ASD", sen_type_rank=1),
               SENNeed(sen_type="SLCN", sen_type_rank=2)))
    return _in_year(Request, year, received_date=date(y, 1, 6), request_source="2", rya=False,
                    request_outcome_date=date(y, 2, 10), request_outcome="Y",
                    request_mediation=True, request_tribunal=False, exported="202",
                    assessment=(assessment,), active_plans=(active,))


def _legacy_request(year: int) -> Request:
    """A plan made years before, reviewed in the year more than 12 months after its making
    (StartDate carried, not judged), with reviews not judged (2023: LastReview alone)."""
    y = year - 1
    plan = NamedPlan(start_date=date(y - 4, 3, 1), plan_detail=(
        PlanDetail(ukprn="10054321", placement_rank=1),), pb=False)
    active = _in_year(ActivePlan, year, last_review=date(y, 3, 20),
                      review_meeting=date(y, 3, 2), review_outcome="M",
                      placements=(PlacementDetail(urn="100002", placement_rank=1),),
                      needs=(SENNeed(sen_type="MLD", sen_type_rank=1),))
    return Request(request_outcome="H", assessment=(Assessment(
        assessment_outcome="H", named_plan=(plan,)),), active_plans=(active,))


def _transferred_request(year: int) -> Request:
    """A plan transferred in during the year: returned as H with its date in the year."""
    y = year - 1
    plan = NamedPlan(start_date=date(y, 4, 1), plan_detail=(
        PlanDetail(sen_setting="EHE", placement_rank=1),))
    active = ActivePlan(transfer_la="202", placements=(
        PlacementDetail(sen_setting="EHE", placement_rank=1, entry_date=date(y, 4, 1)),))
    return Request(request_outcome="H", assessment=(Assessment(
        assessment_outcome="H", named_plan=(plan,)),), active_plans=(active,))


def _refused_request(year: int) -> Request:
    y = year - 1
    return _in_year(Request, year, received_date=date(y, 3, 3), request_source="1", rya=True,
                    request_outcome_date=date(y, 4, 7), request_outcome="N",
                    request_mediation=False, request_tribunal=True, exported="XXX")


def full_return(year: int) -> SEN2Return:
    """A schema-valid ``year`` return with every item of the year filled somewhere."""
    sex = {"gender_current": "1"} if year == 2023 else {"sex": "M"}
    named = {"surname": "Smith", "forename": "Ann", "ethnicity": "WENG", "postcode": "SW1A 1AA"}
    persons = (
        Person(person_id="P1", birth_date=date(2012, 5, 4), upn="B801200005001",
               uln="9276308686", requests=(_refused_request(year), _full_request(year)),
               **named, **sex),
        Person(person_id="P2", birth_date=date(2015, 9, 30), upn_unknown="UN2",
               requests=(_legacy_request(year),), **named,
               **({"gender_current": "9"} if year == 2023 else {"sex": "F"})),
        Person(person_id="P3", birth_date=date(2010, 1, 31), upn_unknown="UN8",
               requests=(_transferred_request(year),), **named,
               **({"gender_current": "0"} if year == 2023 else {"sex": "F"})),
    )
    return SEN2Return(header=_header(year), persons=persons)


def _round_trip(ret: SEN2Return) -> SEN2Return:
    return build_return(to_cases(ret), year=ret.year, header=_supplied(ret.header))


@pytest.mark.parametrize("year", YEARS)
def test_a_return_with_every_item_comes_back_item_for_item(year: int) -> None:
    ret = full_return(year)
    cases = to_cases(ret)
    assert cases.unkept == ()
    back = build_return(cases, year=year, header=_supplied(ret.header))
    assert back.refused == ()
    for p, q in zip(back.persons, ret.persons, strict=True):  # the first difference, told
        assert p == q
    assert back == ret
    xml = to_xml(back)
    assert xml == to_xml(ret)
    report = validate_schema(xml, xsd=schema_path(year))
    assert report.ok, str(report)
    # And through the XML the LA submits.
    assert _round_trip(from_xml(xml)).persons == from_xml(xml).persons


@pytest.mark.parametrize("year", YEARS)
def test_the_full_return_fills_every_item_of_its_year(year: int) -> None:
    """The test above is only as strong as its return: every item of every module the year
    has holds a value in it somewhere (PersonID aside, and UPNunknown, which a person has
    only without UPN and ULN, is on P2)."""
    ret = full_return(year)
    seen: dict[str, set[str]] = {}

    def walk(module: Any) -> None:
        cls = type(module)
        for item in cls.ITEMS:
            if getattr(module, item.field) is not None:
                seen.setdefault(cls.__name__, set()).add(item.xml)
        for field, _tag, _cls in cls.CHILDREN:
            for child in getattr(module, field):
                walk(child)

    for p in ret.persons:
        walk(p)
    for cls in (Person, Request, Assessment, NamedPlan, PlanDetail, ActivePlan,
                PlacementDetail, SENNeed):
        want = {i.xml for i in cls.ITEMS if item_in_collection(cls.__name__, i.xml, year)}
        assert want <= seen[cls.__name__], (cls.__name__, sorted(want - seen[cls.__name__]))
    ap = ret.persons[0].requests[1].active_plans[0]
    assert len(ap.placements) == 3 and len(ap.needs) == 2
    assert len(ret.persons[0].requests[1].assessment[0].named_plan[0].plan_detail) == 2


def test_nothing_is_listed_as_never_carried() -> None:
    assert NOT_CARRIED == ()


def test_the_table_of_homes_names_the_model_items() -> None:
    from sendflow.returns import SEN2Items

    for cls, field, home in _RECORD:
        xml = {i.field: i.xml for i in cls.ITEMS}[field]
        assert SEN2Items.ITEMS[home] == (cls.__name__, xml)
    assert set(SEN2Items.ITEMS) == set(SEN2Items.model_fields)


def test_the_carried_items_land_in_their_homes() -> None:
    """Where each item lives on the case (docs/reference/sen2.md, "What carries where")."""
    from sendflow.workflows.assessment import RequestReceived
    from sendflow.workflows.opening import RecordOpened
    from sendflow.workflows.review import CeaseReason, PlanCeased

    cases = to_cases(full_return(2026))
    case = cases[cases.locations.index("Person[0].Requests[1]")]
    opened = case.events[0]
    assert isinstance(opened, RecordOpened) and opened.named_settings is not None
    assert [s.rank for s in opened.named_settings] == [1, 2]
    assert opened.named_settings[1].sen2_setting == "OTH"
    assert opened.sen2 is not None
    assert opened.sen2.transfer_la == "XXX" and opened.sen2.review_draft == date(2025, 11, 24)
    assert opened.sen2.pb is True and opened.sen2.oa is False and opened.sen2.dp == "I"
    ceased = case.events[-2]
    assert isinstance(ceased, PlanCeased)
    assert ceased.reason is CeaseReason.TRANSFERRED_TO_ANOTHER_LA
    assert case.child is not None
    attended = case.child.settings_attended
    assert [s.rank for s in attended] == [1, 2, 2]
    assert attended[1].leaving_on == date(2025, 7, 18) and attended[2].sen2_setting == "OLA"
    assert case.child.setting_urn == "100001"
    refused = cases[cases.locations.index("Person[0].Requests[0]")].events[0]
    assert isinstance(refused, RequestReceived) and refused.sen2 is not None
    assert refused.sen2.request_tribunal is True
    legacy = cases[cases.locations.index("Person[1].Requests[0]")].events[0]
    assert isinstance(legacy, RecordOpened) and legacy.sen2 is not None
    assert legacy.plan_made_on is None and legacy.sen2.plan_start_date == date(2021, 3, 1)


def test_carried_items_are_never_judged() -> None:
    """The engine reads none of the new homes: the reports of the full return's cases are
    the same with them stripped."""
    cases = to_cases(full_return(2026))
    for case in cases:
        events = [e.model_copy(update={k: None for k in ("sen2", "named_settings", "reason")
                                       if k in type(e).model_fields}) for e in case.events]
        child = (case.child.model_copy(update={"settings_attended": ()})
                 if case.child is not None else None)
        bare = case.model_copy(update={"events": tuple(events), "child": child})
        got = evaluate(case, as_of=cases.as_of, recorded=cases.recorded)
        plain = evaluate(bare, as_of=cases.as_of, recorded=cases.recorded)
        assert [(d.rule_id, d.due, d.status) for d in got.deadlines] == [
            (d.rule_id, d.due, d.status) for d in plain.deadlines]


def test_an_invalid_item_is_listed_by_location_never_value() -> None:
    ret = full_return(2026)
    req = ret.persons[0].requests[1]
    plan = req.assessment[0].named_plan[0]
    bad_plan = plan.model_copy(update={"plan_res": "RES07", "cease_reason": "77",
                                       "plan_detail": (PlanDetail(placement_rank=1),)})
    act = req.active_plans[0]
    bad_act = act.model_copy(update={"transfer_la": "2X2", "placements": (
        act.placements[0].model_copy(update={"sen_setting": "MSI"}), *act.placements[1:])})
    bad = req.model_copy(update={
        "exported": "Q07", "active_plans": (bad_act,),
        "assessment": (req.assessment[0].model_copy(update={"named_plan": (bad_plan,)}),)})
    persons = (ret.persons[0].model_copy(update={"requests": (bad,)}),)
    cases = to_cases(ret.model_copy(update={"persons": persons}))
    r = "Person[0].Requests[0]"
    plan_at, act_at = f"{r}.Assessment[0].NamedPlan[0]", f"{r}.ActivePlans[0]"
    assert {u.location for u in cases.unkept} == {
        f"{plan_at}.PlanRes", f"{plan_at}.CeaseReason", f"{plan_at}.PlanDetail[0]",
        f"{act_at}.TransferLA", f"{act_at}.PlacementDetail[0]", f"{r}.Exported"}
    assert len(cases) == 1 and not [u for u in cases.unkept if u.left_out]
    text = " ".join(str(u) for u in cases.unkept)
    for value in ("RES07", "77", "2X2", "MSI", "Q07"):
        assert value not in text
    back = build_return(cases, year=2026, header=_supplied(ret.header)).persons[0].requests[0]
    assert back.exported is None and back.request_mediation is True
    assert back.assessment[0].named_plan[0].pb is True
    assert back.active_plans[0].placements == act.placements[1:]


def test_an_item_of_another_year_is_listed_and_not_written() -> None:
    ret = full_return(2024)
    p = ret.persons[0].model_copy(update={"gender_current": "1"})
    req = p.requests[1]
    act = req.active_plans[0].model_copy(update={"res": "A", "review_draft": date(2023, 12, 1)})
    p = p.model_copy(update={"requests": (p.requests[0], req.model_copy(
        update={"active_plans": (act,)}))})
    cases = to_cases(ret.model_copy(update={"persons": (p, *ret.persons[1:])}))
    assert {u.location for u in cases.unkept} == {
        "Person[0].GenderCurrent", "Person[0].Requests[1].ActivePlans[0].Res",
        "Person[0].Requests[1].ActivePlans[0].ReviewDraft"}
    assert all("2024 collection" in u.reason for u in cases.unkept)
    assert _round_trip(ret) == ret


# ------------------------------------------------------------- property: round trip
def _day(draw: st.DrawFn, lo: date, hi: date) -> date:
    return lo + timedelta(days=draw(st.integers(0, max(0, (hi - lo).days))))


def _maybe(draw: st.DrawFn, values: st.SearchStrategy[Any]) -> Any:
    return draw(st.none() | values)


def _codes(name: str, year: int) -> st.SearchStrategy[str]:
    return st.sampled_from(sorted(code_set(name, year)))


@st.composite
def _setting(draw: st.DrawFn, cls: type[M], year: int, lo: date) -> M:
    """A PlanDetail or PlacementDetail: a URN, a UKPRN or a SEN2 setting code, any items."""
    kind = draw(st.sampled_from(["urn", "ukprn", "code"]))
    values: dict[str, Any] = {
        "urn": draw(st.sampled_from(["100001", "123456", "654321"])) if kind == "urn" else None,
        "ukprn": draw(st.sampled_from(["10012345", "10000001"])) if kind == "ukprn" else None,
        "sen_setting": draw(_codes("SENsetting", year)) if kind == "code" else None,
        "sen_setting_other": _maybe(draw, st.sampled_from(["Tuition", "A college"])),
        "placement_rank": _maybe(draw, st.sampled_from([1, 2])),
        "sen_unit_indicator": _maybe(draw, st.booleans()),
        "resourced_provision_indicator": _maybe(draw, st.booleans()),
    }
    if cls is PlacementDetail:
        entry = _maybe(draw, st.just(_day(draw, lo, date(year - 1, 12, 31))))
        values.update(
            entry_date=entry,
            leaving_date=_maybe(draw, st.just(_day(draw, entry, entry + timedelta(days=200))))
            if entry is not None else None,
            res=_maybe(draw, _codes("PlanRes", year)), wbp=_maybe(draw, _codes("WBP", year)),
            attendance_pattern=_maybe(draw, st.sampled_from(["FT", "PT"])))
    return _in_year(cls, year, **{k: v for k, v in values.items() if v is not None})


@st.composite
def _any_request(draw: st.DrawFn, year: int) -> Request:
    """A request the return may hold, every optional item drawn (blank or a valid value)."""
    y = year - 1
    start, end = date(y, 1, 1), date(y, 12, 31)
    kind = draw(st.sampled_from(["A", "W", "N", "YA", "YN", "YW", "Ydraft", "Yplan", "Hplan",
                                 "Htransfer", "Hassessing"]))
    flag = st.booleans()
    request: dict[str, Any] = {
        "rya": _maybe(draw, flag), "request_mediation": _maybe(draw, flag),
        "request_tribunal": _maybe(draw, flag),
        "exported": _maybe(draw, st.sampled_from(["202", "XXX", "935"])),
    }
    assessment: dict[str, Any] = {
        "assessment_mediation": _maybe(draw, flag), "assessment_tribunal": _maybe(draw, flag),
        "other_mediation": _maybe(draw, flag), "other_tribunal": _maybe(draw, flag)}
    rec = _day(draw, start, date(y, 9, 30))
    dec = _day(draw, rec, rec + timedelta(days=60))
    source = draw(_codes("RequestSource", year)) if year >= 2025 else None
    if kind in ("A", "W", "N"):
        return _in_year(Request, year, received_date=rec, request_source=source,
                        request_outcome=kind, request_outcome_date=dec if kind == "N" else None,
                        **request)
    if kind == "Hassessing":
        return Request(received_date=_day(draw, date(y - 1, 6, 1), date(y - 1, 12, 31)),
                       request_outcome="H", assessment=(Assessment(
                           assessment_outcome="A", **assessment),), **request)
    decided = {"received_date": rec, "request_source": source, "request_outcome": "Y",
               "request_outcome_date": dec, **request}
    if kind in ("YA", "YW", "Ydraft", "YN"):
        outcome = {"YA": "A", "YW": "W", "Ydraft": "Y", "YN": "N"}[kind]
        when = _day(draw, dec, end) if kind == "YN" else None
        return _in_year(Request, year, **decided, assessment=(Assessment(
            assessment_outcome=outcome, assessment_outcome_date=when, **assessment),))
    # A plan: issued in the year (Y), made before it (H), or transferred in (H, dated in it).
    if kind == "Yplan":
        made = _day(draw, dec, date(y, 10, 31))
    elif kind == "Hplan":
        made = _day(draw, date(y - 6, 1, 1), start - timedelta(days=1))
    else:
        made = _day(draw, start, date(y, 10, 31))
    review: dict[str, Any] = {}
    last = None
    if kind != "Htransfer" and draw(st.booleans()):
        # A review decided after the plan was made (and after its first anniversary for a
        # plan made before the year), perhaps with its meeting and outcome.
        lo = max(made, start - timedelta(days=300)) if kind == "Yplan" else max(
            made + timedelta(days=300), start - timedelta(days=300))
        meeting = _day(draw, lo, date(y, 11, 15))
        last = _day(draw, meeting, meeting + timedelta(days=25))
        review = {"last_review": last,
                  "review_meeting": _maybe(draw, st.just(meeting)),
                  "review_outcome": _maybe(draw, _codes("ReviewOutcome", max(year, 2024)))}
    after = max(d for d in (made, last, dec if kind == "Yplan" else None, start) if d)
    cease = _maybe(draw, st.just(_day(draw, after, end)))
    plan = NamedPlan(
        start_date=made,
        plan_detail=tuple(draw(st.lists(_setting(PlanDetail, year, made), max_size=2))),
        plan_res=_maybe(draw, _codes("PlanRes", year)), plan_wbp=_maybe(draw, _codes("WBP", year)),
        pb=_maybe(draw, flag), oa=_maybe(draw, flag), dp=_maybe(draw, _codes("DP", year)),
        cease_date=cease,
        cease_reason=draw(_codes("CeaseReason", year)) if cease is not None else None)
    active = _in_year(
        ActivePlan, year, transfer_la="202" if kind == "Htransfer" else _maybe(
            draw, st.sampled_from(["202", "XXX"])),
        review_draft=_maybe(draw, st.just(_day(draw, start, end))),
        phase_transfer_due_date=_maybe(draw, st.just(date(y, 2, 15))),
        phase_transfer_final_date=_maybe(draw, st.just(_day(draw, start, end))),
        res=_maybe(draw, _codes("PlanRes", year)), wbp=_maybe(draw, _codes("WBP", year)),
        placements=tuple(draw(st.lists(_setting(PlacementDetail, year, made), max_size=3))),
        needs=tuple(SENNeed(sen_type=t, sen_type_rank=i + 1) for i, t in enumerate(
            draw(st.sampled_from([(), ("ASD",), ("SEMH", "SLCN")])))),
        **review)
    if kind == "Yplan":
        return _in_year(Request, year, **decided, assessment=(Assessment(
            assessment_outcome="Y", assessment_outcome_date=made, week20=draw(flag),
            named_plan=(plan,), **assessment),), active_plans=(active,))
    return Request(request_outcome="H", assessment=(Assessment(
        assessment_outcome="H", named_plan=(plan,), **assessment),),
        active_plans=(active,), **request)


@st.composite
def _any_return(draw: st.DrawFn) -> SEN2Return:
    year = draw(st.sampled_from(YEARS))
    persons = []
    for i in range(draw(st.integers(1, 3))):
        ids: dict[str, Any]
        which = draw(st.sampled_from(["upn", "uln", "none"]))
        if which == "upn":
            ids = {"upn": str(draw(upns(temporary=False)))}
        elif which == "uln":
            ids = {"uln": str(draw(ulns()))}
        else:
            ids = {"upn_unknown": draw(_codes("UPNunknown", year))}
        sex = ({"gender_current": _maybe(draw, _codes("GenderCurrent", year))} if year == 2023
               else {"sex": _maybe(draw, _codes("Sex", year))})
        persons.append(Person(
            person_id=f"P{i + 1}", birth_date=_day(draw, date(2003, 1, 1), date(2020, 1, 1)),
            surname=_maybe(draw, st.just("Smith")), forename=_maybe(draw, st.just("Ann")),
            ethnicity=_maybe(draw, _codes("Ethnicity", year)),
            postcode=_maybe(draw, st.sampled_from(["SW1A 1AA", "M1 1AE"])),
            requests=tuple(draw(st.lists(_any_request(year), min_size=1, max_size=3))),
            **ids, **sex))
    return SEN2Return(header=_header(year), persons=tuple(persons))


@settings(max_examples=150, deadline=None)
@given(_any_return())
def test_the_round_trip_keeps_every_item(ret: SEN2Return) -> None:
    cases = to_cases(ret)
    assert cases.unkept == (), [str(u) for u in cases.unkept]
    back = build_return(cases, year=ret.year, header=_supplied(ret.header))
    assert back == ret

