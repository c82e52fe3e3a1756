"""Build a strict python-statemachine class from a ``WorkflowTable``.

The class is *generated* from the table, never written by hand beside it, so
the two cannot disagree. It is for users who want python-statemachine's
callbacks, listeners and diagrams; sendflow's own replay reads the table
directly because it is much faster.

Send events with the sendflow event as ``record``::

    machine = assessment_machine()
    machine.send("request_received", record=event)

The machine accepts exactly what ``sendflow.Case`` accepts, through the
same check (``sendflow.workflows._replay.step``): the record must be an
event of the type sent (a model, or a mapping that validates as one), dated on
or after the latest event the machine accepted (unless it is retrospective),
with fields that match a row's guard. A refusal raises
``InvalidTransition`` naming the events allowed next (it is
also a ``statemachine.exceptions.TransitionNotAllowed``); a malformed record
raises ``InvalidEvent``. The machine's state is unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from sendflow.errors import InvalidEvent, InvalidTransition
from sendflow.workflows._replay import allowed_flat, step
from sendflow.workflows._table import Transition, WorkflowTable

__all__ = ["build_machine_class"]


def _guard(row: Transition) -> Callable[..., bool]:
    def guard(*args: Any, **kwargs: Any) -> bool:
        return row.matches(kwargs.get("record"))

    name = row.guard or "always"
    guard.__name__ = re.sub(r"\W+", "_", name).strip("_")
    guard.__qualname__ = guard.__name__
    return guard


def _identifier(name: str) -> str:
    return name if name.isidentifier() else re.sub(r"\W", "_", name)


@cache
def _refusal_class() -> type[InvalidTransition]:
    """``InvalidTransition`` that is also python-statemachine's refusal."""
    from statemachine.exceptions import TransitionNotAllowed

    class TransitionRefused(InvalidTransition, TransitionNotAllowed):  # type: ignore[misc]
        """An event the machine refuses: a sendflow error and a ``TransitionNotAllowed``."""

        def __init__(self, **kwargs: Any) -> None:
            InvalidTransition.__init__(self, **kwargs)
            self.configuration = set()

    TransitionRefused.__module__ = "sendflow.workflows"
    TransitionRefused.__qualname__ = "TransitionRefused"
    return TransitionRefused


@cache
def _base_class() -> type[Any]:
    """The base of every generated class: runs sendflow's own check on each event."""
    from statemachine import StateMachine
    from statemachine.exceptions import TransitionNotAllowed

    from sendflow.case import coerce_event

    refusal = _refusal_class()

    class SendflowMachine(StateMachine):
        """A python-statemachine class that accepts exactly what ``Case`` accepts."""

        _sendflow_regions: Mapping[str, WorkflowTable] = MappingProxyType({})
        _sendflow_count = 0
        _sendflow_last_on: date | None = None
        _sendflow_events: frozenset[str] = frozenset()
        _sendflow_pending: tuple[date | None] | None = None

        def prepare_event(self, event: Any, record: Any = None) -> dict[str, Any]:
            # Runs before validators and guards: the record becomes a sendflow event.
            index = self._sendflow_count
            if str(event) not in self._sendflow_events:
                return {}  # the machine entering its initial state
            if record is None:
                raise InvalidEvent(
                    f"record: an event of type {str(event)!r} is required", index=index
                )
            parsed = coerce_event(record, index)
            if parsed.type != str(event):
                raise InvalidEvent(
                    f"record: an event of type {parsed.type!r} sent as {str(event)!r}", index=index
                )
            return {"record": parsed}

        def _sendflow_states(self) -> dict[str, str]:
            name = next(iter(self._sendflow_regions))
            return {name: str(self.current_state_value)}

        def sendflow_validate(self, record: Any) -> None:
            # The same check as Case.apply (raises InvalidTransition, changes nothing).
            try:
                self._sendflow_pending = (step(
                    self._sendflow_regions, self._sendflow_states(), record,
                    self._sendflow_count, self._sendflow_last_on,
                ),)
            except InvalidTransition as exc:
                raise refusal(process=exc.process, state=exc.state, event=exc.event,
                              index=exc.index, reason=exc.reason, allowed=exc.allowed) from None

        def after_transition(self) -> None:
            pending = self._sendflow_pending
            if pending is not None:  # None: the machine entering its initial state
                self._sendflow_last_on = pending[0]
                self._sendflow_count += 1
                self._sendflow_pending = None

        def _sendflow_refusal(self, exc: Any) -> InvalidTransition:
            table = next(iter(self._sendflow_regions.values()))
            return refusal(
                process=table.name,
                state=str(self.current_state_value),
                event=str(exc.event) if exc.event is not None else "",
                index=self._sendflow_count,
                allowed=allowed_flat(self._sendflow_regions, self._sendflow_states()),
            )

        # python-statemachine refuses an event in two places: when it is queued
        # (the machine has reached a final state) and when it is processed (no
        # transition); both refusals become sendflow's.
        def _put_nonblocking(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return super()._put_nonblocking(*args, **kwargs)
            except TransitionNotAllowed as exc:
                if isinstance(exc, InvalidTransition):
                    raise
                raise self._sendflow_refusal(exc) from None

        def _processing_loop(self, *args: Any, **kwargs: Any) -> Any:
            try:
                return super()._processing_loop(*args, **kwargs)
            except TransitionNotAllowed as exc:
                if isinstance(exc, InvalidTransition):
                    raise
                raise self._sendflow_refusal(exc) from None

    SendflowMachine.__module__ = "sendflow.workflows"
    return SendflowMachine


@cache
def build_machine_class(table: WorkflowTable) -> type[Any]:
    """Generate a ``statemachine.StateMachine`` subclass equivalent to ``table``.

    The class is strict: an event with no transition from the current state,
    a record of another type, or one dated before the latest accepted event
    raises ``InvalidTransition`` (also a
    ``statemachine.exceptions.TransitionNotAllowed``), exactly as
    ``sendflow.Case.apply`` would.
    """
    from statemachine import Event, State

    states: dict[str, Any] = {}
    for name in table.states:
        states[name] = State(
            name=name.replace("_", " "),
            value=name,
            initial=name == table.initial,
            final=name in table.final,
        )
    attrs: dict[str, Any] = {_identifier(k): v for k, v in states.items()}
    by_event: dict[str, list[Transition]] = {}
    for row in table.transitions:
        by_event.setdefault(row.event, []).append(row)
    for event_name, rows in by_event.items():
        transitions = None
        for row in rows:
            kwargs: dict[str, Any] = {"validators": "sendflow_validate"}
            if row.when:
                kwargs["cond"] = _guard(row)
            if row.source == row.target:
                part = states[row.source].to.itself(internal=True, **kwargs)
            else:
                part = states[row.source].to(states[row.target], **kwargs)
            transitions = part if transitions is None else transitions | part
        attrs[_identifier(event_name)] = Event(transitions, name=event_name, id=event_name)
    attrs["_sendflow_regions"] = MappingProxyType({table.name: table})
    attrs["_sendflow_events"] = table.events
    attrs["allow_event_without_transition"] = False
    attrs["catch_errors_as_events"] = False
    attrs["__doc__"] = f"State machine for the {table.name!r} process, generated from its table."
    class_name = "".join(p.capitalize() for p in re.split(r"\W|_", table.name)) + "Machine"
    cls = type(class_name, (_base_class(),), attrs)
    cls.__module__ = "sendflow.workflows"
    return cls
