"""Hypothesis strategies for SEND data: identifiers, people, needs, events and cases.

Every strategy returns valid values that shrink to small, readable examples
(the first LA code, the shortest history, the earliest allowed event).
:func:`case_histories` walks the workflow transition tables
(:data:`sendflow.workflows.TABLES`), so it keeps producing valid histories as
workflows grow, and it uses :func:`sendflow.evaluate` as the oracle when asked
for histories that are all on time (``compliant=True``) or late somewhere
(``compliant=False``).

Needs the ``testing`` extra (``pip install 'sendflow[testing]'``).

```python
>>> from datetime import date
>>> from hypothesis import given, settings
>>> import sendflow
>>> @settings(max_examples=20, database=None)
... @given(case_histories(compliant=True, as_of=date(2026, 6, 1)))
... def test_on_time(case):
...     report = sendflow.evaluate(case, as_of=date(2026, 6, 1))
...     assert not {"missed", "overdue"} & {d.status for d in report.deadlines}
>>> test_on_time()

```

Added in 0.1.
"""

from __future__ import annotations

import string
import types
import typing
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from typing import Any, Literal

from annotated_types import MaxLen
from hypothesis import assume
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from sendflow._checks import UPN_LETTERS, nhs_check_digit, uln_check_digit, upn_check_letter
from sendflow.case import Case
from sendflow.compliance import Status, evaluate
from sendflow.errors import InvalidArgument, SendflowError
from sendflow.identifiers import (
    LAESTAB,
    ULN,
    UPN,
    URN,
    LACode,
    NHSNumber,
    la_code_entries,
)
from sendflow.identifiers import la_codes as _la_code_table
from sendflow.needs import Need, NeedRank, NeedsProfile, NeedType, need_types
from sendflow.people import ChildOrYoungPerson, Ethnicity, Sex, UPNUnknown
from sendflow.workflows import EVENT_CLASSES, REGIONS, TABLES, BaseEvent, Transition, WorkflowTable

__all__ = [
    "DEFAULT_ON",
    "EARLIEST",
    "LATEST",
    "VIOLATIONS",
    "case_histories",
    "children",
    "dates_of_birth",
    "event_types",
    "events",
    "la_codes",
    "laestabs",
    "latest_date",
    "needs",
    "nhs_numbers",
    "ulns",
    "upns",
    "urns",
]

#: The day :func:`dates_of_birth` and :func:`children` count ages on when no
#: ``on`` is given (a fixed date, never today's).
DEFAULT_ON = date(2026, 9, 1)
#: Earliest date generated for case events: the SEND Regulations 2014 came into force.
EARLIEST = date(2014, 9, 1)
#: Latest date generated for case events (inside the bank-holiday table's coverage).
LATEST = date(2030, 12, 31)
#: Deadline statuses that mean the law was not complied with.
VIOLATIONS: frozenset[Status] = frozenset({Status.MISSED, Status.OVERDUE})

# --------------------------------------------------------------------- identifiers


def _digits(n: int) -> st.SearchStrategy[str]:
    return st.text(alphabet="0123456789", min_size=n, max_size=n)


def upns(temporary: bool | None = None) -> st.SearchStrategy[UPN]:
    """Valid Unique Pupil Numbers, built as DfE mints them.

    Characters 2-4 are a recorded LA code, 5-8 an establishment number, 9-10
    the year of issue and 11-13 a serial; a *temporary* UPN ends in a letter.

    Args:
        temporary: True for temporary UPNs only, False for permanent only,
            None (default) for both.

    ```python
    >>> from sendflow.identifiers import is_valid_upn
    >>> from hypothesis import find
    >>> is_valid_upn(find(upns(temporary=True), lambda upn: True))
    True

    ```
    """
    last: st.SearchStrategy[str]
    if temporary is None:
        last = st.one_of(_digits(1), st.sampled_from(UPN_LETTERS))
    elif temporary:
        last = st.sampled_from(UPN_LETTERS)
    else:
        last = _digits(1)

    def build(la: str, estab: str, year: str, serial: str, end: str) -> UPN:
        body = la + estab + year + serial + end
        return UPN(upn_check_letter(body) + body)

    return st.builds(
        build,
        st.sampled_from([e.code for e in la_code_entries()]),
        _digits(4),
        _digits(2),
        _digits(2),
        last,
    )


