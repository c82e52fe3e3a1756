"""The compliance engine: evaluate, the evaluators' table and the standard evaluator.

The public names are re-exported by :mod:`sendflow.compliance`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from operator import attrgetter
from typing import Annotated, Any, cast, overload

from pydantic import BaseModel, BeforeValidator, Field, PrivateAttr, SerializeAsAny

from sendflow import _caseview, calendar
from sendflow._base import SendflowModel
from sendflow._readings_law import notice_due
from sendflow.case import Case
from sendflow.errors import (
    CalendarError,
    InvalidArgument,
    RuleDataError,
    RuleNotFound,
    SendflowError,
)
from sendflow.rules import Citation, LegalStatus, Period, PeriodUnit, Rule
from sendflow.rules._model import EventMatch
from sendflow.rules._readings import READINGS_FILE, default_readings, readings, resolve_readings
from sendflow.rules._registry import RuleHistory, all_rules, history
from sendflow.workflows import EVENT_CLASSES, BaseEvent, ExceptionRecorded
from sendflow.workflows._table import has_fields

__all__ = [
    "ComplianceReport",
    "Deadline",
    "EvaluationContext",
    "Finding",
    "Status",
    "evaluate",
    "evaluate_many",
    "format_date",
    "register_evaluator",
    "register_findings",
]


class Status(StrEnum):
    """How a deadline stands on the evaluation date."""

    PENDING = "pending"
    MET = "met"
    MISSED = "missed"
    OVERDUE = "overdue"
    DISAPPLIED = "disapplied"
    NOT_APPLICABLE = "not_applicable"
    NOT_RECORDED = "not_recorded"

    def __repr__(self) -> str:
        return repr(self.value)


_PENDING, _MET, _MISSED = Status.PENDING, Status.MET, Status.MISSED
_OVERDUE, _DISAPPLIED, _NOT_APPLICABLE = Status.OVERDUE, Status.DISAPPLIED, Status.NOT_APPLICABLE
_WORKING_DAYS = PeriodUnit.WORKING_DAYS

_DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTH_NAMES = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def format_date(d: date) -> str:
    """A date as sendflow writes it in explanations, e.g. ``'Mon 5 Jan 2026'``.

    Independent of the locale (unlike ``strftime``), and quick.

    ```python
    >>> format_date(date(2026, 5, 25))
    'Mon 25 May 2026'

    ```
    """
    return f"{_DAY_NAMES[d.weekday()]} {d.day} {_MONTH_NAMES[d.month - 1]} {d.year}"


def _fmt(d: date | None) -> str:
    return "-" if d is None else format_date(d)


_EVENT_LABELS = {
    "request_received": "request received",
    "draft_plan_issued": "draft plan served",
}


class Deadline(SendflowModel):
    """One instance of a rule's deadline in one case."""

    rule_id: str
    title: str
    due: date | None
    status: Status
    met_on: date | None = None
    started_on: date | None = None
    start_event: str | None = None
    key: str | None = Field(default=None, description="Which instance (e.g. the adviser).")
    exception: ExceptionRecorded | None = None
    latest_working_day: date | None = Field(
        default=None,
        description="Advisory: the last working day on or before 'due' when 'due' is not one.",
    )
    legal_status: LegalStatus
    citations: tuple[Citation, ...]
    as_of: date
    note: str | None = None
    rule_version: date | None = Field(
        default=None,
        description="The first day in force of the rule version the deadline was "
        "computed from (its effective_from): a report read back from JSON finds the "
        "version again.",
    )
    period: Period | None = Field(
        default=None,
        description="The period counted, when the case fixed it rather than the rule "
        "version (a phase transfer's date, an order's own period); None when it is "
        "the version's own.",
    )

    _rule: Rule | None = PrivateAttr(default=None)

    def model_post_init(self, context: Any, /) -> None:
        """Find the rule version again (a deadline read back from JSON)."""
        if self._rule is None and self.rule_version is not None:
            self._rule = _find_version(self.rule_id, self.rule_version, self.period)

    @property
    def rule(self) -> Rule | None:
        """The rule version this deadline was computed from, with the period the
        case fixed, if any (a phase transfer's date, an order's period).

        A deadline read back from JSON finds the version again by ``rule_id``
        and ``rule_version``, with ``period``; exceptions that the case took
        from another rule (a mediation agreement counted as a Tribunal order)
        are not kept. None for a version the registry does not hold."""
        return self._rule

    def explain(self) -> str:
        """A plain-English trace: start, arithmetic, due date, status and citation."""
        rule = self._rule
        cite = "; ".join(f"{c.title} {c.provision} <{c.href}>" for c in self.citations)
        lines = [f"{self.rule_id} — {self.title}" + (f" [{self.key}]" if self.key else "")]
        if self.due is not None and not self._arithmetic_holds():
            # The rule's own arithmetic (later of two periods, a prohibition...) is
            # not the stored period from the start date; the note sets it out.
            lines.append(f"due {_fmt(self.due)} — {cite}")
        elif rule is not None and self.started_on is not None and self.due is not None:
            start = _EVENT_LABELS.get(
                self.start_event or "", (self.start_event or "start").replace("_", " ")
            )
            period = rule.period.describe()
            delta = (self.due - self.started_on).days
            sign = "+" if delta >= 0 else "-"
            lines.append(
                f"{start} {_fmt(self.started_on)}; due {period}: {_fmt(self.due)} "
                f"({_fmt(self.started_on)} {sign} {abs(delta)} days) — {cite}"
            )
            if rule.period.unit is PeriodUnit.WORKING_DAYS:
                lines.append(
                    "Working days exclude weekends, Christmas Day, Good Friday and bank "
                    "holidays in England (sendflow's convention: the Regulations do not "
                    "define the term)."
                )
        elif self.due is None:
            lines.append(f"No deadline arose on this case's path — {cite}")
        if self.latest_working_day is not None and self.due is not None:
            lines.append(
                f"{_fmt(self.due)} is not a working day. Statutory periods are not moved; "
                f"the last working day before it is {_fmt(self.latest_working_day)}."
            )
        lines.append(self._status_sentence())
        if self.legal_status is LegalStatus.GUIDANCE:
            lines.append("This is Code of Practice guidance, not a statutory time limit.")
        if self.note:
            lines.append(self.note)
        return "\n".join(lines)

    def _arithmetic_holds(self) -> bool:
        """Whether the rule's period, counted from the start, gives the due date."""
        rule = self._rule
        if rule is None or self.started_on is None or self.due is None:
            return False
        try:
            return rule.period.due(self.started_on) == self.due
        except (SendflowError, OverflowError, ValueError):
            return False

    def _status_sentence(self) -> str:
        due, met = self.due, self.met_on
        if self.status is Status.MET and met is not None and due is not None:
            early = (due - met).days
            when = "on the due date" if early == 0 else f"{early} day{'s' * (early != 1)} early"
            return f"Status: met on {_fmt(met)} ({when})."
        if self.status is Status.MET:
            return "Status: met."
        if self.status is Status.MISSED and met is not None and due is not None:
            late = (met - due).days
            return f"Status: missed — done on {_fmt(met)}, {late} day{'s' * (late != 1)} late."
        if self.status is Status.OVERDUE and due is not None:
            late = (self.as_of - due).days
            return (
                f"Status: overdue — not done by {_fmt(due)}; {late} day{'s' * (late != 1)} "
                f"overdue as of {_fmt(self.as_of)}."
            )
        if self.status is Status.PENDING and due is not None:
            left = (due - self.as_of).days
            return f"Status: pending — {left} day{'s' * (left != 1)} left as of {_fmt(self.as_of)}."
        if self.status is Status.DISAPPLIED and self.exception is not None:
            e = self.exception
            until = f" to {_fmt(e.until)}" if e.until else " (continuing)"
            return (
                f"Status: disapplied — exception '{e.ground.value}' recorded from "
                f"{_fmt(e.on)}{until}; "
                "the time limit does not apply and the duty is to act as soon as practicable."
            )
        if self.status is Status.NOT_RECORDED:
            return ("Status: not recorded — the source system does not record the event "
                    "that meets this deadline.")
        rule = self._rule
        if rule is not None and rule.lapses and due is not None and self.as_of > due:
            return (
                f"Status: not applicable — the period ended on {_fmt(due)} without being "
                "used (a right that lapses, not a duty)."
            )
        return "Status: not applicable — the case did not take this path."


