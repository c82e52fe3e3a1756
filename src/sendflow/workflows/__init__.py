"""The statutory processes, one module each, and how a case combines them.

A case's history runs along a *main line* — the EHC needs assessment
(``sendflow.workflows.assessment``) and then the life of the plan
(reviews, amendments, transfers, ceasing) — while disagreements run beside it
in their own *region*. Each region replays its events through its own
transition table; an event type belongs to the region(s) whose table names it.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from sendflow.workflows._events import BaseEvent, ExceptionRecorded
from sendflow.workflows._table import Transition, WorkflowTable
from sendflow.workflows.assessment import ASSESSMENT, ASSESSMENT_EVENTS
from sendflow.workflows.disagreement import DISAGREEMENT, DISAGREEMENT_EVENTS
from sendflow.workflows.opening import OPENING, OPENING_EVENTS
from sendflow.workflows.review import MOVED_BEFORE_PLAN, REVIEW, REVIEW_EVENTS

__all__ = [
    "EVENT_CLASSES",
    "MAIN",
    "REGIONS",
    "TABLES",
    "BaseEvent",
    "ExceptionRecorded",
    "Transition",
    "WorkflowTable",
]

#: Every process table by name (what ``sendflow diagram <name>`` draws).
TABLES: Mapping[str, WorkflowTable] = MappingProxyType(
    {"assessment": ASSESSMENT, "disagreement": DISAGREEMENT, "review": REVIEW}
)

#: The main line of a case: assessment, then the life of the plan.
MAIN: WorkflowTable = WorkflowTable.compose(
    "case",
    [ASSESSMENT, REVIEW, MOVED_BEFORE_PLAN, OPENING],
    initial=ASSESSMENT.initial,
    final=REVIEW.final,
)

#: The regions a case replays its events through, main line first.
REGIONS: Mapping[str, WorkflowTable] = MappingProxyType(
    {"main": MAIN, "disagreement": DISAGREEMENT}
)

#: Every event class, in the order the event union lists them.
EVENT_CLASSES: tuple[type[BaseEvent], ...] = tuple(
    dict.fromkeys((*ASSESSMENT_EVENTS, *REVIEW_EVENTS, *DISAGREEMENT_EVENTS, *OPENING_EVENTS))
)
