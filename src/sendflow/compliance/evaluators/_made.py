"""Finished deadlines remembered by the lifecycle rules' one-step paths.

A plan whose only event is its first issue (61% of issue 19's caseload) gets the same
``review.annual``, ``review.early_years`` and ``ceasing.age_25`` deadlines as every other
plan issued on that day, or (``ceasing.age_25``) ending on that day, when the report is
for the same date, under the default holiday table and with no exception recorded: a
:class:`~sendflow.compliance.Deadline` is frozen and holds only those values (its
private state is its rule version, which the entry checks by identity). So each
one-step path keeps the deadline it made, keyed by bare dates only, and hands the same
frozen object to the next plan that asks. A deadline's own copy (``model_copy``) copies
its private state, so nothing a report does to its deadlines reaches another report.

Each table is bounded (:data:`SIZE`, emptied when full) and emptied by
:func:`sendflow.compliance._plan.clear_caches`. ``tests/unit/test_lifecycle_made.py``
holds every remembered deadline equal to the plain path's, cold and warm.
"""

from __future__ import annotations

from typing import Any

from sendflow.compliance._report import Deadline

__all__ = ["SIZE", "remember"]

#: The most entries a table holds (about 1.9 KB each, measured with tracemalloc): a
#: caseload evaluated on one date asks for at most one entry per day a plan was issued.
SIZE = 8_192


def remember(table: dict[Any, tuple[object, Deadline]], key: Any, owner: object,
             made: Deadline) -> None:
    """Keep ``made`` under ``key`` for ``owner`` (the history or version it came from)."""
    if len(table) >= SIZE:
        table.clear()
    table[key] = (owner, made)
