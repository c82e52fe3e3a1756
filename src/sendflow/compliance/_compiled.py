"""Rules compiled once per rule id: what the engine runs for each rule.

A rule's versions may differ in their evaluator and their clock (what starts,
meets and closes it); a case is judged by the version in force for it. So a
rule compiles to one or more :class:`Segment` values — the versions that share
an evaluator and a clock, as a :class:`~sendflow.rules.RuleHistory` of their
own — and the engine runs each segment with its own evaluator. A start outside
a segment's versions finds no version there (``history.on(start)`` is None)
and is judged by the segment whose version is in force on that day.

Compiled rules are kept by rule id and checked against the history they were
compiled from, so a registry loaded afresh (a test's copy) compiles afresh.
:func:`sendflow.compliance._plan.clear_caches` empties every cache.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from sendflow._readings_law import notice_due
from sendflow.compliance._build import DEADLINE_FIELDS
from sendflow.compliance._report import SharedStore, find_version
from sendflow.errors import RuleNotFound
from sendflow.rules import LegalStatus, Period, PeriodUnit, Rule
from sendflow.rules._model import EventMatch, RuleClock
from sendflow.rules._registry import RuleHistory, history
from sendflow.workflows import BaseEvent
from sendflow.workflows._table import has_fields

__all__ = [
    "Clock",
    "CompiledRule",
    "Matcher",
    "OneOf",
    "Parts",
    "Segment",
    "Span",
    "clock_of",
    "compile_rule",
    "due_on",
    "matches",
    "notice_due_on",
    "parts_for",
    "parts_on",
    "plays",
    "segments_of",
    "spans_of",
]

_WORKING_DAYS = PeriodUnit.WORKING_DAYS


class Parts(NamedTuple):
    """What building a deadline needs from one rule version."""

    rule: Rule
    #: Every field of Deadline in order, the version's own values filled in.
    template: dict[str, Any]
    lapses: bool
    working_days: bool
    #: The private store every deadline built from these parts shares (``_rule``):
    #: see :func:`sendflow.compliance._build.build_deadline`.
    private: SharedStore


def _parts(rule: Rule) -> Parts:
    template: dict[str, Any] = dict.fromkeys(DEADLINE_FIELDS)
    template.update(
        rule_id=rule.id,
        title=rule.title,
        legal_status=rule.legal_status,
        citations=rule.citations,
        rule_version=rule.effective_from,
    )
    registered = find_version(rule.id, rule.effective_from, None)
    if registered is None or registered.period != rule.period:
        template["period"] = rule.period  # fixed by the case: kept for a reload
    return Parts(rule, template, rule.lapses, rule.period.unit is _WORKING_DAYS,
                 SharedStore({"_rule": rule}))


class Span(NamedTuple):
    """One version's days in force, its parts, and its fixed offset to the due date."""

    first: date
    last: date
    parts: Parts
    #: start + offset is the due date (None: the period is not a fixed number of days).
    offset: timedelta | None


def matches(match: EventMatch, event: BaseEvent) -> bool:
    """Whether ``event`` is of the matched type and has the matched field values."""
    return event.type == match.event and has_fields(event, match.where.items())


#: How an event of one type can play a clock role: None (it cannot), True
#: (whatever its fields), field tests one of which must pass, or a :class:`OneOf`.
Role = Any


class OneOf(NamedTuple):
    """Field tests that each test one and the same field for a text value (``adviser``
    is one of nine, ``outcome`` is ``maintain`` or ``cease``), compiled to one set
    look-up. ``tests`` are the tests themselves, for a value that is not text."""

    field: str
    values: frozenset[str]
    tests: tuple[tuple[tuple[str, Any], ...], ...]


def _one_of(tests: tuple[tuple[tuple[str, Any], ...], ...]) -> Any:
    """``tests`` as a :class:`OneOf` when they allow it (else as they are)."""
    names = {fields[0][0] for fields in tests if len(fields) == 1}
    if not tests or len(names) != 1 or any(
        len(fields) != 1 or type(fields[0][1]) is not str for fields in tests
    ):
        return tests
    return OneOf(names.pop(), frozenset(fields[0][1] for fields in tests), tests)


def plays(role: Role, event: BaseEvent) -> bool:
    """Whether ``event`` plays a clock role (a :meth:`Matcher.role` for its type)."""
    if role is True:
        return True
    if role is not None:
        if type(role) is OneOf:
            value = getattr(event, role.field, None)
            # ``_value_``, not ``.value`` (as has_fields reads an enum member)
            value = getattr(value, "_value_", value)
            if type(value) is str:  # equal to a text exactly when in the set
                return value in role.values
            role = role.tests
        for fields in role:
            if has_fields(event, fields):
                return True
    return False


