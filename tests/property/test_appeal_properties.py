"""Properties of the appeal deadline (HESC Rules r. 20(1)(c) and r. 12)."""

from __future__ import annotations

from datetime import date

from hypothesis import assume, given
from hypothesis import strategies as st

from sendflow.appeals import (
    DeadlineAdjustment,
    appeal_deadline,
    explain_appeal_deadline,
    in_rule_12_closed_period,
)
from sendflow.calendar import add_months, is_working_day, next_working_day

decisions = st.dates(min_value=date(2015, 1, 1), max_value=date(2060, 12, 31))
gaps = st.integers(min_value=0, max_value=120)


@given(decisions, st.none() | gaps)
def test_never_before_either_period(sent: date, gap: int | None) -> None:
    certificate = None if gap is None else date.fromordinal(sent.toordinal() + gap)
    due = appeal_deadline(sent, certificate)
    assert due >= add_months(sent, 2)
    if certificate is not None:
        assert due >= add_months(certificate, 1)
    assert is_working_day(due)


@given(decisions, st.none() | gaps)
def test_never_in_august_or_christmas_week(sent: date, gap: int | None) -> None:
    """Never in August or 25 Dec-1 Jan, except sendflow's documented reading of an
    end on a non-working day just before those days (r. 12(2) only)."""
    certificate = None if gap is None else date.fromordinal(sent.toordinal() + gap)
    result = explain_appeal_deadline(sent, certificate)
    if in_rule_12_closed_period(result.deadline):
        assert result.adjustment is DeadlineAdjustment.NON_WORKING_DAY
        assert not in_rule_12_closed_period(result.period_end)
        assert result.deadline == next_working_day(result.period_end)


@given(decisions)
def test_working_day_end_outside_closed_periods_is_kept(sent: date) -> None:
    end = add_months(sent, 2)
    assume(is_working_day(end) and not in_rule_12_closed_period(end))
    assert appeal_deadline(sent) == end


years = st.integers(min_value=2015, max_value=2060)
#: Decisions whose 2 months end in August (sent in June) or on 25 Dec-1 Jan
#: (sent 25-31 October or 1 November).
closed_period_decisions = st.one_of(
    st.builds(date, years, st.just(6), st.integers(1, 30)),
    st.builds(date, years, st.just(10), st.integers(25, 31)),
    st.builds(date, years, st.just(11), st.just(1)),
)


@given(closed_period_decisions)
def test_closed_period_end_goes_to_first_working_day_after(sent: date) -> None:
    end = add_months(sent, 2)
    assert in_rule_12_closed_period(end)
    due = appeal_deadline(sent)
    assert not in_rule_12_closed_period(due)
    assert due.month in (1, 9)
    anchor = date(end.year, 8, 31) if end.month == 8 else date(
        end.year + (end.month == 12), 1, 1
    )
    assert due == next_working_day(anchor)


@given(decisions, gaps, gaps)
def test_monotone_in_the_certificate(sent: date, a: int, b: int) -> None:
    first, second = sorted((a, b))
    early = appeal_deadline(sent, date.fromordinal(sent.toordinal() + first))
    late = appeal_deadline(sent, date.fromordinal(sent.toordinal() + second))
    assert early <= late
