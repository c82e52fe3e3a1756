"""The evaluation context: what every evaluator is given, and how it builds a deadline.

Every deadline is made through :meth:`EvaluationContext.make` (or, in the
standard evaluator's pass, the same builder it calls,
:func:`sendflow.compliance._build.build_deadline`): its status is decided there
and only there, from its due date, the date it was met, whether the case left
the path, and any recorded exception its rule's regulation allows.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from sendflow.case import Case
from sendflow.compliance._build import build_deadline
from sendflow.compliance._compiled import parts_for
from sendflow.compliance._report import Deadline, Finding
from sendflow.rules import Rule
from sendflow.rules._readings import default_readings
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import BaseEvent, ExceptionRecorded

__all__ = ["EvaluationContext", "Evaluator", "FindingsHook", "Hook", "new_context"]



@dataclass(slots=True)
class EvaluationContext:
    """What an evaluator needs: the events, the date, and the holiday table."""

    events: tuple[BaseEvent, ...]
    as_of: date
    holidays: Any = None
    exceptions: tuple[ExceptionRecorded, ...] = ()
    findings: list[Finding] = field(default_factory=list)
    case: Case | None = None
    _main_states: list[str] | None = field(default=None, repr=False)
    event_types: frozenset[str] = frozenset()
    """The types of event the case holds (filled in by :func:`evaluate`)."""
    readings: Mapping[str, str] = field(default_factory=default_readings)
    """The choice for each reading of the law (see :func:`sendflow.rules.readings`)."""

    def reading(self, reading_id: str) -> str:
        """The choice in force for ``reading_id`` (a known reading id)."""
        return self.readings[reading_id]

    def main_state_after(self, index: int) -> str:
        """The case's main-line state just after event ``index``."""
        states = self._main_states
        if states is None:
            states = self.main_states()
        return states[index]

    def main_states(self) -> list[str]:
        """The case's main-line state just after each event (the context's own list:
        read it, do not change it)."""
        if self._main_states is None:
            case = (
                self.case
                if self.case is not None
                else Case.model_validate({"events": [e.model_dump() for e in self.events]})
            )
            self._main_states = case.main_states()
        return self._main_states

    def make(
        self,
        rule: Rule,
        *,
        due: date | None,
        started_on: date | None,
        start_event: str | None,
        met_on: date | None,
        closed: bool = False,
        key: str | None = None,
        history: RuleHistory | None = None,
        note: str | None = None,
    ) -> Deadline:
        """Classify one deadline instance and build its :class:`Deadline`."""
        return build_deadline(self, parts_for(rule), due, started_on, start_event, met_on,
                              closed, key, history, note)

    def exception_for(
        self, rule: Rule, start: date, due: date, hist: RuleHistory | None = None
    ) -> ExceptionRecorded | None:
        """The first recorded exception that can disapply ``rule`` for [start, due]."""
        if not self.exceptions:
            return None
        at_due = hist.on(due) if hist is not None else None
        grounds = (at_due or rule).exceptions
        for e in self.exceptions:
            if e.rules and rule.id not in e.rules:
                continue
            if e.on > due or (e.until is not None and e.until < start):
                continue
            # A ground may be listed more than once with different minimum
            # durations (reg. 44(3): 2 weeks' absence as well as reg. 13(3)'s 4);
            # the exception counts if any listing accepts it.
            days = e.duration_days(self.as_of)
            for accepted in grounds:
                if accepted.ground is not e.ground:
                    continue
                if accepted.min_weeks is None or (
                    days is not None and days >= accepted.min_weeks * 7
                ):
                    return e
        return None


_new_object = object.__new__


def new_context(
    events: tuple[BaseEvent, ...],
    as_of: date,
    holidays: Any,
    exceptions: tuple[ExceptionRecorded, ...],
    findings: list[Finding],
    case: Case | None,
    main_states: list[str] | None,
    event_types: frozenset[str],
    readings: Mapping[str, str],
) -> EvaluationContext:
    """``EvaluationContext(events, as_of, ...)`` with every field given, in order.

    The engine makes one context for every case that runs a rule; calling the
    class goes through ``type.__call__`` and the dataclass's ``__init__`` (about
    3,300 instructions with its free), where this makes the instance and stores
    its nine slots (about 2,600). Nothing is left unset: every field is given, so
    there is no default to apply. tests/unit/test_engine_fixed_cost.py holds it
    equal to the class's own.
    """
    ctx: EvaluationContext = _new_object(EvaluationContext)
    ctx.events = events
    ctx.as_of = as_of
    ctx.holidays = holidays
    ctx.exceptions = exceptions
    ctx.findings = findings
    ctx.case = case
    ctx._main_states = main_states
    ctx.event_types = event_types
    ctx.readings = readings
    return ctx


#: An evaluator: the deadlines of one rule (its versions that name the
#: evaluator) in one case.
Evaluator = Callable[[RuleHistory, EvaluationContext], list[Deadline]]
#: A findings hook: observations on one case that are not deadlines.
FindingsHook = Callable[[EvaluationContext], list[Finding]]


class Hook(NamedTuple):
    """A findings hook and the event types without which it can find nothing."""

    run: FindingsHook
    #: None: run on every case.
    needs: frozenset[str] | None = None