class Finding(SendflowModel):
    """Something worth a caseworker's attention that is not itself a deadline."""

    code: str
    message: str
    rule_id: str | None = None
    event_index: int | None = None
    on: date | None = None


def _find_version(rule_id: str, first_day: date, period: Period | None) -> Rule | None:
    """The version of ``rule_id`` in force from ``first_day``, with ``period`` if
    given; None for a rule or version the registry does not hold."""
    try:
        version = history(rule_id).on(first_day)
    except RuleNotFound:
        return None
    if version is None or version.effective_from != first_day:
        return None
    return version if period is None else version.model_copy(update={"period": period})


def _deadline_kind(value: Any) -> Any:
    """A deadline read back from data, as the kind of deadline it was.

    Some rules' deadlines carry more (a plan's ceasing: whether the appeal
    succeeded); their fields say which kind a mapping is, so a report's JSON
    round trip keeps them (and so ``explain()``).
    """
    if not isinstance(value, Mapping):
        return value
    extra = value.keys() - _DEADLINE_FIELDS
    if not extra:
        return value
    todo = list(Deadline.__subclasses__())
    while todo:
        kind = todo.pop()
        if extra <= kind.model_fields.keys():
            return kind.model_validate(value)
        todo.extend(kind.__subclasses__())
    return value  # Deadline refuses the unknown fields


class ComplianceReport(SendflowModel):
    """Every deadline of one case on one date, with findings."""

    reference: str | None = None
    as_of: date
    state: str
    states: dict[str, str]
    deadlines: tuple[Annotated[SerializeAsAny[Deadline], BeforeValidator(_deadline_kind)], ...]
    findings: tuple[Finding, ...] = ()
    rules: tuple[str, ...] | None = None
    """The rule ids the report was limited to (``evaluate(..., rules=...)``);
    None when every rule was evaluated."""
    events_after_as_of: int = 0
    """How many of the case's events are dated after ``as_of``: the report
    does not see them (it is the report of the case as known on ``as_of``)."""
    recorded: tuple[str, ...] | None = None
    """The event types the source system records (``evaluate(...,
    recorded=...)``), sorted; None when every type is taken as recorded."""
    readings: dict[str, str] = Field(default_factory=dict)
    """The reading of each open question the report was judged under (reading id ->
    choice; see :func:`sendflow.rules.readings`), defaults included."""
    invalid: str | None = None
    """Why the case could not be evaluated (:func:`evaluate_many` reports such a
    case instead of stopping the caseload; the report then has no deadlines), in
    words that never hold the case's data; None for an evaluated case."""

    def deadline(self, rule_id: str) -> Deadline:
        """The most recent instance of ``rule_id`` (latest cycle or latest start).

        A rule the case never started gives a ``not_applicable`` deadline
        with no due date; an unknown id raises :class:`~sendflow.RuleNotFound`,
        and a rule left out of a limited report raises
        :class:`~sendflow.InvalidArgument` (it was not evaluated).
        """
        if self.rules is not None and rule_id not in self.rules:
            _latest_version(rule_id)  # an unknown id is RuleNotFound, as always
            raise InvalidArgument(f"rule {rule_id!r} was not evaluated for this report")
        best: Deadline | None = None
        for d in self.deadlines:
            if d.rule_id == rule_id and (
                best is None or (d.started_on or date.min) >= (best.started_on or date.min)
            ):
                best = d
        if best is not None:
            return best
        rule = _latest_version(rule_id)
        out = Deadline(
            rule_id=rule_id,
            title=rule.title,
            due=None,
            status=Status.NOT_APPLICABLE,
            legal_status=rule.legal_status,
            citations=rule.citations,
            as_of=self.as_of,
            rule_version=rule.effective_from,
        )
        out._rule = rule
        return out

    def open_appeal_windows(self) -> tuple[Deadline, ...]:
        """Appeal windows still open on ``as_of``: pending ``appeal.deadline``
        instances, one per notified decision, soonest first (``key`` is the decision).
        """
        return tuple(
            d
            for d in self.deadlines
            if d.rule_id == "appeal.deadline" and d.status is Status.PENDING
        )

    def counts(self) -> dict[str, int]:
        """How many deadlines have each status."""
        out = dict.fromkeys((s.value for s in Status), 0)
        for d in self.deadlines:
            out[d.status.value] += 1
        return out

    def explain(self) -> str:
        """Every deadline's explanation and every finding, as text."""
        parts = [
            f"Case {self.reference or ''} as of {_fmt(self.as_of)}: state {self.state}".replace(
                "  ", " "
            )
        ]
        if self.invalid is not None:
            parts.append(f"Not evaluated: {self.invalid}")
        parts.extend(d.explain() for d in self.deadlines)
        parts.extend(f"Finding [{f.code}]: {f.message}" for f in self.findings)
        return "\n\n".join(parts)


