"""The base of every event, and the events every process shares."""

from __future__ import annotations

from datetime import date
from typing import ClassVar, Literal

from pydantic import Field, model_validator

from sendflow._base import SendflowModel
from sendflow.rules._model import ExceptionGround

__all__ = ["BaseEvent", "ExceptionRecorded"]


class BaseEvent(SendflowModel):
    """A dated fact in a case's history.

    Every event has a ``type`` (its snake_case, past-tense name, which
    discriminates the event union) and an ``on`` date. Subclasses add their
    own fields; every field beyond those the public contract pins is optional.
    """

    type: str
    on: date = Field(description="The day the fact happened (ISO 8601 date).")
    reference: str | None = Field(
        default=None,
        max_length=100,
        description="Your system's reference for this event (not personal data).",
    )

    #: Whether the event may carry a date earlier than the previous event's
    #: (true for facts about periods, recorded after they began).
    retrospective: ClassVar[bool] = False

    @property
    def start_date(self) -> date:
        """The date this event starts a clock from (``on`` unless overridden)."""
        return self.on


class ExceptionRecorded(BaseEvent):
    """Circumstances the regulations allow to disapply a time limit.

    ``on`` is the day the circumstances began and ``until`` the last day
    (absent while they continue). ``rules`` optionally limits the exception to
    named rule ids; otherwise it is considered for every rule whose own
    regulation lists the ground. Recording an exception never moves a
    deadline: a deadline it makes impractical is reported as *disapplied*.

    ```python
    >>> ExceptionRecorded(on=date(2026, 7, 22), until=date(2026, 9, 2),
    ...                   ground="school_closure").duration_days()
    43

    ```
    """

    type: Literal["exception_recorded"] = "exception_recorded"
    ground: ExceptionGround
    until: date | None = Field(default=None, description="Last day of the circumstances.")
    rules: tuple[str, ...] = Field(
        default=(), description="Rule ids the exception is asserted against (empty: all)."
    )

    retrospective: ClassVar[bool] = True

    @model_validator(mode="after")
    def _check_until(self) -> ExceptionRecorded:
        if self.until is not None and self.until < self.on:
            raise ValueError("'until' is before 'on'")
        return self

    def duration_days(self, as_of: date | None = None) -> int | None:
        """Days from ``on`` to ``until`` inclusive (to ``as_of`` while continuing)."""
        end = self.until if self.until is not None else as_of
        if end is None:
            return None
        return (end - self.on).days + 1
