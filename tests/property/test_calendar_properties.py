"""Properties of sendflow.calendar that must hold for every date in the supported range."""

from __future__ import annotations

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from hypothesis import given
from hypothesis import strategies as st

from sendflow.calendar import (
    add_months,
    add_weeks,
    add_working_days,
    age_on,
    bank_holidays,
    compulsory_school_age_end,
    is_bank_holiday,
    is_working_day,
    months_beginning_with,
    national_curriculum_year,
    next_working_day,
    period_beginning_with,
    previous_working_day,
    working_days_beginning_with,
    working_days_between,
)

# Keep a margin from the table's ends so a count of up to 60 working days stays covered.
dates = st.dates(min_value=date(2014, 4, 1), max_value=date(2100, 9, 30))
any_dates = st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31))
counts = st.integers(min_value=-60, max_value=60)
births = st.dates(min_value=date(1982, 9, 1), max_value=date(2080, 12, 31))


@given(dates, counts)
def test_add_working_days_lands_on_a_working_day(d: date, n: int) -> None:
    result = add_working_days(d, n)
    if n == 0:
        assert result == d
    else:
        assert is_working_day(result)
        assert (result > d) == (n > 0)


@given(dates, counts)
def test_working_days_between_inverts_add_working_days(d: date, n: int) -> None:
    assert working_days_between(d, add_working_days(d, n)) == n


@given(dates, st.integers(min_value=1, max_value=60))
def test_working_days_are_skipped_only_for_weekends_and_holidays(d: date, n: int) -> None:
    end = add_working_days(d, n)
    skipped = [
        d + timedelta(days=i)
        for i in range(1, (end - d).days)
        if not is_working_day(d + timedelta(days=i))
    ]
    assert all(s.weekday() >= 5 or is_bank_holiday(s) for s in skipped)
    assert (end - d).days == n + len(skipped)


@given(dates)
def test_next_and_previous_working_day_are_neighbours(d: date) -> None:
    nxt = next_working_day(d)
    assert previous_working_day(nxt) <= d < nxt
    assert all(not is_working_day(d + timedelta(days=i)) for i in range(1, (nxt - d).days))


@given(dates, st.integers(min_value=1, max_value=60))
def test_working_days_beginning_with_counts_the_day_itself(d: date, n: int) -> None:
    result = working_days_beginning_with(d, n)
    if is_working_day(d):
        assert result == add_working_days(d, n - 1)
    else:
        assert result == add_working_days(d, n)


@given(any_dates, st.integers(min_value=-1200, max_value=1200))
def test_add_months_changes_the_day_only_by_clamping(d: date, n: int) -> None:
    result = add_months(d, n)
    months_apart = (result.year - d.year) * 12 + result.month - d.month
    assert months_apart == n
    if result.day != d.day:
        assert result.day < d.day
        assert (result + timedelta(days=1)).day == 1  # clamped to the month's last day


@given(any_dates, st.integers(min_value=1, max_value=1200))
def test_months_beginning_with_is_the_day_before_the_corresponding_date(d: date, n: int) -> None:
    corresponding = add_months(d, n)
    end = months_beginning_with(d, n)
    if corresponding.day == d.day:  # no clamping
        assert end == corresponding - timedelta(days=1)
    else:
        assert end == corresponding
    assert end >= d
    assert end == d + relativedelta(months=n) - timedelta(days=int(corresponding.day == d.day))


@given(any_dates, st.integers(min_value=1, max_value=1000))
def test_periods_in_days_and_weeks(d: date, n: int) -> None:
    assert period_beginning_with(d, n) == d + timedelta(days=n - 1)
    assert add_weeks(d, n) == d + timedelta(days=7 * n)
    assert (period_beginning_with(d, 7 * n) - d).days + 1 == (add_weeks(d, n) - d).days


@given(st.integers(min_value=2014, max_value=2100))
def test_every_year_has_its_fixed_points(year: int) -> None:
    days = bank_holidays(year)
    assert [h.date for h in days] == sorted({h.date for h in days})
    assert all(h.date.year == year and h.date.weekday() < 5 for h in days)
    names = {h.name.removesuffix(" (substitute day)") for h in days}
    assert {"New Year's Day", "Good Friday", "Easter Monday", "Christmas Day", "Boxing Day"} <= (
        names
    )
    assert len(days) >= 8


@given(births, st.dates(min_value=date(1982, 9, 1), max_value=date(2110, 12, 31)))
def test_age_increases_by_one_on_each_birthday(born: date, on: date) -> None:
    if on < born:
        return
    age = age_on(born, on)
    assert age >= 0
    assert age_on(born, on + timedelta(days=1)) - age in (0, 1)


@given(births)
def test_compulsory_school_age_ends_on_a_june_friday_near_the_16th_birthday(born: date) -> None:
    end = compulsory_school_age_end(born)
    assert end.month == 6
    assert end.weekday() == 4
    assert end.day >= 24  # the last Friday in June
    assert age_on(born, end) in (15, 16)
    assert national_curriculum_year(born, end.year - 1) == 11  # June of the Year 11 school year


@given(
    d=st.dates(min_value=date(1900, 1, 1), max_value=date(2200, 12, 31)),
    n=st.integers(min_value=-240, max_value=240),
)
def test_add_months_agrees_with_dateutil(d: date, n: int) -> None:
    """sendflow's hand-written month arithmetic is dateutil's corresponding-date rule."""
    from dateutil.relativedelta import relativedelta

    from sendflow.calendar import add_months

    assert add_months(d, n) == d + relativedelta(months=n)


# --- Period: the engine's fixed offsets against the plain calendar path ----------------
_FIXED_UNITS = st.sampled_from(["days", "weeks"])
_FIXED_COUNTINGS = st.sampled_from(["within", "beginning_with", "at_least_before"])


@given(dates, st.integers(min_value=1, max_value=60), _FIXED_UNITS, _FIXED_COUNTINGS)
def test_a_periods_fixed_offset_is_its_calendar_due_date(
    d: date, n: int, unit: str, counting: str
) -> None:
    """The compliance engine precomputes ``start + Period._offset()`` for periods in
    days or weeks (its fast path); it must equal ``Period.due``, the calendar's answer."""
    from sendflow.rules import Period

    period = Period(amount=n, unit=unit, counting=counting)
    offset = period._offset()
    assert offset is not None
    assert d + offset == period.due(d)
    weeks = n * 7 if unit == "weeks" else n
    expected = {"within": weeks, "beginning_with": weeks - 1, "at_least_before": -weeks}
    assert period.due(d) == d + timedelta(days=expected[counting])


@given(st.integers(min_value=1, max_value=24),
       st.sampled_from(["months", "working_days"]), _FIXED_COUNTINGS)
def test_a_period_that_depends_on_its_start_has_no_fixed_offset(
    n: int, unit: str, counting: str
) -> None:
    from sendflow.rules import Period

    assert Period(amount=n, unit=unit, counting=counting)._offset() is None
