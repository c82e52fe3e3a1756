"""Caseload planning: every statutory date falling in a window, across many cases.

:func:`upcoming` evaluates each case (:func:`sendflow.evaluate`) and keeps the
deadlines whose due date falls in the window, so it always agrees with the
compliance report: the same rules, the same arithmetic, the same statuses.

```python
>>> from datetime import date
>>> from sendflow import Case
>>> case = Case.model_validate({"reference": "C-1", "events": [
...     {"type": "final_plan_issued", "on": "2025-03-20"},
...     {"type": "phase_transfer_scheduled", "on": "2025-10-01",
...      "transfer_date": "2026-09-01", "kind": "primary_to_secondary"}]})
>>> for u in upcoming([case], between=(date(2026, 1, 1), date(2026, 3, 31)),
...                   as_of=date(2026, 1, 1)):
...     print(u.due, u.rule_id, u.status.value)
2026-02-14 transfer.phase pending
2026-03-19 review.annual pending

```
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import Field

from sendflow._base import SendflowModel
from sendflow.case import Case
from sendflow.compliance import Status, evaluate
from sendflow.errors import InvalidArgument
from sendflow.rules import Citation, LegalStatus

__all__ = ["UpcomingDate", "case_dates", "is_open", "sort_key", "upcoming"]


class UpcomingDate(SendflowModel):
    """One statutory date of one case, as listed by :func:`upcoming`."""

    case_index: int = Field(description="Position of the case in the input (0-based).")
    reference: str | None = Field(default=None, description="The case's own reference.")
    rule_id: str
    title: str
    key: str | None = None
    instance: int = Field(
        default=1,
        description="Which occurrence of this rule (for the same key) within the case, "
        "from 1 in the case's own order: with the reference it identifies the date "
        "whatever the order of the input (calendar UIDs).",
    )
    due: date
    status: Status
    met_on: date | None = None
    legal_status: LegalStatus
    citations: tuple[Citation, ...]
    note: str | None = None

    def citation_text(self) -> str:
        """The citations joined for display."""
        return "; ".join(f"{c.title} {c.provision}" for c in self.citations)


#: The statuses of a duty still to be done: pending, overdue, or disapplied by
#: a recorded exception (the duty is then to act as soon as practicable).
_OPEN = frozenset({Status.PENDING, Status.OVERDUE, Status.DISAPPLIED})


def is_open(status: Status, met_on: date | None) -> bool:
    """Whether a deadline is still to be met: not met (on time or late) and still
    owed. ``not_recorded`` is not open (the source system cannot say whether it
    was done) and ``not_applicable`` is not owed.

    ```python
    >>> is_open(Status.OVERDUE, None), is_open(Status.MISSED, date(2026, 3, 2))
    (True, False)

    ```
    """
    return met_on is None and status in _OPEN


def _check_window(between: tuple[date, date], as_of: date | None) -> tuple[date, date, date]:
    try:
        start, end = between
    except (TypeError, ValueError):
        raise InvalidArgument("upcoming: between must be two dates (start, end)") from None
    if not isinstance(start, date) or not isinstance(end, date):
        raise InvalidArgument("upcoming: between must be two dates (start, end)")
    if start > end:
        raise InvalidArgument("upcoming: the window's start is after its end")
    if as_of is None:
        raise InvalidArgument(
            "upcoming: give as_of, the date statuses speak for (sendflow reads no clock)"
        )
    return start, end, as_of


def case_dates(
    case: Case,
    between: tuple[date, date],
    *,
    as_of: date,
    index: int = 0,
    holidays: Any = None,
    open_only: bool = False,
    rules: Iterable[str] | None = None,
    recorded: str | Iterable[str] | None = None,
) -> list[UpcomingDate]:
    """The dates of one case that :func:`upcoming` would list, in the case's own
    order (not sorted). ``index`` fills :attr:`UpcomingDate.case_index`.

    For a caller that reads cases one at a time and must handle a case that
    cannot be evaluated itself (as the ``upcoming`` command does, counting it as
    a bad line and going on).
    """
    start, end, when = _check_window(between, as_of)
    report = evaluate(case, as_of=when, holidays=holidays, rules=rules, recorded=recorded)
    out: list[UpcomingDate] = []
    seen: dict[tuple[str, str | None], int] = {}
    for d in report.deadlines:
        instance = seen[(d.rule_id, d.key)] = seen.get((d.rule_id, d.key), 0) + 1
        if d.due is None or not start <= d.due <= end:
            continue
        if open_only and not is_open(d.status, d.met_on):
            continue
        out.append(
            UpcomingDate(
                case_index=index,
                reference=case.reference,
                rule_id=d.rule_id,
                title=d.title,
                key=d.key,
                instance=instance,
                due=d.due,
                status=d.status,
                met_on=d.met_on,
                legal_status=d.legal_status,
                citations=d.citations,
                note=d.note,
            )
        )
    return out


def sort_key(u: UpcomingDate) -> tuple[date, int, str, str]:
    """The order :func:`upcoming` returns: due date, case position, rule id, key."""
    return (u.due, u.case_index, u.rule_id, u.key or "")


def upcoming(
    cases: Iterable[Case],
    between: tuple[date, date],
    *,
    as_of: date | None = None,
    holidays: Any = None,
    include_met: bool = True,
    open_only: bool | None = None,
    rules: Iterable[str] | None = None,
    recorded: str | Iterable[str] | None = None,
) -> list[UpcomingDate]:
    """Every deadline of every case whose due date falls in ``between`` (inclusive).

    Args:
        cases: the caseload (any iterable of :class:`~sendflow.Case`; read once,
            one case at a time, so a generator over a large file is never held
            whole: memory grows with the dates listed, not with the cases).
        between: ``(start, end)``, both days included.
        as_of: the date statuses speak for. Give it: sendflow reads no clock,
            and a window's start is not "today" (a review due a month before
            today would show as pending). Left out, statuses are judged as of
            the window's start, as in earlier releases, with a
            ``DeprecationWarning``; a later release will require it. The
            ``upcoming`` command defaults it to today's date.
        holidays: a bank-holiday calendar for working-day rules.
        include_met: keep deadlines already met or not applicable (default True,
            so the result equals filtering every deadline by date).
        open_only: only deadlines still to be met (see :func:`is_open`): pending,
            overdue or disapplied and not done. Deadlines met late (``missed``),
            met, not applicable or ``not_recorded`` are left out. ``open_only=True``
            is the same as ``include_met=False``.
        rules: only these rule ids or prefixes, as in :func:`~sendflow.evaluate`.
        recorded: the event types the source system records (a profile of
            :mod:`sendflow.recording` or type names), as in :func:`~sendflow.evaluate`:
            a date met by an unrecorded event is ``not_recorded``, never overdue.

    Returns:
        Sorted by due date, then case position, rule id and key.

    Raises:
        InvalidArgument: ``start`` is after ``end``, or a bound is not a date.

    ```python
    >>> upcoming([], between=(date(2026, 1, 1), date(2026, 12, 31)), as_of=date(2026, 1, 1))
    []

    ```
    """
    if as_of is None:
        # design.md promises upcoming(cases, between=...) without as_of: keep that call
        # working for one release, loudly, instead of breaking it.
        as_of = _check_window(between, date.min)[0]
        warnings.warn(
            "upcoming: as_of was not given, so statuses are judged as of the window's start; "
            "pass as_of (a later release will require it)",
            DeprecationWarning,
            stacklevel=2,
        )
    _check_window(between, as_of)
    only_open = (not include_met) if open_only is None else open_only
    out: list[UpcomingDate] = []
    for index, case in enumerate(cases):
        out.extend(case_dates(case, between, as_of=as_of, index=index, holidays=holidays,
                              open_only=only_open, rules=rules, recorded=recorded))
    out.sort(key=sort_key)
    return out
