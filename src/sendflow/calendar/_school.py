"""Academic years, ages, National Curriculum year groups and the end of compulsory school age.

Sources:

- Age: Family Law Reform Act 1969 s.9 — a person attains an age at the start of the relevant
  anniversary of their birth (https://www.legislation.gov.uk/ukpga/1969/46/section/9).
- Compulsory school age: Education Act 1996 s.8(3)
  (https://www.legislation.gov.uk/ukpga/1996/56/section/8) and the Education (School Leaving
  Date) Order 1997, SI 1997/1970 art. 2, which makes the school leaving date the last Friday in
  June (https://www.legislation.gov.uk/uksi/1997/1970/article/2).
- Year groups and key stages: DfE conventions (children are placed by age on 31 August; the
  "academic year" runs 1 September to 31 August).
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Final, Literal

from sendflow.errors import CalendarError, InvalidArgument

__all__ = [
    "KeyStage",
    "Phase",
    "academic_year",
    "academic_year_end",
    "academic_year_start",
    "age_on",
    "birthday_in_year",
    "compulsory_school_age_end",
    "key_stage",
    "last_friday_in_june",
    "national_curriculum_year",
    "nc_year_label",
    "phase_of_education",
]

Phase = Literal["early_years", "primary", "secondary", "post16"]
KeyStage = Literal["EYFS", "KS1", "KS2", "KS3", "KS4", "post16"]
LeapDayBirthday = Literal["1 March", "28 February"]

_SCHOOL_LEAVING_DATE_FROM: Final = 1998  # SI 1997/1970 applies from 1998
_FRIDAY: Final = 4


def academic_year(d: date) -> int:
    """The calendar year in which the academic year (1 September–31 August) containing ``d`` starts.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import academic_year
        >>> academic_year(date(2026, 8, 31)), academic_year(date(2026, 9, 1))
        (2025, 2026)

        ```
    """
    return d.year if d.month >= 9 else d.year - 1


def academic_year_start(year: int) -> date:
    """1 September of ``year``: the first day of the academic year ``year``/``year + 1``.

    Examples:
        ```python
        >>> from sendflow.calendar import academic_year_start
        >>> academic_year_start(2026)
        datetime.date(2026, 9, 1)

        ```
    """
    _check_year(year, "academic_year_start")
    return date(year, 9, 1)


def _check_year(year: object, where: str) -> None:
    """A year a ``date`` can hold (1 to 9999), as a library error (issue 17)."""
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidArgument(f"{where}: year must be a whole number")
    if not 1 <= year <= 9999:
        raise CalendarError(f"{where}: the year is outside the supported dates")


def academic_year_end(year: int) -> date:
    """31 August of ``year + 1``: the last day of the academic year that starts in ``year``.

    Examples:
        ```python
        >>> from sendflow.calendar import academic_year_end
        >>> academic_year_end(2026)
        datetime.date(2027, 8, 31)

        ```
    """
    if isinstance(year, bool) or not isinstance(year, int):
        raise InvalidArgument("academic_year_end: year must be a whole number")
    if not 1 <= year <= 9998:
        raise CalendarError("academic_year_end: the year is outside the supported dates")
    return date(year + 1, 8, 31)


def birthday_in_year(
    date_of_birth: date, year: int, *, leap_day: LeapDayBirthday = "1 March"
) -> date:
    """The day in ``year`` on which a person born on ``date_of_birth`` has their birthday.

    For a 29 February birthday in a common year, sendflow takes 1 March by default: the
    anniversary of the birth has not come until 28 February has ended, and Family Law Reform
    Act 1969 s.9 makes an age run from the *start* of the anniversary. s.9 does not deal with
    leap days expressly and we found no English authority; secondary sources disagree (most
    say 1 March, some 28 February), so ``leap_day="28 February"`` is offered.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import birthday_in_year
        >>> birthday_in_year(date(2012, 2, 29), 2028), birthday_in_year(date(2012, 2, 29), 2027)
        (datetime.date(2028, 2, 29), datetime.date(2027, 3, 1))

        ```
    """
    if date_of_birth.month == 2 and date_of_birth.day == 29:
        try:
            return date(year, 2, 29)
        except ValueError:
            return date(year, 3, 1) if leap_day == "1 March" else date(year, 2, 28)
    return date_of_birth.replace(year=year)


def age_on(date_of_birth: date, on: date, *, leap_day: LeapDayBirthday = "1 March") -> int:
    """Age in whole years on the day ``on`` (a person turns N at the start of their birthday).

    Family Law Reform Act 1969 s.9 (https://www.legislation.gov.uk/ukpga/1969/46/section/9);
    29 February birthdays: see :func:`birthday_in_year`.

    Raises:
        CalendarError: ``on`` is before the date of birth.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import age_on
        >>> dob = date(2010, 3, 14)
        >>> age_on(dob, date(2026, 3, 13)), age_on(dob, date(2026, 3, 14))
        (15, 16)
        >>> age_on(date(2008, 2, 29), date(2026, 2, 28))   # turns 18 on 1 March 2026
        17

        ```
    """
    if on < date_of_birth:
        raise CalendarError("age_on: the date is before the date of birth")
    years = on.year - date_of_birth.year
    if on < birthday_in_year(date_of_birth, on.year, leap_day=leap_day):
        years -= 1
    return years


def last_friday_in_june(year: int) -> date:
    """The last Friday in June of ``year`` (the school leaving date under SI 1997/1970).

    Examples:
        ```python
        >>> from sendflow.calendar import last_friday_in_june
        >>> last_friday_in_june(2026), last_friday_in_june(2027)
        (datetime.date(2026, 6, 26), datetime.date(2027, 6, 25))

        ```
    """
    _check_year(year, "last_friday_in_june")
    june_30 = date(year, 6, 30)
    return june_30 - timedelta(days=(june_30.weekday() - _FRIDAY) % 7)


def compulsory_school_age_end(
    date_of_birth: date,
    *,
    school_year_starts: tuple[int, int] = (9, 1),
    leap_day: LeapDayBirthday = "1 March",
) -> date:
    """The day a child stops being of compulsory school age (the end of that day).

    Education Act 1996 s.8(3) with the Education (School Leaving Date) Order 1997
    (SI 1997/1970): the school leaving date is the last Friday in June. Let B be the 16th
    birthday and L the last Friday in June of B's year. If B is on or before L, the end is L.
    If B is after L but before the next school year begins, the end is also L — the child
    stops being of compulsory school age a little *before* turning 16 (s.8(3)(a)). Otherwise
    it is the last Friday in June of the following year.

    When the school year begins is not settled for this purpose (Education Act 1996 s.579 ties
    it to the first term after July; schools start on different days), so it is a parameter,
    ``(month, day)``, defaulting to 1 September (DfE's data convention). Birthdays in the first
    days of September give a different answer if the autumn term starts later: check them.

    Raises:
        CalendarError: the 16th birthday is before 1998 (when the 1997 Order first applied),
            or ``school_year_starts`` is not a day from 1 July to 31 December.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import compulsory_school_age_end
        >>> compulsory_school_age_end(date(2010, 3, 14))
        datetime.date(2026, 6, 26)
        >>> compulsory_school_age_end(date(2010, 8, 31))   # turns 16 after the leaving date
        datetime.date(2026, 6, 26)
        >>> compulsory_school_age_end(date(2010, 9, 1))
        datetime.date(2027, 6, 25)

        ```
    """
    month, day = school_year_starts
    try:
        date(2000, month, day)
    except ValueError:
        raise CalendarError(
            "compulsory_school_age_end: school_year_starts is not a (month, day)"
        ) from None
    if month < 7:
        raise CalendarError(
            "compulsory_school_age_end: school_year_starts must fall between 1 July and 31 December"
        )
    if not isinstance(date_of_birth, date):
        raise TypeError("compulsory_school_age_end: date_of_birth must be a date")
    if date_of_birth.year > 9998 - 16:
        raise CalendarError(
            "compulsory_school_age_end: the date of birth is outside the supported range"
        )
    sixteenth = birthday_in_year(date_of_birth, date_of_birth.year + 16, leap_day=leap_day)
    if sixteenth.year < _SCHOOL_LEAVING_DATE_FROM:
        raise CalendarError(
            "compulsory_school_age_end: supported only when the 16th birthday is in 1998 or later"
        )
    leaving = last_friday_in_june(sixteenth.year)
    if sixteenth <= leaving or sixteenth < date(sixteenth.year, month, day):
        return leaving
    return last_friday_in_june(sixteenth.year + 1)


def national_curriculum_year(date_of_birth: date, academic_year: int) -> int:
    """The National Curriculum year group for a child's age in the academic year ``academic_year``.

    Reception is 0, Year 1 is 1, and so on; nursery is -1 and younger early years are lower.
    Counting carries on past Year 13 (14, 15, ...) for young people up to 25. A child born
    from 1 September of year Y-1 to 31 August of year Y starts Reception in September Y+4
    and Year 1 in September Y+5. This is the age-based ("chronological") year group: a child
    taught out of their year group (for example a summer-born child whose start was
    deferred) is in a different year in fact.

    Examples:
        ```python
        >>> from datetime import date
        >>> from sendflow.calendar import national_curriculum_year
        >>> oldest, youngest = date(2019, 9, 1), date(2020, 8, 31)   # Reception in 2024/25
        >>> national_curriculum_year(oldest, 2024), national_curriculum_year(youngest, 2024)
        (0, 0)
        >>> national_curriculum_year(date(2014, 7, 1), 2025)   # starts secondary in 2025/26
        7

        ```
    """
    cohort = date_of_birth.year if date_of_birth.month >= 9 else date_of_birth.year - 1
    return academic_year - cohort - 5


def nc_year_label(n: int) -> str:
    """A human label for a National Curriculum year number.

    Examples:
        ```python
        >>> from sendflow.calendar import nc_year_label
        >>> [nc_year_label(n) for n in (-2, -1, 0, 7)]
        ['Early years', 'Nursery', 'Reception', 'Year 7']

        ```
    """
    if n <= -2:
        return "Early years"
    if n == -1:
        return "Nursery"
    if n == 0:
        return "Reception"
    return f"Year {n}"


def phase_of_education(nc_year: int) -> Phase:
    """The phase for a National Curriculum year: nursery and Reception are early years.

    ``early_years`` (nursery, Reception: the Early Years Foundation Stage), ``primary``
    (Years 1–6), ``secondary`` (Years 7–11), ``post16`` (Year 12 and later).

    Examples:
        ```python
        >>> from sendflow.calendar import phase_of_education
        >>> [phase_of_education(n) for n in (0, 1, 7, 12)]
        ['early_years', 'primary', 'secondary', 'post16']

        ```
    """
    if nc_year <= 0:
        return "early_years"
    if nc_year <= 6:
        return "primary"
    if nc_year <= 11:
        return "secondary"
    return "post16"


def key_stage(nc_year: int) -> KeyStage:
    """The key stage for a National Curriculum year (DfE): EYFS, KS1–KS4 or post16.

    Examples:
        ```python
        >>> from sendflow.calendar import key_stage
        >>> [key_stage(n) for n in (0, 2, 3, 9, 11, 13)]
        ['EYFS', 'KS1', 'KS2', 'KS3', 'KS4', 'post16']

        ```
    """
    if nc_year <= 0:
        return "EYFS"
    if nc_year <= 2:
        return "KS1"
    if nc_year <= 6:
        return "KS2"
    if nc_year <= 9:
        return "KS3"
    if nc_year <= 11:
        return "KS4"
    return "post16"
