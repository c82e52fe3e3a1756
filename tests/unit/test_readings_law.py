"""The arithmetic behind the legal corrections and readings, worked by hand."""

from __future__ import annotations

from datetime import date

import pytest

from sendflow._readings_law import completes_review, day_of_move_due, notice_due
from sendflow.rules import Period

FIFTEEN_WD = Period(amount=15, unit="working_days", counting="beginning_with")


@pytest.mark.parametrize(
    ("move", "aware", "due", "start"),
    [
        # timescales.md 5a: move Fri 10 Apr 2026, learnt Mon 20 Apr -> Mon 11 May (4 May skipped)
        (date(2026, 4, 10), date(2026, 4, 20), date(2026, 5, 11), date(2026, 4, 20)),
        # 15(7) twin: learnt Wed 22 Apr -> Wed 13 May
        (date(2026, 4, 10), date(2026, 4, 22), date(2026, 5, 13), date(2026, 4, 22)),
        # timescales.md example 5: learnt Wed 17 Dec 2025, move Mon 5 Jan 2026 -> Fri 9 Jan
        (date(2026, 1, 5), date(2025, 12, 17), date(2026, 1, 9), date(2025, 12, 17)),
        # learnt in good time (more than 15 working days before): the day of the move
        (date(2026, 4, 10), date(2026, 3, 2), date(2026, 4, 10), date(2026, 4, 10)),
        # not recorded: the day of the move
        (date(2026, 4, 10), None, date(2026, 4, 10), date(2026, 4, 10)),
        # learnt on the day of the move: 15 working days beginning with it (Fri 10 Apr ->
        # Fri 10 (1), 13-17 (6), 20-24 (11), 27-30 Apr (15): Thu 30 Apr)
        (date(2026, 4, 10), date(2026, 4, 10), date(2026, 4, 30), date(2026, 4, 10)),
    ],
)
def test_day_of_move(move: date, aware: date | None, due: date, start: date) -> None:
    got_due, got_start, note = day_of_move_due(move, aware, FIFTEEN_WD)
    assert (got_due, got_start) == (due, start)
    assert note


def test_learning_after_the_move_says_so() -> None:
    note = day_of_move_due(date(2026, 4, 10), date(2026, 4, 20), FIFTEEN_WD)[2]
    assert "only after it happened" in note and "Mon 11 May 2026" in note


@pytest.mark.parametrize(
    ("period", "anchor", "default", "clear"),
    [
        # timescales.md example 3: meeting Thu 15 Oct 2026
        (Period(amount=2, unit="weeks", counting="at_least_before"), date(2026, 10, 15),
         date(2026, 10, 1), date(2026, 9, 30)),
        # example 8: mediation Tue 29 Dec 2026, 5 working days: Fri 18 Dec; clear: Thu 17 Dec
        (Period(amount=5, unit="working_days", counting="at_least_before"), date(2026, 12, 29),
         date(2026, 12, 18), date(2026, 12, 17)),
        # a clear working day skips a weekend: mediation Tue 9 Jun 2026 -> Tue 2 Jun; clear Mon 1
        (Period(amount=5, unit="working_days", counting="at_least_before"), date(2026, 6, 9),
         date(2026, 6, 2), date(2026, 6, 1)),
        (Period(amount=5, unit="working_days", counting="at_least_before"), date(2026, 6, 10),
         date(2026, 6, 3), date(2026, 6, 2)),
    ],
)
def test_notice_readings(period: Period, anchor: date, default: date, clear: date) -> None:
    assert notice_due(period, anchor, reading="event_day_excluded") == default
    assert notice_due(period, anchor, reading="clear_days") == clear


def test_clear_days_only_changes_at_least_periods() -> None:
    within = Period(amount=6, unit="weeks")
    assert notice_due(within, date(2026, 1, 5), reading="clear_days") == date(2026, 2, 16)


@pytest.mark.parametrize(
    ("event", "reading", "meeting", "expected"),
    [
        ("review_decision", "decision", False, True),
        ("review_decision", "decision", True, True),
        ("amendment_notice_sent", "decision", True, True),
        ("amendment_notice_sent", "decision", False, False),
        ("cease_notice_sent", "decision", True, True),
        ("review_meeting_held", "decision", False, False),
        ("review_meeting_held", "meeting", False, True),
        ("review_decision", "meeting", True, False),
    ],
)
def test_what_completes_a_review(event: str, reading: str, meeting: bool, expected: bool) -> None:
    assert completes_review(event, reading=reading, meeting_since_last=meeting) is expected
