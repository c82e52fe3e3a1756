"""Compliance: join a case's events, the cited rules and the calendar.

For each rule whose clock a case's events start, compute the due date, look
for the event that satisfies it, apply any recorded exception the rule's own
regulation allows, and classify the deadline. ``as_of`` is always explicit.

Statuses:

``met``            satisfied on or before the due date
``missed``         satisfied after the due date
``overdue``        not satisfied and ``as_of`` is after the due date
``pending``        not satisfied and not yet due
``disapplied``     late or overdue, but an exception the regulation lists applies
``not_applicable`` the case did not take this path (or a right lapsed unused)
``not_recorded``   the source system does not record the event that meets it
                   (``evaluate(..., recorded=...)``): it cannot be judged

```python
>>> from datetime import date
>>> from sendflow import Case, evaluate
>>> case = Case.model_validate({"events": [
...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
>>> report = evaluate(case, as_of=date(2026, 3, 1))
>>> d = report.deadline("assessment.decision")
>>> d.due, d.status
(datetime.date(2026, 2, 16), 'overdue')

```

The engine's modules, one per concern (see the architecture page of the docs):
``_report`` (the report types), ``_context`` (what an evaluator is given, and the
one place a status is decided), ``_build`` (the fast builder, the only module
touching pydantic internals), ``_compiled`` (rules compiled once per rule id),
``_plan`` (the plan cache), ``_standard`` (the standard evaluators),
``evaluators`` (the evaluator table, one module per process) and ``_engine``
(the loop every path shares).
"""

from __future__ import annotations

from sendflow.compliance._context import EvaluationContext, Evaluator
from sendflow.compliance._engine import evaluate, evaluate_many
from sendflow.compliance._report import ComplianceReport, Deadline, Finding, Status, format_date

__all__ = [
    "ComplianceReport",
    "Deadline",
    "EvaluationContext",
    "Evaluator",
    "Finding",
    "Status",
    "evaluate",
    "evaluate_many",
    "format_date",
]
