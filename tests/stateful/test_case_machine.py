"""CaseMachine drives a small, independently written case system; sendflow is the oracle.

ToySystem follows the assessment process as SEND Regulations 2014 reg. 4-5 and
13 describe it, written by hand (not from sendflow's table): the decision is
due 6 weeks after the request (reg. 5(1)).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta

import pytest
from hypothesis import settings
from hypothesis.stateful import run_state_machine_as_test

from sendflow.compliance import Status
from sendflow.testing import CaseMachine
from sendflow.workflows import BaseEvent

MOVES = {
    ("not_requested", "request_received"): "awaiting_decision",
    ("not_requested", "la_became_responsible"): "awaiting_decision",
    ("not_requested", "final_plan_issued"): "plan_issued",
    ("awaiting_decision", "assessment_decision:assess"): "assessing",
    ("awaiting_decision", "assessment_decision:refuse"): "assessment_refused",
    ("awaiting_decision", "request_withdrawn"): "withdrawn",
    ("assessment_refused", "request_received"): "awaiting_decision",
    ("assessment_refused", "assessment_decision:assess"): "assessing",
    ("assessing", "no_plan_notice_sent"): "plan_refused",
    ("assessing", "draft_plan_issued"): "draft_issued",
    ("assessing", "request_withdrawn"): "withdrawn",
    ("plan_refused", "request_received"): "awaiting_decision",
    ("plan_refused", "draft_plan_issued"): "draft_issued",
    ("draft_issued", "no_plan_notice_sent"): "plan_refused",
    ("draft_issued", "final_plan_issued"): "plan_issued",
    ("draft_issued", "request_withdrawn"): "withdrawn",
    ("withdrawn", "request_received"): "awaiting_decision",
}


class ToySystem:
    """A caseworker system: a status and the decision due date."""

    def __init__(self, decision_weeks: int = 6) -> None:
        self.status = "not_requested"
        self.decision_due: date | None = None
        self.decision_weeks = decision_weeks

    def record(self, data: Mapping[str, object]) -> None:
        kind = str(data["type"])
        key = f"{kind}:{data['outcome']}" if kind == "assessment_decision" else kind
        self.status = MOVES.get((self.status, key), self.status)
        on = date.fromisoformat(str(data["on"]))
        if kind in ("request_received", "la_became_responsible"):  # reg. 5(1)(a)-(b)
            self.decision_due = on + timedelta(weeks=self.decision_weeks)
        elif kind in ("assessment_decision", "request_withdrawn"):
            self.decision_due = None

    def open_deadlines(self, as_of: date) -> dict[str, date]:
        if self.decision_due is None or as_of > self.decision_due:
            return {}
        return {"assessment.decision": self.decision_due}


class ToyMachine(CaseMachine):
    compared_rules = frozenset({"assessment.decision"})
    compared_statuses = frozenset({Status.PENDING})
    decision_weeks = 6

    def reset_system(self) -> None:
        self.system = ToySystem(self.decision_weeks)

    def apply_to_system(self, event: BaseEvent) -> None:
        self.system.record(event.model_dump(mode="json"))

    def system_state(self) -> str | None:
        return self.system.status

    def system_deadlines(self, as_of: date) -> Mapping[str, date] | None:
        return self.system.open_deadlines(as_of)

    def system_rejects(self, event: BaseEvent) -> bool | None:
        data = event.model_dump(mode="json")
        kind = str(data["type"])
        key = f"{kind}:{data['outcome']}" if kind == "assessment_decision" else kind
        return (self.system.status, key) not in MOVES


TestToySystem = ToyMachine.TestCase


class LateDecisionMachine(ToyMachine):
    decision_weeks = 7  # a bug: the law gives 6 weeks


def test_case_machine_catches_a_wrong_deadline() -> None:
    with pytest.raises(AssertionError, match="deadlines"):
        run_state_machine_as_test(
            LateDecisionMachine,
            settings=settings(max_examples=50, database=None, derandomize=True),
        )


class NoHooksMachine(CaseMachine):
    pass


def test_apply_to_system_must_be_overridden() -> None:
    with pytest.raises(NotImplementedError):
        run_state_machine_as_test(NoHooksMachine, settings=settings(database=None))