def ulns() -> st.SearchStrategy[ULN]:
    """Valid Unique Learner Numbers (10 digits, first 1-9, modulo-11 check).

    ```python
    >>> from sendflow.identifiers import is_valid_uln
    >>> from hypothesis import find
    >>> is_valid_uln(find(ulns(), lambda uln: True))
    True

    ```
    """

    def build(first: int, rest: str) -> ULN | None:
        nine = str(first) + rest
        check = uln_check_digit(nine)
        return None if check is None else ULN(nine + check)

    return (
        st.builds(build, st.integers(1, 9), _digits(8))
        .filter(lambda v: v is not None)
        .map(lambda v: typing.cast(ULN, v))
    )


def nhs_numbers(test_range: bool = True) -> st.SearchStrategy[NHSNumber]:
    """Valid NHS numbers (modulo-11 check digit).

    Args:
        test_range: True (default) draws only from the 999 range the NHS
            reserves for testing, so generated data can never be a real
            patient's; False draws from all ten-digit numbers.

    ```python
    >>> from hypothesis import find
    >>> str(find(nhs_numbers(), lambda n: True)).startswith("999")
    True

    ```
    """

    def build(prefix: str, rest: str) -> NHSNumber | None:
        nine = prefix + rest
        check = nhs_check_digit(nine)
        return None if check is None else NHSNumber(nine + check)

    prefix = st.just("999") if test_range else _digits(3)
    return (
        st.builds(build, prefix, _digits(6))
        .filter(lambda v: v is not None)
        .map(lambda v: typing.cast(NHSNumber, v))
    )


def la_codes(on: date | None = None) -> st.SearchStrategy[LACode]:
    """English DfE LA codes: those in force on ``on``, or (None) every recorded code.

    ```python
    >>> from datetime import date
    >>> from hypothesis import find
    >>> find(la_codes(on=date(2026, 1, 1)), lambda code: True)
    LACode('201')

    ```
    """
    codes = (
        sorted(_la_code_table(on)) if on is not None else [e.code for e in la_code_entries()]
    )
    return st.sampled_from(codes).map(LACode)


def urns() -> st.SearchStrategy[URN]:
    """School and setting URNs (6 digits, as Get Information About Schools issues).

    ```python
    >>> from hypothesis import find
    >>> find(urns(), lambda urn: True)
    URN('100000')

    ```
    """
    return st.integers(100000, 999999).map(lambda n: URN(str(n)))


def laestabs() -> st.SearchStrategy[LAESTAB]:
    """LAESTAB (DfE) numbers: a recorded LA code then a 4-digit establishment number.

    ```python
    >>> from sendflow.identifiers import is_valid_laestab
    >>> from hypothesis import find
    >>> is_valid_laestab(find(laestabs(), lambda n: True))
    True

    ```
    """
    return st.builds(
        lambda la, n: LAESTAB(la + n),
        st.sampled_from([e.code for e in la_code_entries()]),
        _digits(4),
    )


# ------------------------------------------------------------------ people, needs


def _years_before(on: date, years: int) -> date:
    if not 1 <= on.year - years <= 9999:  # issue 17: a library error, not ValueError
        raise InvalidArgument(f"on: {years} years before it is before 0001-01-01")
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February in a common year
        return on.replace(year=on.year - years, day=28)


def dates_of_birth(
    age_between: tuple[int, int] = (0, 25), on: date | None = None
) -> st.SearchStrategy[date]:
    """Dates of birth of someone aged ``age_between`` (inclusive, whole years) on ``on``.

    ``on`` defaults to :data:`DEFAULT_ON` (there is no hidden clock). The
    default ages cover the 0-25 range of the SEND system.

    ```python
    >>> from datetime import date
    >>> from sendflow import ChildOrYoungPerson
    >>> from hypothesis import find
    >>> dob = find(dates_of_birth(age_between=(4, 4), on=date(2026, 9, 1)), lambda d: True)
    >>> ChildOrYoungPerson(date_of_birth=dob).age_on(date(2026, 9, 1))
    4

    ```
    """
    lo, hi = age_between
    if not 0 <= lo <= hi:
        raise ValueError("age_between must be (low, high) with 0 <= low <= high")
    when = on or DEFAULT_ON
    latest = _years_before(when, lo)
    earliest = _years_before(when, hi + 1) + timedelta(days=1)

    def age(dob: date) -> int:
        return when.year - dob.year - ((when.month, when.day) < (dob.month, dob.day))

    return st.dates(min_value=earliest, max_value=latest).filter(lambda d: lo <= age(d) <= hi)


