"""Workflow transition tables: the single source of truth for every process.

A ``WorkflowTable`` is an immutable list of transitions
``(state, event type[, guard]) -> state``. It is checked when it is defined
(known initial state, no exits from final states, every state reachable, no
trap states), replayed directly for bulk work, and turned into a
python-statemachine class on demand (``sendflow.workflows._machine``).

Guards only choose between transitions: a guard is a mapping of event field
to the value it must have (``{"outcome": "assess"}``), so guards are data and
can be drawn in diagrams.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

__all__ = ["Transition", "WorkflowTable", "has_fields"]


def has_fields(event: object, fields: Iterable[tuple[str, Any]]) -> bool:
    """Whether ``event`` has each ``(name, value)`` of ``fields`` (enums compare by value).

    The one test of "this event has these field values" shared by transition
    guards, rule clocks and the evaluators.
    """
    for name, expected in fields:
        value = getattr(event, name, None)
        # ``_value_``, not ``.value``: a plain attribute read instead of a descriptor.
        if getattr(value, "_value_", value) != expected:
            return False
    return True


@dataclass(frozen=True)
class Transition:
    """One row of a transition table."""

    source: str
    event: str
    target: str
    when: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def guard(self) -> str | None:
        """The guard's name, e.g. ``outcome == 'assess'`` (None when unguarded)."""
        if not self.when:
            return None
        return " and ".join(f"{k} == {v!r}" for k, v in sorted(self.when.items()))

    def matches(self, event: object) -> bool:
        """Whether ``event``'s fields satisfy this transition's guard."""
        return has_fields(event, self.when.items())


def T(source: str, event: str, target: str, **when: Any) -> Transition:
    """Shorthand for a ``Transition`` (guard fields as keyword arguments).

    States may be given as ``StrEnum`` members; they are stored as plain strings.
    """
    return Transition(str(source), str(event), str(target), MappingProxyType(dict(when)))


class WorkflowTable:
    """An immutable, checked transition table for one statutory process.

    Args:
        name: the process name (``"assessment"``).
        initial: the state a new case starts in.
        final: states with no way out.
        transitions: the rows of the table.
        states: every state, in display order (defaults to the order first seen).
        descriptions: plain-English description per state.
    """

    def __init__(
        self,
        name: str,
        *,
        initial: str,
        final: Iterable[str],
        transitions: Iterable[Transition],
        states: Iterable[str] | None = None,
        descriptions: Mapping[str, str] | None = None,
    ) -> None:
        self.name = name
        self.initial = initial = str(initial)
        self.final = frozenset(str(s) for s in final)
        self.transitions: tuple[Transition, ...] = tuple(transitions)
        seen: dict[str, None] = {initial: None}
        for t in self.transitions:
            seen.setdefault(t.source, None)
            seen.setdefault(t.target, None)
        for s in self.final:
            seen.setdefault(s, None)
        self.states: tuple[str, ...] = (
            tuple(str(s) for s in states) if states is not None else tuple(seen)
        )
        self.descriptions: Mapping[str, str] = MappingProxyType(
            {str(k): v for k, v in (descriptions or {}).items()}
        )
        index: dict[tuple[str, str], list[Transition]] = {}
        for t in self.transitions:
            index.setdefault((t.source, t.event), []).append(t)
        self._index: Mapping[tuple[str, str], tuple[Transition, ...]] = MappingProxyType(
            {k: tuple(v) for k, v in index.items()}
        )
        self.events: frozenset[str] = frozenset(t.event for t in self.transitions)
        self._check()

    def _check(self) -> None:
        problems: list[str] = []
        known = set(self.states)
        if self.initial not in known:
            problems.append(f"initial state {self.initial!r} is not listed")
        for t in self.transitions:
            for s in (t.source, t.target):
                if s not in known:
                    problems.append(f"state {s!r} is not listed")
            if t.source in self.final:
                problems.append(f"final state {t.source!r} has an exit on {t.event!r}")
        for (source, event), rows in self._index.items():
            guards = [r.guard for r in rows]
            if len(rows) > 1 and (None in guards or len(set(guards)) != len(guards)):
                problems.append(f"ambiguous rows for ({source!r}, {event!r})")
        reachable = {self.initial}
        frontier = [self.initial]
        while frontier:
            state = frontier.pop()
            for t in self.transitions:
                if t.source == state and t.target not in reachable:
                    reachable.add(t.target)
                    frontier.append(t.target)
        for s in self.states:
            if s not in reachable:
                problems.append(f"state {s!r} cannot be reached from {self.initial!r}")
            leaves = any(t.source == s and t.target != s for t in self.transitions)
            if s not in self.final and not leaves:
                problems.append(f"state {s!r} is a trap: not final and no way out")
        if problems:
            raise ValueError(f"workflow {self.name!r}: " + "; ".join(sorted(set(problems))))

    @classmethod
    def compose(
        cls,
        name: str,
        tables: Iterable[WorkflowTable],
        *,
        initial: str,
        final: Iterable[str],
    ) -> WorkflowTable:
        """One table holding every row of ``tables`` (e.g. assessment then review).

        States keep their order of first appearance; ``final`` replaces the
        parts' own final states, so a state that ends one part (``plan_issued``)
        can lead into the next.
        """
        parts = tuple(tables)
        states: dict[str, None] = {}
        descriptions: dict[str, str] = {}
        rows: list[Transition] = []
        for part in parts:
            states.update(dict.fromkeys(part.states))
            descriptions.update(part.descriptions)
            rows.extend(part.transitions)
        return cls(
            name,
            initial=initial,
            final=final,
            transitions=rows,
            states=list(states),
            descriptions=descriptions,
        )

    def rows(self, state: str, event_type: str) -> tuple[Transition, ...]:
        """The rows for ``(state, event_type)``, in table order."""
        return self._index.get((state, event_type), ())

    def next_state(self, state: str, event: object) -> str | None:
        """The state after ``event`` in ``state``, or None if not allowed.

        ``event`` needs a ``type`` attribute and the fields any guard tests.
        """
        for row in self._index.get((state, getattr(event, "type", "")), ()):
            if row.matches(event):
                return row.target
        return None

    def allowed(self, state: str) -> tuple[str, ...]:
        """Event types with at least one row leaving ``state``, sorted."""
        return tuple(sorted({t.event for t in self.transitions if t.source == state}))

    def __repr__(self) -> str:
        return (
            f"WorkflowTable({self.name!r}, {len(self.states)} states, {len(self.transitions)} rows)"
        )
