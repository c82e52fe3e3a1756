"""Adapter: use the ``holidays`` package (extra ``sendflow[holidays]``) as the holiday table."""

from __future__ import annotations

from datetime import date
from typing import Any

from sendflow.errors import CalendarError, MissingExtra

__all__ = ["HolidaysPackageCalendar"]


class HolidaysPackageCalendar:
    """England's holidays from the ``holidays`` package, for comparison or as a replacement.

    Uses ``holidays.country_holidays("GB", subdiv="ENG")``, imported only when the object is
    created. The package projects its rules indefinitely; ``covers`` limits it to
    ``first_year``..``last_year`` so the working-day functions refuse dates outside them.

    Args:
        subdiv: the ``holidays`` subdivision code (``"ENG"``; ``"WLS"`` for Wales).
        first_year: first year the calendar answers for.
        last_year: last year the calendar answers for.

    Raises:
        MissingExtra: the ``holidays`` package is not installed.

    Added in 0.1.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import HolidaysPackageCalendar, add_working_days
        >>> cal = HolidaysPackageCalendar()
        >>> add_working_days(date(2026, 12, 23), 2, holidays=cal)
        datetime.date(2026, 12, 29)

        ```
    """

    def __init__(
        self, subdiv: str = "ENG", *, first_year: int = 2014, last_year: int = 2100
    ) -> None:
        try:
            import holidays
        except ImportError:
            raise MissingExtra("HolidaysPackageCalendar", "holidays") from None
        if last_year < first_year:
            raise CalendarError("HolidaysPackageCalendar: last_year is before first_year")
        self.first_year = first_year
        self.last_year = last_year
        self.subdiv = subdiv
        self._table: Any = holidays.country_holidays("GB", subdiv=subdiv)
        self.source = (
            f"holidays package {getattr(holidays, '__version__', '?')}, GB subdivision {subdiv}"
        )

    def covers(self, d: date, /) -> bool:
        """Whether ``d``'s year is within ``first_year``..``last_year``."""
        return self.first_year <= d.year <= self.last_year

    def is_holiday(self, d: date, /) -> bool:
        """Whether the ``holidays`` package lists ``d`` as a holiday."""
        if not self.covers(d):
            raise CalendarError("HolidaysPackageCalendar: the date is outside the covered years")
        return d in self._table

    def __repr__(self) -> str:
        return f"HolidaysPackageCalendar({self.subdiv!r})"
