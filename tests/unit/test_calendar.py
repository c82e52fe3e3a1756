"""Worked examples for sendflow.calendar's arithmetic, computed by hand from the law.

Examples come from /shared/reference/timescales.md section 4; each test names the provision
whose wording it models. Weekdays were checked by hand and in Python.
"""

from __future__ import annotations

from datetime import date

import pytest

from sendflow.calendar import (
    add_days,
    add_months,
    add_weeks,
    add_working_days,
    before_in_year,
    is_working_day,
    months_beginning_with,
    next_working_day,
    period_beginning_with,
    previous_working_day,
    working_days_beginning_with,
    working_days_between,
)
from sendflow.errors import CalendarError

# --- weeks, days, months (SEND Regs 2014; CFA 2014 s.44) --------------------------------


@pytest.mark.parametrize(
    ("start", "weeks", "due"),
    [
        # Example 1: request received Mon 5 Jan 2026; regs 5(1), 10(1), 13(2).
        (date(2026, 1, 5), 6, date(2026, 2, 16)),
        (date(2026, 1, 5), 16, date(2026, 4, 27)),
        (date(2026, 1, 5), 20, date(2026, 5, 25)),  # Spring bank holiday: not moved
        (date(2026, 1, 19), 6, date(2026, 3, 2)),  # reg 8(1): advice within 6 weeks
        # Example 10: Tribunal order Wed 15 Jul 2026, reg 44 (August counts).
        (date(2026, 7, 15), 2, date(2026, 7, 29)),
        (date(2026, 7, 15), 5, date(2026, 8, 19)),
        (date(2026, 7, 15), 14, date(2026, 10, 21)),
        (date(2026, 9, 7), 14, date(2026, 12, 14)),  # reg 45
        # Example 3: annual review meeting Thu 15 Oct 2026 (regs 20, 22).
        (date(2026, 10, 15), -2, date(2026, 10, 1)),
        (date(2026, 10, 15), 4, date(2026, 11, 12)),
        (date(2026, 11, 12), 8, date(2027, 1, 7)),
    ],
)
def test_add_weeks_worked_examples(start: date, weeks: int, due: date) -> None:
    assert add_weeks(start, weeks) == due


def test_add_weeks_does_not_move_a_deadline_off_a_bank_holiday() -> None:
    # Example 1: reg 13(2) sets no roll-forward; 25 May 2026 is the Spring bank holiday.
    due = add_weeks(date(2026, 1, 5), 20)
    assert not is_working_day(due)
    assert due == date(2026, 5, 25)
    assert previous_working_day(due) == date(2026, 5, 22)  # the advisory latest working day


def test_add_days_reassessment_decision() -> None:
    # Example 7: reg 25(1), "within 15 days of" receiving the request.
    assert add_days(date(2026, 6, 8), 15) == date(2026, 6, 23)
    assert add_days(date(2026, 6, 23), 98) == date(2026, 9, 29)
    assert add_days(date(2026, 11, 30), 30) == date(2026, 12, 30)  # reg 39(2): 30 days


def test_period_beginning_with_draft_window() -> None:
    # Example 2: reg 13(1)(a), "at least 15 days beginning with the day" the draft is served.
    assert period_beginning_with(date(2026, 3, 10), 15) == date(2026, 3, 24)
    assert period_beginning_with(date(2026, 3, 10), 1) == date(2026, 3, 10)


def test_period_beginning_with_rejects_an_empty_period() -> None:
    with pytest.raises(CalendarError, match="at least 1"):
        period_beginning_with(date(2026, 3, 10), 0)


@pytest.mark.parametrize(
    ("start", "months", "due"),
    [
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped to the month end
        (date(2028, 1, 31), 1, date(2028, 2, 29)),  # leap year
        (date(2025, 3, 20), 12, date(2026, 3, 20)),  # reg 27(4)(a) "within 12 months of"
        (date(2026, 11, 20), 2, date(2027, 1, 20)),  # Example 8: reg 33, two months
        (date(2027, 12, 31), 2, date(2028, 2, 29)),  # Example 9(d): HESC rule 20
        (date(2026, 3, 13), 2, date(2026, 5, 13)),  # Example 9(e)
        (date(2027, 1, 4), -5, date(2026, 8, 4)),  # Example 6: reg 18(2), 5 months before
        (date(2026, 3, 31), -1, date(2026, 2, 28)),  # negative, clamped
        (date(2026, 8, 31), 0, date(2026, 8, 31)),
    ],
)
def test_add_months_corresponding_date(start: date, months: int, due: date) -> None:
    assert add_months(start, months) == due


