"""Bank holidays in England and Wales: the announced table plus a rule-based projection.

Announced years (2014 to the last year gov.uk has published) come from the bundled, sourced
table ``data/bank_holidays_england_and_wales.toml``. Later years, up to 2100, are projected
from the usual rules and flagged ``projected=True``: a future proclamation can move or add a
day (as in 2020, 2022 and 2023), so a projected year is a forecast, not the law.

Any table that can say whether a date is a holiday, and which dates it can answer for, can
replace the default: see :class:`BankHolidayCalendar`.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable
from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Final, Protocol, runtime_checkable

from dateutil.easter import easter
from pydantic import Field

from sendflow._base import SendflowModel
from sendflow.errors import CalendarError, InvalidArgument

__all__ = [
    "ENGLAND_AND_WALES",
    "SUPPORTED_FIRST_DAY",
    "SUPPORTED_LAST_DAY",
    "BankHoliday",
    "BankHolidayCalendar",
    "EnglandAndWalesBankHolidays",
    "HolidayTable",
    "bank_holidays",
    "is_bank_holiday",
    "is_projected",
]

SUPPORTED_FIRST_DAY: Final = date(2014, 1, 1)
"""First day the bundled England and Wales table answers for."""

SUPPORTED_LAST_DAY: Final = date(2100, 12, 31)
"""Last day the bundled table (announced years plus projection) answers for."""

_DATA_FILE: Final = "bank_holidays_england_and_wales.toml"
_PROJECTION_SOURCE: Final = (
    "projected by sendflow from the usual rules (Banking and Financial Dealings Act 1971, "
    "Schedule 1, and the yearly proclamations); not announced"
)
_MONDAY, _FRIDAY, _SATURDAY, _SUNDAY = 0, 4, 5, 6


class BankHoliday(SendflowModel):
    """One bank holiday (or Christmas Day or Good Friday) in a calendar.

    Attributes:
        date: the day itself.
        name: a short name in plain English, e.g. ``"Boxing Day (substitute day)"``.
        projected: ``True`` when the day comes from sendflow's projection rules rather than
            an announced table.
        source: where the day comes from (a URL for announced days).

    Added in 0.1.
    """

    date: date
    name: str
    projected: bool = False
    source: str = Field(default="")


@runtime_checkable
class BankHolidayCalendar(Protocol):
    """What the working-day functions need from a table of non-working days.

    ``is_holiday(d)`` says whether ``d`` is a holiday (weekends are handled separately and
    need not be listed). ``covers(d)`` says whether the table can answer for ``d``; the
    working-day functions raise :class:`~sendflow.errors.CalendarError` rather than guess
    for a date that is not covered. ``source`` says where the table comes from.

    Added in 0.1.

    Examples:
        ```python
        >>> from sendflow.calendar import ENGLAND_AND_WALES, BankHolidayCalendar
        >>> isinstance(ENGLAND_AND_WALES, BankHolidayCalendar)
        True

        ```
    """

    @property
    def source(self) -> str:
        """Where the table's data comes from."""
        ...

    def is_holiday(self, d: date, /) -> bool:
        """Whether ``d`` is a holiday in this table."""
        ...

    def covers(self, d: date, /) -> bool:
        """Whether this table can answer for ``d``."""
        ...


# --- the bundled, announced table -------------------------------------------------------


class _Announced(SendflowModel):
    first_year: int
    last_year: int
    by_year: dict[int, tuple[BankHoliday, ...]]
    one_offs: frozenset[date]
    checked_in: dict[int, str]


@cache
def _announced() -> _Announced:
    raw = resources.files("sendflow.calendar").joinpath("data", _DATA_FILE).read_bytes()
    data = tomllib.loads(raw.decode("utf-8"))
    by_year: dict[int, tuple[BankHoliday, ...]] = {}
    checked_in: dict[int, str] = {}
    for entry in data["year"]:
        year = int(entry["year"])
        if year in by_year:
            raise CalendarError(f"{_DATA_FILE}: year[{year}]: year listed twice")
        days = tuple(
            BankHoliday(date=day["on"], name=day["name"], source=entry["source"])
            for day in entry["days"]
        )
        for day in days:
            if day.date.year != year:
                raise CalendarError(f"{_DATA_FILE}: year[{year}]: a day is in another year")
        by_year[year] = tuple(sorted(days, key=lambda h: h.date))
        checked_in[year] = str(entry.get("checked_in", ""))
    years = sorted(by_year)
    if years != list(range(years[0], years[-1] + 1)):
        raise CalendarError(f"{_DATA_FILE}: the announced years are not contiguous")
    return _Announced(
        first_year=years[0],
        last_year=years[-1],
        by_year=by_year,
        one_offs=frozenset(data["meta"]["one_offs"]),
        checked_in=checked_in,
    )


