"""Build a strict python-statemachine class from a :class:`WorkflowTable`.

The class is *generated* from the table, never written by hand beside it, so
the two cannot disagree. It is for users who want python-statemachine's
callbacks, listeners and diagrams; sendflow's own replay reads the table
directly because it is much faster.

Send events with the sendflow event as ``record``::

    machine = assessment_machine()
    machine.send("request_received", record=event)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache
from typing import Any

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
def build_machine_class(table: WorkflowTable) -> type[Any]:
    """Generate a ``statemachine.StateMachine`` subclass equivalent to ``table``.

    The class is strict: an event with no transition from the current state
    raises ``statemachine.exceptions.TransitionNotAllowed``, as in the table.
    """
    from statemachine import Event, State, StateMachine

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
            kwargs: dict[str, Any] = {}
            if row.when:
                kwargs["cond"] = _guard(row)
            if row.source == row.target:
                part = states[row.source].to.itself(internal=True, **kwargs)
            else:
                part = states[row.source].to(states[row.target], **kwargs)
            transitions = part if transitions is None else transitions | part
        attrs[_identifier(event_name)] = Event(transitions, name=event_name, id=event_name)
    attrs["allow_event_without_transition"] = False
    attrs["catch_errors_as_events"] = False
    attrs["__doc__"] = f"State machine for the {table.name!r} process, generated from its table."
    class_name = "".join(p.capitalize() for p in re.split(r"\W|_", table.name)) + "Machine"
    cls = type(class_name, (StateMachine,), attrs)
    cls.__module__ = "sendflow.workflows"
    return cls