_GIVEN = ("Alex", "Sam", "Jordan", "Priya", "Kai", "Amara", "Oliver", "Zainab", "Ellis", "Noor")
_FAMILY = ("Smith", "Khan", "Jones", "Okafor", "Nowak", "Patel", "Evans", "Murphy", "Ali", "Chen")
_POSTCODES = ("BS1 5TR", "M1 1AE", "LS2 7EW", "B4 6AT", "NE1 4ST", "SW1A 2AA", "EX4 3SR")


def _opt(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.none(), strategy)


@st.composite
def children(
    draw: st.DrawFn,
    age_between: tuple[int, int] = (0, 25),
    on: date | None = None,
    *,
    names: bool = True,
) -> ChildOrYoungPerson:
    """Valid :class:`~sendflow.ChildOrYoungPerson` records with synthetic details.

    Identifiers come from :func:`upns`, :func:`ulns` and :func:`nhs_numbers`
    (the NHS test range); names and postcodes are made up. A record without a
    UPN or ULN gives a SEN2 ``upn_unknown`` reason when one is drawn.

    Args:
        age_between: ages (whole years) on ``on``; see :func:`dates_of_birth`.
        on: the day ages are counted on (default :data:`DEFAULT_ON`).
        names: whether given and family names may be drawn.

    ```python
    >>> from datetime import date
    >>> from hypothesis import find
    >>> child = find(children(age_between=(5, 11), on=date(2026, 9, 1)), lambda c: True)
    >>> 5 <= child.age_on(date(2026, 9, 1)) <= 11
    True

    ```
    """
    dob = draw(dates_of_birth(age_between, on))
    upn = draw(_opt(upns()))
    uln = draw(_opt(ulns()))
    looked_after = draw(st.booleans())
    data: dict[str, Any] = {
        "date_of_birth": dob,
        "upn": upn,
        "uln": uln,
        "nhs_number": draw(_opt(nhs_numbers())),
        "upn_unknown": (
            draw(_opt(st.sampled_from(list(UPNUnknown)))) if upn is None and uln is None else None
        ),
        "responsible_la": draw(_opt(la_codes(on=on or DEFAULT_ON))),
        "sex": draw(_opt(st.sampled_from(list(Sex)))),
        "ethnicity": draw(_opt(st.sampled_from(list(Ethnicity)))),
        "setting_urn": draw(_opt(urns())),
        "setting_laestab": draw(_opt(laestabs())),
        "looked_after": looked_after,
        "previously_looked_after": False if looked_after else draw(st.booleans()),
        "child_in_need": draw(st.booleans()),
        "eligible_for_free_school_meals": draw(st.booleans()),
    }
    if names:
        data["given_name"] = draw(_opt(st.sampled_from(_GIVEN)))
        data["family_name"] = draw(_opt(st.sampled_from(_FAMILY)))
        data["postcode"] = draw(_opt(st.sampled_from(_POSTCODES)))
    return ChildOrYoungPerson(**data)


def needs(on: date | None = None) -> st.SearchStrategy[NeedsProfile]:
    """Valid :class:`~sendflow.needs.NeedsProfile` values: one primary need, maybe a secondary.

    With ``on``, only need codes the SEN2 return accepts on that date are drawn.

    ```python
    >>> from datetime import date
    >>> from hypothesis import find
    >>> find(needs(on=date(2026, 1, 15)), lambda p: p.secondary is not None).secondary.rank
    <NeedRank.SECONDARY: 2>

    ```
    """
    codes = (
        [info.code for info in need_types(on, "sen2")] if on is not None else list(NeedType)
    )
    if not codes:
        raise InvalidArgument("on: no SEN2 need type is in force on that date")

    @st.composite
    def build(draw: st.DrawFn) -> NeedsProfile:
        primary = draw(st.sampled_from(codes))
        rest = [c for c in codes if c != primary]
        secondary = draw(_opt(st.sampled_from(rest))) if rest else None
        items = [Need(need_type=primary, rank=NeedRank.PRIMARY)]
        if secondary is not None:
            items.append(Need(need_type=secondary, rank=NeedRank.SECONDARY))
        return NeedsProfile(needs=tuple(items))

    return build()


# ---------------------------------------------------------------------------- events

_CLASS_OF: dict[str, type[BaseEvent]] = {}
for _cls in EVENT_CLASSES:
    _default = _cls.model_fields["type"].default
    if isinstance(_default, str):
        _CLASS_OF[_default] = _cls
