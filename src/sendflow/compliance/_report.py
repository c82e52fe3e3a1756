"""The report types: Status, Deadline, Finding and ComplianceReport.

These are what :func:`sendflow.evaluate` returns; they hold no engine logic
beyond explaining themselves. The engine builds them without re-validation
(:mod:`sendflow.compliance._build`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from enum import StrEnum
from typing import Annotated, Any

from pydantic import BeforeValidator, Field, PrivateAttr, SerializeAsAny

from sendflow._base import SendflowModel
from sendflow.errors import InvalidArgument, RuleNotFound, SendflowError
from sendflow.rules import Citation, LegalStatus, Period, PeriodUnit, Rule
from sendflow.rules._registry import history
from sendflow.workflows import ExceptionRecorded

__all__ = [
    "ComplianceReport",
    "Deadline",
    "Finding",
    "SharedStore",
    "Status",
    "deadline_order",
    "find_version",
    "format_date",
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


class SharedStore(dict[str, Any]):
    """A private store that several deadlines hold: the one the engine's builder
    gives every deadline of a rule version (``{"_rule": version}``,
    :mod:`sendflow.compliance._build`). :meth:`Deadline.__setattr__` and
    :meth:`Deadline.__delattr__` give a deadline a store of its own before they
    change it, so a private write on one never reaches another."""

    __slots__ = ()


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

    def __setattr__(self, name: str, value: Any) -> None:
        """As every sendflow model's; a private attribute is written to a store of the
        deadline's own (a :class:`SharedStore` is copied first)."""
        if name in _PRIVATE_NAMES and type(getattr(self, "__pydantic_private__", None)) is (
            SharedStore
        ):
            _own_store(self)
        super().__setattr__(name, value)

    def __delattr__(self, name: str) -> None:
        """As every sendflow model's (a :class:`SharedStore` is copied first)."""
        if name in _PRIVATE_NAMES and type(getattr(self, "__pydantic_private__", None)) is (
            SharedStore
        ):
            _own_store(self)
        super().__delattr__(name)

    def model_post_init(self, context: Any, /) -> None:
        """Find the rule version again (a deadline read back from JSON)."""
        if self._rule is None and self.rule_version is not None:
            self._rule = find_version(self.rule_id, self.rule_version, self.period)

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


#: The names of Deadline's private attributes (a write to one goes to its store).
_PRIVATE_NAMES = frozenset(Deadline.__private_attributes__)


def _own_store(deadline: Deadline) -> None:
    """Give ``deadline`` a plain copy of the private store it shares."""
    object.__setattr__(deadline, "__pydantic_private__", dict(deadline.__pydantic_private__ or ()))


class Finding(SendflowModel):
    """Something worth a caseworker's attention that is not itself a deadline."""

    code: str
    message: str
    rule_id: str | None = None
    event_index: int | None = None
    on: date | None = None


def find_version(rule_id: str, first_day: date, period: Period | None) -> Rule | None:
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


_DEADLINE_FIELDS = frozenset(Deadline.model_fields)


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


def _latest_version(rule_id: str) -> Rule:
    return history(rule_id).versions[-1]


def deadline_order(d: Deadline) -> tuple[date, str, str]:
    """The order of a report's deadlines: by due date (none last), rule id, key."""
    return (d.due or date.max, d.rule_id, d.key or "")

