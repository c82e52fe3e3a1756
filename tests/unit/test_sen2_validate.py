"""SEN2 validation: each rule has a failing and a passing example.

The rules are sendflow's own, derived from the SEN2 guide's item guidance
(sen2.md s. 6); the DfE's rule numbers were not available.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from sendflow.sen2 import (
    RULES,
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
    validate,
)
from sendflow.sen2._validate import _CHECKS

UPN_OK = "B801200005001"  # check letter computed in tests/unit/test_identifiers.py
ULN_OK = "9276308686"


def make(year: int = 2026, **over: dict[str, Any]) -> SEN2Return:
    """A valid return for ``year`` with one person; ``over`` overrides fields per module."""

    def o(name: str, **base: Any) -> dict[str, Any]:
        return {**base, **over.get(name, {})}

    detail = PlanDetail(**o("detail", urn="100000", placement_rank=1))
    plan = NamedPlan(**o("plan", start_date=date(year - 1, 5, 20), plan_detail=(detail,)))
    assessment = Assessment(**o("assessment", assessment_outcome="Y",
                                assessment_outcome_date=date(year - 1, 5, 20), week20=False,
                                named_plan=(plan,)))
    placement = PlacementDetail(**o("placement", urn="100000", placement_rank=1,
                                    entry_date=date(year - 1, 9, 1)))
    needs = over.get("needs", {}).get("needs") or (
        SENNeed(sen_type="ASD", sen_type_rank=1), SENNeed(sen_type="SLCN", sen_type_rank=2))
    active = ActivePlan(**o("active", placements=(placement,), needs=needs))
    request = Request(**o("request", received_date=date(year - 1, 1, 6), request_outcome="Y",
                          request_outcome_date=date(year - 1, 2, 10), assessment=(assessment,),
                          active_plans=(active,)))
    sex = {"sex": "F"} if year >= 2024 else {"gender_current": "2"}
    person = Person(**o("person", person_id="P1", birth_date=date(2015, 3, 1), ethnicity="WBRI",
                        upn=UPN_OK, requests=(request,), **sex))
    census = {2023: date(2023, 1, 19), 2024: date(2024, 1, 18), 2025: date(2025, 1, 16),
              2026: date(2026, 1, 15), 2027: date(2027, 1, 21)}[year]
    return SEN2Return(header=Header(year=year, reference_date=census, lea="201"),
                      persons=(person,))


P = "Person[0]"
R = f"{P}.Requests[0]"
A = f"{R}.Assessment[0]"
N = f"{A}.NamedPlan[0]"
D = f"{N}.PlanDetail[0]"
AP = f"{R}.ActivePlans[0]"
PL = f"{AP}.PlacementDetail[0]"

#: rule code -> (overrides that make it fail, where it must be reported)
FAILING: dict[str, tuple[dict[str, dict[str, Any]], str]] = {
    "SF0100": ({"person": {"birth_date": None}}, P),
    "SF0101": ({"person": {"birth_date": date(2026, 2, 1)}}, P),
    "SF0102": ({"person": {"birth_date": date(1998, 1, 1)}}, P),
    "SF0103": ({"person": {"upn": "B801200005002"}}, P),
    "SF0104": ({"person": {"uln": "9276308680"}}, P),
    "SF0105": ({"person": {"upn": None}}, P),
    "SF0106": ({"person": {"upn": None, "upn_unknown": "UN4"}}, P),
    "SF0107": ({"person": {"sex": "X"}}, P),
    "SF0108": ({"person": {"ethnicity": "ZZZZ"}}, P),
    "SF0109": ({"person": {"gender_current": "F"}}, P),
    "SF0200": ({"request": {"received_date": None}}, R),
    "SF0201": ({"request": {"request_outcome": "Q"}}, R),
    "SF0202": ({"request": {"request_outcome_date": None}}, R),
    "SF0203": ({"request": {"request_outcome": "H"}}, R),
    "SF0204": ({"request": {"request_outcome_date": date(2024, 12, 1)}}, R),
    "SF0205": ({"request": {"request_outcome": "N"}}, R),
    "SF0206": ({"request": {"request_source": "9"}}, R),
    "SF0300": ({"assessment": {"assessment_outcome": "Z"}}, A),
    "SF0301": ({"assessment": {"assessment_outcome": "N", "assessment_outcome_date": None}}, A),
    "SF0302": ({"assessment": {"assessment_outcome": "A"}}, A),
    "SF0303": ({"assessment": {"week20": None}}, A),
    "SF0304": ({"assessment": {"assessment_outcome_date": date(2024, 12, 1)}}, A),
    "SF0400": ({"assessment": {"assessment_outcome": "N"}}, N),
    "SF0401": ({"plan": {"cease_date": date(2025, 12, 1)}}, N),
    "SF0402": ({"plan": {"cease_date": date(2025, 1, 1), "cease_reason": "2"}}, N),
    "SF0403": ({"plan": {"cease_date": date(2025, 12, 1), "cease_reason": "0"}}, N),
    "SF0404": ({"plan": {"cease_date": date(2025, 12, 1), "cease_reason": "9"}}, N),
    "SF0405": ({"plan": {"plan_res": "C"}}, N),
    "SF0500": ({"detail": {"sen_setting": "EHE"}}, D),
    "SF0501": ({"detail": {"urn": "12345"}}, D),
    "SF0502": ({"detail": {"urn": None, "ukprn": "1234"}}, D),
    "SF0503": ({"detail": {"urn": None, "sen_setting": "XYZ"}}, D),
    "SF0504": ({"detail": {"placement_rank": 3}}, D),
    "SF0505": ({"placement": {"leaving_date": date(2025, 8, 1)}}, PL),
    "SF0506": ({"placement": {"urn": None, "sen_setting": "NIEO"}}, PL),
    "SF0600": ({"needs": {"needs": (SENNeed(sen_type="ASD", sen_type_rank=1),
                                    SENNeed(sen_type="MLD", sen_type_rank=1))}}, AP),
    "SF0601": ({"needs": {"needs": (SENNeed(sen_type="ASD", sen_type_rank=1),
                                    SENNeed(sen_type="ASD", sen_type_rank=2))}}, AP),
    "SF0602": ({"needs": {"needs": (SENNeed(sen_type="NSA", sen_type_rank=1),)}}, AP),
    "SF0603": ({"active": {"review_outcome": "R", "review_meeting": date(2025, 6, 2)}}, AP),
    "SF0604": ({"active": {"review_outcome": "M"}}, AP),
}


def test_every_rule_is_data_with_a_check_and_a_test() -> None:
    codes = {r.code for r in RULES}
    assert codes == set(_CHECKS) == set(FAILING)
    assert all(r.message and r.item and r.severity in ("error", "query") for r in RULES)


@pytest.mark.parametrize("year", [2023, 2024, 2025, 2026])
def test_the_base_return_passes_every_rule(year: int) -> None:
    report = validate(make(year))
    assert report.failures == ()
    assert report.ok


@pytest.mark.parametrize("code", sorted(FAILING))
def test_each_rule_fails_where_it_should(code: str) -> None:
    over, where = FAILING[code]
    report = validate(make(**over))
    hits = [f for f in report.failures if f.code == code]
    assert [f.location for f in hits] == [where]
    rule = next(r for r in RULES if r.code == code)
    assert hits[0].severity == rule.severity and hits[0].message == rule.message


def test_every_failure_is_reported_not_just_the_first() -> None:
    bad = make(person={"birth_date": None, "upn": None, "ethnicity": "ZZZZ"},
               assessment={"week20": None}, detail={"urn": "12"})
    assert {"SF0100", "SF0105", "SF0108", "SF0303", "SF0501"} <= validate(bad).codes()


def test_down_syndrome_is_a_sen2_code_from_2025_only() -> None:
    ds = {"needs": {"needs": (SENNeed(sen_type="DS", sen_type_rank=1),)}}
    assert "SF0602" in validate(make(2024, **ds)).codes()
    assert "SF0602" not in validate(make(2025, **ds)).codes()


def test_sex_replaced_gender_current_in_2024() -> None:
    assert "SF0109" in validate(make(2023, person={"gender_current": None, "sex": "F"})).codes()
    assert validate(make(2023)).ok


def test_messages_never_contain_the_values() -> None:
    report = validate(make(person={"upn": "B801200005002", "birth_date": date(1998, 1, 1)}))
    text = str(report)
    assert "B801200005002" not in text and "1998" not in text


def test_queries_do_not_make_a_return_invalid() -> None:
    report = validate(make(plan={"cease_date": date(2025, 12, 1), "cease_reason": "9"}))
    assert report.queries and report.ok


def test_coded_items_pass_with_their_codes() -> None:
    ok = make(request={"request_source": "3"}, plan={"plan_res": "B"},
              active={"review_outcome": "A", "review_meeting": date(2025, 6, 2)})
    assert validate(ok).failures == ()
    assert validate(make(2025, request={"request_source": "1"}, plan={"plan_res": "A"})).ok


def test_an_item_before_its_first_collection_is_sf0109_not_a_code_failure() -> None:
    codes = validate(make(2024, request={"request_source": "1"})).codes()
    assert "SF0109" in codes and "SF0206" not in codes
    codes = validate(make(2023, active={"review_outcome": "A",
                                        "review_meeting": date(2022, 6, 1)})).codes()
    assert "SF0109" in codes and "SF0603" not in codes
