"""CaseMachine: drive your system with random valid events, sendflow as the oracle."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from sendflow.case import Case
from sendflow.compliance import ComplianceReport, Status, evaluate
from sendflow.errors import InvalidTransition
from sendflow.testing.strategies import _CLASS_OF, _event_of, _moves, _table
from sendflow.workflows import BaseEvent

__all__ = ["CaseMachine"]


class CaseMachine(RuleBasedStateMachine):
    """A hypothesis state machine to subclass: your system under test, sendflow the oracle.

    Each step either records a random event that the workflow's table allows
    in the current state (``apply_to_system`` gets it), lets time pass,
    or (if you override ``system_rejects``) offers an event the table does
    not allow, which your system must refuse. After every step the machine
    compares ``system_state`` and ``system_deadlines`` with what
    sendflow computes from the same events. Override the hooks you have; a
    hook returning None is not checked.

    Class attributes tune the run: ``workflow`` (a table name),
    ``start`` (the first day), ``max_gap_days`` (most days between events),
    ``compared_rules`` (rule ids your system tracks; None for all) and
    ``compared_statuses`` (the statuses whose due dates are compared).

    Run it with pytest by exposing its test case::

        class MySystemMachine(CaseMachine):
            def reset_system(self):
                self.system = MySystem()

            def apply_to_system(self, event):
                self.system.record(event.model_dump(mode="json"))

            def system_state(self):
                return self.system.status

        TestMySystem = MySystemMachine.TestCase

    Added in 0.1.
    """

    workflow: ClassVar[str] = "assessment"
    start: ClassVar[date] = date(2026, 1, 5)
    max_gap_days: ClassVar[int] = 60
    compared_rules: ClassVar[frozenset[str] | None] = None
    compared_statuses: ClassVar[frozenset[Status]] = frozenset({Status.PENDING, Status.OVERDUE})

    def __init__(self) -> None:
        super().__init__()
        self.case: Case = Case()
        self.today: date = self.start
        self.reset_system()

    # ----------------------------------------------------------------- hooks

    def reset_system(self) -> None:
        """Give your system a fresh, empty case (called once per run)."""

    def apply_to_system(self, event: BaseEvent) -> None:
        """Record ``event`` in your system; sendflow has accepted it."""
        raise NotImplementedError("override apply_to_system() to drive your system")

    def system_state(self) -> str | None:
        """Your system's view of the case's main-line state (None: not checked)."""
        return None

    def system_deadlines(self, as_of: date) -> Mapping[str, date] | None:
        """Your system's open deadlines on ``as_of`` (None: not checked).

        Return the same shape as ``expected_deadlines``: the due date of
        every deadline whose status is in ``compared_statuses``, keyed by rule
        id (``"assessment.advice[medical]"`` for per-instance rules).
        """
        return None

    def system_rejects(self, event: BaseEvent) -> bool | None:
        """Offer your system an event sendflow rejects; return whether it refused.

        None (the default) skips the check. Your system must be unchanged
        afterwards, which the next step's comparison checks.
        """
        return None

    # ------------------------------------------------------------- the oracle

    def report(self, as_of: date | None = None) -> ComplianceReport:
        """sendflow's compliance report for the events so far."""
        return evaluate(self.case, as_of=as_of or self.today)

    def expected_deadlines(self, as_of: date) -> dict[str, date]:
        """The open deadlines sendflow computes, keyed as ``system_deadlines`` returns."""
        out: dict[str, date] = {}
        for d in self.report(as_of).deadlines:
            if d.due is None or d.status not in self.compared_statuses:
                continue
            if self.compared_rules is not None and d.rule_id not in self.compared_rules:
                continue
            out[d.rule_id + (f"[{d.key}]" if d.key else "")] = d.due
        return out

    # ------------------------------------------------------------------ rules

    def _options(self) -> list[Any]:
        return _moves(self.case, _table(self.workflow))

    @precondition(lambda self: bool(self._options()))
    @rule(data=st.data())
    def record_event(self, data: st.DataObject) -> None:
        """Record one event the table allows now."""
        move = data.draw(st.sampled_from(self._options()), label="move")
        cls = _CLASS_OF[move.row.event]
        if cls.retrospective and self.case.events:
            first = self.case.events[0].on
            back = data.draw(st.integers(0, (self.today - first).days), label="days_back")
            on = self.today - timedelta(days=back)
        else:
            on = self.today + timedelta(
                days=data.draw(st.integers(0, self.max_gap_days), label="days_later")
            )
        event = data.draw(_event_of(cls, on, dict(move.row.when)), label="event")
        if event is None:
            return
        self.case = self.case.apply(event)
        if not cls.retrospective or not self.case.events[:-1]:
            self.today = max(self.today, on)
        self.apply_to_system(event)

    @rule(days=st.integers(1, 120))
    def time_passes(self, days: int) -> None:
        """Move the evaluation date on."""
        self.today += timedelta(days=days)

    @rule(data=st.data())
    def offer_illegal_event(self, data: st.DataObject) -> None:
        """Offer an event the table does not allow now; your system must refuse it."""
        allowed = {m.row.event for m in self._options()}
        table = _table(self.workflow)
        kinds = sorted(k for k in table.events if k not in allowed and k in _CLASS_OF)
        if not kinds:
            return
        kind = data.draw(st.sampled_from(kinds), label="illegal_type")
        event = data.draw(_event_of(_CLASS_OF[kind], self.today, {}), label="illegal_event")
        if event is None:
            return
        try:
            self.case.apply(event)
        except InvalidTransition:
            pass
        else:
            return  # allowed through another region or guard: not illegal after all
        refused = self.system_rejects(event)
        assert refused is None or refused, f"the system accepted {kind!r} in {self.case.state!r}"

    @invariant()
    def system_agrees(self) -> None:
        """Your system's state and open deadlines equal sendflow's."""
        state = self.system_state()
        if state is not None:
            assert state == self.case.state, (
                f"state: system says {state!r}, sendflow says {self.case.state!r}"
            )
        got = self.system_deadlines(self.today)
        if got is not None:
            expected = self.expected_deadlines(self.today)
            assert dict(got) == expected, (
                f"deadlines on {self.today.isoformat()}: system {dict(got)!r}, "
                f"sendflow {expected!r}"
            )
