"""Due-date arithmetic: how the law's wording about periods becomes a date.

The conventions follow the general law on computing time (the day of the triggering event is
left out; a period of months ends on the corresponding date, or the last day of a shorter
month) and, where a period "begins with" a day, count that day as day 1. See
``docs/reference/calendar.md`` for the table of wordings and the helper each one maps to.

"Working day" is not defined in the SEND Regulations 2014 or Part 3 of the Children and
Families Act 2014. sendflow's default (a documented convention, not the law): Monday to Friday,
except Christmas Day, Good Friday and England and Wales bank holidays, including substitute
and one-off proclaimed days. Christmas Eve is a working day. Pass ``holidays=`` to use
another table.
"""

from __future__ import annotations

import functools
import operator
from calendar import monthrange
from collections.abc import Callable
from datetime import date, timedelta
from typing import Final, ParamSpec, TypeVar

from sendflow.calendar._bank_holidays import ENGLAND_AND_WALES, BankHolidayCalendar
from sendflow.errors import CalendarError, InvalidArgument

_P = ParamSpec("_P")
_R = TypeVar("_R")


def _guarded(fn: Callable[_P, _R]) -> Callable[_P, _R]:
    """Turn date overflow into :class:`CalendarError` and a wrong-typed argument
    into :class:`InvalidArgument`.

    Counts are checked with ``operator.index`` inside each function (a float
    count would silently give a wrong day) and a boolean is never a count;
    arithmetic that runs past the dates Python can hold raises
    ``CalendarError`` rather than ``OverflowError``.
    """

    @functools.wraps(fn)
    def wrapper(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        # ``type(a) is bool`` is isinstance (bool has no subclasses), without a generator:
        # this runs for every due date the engine cannot precompute.
        if bool in map(type, args) or (kwargs and bool in map(type, kwargs.values())):
            raise InvalidArgument(f"{fn.__name__}: a boolean is not a date or a count")
        try:
            return fn(*args, **kwargs)
        except OverflowError:
            raise CalendarError(
                f"{fn.__name__}: the result is outside the dates the calendar supports"
            ) from None
        except (AttributeError, TypeError):
            raise InvalidArgument(
                f"{fn.__name__}: expected a date and whole-number counts"
            ) from None

    return wrapper

__all__ = [
    "add_days",
    "add_months",
    "add_weeks",
    "add_working_days",
    "before_in_year",
    "is_working_day",
    "months_beginning_with",
    "next_working_day",
    "period_beginning_with",
    "previous_working_day",
    "weeks_beginning_with",
    "working_days_beginning_with",
    "working_days_between",
]

_ONE_DAY: Final = timedelta(days=1)


@_guarded
def add_days(d: date, n: int) -> date:
    """The day ``n`` days after ``d`` ("within N days of X": X is not counted).

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import add_days
        >>> add_days(date(2026, 6, 8), 15)   # SEND Regs 2014 reg 25(1)
        datetime.date(2026, 6, 23)

        ```
    """
    n = operator.index(n)
    return d + timedelta(days=n)


@_guarded
def add_weeks(d: date, n: int) -> date:
    """The last day of "within ``n`` weeks of ``d``": ``d`` plus ``7 * n`` days.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import add_weeks
        >>> add_weeks(date(2026, 1, 5), 20)   # SEND Regs 2014 reg 13(2): final plan
        datetime.date(2026, 5, 25)

        ```
    """
    n = operator.index(n)
    return d + timedelta(weeks=n)


def _month_length(year: int, month: int) -> int:
    return monthrange(year, month)[1]


@_guarded
def add_months(d: date, n: int) -> date:
    """The corresponding date ``n`` months after ``d`` (before, if ``n`` is negative).

    Where the later month has no such day, the last day of that month (31 Jan + 1 month =
    28 or 29 Feb). This is "within N months of X" and "N months before X". Always count from
    the original date: chaining calls drifts (31 Aug + 6 months + 6 months = 28 Aug).

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import add_months
        >>> add_months(date(2026, 1, 31), 1)
        datetime.date(2026, 2, 28)
        >>> add_months(date(2027, 1, 4), -5)   # SEND Regs 2014 reg 18(2)
        datetime.date(2026, 8, 4)

        ```
    """
    n = operator.index(n)
    # The same clamping as ``d + dateutil.relativedelta(months=n)`` (a property
    # test checks they agree), written out because relativedelta is slow to
    # build and this sits on the hot path of bulk evaluation.
    years, month0 = divmod(d.month - 1 + n, 12)
    year, month = d.year + years, month0 + 1
    if not 1 <= year <= 9999:
        raise CalendarError("add_months: the result is outside the dates the calendar supports")
    return date(year, month, min(d.day, _month_length(year, month)))


@_guarded
def months_beginning_with(d: date, n: int) -> date:
    """The last day of a period of ``n`` months beginning with ``d`` (``d`` is day 1).

    The day before the corresponding date ``n`` months later; where that month has no
    corresponding date, its last day (12 months beginning with 29 Feb 2024 end on 28 Feb 2025).
    Used for Children and Families Act 2014 s.44(1) and SEND Regs 2014 regs 15(5), 27(4)(b).

    Raises:
        CalendarError: ``n`` is less than 1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import months_beginning_with
        >>> months_beginning_with(date(2025, 3, 20), 12)
        datetime.date(2026, 3, 19)
        >>> months_beginning_with(date(2024, 2, 29), 12)
        datetime.date(2025, 2, 28)

        ```
    """
    n = operator.index(n)
    if n < 1:
        raise CalendarError("months_beginning_with: the number of months must be at least 1")
    t = add_months(d, n)
    return t - _ONE_DAY if t.day == d.day else t


@_guarded
def period_beginning_with(d: date, days: int) -> date:
    """The last day of a period of ``days`` days beginning with ``d`` (``d`` is day 1).

    Raises:
        CalendarError: ``days`` is less than 1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import period_beginning_with
        >>> period_beginning_with(date(2026, 3, 10), 15)   # SEND Regs 2014 reg 13(1)(a)
        datetime.date(2026, 3, 24)

        ```
    """
    days = operator.index(days)
    if days < 1:
        raise CalendarError("period_beginning_with: the number of days must be at least 1")
    return d + timedelta(days=days - 1)


@_guarded
def weeks_beginning_with(d: date, n: int) -> date:
    """The last day of a period of ``n`` weeks beginning with ``d`` (``d`` is day 1).

    Raises:
        CalendarError: ``n`` is less than 1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import weeks_beginning_with
        >>> weeks_beginning_with(date(2026, 3, 10), 5)   # SEND Regs 2014 reg 45(5)(b)
        datetime.date(2026, 4, 13)

        ```
    """
    n = operator.index(n)
    if n < 1:
        raise CalendarError("weeks_beginning_with: the number of weeks must be at least 1")
    return d + timedelta(weeks=n) - _ONE_DAY


@_guarded
def before_in_year(d: date, month: int, day: int) -> date:
    """The last day that is "before <day> <month>" in the calendar year of ``d``.

    "Before 15 February" excludes 15 February itself, so the answer is 14 February.

    Raises:
        CalendarError: ``month`` and ``day`` are not a date in ``d``'s year.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import before_in_year
        >>> before_in_year(date(2026, 9, 1), 2, 15)   # SEND Regs 2014 reg 18(1)
        datetime.date(2026, 2, 14)

        ```
    """
    try:
        limit = date(d.year, month, day)
    except ValueError:
        raise CalendarError("before_in_year: month and day are not a date in that year") from None
    return limit - _ONE_DAY


# --- working days ------------------------------------------------------------------------


def _calendar(holidays: BankHolidayCalendar | None) -> BankHolidayCalendar:
    return ENGLAND_AND_WALES if holidays is None else holidays


def _working(d: date, cal: BankHolidayCalendar, where: str) -> bool:
    if not cal.covers(d):
        raise CalendarError(
            f"{where}: a date in the count is outside the holiday table's coverage "
            f"({cal.source}); cannot tell working days there"
        )
    return d.weekday() < 5 and not cal.is_holiday(d)


@_guarded
def is_working_day(d: date, *, holidays: BankHolidayCalendar | None = None) -> bool:
    """Whether ``d`` is a working day: Monday to Friday and not a holiday in the table.

    With the default table that excludes Christmas Day, Good Friday and England and Wales
    bank holidays (including substitute and one-off days). Christmas Eve is a working day.

    Raises:
        CalendarError: the holiday table does not cover ``d``.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import is_working_day
        >>> is_working_day(date(2026, 12, 24)), is_working_day(date(2026, 12, 28))
        (True, False)

        ```
    """
    return _working(d, _calendar(holidays), "is_working_day")


@_guarded
def add_working_days(d: date, n: int, *, holidays: BankHolidayCalendar | None = None) -> date:
    """The ``n``-th working day after ``d`` (``d`` itself is not counted).

    For negative ``n``, the ``|n|``-th working day before ``d`` ("at least N working days
    prior to" an event); ``n == 0`` returns ``d`` unchanged, working day or not.

    Raises:
        CalendarError: the count runs into days the holiday table does not cover.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import add_working_days
        >>> add_working_days(date(2026, 11, 27), 3)   # SEND Regs 2014 reg 34(1)
        datetime.date(2026, 12, 2)
        >>> add_working_days(date(2026, 12, 29), -5)   # reg 37(2)
        datetime.date(2026, 12, 18)

        ```
    """
    n = operator.index(n)
    cal = _calendar(holidays)
    step = _ONE_DAY if n > 0 else -_ONE_DAY
    remaining = abs(n)
    while remaining:
        d += step
        if _working(d, cal, "add_working_days"):
            remaining -= 1
    return d


@_guarded
def working_days_beginning_with(
    d: date, n: int, *, holidays: BankHolidayCalendar | None = None
) -> date:
    """The ``n``-th working day counting ``d`` itself as the first if it is a working day.

    "Within N working days beginning with the day X" (SEND Regs 2014 regs 15, 16).

    Raises:
        CalendarError: ``n`` is less than 1, or the count leaves the table's coverage.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import working_days_beginning_with
        >>> working_days_beginning_with(date(2025, 12, 17), 15)   # reg 15(2)
        datetime.date(2026, 1, 9)

        ```
    """
    n = operator.index(n)
    if n < 1:
        raise CalendarError(
            "working_days_beginning_with: the number of working days must be at least 1"
        )
    return add_working_days(d - _ONE_DAY, n, holidays=holidays)


@_guarded
def working_days_between(
    start: date, end: date, *, holidays: BankHolidayCalendar | None = None
) -> int:
    """The signed number of working-day steps from ``start`` to ``end``.

    If ``end >= start``: the number of working days after ``start`` up to and including
    ``end`` (0 when they are equal). If ``end < start``: minus the number of working days from
    ``end`` (included) up to ``start`` (excluded). So whenever ``end`` is a working day,
    ``add_working_days(start, working_days_between(start, end)) == end``.

    Raises:
        CalendarError: a day in the range is outside the holiday table's coverage.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import working_days_between
        >>> working_days_between(date(2026, 11, 27), date(2026, 12, 2))
        3
        >>> working_days_between(date(2026, 12, 29), date(2026, 12, 18))
        -5

        ```
    """
    cal = _calendar(holidays)
    if end >= start:
        first, last, sign = start + _ONE_DAY, end, 1
    else:
        first, last, sign = end, start - _ONE_DAY, -1
    count = 0
    d = first
    while d <= last:
        if _working(d, cal, "working_days_between"):
            count += 1
        d += _ONE_DAY
    return sign * count


@_guarded
def next_working_day(d: date, *, holidays: BankHolidayCalendar | None = None) -> date:
    """The first working day strictly after ``d``.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import next_working_day
        >>> next_working_day(date(2027, 1, 1))   # Friday bank holiday -> Monday
        datetime.date(2027, 1, 4)

        ```
    """
    return add_working_days(d, 1, holidays=holidays)


@_guarded
def previous_working_day(d: date, *, holidays: BankHolidayCalendar | None = None) -> date:
    """The last working day strictly before ``d``.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import previous_working_day
        >>> previous_working_day(date(2026, 5, 25))   # Spring bank holiday -> Friday
        datetime.date(2026, 5, 22)

        ```
    """
    return add_working_days(d, -1, holidays=holidays)
