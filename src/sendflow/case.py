"""A case: identity plus an ordered log of dated events.

State is never stored: it is the fold of the events through the workflow
tables (``sendflow.workflows``). An event that is not allowed, or that is
dated before the event before it, is rejected: ``Case.apply`` raises
``InvalidTransition`` and leaves the case unchanged, while
``Case.model_validate`` of a whole history raises pydantic's
``ValidationError`` carrying the same message (naming the event's index,
state and type).

```python
>>> from datetime import date
>>> case = Case.model_validate({"events": [
...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
>>> case.state
'awaiting_decision'
>>> case = case.apply({"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"})
>>> case.state
'assessing'

```
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from datetime import date
from types import SimpleNamespace
from typing import TYPE_CHECKING, Annotated, Any, Union

from pydantic import BaseModel, Field, PrivateAttr, TypeAdapter, ValidationError

from sendflow._base import SendflowModel, sanitise_validation_error
from sendflow.errors import InvalidEvent, InvalidTransition
from sendflow.identifiers import LACode
from sendflow.partners import ConsentToShare
from sendflow.people import ChildOrYoungPerson
from sendflow.workflows import EVENT_CLASSES, REGIONS, BaseEvent
from sendflow.workflows._replay import allowed_events, step
from sendflow.workflows._table import has_fields

__all__ = ["Case", "Event", "parse_event"]

if TYPE_CHECKING:
    Event = BaseEvent
else:
    Event = Annotated[Union[tuple(EVENT_CLASSES)], Field(discriminator="type")]  # noqa: UP007

_EVENT_ADAPTER: TypeAdapter[BaseEvent] = TypeAdapter(Event)
#: Sets a model's private store through its slot (what ``object.__setattr__``
#: does, without looking the name up).
_set_private = BaseModel.__dict__["__pydantic_private__"].__set__
_INITIAL: Mapping[str, str] = {name: table.initial for name, table in REGIONS.items()}
_REGIONS_OF: dict[str, tuple[str, ...]] = {}
for _name, _table in REGIONS.items():
    for _event in _table.events:
        _REGIONS_OF[_event] = (*_REGIONS_OF.get(_event, ()), _name)

#: The transition rows arranged for replay: event type -> ((region, state ->
#: ((guard fields, target), ...)), ...), rows in table order; an empty guard
#: always matches.
_BY_TYPE: dict[str, tuple[tuple[str, dict[str, tuple[tuple[Any, str], ...]]], ...]] = {}
for _name, _table in REGIONS.items():
    _by_state: dict[str, dict[str, tuple[tuple[Any, str], ...]]] = {}
    for _t in _table.transitions:
        _states = _by_state.setdefault(_t.event, {})
        _states[_t.source] = (*_states.get(_t.source, ()), (tuple(_t.when.items()), _t.target))
    for _event, _states in _by_state.items():
        _BY_TYPE[_event] = (*_BY_TYPE.get(_event, ()), (_name, _states))

#: The event types that move one region with unguarded rows and are never
#: retrospective (most of them): type -> (region, state -> target). Replay takes
#: these in one look-up.
_SIMPLE: dict[str, tuple[str, dict[str, str]]] = {}
#: The event types that move one region, are never retrospective and whose
#: every row is guarded by one and the same field's text value (``outcome``):
#: type -> (region, field, (state, value) -> target), the first matching row of
#: each state kept as the table's order makes it. Replay takes these in one
#: look-up too; a miss (no row, a value no row names, a reversal) takes the
#: general path, which decides as the table does.
_KEYED: dict[str, tuple[str, str, dict[tuple[str, str], str]]] = {}
_RETROSPECTIVE = {
    cls.model_fields["type"].default for cls in EVENT_CLASSES if cls.retrospective
}
#: Main-line moves that reverse a refusal without a new request (the LA
#: reconsidering): replay notes them, and sendflow.compliance keeps the clocks
#: the refusal had stopped running from the original request (reg. 13(2)).
REVERSALS: frozenset[tuple[str, str]] = frozenset(
    {("assessment_refused", "assessing"), ("plan_refused", "draft_issued")}
)
_REVERSED_TO = frozenset(target for _, target in REVERSALS)
for _event, _arranged in _BY_TYPE.items():
    if len(_arranged) == 1 and _event not in _RETROSPECTIVE:
        _name, _states = _arranged[0]
        if all(len(_rows) == 1 and not _rows[0][0] for _rows in _states.values()):
            # A reversal takes the general path, which notes it.
            _SIMPLE[_event] = (_name, {_s: _rows[0][1] for _s, _rows in _states.items()
                                       if (_s, _rows[0][1]) not in REVERSALS})
        elif all(len(_guard) == 1 and isinstance(_guard[0][1], str)
                 for _rows in _states.values() for _guard, _ in _rows) and len(
                {_guard[0][0] for _rows in _states.values() for _guard, _ in _rows}) == 1:
            _field = next(iter(_states.values()))[0][0][0][0]
            _keyed: dict[tuple[str, str], str] = {}
            for _s, _rows in _states.items():
                for _guard, _target in _rows:
                    # The first row with the value wins, as in the table.
                    _keyed.setdefault((_s, _guard[0][1]), _target)
            # A reversal takes the general path, which notes it.
            _KEYED[_event] = (_name, _field, {_k: _t for _k, _t in _keyed.items()
                                              if (_k[0], _t) not in REVERSALS})


# ------------------------------------------------------------------ the replay automaton
#
# A case read from a caseload is replayed by walking an automaton whose nodes are
# the states of every region at once: each node's ``moves`` is a dict from an
# event's token to the node it leads to, so each event costs one look-up. The
# token is the event type, or ``(type, outcome)`` for the types whose rows are
# guarded by ``outcome``. A token a node has not met is worked out once by the
# plain check (``workflows._replay.step``, the oracle) in ``_Node.advance`` and
# remembered; one it refuses is never remembered and sends the case to the
# general path, which raises the usual error. The automaton takes only histories
# whose dates never go back and whose events are neither retrospective nor of a
# type guarded by another field (such as ``record_opened``): the general path
# takes anything else. Nodes are shared by every case (they hold event types,
# outcomes and states, never a case's data), and so are a node's states and
# event types, which nothing mutates; each case has its own private store,
# copied from its node's template, and its own trail.

#: The only event field a token carries (the one guard field of the types the
#: automaton takes).
_TOKEN_FIELD = "outcome"
#: The types whose token is ``(type, outcome)``: some row guards them by it.
_BY_OUTCOME = frozenset(
    _t.event for _table in REGIONS.values() for _t in _table.transitions
    if _TOKEN_FIELD in _t.when
)
#: Event types the automaton never takes: retrospective ones (they do not move
#: the latest date) and those a row guards by a field other than _TOKEN_FIELD.
_OFF_AUTOMATON = frozenset(_RETROSPECTIVE) | {
    _t.event for _table in REGIONS.values() for _t in _table.transitions
    if set(_t.when) - {_TOKEN_FIELD}
}
#: At most this many tokens are remembered per node (tokens come from closed
#: sets, event types and outcome values, so valid data never reaches it).
_NODE_TOKENS_MAX = 1_024
#: The earliest date (a module constant: ``date.min`` is an attribute look-up).
_DAY_ONE = date.min


class _Refused(Exception):
    """The automaton does not take this token (the general path decides)."""


class _Node:
    """Every region's state at once, the event types met on the way, where each
    token met from here leads, and the private store of a case that ends here."""

    __slots__ = ("adjust", "main", "moves", "private", "states", "types")

    def __init__(self, states: dict[str, str], adjust: bool, types: frozenset[str]) -> None:
        self.states = states
        self.main = states["main"]
        #: Whether a refusal was reversed on the way here (``Case._adjust``).
        self.adjust = adjust
        #: The event types met on the way here (``Case._types``), shared by every
        #: case that comes here (a frozenset, its hash worked out once).
        self.types = types
        #: Token -> the node it leads to, for each token met from here. A plain
        #: dict: ``[]`` on a dict subclass looks its ``__getitem__`` up and calls
        #: it (about 200 instructions more an event).
        self.moves: dict[str | tuple[str, Any], _Node] = {}
        #: The private store of a case whose replay ends here, but for its
        #: ``_last_on`` and ``_trail``: each case gets a copy (copying a dict of
        #: five costs about half of building one), then its own two.
        self.private: dict[str, Any] = {
            "_states": states, "_last_on": None, "_trail": None, "_types": types,
            "_adjust": adjust,
        }

    def advance(self, token: str | tuple[str, Any]) -> _Node:
        """The node ``token`` leads to from here, worked out by the plain check
        and remembered (what ``moves`` does not hold yet).

        Raises:
            _Refused: the automaton does not take the token (the general path
                decides: it raises the usual error or takes the event).
        """
        if isinstance(token, tuple):
            type_, value = token
        else:
            type_, value = token, None
        if type_ in _OFF_AUTOMATON or (type_ in _BY_OUTCOME) is not isinstance(token, tuple):
            raise _Refused
        states = dict(self.states)
        # Dates are checked by the caller; the stand-in's only has to be one.
        stand_in = SimpleNamespace(
            type=type_, on=date.min, retrospective=False, **{_TOKEN_FIELD: value}
        )
        try:
            step(REGIONS, states, stand_in, 0, None)  # type: ignore[arg-type]
        except InvalidTransition:
            raise _Refused from None
        adjust = self.adjust or any(
            (self.states[region], states[region]) in REVERSALS for region in states
        )
        types = self.types if type_ in self.types else self.types | {type_}
        key = (tuple(states.items()), adjust, types)
        node = _NODES.get(key)
        if node is None:
            if len(_NODES) >= _NODES_MAX:
                raise _Refused
            node = _NODES[key] = _Node(states, adjust, types)
        if len(self.moves) < _NODE_TOKENS_MAX:
            self.moves[token] = node
        return node


#: At most this many nodes (a synthetic caseload of 20,000 cases makes about 60:
#: few combinations of states and event types occur); past it, cases take the
#: general path.
_NODES_MAX = 16_384
_NODES: dict[tuple[tuple[tuple[str, str], ...], bool, frozenset[str]], _Node] = {}
_ROOT = _NODES[(tuple(_INITIAL.items()), False, frozenset())] = _Node(
    dict(_INITIAL), False, frozenset()
)
#: Where each token leads from the initial states (what a one-event case looks up).
_ROOT_MOVES = _ROOT.moves


def parse_event(data: BaseEvent | Mapping[str, Any]) -> BaseEvent:
    """Validate one event given as a model or JSON-like mapping.

    ```python
    >>> parse_event({"type": "request_withdrawn", "on": "2026-03-01"}).type
    'request_withdrawn'

    ```
    """
    if isinstance(data, BaseEvent):
        return data
    try:
        return _EVENT_ADAPTER.validate_python(data)
    except ValidationError as exc:
        raise sanitise_validation_error(exc) from None


#: The fields shown in ``Case.summary``: those a table's guard or a rule
#: chooses by (each a code from a closed list, never free text or personal data).
_SHOWN_FIELDS: dict[str, tuple[str, ...]] = {}
for _table in REGIONS.values():
    for _t in _table.transitions:
        for _field in _t.when:
            if _field not in _SHOWN_FIELDS.get(_t.event, ()):
                _SHOWN_FIELDS[_t.event] = (*_SHOWN_FIELDS.get(_t.event, ()), _field)
for _event, _field in (("request_received", "made_by"), ("advice_requested", "adviser"),
                       ("advice_received", "adviser"), ("exception_recorded", "ground")):
    if _field not in _SHOWN_FIELDS.get(_event, ()):
        _SHOWN_FIELDS[_event] = (*_SHOWN_FIELDS.get(_event, ()), _field)


def coerce_event(data: BaseEvent | Mapping[str, Any], index: int | None = None) -> BaseEvent:
    """``parse_event``, with a malformed event raised as ``InvalidEvent``.

    What ``Case.apply`` and the generated state machines accept as an
    event: a model, or a mapping that validates as one. The message names the
    field and the check, never the value.
    """
    try:
        return parse_event(data)
    except ValidationError as exc:
        first = exc.errors(include_input=False, include_url=False)[0]
        loc = ".".join(str(p) for p in first["loc"])
        raise InvalidEvent(f"{loc or 'event'}: {first['msg']}", index=index) from None


def _step(
    states: dict[str, str], event: BaseEvent, index: int, last_on: date | None
) -> date | None:
    """Apply one event to ``states`` in place; raise without touching them."""
    return step(REGIONS, states, event, index, last_on)


class Case(SendflowModel):
    """One child's or young person's statutory history with one local authority.

    Only ``events`` is needed; the other fields are optional. ``state`` is the
    main-line state (assessment, then the plan's life); ``states`` gives every
    region's state.
    """

    reference: str | None = Field(
        default=None, max_length=100, description="Your case reference (not personal data)."
    )
    responsible_la: LACode | None = None
    child: ChildOrYoungPerson | None = Field(default=None, repr=False)
    caseworker: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[A-Za-z0-9][A-Za-z0-9 ._/-]*$",
        repr=False,
        description="Who holds the case: a staff or team code from your system (e.g. "
        "'CW-07' or 'north-team'), used to group worklists. Not a name: it is not "
        "personal data about the child, and sendflow treats it as an identifier.",
    )
    consents: tuple[ConsentToShare, ...] = Field(
        default=(),
        description="Consent to share information with partners, as recorded "
        "(see sendflow.worklist: advice sought from a partner with no consent "
        "covering it is a finding).",
    )
    events: tuple[Event, ...] = ()

    # Plain defaults, not factories: pydantic inspects a factory's signature on
    # every instance, which would dominate the cost of reading a large caseload.
    _states: dict[str, str] | None = PrivateAttr(default=None)
    _last_on: date | None = PrivateAttr(default=None)
    _trail: list[str] | None = PrivateAttr(default=None)
    _types: frozenset[str] | None = PrivateAttr(default=None)
    #: Whether sendflow.compliance must look closer (a refusal reversed without a
    #: new request, or a record opened part-way): noted by replay.
    _adjust: bool = PrivateAttr(default=False)

    def model_post_init(self, context: Any, /) -> None:
        """Replay the events on validation (an invalid one fails validation)."""
        self._replay()

    def _replay(self, context: Any = None, /) -> None:
        """Set the case's private store from its events (pydantic's post-init hook).

        A history of one event (most stock plans in a national caseload) takes
        the automaton's one step without the loop (with one event there is no
        date to compare), the same token and node as the loop's first pass, so
        the same store; anything the
        automaton refuses goes to the general path as from the loop. Either way
        the private store is a copy of the final node's template with the
        case's own latest date and trail put in.
        ``tests/property/test_replay_oracle.py`` holds both to stepping event by
        event (``test_one_event_cases_replay_as_step_by_step`` for one event).
        """
        # Also pydantic's post-init hook itself (see the end of this module);
        # ``context`` is unused.
        events = self.events
        count = len(events)
        if count == 1:
            # One event (most stock plans of a national caseload): the same
            # automaton step as the loop below, without the loop. There is no
            # date to compare the one event's with; whatever ``on`` holds, the
            # general path would keep it as the latest date too.
            event = events[0]
            try:
                on = event.on
                type_ = event.type
                token = (type_, getattr(event, _TOKEN_FIELD)) if type_ in _BY_OUTCOME else type_
                try:
                    node = _ROOT_MOVES[token]
                except KeyError:
                    node = _ROOT.advance(token)
            except (_Refused, AttributeError):
                pass  # the general path decides (and raises pydantic's AttributeError)
            else:
                private = node.private.copy()
                private["_last_on"] = on
                # A list, as every case's (models compare their private stores).
                private["_trail"] = [node.main]
                _set_private(self, private)
                return
        if count:
            # The automaton (above), one look-up an event; the general path
            # takes a history it refuses. Fields are read as attributes: two
            # reads cost less than reading ``__dict__`` (a getset descriptor)
            # and looking both up in it (about 210 instructions an event).
            node = _ROOT
            last_on = _DAY_ONE
            trail: list[str] = []
            try:
                for event in events:
                    on = event.on
                    if on < last_on:
                        raise _Refused
                    last_on = on
                    type_ = event.type
                    token = (type_, getattr(event, _TOKEN_FIELD)) if type_ in _BY_OUTCOME else type_
                    try:
                        node = node.moves[token]
                    except KeyError:
                        node = node.advance(token)
                    trail.append(node.main)
            except (_Refused, AttributeError, TypeError):
                # Refused, or an event built around validation (model_construct)
                # with a field missing or of another type: the general path
                # decides, as it always has.
                pass
            else:
                # The node's template: its states and types are shared with
                # every case at this node (nothing mutates a case's states:
                # apply copies them; the replay oracle checks each node's
                # against its key).
                private = node.private.copy()
                private["_last_on"] = last_on
                private["_trail"] = trail
                _set_private(self, private)
                return
        self._replay_general()

    def _replay_general(self) -> None:
        """The replay of any history, one event at a time (what the automaton
        does not take: dates going back, retrospective events, refusals)."""
        # _step written out over the arranged rows; an event that moves no
        # region goes to _step, which raises. Each region appears once per event
        # type, so updating one region's state in place cannot change another's
        # look-up.
        states = dict(_INITIAL)
        last_on: date | None = None
        trail: list[str] = []
        types: set[str] = set()
        events = self.events
        reversed_ = bool(events) and events[0].type == "record_opened"
        for index, event in enumerate(self.events):
            type_, on = event.type, event.on
            types.add(type_)
            simple = _SIMPLE.get(type_)
            if simple is not None and (last_on is None or on >= last_on):
                region, targets = simple
                target = targets.get(states[region])
                if target is not None:
                    states[region] = target
                    last_on = on
                    trail.append(states["main"])
                    continue
            keyed = _KEYED.get(type_)
            if keyed is not None and (last_on is None or on >= last_on):
                region, field, by_value = keyed
                target = by_value.get((states[region], getattr(event, field)))
                if target is not None:
                    states[region] = target
                    last_on = on
                    trail.append(states["main"])
                    continue
            moved = False
            if last_on is None or on >= last_on or event.retrospective:
                for region, by_state in _BY_TYPE.get(type_, ()):
                    rows = by_state.get(states[region])
                    if rows is None:
                        continue
                    for guard, target in rows:
                        if not guard or has_fields(event, guard):
                            if target in _REVERSED_TO and (states[region], target) in REVERSALS:
                                reversed_ = True
                            states[region] = target
                            moved = True
                            break
            if not moved:
                _step(states, event, index, last_on)  # raises InvalidTransition
                raise AssertionError("unreachable: _step accepted a rejected event")
            if not event.retrospective:
                last_on = on if last_on is None or on > last_on else last_on
            trail.append(states["main"])
        # Set the whole private store at once, through its slot (see the end of
        # this module).
        _set_private(
            self,
            {
                "_states": states,
                "_last_on": last_on,
                "_trail": trail,
                "_types": frozenset(types),
                "_adjust": reversed_,
            },
        )

    def _current(self) -> dict[str, str]:
        private = self.__pydantic_private__
        states = private.get("_states") if private else None
        if states is None:  # built around pydantic (e.g. object.__new__): replay now
            self._replay()
            states = self._states
        assert states is not None
        return states

    @property
    def state(self) -> str:
        """The main-line state, e.g. ``'awaiting_decision'`` or ``'plan_issued'``."""
        return self._current()["main"]

    @property
    def states(self) -> Mapping[str, str]:
        """The state of every region (``main`` and any others), read-only."""
        return dict(self._current())

    @property
    def allowed_events(self) -> Mapping[str, tuple[str, ...]]:
        """The event types that may come next, per region, each sorted.

        An event of a listed type is accepted by ``apply`` when its fields
        match one of the type's rows (``assessment_decision`` takes either
        outcome) and it is dated on or after the latest event (a retrospective
        event, such as ``exception_recorded``, may be dated earlier). Any other
        type is refused. A case that opens part-way begins with one of
        ``sendflow.workflows.opening.FIRST_EVENTS``.

        ```python
        >>> case = Case.model_validate({"events": [
        ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
        >>> case.allowed_events["main"]
        ('assessment_decision', 'exception_recorded', 'moved_to_another_la', 'request_withdrawn')

        ```
        """
        return allowed_events(REGIONS, self._current())

    def apply(self, event: BaseEvent | Mapping[str, Any]) -> Case:
        """Return a new case with ``event`` appended; this case is unchanged.

        Raises:
            InvalidTransition: the event is not allowed in the current state or
                is dated before the previous event.
            InvalidEvent: the event data is malformed.
        """
        index = len(self.events)
        parsed = coerce_event(event, index)
        before = self._current()
        states = dict(before)
        last_on = _step(states, parsed, index, self._last_on)
        private = self.__pydantic_private__
        reversed_ = (
            bool(private and private.get("_adjust"))
            or parsed.type == "record_opened"
            or (before["main"], states["main"]) in REVERSALS
        )
        # pydantic's own copy, unvalidated: the state is set just below.
        new = BaseModel.model_copy(self, update={"events": (*self.events, parsed)})
        trail = [*self.main_states(), states["main"]]
        object.__setattr__(
            new,
            "__pydantic_private__",
            {
                "_states": states,
                "_last_on": last_on,
                "_trail": trail,
                "_types": self._event_types() | {parsed.type},
                "_adjust": reversed_,
            },
        )
        return new

    def apply_all(self, events: Iterator[BaseEvent | Mapping[str, Any]] | list[Any]) -> Case:
        """Apply several events in order (all or nothing)."""
        case = self
        for event in events:
            case = case.apply(event)
        return case

    def _event_types(self) -> frozenset[str]:
        """The types of event the case holds."""
        private = self.__pydantic_private__
        types = private.get("_types") if private else None
        if types is None:
            types = frozenset([e.type for e in self.events])
        return types

    def main_states(self) -> list[str]:
        """The main-line state after each event, in order."""
        private = self.__pydantic_private__
        trail = private.get("_trail") if private else None
        if trail is None or len(trail) != len(self.events):
            trail = [state for _, _, state in self.history()]
        return list(trail)

    def history(self) -> Iterator[tuple[int, BaseEvent, str]]:
        """Each event with its index and the main-line state after it."""
        states = dict(_INITIAL)
        last_on: date | None = None
        for index, event in enumerate(self.events):
            last_on = _step(states, event, index, last_on)
            yield index, event, states["main"]

    def model_copy(self, *, update: Mapping[str, Any] | None = None, deep: bool = False) -> Case:
        """A copy of the case; with ``update``, a new case validated and replayed.

        pydantic's ``model_copy(update=...)`` sets fields without validation,
        which would keep the old case's state beside new events. Here the
        updated fields are validated like any new case's (an unknown field, a
        malformed event or one not allowed in its state is refused with the
        usual error) and the events replayed, so the copy's state, deadlines
        and findings are those of its own events.

        ```python
        >>> case = Case().model_copy(update={"events": [
        ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
        >>> case.state
        'awaiting_decision'

        ```

        Raises:
            pydantic.ValidationError: an updated field is invalid or unknown, or
                an event is not allowed in the state it meets (as
                ``Case.model_validate`` reports it).
        """
        if not update:
            return BaseModel.model_copy(self, deep=deep)
        data: dict[str, Any] = {name: getattr(self, name) for name in self.model_fields_set}
        data.update(update)
        return Case.model_validate(data)

    def summary(self, limit: int = 20) -> str:
        """The events as a readable, non-personal list: each event's type and date,
        and the field values the workflow tables choose by (``outcome=assess``).

        Event types, dates and those choices are not personal data; names,
        birth dates, identifiers and free text never appear. After ``limit``
        events the rest are counted.

        ```python
        >>> case = Case.model_validate({"events": [
        ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        ...     {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"}]})
        >>> case.summary().split("; ")
        ['request_received 2026-01-05 (made_by=parent)',
         'assessment_decision 2026-02-10 (outcome=assess)']

        ```
        """
        parts: list[str] = []
        for event in self.events[:limit]:
            shown = [
                f"{name}={getattr(value, '_value_', value)}"
                for name in _SHOWN_FIELDS.get(event.type, ())
                if (value := getattr(event, name, None)) is not None
            ]
            choice = f" ({', '.join(shown)})" if shown else ""
            parts.append(f"{event.type} {event.on.isoformat()}{choice}")
        if len(self.events) > limit:
            parts.append(f"... {len(self.events) - limit} more")
        return "; ".join(parts)

    def __repr__(self) -> str:
        # The events are shown (a shrunk failing example must show its history);
        # the child is not.
        ref = f"reference={self.reference!r}, " if self.reference else ""
        return f"Case({ref}state={self.state!r}, events=[{self.summary()}])"


# Pydantic wraps ``model_post_init`` so that it first fills the private
# attributes with their defaults; ``_replay`` sets all of them itself, so it is
# made the hook, spared that work and one call (a measurable cost on a national
# caseload). Pydantic-core looks the hook up by name on each instance.
Case.model_post_init = Case._replay  # type: ignore[method-assign]
