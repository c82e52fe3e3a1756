"""The standard evaluators, compiled: ``standard`` and ``before_anchor``.

Most rules are "a period from a start event, met by another event": the
``standard`` evaluator. :func:`sendflow.evaluate` runs all of a case's standard
rules together in one pass over its events (:func:`standard_many`), from a
:class:`Group` compiled once per set of rules. ``tests/reference/engine.py``
holds a plain, quadratic reading of the same rule, and
``tests/property/test_engine_reference.py`` holds the two equal.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from itertools import pairwise
from typing import Any, NamedTuple, get_args

from sendflow._readings_law import notice_due
from sendflow.compliance._build import build_deadline
from sendflow.compliance._compiled import (
    OneOf,
    Parts,
    Role,
    Segment,
    Span,
    clock_of,
    due_on,
    notice_due_on,
    parts_on,
    plays,
    segments_of,
    spans_of,
)
from sendflow.compliance._context import EvaluationContext
from sendflow.compliance._report import Deadline, format_date
from sendflow.errors import CalendarError, SendflowError
from sendflow.rules._registry import RuleHistory
from sendflow.workflows import EVENT_CLASSES, BaseEvent

__all__ = ["Group", "before_anchor", "before_anchor_fast", "every_event", "group", "standard",
           "standard_many"]

_fmt = format_date

#: Event classes by their type, for what a compiled rule may read from an event.
_EVENT_CLASS: dict[str, type[BaseEvent]] = {
    cls.model_fields["type"].default: cls for cls in EVENT_CLASSES
}


def _fixed_type(cls: type[BaseEvent]) -> str | None:
    """The one ``type`` every instance of ``cls`` has (its field is a one-value
    ``Literal`` with that default), else None."""
    field = cls.model_fields["type"]
    return field.default if get_args(field.annotation) == (field.default,) else None


#: Each sendflow event class (exactly that class, not a subclass) whose class fixes
#: its ``type``, with that type: how the pass finds the events it reads by their
#: classes alone (:meth:`Group.reads_of`).
_TYPE_OF: dict[type, str] = {
    cls: t for cls in EVENT_CLASSES if (t := _fixed_type(cls)) is not None
}
#: The longest history whose reads :attr:`Group.reads` remembers (a longer one's
#: are found for the case alone).
_READS_LENGTH_MAX = 64


def standard(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """Start → period → first satisfying event, per instance (see EVENTS in the docs).

    One pass over the events. Each start opens an instance (one per start,
    keyed by the clock's ``per`` field); each later event of a type the clock
    names settles the open instances it concerns, testing in this order:

    1. a new start with the same key supersedes the instance — if the due date
       had already passed the breach stands (overdue), otherwise it falls away;
    2. a satisfying event with the same key meets it on that event's date;
    3. a closing event (whatever its key) takes the case off the path.

    An event without the key field concerns every instance. Instances are
    reported in the order they started. :func:`evaluate` runs all of a case's
    standard rules together in the same single pass (:func:`standard_many`).
    """
    return standard_many(group(segments_of(hist)), ctx)



class Entry(NamedTuple):
    """How events of one type take part in one rule of a :class:`Group`."""

    rule: int
    start: Role
    met: Role
    close: Role
    per: str | None
    while_in: frozenset[str]
    start_field: str | None


def _plain(value: Any) -> Any:
    """A NamedTuple's values as a plain tuple (same fields, same order)."""
    return tuple(value)


class Group:
    """Standard rules (segments) compiled to run together: event type -> entries."""

    __slots__ = ("_pruned", "_reached", "dispatch", "gated", "hists", "reads", "search",
                 "segments", "spans", "switches", "unkeyed")

    def __init__(self, segments: tuple[Segment, ...]) -> None:
        self.segments = segments
        self.hists: tuple[RuleHistory, ...] = tuple(s.history for s in segments)
        # Per rule, each version's span, so a start finds its version and due
        # date without a call (see RuleHistory.on and Period._offset).
        # (Entries and spans are kept as plain tuples in their NamedTuple's field
        # order: unpacking a plain tuple is much quicker than a subclass's.)
        self.spans: tuple[tuple[Span, ...], ...] = tuple(
            tuple(_plain(span) for span in s.spans) for s in segments
        )
        # A ``per`` or ``start_field`` the event type does not have is dropped
        # here: it reads as None (the registry checks, when it loads, that each
        # is a field of every start event; an event without the key concerns
        # every instance), and asking a pydantic model for a field it lacks goes
        # through its slow ``__getattr__``.
        dispatch: dict[str, list[Entry]] = {}
        for r, segment in enumerate(segments):
            clock = segment.clock
            for type_, roles in clock.roles.items():
                cls = _EVENT_CLASS.get(type_)
                per, start_field = clock.per, clock.start_field
                if cls is not None:
                    per = per if per in cls.model_fields else None
                    start_field = start_field if start_field in cls.model_fields else None
                dispatch.setdefault(type_, []).append(
                    Entry(r, roles.start, roles.met, roles.close, per, clock.while_in,
                          start_field)
                )
        self.dispatch: dict[str, tuple[Entry, ...]] = {
            t: tuple(_plain(entry) for entry in v) for t, v in dispatch.items()
        }
        #: Per event type, its entries with their roles decided in advance (see
        #: :class:`Switch`), for :func:`standard_many`.
        self.switches: dict[str, tuple[Any, ...]] = {
            t: _plain(_switch(v)) for t, v in self.dispatch.items()
        }
        #: The rules that start only in some main-line states (``while_in``), each
        #: with those states.
        self.gated: tuple[tuple[int, frozenset[str]], ...] = tuple(
            (r, segment.clock.while_in)
            for r, segment in enumerate(segments)
            if segment.clock.while_in
        )
        #: Whether no rule of the group has an instance key, a gate or a start
        #: field (the two assessment rules): :func:`standard_many` then runs
        #: :func:`_unkeyed_pass`.
        self.unkeyed: bool = all(
            entry[4] is None and not entry[5] and entry[6] is None
            for entries in self.dispatch.values()
            for entry in entries
        )
        #: The events the pass reads, by the case's event classes in order (see
        #: :meth:`reads_of`): at most 1,024 kept, each of at most
        #: ``_READS_LENGTH_MAX`` classes (classes only, never a case's data).
        self.reads: dict[tuple[type, ...], tuple[tuple[int, str], ...]] = {}
        self._pruned: dict[frozenset[int], dict[str, tuple[Any, ...]]] = {}
        self._reached: dict[frozenset[str], dict[str, tuple[Any, ...]]] = {}
        #: Per rule, its spans in the order to search them: newest first when no two
        #: overlap (then at most one holds a day, and a start is most often recent),
        #: else in version order, as RuleHistory.on searches them.
        self.search: tuple[tuple[Span, ...], ...] = tuple(
            tuple(reversed(rule_spans)) if _disjoint(rule_spans) else rule_spans
            for rule_spans in self.spans
        )

    def reads_of(self, events: tuple[BaseEvent, ...], classes: tuple[type, ...]
                 ) -> tuple[tuple[int, str], ...]:
        """Each event of ``events`` (whose classes, in order, are ``classes``) of a
        type some rule of the group names, as (index, type), in order: the events
        :func:`standard_many` reads. The others play no part in any rule (no
        switch, and so no action, for their type), and the pass passes over them.

        Found from the classes alone where every class is one of ``_TYPE_OF``'s
        (the class fixes the type: a one-value ``Literal`` field, on a frozen
        model, which the event union picks by that type), and then remembered by
        the classes (:attr:`reads`); else from each event's ``type`` (the plain
        walk, :func:`every_event`, for this case alone). tests/property/
        test_standard_pass.py holds the pass over these equal to the plain walk
        over every event.
        """
        switches = self.switches
        types = [_TYPE_OF.get(cls) for cls in classes]
        if None in types:  # (a class of the user's own: read its events' types)
            return tuple([(i, t) for i, t in every_event(events) if t in switches])
        found = tuple([(i, t) for i, t in enumerate(types) if t is not None and t in switches])
        if len(classes) <= _READS_LENGTH_MAX:
            if len(self.reads) >= 1_024:
                self.reads.clear()
            self.reads[classes] = found
        return found

    def without(self, dead: frozenset[int]) -> dict[str, tuple[Any, ...]]:
        """:attr:`switches` with every action of the rules ``dead`` left out (made once
        per set: at most one per subset of :attr:`gated`)."""
        hit = self._pruned.get(dead)
        if hit is None:
            hit = self._pruned[dead] = {
                t: _plain(Switch(field, _alive(actions, dead),
                                 {v: _alive(a, dead) for v, a in by_value.items()}, generic))
                for t, (field, actions, by_value, generic) in self.switches.items()
            }
        return hit

    def reaching(self, reached: frozenset[str]) -> dict[str, tuple[Any, ...]]:
        """The switches for a case whose main line reaches only the states
        ``reached``: :attr:`switches` without the gated rules none of those states
        lets start (:meth:`without`), remembered by the set of states (names from
        the workflow tables: a caseload reaches few sets; at most 1,000 kept)."""
        hit = self._reached.get(reached)
        if hit is None:
            dead = frozenset([r for r, while_in in self.gated if while_in.isdisjoint(reached)])
            hit = self.without(dead) if dead else self.switches
            if len(self._reached) >= 1_000:
                self._reached.clear()
            self._reached[reached] = hit
        return hit


def _alive(actions: tuple[tuple[Any, ...], ...], dead: frozenset[int]
           ) -> tuple[tuple[Any, ...], ...]:
    return tuple(a for a in actions if a[0] not in dead)


class Action(NamedTuple):
    """What an event does in one rule: an :class:`Entry` with each role decided."""

    rule: int
    is_start: bool
    is_met: bool
    is_closer: bool
    per: str | None
    while_in: frozenset[str]
    start_field: str | None


def _action(entry: tuple[Any, ...], decide: Any) -> tuple[Any, ...] | None:
    """``entry``'s action with each role decided by ``decide`` (None: it plays none)."""
    r, start, met, close, per, while_in, start_field = entry
    is_start, is_met, is_closer = decide(start), decide(met), decide(close)
    if not (is_start or is_met or is_closer):
        return None
    return tuple(Action(r, is_start, is_met, is_closer, per, while_in, start_field))


def _actions(entries: tuple[tuple[Any, ...], ...], decide: Any) -> tuple[tuple[Any, ...], ...]:
    """The actions of ``entries`` (in their order) that play some role."""
    out = (_action(entry, decide) for entry in entries)
    return tuple(a for a in out if a is not None)


class Switch(NamedTuple):
    """How :func:`standard_many` finds the actions of an event of one type.

    ``field`` None: ``actions`` are every event's, whatever its fields (each role
    is True or None). Otherwise every field-testing role of the type is a
    :class:`~sendflow.compliance._compiled.OneOf` on ``field``: an event whose
    ``field`` is text ``v`` has the actions ``by_value.get(v, actions)``, decided as
    :func:`~sendflow.compliance._compiled.plays` decides them for that text (and
    ``actions`` are those of a text no role names). An event whose ``field`` is not
    text, or a type whose roles test fields otherwise (``generic``), is decided
    event by event with ``plays``.
    """

    field: str | None
    #: (When no role tests a field, ``field`` may be the instance key's field shared
    #: by every entry, and ``by_value`` is empty: it is read once an event.)
    actions: tuple[tuple[Any, ...], ...]
    by_value: dict[str, tuple[tuple[Any, ...], ...]]
    generic: bool


def _switch(entries: tuple[tuple[Any, ...], ...]) -> Switch:
    roles = [role for entry in entries for role in entry[1:4]]
    tests = [role for role in roles if role is not None and role is not True]
    fields = {role.field for role in tests if type(role) is OneOf}
    if not tests:
        # No role tests a field: read the instance key's field, if the entries
        # share one, once for them all.
        pers = {entry[4] for entry in entries}
        field = pers.pop() if len(pers) == 1 else None
        return Switch(field, _actions(entries, lambda role: role is True), {}, False)
    if len(fields) != 1 or any(type(role) is not OneOf for role in tests):
        return Switch(None, (), {}, True)
    field = fields.pop()
    values = {v for role in tests for v in role.values}
    by_value = {
        v: _actions(entries, lambda role, v=v: role is True or (
            role is not None and v in role.values))
        for v in sorted(values)
    }
    return Switch(field, _actions(entries, lambda role: role is True), by_value, False)


def _disjoint(spans: tuple[Span, ...]) -> bool:
    """Whether no day falls in two of ``spans``."""
    ordered = sorted(spans, key=lambda span: span[0])
    return all(a[1] < b[0] for a, b in pairwise(ordered))


def _decided(entries: tuple[tuple[Any, ...], ...], event: BaseEvent) -> tuple[tuple[Any, ...], ...]:
    """The actions of ``event`` in ``entries``, each role decided by
    :func:`~sendflow.compliance._compiled.plays` (the plain way :class:`Switch` skips)."""
    return _actions(entries, lambda role: role is True or (
        role is not None and plays(role, event)))


#: Compiled groups by their segments' keys (checked against the segments).
_GROUPS: dict[tuple[tuple[str, date], ...], Group] = {}


def group(segments: tuple[Segment, ...]) -> Group:
    """The segments compiled to run together (once per set of segments)."""
    key = tuple(s.key for s in segments)
    hit = _GROUPS.get(key)
    if hit is None or any(a is not b for a, b in zip(hit.segments, segments, strict=True)):
        if len(_GROUPS) >= 10_000:
            _GROUPS.clear()
        hit = _GROUPS[key] = Group(segments)
    return hit


def clear() -> None:
    """Forget every compiled group."""
    _GROUPS.clear()


class Open(NamedTuple):
    """An instance of a rule started and not yet settled (one per deadline)."""

    #: Its place in the pass's output list, filled when it is settled.
    slot: int
    due: date
    start: date
    #: The type of the event that started it.
    start_event: str
    #: The parts of the rule version in force on the start date.
    parts: Parts


def every_event(events: tuple[BaseEvent, ...]) -> list[tuple[int, str]]:
    """Every event of ``events`` as (index, type): the plain walk, which
    :meth:`Group.reads_of` narrows to the events a group reads."""
    return [(i, event.type) for i, event in enumerate(events)]


def standard_many(group: Group, ctx: EvaluationContext) -> list[Deadline]:
    """The deadlines of every rule of ``group`` (see :func:`standard`), in one pass.

    Each rule's deadlines come in the order they started; the rules' are
    interleaved (by when each started), and :func:`sendflow.evaluate` sorts them
    all by due date, rule and key, where a rule's own keep their order.

    The pass reads only the events of a type some rule of the group names
    (:meth:`Group.reads_of`, found once per sequence of event classes): an event
    of another type plays no role in any of them. A group without instance
    keys, gates or start fields runs :func:`_unkeyed_pass`, any other
    :func:`_keyed_pass`. tests/property/test_standard_pass.py holds this equal to
    ``_keyed_pass`` over every event (:func:`every_event`), and both to the
    plain reading in tests/reference/engine.py.
    """
    events = ctx.events
    # The classes, type(event) in C (no attribute read), made a tuple from a list:
    # tuple(map(...)) guesses a size and resizes, taking a tuple of one size from
    # CPython's free lists and giving back one of another, which moves the cyclic
    # collector's count on by one a case until those lists fill.
    classes = (*map(type, events),)
    reads = group.reads.get(classes)
    if reads is None:
        reads = group.reads_of(events, classes)
    if group.unkeyed:
        return _unkeyed_pass(group, ctx, reads)
    return _keyed_pass(group, ctx, reads)



def _past_the_calendar(hist: RuleHistory) -> CalendarError:
    """The error of either pass when a due date of ``hist``'s rule runs past what
    Python's dates can hold (year 9999)."""
    return CalendarError(
        f"rule {hist.id!r}: a due date falls outside the dates the calendar supports"
    )

def _unkeyed_pass(group: Group, ctx: EvaluationContext,
                  reads: Sequence[tuple[int, str]]) -> list[Deadline]:
    """:func:`_keyed_pass` for a group whose rules have no instance key (``per``),
    no gate (``while_in``) and no start field: each rule has at most one open
    instance (a start supersedes it), kept in a list by rule rather than a dict
    by key; there is no key to read, no state to test, and a start is on its
    event's date. Everything else is ``_keyed_pass``'s, line for line.
    tests/property/test_standard_pass.py holds the two equal.
    """
    hists, switches, spans = group.hists, group.switches, group.search
    events = ctx.events
    holidays = ctx.holidays
    make = build_deadline
    new_open = _new_tuple
    out: list[Deadline | None] = []
    # The open instance of each rule (None: none open).
    opens: list[Open | None] = [None] * len(hists)
    r = 0
    try:
        for i, type_ in reads:
            switch = switches.get(type_)
            if switch is None:
                continue
            event = events[i]
            field, actions, by_value, generic = switch
            if field is not None:
                value = getattr(event, field, None)
                value = getattr(value, "_value_", value)  # (as plays reads it)
                if type(value) is str:
                    if by_value:
                        actions = by_value.get(value, actions)
                elif by_value:
                    actions = _decided(group.dispatch[type_], event)
            elif generic:
                actions = _decided(group.dispatch[type_], event)
            on = event.on
            for r, is_start, is_met, _closer, _per, _while_in, _start_field in actions:
                inst = opens[r]
                if inst is not None:
                    # Every action plays some role, and the instance is the
                    # event's own (no key): it is settled.
                    slot, due, start, start_event, parts = inst
                    if is_start:  # superseded: the breach stands if overdue
                        met_on, closed = None, on <= due
                    elif is_met:
                        met_on, closed = on, False
                    else:
                        met_on, closed = None, True
                    out[slot] = make(ctx, parts, due, start, start_event, met_on, closed,
                                     None, hists[r])
                    opens[r] = None
                if not is_start:
                    continue
                for span in spans[r]:  # RuleHistory.on, written out
                    if span[0] <= on <= span[1]:
                        break
                else:
                    continue  # no version in force on the start date (as _keyed_pass)
                _, _, parts, offset = span
                due = on + offset if offset is not None else due_on(parts.rule.period, on,
                                                                    holidays)
                opens[r] = new_open(Open, (len(out), due, on, type_, parts))
                out.append(None)
        for r, inst in enumerate(opens):
            if inst is not None:
                slot, due, start, start_event, parts = inst
                out[slot] = make(ctx, parts, due, start, start_event, None, False, None,
                                 hists[r])
    except SendflowError:
        raise
    except (OverflowError, ValueError):
        raise _past_the_calendar(hists[r]) from None
    return out  # type: ignore[return-value]  # every slot was settled above


def _keyed_pass(group: Group, ctx: EvaluationContext,
                reads: Sequence[tuple[int, str]]) -> list[Deadline]:
    """The pass of :func:`standard_many` over the events ``reads`` names (index,
    type), for any group.

    Each event's part in each rule is looked up, decided in advance, from the
    group's :class:`Switch` for its type (the roles a text field decides are
    decided once per text, not once per event by ``plays``), and an entry whose
    event plays no role is left out of it; a start finds its version newest span
    first where no two overlap. An event
    without an instance key (every event of a rule without ``per``) settles each
    open instance of the rule, without the keyed way's tests.
    tests/property/test_engine_reference.py holds this pass equal to the plain
    reading in tests/reference/engine.py (every rule, and any selection of rules),
    and tests/unit/test_standard_switch.py each switch equal to ``plays``.
    """
    hists, switches, spans = group.hists, group.switches, group.search
    events = ctx.events
    states: list[str] = []  # the main-line state after each event, read when gated
    if group.gated and events:
        # A rule that starts only in some main-line states never starts in a case
        # that is never in one of them, and so has nothing to settle either: its
        # actions are left out for the whole case.
        states = ctx.main_states()
        switches = group.reaching(frozenset(states))
    holidays = ctx.holidays
    make = build_deadline
    new_open = _new_tuple
    # Every rule's deadlines, a slot for each as it starts, filled when it is settled.
    out: list[Deadline | None] = []
    # Open instances per rule, by key (None until the rule first starts: a list of
    # None is made in C, where a list of dicts takes a comprehension's frame). A
    # start supersedes every open instance with its key, so each key has at most one.
    opens: list[dict[str | None, Open] | None] = [None] * len(hists)
    r = 0
    try:
        for i, type_ in reads:
            switch = switches.get(type_)
            if switch is None:
                continue
            event = events[i]
            field, actions, by_value, generic = switch
            # The text of the switch's field, when it is text (else None): as the
            # instance key of an entry whose ``per`` is that field, it is the key.
            text = None
            if field is not None:
                value = getattr(event, field, None)
                value = getattr(value, "_value_", value)  # (as plays reads it)
                if type(value) is str:
                    text = value
                    if by_value:
                        actions = by_value.get(value, actions)
                elif by_value:
                    actions = _decided(group.dispatch[type_], event)
            elif generic:
                actions = _decided(group.dispatch[type_], event)
            on = event.on
            for r, is_start, is_met, is_closer, per, while_in, start_field in actions:
                open_ = opens[r]
                # The instance key: the value of the clock's ``per`` field, if any.
                # An enum member's ``_value_`` is a plain attribute (``.value`` is a
                # slow descriptor).
                if per is None:
                    key = None
                elif text is not None and per == field:
                    key = text  # (str(text) is text)
                else:
                    value = getattr(event, per, None)
                    key = None if value is None else str(getattr(value, "_value_", value))
                if open_:
                    if key is None:
                        # An event without a key concerns every open instance, and
                        # settles each: every action plays some role (an entry that
                        # plays none is left out of the switch), and with no key
                        # each instance is the event's own. As the keyed way below
                        # settles them, in their order.
                        for inst_key, (slot, due, start, start_event, parts) in open_.items():
                            if is_start:  # superseded: the breach stands if overdue
                                met_on, closed = None, on <= due
                            elif is_met:
                                met_on, closed = on, False
                            else:
                                met_on, closed = None, True
                            out[slot] = make(ctx, parts, due, start, start_event, met_on, closed,
                                             inst_key, hists[r])
                        open_.clear()
                    else:
                        # A keyed start or satisfying event concerns its own key
                        # only; a closing one, all.
                        concerned: tuple[tuple[str | None, Open], ...]
                        if not is_closer:
                            inst = open_.get(key)
                            concerned = () if inst is None else ((key, inst),)
                        else:
                            concerned = tuple(open_.items())
                        for inst_key, inst in concerned:
                            same = key == inst_key
                            if same and is_start:
                                met_on, closed = None, on <= inst.due
                            elif same and is_met:
                                met_on, closed = on, False
                            elif is_closer:
                                met_on, closed = None, True
                            else:
                                continue
                            del open_[inst_key]
                            slot, due, start, start_event, parts = inst
                            out[slot] = make(ctx, parts, due, start, start_event, met_on, closed,
                                             inst_key, hists[r])
                if not is_start:
                    continue
                if while_in and states[i] not in while_in:
                    continue
                start = (getattr(event, start_field, None) or on) if start_field else on
                for span in spans[r]:  # RuleHistory.on, written out
                    if span[0] <= start <= span[1]:
                        break
                else:
                    # No version of this segment is in force on the start date:
                    # the segment whose version is judges it (or no version is).
                    continue
                _, _, parts, offset = span
                due = (
                    start + offset
                    if offset is not None
                    else due_on(parts.rule.period, start, holidays)
                )
                if open_ is None:
                    open_ = opens[r] = {}
                # (Open's own __new__, without its Python-level wrapper)
                open_[key] = new_open(Open, (len(out), due, start, type_, parts))
                out.append(None)
        for r, open_ in enumerate(opens):
            if open_:
                for inst_key, (slot, due, start, start_event, parts) in open_.items():
                    out[slot] = make(ctx, parts, due, start, start_event, None, False, inst_key,
                                     hists[r])
    except SendflowError:
        raise
    except (OverflowError, ValueError):
        raise _past_the_calendar(hists[r]) from None
    return out  # type: ignore[return-value]  # every slot was settled above


_new_tuple = tuple.__new__


def before_anchor(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """ "At least N before" an anchor event (a meeting, a mediation).

    Each event matching ``starts`` is an anchor; its date (or the field named
    by ``start_field``, e.g. a mediation date fixed in advance) is the day the
    notice must precede. The deadline is met by the earliest event matching
    ``met_by`` between the previous anchor and the next one.
    """
    out: list[Deadline] = []
    events = ctx.events
    clock = hist.versions[-1].clock  # every version of a segment shares it
    compiled = clock_of(hist)
    starts, met_by, closed_by = compiled.starts, compiled.met_by, compiled.closed_by
    anchors = [i for i, e in enumerate(events) if starts(e)]
    reading = ctx.reading("notice.at_least")
    for n, i in enumerate(anchors):
        event = events[i]
        anchor = getattr(event, clock.start_field, None) if clock.start_field else None
        anchor = anchor or event.on
        rule = hist.on(anchor)
        if rule is None:
            continue
        due = notice_due(rule.period, anchor, reading=reading, holidays=ctx.holidays)
        note = None
        if reading == "clear_days":
            note = (f"Read as clear days (reading notice.at_least = clear_days): neither the "
                    f"day of the notice nor {_fmt(anchor)} is counted, so the notice is due "
                    f"{_fmt(due)}.")
        lo = anchors[n - 1] + 1 if n else 0
        hi = anchors[n + 1] if n + 1 < len(anchors) else len(events)
        met = [e.on for e in events[lo:hi] if met_by(e) and e.on <= anchor]
        closed = any(closed_by(e) for e in events[i + 1 : hi])
        out.append(
            ctx.make(
                rule,
                due=due,
                started_on=anchor,
                start_event=event.type,
                met_on=min(met) if met else None,
                closed=closed and not met,
                history=hist,
                note=note,
            )
        )
    return out


def before_anchor_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """:func:`before_anchor` in one scan: the events that can anchor, meet or close the
    notice are picked out by type first, and each due date is counted once a caseload
    (:func:`~sendflow.compliance._compiled.notice_due_on`). ``before_anchor`` is the
    plain path; tests/property/test_engine_reference.py holds the two equal."""
    compiled = clock_of(hist)
    roles = compiled.roles
    start_field = compiled.start_field
    anchors: list[int] = []
    mets: list[tuple[int, date]] = []
    closers: list[int] = []
    events = ctx.events
    for i, e in enumerate(events):
        role = roles.get(e.type)
        if role is None:
            continue
        start, met, close = role
        if start is True or (start is not None and plays(start, e)):
            anchors.append(i)
        if met is True or (met is not None and plays(met, e)):
            mets.append((i, e.on))
        if close is True or (close is not None and plays(close, e)):
            closers.append(i)
    if not anchors:
        return []
    out: list[Deadline] = []
    reading = ctx.readings["notice.at_least"]  # (ctx.reading, without the call)
    holidays = ctx.holidays
    n_events = len(events)
    last = len(anchors) - 1
    # hist.on and parts_for in one step: each version's days in force with its parts
    spans = spans_of(hist)
    for n, i in enumerate(anchors):
        event = events[i]
        anchor = getattr(event, start_field, None) if start_field else None
        anchor = anchor or event.on
        parts = parts_on(hist, spans, anchor)
        if parts is None:
            continue
        rule = parts.rule
        due = notice_due_on(rule.period, anchor, reading, holidays)
        note = None
        if reading == "clear_days":
            note = (f"Read as clear days (reading notice.at_least = clear_days): neither the "
                    f"day of the notice nor {_fmt(anchor)} is counted, so the notice is due "
                    f"{_fmt(due)}.")
        lo = anchors[n - 1] + 1 if n else 0
        hi = anchors[n + 1] if n < last else n_events
        met_on = None
        for j, on in mets:
            if lo <= j < hi and on <= anchor and (met_on is None or on < met_on):
                met_on = on
        closed = met_on is None and bool(closers) and any(i < j < hi for j in closers)
        out.append(build_deadline(ctx, parts, due, anchor, event.type, met_on, closed, None,
                                  hist, note))
    return out
