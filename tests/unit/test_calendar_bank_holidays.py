"""The bundled England and Wales bank-holiday table, its projection and the adapters.

Announced dates: gov.uk's bank holidays list (https://www.gov.uk/bank-holidays.json), checked
date by date against the JSON gov.uk publishes from. Legal basis: Banking and Financial
Dealings Act 1971 s.1 and Schedule 1 para 1.
"""

from __future__ import annotations

import json
import sys
import tomllib
from datetime import date, timedelta
from importlib import resources
from pathlib import Path

import pytest

from sendflow.calendar import (
    ENGLAND_AND_WALES,
    BankHoliday,
    BankHolidayCalendar,
    EnglandAndWalesBankHolidays,
    HolidaysPackageCalendar,
    HolidayTable,
    add_working_days,
    bank_holidays,
    is_bank_holiday,
    is_projected,
    is_working_day,
)
from sendflow.calendar import _bank_holidays as bh
from sendflow.errors import CalendarError, MissingExtra

SNAPSHOT = Path(__file__).parent.parent / "snapshots" / "bank_holidays.json"
ONE_OFF_YEARS = {2020, 2022, 2023}


def _dates(year: int) -> list[str]:
    return [h.date.isoformat() for h in bank_holidays(year)]


def test_data_file_is_sourced_and_contiguous() -> None:
    raw = resources.files("sendflow.calendar").joinpath(
        "data", "bank_holidays_england_and_wales.toml"
    )
    data = tomllib.loads(raw.read_text("utf-8"))
    assert data["meta"]["source"] == "https://www.gov.uk/bank-holidays"
    assert data["meta"]["data_url"] == "https://www.gov.uk/bank-holidays.json"
    assert data["meta"]["law_href"].startswith("https://www.legislation.gov.uk/ukpga/1971/80")
    years = [entry["year"] for entry in data["year"]]
    assert years == list(range(2014, years[-1] + 1))
    assert years[-1] >= 2027
    for entry in data["year"]:
        assert entry["source"].startswith("https://www.gov.uk/")
        assert entry["checked_in"]
        days = [day["on"] for day in entry["days"]]
        assert days == sorted(days)
        assert len(days) == len(set(days))
        # gov.uk lists the substitute day, never the weekend day it replaces.
        assert all(d.weekday() < 5 for d in days)


def test_every_announced_year_has_the_usual_eight_days() -> None:
    for year in range(2014, ENGLAND_AND_WALES.last_announced_year + 1):
        n = len(bank_holidays(year))
        assert n == (10 if year == 2022 else 9 if year == 2023 else 8), year


@pytest.mark.parametrize(
    ("year", "dates"),
    [
        (
            2026,
            [
                "2026-01-01",
                "2026-04-03",
                "2026-04-06",
                "2026-05-04",
                "2026-05-25",
                "2026-08-31",
                "2026-12-25",
                "2026-12-28",
            ],
        ),
        (
            2027,
            [
                "2027-01-01",
                "2027-03-26",
                "2027-03-29",
                "2027-05-03",
                "2027-05-31",
                "2027-08-30",
                "2027-12-27",
                "2027-12-28",
            ],
        ),
        (
            2022,
            [
                "2022-01-03",
                "2022-04-15",
                "2022-04-18",
                "2022-05-02",
                "2022-06-02",
                "2022-06-03",
                "2022-08-29",
                "2022-09-19",
                "2022-12-26",
                "2022-12-27",
            ],
        ),
    ],
)
def test_announced_years(year: int, dates: list[str]) -> None:
    # gov.uk's list for England and Wales (timescales.md section 4 uses 2026 and 2027).
    assert _dates(year) == dates
    assert not is_projected(year)


def test_one_off_days() -> None:
    assert is_bank_holiday(date(2020, 5, 8))  # early May moved to VE Day
    assert not is_bank_holiday(date(2020, 5, 4))
    assert is_bank_holiday(date(2022, 6, 2))  # Spring moved
    assert is_bank_holiday(date(2022, 6, 3))  # Platinum Jubilee
    assert not is_bank_holiday(date(2022, 5, 30))
    assert is_bank_holiday(date(2022, 9, 19))  # State Funeral of Queen Elizabeth II
    assert is_bank_holiday(date(2023, 5, 8))  # Coronation of King Charles III


def test_projection_reproduces_every_ordinary_announced_year() -> None:
    # The rules reproduce gov.uk's list exactly in every year without a proclaimed one-off.
    for year in range(2014, ENGLAND_AND_WALES.last_announced_year + 1):
        projected = [h.date for h in bh._projected_days(year)]
        announced = [h.date for h in bank_holidays(year)]
        if year in ONE_OFF_YEARS:
            one_offs = bh._announced().one_offs
            assert set(announced) - set(projected) <= one_offs, year
        else:
            assert projected == announced, year


@pytest.mark.parametrize(
    ("year", "christmas", "boxing"),
    [
        (2032, "2032-12-27", "2032-12-28"),  # 25 Dec a Saturday
        (2033, "2033-12-27", "2033-12-26"),  # 25 Dec a Sunday: Boxing Day Monday
        (2037, "2037-12-25", "2037-12-28"),  # 25 Dec a Friday
        (2030, "2030-12-25", "2030-12-26"),  # 25 Dec a Wednesday
    ],
)
def test_projected_christmas_substitutes(year: int, christmas: str, boxing: str) -> None:
    days = {
        h.name.removesuffix(" (substitute day)"): h.date.isoformat() for h in bank_holidays(year)
    }
    assert days["Christmas Day"] == christmas
    assert days["Boxing Day"] == boxing
    assert is_projected(year)
    assert all(h.projected for h in bank_holidays(year))