_REFS = ("REF-1", "REF-2", "REF-3")
_IDENTIFIER_STRATEGIES: dict[type, Any] = {
    UPN: upns,
    ULN: ulns,
    NHSNumber: nhs_numbers,
    LACode: la_codes,
    URN: urns,
    LAESTAB: laestabs,
}


def event_types(workflow: str | None = None) -> tuple[str, ...]:
    """The event types sendflow knows (those a workflow's table names), sorted.

    ```python
    >>> "request_received" in event_types("assessment")
    True

    ```
    """
    if workflow is None:
        return tuple(sorted(_CLASS_OF))
    return tuple(sorted(_table(workflow).events))


def _strip_optional(annotation: Any) -> tuple[Any, bool]:
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(annotation) if a is not type(None)]
        optional = len(args) != len(typing.get_args(annotation))
        if len(args) == 1:
            return args[0], optional
        return typing.Union[tuple(args)], optional  # noqa: UP007
    return annotation, False


def _value_strategy(name: str, info: FieldInfo, on: date) -> st.SearchStrategy[Any] | None:
    """A strategy for one event field, or None to leave it at its default."""
    annotation, optional = _strip_optional(info.annotation)
    required = info.is_required()
    if not required and info.default is not None:
        return None  # collections and flags keep their defaults
    strategy: st.SearchStrategy[Any]
    if annotation is date:
        strategy = st.integers(0, 70 if name == "until" else 10).map(
            lambda n: on + timedelta(days=n)
        )
    elif annotation is bool:
        strategy = st.booleans()
    elif typing.get_origin(annotation) is Literal:
        strategy = st.sampled_from(typing.get_args(annotation))
    elif isinstance(annotation, type) and issubclass(annotation, Enum):
        strategy = st.sampled_from(list(annotation))
    elif annotation in _IDENTIFIER_STRATEGIES:
        strategy = _IDENTIFIER_STRATEGIES[annotation]()
    elif annotation is str:
        max_len = min([m.max_length for m in info.metadata if isinstance(m, MaxLen)] or [20])
        strategy = (
            st.sampled_from(_REFS)
            if name.endswith("ref") or name == "reference"
            else st.text(string.ascii_letters + string.digits, min_size=1, max_size=max_len)
        )
    elif annotation is int:
        strategy = st.integers(0, 52)
    else:
        strategy = st.from_type(annotation)
    return _opt(strategy) if optional or not required else strategy


@st.composite
def _event_of(
    draw: st.DrawFn, cls: type[BaseEvent], on: date, fixed: Mapping[str, Any]
) -> BaseEvent | None:
    data: dict[str, Any] = {"on": on}
    for name, info in cls.model_fields.items():
        if name in ("type", "on") or name in fixed:
            continue
        if name == "reference":
            continue  # your own reference: left out so examples stay short
        strategy = _value_strategy(name, info, on)
        if strategy is not None:
            value = draw(strategy)
            if value is not None:
                data[name] = value
    data.update(fixed)
    try:
        return cls.model_validate(data)
    except ValidationError:
        minimal = {k: v for k, v in data.items() if k == "on" or k in fixed}
        for name, info in cls.model_fields.items():
            if info.is_required() and name in data:
                minimal[name] = data[name]
        try:
            return cls.model_validate(minimal)
        except ValidationError:
            return None


@st.composite
def events(
    draw: st.DrawFn,
    /,
    type: str | None = None,
    *,
    on: date | st.SearchStrategy[date] | None = None,
    workflow: str | None = None,
    **fields: Any,
) -> BaseEvent:
    """Single valid events of ``type`` (any known type if None).

    Args:
        type: the event type, e.g. ``"request_received"``.
        on: the event date, or a strategy for it (default: any date from
            :data:`EARLIEST` to :data:`LATEST`).
        workflow: with ``type=None``, draw only event types this workflow names.
        **fields: fixed field values, e.g. ``outcome="assess"``.

    ```python
    >>> from hypothesis import find
    >>> find(events("assessment_decision", outcome="refuse"), lambda e: True).outcome
    'refuse'

    ```
    """
    kind = type if type is not None else draw(st.sampled_from(event_types(workflow)))
    try:
        cls = _CLASS_OF[kind]
    except KeyError:
        raise ValueError(f"unknown event type {kind!r}") from None
    when = on if isinstance(on, date) else draw(on or st.dates(EARLIEST, LATEST))
    event = draw(_event_of(cls, when, fields))
    assume(event is not None)
    assert event is not None
    return event


