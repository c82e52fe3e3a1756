"""The strategies give test data that looks like life: the mix of stories, who asks,
exceptions, stock plans with reviews, children with needs and fitting identifiers.

The figures come from one table (``sendflow._calibration``, the DfE's 2024 national
figures) that ``sendflow.synth`` uses too. Generated data is checked against it with
tolerances on a few hundred independent draws, each from its own seeded random source,
as hypothesis generates before it searches: hypothesis's search then replays and mutates
earlier examples (trying the simplest story often), which is what it is for, but says
nothing about the mix a strategy draws from.
"""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import replace
from datetime import date
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis.control import BuildContext
from hypothesis.errors import StopTest
from hypothesis.internal.conjecture.data import ConjectureData
from hypothesis.strategies import SearchStrategy

import sendflow
from sendflow import Case
from sendflow._calibration import NATIONAL_2024, SHARES
from sendflow.synth import synthesise
from sendflow.testing import strategies as s

_DRAWS = 200


def _draw(strategy: SearchStrategy[Any], n: int = _DRAWS) -> list[Any]:
    """``n`` independent draws of ``strategy``, from seeds 0 to n - 1."""
    out: list[Any] = []
    for seed in range(n):
        data = ConjectureData(random=random.Random(seed))
        try:
            with BuildContext(data, is_final=False, wrapped_test=None):  # type: ignore[arg-type]
                out.append(data.draw(strategy))
        except StopTest:  # the draw was rejected (hypothesis.assume)
            continue
    assert len(out) >= 0.9 * n
    return out


def test_hypothesis_search_also_finds_every_story() -> None:
    # under @given (search, shrinking) every kind of story still turns up
    kinds: set[str] = set()

    @settings(max_examples=100, database=None, derandomize=True, deadline=None,
              suppress_health_check=list(HealthCheck))
    @given(s.case_histories())
    def collect(case: Case) -> None:
        kinds.add(case.events[0].type)
        kinds.update(case.main_states())

    collect()
    assert {"final_plan_issued", "request_received", "assessment_refused",
            "plan_maintained"} <= kinds


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return _draw(s.case_histories(child=True))


def _types(case: Case) -> list[str]:
    return [e.type for e in case.events]


def test_requests_refused_assessed_and_plans_in_the_national_shares(cases: list[Case]) -> None:
    requests = [c for c in cases if c.events[0].type != "final_plan_issued"]
    decisions = Counter(e.outcome for c in requests for e in c.events
                        if e.type == "assessment_decision")
    assert len(requests) > 50
    # 25.2 % of requests are refused, 65.4 % assessed (DfE 2024)
    assert 0.15 <= decisions["refuse"] / len(requests) <= 0.35
    assert 0.50 <= decisions["assess"] / len(requests) <= 0.80
    assessed = [c for c in requests if "assessing" in c.main_states()]
    planned = [c for c in assessed if "final_plan_issued" in _types(c)]
    no_plan = [c for c in assessed if "no_plan_notice_sent" in _types(c)]
    # 93.6 % of completed assessments end in a plan; most assessed stories run on
    assert len(planned) > 4 * len(no_plan)


def test_stock_plans_come_with_review_histories(cases: list[Case]) -> None:
    stock = [c for c in cases if c.events[0].type == "final_plan_issued"]
    # SHARES["stock_plan"] (58 %): plans in force against three years of requests
    assert 0.45 <= len(stock) / len(cases) <= 0.70
    reviewed = [c for c in stock if "review_decision" in _types(c)]
    assert len(reviewed) >= 0.7 * len(stock)
    # a lone migrated plan is rare (it was 55 % of all histories)
    lone = [c for c in cases if _types(c) == ["final_plan_issued"]]
    assert len(lone) <= 0.05 * len(cases)
    # a year's review comes about a year after the last one, not weeks
    for c in reviewed:
        last_decision = None
        for e in c.events:
            if e.type == "review_decision":
                last_decision = e.on
            elif e.type == "review_invitations_sent" and last_decision is not None:
                assert (e.on - last_decision).days >= 200
                last_decision = None


def test_exceptions_are_rare_and_never_after_the_final_plan(cases: list[Case]) -> None:
    events = [e for c in cases for e in c.events]
    exceptions = [e for e in events if e.type == "exception_recorded"]
    # 6.1 % of plans had a 20-week exception; exceptions were 61 % of all events
    assert 0 < len(exceptions) <= 0.02 * len(events)
    requests = [c for c in cases if c.events[0].type != "final_plan_issued"]
    excepted = [c for c in requests if "exception_recorded" in _types(c)]
    assert len(excepted) <= 0.15 * len(requests)
    for c in cases:
        types = _types(c)
        if "final_plan_issued" in types and "exception_recorded" in types:
            assert types.index("exception_recorded") < types.index("final_plan_issued")
        assert types.count("exception_recorded") <= 1


