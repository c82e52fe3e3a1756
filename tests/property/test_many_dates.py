"""Many dates in one pass equal one date at a time, for every date (issue 19 point 2).

``evaluate_many(cases, as_of=[d1, d2, ...])`` reads each case once and evaluates it on
each date; every report must be exactly ``evaluate(case, as_of=d)``, and the tallies
(``sendflow.distributed.tally_cases``) the sum of one-date tallies.
"""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from sendflow import Case, InvalidArgument, evaluate, evaluate_many
from sendflow.distributed import tally_cases
from sendflow.testing import strategies as s
from sendflow.workflows import TABLES

cases = st.sampled_from(sorted(TABLES)).flatmap(lambda w: s.case_histories(w))
offsets = st.lists(st.integers(-500, 900), min_size=1, max_size=5)


@given(st.lists(cases, min_size=1, max_size=3), offsets)
def test_many_dates_equal_one_date_at_a_time(batch: list[Case], days: list[int]) -> None:
    start = min(c.events[0].on for c in batch)
    dates = [start + timedelta(days=n) for n in days]  # any order, repeats allowed
    many = list(evaluate_many(batch, as_of=dates))
    one = [evaluate(c, as_of=d) for c in batch for d in dates]
    assert [r.as_of for r in many] == [d for _ in batch for d in dates]
    assert [r.model_dump() for r in many] == [r.model_dump() for r in one]

    tally = tally_cases(batch, as_of=dates)
    expected: Counter[tuple[date, str, str]] = Counter()
    for report in one:
        for d in report.deadlines:
            expected[(report.as_of, d.rule_id, d.status.value)] += 1
    assert tally.by("as_of", "rule_id", "status") == expected
    assert tally.cases == len(batch)


@given(cases, st.integers(-100, 400))
def test_a_one_item_list_is_the_single_date(case: Case, shift: int) -> None:
    on = case.events[-1].on + timedelta(days=shift)
    assert list(evaluate_many([case], as_of=[on])) == list(evaluate_many([case], as_of=on))


@pytest.mark.parametrize("bad", [[], "2026-01-01", [date(2026, 1, 1), "2026-02-01"], 20260101])
def test_as_of_must_be_dates(bad: object) -> None:
    with pytest.raises(InvalidArgument, match="as_of"):
        next(evaluate_many([Case()], as_of=bad))  # type: ignore[arg-type]