# --- the projection rules ---------------------------------------------------------------


def _next_weekday_on_or_after(d: date, weekday: int) -> date:
    return d + timedelta(days=(weekday - d.weekday()) % 7)


def _last_weekday_of_month(year: int, month: int, weekday: int) -> date:
    first_of_next = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last = first_of_next - timedelta(days=1)
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _projected_days(year: int) -> tuple[BankHoliday, ...]:
    """The usual England and Wales days for ``year``, with the usual substitute days."""
    days: list[tuple[date, str]] = []
    new_year = date(year, 1, 1)
    if new_year.weekday() >= _SATURDAY:
        days.append(
            (_next_weekday_on_or_after(new_year, _MONDAY), "New Year's Day (substitute day)")
        )
    else:
        days.append((new_year, "New Year's Day"))
    easter_sunday = easter(year)
    days.append((easter_sunday - timedelta(days=2), "Good Friday"))
    days.append((easter_sunday + timedelta(days=1), "Easter Monday"))
    days.append((_next_weekday_on_or_after(date(year, 5, 1), _MONDAY), "Early May bank holiday"))
    days.append((_last_weekday_of_month(year, 5, _MONDAY), "Spring bank holiday"))
    days.append((_last_weekday_of_month(year, 8, _MONDAY), "Summer bank holiday"))
    christmas = date(year, 12, 25)
    weekday = christmas.weekday()
    if weekday == _FRIDAY:  # Boxing Day is a Saturday: Monday 28th instead
        days += [(christmas, "Christmas Day"), (date(year, 12, 28), "Boxing Day (substitute day)")]
    elif weekday == _SATURDAY:  # both at the weekend: Monday 27th and Tuesday 28th
        days += [
            (date(year, 12, 27), "Christmas Day (substitute day)"),
            (date(year, 12, 28), "Boxing Day (substitute day)"),
        ]
    elif weekday == _SUNDAY:  # Boxing Day on Monday, Christmas substitute on Tuesday 27th
        days += [
            (date(year, 12, 26), "Boxing Day"),
            (date(year, 12, 27), "Christmas Day (substitute day)"),
        ]
    else:
        days += [(christmas, "Christmas Day"), (date(year, 12, 26), "Boxing Day")]
    return tuple(
        BankHoliday(date=d, name=name, projected=True, source=_PROJECTION_SOURCE)
        for d, name in sorted(days)
    )


def _check_year(year: int, where: str) -> None:
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidArgument(f"{where}: year must be a whole number")
    if not SUPPORTED_FIRST_DAY.year <= year <= SUPPORTED_LAST_DAY.year:
        raise CalendarError(
            f"{where}: year {year} is outside the supported range "
            f"{SUPPORTED_FIRST_DAY.isoformat()} to {SUPPORTED_LAST_DAY.isoformat()}"
        )


@cache
def _days_of_year(year: int) -> tuple[BankHoliday, ...]:
    announced = _announced()
    if announced.first_year <= year <= announced.last_year:
        return announced.by_year[year]
    return _projected_days(year)


@cache
def _dates_of_year(year: int) -> frozenset[date]:
    return frozenset(h.date for h in _days_of_year(year))


# --- the public functions and the default calendar --------------------------------------


def bank_holidays(year: int) -> tuple[BankHoliday, ...]:
    """England and Wales bank holidays (with Christmas Day and Good Friday) in ``year``, sorted.

    Years from 2014 to the last announced year come from gov.uk's published list; later years
    up to 2100 are projected (``projected=True``).

    Raises:
        CalendarError: ``year`` is before 2014 or after 2100.

    Added in 0.1.

    Examples:
        ```python
        >>> from sendflow.calendar import bank_holidays
        >>> [(h.date.isoformat(), h.name) for h in bank_holidays(2026)][-2:]
        [('2026-12-25', 'Christmas Day'), ('2026-12-28', 'Boxing Day (substitute day)')]
        >>> bank_holidays(2026)[0].projected, bank_holidays(2040)[0].projected
        (False, True)

        ```
    """
    _check_year(year, "bank_holidays")
    return _days_of_year(year)


def is_projected(year: int) -> bool:
    """Whether ``year``'s bank holidays are sendflow's projection rather than announced.

    Raises:
        CalendarError: ``year`` is before 2014 or after 2100.

    Added in 0.1.

    Examples:
        ```python
        >>> from sendflow.calendar import is_projected
        >>> is_projected(2026), is_projected(2050)
        (False, True)

        ```
    """
    _check_year(year, "is_projected")
    return year > _announced().last_year