class Matcher:
    """A set of :class:`EventMatch` compiled to a dict lookup by event type.

    ``by_type`` maps an event type to the field tests any one of which is
    enough (a :class:`OneOf` when each tests the same field for a text);
    ``None`` marks a type matched whatever its fields.
    """

    __slots__ = ("by_type",)

    def __init__(self, matchers: Iterable[EventMatch]) -> None:
        by_type: dict[str, list[tuple[tuple[str, Any], ...]]] = {}
        for m in matchers:
            by_type.setdefault(m.event, []).append(tuple(m.where.items()))
        self.by_type: dict[str, Any] = {
            k: None if () in v else _one_of(tuple(v)) for k, v in by_type.items()
        }

    def role(self, type_: str) -> Role:
        """How an event of ``type_`` can match (see :data:`Role`)."""
        if type_ not in self.by_type:
            return None
        return self.by_type[type_] or True

    def __call__(self, event: BaseEvent) -> bool:
        return plays(self.role(event.type), event)


class Roles(NamedTuple):
    """How an event of one type takes part in a clock (each a :data:`Role`)."""

    start: Role
    met: Role
    close: Role


class Clock:
    """A :class:`~sendflow.rules.RuleClock` compiled for the evaluators."""

    __slots__ = ("closed_by", "met_by", "per", "roles", "start_field", "starts", "while_in")

    def __init__(self, clock: RuleClock) -> None:
        starts = self.starts = Matcher(clock.starts)
        met_by = self.met_by = Matcher(clock.met_by)
        closed_by = self.closed_by = Matcher(clock.closed_by)
        #: event type -> how it takes part.
        self.roles: dict[str, Roles] = {
            t: Roles(starts.role(t), met_by.role(t), closed_by.role(t))
            for t in starts.by_type.keys() | met_by.by_type.keys() | closed_by.by_type.keys()
        }
        self.per: str | None = clock.per
        self.start_field: str | None = clock.start_field
        self.while_in: frozenset[str] = frozenset(clock.while_in)


class Segment(NamedTuple):
    """Versions of one rule that share an evaluator and a clock: one unit the engine runs."""

    #: The rule's history limited to these versions (the whole history when
    #: every version shares them).
    history: RuleHistory
    evaluator: str
    clock: Clock
    spans: tuple[Span, ...]

    @property
    def key(self) -> tuple[str, date]:
        """The segment's name: its rule id and the first day of its first version."""
        return (self.history.id, self.history.versions[0].effective_from)


class CompiledRule:
    """One rule's history compiled: its segments and every version's parts."""

    __slots__ = ("history", "segments", "spans")

    def __init__(self, hist: RuleHistory) -> None:
        self.history = hist
        # One span per version, in the history's order (hist._spans follows versions).
        self.spans: tuple[Span, ...] = tuple(
            Span(first, last, _parts(v), v.period._offset()) for first, last, v in hist._spans
        )
        # Versions grouped by what they run (in order of their first version), each
        # with its span; derived versions are planning dates, not compliance deadlines.
        runs: list[tuple[str, RuleClock, list[Rule], list[Span]]] = []
        for v, span in zip(hist.versions, self.spans, strict=True):
            if v.legal_status is LegalStatus.DERIVED:
                continue
            for evaluator, clock, versions, run_spans in runs:
                if evaluator == v.evaluator and clock == v.clock:
                    versions.append(v)
                    run_spans.append(span)
                    break
            else:
                runs.append((v.evaluator, v.clock, [v], [span]))
        whole = len(runs) == 1 and len(runs[0][2]) == len(hist.versions)
        self.segments: tuple[Segment, ...] = tuple(
            Segment(
                hist if whole else RuleHistory(id=hist.id, versions=tuple(versions)),
                evaluator,
                Clock(clock),
                tuple(run_spans),
            )
            for evaluator, clock, versions, run_spans in runs
        )

    def parts(self, rule: Rule) -> Parts | None:
        """The parts of ``rule`` if it is one of this history's versions."""
        for span in self.spans:
            if span.parts.rule is rule:
                return span.parts
        return None


#: Compiled rules by rule id, each checked against the history it came from.
_COMPILED: dict[str, CompiledRule] = {}


def compile_rule(hist: RuleHistory) -> CompiledRule:
    """``hist`` compiled (once per rule id while the registry stays the same)."""
    hit = _COMPILED.get(hist.id)
    if hit is None or hit.history is not hist:
        hit = _COMPILED[hist.id] = CompiledRule(hist)
    return hit


