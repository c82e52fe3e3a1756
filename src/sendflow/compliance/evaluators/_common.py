"""Helpers the life-of-a-plan evaluators share (review, transfer, la_transfer, ceasing).

Private: the modules of :mod:`sendflow.compliance.evaluators` import them; nothing
else should.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import NamedTuple

from sendflow._readings_law import completes_review
from sendflow.compliance._report import format_date
from sendflow.rules import Rule
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent
from sendflow.workflows._table import has_fields

__all__: list[str] = []


def _fmt(d: date) -> str:
    return format_date(d)


def _is(event: BaseEvent, type_: str, **where: str) -> bool:
    return event.type == type_ and has_fields(event, where.items())


class Outcome(NamedTuple):
    """How an instance ended: the day it was met (None: not met), or whether the case
    left its path first."""

    met_on: date | None
    closed: bool


class PlanEvent(NamedTuple):
    """An event of a case, its position (index), and whether a plan was in force just before it."""

    position: int
    event: BaseEvent
    had_plan: bool


def _next_review(
    events: tuple[BaseEvent, ...],
    index: int,
    closing: tuple[str, ...],
    due: date | None = None,
    reading: str = "meeting",
) -> Outcome:
    """The first completed review after ``index`` (its date, not closed), or ``(None, True)``
    when one of ``closing`` (on or before ``due``, if given) comes first. What completes
    a review is the reading ``review.completed_by`` (:func:`completes_review`)."""
    meeting_since = False
    for later in events[index + 1 :]:
        if completes_review(later.type, reading=reading, meeting_since_last=meeting_since):
            return Outcome(later.on, False)
        if later.type == "review_meeting_held":
            meeting_since = True
        if later.type in closing and (due is None or later.on <= due):
            return Outcome(None, True)
    return Outcome(None, False)


def _plan_periods(events: tuple[BaseEvent, ...]) -> Iterator[PlanEvent]:
    """Each event with its index and whether a plan was in force just before it."""
    has_plan = False
    for i, e in enumerate(events):
        yield PlanEvent(i, e, has_plan)
        if e.type in ("final_plan_issued", "plan_transferred"):
            has_plan = True
        elif e.type == "plan_ceased":
            has_plan = False


def _version(hist: RuleHistory, on: date) -> Rule | None:
    return hist.on(on)