def is_bank_holiday(d: date) -> bool:
    """Whether ``d`` is an England and Wales bank holiday, Christmas Day or Good Friday.

    A substitute day counts; the weekend day it replaces does not (Sat 26 Dec 2026 is not,
    Mon 28 Dec 2026 is).

    Raises:
        CalendarError: ``d`` is before 2014-01-01 or after 2100-12-31.

    Added in 0.1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import is_bank_holiday
        >>> is_bank_holiday(date(2026, 12, 28)), is_bank_holiday(date(2026, 12, 24))
        (True, False)

        ```
    """
    if not SUPPORTED_FIRST_DAY <= d <= SUPPORTED_LAST_DAY:
        raise CalendarError(
            "is_bank_holiday: the date is outside the supported range "
            f"{SUPPORTED_FIRST_DAY.isoformat()} to {SUPPORTED_LAST_DAY.isoformat()}"
        )
    return d in _dates_of_year(d.year)


class EnglandAndWalesBankHolidays:
    """The bundled England and Wales table: announced years, then projected years to 2100.

    Use the ready-made instance :data:`ENGLAND_AND_WALES`. It satisfies
    :class:`BankHolidayCalendar`.

    Added in 0.1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import ENGLAND_AND_WALES
        >>> ENGLAND_AND_WALES.is_holiday(date(2022, 9, 19))  # the State Funeral
        True
        >>> ENGLAND_AND_WALES.covers(date(2013, 12, 31))
        False

        ```
    """

    source: Final = "https://www.gov.uk/bank-holidays"
    first_day: Final = SUPPORTED_FIRST_DAY
    last_day: Final = SUPPORTED_LAST_DAY

    @property
    def last_announced_year(self) -> int:
        """The last year of the bundled, announced table; later years are projected."""
        return _announced().last_year

    def covers(self, d: date, /) -> bool:
        """Whether ``d`` lies in 2014-01-01 to 2100-12-31."""
        return SUPPORTED_FIRST_DAY <= d <= SUPPORTED_LAST_DAY

    def is_holiday(self, d: date, /) -> bool:
        """Same as :func:`is_bank_holiday`."""
        return is_bank_holiday(d)

    def holidays(self, year: int) -> tuple[BankHoliday, ...]:
        """Same as :func:`bank_holidays`."""
        return bank_holidays(year)

    def is_projected(self, year: int) -> bool:
        """Same as :func:`is_projected`."""
        return is_projected(year)

    def __repr__(self) -> str:
        return "EnglandAndWalesBankHolidays()"


ENGLAND_AND_WALES: Final = EnglandAndWalesBankHolidays()
"""The default calendar used by every working-day function."""


class HolidayTable:
    """A plain table of your own holiday dates, valid between two days.

    Use it for a different jurisdiction, or to add local closure days to the default table
    (pass ``extends=ENGLAND_AND_WALES``). Dates outside ``first_day``..``last_day`` are not
    covered, so the working-day functions refuse them.

    Args:
        dates: the holiday dates.
        first_day: first day the table answers for.
        last_day: last day the table answers for.
        source: where the dates come from (shown in explanations).
        extends: another calendar whose holidays also count; coverage is the overlap.

    Added in 0.1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import ENGLAND_AND_WALES, HolidayTable, add_working_days
        >>> closures = HolidayTable(
        ...     [date(2026, 12, 24)], date(2026, 1, 1), date(2027, 12, 31),
        ...     source="LA closure days 2026-27", extends=ENGLAND_AND_WALES)
        >>> add_working_days(date(2026, 12, 23), 1, holidays=closures)
        datetime.date(2026, 12, 29)

        ```
    """

    def __init__(
        self,
        dates: Iterable[date],
        first_day: date,
        last_day: date,
        *,
        source: str,
        extends: BankHolidayCalendar | None = None,
    ) -> None:
        if last_day < first_day:
            raise CalendarError("HolidayTable: last_day is before first_day")
        self._dates = frozenset(dates)
        self.first_day = first_day
        self.last_day = last_day
        self._source = source
        self._extends = extends

    @property
    def source(self) -> str:
        """Where the table's data comes from (and the table it extends, if any)."""
        if self._extends is None:
            return self._source
        return f"{self._source}; plus {self._extends.source}"

    def covers(self, d: date, /) -> bool:
        """Whether ``d`` is inside this table's range (and the extended table's)."""
        inside = self.first_day <= d <= self.last_day
        return inside and (self._extends is None or self._extends.covers(d))

    def is_holiday(self, d: date, /) -> bool:
        """Whether ``d`` is one of the dates, or a holiday in the extended table."""
        if not self.covers(d):
            raise CalendarError("HolidayTable: the date is outside the table's range")
        return d in self._dates or (self._extends is not None and self._extends.is_holiday(d))

    def __repr__(self) -> str:
        return f"HolidayTable(<{len(self._dates)} dates>, source={self._source!r})"
