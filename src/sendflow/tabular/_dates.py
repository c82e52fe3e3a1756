"""Reading the dates real exports hold.

Each named format is a fixed pattern. Days and months may have one or two
digits in every numeric format (``5/3/2025`` reads as ``05/03/2025``), and a
time of day after the date (``2025-03-05 00:00:00``, ``05/03/2025 14:10``) is
ignored. Two choices are made once, by name, and documented:

- **day first** (``DAY_FIRST``): ``03/04/2025`` is 3 April 2025, as in every
  English case system. A month-first format (``mm/dd/yyyy``) can be chosen
  instead, but never beside a day-first format with the same separator: then
  the same text would have two readings, and a mapping that asks for both is
  rejected.
- **two-digit years** are read in a 100-year window that starts, by default,
  in 1970 (``two_digit_years_from``): ``69`` is 2069 and ``70`` is 1970, the
  convention of C's and Python's ``%y``. A two-digit year that lands after
  2099 or before 1900 is then caught as implausible like any other date.

Excel serial numbers (``excel``) count days in Excel's 1900 date system:
serial 45658 is 1 January 2025. Serial 60 is Excel's non-existent 29 February
1900 and is never a date; the serials of early 1900 are rejected as
implausible anyway.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta

__all__ = [
    "DATE_FORMATS",
    "MONTH_FIRST",
    "DateProblem",
    "check_formats",
    "parse_date",
]

#: Every date format a mapping may name, with what it reads.
DATE_FORMATS: dict[str, str] = {
    "iso": "yyyy-mm-dd (ISO 8601), e.g. 2025-03-05",
    "dd/mm/yyyy": "day/month/four-digit year, e.g. 05/03/2025 or 5/3/2025",
    "d/m/yy": "day/month/two-digit year, e.g. 5/3/25",
    "dd-mm-yyyy": "day-month-four-digit year, e.g. 05-03-2025",
    "d-m-yy": "day-month-two-digit year, e.g. 5-3-25",
    "dd.mm.yyyy": "day.month.four-digit year, e.g. 05.03.2025",
    "d mon yyyy": "day, month name, year, e.g. 5 Mar 2025, 05-MAR-2025, 5 March 25",
    "mm/dd/yyyy": "month/day/four-digit year (US), e.g. 03/05/2025 for 5 March",
    "m/d/yy": "month/day/two-digit year (US), e.g. 3/5/25 for 5 March",
    "excel": "an Excel serial day number (1900 date system), e.g. 45721 for 5 March 2025",
}

#: The formats that put the month first, and the day-first format each clashes with.
MONTH_FIRST: dict[str, tuple[str, ...]] = {
    "mm/dd/yyyy": ("dd/mm/yyyy", "d/m/yy"),
    "m/d/yy": ("dd/mm/yyyy", "d/m/yy"),
}

_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:\s*[AaPp][Mm])?Z?)?"
_MONTHS = {
    name: number
    for number, names in enumerate(
        (("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")),
        start=1,
    )
    for name in names
}

# Each pattern's groups are (first, second, year) in the order written.
_PATTERNS: dict[str, re.Pattern[str]] = {
    "iso": re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME),
    "dd/mm/yyyy": re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME),
    "d/m/yy": re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})" + _TIME),
    "dd-mm-yyyy": re.compile(r"(\d{1,2})-(\d{1,2})-(\d{4})" + _TIME),
    "d-m-yy": re.compile(r"(\d{1,2})-(\d{1,2})-(\d{2})" + _TIME),
    "dd.mm.yyyy": re.compile(r"(\d{1,2})\.(\d{1,2})\.(\d{4})" + _TIME),
    "d mon yyyy": re.compile(r"(\d{1,2})[ \-/]([A-Za-z]{3,9})\.?[ \-/](\d{4}|\d{2})" + _TIME),
    "mm/dd/yyyy": re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})" + _TIME),
    "m/d/yy": re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2})" + _TIME),
    "excel": re.compile(r"(\d{1,7})(?:\.\d+)?"),
}

#: Day 0 of Excel's 1900 date system as the serials after 28 February 1900 count it.
_EXCEL_EPOCH = date(1899, 12, 30)

#: The range of dates sendflow reads at all (the statutory calendar's range
#: is narrower and the engine checks it).
EARLIEST = date(1900, 1, 1)
LATEST = date(2099, 12, 31)


class DateProblem(ValueError):
    """Why a cell is not a date (a fixed phrase, never the cell's text)."""


def check_formats(formats: Sequence[str]) -> str | None:
    """The problem with a list of format names, or None if it is usable."""
    if not formats:
        return "give at least one date format"
    for name in formats:
        if name not in DATE_FORMATS:
            return f"unknown date format {name!r} (known: {', '.join(DATE_FORMATS)})"
    if len(set(formats)) != len(formats):
        return "a date format is listed twice"
    for month_first, clashes in MONTH_FIRST.items():
        if month_first in formats:
            for day_first in clashes:
                if day_first in formats:
                    return (
                        f"{month_first!r} and {day_first!r} would read the same text as two "
                        "different dates; list only one of them"
                    )
    return None


def _year(text: str, window_from: int) -> int:
    year = int(text)
    if len(text) == 2:
        year = window_from + (year - window_from) % 100
    return year


def parse_date(text: str, formats: Sequence[str], *, two_digit_years_from: int = 1970) -> date:
    """The date ``text`` holds in the first of ``formats`` whose pattern it fits.

    Raises:
        DateProblem: no format fits, the day or month is out of range, or the
            date is before 1900 or after 2099. The message never quotes ``text``.

    ```python
    >>> parse_date("05/03/2025", ["iso", "dd/mm/yyyy"])
    datetime.date(2025, 3, 5)
    >>> parse_date("5/3/69", ["d/m/yy"]), parse_date("5/3/70", ["d/m/yy"])
    (datetime.date(2069, 3, 5), datetime.date(1970, 3, 5))
    >>> parse_date("45721", ["excel"])
    datetime.date(2025, 3, 5)

    ```
    """
    text = text.strip()
    for name in formats:
        match = _PATTERNS[name].fullmatch(text)
        if match is None:
            continue
        if name == "excel":
            serial = int(match.group(1))
            if serial == 60:
                raise DateProblem("is Excel's serial for 29 February 1900, which never existed")
            found = (_EXCEL_EPOCH + timedelta(days=serial)) if serial > 60 else (
                date(1899, 12, 31) + timedelta(days=serial))
        else:
            a, b, c = match.groups()
            try:
                if name == "iso":
                    found = date(int(a), int(b), int(c))
                elif name == "d mon yyyy":
                    month = _MONTHS.get(b.lower())
                    if month is None:
                        raise DateProblem("has a month name that is not an English month")
                    found = date(_year(c, two_digit_years_from), month, int(a))
                elif name in MONTH_FIRST:
                    found = date(_year(c, two_digit_years_from), int(a), int(b))
                else:
                    found = date(_year(c, two_digit_years_from), int(b), int(a))
            except ValueError:
                raise DateProblem(
                    f"is not a real calendar date (read as {name})"
                ) from None
        if not EARLIEST <= found <= LATEST:
            raise DateProblem("is not a plausible date (before 1900 or after 2099)")
        return found
    raise DateProblem(f"is not a date in any of the formats {', '.join(formats)}")


def date_from_cell(value: object) -> date | None:
    """A date or datetime object as a date (what spreadsheets and data frames hold)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return None