def test_add_months_must_not_be_chained() -> None:
    # dateutil clamps each step, so chaining drifts; counting from the anchor does not.
    assert add_months(add_months(date(2026, 8, 31), 6), 6) == date(2027, 8, 28)
    assert add_months(date(2026, 8, 31), 12) == date(2027, 8, 31)


@pytest.mark.parametrize(
    ("start", "months", "end"),
    [
        # Example 4: CFA 2014 s.44(1), review within a period of 12 months starting with the day.
        (date(2025, 3, 20), 12, date(2026, 3, 19)),
        (date(2024, 2, 29), 12, date(2025, 2, 28)),  # no 29 Feb 2025: last day of February
        (date(2025, 1, 31), 12, date(2026, 1, 30)),
        # Example 5: reg 15(5), the later of 12 months and 3 months.
        (date(2025, 6, 10), 12, date(2026, 6, 9)),
        (date(2026, 4, 1), 3, date(2026, 6, 30)),
        (date(2026, 1, 31), 1, date(2026, 2, 28)),  # clamped: no 31 Feb, so 28 Feb itself
        (date(2024, 1, 30), 1, date(2024, 2, 29)),  # 30 Feb missing: last day of February
        (date(2024, 1, 29), 1, date(2024, 2, 28)),  # 29 Feb exists: the day before
    ],
)
def test_months_beginning_with(start: date, months: int, end: date) -> None:
    assert months_beginning_with(start, months) == end


def test_months_beginning_with_rejects_zero_months() -> None:
    with pytest.raises(CalendarError, match="at least 1"):
        months_beginning_with(date(2026, 1, 1), 0)


def test_before_in_year_phase_transfer() -> None:
    # Example 6: reg 18(1), "before 15 February" / "before 31 March" in the year of transfer.
    assert before_in_year(date(2026, 9, 1), 2, 15) == date(2026, 2, 14)
    assert before_in_year(date(2027, 9, 1), 3, 31) == date(2027, 3, 30)
    assert before_in_year(date(2028, 9, 1), 3, 1) == date(2028, 2, 29)


def test_before_in_year_rejects_an_impossible_day() -> None:
    with pytest.raises(CalendarError, match="not a date"):
        before_in_year(date(2026, 9, 1), 2, 29)


# --- working days ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("d", "working"),
    [
        (date(2026, 12, 24), True),  # Christmas Eve is a working day (sendflow convention)
        (date(2026, 12, 25), False),  # Christmas Day
        (date(2026, 12, 28), False),  # Boxing Day substitute (26 Dec is a Saturday)
        (date(2026, 12, 29), True),
        (date(2026, 4, 3), False),  # Good Friday
        (date(2026, 4, 6), False),  # Easter Monday
        (date(2026, 5, 4), False),  # Early May
        (date(2026, 5, 25), False),  # Spring
        (date(2026, 8, 31), False),  # Summer
        (date(2026, 1, 3), False),  # Saturday
        (date(2026, 1, 4), False),  # Sunday
        (date(2026, 1, 5), True),
        (date(2027, 12, 27), False),  # Christmas substitute (25 Dec 2027 is a Saturday)
        (date(2027, 12, 28), False),  # Boxing Day substitute
        (date(2020, 5, 8), False),  # VE Day: early May moved
        (date(2020, 5, 4), True),  # the Monday it moved from
        (date(2022, 6, 2), False),  # Spring moved
        (date(2022, 6, 3), False),  # Platinum Jubilee
        (date(2022, 5, 30), True),  # the Monday it moved from
        (date(2022, 9, 19), False),  # State Funeral
        (date(2023, 5, 8), False),  # Coronation
    ],
)
def test_is_working_day(d: date, working: bool) -> None:
    assert is_working_day(d) is working


