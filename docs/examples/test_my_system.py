"""Property tests for a (tiny) SEND case system, using sendflow as the oracle.

Copy this file next to your own tests and replace ``CaseSystem`` with your
system's API. Run it with ``pytest``; it needs sendflow's ``testing`` extra.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any

from hypothesis import given, settings

import sendflow
from sendflow.compliance import Status
from sendflow.testing import CaseMachine
from sendflow.testing import strategies as sfs
from sendflow.workflows import BaseEvent


class CaseSystem:
    """Stands in for your system: it stores a pupil and tracks one deadline."""

    def __init__(self) -> None:
        self.upn: str | None = None
        self.decision_due: date | None = None
        self.state = "not_requested"

    def register_pupil(self, upn: str) -> None:
        self.upn = upn.strip().upper()

    def record(self, event: Mapping[str, Any]) -> None:
        on = date.fromisoformat(event["on"])
        if event["type"] in ("request_received", "la_became_responsible"):
            # SEND Regulations 2014 reg. 5(1): a request, or becoming responsible (s. 24)
            self.decision_due = on + timedelta(weeks=6)
        elif event["type"] in ("assessment_decision", "request_withdrawn"):
            self.decision_due = None

    def open_deadlines(self, as_of: date) -> dict[str, date]:
        if self.decision_due is None or as_of > self.decision_due:
            return {}
        return {"assessment.decision": self.decision_due}


# 1. Generated identifiers and people: the system keeps what it is given.
@given(sfs.upns())
def test_system_stores_any_valid_upn(upn: sendflow.UPN) -> None:
    system = CaseSystem()
    system.register_pupil(str(upn).lower())
    assert system.upn == upn


@given(sfs.children(age_between=(0, 25), on=date(2026, 9, 1)))
def test_child_records_survive_json(child: sendflow.ChildOrYoungPerson) -> None:
    text = child.model_dump_json()
    assert sendflow.ChildOrYoungPerson.model_validate_json(text) == child


# 2. Whole histories: on time, and late.
AS_OF = date(2026, 6, 1)


@given(sfs.case_histories(compliant=True, as_of=AS_OF))
def test_no_false_alarms_on_time(case: sendflow.Case) -> None:
    system = CaseSystem()
    for event in case.events:
        system.record(event.model_dump(mode="json"))
    assert all(due >= AS_OF for due in system.open_deadlines(AS_OF).values())


@given(sfs.case_histories(compliant=False, as_of=AS_OF))
def test_late_cases_are_reported_late(case: sendflow.Case) -> None:
    report = sendflow.evaluate(case, as_of=AS_OF)
    assert any(d.status in ("missed", "overdue") for d in report.deadlines)


# 3. A state machine: random valid event sequences, sendflow checks the system.
class CaseSystemMachine(CaseMachine):
    compared_rules = frozenset({"assessment.decision"})
    compared_statuses = frozenset({Status.PENDING})

    def reset_system(self) -> None:
        self.system = CaseSystem()

    def apply_to_system(self, event: BaseEvent) -> None:
        self.system.record(event.model_dump(mode="json"))

    def system_deadlines(self, as_of: date) -> Mapping[str, date] | None:
        return self.system.open_deadlines(as_of)


CaseSystemMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=20)
TestCaseSystem = CaseSystemMachine.TestCase
