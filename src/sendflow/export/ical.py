"""iCalendar (RFC 5545) export of statutory dates, for caseworkers' calendars.

Needs the optional extra ``ical`` (the ``icalendar`` package).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from sendflow.errors import MissingExtra

__all__ = ["CalendarEntry", "to_ics"]

CalendarEntry = tuple[str, date, str, str]
"""(uid seed, date, summary, description)."""


def to_ics(entries: Iterable[CalendarEntry], *, name: str, stamp: date) -> bytes:
    """An RFC 5545 calendar of all-day events.

    ``stamp`` fills DTSTAMP (the library reads no clock), so the output is
    reproducible for the same input.
    """
    try:
        import icalendar
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtra("iCalendar output", "ical") from None
    cal = icalendar.Calendar()
    cal.add("prodid", "-//sendflow//SEND statutory dates//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    dtstamp = datetime(stamp.year, stamp.month, stamp.day, tzinfo=UTC)
    for seed, day, summary, description in entries:
        event = icalendar.Event()
        digest = hashlib.sha256(f"{seed}|{day.isoformat()}".encode()).hexdigest()[:24]
        event.add("uid", f"{digest}@sendflow")
        event.add("dtstamp", dtstamp)
        event.add("dtstart", day)
        if day < date.max:
            event.add("dtend", day + timedelta(days=1))
        # else no DTEND: RFC 5545 3.6.1 gives a DATE-valued DTSTART with neither
        # DTEND nor DURATION a duration of one day, and 9999-12-31 has no next day.
        event.add("summary", summary)
        event.add("description", description)
        event.add("transp", "TRANSPARENT")
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data