def test_add_working_days_mediation_certificate() -> None:
    # Example 8: reg 34(1), certificate within 3 working days of the parent declining.
    assert add_working_days(date(2026, 11, 27), 3) == date(2026, 12, 2)
    # reg 35(2): health bodies told within 3 working days of the request (Mon 30 Nov).
    assert add_working_days(date(2026, 11, 30), 3) == date(2026, 12, 3)
    # reg 39(3): certificate within 3 working days of mediation ending (Wed 23 Dec).
    assert add_working_days(date(2026, 12, 23), 3) == date(2026, 12, 30)


def test_add_working_days_backwards_over_christmas() -> None:
    # Example 8: reg 37(2), at least 5 working days prior to mediation on Tue 29 Dec 2026:
    # 24, 23, 22, 21, 18 Dec (25 and 28 Dec are holidays).
    assert add_working_days(date(2026, 12, 29), -5) == date(2026, 12, 18)


def test_add_working_days_zero_returns_the_day_itself() -> None:
    assert add_working_days(date(2026, 12, 25), 0) == date(2026, 12, 25)


def test_working_days_beginning_with_counts_the_first_day() -> None:
    # Example 5: reg 15(2), 15 working days beginning with Wed 17 Dec 2025, skipping
    # 25-26 Dec and 1 Jan, end Fri 9 Jan 2026.
    assert working_days_beginning_with(date(2025, 12, 17), 15) == date(2026, 1, 9)
    assert working_days_beginning_with(date(2026, 1, 5), 1) == date(2026, 1, 5)
    # A first day that is not a working day does not count.
    assert working_days_beginning_with(date(2026, 12, 25), 1) == date(2026, 12, 29)


def test_working_days_beginning_with_rejects_zero() -> None:
    with pytest.raises(CalendarError, match="at least 1"):
        working_days_beginning_with(date(2026, 1, 5), 0)


def test_next_and_previous_working_day() -> None:
    # Example 9(a): the first working day after 1 Jan 2027 (a Friday bank holiday).
    assert next_working_day(date(2027, 1, 1)) == date(2027, 1, 4)
    # Example 9(c): the first working day after 31 Aug 2026 (itself a bank holiday).
    assert next_working_day(date(2026, 8, 31)) == date(2026, 9, 1)
    assert previous_working_day(date(2026, 12, 29)) == date(2026, 12, 24)
    assert previous_working_day(date(2026, 4, 7)) == date(2026, 4, 2)  # over Easter


def test_working_days_between() -> None:
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 2)) == 3
    assert working_days_between(date(2026, 12, 2), date(2026, 12, 2)) == 0
    assert working_days_between(date(2026, 12, 29), date(2026, 12, 18)) == -5
    # 2026 has 261 weekdays and 8 weekday holidays (26 Dec is a Saturday).
    assert working_days_between(date(2025, 12, 31), date(2026, 12, 31)) == 253


def test_working_days_per_year_counted_by_hand() -> None:
    # Weekdays in the year minus holidays falling on weekdays, counted by hand: 2020 262-8,
    # 2021 261-8, 2022 260-10 (Jubilee, State Funeral), 2023 260-9 (Coronation), 2024 262-8,
    # 2027 261-8.
    expected = {2020: 254, 2021: 253, 2022: 250, 2023: 251, 2024: 254, 2027: 253}
    for year, n in expected.items():
        assert working_days_between(date(year - 1, 12, 31), date(year, 12, 31)) == n


def test_working_days_outside_the_table_raise() -> None:
    with pytest.raises(CalendarError, match="outside"):
        is_working_day(date(2013, 12, 31))
    with pytest.raises(CalendarError, match="outside"):
        add_working_days(date(2014, 1, 3), -5)
    with pytest.raises(CalendarError, match="outside"):
        add_working_days(date(2100, 12, 29), 5)
    with pytest.raises(CalendarError, match="outside"):
        working_days_between(date(2013, 12, 1), date(2014, 1, 10))


def test_calendar_error_message_is_generic() -> None:
    with pytest.raises(CalendarError) as info:
        is_working_day(date(2101, 3, 4))
    assert "2101" not in str(info.value)
