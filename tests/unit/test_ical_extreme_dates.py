"""Issue 17: the iCalendar export takes every date the calendar has, the last one included."""

from __future__ import annotations

from datetime import date

import pytest

from sendflow.export.ical import CalendarEvent, to_ics

icalendar = pytest.importorskip("icalendar")


@pytest.mark.parametrize("day", [date.min, date(9999, 12, 30), date.max])
def test_extreme_dates_are_one_day_events(day: date) -> None:
    event = CalendarEvent(uid="seed@sendflow", day=day, summary="Due: a date", description="why")
    raw = to_ics([event], name="n", as_of=date(2026, 1, 5))
    (event,) = icalendar.Calendar.from_ical(raw).walk("VEVENT")
    assert event.decoded("dtstart") == day
    if day == date.max:
        # RFC 5545 3.6.1: a DATE DTSTART with no DTEND or DURATION lasts one day.
        assert "DTEND" not in event and "DURATION" not in event
    else:
        assert (event.decoded("dtend") - day).days == 1