def test_parents_ask_most_often_schools_next_young_people_least(cases: list[Case]) -> None:
    made_by = Counter(str(e.made_by) for c in cases for e in c.events
                      if e.type == "request_received")
    assert made_by["parent"] > made_by["school_or_setting"] > made_by["young_person"]
    assert made_by["parent"] / sum(made_by.values()) >= 0.45


def test_children_have_needs_and_identifiers_that_fit_their_age(cases: list[Case]) -> None:
    for c in cases:
        child = c.child
        assert child is not None
        assert child.needs is not None and child.needs.primary is not None
        on = c.events[0].on
        age = child.age_on(on)
        assert 0 <= age <= 25
        if child.uln is not None:
            assert age >= s.ULN_FROM_AGE  # ULNs from 14
        if child.upn is not None:
            assert s.UPN_AGES[0] <= age <= s.UPN_AGES[1]  # school age
        if child.upn is None and child.uln is None:
            assert child.upn_unknown is not None
        assert not any(e.on < child.date_of_birth for e in c.events)


def test_babies_have_no_uln_or_upn() -> None:
    on = date(2026, 9, 1)
    for child in _draw(s.children(age_between=(0, 2), on=on), 60):
        assert child.uln is None and child.upn is None
        assert child.upn_unknown is not None


def test_the_mix_can_be_skewed() -> None:
    refusals = replace(s.MIX, refused=1.0, assessed=0.0, stock_plan=0.0, in_progress=0.0)
    cases = _draw(s.case_histories(mix=refusals), 60)
    outcomes = Counter(e.outcome for c in cases for e in c.events
                       if e.type == "assessment_decision")
    assert outcomes["refuse"] >= 0.9 * sum(outcomes.values()) > 0
    excepted = replace(s.MIX, exception=1.0, stock_plan=0.0)
    cases = _draw(s.case_histories(mix=excepted), 60)
    with_exception = [c for c in cases if "exception_recorded" in _types(c)]
    assert len(with_exception) >= 0.5 * len(cases)
    schools = replace(s.MIX, made_by=(("school_or_setting", 1.0),))
    cases = _draw(s.case_histories("assessment", mix=schools), 30)
    assert {str(e.made_by) for c in cases for e in c.events
            if e.type == "request_received"} == {"school_or_setting"}


def test_a_shrunk_case_shows_its_events_and_nothing_personal(cases: list[Case]) -> None:
    case = next(c for c in cases if len(c.events) >= 3 and c.child is not None)
    text = repr(case)
    for e in case.events:
        assert f"{e.type} {e.on.isoformat()}" in text
    assert case.child is not None
    assert case.child.date_of_birth.isoformat() not in text
    for value in (case.child.upn, case.child.uln, case.child.nhs_number,
                  case.child.given_name, case.child.family_name, case.child.postcode):
        if value is not None:
            assert str(value) not in text


def test_synth_and_the_strategies_share_one_table() -> None:
    assert sendflow.synth.NATIONAL_2024 is NATIONAL_2024
    assert s.MIX.refused == SHARES["request_refused"] == NATIONAL_2024["requests_refused_share"]
    assert s.MIX.exception == SHARES["plan_exception"]
    assert dict(s.MIX.made_by) == {
        k.removeprefix("made_by_"): v for k, v in SHARES.items() if k.startswith("made_by_")}


def test_synth_stock_plans_have_reviews() -> None:
    cases = [Case.model_validate(c) for c in synthesise(600, seed=11)]
    stock = [c for c in cases if c.events[0].type == "final_plan_issued"]
    old = [c for c in stock if (date(2026, 1, 15) - c.events[0].on).days > 2 * 365]
    reviewed = [c for c in old if "review_decision" in _types(c)]
    # 68.4 % of reviews due are completed: with two or more years, nearly every plan
    assert len(reviewed) >= 0.8 * len(old)
    decisions = Counter(e.outcome for c in stock for e in c.events
                        if e.type == "review_decision")
    total = sum(decisions.values())
    assert decisions["amend"] / total == pytest.approx(SHARES["review_amend"], abs=0.06)
    assert decisions["maintain"] / total == pytest.approx(SHARES["review_maintain"], abs=0.06)
    # babies have no UPN in synth either
    for c in cases:
        assert c.child is not None
        if c.child.age_on(date(2026, 1, 15)) < 4:
            assert c.child.upn is None
