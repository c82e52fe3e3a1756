"""Named sub-periods, ages and spans of days: how a custom evaluator reads them."""

from __future__ import annotations

from datetime import date

import pytest
from pydantic import ValidationError

from sendflow import rules
from sendflow.appeals import _appeal_arithmetic
from sendflow.errors import RuleDataError
from sendflow.rules import YearlySpan


def test_a_missing_limb_names_the_rule_and_key() -> None:
    rule = rules.get("transfer.phase", on=date(2026, 1, 5))
    assert rule.limb("secondary_to_post16").describe() == (
        "before 31 March in the calendar year of"
    )
    with pytest.raises(RuleDataError, match=r"rule transfer.phase: periods.nope"):
        rule.limb("nope")
    with pytest.raises(RuleDataError, match=r"ages.nope"):
        rule.age("nope")


def test_a_span_runs_over_the_new_year() -> None:
    christmas = YearlySpan(first_month=12, first_day=25, last_month=1, last_day=1)
    assert christmas.contains(date(2026, 12, 25)) and christmas.contains(date(2027, 1, 1))
    assert not christmas.contains(date(2026, 12, 24))
    assert not christmas.contains(date(2027, 1, 2))
    assert christmas.last_day_for(date(2027, 1, 1)) == date(2027, 1, 1)
    august = YearlySpan(first_month=8, first_day=1, last_month=8, last_day=31)
    assert august.describe() == "August" and august.last_day_for(date(2026, 8, 9)) == date(
        2026, 8, 31
    )


def test_a_span_needs_real_days() -> None:
    with pytest.raises(ValidationError):
        YearlySpan(first_month=2, first_day=30, last_month=3, last_day=1)


def test_a_span_the_appeal_arithmetic_does_not_know_is_a_rule_data_error() -> None:
    rule = rules.get("appeal.deadline", on=date(2026, 1, 5))
    easter = YearlySpan(first_month=4, first_day=1, last_month=4, last_day=30)
    odd = rule.model_copy(update={"spans": {"easter": easter}})
    with pytest.raises(RuleDataError, match=r"spans.easter"):
        _appeal_arithmetic(date(2026, 2, 20), None, holidays=None, rule=odd)  # ends 20 Apr


def test_every_evaluator_says_what_it_reads() -> None:
    """The registry holds each version to its evaluator's READS when it loads (see
    tests/data/invalid/missing_named_period.toml and unread_named_period.toml)."""
    from sendflow.compliance.evaluators import (
        EVALUATORS,
        READS,
        ceasing,
        disagreement,
        la_transfer,
        review,
        transfer,
    )

    for module in (review, transfer, la_transfer, ceasing, disagreement):
        assert set(module.READS) == set(module.EVALUATORS), module.__name__
    assert set(READS) == set(EVALUATORS)
    assert READS["phase_transfer"] >= {"periods.secondary_to_post16", "periods.window_opens"}
