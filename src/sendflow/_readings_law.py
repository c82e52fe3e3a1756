"""The arithmetic of the legal corrections and readings of issue 15, as plain functions.

Evaluators call these so that each piece of the law's wording has one home:

- :func:`day_of_move_due`: regs 15(2) and 15(7), "on the day of the move or, where it
  has not become aware of the move at least 15 working days prior to that move,
  within 15 working days beginning with the day on which it did become aware";
- :func:`notice_due`: "at least N before" an event, under the reading
  ``notice.at_least``;
- :data:`DECISION_NOTICES` and :func:`completes_review`: what completes a review
  under the reading ``review.completed_by``.

Every period comes from the rule data (a :class:`~sendflow.rules.Period`); nothing
here holds a statutory number.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, NamedTuple

from sendflow import calendar
from sendflow.rules._model import Counting, Period, PeriodUnit

if TYPE_CHECKING:
    from sendflow.calendar import BankHolidayCalendar

__all__ = [
    "DECISION_NOTICES",
    "READINGS_CODE",
    "ReadingCode",
    "completes_review",
    "day_of_move_due",
    "notice_due",
]


class ReadingCode(NamedTuple):
    """What the code does with one reading of ``rules/readings.toml``."""

    #: The choices the code implements (each one the data must offer, and no other).
    choices: frozenset[str]
    #: The evaluators that read the reading (``ctx.reading(id)``): every version of
    #: every rule the reading names must use one of them.
    evaluators: frozenset[str]


#: The join between ``rules/readings.toml`` and the code, by reading id: checked when
#: the readings load (:mod:`sendflow.rules._readings`), so a reading, choice or rule
#: the code does not honour is a RuleDataError, never a choice silently ignored.
READINGS_CODE: Mapping[str, ReadingCode] = MappingProxyType({
    "review.completed_by": ReadingCode(
        choices=frozenset({"decision", "meeting"}),  # completes_review
        evaluators=frozenset({"review_annual", "review_after_reassessment", "la_transfer_review"}),
    ),
    "notice.at_least": ReadingCode(
        choices=frozenset({"event_day_excluded", "clear_days"}),  # notice_due
        evaluators=frozenset({"before_anchor"}),
    ),
})

#: The LA's notice of its decision after a review meeting (reg. 20(10), 21(9)): the
#: decision itself, or the notice that carries it (proposed amendments, with the
#: decision to amend, as *Devon* requires; a notice of the decision to cease).
DECISION_NOTICES = frozenset({"review_decision", "amendment_notice_sent", "cease_notice_sent"})


def completes_review(event_type: str, *, reading: str, meeting_since_last: bool) -> bool:
    """Whether an event completes a review of the plan under ``review.completed_by``.

    ``decision``: the LA's decision notice after the review (a ``review_decision``
    always; an amendment or cease notice only when a review meeting has been held
    since the last review was completed, since either may also be sent outside a
    review). ``meeting``: the review meeting.

    ```python
    >>> completes_review("review_decision", reading="decision", meeting_since_last=False)
    True
    >>> completes_review("amendment_notice_sent", reading="decision", meeting_since_last=False)
    False
    >>> completes_review("review_meeting_held", reading="meeting", meeting_since_last=False)
    True

    ```
    """
    if reading == "meeting":
        return event_type == "review_meeting_held"
    if event_type == "review_decision":
        return True
    return meeting_since_last and event_type in DECISION_NOTICES


def day_of_move_due(
    move: date,
    aware: date | None,
    period: Period,
    *,
    holidays: BankHolidayCalendar | None = None,
) -> tuple[date, date, str]:
    """Regs 15(2), 15(7): ``(due, start, note)`` for a move on ``move`` that the old
    body learnt of on ``aware``; ``period`` is the late-learning limb (15 working days
    beginning with the day it became aware).

    The limit is the day of the move unless the body learnt of it less than the period
    before; then, and also when it learnt only after the move, the period counted from
    the day it learnt.

    ```python
    >>> p = Period(amount=15, unit="working_days", counting="beginning_with")
    >>> day_of_move_due(date(2026, 4, 10), date(2026, 4, 20), p)[0]  # learnt 10 days late
    datetime.date(2026, 5, 11)
    >>> day_of_move_due(date(2026, 4, 10), date(2026, 1, 5), p)[0]   # learnt in good time
    datetime.date(2026, 4, 10)

    ```
    """
    from sendflow.compliance import format_date  # at call time: compliance imports evaluators

    if aware is None:
        return move, move, f"Due on the day of the move, {format_date(move)}."
    end = period.due(aware, holidays=holidays)
    if aware > move:
        return end, aware, (
            f"Learnt of the move on {format_date(aware)}, only after it happened (on "
            f"{format_date(move)}): {period.describe()} that day end {format_date(end)}."
        )
    if end >= move:
        return end, aware, (
            f"Learnt of the move on {format_date(aware)}, less than {period.amount} "
            f"{period.unit.value.replace('_', ' ')} before it: {period.describe()} that day "
            f"end {format_date(end)}."
        )
    return move, move, f"Due on the day of the move, {format_date(move)}."


def notice_due(
    period: Period,
    anchor: date,
    *,
    reading: str,
    holidays: BankHolidayCalendar | None = None,
) -> date:
    """The last day to give notice "at least" ``period`` before ``anchor``.

    ``event_day_excluded`` (the default reading of ``notice.at_least``): only the
    event's day is left out. ``clear_days``: the day of the notice is left out too,
    so the notice is due one day (or one working day) earlier.

    ```python
    >>> two_weeks = Period(amount=2, unit="weeks", counting="at_least_before")
    >>> notice_due(two_weeks, date(2026, 10, 15), reading="event_day_excluded")
    datetime.date(2026, 10, 1)
    >>> notice_due(two_weeks, date(2026, 10, 15), reading="clear_days")
    datetime.date(2026, 9, 30)

    ```
    """
    due = period.due(anchor, holidays=holidays)
    if reading != "clear_days" or period.counting is not Counting.AT_LEAST_BEFORE:
        return due
    if period.unit is PeriodUnit.WORKING_DAYS:
        return calendar.add_working_days(due, -1, holidays=holidays)
    return calendar.add_days(due, -1)