# Building a model from values that are valid by construction: pydantic keeps
# an instance's bookkeeping in slots, and setting them through their slot
# descriptors is the cheapest way to build one (``model_construct`` does the
# same work with more checks). The values dict is kept as the instance's
# ``__dict__``. Instances of one class share one fields-set: every field is
# set, the models are frozen, and pydantic copies the set before changing it
# (``model_copy``). Deadline and ComplianceReport are built this way, written
# out where they are made (EvaluationContext._make, evaluate).
_SLOTS = BaseModel.__dict__
_set_dict = object.__setattr__
_set_fields_set = _SLOTS["__pydantic_fields_set__"].__set__
_set_extra = _SLOTS["__pydantic_extra__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
_new_object = object.__new__
_REPORT_FIELDS = set(ComplianceReport.model_fields)
_DEADLINE_FIELDS = set(Deadline.model_fields)

#: What building a deadline needs from a rule version, by the version's id:
#: (the version, kept so that the id stays its own; a template of the
#: Deadline's fields in order with the rule's values filled in; lapses; counted
#: in working days). Rules are few and immutable.
_RuleParts = tuple[Rule, dict[str, Any], bool, bool]
_RULE_PARTS: dict[int, _RuleParts] = {}


def _rule_parts(rule: Rule) -> _RuleParts:
    template: dict[str, Any] = dict.fromkeys(Deadline.model_fields)
    template.update(
        rule_id=rule.id,
        title=rule.title,
        legal_status=rule.legal_status,
        citations=rule.citations,
        rule_version=rule.effective_from,
    )
    registered = _find_version(rule.id, rule.effective_from, None)
    if registered is None or registered.period != rule.period:
        template["period"] = rule.period  # fixed by the case: kept for a reload
    parts = (rule, template, rule.lapses, rule.period.unit is _WORKING_DAYS)
    if len(_RULE_PARTS) >= 10_000:
        _RULE_PARTS.clear()
    _RULE_PARTS[id(rule)] = parts
    return parts


def _latest_version(rule_id: str) -> Rule:
    return history(rule_id).versions[-1]


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
        if self._main_states is None:
            case = (
                self.case
                if self.case is not None
                else Case.model_validate({"events": [e.model_dump() for e in self.events]})
            )
            self._main_states = case.main_states()
        return self._main_states[index]

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
        parts = _RULE_PARTS.get(id(rule))
        if parts is None or parts[0] is not rule:
            parts = _rule_parts(rule)
        return self._make(parts, due, started_on, start_event, met_on, closed, key, history, note)

    def _make(
        self,
        parts: _RuleParts,
        due: date | None,
        started_on: date | None,
        start_event: str | None,
        met_on: date | None,
        closed: bool,
        key: str | None,
        history: RuleHistory | None,
        note: str | None = None,
    ) -> Deadline:
        # make() with positional arguments, the rule's parts looked up already
        # and the builder written out: this runs for every deadline of a caseload.
        rule, template, lapses, working_days = parts
        as_of = self.as_of
        exception = None
        if due is not None and started_on is not None and self.exceptions:
            exception = self.exception_for(rule, started_on, due, history)
        # classify(), written out.
        if due is None:
            status = _NOT_APPLICABLE
        elif met_on is not None:
            status = _MET if met_on <= due else (_MISSED if exception is None else _DISAPPLIED)
        elif closed or (lapses and as_of > due):  # closed, or a lapsed chance to act
            status = _NOT_APPLICABLE
        elif as_of > due:
            status = _OVERDUE if exception is None else _DISAPPLIED
        else:
            status = _PENDING
        if exception is not None and (status is _NOT_APPLICABLE):
            exception = None
        latest = None
        if due is not None and not working_days:
            holidays = self.holidays
            latest = _LATEST_CACHE.get(due, _UNKNOWN) if holidays is None else _UNKNOWN
            if latest is _UNKNOWN:
                latest = _latest_working_day(due, holidays)
        # Every value here is already validated (rule data, events, dates), so
        # build without re-validating (see the note above _SLOTS). The template
        # holds every field in order, with the rule's own values filled in.
        values = template.copy()
        values["due"] = due
        values["status"] = status
        values["met_on"] = met_on
        values["started_on"] = started_on
        values["start_event"] = start_event
        values["key"] = key
        values["exception"] = exception
        values["latest_working_day"] = latest
        values["as_of"] = as_of
        if note is not None:
            values["note"] = note
        deadline: Deadline = _new_object(Deadline)
        _set_dict(deadline, "__dict__", values)
        _set_fields_set(deadline, _DEADLINE_FIELDS)
        _set_extra(deadline, None)
        _set_private(deadline, {"_rule": rule})
        return deadline

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


def classify(
    *,
    due: date | None,
    met_on: date | None,
    closed: bool,
    as_of: date,
    lapses: bool = False,
    excepted: bool = False,
) -> Status:
    """The status of one deadline instance (see the module docstring).

    ```python
    >>> classify(due=date(2026, 5, 25), met_on=date(2026, 5, 25), closed=False,
    ...          as_of=date(2026, 6, 1))
    'met'

    ```
    """
    if due is None:
        return Status.NOT_APPLICABLE
    if met_on is not None:
        if met_on <= due:
            return Status.MET
        return Status.DISAPPLIED if excepted else Status.MISSED
    if closed:
        return Status.NOT_APPLICABLE
    if as_of > due:
        if lapses:
            return Status.NOT_APPLICABLE
        return Status.DISAPPLIED if excepted else Status.OVERDUE
    return Status.PENDING


#: Answers of :func:`_latest_working_day` for the default holiday table, by date
#: (dates only; emptied when it reaches _LATEST_CACHE_SIZE).
_LATEST_CACHE: dict[date, date | None] = {}
_UNKNOWN: Any = object()
_LATEST_CACHE_SIZE = 50_000


def _latest_working_day(due: date, holidays: Any) -> date | None:
    """The last working day on or before ``due`` when ``due`` is not one."""
    if holidays is None:
        try:
            return _LATEST_CACHE[due]
        except KeyError:
            pass
    try:
        if calendar.is_working_day(due, holidays=holidays):
            out = None
        else:
            out = calendar.previous_working_day(due, holidays=holidays)
    except CalendarError:
        out = None
    if holidays is None:
        if len(_LATEST_CACHE) >= _LATEST_CACHE_SIZE:
            _LATEST_CACHE.clear()
        _LATEST_CACHE[due] = out
    return out


Evaluator = Callable[[RuleHistory, EvaluationContext], list[Deadline]]
FindingsHook = Callable[[EvaluationContext], list[Finding]]
_EVALUATORS: dict[str, Evaluator] = {}
#: Findings hooks, each with the event types without which it can find
#: nothing (``None``: run on every case).
_FINDINGS: list[tuple[FindingsHook, frozenset[str] | None]] = []


def register_evaluator(name: str) -> Callable[[Evaluator], Evaluator]:
    """Register a function that computes the deadlines of rules naming ``name``."""

    def deco(fn: Evaluator) -> Evaluator:
        _EVALUATORS[name] = fn
        return fn

    return deco


@overload
def register_findings(fn: FindingsHook) -> FindingsHook: ...
@overload
def register_findings(
    fn: None = None, *, needs: Iterable[str] | None = None
) -> Callable[[FindingsHook], FindingsHook]: ...
def register_findings(
    fn: FindingsHook | None = None, *, needs: Iterable[str] | None = None
) -> FindingsHook | Callable[[FindingsHook], FindingsHook]:
    """Register a function that adds findings (non-deadline observations).

    Use as ``@register_findings``, or as ``@register_findings(needs={...})``
    naming the event types without which the hook can find nothing: a case
    with none of them skips it (a saving on a large caseload).
    """
    types = None if needs is None else frozenset(needs)

    def deco(hook: FindingsHook) -> FindingsHook:
        _FINDINGS.append((hook, types))
        _PLANS.clear()
        return hook

    return deco if fn is None else deco(fn)


def matches(match: EventMatch, event: BaseEvent) -> bool:
    """Whether ``event`` is of the matched type and has the matched field values."""
    return event.type == match.event and has_fields(event, match.where.items())


class _Matcher:
    """A set of :class:`EventMatch` compiled to a dict lookup by event type.

    ``by_type`` maps an event type to the field tests any one of which is
    enough; ``None`` marks a type matched whatever its fields.
    """

    __slots__ = ("by_type",)

    def __init__(self, matchers: Iterable[EventMatch]) -> None:
        by_type: dict[str, list[tuple[tuple[str, Any], ...]]] = {}
        for m in matchers:
            by_type.setdefault(m.event, []).append(tuple(m.where.items()))
        self.by_type: dict[str, tuple[tuple[tuple[str, Any], ...], ...] | None] = {
            k: None if () in v else tuple(v) for k, v in by_type.items()
        }

    def role(self, type_: str) -> Any:
        """How an event of ``type_`` can match: None (it cannot), True (whatever
        its fields) or the field tests, one of which must pass (see _plays)."""
        if type_ not in self.by_type:
            return None
        return self.by_type[type_] or True

    def __call__(self, event: BaseEvent) -> bool:
        return _plays(self.role(event.type), event)


class _Clock:
    """A :class:`RuleClock` compiled for the standard evaluator."""

    __slots__ = ("closed_by", "met_by", "per", "roles", "start_field", "starts", "while_in")

    def __init__(self, clock: Any) -> None:
        starts = self.starts = _Matcher(clock.starts)
        met_by = self.met_by = _Matcher(clock.met_by)
        closed_by = self.closed_by = _Matcher(clock.closed_by)
        # event type -> (as start, as satisfying event, as closing event), each
        # a _Matcher.role.
        self.roles: dict[str, tuple[Any, Any, Any]] = {
            t: (starts.role(t), met_by.role(t), closed_by.role(t))
            for t in starts.by_type.keys() | met_by.by_type.keys() | closed_by.by_type.keys()
        }
        self.per: str | None = clock.per
        self.start_field: str | None = clock.start_field
        self.while_in: frozenset[str] = frozenset(clock.while_in)


#: Compiled clocks by clock identity; the clock is kept alive in the value
#: (rule data is loaded once and cached, so this holds one entry per rule).
_COMPILED: dict[int, tuple[Any, _Clock]] = {}


def _compiled_clock(clock: Any) -> _Clock:
    hit = _COMPILED.get(id(clock))
    if hit is None or hit[0] is not clock:
        hit = (clock, _Clock(clock))
        _COMPILED[id(clock)] = hit
    return hit[1]


def _compiled(clock: Any) -> tuple[_Matcher, _Matcher, _Matcher]:
    c = _compiled_clock(clock)
    return c.starts, c.met_by, c.closed_by


def _plays(role: Any, event: BaseEvent) -> bool:
    """Whether ``event`` plays a clock role (a _Matcher.role for its type)."""
    if role is True:
        return True
    if role is not None:
        for fields in role:
            if has_fields(event, fields):
                return True
    return False


@register_evaluator("standard")
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
    standard rules together in the same single pass (:func:`_standard_many`).
    """
    return _standard_many(_group((hist,)), ctx)[0]


#: Event classes by their type, for what a compiled rule may read from an event.
_EVENT_CLASS: dict[str, type[BaseEvent]] = {
    cls.model_fields["type"].default: cls for cls in EVENT_CLASSES
}


class _Group:
    """Standard rules compiled to run together: event type -> (rule, roles)."""

    __slots__ = ("clocks", "dispatch", "hists", "spans")

    def __init__(self, hists: tuple[RuleHistory, ...]) -> None:
        self.hists = hists
        self.clocks = tuple(_compiled_clock(h.versions[-1].clock) for h in hists)
        # Per rule: (first day, last day, the version's parts for building
        # deadlines, fixed offset to the due date or None) for each version, so
        # a start finds its version and due date without a call (see
        # RuleHistory.on, Period._offset and _rule_parts).
        self.spans = tuple(
            tuple(
                (first, last, _rule_parts(v), v.period._offset()) for first, last, v in h._spans
            )
            for h in hists
        )
        # event type -> (rule index, its roles, the clock's per / while_in /
        # start_field). A ``per`` or ``start_field`` the event type does not have
        # is dropped here: it reads as None, and asking a pydantic model for a
        # field it lacks goes through its slow ``__getattr__``.
        dispatch: dict[str, list[tuple[Any, ...]]] = {}
        for r, clock in enumerate(self.clocks):
            for type_, (start, met, close) in clock.roles.items():
                cls = _EVENT_CLASS.get(type_)
                per, start_field = clock.per, clock.start_field
                if cls is not None:
                    per = per if per in cls.model_fields else None
                    start_field = start_field if start_field in cls.model_fields else None
                dispatch.setdefault(type_, []).append(
                    (r, start, met, close, per, clock.while_in, start_field)
                )
        self.dispatch = {t: tuple(v) for t, v in dispatch.items()}


#: Compiled groups by the ids of their rule histories (kept alive in the value).
_GROUPS: dict[tuple[int, ...], tuple[tuple[RuleHistory, ...], _Group]] = {}


def _group(hists: tuple[RuleHistory, ...]) -> _Group:
    key = tuple(map(id, hists))
    hit = _GROUPS.get(key)
    if hit is None:  # (the value keeps the histories alive, so their ids stay theirs)
        if len(_GROUPS) >= 10_000:
            _GROUPS.clear()
        hit = (hists, _Group(hists))
        _GROUPS[key] = hit
    return hit[1]


_Open = tuple[int, date, date, str, _RuleParts]


def _standard_many(group: _Group, ctx: EvaluationContext) -> list[list[Deadline]]:
    """The deadlines of each rule of ``group`` (see :func:`standard`), in one pass."""
    hists, dispatch, spans = group.hists, group.dispatch, group.spans
    holidays = ctx.holidays
    make = ctx._make
    outs: list[list[Deadline | None]] = [[] for _ in hists]
    # Open instances per rule, by key: (slot in out, due, start date, start
    # event type, the rule version's parts). A start supersedes every open
    # instance with its key, so each key has at most one.
    opens: list[dict[str | None, _Open]] = [{} for _ in hists]
    r = 0
    try:
        for i, event in enumerate(ctx.events):
            type_ = event.type
            entries = dispatch.get(type_)
            if entries is None:
                continue
            on = event.on
            for r, start_role, met_role, close_role, per, while_in, start_field in entries:
                open_ = opens[r]
                is_start = start_role is True or (
                    start_role is not None and _plays(start_role, event)
                )
                # The instance key: the value of the clock's ``per`` field, if any.
                # An enum member's ``_value_`` is a plain attribute (``.value`` is a
                # slow descriptor).
                key = None
                if per is not None:
                    value = getattr(event, per, None)
                    if value is not None:
                        key = str(getattr(value, "_value_", value))
                if open_:
                    is_met = met_role is True or (met_role is not None and _plays(met_role, event))
                    is_closer = close_role is True or (
                        close_role is not None and _plays(close_role, event)
                    )
                    if is_start or is_met or is_closer:
                        # A keyed start or satisfying event concerns its own key
                        # only; an event without a key, or a closing one, all.
                        concerned: tuple[tuple[str | None, _Open], ...]
                        if key is not None and not is_closer:
                            inst = open_.get(key)
                            concerned = () if inst is None else ((key, inst),)
                        else:
                            concerned = tuple(open_.items())
                        out = outs[r]
                        for inst_key, inst in concerned:
                            same = key is None or key == inst_key
                            if same and is_start:
                                met_on, closed = None, on <= inst[1]
                            elif same and is_met:
                                met_on, closed = on, False
                            elif is_closer:
                                met_on, closed = None, True
                            else:
                                continue
                            del open_[inst_key]
                            slot, inst_due, inst_start, start_event, parts = inst
                            out[slot] = make(parts, inst_due, inst_start, start_event, met_on,
                                             closed, inst_key, hists[r])
                if not is_start:
                    continue
                if while_in and ctx.main_state_after(i) not in while_in:
                    continue
                start = getattr(event, start_field, None) if start_field else None
                start = start or on
                version = None
                for span in spans[r]:  # RuleHistory.on, written out
                    if span[0] <= start <= span[1]:
                        version = span
                        break
                if version is None:
                    continue  # no version of the rule in force on the start date
                parts, offset = version[2], version[3]
                due = (
                    start + offset
                    if offset is not None
                    else parts[0].period.due(start, holidays=holidays)
                )
                out = outs[r]
                out.append(None)
                open_[key] = (len(out) - 1, due, start, type_, parts)
        for r, open_ in enumerate(opens):
            out = outs[r]
            for inst_key, (slot, inst_due, inst_start, start_event, parts) in open_.items():
                out[slot] = make(parts, inst_due, inst_start, start_event, None, False,
                                 inst_key, hists[r])
    except SendflowError:
        raise
    except (OverflowError, ValueError):
        # date arithmetic ran past what Python's dates can hold (year 9999)
        raise CalendarError(
            f"rule {hists[r].id!r}: a due date falls outside the dates the calendar supports"
        ) from None
    return cast("list[list[Deadline]]", outs)  # every slot was settled above


@register_evaluator("before_anchor")
def before_anchor(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """ "At least N before" an anchor event (a meeting, a mediation).

    Each event matching ``starts`` is an anchor; its date (or the field named
    by ``start_field``, e.g. a mediation date fixed in advance) is the day the
    notice must precede. The deadline is met by the earliest event matching
    ``met_by`` between the previous anchor and the next one.
    """
    out: list[Deadline] = []
    events = ctx.events
    clock = hist.versions[-1].clock
    starts, met_by, closed_by = _compiled(clock)
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


@cache
def _rules_by_start() -> Mapping[str, tuple[RuleHistory, ...]]:
    table: dict[str, list[RuleHistory]] = {}
    for hist in all_rules():
        if hist.versions[-1].legal_status is LegalStatus.DERIVED:
            continue  # planning aids (see sendflow.planning), not compliance deadlines
        types = {m.event for v in hist.versions for m in v.clock.starts}
        for t in sorted(types):
            table.setdefault(t, []).append(hist)
    return {k: tuple(v) for k, v in table.items()}


#: Rule selections resolved to rule ids, by the names given as a frozenset, or
#: as the very tuple given (immutable, so a key as it is: see _select).
_SELECTIONS: dict[frozenset[str] | tuple[str, ...], frozenset[str]] = {}


def _select(names: Iterable[str]) -> frozenset[str]:
    """The rule ids that ``names`` (ids, or prefixes such as ``"assessment"``) pick."""
    try:
        result = _SELECTIONS.get(names) if type(names) is tuple else None
        if result is None:
            given = frozenset([names] if isinstance(names, str) else names)
    except TypeError:  # not iterable, or an entry that cannot be a rule name
        raise InvalidArgument(
            "rules: give rule ids or id prefixes (strings), e.g. ['assessment.final_plan']"
        ) from None
    if result is None:
        result = _SELECTIONS.get(given) or _resolve(given)
        if len(_SELECTIONS) < 1_000:
            _SELECTIONS[given] = result
            if type(names) is tuple:
                _SELECTIONS[names] = result
    if type(names) is tuple:
        global _LAST_SELECTION
        _LAST_SELECTION = (names, result)  # one object: read whole, even across threads
    return result


#: The last tuple of names given to _select and what it picked: evaluate_many
#: passes the same tuple for every case.
_LAST_SELECTION: tuple[Any, frozenset[str] | None] = (None, None)


def _resolve(given: frozenset[object]) -> frozenset[str]:
    """The rule ids the names in ``given`` pick (see _select)."""
    ids = {h.id for h in all_rules()}
    out: set[str] = set()
    for name in given:
        if not isinstance(name, str):
            raise InvalidArgument("rules: each entry must be a rule id or id prefix (a string)")
        picked = {i for i in ids if i == name or i.startswith(name + ".")}
        if not picked:
            raise RuleNotFound(name)
        out |= picked
    return frozenset(out)


_Plan = tuple[
    tuple[tuple[str, RuleHistory, str], ...],
    "_Group",
    tuple[tuple[str, RuleHistory, str], ...],
    tuple[FindingsHook, ...],
    tuple[str, ...] | None,
]
#: What to run for a set of event types (and a rule selection): the rules in id
#: order with their evaluators' names, the standard ones compiled to run together,
#: the others, the findings hooks, and the selection as the report records it
#: (emptied whenever a hook registers). A caseload has few distinct sets of
#: event types, so this is worked out once per set.
_PLANS: dict[tuple[frozenset[str], frozenset[str] | None, bool], _Plan] = {}
_PLANS_SIZE = 20_000


#: The evaluators that honour each reading of the law (a reading's rules must use one).
READING_EVALUATORS: Mapping[str, frozenset[str]] = {
    "review.completed_by": frozenset(
        {"review_annual", "review_after_reassessment", "la_transfer_review"}
    ),
    "notice.at_least": frozenset({"before_anchor"}),
}


@cache
def _check_readings() -> None:
    """Every reading names rules whose evaluator honours it, and every reading has
    an implementation: a reading no evaluator reads would be silently ignored."""
    for i, (reading_id, reading) in enumerate(readings().items()):
        where = f"reading[{i}] ({reading_id}).rules"
        honoured = READING_EVALUATORS.get(reading_id)
        if honoured is None:
            raise RuleDataError(READINGS_FILE, where, "no evaluator implements this reading")
        for rule_id in reading.rules:
            for version in history(rule_id).versions:
                if version.evaluator not in honoured:
                    raise RuleDataError(
                        READINGS_FILE,
                        where,
                        f"rule {rule_id!r} uses evaluator {version.evaluator!r}, "
                        "which does not read this reading",
                    )


def _plan(types: frozenset[str], selected: frozenset[str] | None, findings: bool) -> _Plan:
    """Work out, and remember, the plan for ``types`` (evaluate looks in _PLANS first)."""
    _check_readings()
    by_start = _rules_by_start()
    seen: dict[str, RuleHistory] = {}
    for t in types:
        for hist in by_start.get(t, ()):
            if selected is None or hist.id in selected:
                seen[hist.id] = hist
    rules = tuple((rule_id, seen[rule_id], seen[rule_id].versions[-1].evaluator)
                  for rule_id in sorted(seen))
    group = _group(tuple(hist for _, hist, name in rules if name == "standard"))
    hooks = tuple(
        hook
        for hook, needs in _FINDINGS
        if findings and (needs is None or not needs.isdisjoint(types))
    )
    others = tuple(rule for rule in rules if rule[2] != "standard")
    plan = (rules, group, others, hooks, None if selected is None else tuple(sorted(selected)))
    if len(_PLANS) >= _PLANS_SIZE:
        _PLANS.clear()
    _PLANS[(types, selected, findings)] = plan
    return plan



def _selection(rules: Iterable[str] | None) -> frozenset[str] | None:
    """The rule ids ``rules`` picks (None: every rule); see _select."""
    if rules is None:
        return None
    last = _LAST_SELECTION
    if rules is last[0]:  # the same tuple as last time (see _select)
        return last[1]
    return _select(rules)


def states_of(case: Case) -> dict[str, str]:
    """The case's region states, read from its private store when it has one."""
    private = case.__pydantic_private__
    states = private.get("_states") if private else None
    return states if states is not None else case._current()


def _run(
    case: Case,
    events: tuple[BaseEvent, ...],
    types: frozenset[str],
    main_states: list[str] | None,
    as_of: date,
    holidays: Any,
    selected: frozenset[str] | None,
    findings: bool,
    readings: Mapping[str, str] | None = None,
) -> tuple[list[Deadline], list[Finding], tuple[str, ...] | None]:
    """The engine's pass over ``events`` (the case's own, or a view of them):
    the deadlines, sorted, the findings and the selection as reported."""
    plan = _PLANS.get((types, selected, findings)) or _plan(types, selected, findings)
    planned, group, others, hooks, chosen = plan
    deadlines: list[Deadline] = []
    found: list[Finding] = []
    if planned or hooks:  # else nothing can start or be found (common in a caseload)
        ctx = EvaluationContext(
            events=events,
            as_of=as_of,
            holidays=holidays,
            exceptions=(
                tuple([e for e in events if isinstance(e, ExceptionRecorded)])
                if "exception_recorded" in types
                else ()
            ),
            case=case,
            _main_states=main_states,
            event_types=types,
            findings=found,
            readings=default_readings() if readings is None else readings,
        )
        # The standard rules in one pass, unless "standard" was re-registered.
        if group.hists and _EVALUATORS.get("standard") is standard:
            for found_for_rule in _standard_many(group, ctx):
                deadlines.extend(found_for_rule)
        else:
            others = planned
        for rule_id, hist, name in others:
            evaluator = _EVALUATORS.get(name)
            if evaluator is None:
                continue  # a rule whose workflow has not registered its evaluator
            try:
                deadlines.extend(evaluator(hist, ctx))
            except SendflowError:
                raise
            except (OverflowError, ValueError):
                # date arithmetic ran past what Python's dates can hold (year 9999)
                raise CalendarError(
                    f"rule {rule_id!r}: a due date falls outside the dates the calendar supports"
                ) from None
        if len(deadlines) > 1:
            try:  # compared in C while every compared due date and key is set
                deadlines = sorted(deadlines, key=_DUE_RULE_KEY)
            except TypeError:  # None against a value: as _deadline_order orders them
                deadlines.sort(key=_deadline_order)
        for hook in hooks:
            try:
                found.extend(hook(ctx))
            except SendflowError:
                raise
            except (OverflowError, ValueError):  # a findings date past year 9999
                raise CalendarError(
                    "findings: a date falls outside the dates the calendar supports"
                ) from None
    return deadlines, found, chosen

def evaluate(
    case: Case,
    *,
    as_of: date,
    holidays: Any = None,
    rules: Iterable[str] | None = None,
    findings: bool = True,
    recorded: str | Iterable[str] | None = None,
    readings: Mapping[str, str] | None = None,
) -> ComplianceReport:
    """Every deadline of ``case`` as of ``as_of``.

    Rules marked ``derived`` (planning dates such as the latest safe day to
    serve a draft) are not compliance deadlines and are left to
    :func:`sendflow.plan_timeline`.

    Args:
        case: the case to check.
        as_of: the date the report speaks for (no hidden clock).
        holidays: a :class:`~sendflow.calendar.BankHolidayCalendar` for
            working-day rules (default: England and Wales bank holidays).
        rules: only these rules, by id (``"assessment.final_plan"``) or id
            prefix (``"assessment"`` for every ``assessment.*`` rule); the
            report records the selection in :attr:`ComplianceReport.rules`.
            Default: every rule. An entry matching no rule raises
            :class:`~sendflow.RuleNotFound`.
        findings: whether to run the findings checks (default True).
        recorded: the event types the source system records: an iterable of
            type names or a profile of :mod:`sendflow.recording` (``ALL``,
            the default; ``SEN2``; ``MINIMAL``; or a profile's name). A
            deadline whose meeting event is not recorded is ``not_recorded``,
            never ``overdue`` or ``missed``; states are unaffected. An unknown
            type raises :class:`~sendflow.InvalidArgument`.
        readings: a choice for any of the law's open readings, by reading id
            (``{"review.completed_by": "meeting"}``); the others keep their
            defaults. The report records them all in
            :attr:`ComplianceReport.readings`. An unknown reading or choice raises
            :class:`~sendflow.InvalidArgument` naming the reading.

    ``as_of`` is a point in time: events dated after it are not seen (the
    report is the report of the case as known that day, state included) and
    are counted in :attr:`ComplianceReport.events_after_as_of`.

    ```python
    >>> from sendflow import Case
    >>> case = Case.model_validate({"events": [
    ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    >>> report = evaluate(case, as_of=date(2026, 3, 1), rules=["assessment.final_plan"])
    >>> [d.rule_id for d in report.deadlines], report.rules
    (['assessment.final_plan'], ('assessment.final_plan',))

    ```
    """
    if type(as_of) is not date or not isinstance(case, Case):
        raise InvalidArgument("evaluate: case must be a Case and as_of a date (not a datetime)")
    if readings is None:
        chosen_readings = default_readings()
    elif readings is _LAST_READINGS[0]:  # resolved already (evaluate_many passes it on)
        chosen_readings = _LAST_READINGS[1]
    else:
        chosen_readings = resolve_readings(readings)
    events = case.events
    private = case.__pydantic_private__ or _NO_PRIVATE
    types = private.get("_types")
    if types is None:
        types = case._event_types()
    # The adjusted way (sendflow._caseview) only for a case that needs it: a
    # record opened part-way, an event after as_of, a refusal reversed or a
    # limited recording; the checks are cheap.
    last_on = private.get("_last_on")
    if events and (
        recorded is not None
        or last_on is None
        or last_on > as_of
        or private.get("_adjust", True)
        or ("exception_recorded" in types and _retro_after(events, as_of))
    ):
        return _evaluate_adjusted(case, as_of, holidays, rules, findings, recorded,
                                  chosen_readings)
    last = _LAST_SELECTION
    if rules is None:
        selected = None
    elif rules is last[0]:  # the same tuple as last time (see _select)
        selected = last[1]
    else:
        selected = _select(rules)
    # _run, written out (this runs for every case of a caseload).
    plan = _PLANS.get((types, selected, findings)) or _plan(types, selected, findings)
    planned, group, others, hooks, chosen = plan
    deadlines: list[Deadline] = []
    found: list[Finding] = []
    if planned or hooks:  # else nothing can start or be found (common in a caseload)
        ctx = EvaluationContext(
            events=events,
            as_of=as_of,
            holidays=holidays,
            exceptions=(
                tuple([e for e in events if isinstance(e, ExceptionRecorded)])
                if "exception_recorded" in types
                else ()
            ),
            case=case,
            event_types=types,
            findings=found,
            readings=chosen_readings,
        )
        # The standard rules in one pass, unless "standard" was re-registered.
        if group.hists and _EVALUATORS.get("standard") is standard:
            for found_for_rule in _standard_many(group, ctx):
                deadlines.extend(found_for_rule)
        else:
            others = planned
        for rule_id, hist, name in others:
            evaluator = _EVALUATORS.get(name)
            if evaluator is None:
                continue  # a rule whose workflow has not registered its evaluator
            try:
                deadlines.extend(evaluator(hist, ctx))
            except SendflowError:
                raise
            except (OverflowError, ValueError):
                # date arithmetic ran past what Python's dates can hold (year 9999)
                raise CalendarError(
                    f"rule {rule_id!r}: a due date falls outside the dates the calendar supports"
                ) from None
        if len(deadlines) > 1:
            try:  # compared in C while every compared due date and key is set
                deadlines = sorted(deadlines, key=_DUE_RULE_KEY)
            except TypeError:  # None against a value: as _deadline_order orders them
                deadlines.sort(key=_deadline_order)
        for hook in hooks:
            found.extend(hook(ctx))
    states = private.get("_states")
    if states is None:
        states = case._current()
    if states["main"] in _EXPECTED_CLOCKS:
        deadlines = _no_silent_clock(case, deadlines, as_of, selected)
    # Built from values that are valid by construction (see the note above _SLOTS).
    report: ComplianceReport = _new_object(ComplianceReport)
    _set_dict(
        report,
        "__dict__",
        {
            "reference": case.reference,
            "as_of": as_of,
            "state": states["main"],
            "states": dict(states),
            "deadlines": tuple(deadlines),
            "findings": tuple(found),
            "rules": chosen,
            "events_after_as_of": 0,
            "recorded": None,
            "readings": dict(chosen_readings),
            "invalid": None,
        },
    )
    _set_fields_set(report, _REPORT_FIELDS)
    _set_extra(report, None)
    _set_private(report, None)
    return report


_EXPECTED_CLOCKS = _caseview.EXPECTED_CLOCKS
#: The private store of a case built around pydantic (it has none).
_NO_PRIVATE: dict[str, Any] = {}


def _retro_after(events: tuple[BaseEvent, ...], as_of: date) -> bool:
    """Whether a retrospective event (recorded out of date order) is dated after ``as_of``."""
    return any(e.retrospective and e.on > as_of for e in events)


def _build_report(
    case: Case,
    as_of: date,
    deadlines: list[Deadline],
    found: list[Finding],
    chosen: tuple[str, ...] | None,
    after: int = 0,
    recorded: tuple[str, ...] | None = None,
    states: dict[str, str] | None = None,
    readings: Mapping[str, str] | None = None,
) -> ComplianceReport:
    states = states if states is not None else states_of(case)
    report: ComplianceReport = _new_object(ComplianceReport)
    _set_dict(
        report,
        "__dict__",
        {
            "reference": case.reference,
            "as_of": as_of,
            "state": states["main"],
            "states": dict(states),
            "deadlines": tuple(deadlines),
            "findings": tuple(found),
            "rules": chosen,
            "events_after_as_of": after,
            "recorded": recorded,
            "readings": dict(default_readings() if readings is None else readings),
            "invalid": None,
        },
    )
    _set_fields_set(report, _REPORT_FIELDS)
    _set_extra(report, None)
    _set_private(report, None)
    return report


def _note_deadline(
    rule_id: str, note: str, as_of: date, on: date, selected: frozenset[str] | None
) -> Deadline | None:
    """A deadline of ``rule_id`` with no due date and a note saying why (None when the
    rule is not selected or not in force)."""
    if selected is not None and rule_id not in selected:
        return None
    try:
        hist = history(rule_id)
    except RuleNotFound:
        return None
    rule = hist.on(on) or hist.versions[-1]
    ctx = EvaluationContext(events=(), as_of=as_of)
    return ctx.make(rule, due=None, started_on=None, start_event=None, met_on=None, note=note,
                    history=hist)


def _no_silent_clock(
    case: Case, deadlines: list[Deadline], as_of: date, selected: frozenset[str] | None
) -> list[Deadline]:
    """In a state whose clocks must run, a clock that does not run says why."""
    state = states_of(case)["main"]
    out = deadlines
    for rule_id in _caseview.EXPECTED_CLOCKS.get(state, ()):
        latest: int | None = None
        for n, d in enumerate(out):
            if d.rule_id == rule_id and (
                latest is None or (d.started_on or date.min) >= (out[latest].started_on or date.min)
            ):
                latest = n
        if latest is not None and (out[latest].status is not _NOT_APPLICABLE or out[latest].note):
            continue
        note = _caseview.silent_clock_note(case, rule_id)
        if latest is not None:
            out = list(out)
            out[latest] = out[latest].model_copy(update={"note": note})
            continue
        made = _note_deadline(rule_id, note, as_of, case.events[-1].on, selected)
        if made is not None:
            out = [*out, made]
    return out


def _evaluate_adjusted(
    case: Case,
    as_of: date,
    holidays: Any,
    rules: Iterable[str] | None,
    findings: bool,
    recorded: str | Iterable[str] | None,
    readings: Mapping[str, str] | None = None,
) -> ComplianceReport:
    """:func:`evaluate` for a case that needs sendflow._caseview (see evaluate)."""
    from sendflow import recording

    selected = _selection(rules)
    kept = recording.resolve(recorded)
    kept_types = None if kept == recording.ALL else tuple(sorted(kept))
    seen = _caseview.seen_as_of(case, as_of)
    after = 0
    full = case
    if seen is not None:
        case, after = seen
    extra = _caseview.date_findings(full, as_of, after) if findings else []
    events = case.events
    if not events:
        deadlines: list[Deadline] = []
        found: list[Finding] = []
        chosen = None if selected is None else tuple(sorted(selected))
    elif events[0].type == "record_opened":
        opening = cast("Any", events[0])
        synth, synth_states = _caseview.opened_history(opening)
        view = synth + events
        types = frozenset([e.type for e in view])
        deadlines, found, chosen = _run(case, view, types, [*synth_states, *case.main_states()],
                                        as_of, holidays, selected, findings, readings)
        deadlines, found = _caseview.settle_opened(
            deadlines, found, opening, len(synth),
            lambda rule_id, note: _note_deadline(rule_id, note, as_of, opening.on, selected),
        )
    else:
        deadlines, found, chosen = _run(case, events, case._event_types(), None, as_of,
                                        holidays, selected, findings, readings)
    pairs = _caseview.reconsidered(case) if events else []
    if pairs:
        deadlines = _reconsider(case, pairs, deadlines, as_of, holidays, selected, readings)
    if events and states_of(case)["main"] in _caseview.EXPECTED_CLOCKS:
        deadlines = _no_silent_clock(case, deadlines, as_of, selected)
    if kept_types is not None:
        deadlines = _caseview.mark_not_recorded(deadlines, kept)
    if len(deadlines) > 1:
        deadlines.sort(key=_deadline_order)
    found.extend(extra)
    return _build_report(case, as_of, deadlines, found, chosen, after, kept_types,
                         readings=readings)


#: The rules a reversal keeps running from the original request, by the state reversed.
_KEPT_RUNNING = {
    "assessment_refused": ("assessment.final_plan", "assessment.no_plan_notice"),
    "plan_refused": ("assessment.final_plan",),
}


def _reconsider(
    case: Case,
    pairs: list[tuple[int, int]],
    deadlines: list[Deadline],
    as_of: date,
    holidays: Any,
    selected: frozenset[str] | None,
    readings: Mapping[str, str] | None = None,
) -> list[Deadline]:
    """Refusals reversed without a new request: the limits from the original request
    keep running (SEND Regulations 2014 reg. 13(2)), as if the refusal had not closed them."""
    events = case.events
    trail = case.main_states()
    dropped = {refused for refused, _ in pairs if refused > 0}
    if not dropped:
        return deadlines
    view = tuple(e for i, e in enumerate(events) if i not in dropped)
    try:
        view_case = Case(child=case.child, events=view)
    except (SendflowError, ValueError):
        return deadlines
    wanted = {r for refused in dropped for r in _KEPT_RUNNING[trail[refused]]}
    if selected is not None:
        wanted &= selected
    if not wanted:
        return deadlines
    again, _, _ = _run(view_case, view, view_case._event_types(), None, as_of, holidays,
                       frozenset(wanted), False, readings)
    notes: dict[date, str] = {}
    for refused, reversed_at in pairs:
        if refused not in dropped:
            continue
        request = next((e for e in reversed(events[:refused]) if e.type == "request_received"),
                       None)
        if request is None:
            continue
        what = ("its decision not to assess" if trail[refused] == "assessment_refused"
                else "its decision not to make a plan")
        notes[request.on] = (
            f"The LA reversed {what} on {format_date(events[reversed_at].on)} without a new "
            f"request: the limit still runs from the request received "
            f"{format_date(request.on)} (SEND Regulations 2014 reg. 13(2); reg. 10(1)).")
    out = [d for d in deadlines if d.rule_id not in wanted]
    for d in again:
        note = notes.get(d.started_on) if d.started_on is not None else None
        out.append(d.model_copy(update={"note": note}) if note else d)
    return out


#: The readings evaluate_many resolved last (resolved mappings are read-only).
_LAST_READINGS: tuple[object, Mapping[str, str]] = (None, {})


def _deadline_order(d: Deadline) -> tuple[date, str, str]:
    return (d.due or date.max, d.rule_id, d.key or "")


#: _deadline_order without the stand-ins for None: the same order whenever it
#: does not raise TypeError.
_DUE_RULE_KEY = attrgetter("due", "rule_id", "key")


def evaluate_many(
    cases: Iterable[Case],
    *,
    as_of: date | Iterable[date],
    holidays: Any = None,
    rules: Iterable[str] | None = None,
    findings: bool = True,
    recorded: str | Iterable[str] | None = None,
    readings: Mapping[str, str] | None = None,
) -> Iterator[ComplianceReport]:
    """Evaluate cases one at a time, lazily (constant memory for a stream).

    One report per case (per case and date, with several dates), in order. A
    case that cannot be evaluated (a date beyond the calendar's range, something
    that is not a :class:`Case`, a fault in an evaluator or findings hook) never
    stops the caseload: its report has no deadlines and says why in ``invalid``,
    as the ``check`` command reports such a line. Wrong arguments (an unknown rule, profile or
    reading) raise before the first case.

    ``as_of`` may be one date or several: with several, each case is read once
    and evaluated on each date in turn, giving one report per (case, date), in
    that order; each report's :attr:`~ComplianceReport.as_of` says which date.
    Every report equals ``evaluate(case, as_of=d)`` for its date.

    ```python
    >>> reports = evaluate_many(iter([]), as_of=date(2026, 1, 1))
    >>> list(reports)
    []
    >>> late = Case.model_validate({"events": [
    ...     {"type": "request_received", "on": "9999-10-01", "made_by": "parent"}]})
    >>> [r.invalid for r in evaluate_many([late], as_of=date(9999, 12, 31))]
    ["rule 'assessment.final_plan': a due date falls outside the dates the calendar supports"]
    >>> case = Case.model_validate({"events": [
    ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    >>> for r in evaluate_many([case], as_of=[date(2026, 1, 31), date(2026, 2, 28)]):
    ...     print(r.as_of, r.deadline("assessment.decision").status)
    2026-01-31 pending
    2026-02-28 overdue

    ```

    Raises:
        InvalidArgument: ``as_of`` is not a date or a non-empty sequence of dates
            (raised when the first report is asked for, before any case is read).
    """
    if type(as_of) is date:
        dates: tuple[date, ...] = (as_of,)
    elif isinstance(as_of, (str, bytes, date)) or not isinstance(as_of, Iterable):
        raise InvalidArgument("evaluate_many: as_of must be a date or a sequence of dates")
    else:
        dates = tuple(as_of)
        if not dates or any(type(d) is not date for d in dates):
            raise InvalidArgument(
                "evaluate_many: as_of must be a date or a non-empty sequence of dates "
                "(not datetimes)")
    selected = None if rules is None else tuple(_select(rules))  # fail before the first case
    if recorded is not None:
        from sendflow import recording

        kept = recording.resolve(recorded)  # fail before the first case too
        recorded = None if kept == recording.ALL else kept
    chosen = None if readings is None else resolve_readings(readings)  # likewise
    if chosen is not None:
        global _LAST_READINGS
        _LAST_READINGS = (chosen, chosen)  # one object: read whole, even across threads
    for case in cases:
        for on in dates:
            try:
                report = evaluate(case, as_of=on, holidays=holidays, rules=selected,
                                  findings=findings, recorded=recorded, readings=chosen)
            except SendflowError as exc:  # its message names no data (sendflow's rule)
                report = _invalid_report(case, on, str(exc))
            except Exception as exc:  # a fault on one case never stops the rest
                report = _invalid_report(case, on,
                                         f"could not be evaluated ({type(exc).__name__})")
            yield report


def _invalid_report(case: object, as_of: date, why: str) -> ComplianceReport:
    """The report of a case :func:`evaluate_many` could not evaluate."""
    states: dict[str, str] = {}
    reference = None
    if isinstance(case, Case):
        reference = case.reference
        try:
            states = dict(case.states)
        except Exception:  # a case built around validation: no state to give
            states = {}
    return ComplianceReport(reference=reference, as_of=as_of, state=states.get("main", ""),
                            states=states, deadlines=(), invalid=why)


# Workflow-specific findings register themselves on import.
from sendflow.compliance.evaluators import assessment, disagreement, lifecycle  # noqa: E402,F401
