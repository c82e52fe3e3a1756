"""iCalendar exports that update rather than duplicate (issue 18 point 3)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

icalendar = pytest.importorskip("icalendar")

from sendflow import Case  # noqa: E402
from sendflow._cli import main  # noqa: E402
from sendflow.errors import InvalidArgument  # noqa: E402
from sendflow.export.ical import (  # noqa: E402
    CalendarEvent,
    event_uid,
    parse_reminders,
    sequence_of,
    to_ics,
    upcoming_events,
)
from sendflow.upcoming import upcoming  # noqa: E402

CASES = [
    {"reference": "C-1", "events": [
        {"type": "final_plan_issued", "on": "2025-03-20"},
        {"type": "phase_transfer_scheduled", "on": "2025-10-01", "transfer_date": "2026-09-01",
         "kind": "primary_to_secondary"}]},
    {"reference": "C-2", "events": [
        {"type": "final_plan_issued", "on": "2024-02-29"},
        {"type": "review_meeting_held", "on": "2025-02-20"},
        {"type": "review_decision", "on": "2025-02-20", "outcome": "maintain"}]},
    {"reference": "C-3", "events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-20", "outcome": "assess"},
        {"type": "advice_requested", "on": "2026-02-23", "adviser": "psychological"},
        {"type": "advice_requested", "on": "2026-02-23", "adviser": "medical"}]},
]
WINDOW = ["--from", "2026-01-01", "--to", "2026-12-31"]


def _events(data: bytes) -> dict[str, icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return {str(e["uid"]): e for e in cal.walk("VEVENT")}


def _export(tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes], cases: list[object],
            *extra: str) -> bytes:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in cases) + "\n", encoding="utf-8")
    assert main(["upcoming", str(path), *WINDOW, "--format", "ics", *extra]) == 0
    return capsysbinary.readouterr().out


def test_uids_do_not_depend_on_the_order_of_the_file(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    forward = _export(tmp_path, capsysbinary, CASES, "--as-of", "2026-03-01")
    backward = _export(tmp_path, capsysbinary, CASES[::-1], "--as-of", "2026-03-01")
    # The same file, byte for byte: events are written by day and UID.
    assert forward == backward
    events = _events(forward)
    assert len(events) == len(set(events)) > 5
    # The UID is a digest: no reference appears in it.
    assert not any("C-" in uid for uid in events)


def test_reimport_for_a_later_date_updates_the_same_events(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    first = _events(_export(tmp_path, capsysbinary, CASES, "--as-of", "2026-03-01"))
    # A week later the medical advice has arrived: the same dates, one now met.
    later_cases = json.loads(json.dumps(CASES))
    later_cases[2]["events"].append(
        {"type": "advice_received", "on": "2026-03-05", "adviser": "medical"})
    second = _events(_export(tmp_path, capsysbinary, later_cases, "--as-of", "2026-03-08"))
    assert set(first) == set(second)
    for uid, event in second.items():
        assert event["sequence"] > first[uid]["sequence"]  # supersedes the first import
        assert event["last-modified"].dt.date() == date(2026, 3, 8)
    met = [e for e in second.values() if "[met]" in str(e["summary"])]
    assert len(met) == 1 and "C-3" in str(met[0]["summary"])


def test_sequence_is_the_as_of_day_number() -> None:
    # 1 Mar 2026 is 20,513 days after 1 Jan 1970 (56 years with 14 leap days:
    # 56 * 365 + 14 = 20,454, then 31 + 28 days of 2026).
    assert sequence_of(date(2026, 3, 1)) == 56 * 365 + 14 + 31 + 28
    assert sequence_of(date(1969, 12, 31)) == 0


def test_uid_comes_from_reference_rule_and_instance_only() -> None:
    assert event_uid("C-1", "review.annual", "#1") == event_uid("C-1", "review.annual", "#1")
    assert len({event_uid("C-1", "review.annual", "#1"), event_uid("C-1", "review.annual", "#2"),
                event_uid("C-2", "review.annual", "#1"),
                event_uid("C-1", "transfer.phase", "#1")}) == 4
    # Separators cannot be forged by a reference holding one.
    assert event_uid("a|b", "c", "d") != event_uid("a", "b|c", "d")


def test_each_annual_review_is_its_own_instance() -> None:
    # C-2's plan was made on 29 Feb 2024: the first review falls due within 12
    # months beginning with that day, so by 28 Feb 2025 (there is no 29 Feb
    # 2025); it was reviewed on 20 Feb 2025, so the next is due 19 Feb 2026
    # (s. 44(1)). Two instances of one rule and key: two UIDs.
    case = Case.model_validate(CASES[1])
    items = upcoming([case], between=(date(2025, 1, 1), date(2026, 12, 31)),
                     as_of=date(2026, 1, 1), rules=["review.annual"])
    assert [(u.due, u.instance) for u in items] == [(date(2025, 2, 28), 1),
                                                    (date(2026, 2, 19), 2)]
    uids = {e.uid for e in upcoming_events(items)}
    assert len(uids) == 2


def test_reminders_are_valarms_on_open_dates(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = _export(tmp_path, capsysbinary, CASES, "--as-of", "2026-03-01", "--remind", "1d,7d")
    for event in _events(data).values():
        alarms = [c for c in event.subcomponents if c.name == "VALARM"]
        if "[" in str(event["summary"]):  # met or not applicable: no reminder
            assert alarms == []
        else:
            assert [a["trigger"].dt for a in alarms] == [timedelta(days=-7), timedelta(days=-1)]
            assert {str(a["action"]) for a in alarms} == {"DISPLAY"}


@pytest.mark.parametrize("text", ["", "7", "0d", "-1d", "7y", "1d,,2d"])
def test_malformed_reminders(text: str) -> None:
    with pytest.raises(InvalidArgument, match="reminders"):
        parse_reminders(text)


def test_remind_needs_ics_and_a_valid_list(tmp_path: Path) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(CASES[0]) + "\n")
    assert main(["upcoming", str(path), *WINDOW, "--remind", "7d"]) == 2
    assert main(["upcoming", str(path), *WINDOW, "--format", "ics", "--remind", "soon"]) == 2


def test_reminder_durations_and_units() -> None:
    assert parse_reminders("2w, 12h,30m") == (
        timedelta(weeks=2), timedelta(hours=12), timedelta(minutes=30))
    event = CalendarEvent(uid="x@sendflow", day=date(2026, 5, 1), summary="s",
                          reminders=parse_reminders("1d,12h,90m"))
    cal = icalendar.Calendar.from_ical(to_ics([event], name="n", as_of=date(2026, 4, 1)))
    (parsed,) = cal.walk("VEVENT")
    assert [a["trigger"].dt for a in parsed.subcomponents] == [
        timedelta(days=-1), timedelta(hours=-12), timedelta(minutes=-90)]


def test_the_last_day_of_the_calendar_is_one_all_day_event() -> None:
    # No DTEND past 9999-12-31: an all-day DTSTART alone lasts one day (RFC 5545 3.6.1).
    event = CalendarEvent(uid="end@sendflow", day=date(9999, 12, 31), summary="end")
    (parsed,) = icalendar.Calendar.from_ical(
        to_ics([event], name="n", as_of=date(2026, 1, 1))).walk("VEVENT")
    assert parsed["dtstart"].dt == date(9999, 12, 31) and "dtend" not in parsed


def test_duplicate_uids_are_refused() -> None:
    e = CalendarEvent(uid="same@sendflow", day=date(2026, 1, 5), summary="a")
    with pytest.raises(InvalidArgument, match="share a UID"):
        to_ics([e, e], name="n", as_of=date(2026, 1, 1))


def test_a_reminder_must_come_before_the_event() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        CalendarEvent(uid="u", day=date(2026, 1, 5), summary="a", reminders=(timedelta(0),))


def test_cases_without_reference_warn(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": CASES[0]["events"]}) + "\n")  # type: ignore[index]
    assert main(["upcoming", str(path), *WINDOW, "--format", "ics", "--as-of", "2026-01-01"]) == 0
    captured = capsysbinary.readouterr()
    assert b"no reference" in captured.err
    assert _events(captured.out)


def test_timeline_ics_uids_follow_the_request_and_step(
    capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert main(["timeline", "--request-received", "2026-01-05", "--format", "ics"]) == 0
    first = _events(capsysbinary.readouterr().out)
    assert main(["timeline", "--request-received", "2026-01-05", "--format", "ics"]) == 0
    assert set(_events(capsysbinary.readouterr().out)) == set(first)
    assert main(["timeline", "--request-received", "2026-01-06", "--format", "ics"]) == 0
    assert not set(_events(capsysbinary.readouterr().out)) & set(first)


def test_timeline_reminders(capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    assert main(["timeline", "--request-received", "2026-01-05", "--format", "ics",
                 "--remind", "3d"]) == 0
    events = _events(capsysbinary.readouterr().out)
    assert events and all(
        [a["trigger"].dt for a in e.subcomponents] == [timedelta(days=-3)]
        for e in events.values())
    assert main(["timeline", "--request-received", "2026-01-05", "--remind", "3d"]) == 2


def test_refresh_interval_for_subscribers(
    tmp_path: Path, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    data = _export(tmp_path, capsysbinary, CASES, "--as-of", "2026-03-01")
    assert b"REFRESH-INTERVAL;VALUE=DURATION:P1D\r\n" in data
    assert b"X-PUBLISHED-TTL:P1D\r\n" in data
    assert b"REFRESH-INTERVAL" not in to_ics([], name="n", as_of=date(2026, 1, 1))
    with pytest.raises(InvalidArgument, match="refresh"):
        to_ics([], name="n", as_of=date(2026, 1, 1), refresh=timedelta(0))
