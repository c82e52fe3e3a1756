"""What may come next in a case: the one check shared by ``Case`` and the machines.

``sendflow.Case`` and the python-statemachine classes generated from the
tables (``sendflow.workflows._machine``) both accept an event through
``step``, so they accept and reject exactly the same events: an event of a
type no region's current state allows, one whose fields match no guard, and
one dated before the event before it (unless the event is retrospective, a
fact about a period recorded after it began) are refused with
``InvalidTransition``, naming the events allowed next.

``Case``'s bulk replay takes a faster path over the same tables; a property
test holds it equal to this one.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from sendflow.errors import InvalidTransition
from sendflow.workflows._events import BaseEvent
from sendflow.workflows._table import WorkflowTable
from sendflow.workflows.opening import FIRST_EVENTS

__all__ = ["allowed_events", "allowed_flat", "step"]

#: Why an event that needs earlier history cannot begin a case.
FIRST_REASON = (
    "it needs earlier history; a case begins with "
    + ", ".join(FIRST_EVENTS[:-1])
    + f" or {FIRST_EVENTS[-1]} (a record that opens part-way: give its state and dates)"
)


def allowed_events(
    regions: Mapping[str, WorkflowTable], states: Mapping[str, str]
) -> dict[str, tuple[str, ...]]:
    """The event types with a row leaving each region's current state, sorted."""
    return {name: table.allowed(states[name]) for name, table in regions.items()}


def allowed_flat(
    regions: Mapping[str, WorkflowTable], states: Mapping[str, str]
) -> tuple[str, ...]:
    """Every event type some region allows next, sorted (what an error message lists)."""
    out: set[str] = set()
    for types in allowed_events(regions, states).values():
        out.update(types)
    return tuple(sorted(out))


def step(
    regions: Mapping[str, WorkflowTable],
    states: dict[str, str],
    event: BaseEvent,
    index: int,
    last_on: date | None,
) -> date | None:
    """Apply ``event`` to ``states`` in place and return the new latest date.

    ``regions`` are the tables replayed side by side (the first is the main
    line), ``states`` each one's current state and ``last_on`` the date of the
    latest non-retrospective event so far. Nothing is changed when the event
    is refused.

    Raises:
        InvalidTransition: the event is not allowed next, or is dated before
            the previous event; the message names the events allowed next.
    """
    first = next(iter(regions))
    main_state = states[first]
    if last_on is not None and event.on < last_on and not event.retrospective:
        raise InvalidTransition(
            process=regions[first].name if first != "main" else "main",
            state=main_state,
            event=event.type,
            index=index,
            reason="it is dated before the previous event",
            allowed=allowed_flat(regions, states),
        )
    mine = [name for name, table in regions.items() if event.type in table.events]
    moves: dict[str, str] = {}
    for region in mine:
        target = regions[region].next_state(states[region], event)
        if target is not None:
            moves[region] = target
    if not moves:
        region = mine[0] if mine else first
        reason = None
        initial = regions[first].initial
        if event.type == "record_opened":
            reason = "it may only be a case's first event"
        elif index == 0 and main_state == initial and "record_opened" in regions[first].events:
            reason = FIRST_REASON
        raise InvalidTransition(
            process=regions[region].name,
            state=states[region],
            event=event.type,
            index=index,
            reason=reason,
            allowed=allowed_flat(regions, states),
        )
    states.update(moves)
    if event.retrospective:
        return last_on
    return event.on if last_on is None else max(last_on, event.on)
