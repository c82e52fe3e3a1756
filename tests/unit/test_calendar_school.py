"""Academic years, ages, year groups and the end of compulsory school age.

Compulsory school age: Education Act 1996 s.8(3) and the Education (School Leaving Date) Order
1997 (SI 1997/1970) art. 2 — the school leaving date is the last Friday in June
(timescales.md 2.7 and worked example 11). Age: Family Law Reform Act 1969 s.9.
"""

from __future__ import annotations

from datetime import date

import pytest

from sendflow.calendar import (
    academic_year,
    academic_year_end,
    academic_year_start,
    age_on,
    birthday_in_year,
    compulsory_school_age_end,
    key_stage,
    last_friday_in_june,
    national_curriculum_year,
    nc_year_label,
    phase_of_education,
)
from sendflow.errors import CalendarError


def test_academic_year_boundaries() -> None:
    assert academic_year(date(2026, 8, 31)) == 2025
    assert academic_year(date(2026, 9, 1)) == 2026
    assert academic_year(date(2027, 1, 1)) == 2026
    assert academic_year_start(2026) == date(2026, 9, 1)
    assert academic_year_end(2026) == date(2027, 8, 31)


@pytest.mark.parametrize(
    ("year", "friday"),
    [(2026, date(2026, 6, 26)), (2027, date(2027, 6, 25)), (2029, date(2029, 6, 29))],
)
def test_last_friday_in_june(year: int, friday: date) -> None:
    assert last_friday_in_june(year) == friday
    assert friday.weekday() == 4


@pytest.mark.parametrize(
    ("born", "end"),
    [
        # Worked example 11 (school year taken to start on 1 September).
        (date(2010, 3, 14), date(2026, 6, 26)),  # 16 before the leaving date
        (date(2010, 6, 26), date(2026, 6, 26)),  # 16 on the leaving date: s.8(3)(b)
        (date(2010, 7, 15), date(2026, 6, 26)),  # 16 after it, before the school year: (a)
        (date(2010, 8, 31), date(2026, 6, 26)),
        (date(2010, 9, 1), date(2027, 6, 25)),  # 16 in the new school year: (c)
        (date(2010, 12, 31), date(2027, 6, 25)),
        (date(2011, 1, 1), date(2027, 6, 25)),
        (date(2008, 2, 29), date(2024, 6, 28)),  # leap-day birthday, 16 in a leap year
        (date(2012, 2, 29), date(2028, 6, 30)),
    ],
)
def test_compulsory_school_age_end(born: date, end: date) -> None:
    assert compulsory_school_age_end(born) == end
    assert end.weekday() == 4
    assert end.month == 6


def test_compulsory_school_age_end_with_a_later_school_year_start() -> None:
    # Open question 12: if the school year starts on the first day of the autumn term
    # (say 3 September 2026), a 16th birthday on 2 September 2026 ends compulsory school
    # age in June 2026, before the birthday.
    born = date(2010, 9, 2)
    assert compulsory_school_age_end(born) == date(2027, 6, 25)
    assert compulsory_school_age_end(born, school_year_starts=(9, 3)) == date(2026, 6, 26)


@pytest.mark.parametrize("start", [(6, 1), (2, 30), (13, 1)])
def test_compulsory_school_age_end_rejects_a_bad_school_year_start(start: tuple[int, int]) -> None:
    with pytest.raises(CalendarError, match="school_year_starts"):
        compulsory_school_age_end(date(2010, 1, 1), school_year_starts=start)


def test_compulsory_school_age_end_before_the_1997_order() -> None:
    with pytest.raises(CalendarError, match="1998"):
        compulsory_school_age_end(date(1980, 1, 1))


def test_birthday_in_year_for_29_february() -> None:
    born = date(2012, 2, 29)
    assert birthday_in_year(born, 2016) == date(2016, 2, 29)
    assert birthday_in_year(born, 2026) == date(2026, 3, 1)
    assert birthday_in_year(born, 2026, leap_day="28 February") == date(2026, 2, 28)
    assert birthday_in_year(date(2012, 7, 4), 2026) == date(2026, 7, 4)


def test_age_on() -> None:
    born = date(2010, 3, 14)
    assert age_on(born, born) == 0
    assert age_on(born, date(2026, 3, 13)) == 15
    assert age_on(born, date(2026, 3, 14)) == 16  # from the start of the birthday (s.9)
    leap = date(2008, 2, 29)
    assert age_on(leap, date(2026, 2, 28)) == 17
    assert age_on(leap, date(2026, 3, 1)) == 18
    assert age_on(leap, date(2026, 2, 28), leap_day="28 February") == 18
    assert age_on(leap, date(2028, 2, 28)) == 19
    assert age_on(leap, date(2028, 2, 29)) == 20


def test_age_on_before_birth_raises_without_the_date() -> None:
    with pytest.raises(CalendarError) as info:
        age_on(date(2010, 3, 14), date(2010, 3, 13))
    assert "2010" not in str(info.value)


@pytest.mark.parametrize(
    ("born", "year", "nc"),
    [
        (date(2019, 9, 1), 2024, 0),  # oldest in the Reception cohort of 2024/25
        (date(2020, 8, 31), 2024, 0),  # youngest in it
        (date(2020, 9, 1), 2024, -1),  # nursery
        (date(2020, 8, 31), 2025, 1),
        (date(2014, 7, 1), 2025, 7),  # 11 before September 2025: starts secondary
        (date(2010, 8, 31), 2025, 11),  # Year 11 in the year they turn 16
        (date(2010, 9, 1), 2025, 10),
        (date(2008, 1, 1), 2026, 14),  # post-19: counting continues
    ],
)
def test_national_curriculum_year(born: date, year: int, nc: int) -> None:
    assert national_curriculum_year(born, year) == nc


def test_year_11_matches_the_end_of_compulsory_school_age() -> None:
    # The school leaving date falls in the academic year in which the child is in Year 11.
    for born in (date(2010, 9, 1), date(2011, 3, 1), date(2011, 8, 31)):
        end = compulsory_school_age_end(born)
        assert national_curriculum_year(born, academic_year(end)) == 11


@pytest.mark.parametrize(
    ("nc", "label", "phase", "stage"),
    [
        (-2, "Early years", "early_years", "EYFS"),
        (-1, "Nursery", "early_years", "EYFS"),
        (0, "Reception", "early_years", "EYFS"),
        (1, "Year 1", "primary", "KS1"),
        (2, "Year 2", "primary", "KS1"),
        (3, "Year 3", "primary", "KS2"),
        (6, "Year 6", "primary", "KS2"),
        (7, "Year 7", "secondary", "KS3"),
        (9, "Year 9", "secondary", "KS3"),
        (10, "Year 10", "secondary", "KS4"),
        (11, "Year 11", "secondary", "KS4"),
        (12, "Year 12", "post16", "post16"),
        (13, "Year 13", "post16", "post16"),
        (16, "Year 16", "post16", "post16"),
    ],
)
def test_labels_phases_and_key_stages(nc: int, label: str, phase: str, stage: str) -> None:
    assert nc_year_label(nc) == label
    assert phase_of_education(nc) == phase
    assert key_stage(nc) == stage