def test_projected_year_uses_easter_and_monday_rules() -> None:
    # 2030: Easter Sunday 21 April; first Monday in May the 6th; last Mondays 27 May, 26 Aug.
    assert _dates(2030) == [
        "2030-01-01",
        "2030-04-19",
        "2030-04-22",
        "2030-05-06",
        "2030-05-27",
        "2030-08-26",
        "2030-12-25",
        "2030-12-26",
    ]
    # 2033: New Year's Day a Saturday -> Monday 3 January.
    assert _dates(2033)[0] == "2033-01-03"


def test_projection_agrees_with_the_holidays_package() -> None:
    cal = HolidaysPackageCalendar()
    for year in range(ENGLAND_AND_WALES.last_announced_year + 1, 2101):
        for h in bank_holidays(year):
            assert cal.is_holiday(h.date), h.date


def test_range_limits() -> None:
    assert ENGLAND_AND_WALES.covers(date(2014, 1, 1))
    assert ENGLAND_AND_WALES.covers(date(2100, 12, 31))
    assert not ENGLAND_AND_WALES.covers(date(2101, 1, 1))
    for bad_year in (2013, 2101):
        with pytest.raises(CalendarError, match="outside the supported range"):
            bank_holidays(bad_year)
        with pytest.raises(CalendarError, match="2014-01-01 to 2100-12-31"):
            is_projected(bad_year)
    with pytest.raises(CalendarError, match="outside the supported range"):
        is_bank_holiday(date(2013, 12, 25))


def test_bank_holiday_records_its_source() -> None:
    first = bank_holidays(2026)[0]
    assert isinstance(first, BankHoliday)
    assert first.source == "https://www.gov.uk/bank-holidays.json"
    assert not first.projected
    assert "projected" in bank_holidays(2099)[0].source


def test_default_calendar_satisfies_the_protocol() -> None:
    assert isinstance(ENGLAND_AND_WALES, BankHolidayCalendar)
    assert isinstance(ENGLAND_AND_WALES, EnglandAndWalesBankHolidays)
    assert ENGLAND_AND_WALES.source.startswith("https://www.gov.uk/")
    assert ENGLAND_AND_WALES.holidays(2026) == bank_holidays(2026)


def test_holiday_table_adds_closure_days_and_limits_coverage() -> None:
    table = HolidayTable(
        [date(2026, 12, 24)],
        date(2026, 1, 1),
        date(2026, 12, 31),
        source="test closures",
        extends=ENGLAND_AND_WALES,
    )
    assert isinstance(table, BankHolidayCalendar)
    assert not is_working_day(date(2026, 12, 24), holidays=table)
    assert not is_working_day(date(2026, 12, 25), holidays=table)  # from the default table
    assert add_working_days(date(2026, 12, 23), 1, holidays=table) == date(2026, 12, 29)
    with pytest.raises(CalendarError):
        add_working_days(date(2026, 12, 30), 3, holidays=table)  # runs into 2027
    assert "test closures" in table.source


def test_holiday_table_rejects_a_reversed_range() -> None:
    with pytest.raises(CalendarError):
        HolidayTable([], date(2027, 1, 1), date(2026, 1, 1), source="x")


def test_a_calendar_that_never_covers_always_raises() -> None:
    class Nothing:
        source = "nothing"

        def is_holiday(self, d: date, /) -> bool:
            return False

        def covers(self, d: date, /) -> bool:
            return False

    with pytest.raises(CalendarError, match="nothing"):
        add_working_days(date(2026, 1, 5), 1, holidays=Nothing())


def test_holidays_package_adapter_matches_the_announced_table() -> None:
    cal = HolidaysPackageCalendar()
    d = date(2014, 1, 1)
    while d.year <= ENGLAND_AND_WALES.last_announced_year:
        if d.weekday() < 5:
            assert cal.is_holiday(d) == is_bank_holiday(d), d
        d += timedelta(days=1)
    with pytest.raises(CalendarError):
        cal.is_holiday(date(2101, 1, 3))


def test_holidays_package_adapter_without_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "holidays", None)
    with pytest.raises(MissingExtra) as info:
        HolidaysPackageCalendar()
    assert info.value.extra == "holidays"


def test_snapshot_matches() -> None:
    """tests/snapshots/bank_holidays.json: 2014-2100 as computed; a change shows as a diff.

    Regenerate with ``python tests/unit/test_calendar_bank_holidays.py`` and review the diff.
    """
    assert json.loads(SNAPSHOT.read_text("utf-8")) == _snapshot()


def _snapshot() -> dict[str, dict[str, object]]:
    return {
        str(year): {
            "status": "projected" if is_projected(year) else "announced",
            "days": [f"{h.date.isoformat()} {h.name}" for h in bank_holidays(year)],
        }
        for year in range(2014, 2101)
    }


if __name__ == "__main__":
    SNAPSHOT.write_text(json.dumps(_snapshot(), indent=1) + "\n", "utf-8")