def segments_of(hist: RuleHistory) -> tuple[Segment, ...]:
    """The segments of a registry history, or of one segment's history (that one)."""
    hit = _COMPILED.get(hist.id)
    if hit is not None:
        if hit.history is hist:
            return hit.segments
        for segment in hit.segments:
            if segment.history is hist:
                return (segment,)
    if hit is None:
        return compile_rule(hist).segments
    return CompiledRule(hist).segments  # a history from elsewhere: compiled each time


def clock_of(hist: RuleHistory) -> Clock:
    """The compiled clock of a segment's history (or of a history's latest version)."""
    hit = _COMPILED.get(hist.id)
    if hit is not None:
        for segment in hit.segments:
            if segment.history is hist:
                return segment.clock
    hit = compile_rule(hist) if hit is None else CompiledRule(hist)
    for segment in hit.segments:
        if segment.history.versions[-1] is hist.versions[-1]:
            return segment.clock
    return Clock(hist.versions[-1].clock)


def spans_of(hist: RuleHistory) -> tuple[Span, ...] | None:
    """The spans of a segment's history (a registry rule's, or one of its segments'),
    one per version in version order: ``hist.on(day)`` is the version of the first
    span holding ``day``. None for a history compiled from elsewhere."""
    hit = _COMPILED.get(hist.id)
    if hit is not None:
        for segment in hit.segments:
            if segment.history is hist:
                return segment.spans
    return None


def parts_on(hist: RuleHistory, spans: tuple[Span, ...] | None, day: date) -> Parts | None:
    """The parts of ``hist``'s version in force on ``day`` (None: no version is), from
    ``spans`` (:func:`spans_of`) when given, else by ``hist.on`` and :func:`parts_for`."""
    if spans is not None:
        for span in spans:  # RuleHistory.on, written out
            if span[0] <= day <= span[1]:
                return span[2]
        return None
    rule = hist.on(day)
    return None if rule is None else parts_for(rule)


#: Parts by rule id and first day of their version, for :func:`parts_for`. An entry
#: serves only the very version it was made from (``parts.rule is rule``): a copied or
#: changed registry's version under the same key replaces it. Emptied at _PARTS_SIZE.
_PARTS: dict[tuple[str, date], Parts] = {}
_PARTS_SIZE = 10_000


def parts_for(rule: Rule) -> Parts:
    """The parts of a rule version (compiled with its rule when it is a registry version).

    Looked up by the version's identity first: every deadline a custom evaluator
    makes comes here.
    """
    key = (rule.id, rule.effective_from)
    parts = _PARTS.get(key)
    if parts is not None and parts.rule is rule:
        return parts
    hit = _COMPILED.get(rule.id)
    parts = None if hit is None else hit.parts(rule)
    if parts is None:
        try:
            parts = compile_rule(history(rule.id)).parts(rule)
        except RuleNotFound:
            parts = None
    if parts is None:
        parts = _parts(rule)
    if len(_PARTS) >= _PARTS_SIZE:
        _PARTS.clear()
    _PARTS[key] = parts
    return parts


#: Due dates already counted by the calendar, by (period, start) and, for a notice, its
#: reading: only for the default holiday table. A period is a frozen value, so equal
#: periods share their answers, whichever rule version holds them.
_DUES: dict[tuple[Period, date, str | None], date] = {}
_DUES_SIZE = 50_000


def due_on(period: Period, start: date, holidays: Any = None) -> date:
    """``period.due(start)``, remembered for the default holiday table.

    The date arithmetic is the calendar's own (:meth:`~sendflow.rules.Period.due`); a
    caseload asks for the same (period, start) many times over (reviews counted from
    the same days), so each answer is counted once.
    """
    if holidays is not None:
        return period.due(start, holidays=holidays)
    key = (period, start, None)
    due = _DUES.get(key)
    if due is None:
        due = period.due(start)
        _remember(key, due)
    return due


def notice_due_on(period: Period, anchor: date, reading: str, holidays: Any = None) -> date:
    """:func:`sendflow._readings_law.notice_due`, remembered as :func:`due_on` is."""
    if holidays is not None:
        return notice_due(period, anchor, reading=reading, holidays=holidays)
    key = (period, anchor, reading)
    due = _DUES.get(key)
    if due is None:
        due = notice_due(period, anchor, reading=reading)
        _remember(key, due)
    return due


def _remember(key: tuple[Period, date, str | None], due: date) -> None:
    if len(_DUES) >= _DUES_SIZE:
        _DUES.clear()
    _DUES[key] = due


def clear() -> None:
    """Forget every compiled rule, the parts found for rule versions and the due dates
    remembered (for a registry loaded afresh, or a calendar changed under test)."""
    _COMPILED.clear()
    _PARTS.clear()
    _DUES.clear()