# ------------------------------------------------------------------------ histories


def _table(workflow: str) -> WorkflowTable:
    try:
        return TABLES[workflow]
    except KeyError:
        known = ", ".join(sorted(TABLES))
        raise ValueError(f"unknown workflow {workflow!r}; known: {known}") from None


def latest_date(case: Case) -> date | None:
    """The latest date among a case's events (``on``), or None for an empty case.

    This is the date :func:`case_histories` judges compliance on when it is
    given no ``as_of``.

    ```python
    >>> from sendflow import Case
    >>> latest_date(Case.model_validate({"events": [
    ...     {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}))
    datetime.date(2026, 1, 5)

    ```
    """
    return max((e.on for e in case.events), default=None)


@dataclass(frozen=True)
class _Move:
    region: str
    row: Transition


def _regions_of(table: WorkflowTable) -> tuple[str, ...]:
    """The regions whose tables hold ``table`` (the workflow's own region), else all."""
    def keys(t: WorkflowTable) -> set[tuple[str, str, str, str | None]]:
        return {(r.source, r.event, r.target, r.guard) for r in t.transitions}

    rows = keys(table)
    own = tuple(
        name
        for name, region_table in REGIONS.items()
        if region_table is table or rows <= keys(region_table)
    )
    return own or tuple(REGIONS)


def _moves(case: Case, table: WorkflowTable) -> list[_Move]:
    """Rows leaving the workflow region's current state that name ``table``'s events."""
    states = case.states
    out: list[_Move] = []
    seen: set[tuple[str, str, str | None]] = set()
    for region in _regions_of(table):
        region_table = REGIONS[region]
        for row in region_table.transitions:
            if row.source != states[region]:
                continue
            if row.event not in table.events:
                continue
            if row.event not in _CLASS_OF:
                continue
            key = (row.event, row.target, row.guard)
            if key not in seen:
                seen.add(key)
                out.append(_Move(region, row))
    return out


def _path_into(case: Case, table: WorkflowTable) -> list[_Move]:
    """The shortest run of rows that reaches a state where ``table`` has a move."""
    for region in _regions_of(table):
        region_table = REGIONS[region]
        start = case.states[region]
        frontier: list[tuple[str, list[Transition]]] = [(start, [])]
        seen = {start}
        while frontier:
            nxt: list[tuple[str, list[Transition]]] = []
            for state, path in frontier:
                rows = region_table.transitions
                if any(r.source == state and r.event in table.events for r in rows):
                    return [_Move(region, r) for r in path]
                for r in region_table.transitions:
                    if r.source == state and r.target not in seen and r.event in _CLASS_OF:
                        seen.add(r.target)
                        nxt.append((r.target, [*path, r]))
            frontier = nxt
    return []


def _open_horizon(case: Case, on: date) -> date | None:
    """The earliest due date of a pending deadline that can still be broken."""
    report = evaluate(case, as_of=on)
    dues = [
        d.due
        for d in report.deadlines
        if d.status is Status.PENDING and d.due is not None and not (d.rule and d.rule.lapses)
    ]
    return min(dues, default=None)


def _violations(case: Case, as_of: date) -> bool:
    return any(d.status in VIOLATIONS for d in evaluate(case, as_of=as_of).deadlines)


def _shift(case: Case, days: int) -> Case:
    if days == 0:
        return case
    delta = timedelta(days=days)
    moved = []
    for event in case.events:
        data = event.model_dump()
        for key, value in data.items():
            if isinstance(value, date):
                data[key] = value + delta
        moved.append(type(event).model_validate(data))
    return Case(reference=case.reference, responsible_la=case.responsible_la, events=tuple(moved))


