"""iCalendar (RFC 5545) export of statutory dates, for caseworkers' calendars.

Needs the optional extra ``ical`` (the ``icalendar`` package) to write a file;
building the events needs nothing.

A calendar is a list of :class:`CalendarEvent` (all-day events) written by
:func:`to_ics`. :func:`upcoming_events`, :func:`worklist_events` and :func:`timeline_events`
build them from :func:`sendflow.upcoming`, :func:`sendflow.worklist` and
:func:`sendflow.plan_timeline`.

**Calendars that update.** Importing the same caseload again, next week or
with its lines in another order, updates the events already in the calendar
rather than adding copies:

- ``UID`` comes from the case reference, the rule id and the instance
  (:func:`event_uid`): a SHA-256 digest, so the reference is not shown in it
  and nothing personal (names, dates of birth, identifiers) goes in. A case
  without a reference has no stable identity: its events' UIDs come from its
  position in the input, and change if the file is re-ordered.
- ``SEQUENCE`` is the day number of the export's ``as_of`` date (days since
  1 January 1970), so an export for a later date supersedes an earlier one;
  ``LAST-MODIFIED`` and ``DTSTAMP`` are ``as_of`` at 00:00 UTC. Nothing reads
  a clock: the same input and ``as_of`` give the same bytes.
- A date that no longer applies in an export that lists it (``upcoming`` with
  met dates kept) is written ``STATUS:CANCELLED``; a date that has left a feed
  (a worklist only lists open duties) disappears when a calendar *subscribes*
  to the file, but stays in one that *imported* it.

```python
>>> from datetime import date, timedelta
>>> event = CalendarEvent(uid=event_uid("C-1", "review.annual", "1"),
...                       day=date(2026, 3, 19), summary="C-1: Review the EHC plan",
...                       reminders=(timedelta(days=7),))
>>> ics = to_ics([event], name="Reviews", as_of=date(2026, 3, 1)).decode()
>>> "SEQUENCE:20513" in ics, "TRIGGER:-P7D" in ics
(True, True)

```
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta
from typing import TYPE_CHECKING

from pydantic import Field, field_validator

from sendflow._base import SendflowModel
from sendflow.errors import InvalidArgument, MissingExtra

if TYPE_CHECKING:
    from sendflow.planning import Timeline
    from sendflow.upcoming import UpcomingDate
    from sendflow.worklist import Worklist

__all__ = [
    "CalendarEvent",
    "event_uid",
    "parse_reminders",
    "sequence_of",
    "timeline_events",
    "to_ics",
    "upcoming_events",
    "worklist_events",
]

_EPOCH = date(1970, 1, 1)
_PRODID = "-//sendflow//SEND statutory dates//EN"


class CalendarEvent(SendflowModel):
    """One all-day event of an iCalendar export."""

    uid: str = Field(min_length=1, max_length=255,
                     description="Stable identifier; see event_uid().")
    day: date = Field(description="The day of the event (a due date or a last day to act).")
    summary: str = Field(description="The event's title.")
    description: str = Field(default="", description="The event's notes (citations, status).")
    url: str | None = Field(default=None, description="A link, e.g. the provision's text.")
    categories: tuple[str, ...] = Field(
        default=(), description="Calendar categories, e.g. who must act."
    )
    cancelled: bool = Field(
        default=False, description="Written STATUS:CANCELLED: the date no longer applies."
    )
    reminders: tuple[timedelta, ...] = Field(
        default=(), description="A VALARM this long before the day's start, for each."
    )

    @field_validator("reminders")
    @classmethod
    def _positive(cls, value: tuple[timedelta, ...]) -> tuple[timedelta, ...]:
        for r in value:
            if r <= timedelta(0):
                raise ValueError("a reminder must be a positive time before the event")
        return value


def event_uid(reference: str, rule_id: str, instance: str) -> str:
    """The ``UID`` of one date: a digest of the case reference, the rule id and
    the instance key (e.g. the adviser, plus the instance's number within the
    case), so it is the same in every export whatever the order of the input.

    ```python
    >>> event_uid("C-1", "assessment.advice", "psychological#1")
    'sendflow-...@sendflow'
    >>> event_uid("C-1", "review.annual", "1") == event_uid("C-1", "review.annual", "1")
    True

    ```
    """
    seed = "\x1f".join(("sendflow-uid-v1", reference, rule_id, instance))
    return f"sendflow-{hashlib.sha256(seed.encode()).hexdigest()[:32]}@sendflow"


def sequence_of(as_of: date) -> int:
    """``SEQUENCE`` of every event in an export for ``as_of``: the date's day
    number (days since 1 January 1970), so a later export supersedes an earlier
    one. Dates before 1970 give 0.

    ```python
    >>> sequence_of(date(2026, 3, 1))
    20513

    ```
    """
    return max(0, (as_of - _EPOCH).days)


_REMINDER = re.compile(r"^\s*(\d{1,4})\s*([wdhm])\s*$")
_UNITS = {"w": "weeks", "d": "days", "h": "hours", "m": "minutes"}


def parse_reminders(text: str) -> tuple[timedelta, ...]:
    """Reminders written as ``7d,1d`` (also ``2w``, ``12h``, ``30m``), longest first.

    ```python
    >>> parse_reminders("1d,7d")
    (datetime.timedelta(days=7), datetime.timedelta(days=1))

    ```

    Raises:
        InvalidArgument: an item is not a positive number followed by w, d, h or m.
    """
    out: set[timedelta] = set()
    for part in text.split(","):
        m = _REMINDER.match(part)
        if m is None or int(m.group(1)) == 0:
            raise InvalidArgument(
                "reminders: give positive amounts such as 7d,1d (w weeks, d days, h hours, "
                "m minutes)"
            )
        out.add(timedelta(**{_UNITS[m.group(2)]: int(m.group(1))}))
    return tuple(sorted(out, reverse=True))


def to_ics(
    events: Iterable[CalendarEvent],
    *,
    name: str,
    as_of: date,
    refresh: timedelta | None = None,
) -> bytes:
    """An RFC 5545 calendar of all-day events (see the module's notes on updates).

    ``as_of`` fills ``DTSTAMP``, ``LAST-MODIFIED`` and ``SEQUENCE``; the library
    reads no clock, so the output is reproducible for the same input. Events are
    written in the order of their day, then UID, so re-ordering the input does
    not change the file. ``refresh`` (e.g. one day) is how often a calendar that
    subscribes to the file should fetch it again (``REFRESH-INTERVAL``, RFC 7986,
    and Outlook's ``X-PUBLISHED-TTL``).

    Raises:
        MissingExtra: the ``icalendar`` package is not installed.
        InvalidArgument: two events share a UID.
    """
    try:
        import icalendar
    except ImportError:  # pragma: no cover - depends on the environment
        raise MissingExtra("iCalendar output", "ical") from None
    cal = icalendar.Calendar()
    cal.add("prodid", _PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    if refresh is not None:
        if refresh <= timedelta(0):
            raise InvalidArgument("to_ics: refresh must be a positive duration")
        cal.add("refresh-interval", refresh, parameters={"VALUE": "DURATION"})
        cal.add("x-published-ttl", icalendar.vDuration(refresh))
    stamp = datetime(as_of.year, as_of.month, as_of.day, tzinfo=UTC)
    sequence = sequence_of(as_of)
    seen: set[str] = set()
    for e in sorted(events, key=lambda e: (e.day, e.uid)):
        if e.uid in seen:
            raise InvalidArgument("to_ics: two events share a UID (give each case a "
                                  "distinct reference)")
        seen.add(e.uid)
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", stamp)
        event.add("sequence", sequence)
        event.add("dtstart", e.day)
        if e.day < date.max:  # else one day by default (RFC 5545 3.6.1)
            event.add("dtend", e.day + timedelta(days=1))
        event.add("summary", e.summary)
        if e.description:
            event.add("description", e.description)
        if e.url:
            event.add("url", e.url)
        if e.categories:
            event.add("categories", list(e.categories))
        event.add("transp", "TRANSPARENT")
        event.add("status", "CANCELLED" if e.cancelled else "CONFIRMED")
        for before in e.reminders if not e.cancelled else ():
            alarm = icalendar.Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", e.summary)
            alarm.add("trigger", -before)  # a duration before the start: -P7D
            event.add_component(alarm)
        cal.add_component(event)
    data: bytes = cal.to_ical()
    return data


def _case_identity(reference: str | None, index: int) -> str:
    return f"ref:{reference}" if reference is not None else f"position:{index}"


def upcoming_events(
    items: Iterable[UpcomingDate], *, reminders: Iterable[timedelta] = ()
) -> list[CalendarEvent]:
    """One event per date of :func:`sendflow.upcoming`, titled with the case
    reference and the rule's title. Reminders go on open dates only; a date
    not applicable is cancelled.

    The instance of a date is its :attr:`~sendflow.UpcomingDate.instance`
    (which occurrence of the rule, for the same key, within the case), so the
    UID does not depend on where the case is in the file.
    """
    from sendflow.compliance import Status
    from sendflow.upcoming import is_open

    alarms = tuple(reminders)
    out = []
    for u in items:
        ident = _case_identity(u.reference, u.case_index)
        ref = u.reference or f"case {u.case_index + 1}"
        open_ = is_open(u.status, u.met_on)
        cites = "; ".join(f"{c.title} {c.provision} <{c.href}>" for c in u.citations)
        out.append(
            CalendarEvent(
                uid=event_uid(ident, u.rule_id, f"{u.key or ''}#{u.instance}"),
                day=u.due,
                summary=f"{ref}: {u.title}" + ("" if open_ else f" [{u.status.value}]"),
                description=f"{u.rule_id}{f' [{u.key}]' if u.key else ''} — status "
                f"{u.status.value}"
                + (f", met {u.met_on.isoformat()}" if u.met_on else "")
                + f". {cites}",
                url=u.citations[0].href if u.citations else None,
                categories=(u.legal_status.value,),
                cancelled=u.status is Status.NOT_APPLICABLE,
                reminders=alarms if open_ else (),
            )
        )
    return out


def worklist_events(
    worklist: Worklist, *, reminders: Iterable[timedelta] = ()
) -> list[CalendarEvent]:
    """A feed of a whole worklist (:func:`sendflow.worklist`): one event per open
    duty on its due date, titled with the case reference, the duty and who must
    act (also the event's category), with the last working day to act and the
    citation in its notes. Findings (e.g. consent not recorded) have no date
    and are not events. The UID is the one :func:`upcoming_events` gives the
    same date, so either export updates the other's events."""
    alarms = tuple(reminders)
    out = []
    for item in worklist.items:
        ident = _case_identity(item.reference, item.case_index)
        ref = item.reference or f"case {item.case_index + 1}"
        act = "" if item.act_by == item.due else f"; act by {item.act_by.isoformat()}"
        out.append(
            CalendarEvent(
                uid=event_uid(ident, item.rule_id, f"{item.key or ''}#{item.instance}"),
                day=item.due,
                summary=f"{ref}: {item.title} — {item.party.label}",
                description=f"{item.rule_id}{f' [{item.key}]' if item.key else ''}: "
                f"{item.status.value}{act}. {item.citation_text()}",
                url=item.citations[0].href if item.citations else None,
                categories=(item.party.label,),
                reminders=alarms,
            )
        )
    return out


def timeline_events(
    timeline: Timeline, *, reminders: Iterable[timedelta] = ()
) -> list[CalendarEvent]:
    """The steps of an assessment timeline (:func:`sendflow.plan_timeline`), keyed
    by the request date and the step, so a re-export updates them."""
    seed = f"timeline:{timeline.request_received.isoformat()}"
    alarms = tuple(reminders)
    return [
        CalendarEvent(
            uid=event_uid(seed, "timeline", s.key),
            day=s.on,
            summary=("Due: " if s.kind == "statutory" else "Latest: ") + s.label,
            description="; ".join(f"{c.title} {c.provision} {c.href}" for c in s.citations)
            or (s.note or "planning date derived by sendflow"),
            reminders=alarms,
        )
        for s in timeline.steps
    ]
