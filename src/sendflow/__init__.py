"""sendflow: England's SEND statutory processes as validated models, state
machines and cited, effective-dated rules.

```python
>>> from datetime import date
>>> import sendflow
>>> case = sendflow.Case.model_validate({"events": [
...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
>>> report = sendflow.evaluate(case, as_of=date(2026, 1, 20))
>>> report.deadline("assessment.final_plan").due
datetime.date(2026, 5, 25)

```
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from sendflow import calendar, identifiers, recording, rules
from sendflow._base import SafeModel, SafeTypeAdapter, redact_validation_error
from sendflow._version import __version__
from sendflow.appeals import AppealDeadline, appeal_deadline, explain_appeal_deadline
from sendflow.case import Case, Event, parse_event
from sendflow.compliance import (
    ComplianceReport,
    Deadline,
    Finding,
    Status,
    evaluate,
    evaluate_many,
)
from sendflow.errors import (
    CalendarError,
    InvalidArgument,
    InvalidEvent,
    InvalidIdentifier,
    InvalidTransition,
    MissingExtra,
    RuleDataError,
    RuleNotFound,
    SendflowError,
)
from sendflow.identifiers import LAESTAB, ULN, UPN, URN, LACode, NHSNumber
from sendflow.lifecycle import phase_transfer_due, plan_latest_end, transfer_kind_for
from sendflow.needs import AreaOfNeed, Need, NeedsProfile, NeedType
from sendflow.partners import AdviceKind
from sendflow.people import (
    ChildOrYoungPerson,
    Ethnicity,
    ParentOrCarer,
    Relationship,
    Sex,
    UPNUnknown,
)
from sendflow.plan import EHCPlan
from sendflow.planning import Timeline, TimelineStep, plan_timeline
from sendflow.rules import Citation, Rule
from sendflow.support import SupportRecord
from sendflow.upcoming import UpcomingDate, upcoming
from sendflow.workflows import ExceptionRecorded
from sendflow.workflows.review import TransferKind
from sendflow.worklist import Party, WorkItem, Worklist, worklist

if TYPE_CHECKING:
    from sendflow import sen2 as sen2
    from sendflow import tabular as tabular
    from sendflow import testing as testing

__all__ = [
    "LAESTAB",
    "ULN",
    "UPN",
    "URN",
    "AdviceKind",
    "AppealDeadline",
    "AreaOfNeed",
    "CalendarError",
    "Case",
    "ChildOrYoungPerson",
    "Citation",
    "ComplianceReport",
    "Deadline",
    "EHCPlan",
    "Ethnicity",
    "Event",
    "ExceptionRecorded",
    "Finding",
    "InvalidArgument",
    "InvalidEvent",
    "InvalidIdentifier",
    "InvalidTransition",
    "LACode",
    "MissingExtra",
    "NHSNumber",
    "Need",
    "NeedType",
    "NeedsProfile",
    "ParentOrCarer",
    "Party",
    "Relationship",
    "Rule",
    "RuleDataError",
    "RuleNotFound",
    "SafeModel",
    "SafeTypeAdapter",
    "SendflowError",
    "Sex",
    "Status",
    "SupportRecord",
    "Timeline",
    "TimelineStep",
    "TransferKind",
    "UPNUnknown",
    "UpcomingDate",
    "WorkItem",
    "Worklist",
    "__version__",
    "appeal_deadline",
    "calendar",
    "evaluate",
    "evaluate_many",
    "explain_appeal_deadline",
    "identifiers",
    "parse_event",
    "phase_transfer_due",
    "plan_latest_end",
    "plan_timeline",
    "recording",
    "redact_validation_error",
    "rules",
    "sen2",
    "tabular",
    "testing",
    "transfer_kind_for",
    "upcoming",
    "worklist",
]

_LAZY_MODULES = {"testing": "sendflow.testing", "sen2": "sendflow.sen2",
                 "tabular": "sendflow.tabular"}


def __getattr__(name: str) -> Any:
    """Load optional parts (``sendflow.testing`` needs hypothesis) on first use."""
    if name in _LAZY_MODULES:
        module = importlib.import_module(_LAZY_MODULES[name])
        globals()[name] = module
        return module
    raise AttributeError(f"module 'sendflow' has no attribute {name!r}")
