"""The fast builder: report models made from values valid by construction.

:func:`build_deadline` decides one deadline's status and builds it;
:func:`new_report` builds a report. This is the only module that touches
pydantic's internals to build models (:mod:`sendflow._fastattr` touches them to
read attributes). Pydantic keeps an
instance's bookkeeping in slots, and setting them through their slot
descriptors is the cheapest way to build one (``model_construct`` does the
same work with more checks). The values dict is kept as the instance's
``__dict__``. The other slots hold the same value on every instance built
here, so they are left unset and read as that value (:class:`_UnsetReadsAs`):
instances of one class share one fields-set (every field is set, the models
are frozen, and pydantic copies the set before changing it, ``model_copy``),
and the deadlines of one rule version share one private store.

The fast builder relies on how pydantic lays out a model, which is why CI also
runs the suite at the lowest pydantic version ``pyproject.toml`` allows
(``.ci/run-lower-bound``), and why ``tests/unit/test_build.py`` compares what
it builds with what pydantic itself builds.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel

from sendflow import calendar
from sendflow.compliance._report import ComplianceReport, Deadline, Finding, Status
from sendflow.errors import CalendarError
from sendflow.rules._registry import RuleHistory

if TYPE_CHECKING:
    from sendflow.compliance._compiled import Parts
    from sendflow.compliance._context import EvaluationContext

__all__ = [
    "DEADLINE_FIELDS",
    "NO_PRIVATE",
    "build_deadline",
    "new_finding",
    "new_report",
    "private_store",
    "report_template",
]

_PENDING, _MET, _MISSED = Status.PENDING, Status.MET, Status.MISSED
_OVERDUE, _DISAPPLIED, _NOT_APPLICABLE = Status.OVERDUE, Status.DISAPPLIED, Status.NOT_APPLICABLE

_SLOTS = BaseModel.__dict__
#: The instance dict's own descriptor (``__dict__`` is one of BaseModel's slots): its
#: ``__set__`` is about a third cheaper than ``object.__setattr__(m, "__dict__", v)``.
_set_values = _SLOTS["__dict__"].__set__
_set_private = _SLOTS["__pydantic_private__"].__set__
_new_object = object.__new__
#: Every field of Deadline, in order (a values dict must hold each of them).
DEADLINE_FIELDS = tuple(Deadline.model_fields)


class _UnsetReadsAs:
    """One of pydantic's bookkeeping slots (``__pydantic_fields_set__``,
    ``__pydantic_extra__``, ``__pydantic_private__``) on a report model, read as
    ``default`` while it is unset: what the fast builder would have stored there.

    Storing a value through a slot's descriptor costs about 700 instructions a
    slot (a call through ``method-wrapper``, with its argument tuple); a report
    model built here holds the same value in that slot on every instance (every
    field set; no extra fields; no private state, or a deadline's shared one), so
    the builder leaves the slot unset and this descriptor, put on the class in the
    slot's place (:func:`_read_unset_as`), reads it as that value. A slot that was
    set (pydantic's validation, ``model_construct``, ``model_copy``, unpickling)
    reads and writes as before, through the slot's own descriptor. pydantic-core
    reads none of the three when it serialises (only ``exclude_unset`` reads the
    fields set, which it then finds here); pydantic's own methods read them by
    attribute, so they find what the slot would have held.
    tests/unit/test_build.py holds models built here equal to pydantic's own in
    every way pydantic reads them.
    """

    __slots__ = ("_default", "_delete", "_get", "_member", "_set")

    def __init__(self, name: str, default: object) -> None:
        member = _SLOTS[name]
        self._member = member
        self._get = member.__get__
        self._set = member.__set__
        self._delete = member.__delete__
        self._default = default

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self._member  # at class level, as pydantic's slot reads
        try:
            return self._get(obj, owner)
        except AttributeError:  # left unset by the fast builder
            return self._default

    def __set__(self, obj: object, value: object) -> None:
        self._set(obj, value)

    def __delete__(self, obj: object) -> None:
        self._delete(obj)


def _read_unset_as(cls: type[BaseModel], private: bool) -> None:
    """Put :class:`_UnsetReadsAs` on ``cls`` for its fields set (every field, one set
    shared by every instance built here, as before: pydantic copies a model's set
    before it changes it), its extra fields (None) and, when ``private``, its
    private store (None)."""
    every = set(cls.model_fields)
    slots: dict[str, object] = {"__pydantic_fields_set__": every, "__pydantic_extra__": None}
    if private:
        slots["__pydantic_private__"] = None
    for name, default in slots.items():
        type.__setattr__(cls, name, _UnsetReadsAs(name, default))


_read_unset_as(ComplianceReport, private=True)
_read_unset_as(Finding, private=True)
_read_unset_as(Deadline, private=False)  # (a deadline's private store is always set)
#: The private store of a model built around pydantic (it has none); never written to.
NO_PRIVATE: dict[str, Any] = {}


def build_deadline(
    ctx: EvaluationContext,
    parts: Parts,
    due: date | None,
    started_on: date | None,
    start_event: str | None,
    met_on: date | None,
    closed: bool,
    key: str | None,
    history: RuleHistory | None,
    note: str | None = None,
) -> Deadline:
    """One deadline instance of a rule version, classified and built.

    :meth:`EvaluationContext.make` with the rule's parts looked up already,
    and called directly by the standard evaluator's pass: this runs for every
    deadline of a caseload. The status is decided here and only here
    (tests/unit/test_compliance.py).

    Every value here is already validated (rule data, events, dates), so the
    deadline is built without validating again: the parts' template (every
    field in order, the rule's own values filled in, every other field None)
    copied, with only the values that are not None stored into it; the instance
    gets that dict and the parts' private store, a
    :class:`~sendflow.compliance._report.SharedStore` every deadline of the
    version shares (it holds only ``_rule``, the version itself; a copy, a
    pickle or a private write gives a deadline a store of its own), and leaves
    pydantic's other two slots to their class's defaults (:func:`_read_unset_as`).
    tests/unit/test_build.py holds what this builds equal to what pydantic builds.
    """
    as_of = ctx.as_of
    values = parts.template.copy()
    if met_on is not None:
        values["met_on"] = met_on
    if due is None:
        status = _NOT_APPLICABLE  # no deadline arose: no exception counts either
    else:
        values["due"] = due
        exception = None
        if started_on is not None and ctx.exceptions:
            exception = ctx.exception_for(parts.rule, started_on, due, history)
        if met_on is not None:
            status = _MET if met_on <= due else (_MISSED if exception is None else _DISAPPLIED)
        elif closed or (parts.lapses and as_of > due):  # closed, or a lapsed chance to act
            status = _NOT_APPLICABLE
            exception = None
        elif as_of > due:
            status = _OVERDUE if exception is None else _DISAPPLIED
        else:
            status = _PENDING
        if exception is not None:
            values["exception"] = exception
        if not parts.working_days:
            holidays = ctx.holidays
            latest = _LATEST_CACHE.get(due, _UNKNOWN) if holidays is None else _UNKNOWN
            if latest is _UNKNOWN:
                latest = _latest_working_day(due, holidays)
            if latest is not None:
                values["latest_working_day"] = latest
    values["status"] = status
    if started_on is not None:
        values["started_on"] = started_on
    if start_event is not None:
        values["start_event"] = start_event
    if key is not None:
        values["key"] = key
    values["as_of"] = as_of
    if note is not None:
        values["note"] = note
    deadline: Deadline = _new_object(Deadline)
    _set_values(deadline, values)
    _set_private(deadline, parts.private)
    return deadline


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


def clear() -> None:
    """Forget the latest working days worked out (for a calendar changed under test)."""
    _LATEST_CACHE.clear()


def new_report(values: dict[str, Any]) -> ComplianceReport:
    """A ComplianceReport holding ``values`` (every field, in order, already valid)."""
    report: ComplianceReport = _new_object(ComplianceReport)
    _set_values(report, values)  # (its other slots read as unset: _read_unset_as)
    return report


def report_template(rules: tuple[str, ...] | None) -> dict[str, Any]:
    """The values of a report limited to ``rules``, every field in order, before the
    case's own are filled in: no deadlines or findings, nothing after ``as_of``, every
    event type recorded, not invalid. The fields the case fills in (``reference``,
    ``as_of``, ``state``, ``states``, ``readings``) hold None here.

    :func:`sendflow.evaluate`'s common path copies the template its plan keeps
    (:class:`sendflow.compliance._plan.Plan`) and sets the case's values: a copy
    in C and five stores, where a dict written out takes all eleven values one by
    one. tests/unit/test_engine_fixed_cost.py holds the reports equal to the
    plain path's.
    """
    values: dict[str, Any] = dict.fromkeys(ComplianceReport.model_fields)
    values.update(deadlines=(), findings=(), rules=rules, events_after_as_of=0, recorded=None,
                  invalid=None)
    return values


def new_finding(
    code: str, message: str, rule_id: str | None, event_index: int | None, on: date | None
) -> Finding:
    """A Finding of these values, every field given (each already valid: a findings
    hook's own code and message, an index into the case's events, an event's date).

    Equal to ``Finding(code=..., message=..., rule_id=..., event_index=..., on=...)``
    (tests/unit/test_compliance.py), without validating again what is valid already.
    """
    finding: Finding = _new_object(Finding)
    _set_values(finding, {"code": code, "message": message, "rule_id": rule_id,
                          "event_index": event_index, "on": on})
    return finding  # (its other slots read as unset: _read_unset_as)


def private_store(model: BaseModel) -> dict[str, Any]:
    """A model's private attributes as pydantic stores them (read only; empty if none)."""
    return model.__pydantic_private__ or NO_PRIVATE