@st.composite
def case_histories(
    draw: st.DrawFn,
    workflow: str = "assessment",
    *,
    compliant: bool | None = None,
    as_of: date | None = None,
    max_events: int = 12,
    min_events: int = 1,
    max_gap_days: int = 60,
    child: st.SearchStrategy[ChildOrYoungPerson | None] | None = None,
) -> Case:
    """Valid :class:`~sendflow.Case` histories, made by walking the transition table.

    Each step picks one of the rows that leave the case's current state (its
    guard fixes the event's fields, e.g. ``outcome="assess"``), draws the
    event's other fields and a date on or after the previous event's, and
    applies it. If the workflow does not start where a case starts (a review
    needs a plan), the shortest path there is taken first.

    Args:
        workflow: a table name in :data:`sendflow.workflows.TABLES`.
        compliant: ``True``: every deadline met on time (none ``missed`` or
            ``overdue``) as of the judging date; ``False``: at least one
            ``missed`` or ``overdue``; ``None``: anything.
        as_of: the judging date; every event is dated on or before it. If
            None, compliance is judged on the latest event's date
            (:func:`latest_date`) and the dates range from :data:`EARLIEST`
            to :data:`LATEST`.
        max_events: most events in the history (the prefix included).
        min_events: fewest events the walk tries to make.
        max_gap_days: most days between consecutive events.
        child: a strategy for ``Case.child`` (default: none).

    ```python
    >>> from hypothesis import find
    >>> case = find(case_histories(), lambda c: c.state == "assessing")
    >>> case.events[-1].type
    'assessment_decision'

    ```
    """
    table = _table(workflow)
    if not 1 <= min_events <= max_events:
        raise ValueError("need 1 <= min_events <= max_events")
    start_hi = LATEST - timedelta(days=max_events * max_gap_days + 400)
    day = draw(st.dates(EARLIEST, start_hi))
    first_day = day
    target = draw(st.integers(min_events, max_events))
    late_step = draw(st.integers(0, target - 1)) if compliant is False else -1
    case = Case()
    prefix = _path_into(case, table)
    steps: list[_Move | None] = [*prefix]
    while len(case.events) < max_events:
        move: _Move
        if steps:
            pending_move = steps.pop(0)
            assert pending_move is not None
            move = pending_move
        else:
            if len(case.events) >= target:
                break
            options = _moves(case, table)
            if not options:
                break
            move = draw(st.sampled_from(options))
        cls = _CLASS_OF[move.row.event]
        retrospective = cls.retrospective and bool(case.events)
        if retrospective:
            back = (day - first_day).days
            on = day - timedelta(days=draw(st.integers(0, back)))
        else:
            lo, hi = 0, max_gap_days
            if compliant is not None and case.events:
                horizon = _open_horizon(case, day)
                if horizon is not None and compliant:
                    hi = max(0, min(hi, (horizon - day).days))
                elif horizon is not None and len(case.events) >= late_step:
                    lo = hi = max(0, (horizon - day).days + 1)  # late on purpose
                    late_step = max_events + 1
            on = day + timedelta(days=lo + draw(st.integers(0, hi - lo + 30 * (lo > 0))))
        event = draw(_event_of(cls, on, dict(move.row.when)))
        if event is None:
            break
        try:
            candidate = case.apply(event)
        except SendflowError:
            break
        if compliant is True and _violations(candidate, max(on, day)):
            break  # this step would be late (e.g. a notice due before its meeting)
        case = candidate
        if not retrospective:
            day = on
    assume(case.events)
    last = latest_date(case)
    assert last is not None
    judge = last
    if as_of is not None:
        if compliant is True:
            horizon = _open_horizon(case, last)
            room = 365 if horizon is None else max(0, (horizon - last).days)
            judge = last + timedelta(days=draw(st.integers(0, room)))
        elif compliant is False:
            if not _violations(case, last):
                horizon = _open_horizon(case, last)
                assume(horizon is not None)
                assert horizon is not None
                judge = horizon + timedelta(days=1 + draw(st.integers(0, 60)))
            else:
                judge = last + timedelta(days=draw(st.integers(0, 60)))
        else:
            judge = last + timedelta(days=draw(st.integers(0, 120)))
        try:
            case = _shift(case, (as_of - judge).days)
        except (SendflowError, ValidationError, OverflowError):
            assume(False)
        judge = as_of
    elif compliant is False and not _violations(case, judge):
        # Judged on the latest event: make one more, late, event if the walk allows.
        horizon = _open_horizon(case, judge)
        options = _moves(case, table)
        assume(horizon is not None and options)
        assert horizon is not None
        move = draw(st.sampled_from(options))
        on = horizon + timedelta(days=1 + draw(st.integers(0, 30)))
        event = draw(_event_of(_CLASS_OF[move.row.event], on, dict(move.row.when)))
        assume(event is not None)
        assert event is not None
        try:
            case = case.apply(event)
        except SendflowError:
            assume(False)
        judge = on
    if compliant is not None:
        assume(_violations(case, judge) is not compliant)
    if child is not None:
        person = draw(child)
        if person is not None:
            case = case.model_copy(update={"child": person})
    return case

