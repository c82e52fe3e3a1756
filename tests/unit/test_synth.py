"""The synthetic national caseload: deterministic, valid, and calibrated on DfE figures.

Shares are checked against the national figures for 2024 (DfE, "Education,
health and care plans", reporting year 2025): 46.4 % of plans within 20
weeks excluding exceptions, about 6 % of plans with an exception, a quarter of
requests refused, 93.6 % of assessments ending in a plan.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from datetime import date

import pytest

from sendflow import Case
from sendflow._cli import main
from sendflow.synth import NATIONAL_2024, synthesise, write_jsonl

N = 20_000


@pytest.fixture(scope="module")
def caseload() -> list[dict[str, object]]:
    return list(synthesise(N, seed=11))


def test_same_seed_same_cases_different_seed_different_cases() -> None:
    assert list(synthesise(200, seed=3)) == list(synthesise(200, seed=3))
    assert list(synthesise(200, seed=3)) != list(synthesise(200, seed=4))


def test_a_prefix_does_not_depend_on_n() -> None:
    assert list(synthesise(50, seed=5)) == list(synthesise(100, seed=5))[:50]


def test_every_case_is_a_valid_case() -> None:
    for data in synthesise(2_000, seed=2):
        case = Case.model_validate_json(json.dumps(data))
        assert case.child is not None
        assert case.responsible_la == case.child.responsible_la


def test_histories_are_cut_at_the_census_date(caseload: list[dict[str, object]]) -> None:
    cut = date(2026, 1, 15).isoformat()
    for data in caseload:
        for event in data["events"]:  # type: ignore[attr-defined]
            assert event["on"] <= cut


def _events(data: dict[str, object]) -> list[dict[str, str]]:
    return data["events"]  # type: ignore[return-value]


def test_share_of_existing_plans_and_requests(caseload: list[dict[str, object]]) -> None:
    first = Counter(_events(d)[0]["type"] for d in caseload)
    assert first["final_plan_issued"] / N == pytest.approx(0.6, abs=0.02)
    assert first["request_received"] / N == pytest.approx(0.4, abs=0.02)


def test_request_outcome_shares(caseload: list[dict[str, object]]) -> None:
    decisions = Counter(
        e["outcome"] for d in caseload for e in _events(d) if e["type"] == "assessment_decision"
    )
    decided = decisions["assess"] + decisions["refuse"]
    # DfE 2024: 38,889 refused of 139,934 decided = 27.8 %.
    assert decisions["refuse"] / decided == pytest.approx(0.278, abs=0.03)


def test_week_20_shares_match_the_national_figures(caseload: list[dict[str, object]]) -> None:
    within = total = excepted = within_excl = total_excl = 0
    for d in caseload:
        events = _events(d)
        if events[0]["type"] != "request_received":
            continue
        final = [e for e in events if e["type"] == "final_plan_issued"]
        if not final or not final[0]["on"].startswith("2025"):
            continue  # the DfE measure: plans issued in the calendar year
        days = (date.fromisoformat(final[0]["on"]) - date.fromisoformat(events[0]["on"])).days
        has_exception = any(e["type"] == "exception_recorded" for e in events)
        total += 1
        within += days <= 140
        excepted += has_exception
        if not has_exception:
            total_excl += 1
            within_excl += days <= 140
    expected_excl = NATIONAL_2024["within_20_weeks_excl_exceptions"]
    assert within_excl / total_excl == pytest.approx(expected_excl, abs=0.03)
    assert within / total == pytest.approx(NATIONAL_2024["within_20_weeks_incl_exceptions"],
                                           abs=0.03)
    assert excepted / total == pytest.approx(0.061, abs=0.015)


def test_children_have_plausible_ages_and_identifiers(caseload: list[dict[str, object]]) -> None:
    census = date(2026, 1, 15)
    for d in caseload[:3000]:
        child = d["child"]
        born = date.fromisoformat(child["date_of_birth"])  # type: ignore[index]
        age = (census - born).days // 365
        assert 0 <= age <= 25
        assert ("upn" in child) != ("upn_unknown" in child)  # type: ignore[operator]


def test_write_jsonl_and_cli_write_the_same_lines(capsys: pytest.CaptureFixture[str]) -> None:
    buf = io.StringIO()
    assert write_jsonl(5, buf, seed=9) == 5
    assert main(["synth", "--cases", "5", "--seed", "9"]) == 0
    assert capsys.readouterr().out == buf.getvalue()


def test_negative_n_is_refused() -> None:
    with pytest.raises(ValueError, match="negative"):
        list(synthesise(-1, seed=1))


def test_reviews_false_gives_stock_plans_as_one_event() -> None:
    """``reviews=False``: issue 19's caseload, each stock plan its final plan alone
    (about 61 % of cases a single event; 60 % stock plans, and a few requests
    received just before the census), the request histories as with reviews."""
    plain = list(synthesise(5_000, seed=11, reviews=False))
    reviewed = list(synthesise(5_000, seed=11))
    stock = [d for d in plain if _events(d)[0]["type"] == "final_plan_issued"]
    assert stock and all(len(_events(d)) == 1 for d in stock)
    assert len(stock) / len(plain) == pytest.approx(0.6, abs=0.03)
    single = sum(len(_events(d)) == 1 for d in plain) / len(plain)
    assert single == pytest.approx(0.61, abs=0.03)
    # With reviews, a stock plan made years ago nearly always has some.
    assert sum(len(_events(d)) == 1 for d in reviewed) / len(reviewed) < 0.05
    for data in plain[:500]:
        Case.model_validate_json(json.dumps(data))
    assert list(synthesise(300, seed=2, reviews=False)) == list(
        synthesise(300, seed=2, reviews=False))
