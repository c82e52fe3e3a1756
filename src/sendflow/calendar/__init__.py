"""The statutory calendar: turning the law's time limits into dates.

``within 20 weeks of`` → :func:`add_weeks`; ``15 days beginning with`` →
:func:`period_beginning_with`; ``within 12 months`` → :func:`add_months`; ``a period of 12 months
beginning with`` → :func:`months_beginning_with`; ``within 3 working days`` →
:func:`add_working_days`; ``within 15 working days beginning with`` →
:func:`working_days_beginning_with`; ``before 15 February`` → :func:`before_in_year`.

Working days use a replaceable table of holidays (:class:`BankHolidayCalendar`); the default,
:data:`ENGLAND_AND_WALES`, is gov.uk's announced list from 2014 plus a flagged projection to 2100.
A date the table cannot answer for raises :class:`~sendflow.errors.CalendarError` — never a
guess. Nothing here reads the clock.

Examples:
    ```python
    >>> from datetime import date
    >>> from sendflow import calendar
    >>> calendar.add_weeks(date(2026, 1, 5), 20)
    datetime.date(2026, 5, 25)

    ```
"""

from __future__ import annotations

from sendflow.calendar._arithmetic import (
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
    weeks_beginning_with,
    working_days_beginning_with,
    working_days_between,
)
from sendflow.calendar._bank_holidays import (
    ENGLAND_AND_WALES,
    SUPPORTED_FIRST_DAY,
    SUPPORTED_LAST_DAY,
    BankHoliday,
    BankHolidayCalendar,
    EnglandAndWalesBankHolidays,
    HolidayTable,
    bank_holidays,
    is_bank_holiday,
    is_projected,
)
from sendflow.calendar._holidays_adapter import HolidaysPackageCalendar
from sendflow.calendar._school import (
    KeyStage,
    Phase,
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

__all__ = [
    "ENGLAND_AND_WALES",
    "SUPPORTED_FIRST_DAY",
    "SUPPORTED_LAST_DAY",
    "BankHoliday",
    "BankHolidayCalendar",
    "EnglandAndWalesBankHolidays",
    "HolidayTable",
    "HolidaysPackageCalendar",
    "KeyStage",
    "Phase",
    "academic_year",
    "academic_year_end",
    "academic_year_start",
    "add_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "age_on",
    "bank_holidays",
    "before_in_year",
    "birthday_in_year",
    "compulsory_school_age_end",
    "is_bank_holiday",
    "is_projected",
    "is_working_day",
    "key_stage",
    "last_friday_in_june",
    "months_beginning_with",
    "national_curriculum_year",
    "nc_year_label",
    "next_working_day",
    "period_beginning_with",
    "phase_of_education",
    "previous_working_day",
    "weeks_beginning_with",
    "working_days_beginning_with",
    "working_days_between",
]
