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

from collections.abc import Iterable
from datetime import date
from typing import Any

from pydantic import Field

from sendflow._base import SendflowModel
from sendflow.case import Case
from sendflow.compliance import Status, evaluate
from sendflow.errors import InvalidArgument
from sendflow.rules import Citation, LegalStatus

__all__ = ["UpcomingDate", "upcoming"]


class UpcomingDate(SendflowModel):
    """One statutory date of one case, as listed by :func:`upcoming`."""

    case_index: int = Field(description="Position of the case in the input (0-based).")
    reference: str | None = Field(default=None, description="The case's own reference.")
    rule_id: str
    title: str
    key: str | None = None
    due: date
    status: Status
    met_on: date | None = None
    legal_status: LegalStatus
    citations: tuple[Citation, ...]
    note: str | None = None

    def citation_text(self) -> str:
        """The citations joined for display."""
        return "; ".join(f"{c.title} {c.provision}" for c in self.citations)


def upcoming(
    cases: Iterable[Case],
    between: tuple[date, date],
    *,
    as_of: date | None = None,
    holidays: Any = None,
    include_met: bool = True,
    rules: Iterable[str] | None = None,
    recorded: str | Iterable[str] | None = None,
) -> list[UpcomingDate]:
    """Every deadline of every case whose due date falls in ``between`` (inclusive).

    Args:
        cases: the caseload (any iterable of :class:`~sendflow.Case`).
        between: ``(start, end)``, both days included.
        as_of: the date statuses speak for (default: ``start``; no hidden clock).
        holidays: a bank-holiday calendar for working-day rules.
        include_met: keep deadlines already met or not applicable (default True,
            so the result equals filtering every deadline by date).
        rules: only these rule ids or prefixes, as in :func:`~sendflow.evaluate`.
        recorded: the event types the source system records (a profile of
            :mod:`sendflow.recording` or type names), as in :func:`~sendflow.evaluate`:
            a date met by an unrecorded event is ``not_recorded``, never overdue.

    Returns:
        Sorted by due date, then case position, rule id and key.

    Raises:
        ValueError: ``start`` is after ``end``.

    ```python
    >>> upcoming([], between=(date(2026, 1, 1), date(2026, 12, 31)))
    []

    ```
    """
    start, end = between
    if start > end:
        raise InvalidArgument("upcoming: the window's start is after its end")
    when = as_of if as_of is not None else start
    out: list[UpcomingDate] = []
    for index, case in enumerate(cases):
        report = evaluate(case, as_of=when, holidays=holidays, rules=rules, recorded=recorded)
        for d in report.deadlines:
            if d.due is None or not start <= d.due <= end:
                continue
            if not include_met and d.status in (Status.MET, Status.NOT_APPLICABLE):
                continue
            out.append(
                UpcomingDate(
                    case_index=index,
                    reference=case.reference,
                    rule_id=d.rule_id,
                    title=d.title,
                    key=d.key,
                    due=d.due,
                    status=d.status,
                    met_on=d.met_on,
                    legal_status=d.legal_status,
                    citations=d.citations,
                    note=d.note,
                )
            )
    out.sort(key=lambda u: (u.due, u.case_index, u.rule_id, u.key or ""))
    return out
