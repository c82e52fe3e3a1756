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
import sys
import types
from typing import TYPE_CHECKING, Any

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

# Everything else is imported on first use (PEP 562 module ``__getattr__``), so
# ``import sendflow`` and ``sendflow --version`` stay cheap: pydantic, the rule
# data and the workflows load only when a model, a rule or a function is asked
# for. ``from sendflow import X`` works as before. The imports below are for
# type checkers only; :data:`_LAZY` must name the same module for each name
# (tests/test_public_api.py holds the two equal).
if TYPE_CHECKING:
    from sendflow import calendar as calendar
    from sendflow import identifiers as identifiers
    from sendflow import recording as recording
    from sendflow import rules as rules
    from sendflow import sen2 as sen2
    from sendflow import tabular as tabular
    from sendflow import testing as testing
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

_SUBMODULES = frozenset(
    {"calendar", "identifiers", "recording", "rules", "sen2", "tabular", "testing"})

#: Where each lazily imported name lives.
_LAZY: dict[str, str] = {
    "AdviceKind": "sendflow.partners",
    "AppealDeadline": "sendflow.appeals",
    "AreaOfNeed": "sendflow.needs",
    "Case": "sendflow.case",
    "ChildOrYoungPerson": "sendflow.people",
    "Citation": "sendflow.rules",
    "ComplianceReport": "sendflow.compliance",
    "Deadline": "sendflow.compliance",
    "EHCPlan": "sendflow.plan",
    "Ethnicity": "sendflow.people",
    "Event": "sendflow.case",
    "ExceptionRecorded": "sendflow.workflows",
    "Finding": "sendflow.compliance",
    "LACode": "sendflow.identifiers",
    "LAESTAB": "sendflow.identifiers",
    "NHSNumber": "sendflow.identifiers",
    "Need": "sendflow.needs",
    "NeedType": "sendflow.needs",
    "NeedsProfile": "sendflow.needs",
    "ParentOrCarer": "sendflow.people",
    "Party": "sendflow.worklist",
    "Relationship": "sendflow.people",
    "Rule": "sendflow.rules",
    "SafeModel": "sendflow._base",
    "SafeTypeAdapter": "sendflow._base",
    "Sex": "sendflow.people",
    "Status": "sendflow.compliance",
    "SupportRecord": "sendflow.support",
    "Timeline": "sendflow.planning",
    "TimelineStep": "sendflow.planning",
    "TransferKind": "sendflow.workflows.review",
    "ULN": "sendflow.identifiers",
    "UPN": "sendflow.identifiers",
    "UPNUnknown": "sendflow.people",
    "URN": "sendflow.identifiers",
    "UpcomingDate": "sendflow.upcoming",
    "WorkItem": "sendflow.worklist",
    "Worklist": "sendflow.worklist",
    "__version__": "sendflow._version",
    "appeal_deadline": "sendflow.appeals",
    "evaluate": "sendflow.compliance",
    "evaluate_many": "sendflow.compliance",
    "explain_appeal_deadline": "sendflow.appeals",
    "parse_event": "sendflow.case",
    "phase_transfer_due": "sendflow.lifecycle",
    "plan_latest_end": "sendflow.lifecycle",
    "plan_timeline": "sendflow.planning",
    "redact_validation_error": "sendflow._base",
    "transfer_kind_for": "sendflow.lifecycle",
    "upcoming": "sendflow.upcoming",
    "worklist": "sendflow.worklist",
}


def __getattr__(name: str) -> Any:
    """Import a public name, or a submodule, on first use (then it is a plain global)."""
    module_name = _LAZY.get(name)
    if module_name is not None:
        value = getattr(importlib.import_module(module_name), name)
    elif name in _SUBMODULES:
        value = importlib.import_module(f"sendflow.{name}")
    else:
        raise AttributeError(f"module 'sendflow' has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """The package's module type: importing ``sendflow.upcoming`` (the module) must not
    hide ``sendflow.upcoming`` (the function of that name), as the eager
    ``from sendflow.upcoming import upcoming`` used to ensure."""

    def __setattr__(self, name: str, value: Any) -> None:
        if (isinstance(value, types.ModuleType) and _LAZY.get(name) == value.__name__
                and name not in _SUBMODULES):
            value = getattr(value, name)  # the import system binding a submodule
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
