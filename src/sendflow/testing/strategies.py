"""Hypothesis strategies for SEND data: identifiers, people, needs, events and cases.

Every strategy returns valid values that shrink to small, readable examples
(the first LA code, the shortest history, the earliest allowed event).
``case_histories`` walks the workflow transition tables
(``sendflow.workflows.TABLES``), so it keeps producing valid histories as
workflows grow, and it uses ``sendflow.evaluate`` as the oracle when asked
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

import functools
import random
import string
import types
import typing
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import Enum
from types import MappingProxyType
from typing import Any, Literal

from annotated_types import MaxLen
from hypothesis import assume
from hypothesis import strategies as st
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from sendflow._calibration import AGE_AT_REQUEST, NEED_SHARES, SHARES
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
from sendflow.workflows import (
    EVENT_CLASSES,
    MAIN,
    REGIONS,
    TABLES,
    BaseEvent,
    Transition,
    WorkflowTable,
)

__all__ = [
    "DEFAULT_ON",
    "EARLIEST",
    "LATEST",
    "MIX",
    "ULN_FROM_AGE",
    "UPN_AGES",
    "VIOLATIONS",
    "WORKFLOWS",
    "HistoryMix",
    "case_histories",
    "children",
    "dates_of_birth",
    "ehc_plans",
    "event_types",
    "events",
    "la_codes",
    "laestabs",
    "latest_date",
    "models",
    "needs",
    "nhs_numbers",
    "ulns",
    "upns",
    "urns",
]

#: The day ``dates_of_birth`` and ``children`` count ages on when no
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

    ``on`` defaults to ``DEFAULT_ON`` (there is no hidden clock). The
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


@functools.lru_cache(maxsize=512)
def _cached(factory: Any, *args: Any) -> st.SearchStrategy[Any]:
    """One strategy per factory and arguments: building strategies anew on every
    draw is slow (hypothesis validates and describes each)."""
    strategy: st.SearchStrategy[Any] = factory(*args)
    return strategy


def _optional(factory: Any, *args: Any) -> st.SearchStrategy[Any]:
    return _opt(factory(*args))


def _optional_of(values: tuple[Any, ...]) -> st.SearchStrategy[Any]:
    return _opt(st.sampled_from(values))


def _age_on(dob: date, on: date) -> int:
    return on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))


#: Ages (on the day counted) at which a child may hold a UPN: from reception
#: (the year they turn 5) to the end of sixth form.
UPN_AGES = (4, 18)
#: Youngest age at which a young person may hold a ULN: the Learning Records
#: Service issues ULNs from age 14 (year 10, for qualifications).
ULN_FROM_AGE = 14


@st.composite
def children(
    draw: st.DrawFn,
    age_between: tuple[int, int] = (0, 25),
    on: date | None = None,
    *,
    names: bool = True,
    with_needs: bool = True,
) -> ChildOrYoungPerson:
    """Valid ``ChildOrYoungPerson`` records with synthetic details.

    Identifiers come from ``upns``, ``ulns`` and ``nhs_numbers``
    (the NHS test range) and fit the age on ``on``: a UPN only at school age
    (``UPN_AGES``), a ULN only from ``ULN_FROM_AGE``. Without either,
    the record gives a SEN2 ``upn_unknown`` reason that fits too (``UN1``,
    under 6 and not yet given a UPN, for a child under school age). Names and
    postcodes are made up. Each child has needs (``needs``, primary needs
    in the national shares) unless ``with_needs`` is False.

    Args:
        age_between: ages (whole years) on ``on``; see ``dates_of_birth``.
        on: the day ages are counted on (default ``DEFAULT_ON``).
        names: whether given and family names may be drawn.
        with_needs: whether the child has a needs profile.

    ```python
    >>> from datetime import date
    >>> from hypothesis import find
    >>> child = find(children(age_between=(5, 11), on=date(2026, 9, 1)), lambda c: True)
    >>> 5 <= child.age_on(date(2026, 9, 1)) <= 11
    True
    >>> baby = find(children(age_between=(0, 1)), lambda c: True)
    >>> baby.uln is None and baby.upn is None, baby.upn_unknown
    (True, <UPNUnknown.UN1: 'UN1'>)

    ```
    """
    when = on or DEFAULT_ON
    dob = draw(_cached(dates_of_birth, age_between, on))
    age = _age_on(dob, when)
    upn = draw(_cached(_optional, upns)) if UPN_AGES[0] <= age <= UPN_AGES[1] else None
    uln = draw(_cached(_optional, ulns)) if age >= ULN_FROM_AGE else None
    unknown: UPNUnknown | None = None
    if upn is None and uln is None:
        reasons: tuple[UPNUnknown, ...]
        if age < UPN_AGES[0]:
            reasons = (UPNUnknown.UN1,)  # under 6 and not yet given a UPN
        elif age < 6:
            reasons = (UPNUnknown.UN1, UPNUnknown.UN8, UPNUnknown.UN10)
        elif age >= 16:
            reasons = (UPNUnknown.UN8, UPNUnknown.UN9, UPNUnknown.UN3, UPNUnknown.UN5)
        else:
            reasons = (UPNUnknown.UN8, UPNUnknown.UN2, UPNUnknown.UN3, UPNUnknown.UN5)
        unknown = draw(_cached(st.sampled_from, reasons))
    looked_after = draw(st.booleans())
    data: dict[str, Any] = {
        "date_of_birth": dob,
        "upn": upn,
        "uln": uln,
        "nhs_number": draw(_cached(_optional, nhs_numbers)),
        "upn_unknown": unknown,
        "responsible_la": draw(_cached(_optional, la_codes, when)),
        "sex": draw(_cached(_optional_of, tuple(Sex))),
        "ethnicity": draw(_cached(_optional_of, tuple(Ethnicity))),
        "setting_urn": draw(_cached(_optional, urns)) if age >= 2 else None,
        "setting_laestab": draw(_cached(_optional, laestabs)) if age >= 2 else None,
        "looked_after": looked_after,
        "previously_looked_after": False if looked_after else draw(st.booleans()),
        "child_in_need": draw(st.booleans()),
        "eligible_for_free_school_meals": draw(st.booleans()) if age >= 4 else False,
    }
    if with_needs:
        data["needs"] = draw(_cached(needs, when))
    if names:
        data["given_name"] = draw(_cached(_optional_of, _GIVEN))
        data["family_name"] = draw(_cached(_optional_of, _FAMILY))
        data["postcode"] = draw(_cached(_optional_of, _POSTCODES))
    return ChildOrYoungPerson(**data)


_TWO_BYTES = st.binary(min_size=2, max_size=2)
_SEED_BYTES = st.binary(min_size=8, max_size=8)


def _uniform(draw: st.DrawFn) -> float:
    """A number in [0, 1), near enough uniform, as hypothesis's integers are not
    (they lean to small values) while its bytes are. It shrinks to 0."""
    return int.from_bytes(draw(_TWO_BYTES), "big") / 65_536


def _weighted(draw: st.DrawFn, options: list[tuple[Any, float]], label: str = "") -> Any:
    """One of ``options`` drawn in proportion to its weight (zero weights never).

    It shrinks to the first option.
    """
    live = [(value, w) for value, w in options if w > 0]
    if not live:
        raise ValueError(f"no option has a weight{': ' + label if label else ''}")
    if len(live) == 1:
        return live[0][0]
    total = sum(w for _, w in live)
    point = _uniform(draw) * total
    acc = 0.0
    for value, w in live:
        acc += w
        if point < acc:
            return value
    return live[-1][0]


def _between(draw: st.DrawFn, lo: int, hi: int) -> int:
    """An integer from ``lo`` to ``hi`` inclusive, drawn uniformly; shrinks to ``lo``."""
    return min(hi, lo + int(_uniform(draw) * (hi - lo + 1)))


_NEED_WEIGHTS = dict(NEED_SHARES)


def needs(on: date | None = None) -> st.SearchStrategy[NeedsProfile]:
    """Valid ``NeedsProfile`` values: one primary need, maybe a secondary.

    Primary needs come in the national shares (ASD most often, then SLCN and
    SEMH; see ``sendflow.synth.NATIONAL_2024``'s table). With ``on``, only
    need codes the SEN2 return accepts on that date are drawn.

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
    # The commonest first, so the shrunk example is the commonest need.
    codes.sort(key=lambda c: -_NEED_WEIGHTS.get(str(c.value), 0.001))

    @st.composite
    def build(draw: st.DrawFn) -> NeedsProfile:
        primary = _weighted(draw, [(c, _NEED_WEIGHTS.get(str(c.value), 0.001)) for c in codes])
        rest = tuple(c for c in codes if c != primary)
        secondary = draw(_cached(_optional_of, rest)) if rest else None
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
            ``EARLIEST`` to ``LATEST``).
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


#: The workflows ``case_histories`` walks: every table in
#: ``sendflow.workflows.TABLES``, and ``"case"``, a case's whole main line
#: (the assessment, then the life of the plan).
WORKFLOWS: Mapping[str, WorkflowTable] = {"case": MAIN, **TABLES}


def _table(workflow: str) -> WorkflowTable:
    try:
        return WORKFLOWS[workflow]
    except KeyError:
        known = ", ".join(sorted(WORKFLOWS))
        raise ValueError(f"unknown workflow {workflow!r}; known: {known}") from None


@dataclass(frozen=True)
class HistoryMix:
    """The shares ``case_histories`` draws its stories from.

    ``MIX`` holds the national figures (DfE, England, 2024; the table
    ``sendflow.synth`` uses too). Skew it with ``dataclasses.replace``,
    e.g. ``replace(MIX, refused=0.6)`` for a caseload of refusals or
    ``replace(MIX, exception=1.0)`` for every request with an exception.
    Shares of one choice need not add up to 1: they are weights.

    Attributes:
        stock_plan: share of whole-case histories (``workflow="case"``) that
            are a plan made before the record begins (a first
            ``final_plan_issued``), followed by its annual reviews.
        refused: share of requests the LA refuses to assess (25.2 %).
        assessed: share of requests agreed for assessment (65.4 %); the rest
            are withdrawn.
        plan: share of assessments that end in a plan (93.6 %); the rest end
            with a notice that no plan will be made.
        exception: share of requests with an exception recorded (6.1 %):
            one, before the final plan, never after it.
        review_amend: weight of an amend decision after a review (61.2 %).
        review_maintain: weight of a maintain decision (37.7 %).
        review_cease: weight of a cease decision (1.1 %).
        stock_reviews: fewest and most annual reviews of a stock plan.
        made_by: weights of who makes a request (parents most often, then
            schools and settings, young people least: sendflow's assumption,
            as the DfE publishes no split).
        in_progress: share of histories cut short, as an open case is when it
            is read.
        other: weight of a move off the story's path (a move to another LA,
            a health or social care step, a disagreement) against 1 for a
            move on it.
    """

    stock_plan: float = SHARES["stock_plan"]
    refused: float = SHARES["request_refused"]
    assessed: float = SHARES["request_assessed"]
    plan: float = SHARES["assessment_plan"]
    exception: float = SHARES["plan_exception"]
    review_amend: float = SHARES["review_amend"]
    review_maintain: float = SHARES["review_maintain"]
    review_cease: float = SHARES["review_cease"]
    stock_reviews: tuple[int, int] = (1, 3)
    made_by: tuple[tuple[str, float], ...] = tuple(
        (who, SHARES[f"made_by_{who}"])
        for who in ("parent", "school_or_setting", "other", "young_person")
    )
    in_progress: float = 0.15
    other: float = 0.03


#: The national mix (see ``HistoryMix``).
MIX = HistoryMix()


@dataclass(frozen=True)
class _Story:
    """What one drawn history is to be: drawn first, then walked."""

    stock: bool
    decision: str  # assess, refuse, withdraw
    ending: str  # plan, no_plan
    exception: bool
    reviews: int
    cut: int | None  # events to stop after (a case in progress), or None
    made_by: str


#: The advisers of reg. 6(1), in the order an LA usually asks them.
_ADVISERS = ("parent_or_young_person", "educational", "medical", "psychological", "social_care")
#: Main-line states in which a plan is in force.
_PLAN_STATES = frozenset(
    {"plan_issued", "plan_maintained", "under_review", "amending", "considering_reassessment",
     "reassessing", "ceasing", "ceased"}
)
#: Events of the yearly review cycle (a year apart, not weeks).
_ANNUAL = frozenset({"review_invitations_sent", "review_advice_circulated", "review_meeting_held"})
#: Steps taken once in a review year (counts reset by each review decision).
_ONCE = _ANNUAL | {"amendment_notice_sent", "amendment_representations_received",
                   "cease_notice_sent"}


def _draw_story(
    draw: st.DrawFn, mix: HistoryMix, workflow: str, min_events: int, max_events: int
) -> _Story:
    # The story is drawn from a seeded random number generator, so its choices
    # come in exactly the mix's shares (hypothesis's own draws lean to simple
    # values, and would skew them); the walk's steps are hypothesis's, so a
    # failing history still shrinks step by step.
    rng = random.Random(int.from_bytes(draw(_SEED_BYTES), "big"))

    def pick(options: list[tuple[Any, float]]) -> Any:
        live = [(v, w) for v, w in options if w > 0]
        total = sum(w for _, w in live)
        point = rng.random() * total
        for value, w in live:
            point -= w
            if point < 0:
                return value
        return live[-1][0]

    stock = False
    if workflow == "review":
        stock = True
    elif workflow == "case":
        stock = pick([(False, 1 - mix.stock_plan), (True, mix.stock_plan)])
    decision = pick([("assess", mix.assessed), ("refuse", mix.refused),
                     ("withdraw", max(0.0, 1 - mix.assessed - mix.refused))])
    ending = pick([("plan", mix.plan), ("no_plan", 1 - mix.plan)])
    exception = pick([(False, 1 - mix.exception), (True, mix.exception)])
    made_by = pick(list(mix.made_by))
    lo, hi = mix.stock_reviews
    reviews = rng.randint(lo, hi) if stock else rng.randint(0, 1)
    cut = None
    if pick([(False, 1 - mix.in_progress), (True, mix.in_progress)]):
        cut = rng.randint(min_events, max_events)
    return _Story(stock, decision, ending, exception, reviews, cut, made_by)


def _weight(move: _Move, state: str, story: _Story, mix: HistoryMix, seen: Mapping[str, int],
            main_walk: bool) -> float:
    """How likely ``move`` is next in ``story`` (0: never)."""
    event, when = move.row.event, move.row.when
    plan_made = "final_plan_issued" in seen
    if event == "exception_recorded":
        if not story.exception or plan_made or "exception_recorded" in seen:
            return 0.0
        return 2.0
    if move.region != "main":
        return mix.other if main_walk else 1.0
    if state == "not_requested":
        if event == "request_received":
            return 0.0 if story.stock else 1.0
        if event == "final_plan_issued":
            return 1.0 if story.stock else 0.0
        if event == "la_became_responsible":
            return 0.0 if story.stock else 0.02
        return 0.0  # record_opened, plan_transferred: not part of a drawn story
    if event == "assessment_decision":
        if state == "assessment_refused":
            return 0.0  # a reversal is not part of a drawn story
        return 1.0 if when.get("outcome") == story.decision else 0.0
    if event == "request_withdrawn":
        return 1.0 if story.decision == "withdraw" else 0.0
    if event == "no_plan_notice_sent":
        return 1.0 if story.ending == "no_plan" else 0.0
    if event == "request_received":
        return 0.0  # a new request after the story ended
    if event in ("draft_plan_issued", "final_plan_issued"):
        if state in ("assessing", "draft_issued"):
            return (1.0 if event == "final_plan_issued" else 0.6) if story.ending == "plan" else 0.0
        return mix.other
    if event in ("advice_requested", "advice_received"):
        if state not in ("assessing", "draft_issued", "reassessing"):
            return mix.other
        # about five pieces of advice are asked for (reg. 6(1)), and come back
        asked, got = seen.get("advice_requested", 0), seen.get("advice_received", 0)
        if event == "advice_requested":
            return 1.0 if asked < 5 else 0.05
        return 1.0 if got < asked else 0.05
    if event == "representations_received":
        return 0.5 if state == "draft_issued" and not seen.get(event) else mix.other
    if event in ("setting_consulted", "setting_response_received"):
        return 0.02 if seen.get(event) else 0.5
    if event == "review_decision":
        outcome = when.get("outcome")
        weights = {"amend": mix.review_amend, "maintain": mix.review_maintain,
                   "cease": mix.review_cease}
        if state not in ("under_review", "ceasing") and outcome != "cease":
            return 0.0  # a decision follows a meeting
        if state == "under_review" and not seen.get("review_meeting_held"):
            return 0.0
        return weights.get(str(outcome), 0.0) if state != "ceasing" else mix.other
    if event in _ANNUAL:
        # one of each a year: invitations, advice, the meeting (counts reset by
        # each review decision)
        if state not in ("plan_issued", "plan_maintained", "under_review"):
            return 0.0
        return 1.0 if not seen.get(event) else 0.02
    if event in ("amended_plan_issued", "amendment_notice_sent",
                 "amendment_representations_received"):
        if state != "amending":
            return 0.0
        return 0.02 if event in _ONCE and seen.get(event) else 1.0
    if event in ("cease_notice_sent", "plan_ceased"):
        if state != "ceasing":
            return 0.0
        return 0.02 if event in _ONCE and seen.get(event) else 1.0
    return mix.other


def _story_done(state: str, story: _Story, reviews: int) -> bool:
    if state in ("assessment_refused", "withdrawn", "plan_refused", "ceased"):
        return True
    return state in ("plan_issued", "plan_maintained") and reviews >= story.reviews


def latest_date(case: Case) -> date | None:
    """The latest date among a case's events (``on``), or None for an empty case.

    This is the date ``case_histories`` judges compliance on when it is
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
def _story_child(draw: st.DrawFn, first: date, stock: bool) -> ChildOrYoungPerson:
    """A child whose age fits the history: at the request, ages as requests
    come (mostly young children); at a stock plan's making, 2 to 19."""
    if stock:
        age = _between(draw, 2, 19)
    else:
        age = _weighted(draw, [(a, w) for a, w in sorted(AGE_AT_REQUEST, key=lambda p: -p[1])])
    person = draw(children(age_between=(age, age), on=first))
    return person


@st.composite
def case_histories(
    draw: st.DrawFn,
    workflow: str = "case",
    *,
    compliant: bool | None = None,
    as_of: date | None = None,
    max_events: int = 12,
    min_events: int = 1,
    max_gap_days: int = 60,
    child: st.SearchStrategy[ChildOrYoungPerson | None] | bool | None = None,
    mix: HistoryMix = MIX,
) -> Case:
    """Valid ``Case`` histories in a realistic mix, made by walking
    the transition table.

    Each history is first given a *story* drawn from ``mix`` (by default
    ``MIX``, the national figures): a request (made by a parent most
    often, a school or setting next, a young person least) that is refused,
    withdrawn, or assessed and ends in a plan or a notice that no plan will be
    made; or, in a whole case, a plan made before the record begins (a stock
    plan) with its annual reviews. An exception is rare (one request in 16)
    and never follows the final plan; a share of histories stop part-way, as
    open cases do. The walk then takes, at each step, one of the rows that
    leave the case's current state, in proportion to how well it fits the
    story (a row off the story's path, such as a move to another LA, only
    rarely); its guard fixes the event's fields (``outcome="assess"``), the
    other fields are drawn, and the event is dated on or after the previous
    one (a review about a year after the last). If the workflow does not
    start where a case starts (a review needs a plan), the shortest path
    there is taken first. With a story done and ``min_events`` not reached,
    the walk goes on.

    Args:
        workflow: ``"case"`` (the whole main line: assessment, then the life
            of the plan) or a table name in ``sendflow.workflows.TABLES``
            (``"assessment"``, ``"review"``, ``"disagreement"``).
        compliant: ``True``: every deadline met on time (none ``missed`` or
            ``overdue``) as of the judging date; ``False``: at least one
            ``missed`` or ``overdue``; ``None``: anything.
        as_of: the judging date; every event is dated on or before it. If
            None, compliance is judged on the latest event's date
            (``latest_date``) and the dates range from ``EARLIEST``
            to ``LATEST``.
        max_events: most events in the history (the prefix included).
        min_events: fewest events the walk tries to make.
        max_gap_days: most days between consecutive events (reviews apart).
        child: a strategy for ``Case.child``; ``True`` for a child whose age
            fits the history (``children``, aged at the first event as
            requests come); default: none.
        mix: the shares stories are drawn from (``HistoryMix``).

    A failing example shrinks to a short history, shown with its events
    (``Case.__repr__`` lists each event's type and date, not personal data).

    ```python
    >>> from hypothesis import find
    >>> case = find(case_histories(), lambda c: c.state == "assessing")
    >>> [e.outcome for e in case.events if e.type == "assessment_decision"]
    ['assess']

    ```
    """
    table = _table(workflow)
    if not 1 <= min_events <= max_events:
        raise ValueError("need 1 <= min_events <= max_events")
    story = _draw_story(draw, mix, workflow, min_events, max_events)
    main_walk = "main" in _regions_of(table)
    annual_room = 365 * (max(mix.stock_reviews[1], 1) + 1)
    start_hi = LATEST - timedelta(days=max_events * max_gap_days + 400 + annual_room)
    day = EARLIEST + timedelta(days=_between(draw, 0, (start_hi - EARLIEST).days))
    first_day = day
    late_step = draw(st.integers(0, max_events - 1)) if compliant is False else -1
    case = Case()
    prefix = _path_into(case, table)
    steps: list[_Move] = [*prefix]
    seen: Counter[str] = Counter()
    asked: list[str] = []
    answered: set[str] = set()
    reviews = 0
    stop = story.cut if story.cut is not None else max_events
    while len(case.events) < min(max_events, max(stop, min_events)):
        state = case.state
        if steps:
            move = steps.pop(0)
        else:
            done = _story_done(state, story, reviews) or len(case.events) >= stop
            if done and len(case.events) >= min_events:
                break
            options = _moves(case, table)
            frozen = MappingProxyType(dict(seen))
            weighted = [(m, _weight(m, case.states[m.region], story, mix, frozen, main_walk))
                        for m in options]
            if done or not any(w > 0 for _, w in weighted):
                weighted = [(m, 1.0) for m in options]  # beyond the story: any move
            if not weighted:
                break
            # the likeliest first, so a shrunk history follows the story's path
            weighted.sort(key=lambda pair: -pair[1])
            move = _weighted(draw, weighted)
        cls = _CLASS_OF[move.row.event]
        fixed = dict(move.row.when)
        if move.row.event == "request_received":
            fixed.setdefault("made_by", story.made_by)
        elif move.row.event == "advice_requested" and "adviser" not in fixed:
            # each adviser of reg. 6(1) in turn, then any
            left = [a for a in _ADVISERS if a not in asked]
            if left:
                fixed["adviser"] = left[0]
        elif move.row.event == "advice_received" and "adviser" not in fixed:
            owed = [a for a in asked if a not in answered]
            if owed:
                fixed["adviser"] = owed[_between(draw, 0, len(owed) - 1)]
        retrospective = cls.retrospective and bool(case.events)
        if retrospective:
            back = (day - first_day).days
            on = day - timedelta(days=_between(draw, 0, back))
        else:
            lo, hi = 0, max_gap_days
            new_year = not any(seen.get(name) for name in _ANNUAL)
            if move.row.event in _ANNUAL and new_year and state in _PLAN_STATES:
                lo, hi = 240, 364  # the next year's review
            if compliant is not None and case.events:
                horizon = _open_horizon(case, day)
                if horizon is not None and compliant:
                    hi = max(0, min(hi, (horizon - day).days))
                    lo = min(lo, hi)
                elif horizon is not None and len(case.events) >= late_step:
                    lo = hi = max(0, (horizon - day).days + 1)  # late on purpose
                    late_step = max_events + 1
            on = day + timedelta(days=lo + _between(draw, 0, hi - lo + 30 * (lo > 0)))
        event = draw(_event_of(cls, on, fixed))
        if event is None:
            break
        try:
            candidate = case.apply(event)
        except SendflowError:
            break
        if compliant is True and _violations(candidate, max(on, day)):
            break  # this step would be late (e.g. a notice due before its meeting)
        case = candidate
        seen[event.type] += 1
        adviser = getattr(event, "adviser", None)
        if event.type == "advice_requested" and adviser is not None:
            asked.append(str(getattr(adviser, "value", adviser)))
        elif event.type == "advice_received" and adviser is not None:
            answered.add(str(getattr(adviser, "value", adviser)))
        if event.type == "review_decision":
            reviews += 1
            for name in _ONCE:
                seen.pop(name, None)  # a new review year
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
    if child is True:
        first = case.events[0].on
        case = case.model_copy(update={"child": draw(_story_child(first, story.stock))})
    elif child is not None and child is not False:
        person = draw(child)
        if person is not None:
            case = case.model_copy(update={"child": person})
    return case


# ------------------------------------------------------------------- any model

#: Strategies for the types that need more than their annotation says (an
#: identifier's check digit, a whole case); filled by ``_known_types``.
_KNOWN: dict[Any, st.SearchStrategy[Any]] = {}


def _known_types() -> dict[Any, st.SearchStrategy[Any]]:
    if not _KNOWN:
        _KNOWN.update({
            UPN: upns(), ULN: ulns(), NHSNumber: nhs_numbers(), LACode: la_codes(),
            URN: urns(), LAESTAB: laestabs(), ChildOrYoungPerson: children(),
            NeedsProfile: needs(on=DEFAULT_ON), Case: case_histories(),
        })
        for cls in EVENT_CLASSES:
            kind = cls.model_fields["type"].default
            if isinstance(kind, str):
                _KNOWN[cls] = events(kind)
        from sendflow.plan import EHCPlan, PersonalBudget, Placement

        _KNOWN[EHCPlan] = ehc_plans()
        _KNOWN[Placement] = _placements(final=True)
        _KNOWN[PersonalBudget] = _budgets(("F1",))
        from sendflow.rules._readings import Reading

        _KNOWN[Reading] = _readings()
    return _KNOWN


@st.composite
def _readings(draw: st.DrawFn) -> Any:
    """A reading whose default is one of its choices, each choice listed once."""
    from sendflow.rules._readings import Reading, ReadingChoice

    choices = draw(st.lists(models(ReadingChoice), min_size=2, max_size=3,
                            unique_by=lambda c: c.id))
    return Reading(
        id=draw(st.sampled_from(["review.date", "ceasing.window", "transfer.notice"])),
        question="Which day does the period run from?",
        choices=tuple(choices),
        default=choices[0].id,
        default_reason="The reading most LAs take.",
        rules=("review.annual",),
    )


def _bounds(metadata: list[Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for m in metadata:
        for name in ("ge", "gt", "le", "lt", "min_length", "max_length", "pattern"):
            value = getattr(m, name, None)
            if value is not None:
                out[name] = value
    return out


def _text(bounds: Mapping[str, Any]) -> st.SearchStrategy[str]:
    lo = int(bounds.get("min_length") or 1)
    hi = int(bounds.get("max_length") or max(lo, 12))
    pattern = bounds.get("pattern")
    if pattern is not None:
        return st.from_regex(str(pattern), fullmatch=True).filter(lambda v: lo <= len(v) <= hi)
    return st.text(string.ascii_letters + string.digits, min_size=lo, max_size=min(hi, lo + 12))


def _for_annotation(annotation: Any, metadata: list[Any], depth: int) -> st.SearchStrategy[Any]:
    """A strategy for values of ``annotation`` (with its field's constraints)."""
    known = _known_types()
    if annotation in known:
        return known[annotation]
    origin = typing.get_origin(annotation)
    args = typing.get_args(annotation)
    if origin is typing.Annotated:
        return _for_annotation(args[0], [*metadata, *args[1:]], depth)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in args if a is not type(None)]
        parts = [_for_annotation(a, metadata, depth) for a in options]
        strategy = st.one_of(*parts) if parts else st.none()
        return _opt(strategy) if len(options) != len(args) else strategy
    if origin is Literal:
        return st.sampled_from(args)
    bounds = _bounds(metadata)
    if origin in (tuple, list, frozenset, set) or annotation in (tuple, list):
        inner = args[0] if args else str
        lo = int(bounds.get("min_length") or 0)
        hi = int(bounds.get("max_length") or lo + (2 if depth < 2 else 0))
        items = _for_annotation(inner, [], depth + 1)
        seq = st.lists(items, min_size=lo, max_size=max(lo, hi))
        maker: Any = tuple if origin in (tuple, None) else origin
        return seq.map(maker)
    if origin in (dict, Mapping) or (origin is not None and getattr(origin, "__name__", "") in (
            "Mapping", "MappingProxyType")):
        key = _for_annotation(args[0], [], depth + 1) if args else st.text(max_size=5)
        value = _for_annotation(args[1], [], depth + 1) if len(args) > 1 else st.none()
        return st.dictionaries(key, value, max_size=2 if depth < 2 else 0)
    if annotation is Any or annotation is object:
        return st.none()
    if isinstance(annotation, type):
        from pydantic import BaseModel

        if issubclass(annotation, BaseModel):
            return st.deferred(lambda: models(annotation, _depth=depth + 1))
        if issubclass(annotation, Enum):
            return st.sampled_from(list(annotation))
        if issubclass(annotation, bool):
            return st.booleans()
        if issubclass(annotation, date):
            return st.dates(EARLIEST, LATEST)
        if issubclass(annotation, int):
            return st.integers(int(bounds.get("ge", bounds.get("gt", -1) + 1)),
                               int(bounds.get("le", bounds.get("lt", 10_001) - 1)))
        if issubclass(annotation, float):
            return st.floats(float(bounds.get("ge", 0.0)), float(bounds.get("le", 1000.0)),
                             allow_nan=False)
        if issubclass(annotation, str):
            return _text(bounds)
    return st.from_type(annotation)


@functools.cache
def models(cls: type[Any], *, _depth: int = 0) -> st.SearchStrategy[Any]:
    """Valid instances of any sendflow model (a pydantic model), built field by field.

    Each field gets a strategy from its annotation and constraints (identifiers
    with valid check digits, enum members, dates from ``EARLIEST`` to
    ``LATEST``, patterns respected); optional fields are sometimes left at
    their defaults. A combination the model's own checks refuse is tried again
    with only the required fields, then discarded. Models whose parts must agree
    (an EHC plan) have their own strategy (``ehc_plans``). This is what
    ``st.from_type`` uses for every model sendflow exports.

    ```python
    >>> from hypothesis import find
    >>> from sendflow.rules import Citation
    >>> find(models(Citation), lambda c: True).href.startswith("https://")
    True

    ```
    """
    known = _known_types()
    if cls in known:
        return known[cls]
    fields = {name: info for name, info in cls.model_fields.items()}

    @st.composite
    def build(draw: st.DrawFn) -> Any:
        data: dict[str, Any] = {}
        required: dict[str, Any] = {}
        for name, info in fields.items():
            if not info.is_required() and (_depth > 1 or not draw(st.booleans())):
                continue
            strategy = _for_annotation(info.annotation, list(info.metadata), _depth)
            data[name] = draw(strategy)
            if info.is_required():
                required[name] = data[name]
        for attempt in (data, required):
            try:
                return cls.model_validate(attempt)
            except (ValidationError, SendflowError, ValueError, TypeError):
                continue
        assume(False)
        raise AssertionError("unreachable")

    return build()


def _provision(pid: str, outcomes: tuple[str, ...]) -> st.SearchStrategy[Any]:
    from sendflow.plan import ProvisionItem

    return st.builds(
        ProvisionItem,
        id=st.just(pid),
        what=st.sampled_from(["Speech and language therapy", "1:1 teaching assistant",
                              "Social skills group", "Occupational therapy programme"]),
        who=st.sampled_from(["speech_and_language_therapist", "teaching_assistant",
                             "teacher", "occupational_therapist"]),
        how_often=st.sampled_from(["3 x 30 minutes a week", "daily, 20 minutes",
                                   "once a fortnight", "2 sessions a week"]),
        outcomes=st.just(outcomes),
    )


def _placements(*, final: bool, first_draft: bool = False) -> st.SearchStrategy[Any]:
    from sendflow.plan import Placement, SettingType

    if first_draft:
        return st.just(Placement(left_for_final_plan=True))
    named = st.one_of(
        st.builds(Placement, urn=urns()),
        st.builds(Placement, laestab=laestabs()),
        st.builds(Placement, setting_type=st.sampled_from(list(SettingType))),
    )
    return named if final else st.one_of(named, st.just(Placement(left_for_final_plan=True)))


def _budgets(provision_ids: tuple[str, ...]) -> st.SearchStrategy[Any]:
    from sendflow.plan import BudgetArrangement, DirectPayment, PersonalBudget

    @st.composite
    def build(draw: st.DrawFn) -> PersonalBudget:
        arrangement = draw(st.sampled_from(list(BudgetArrangement)))
        requested = draw(st.dates(EARLIEST, LATEST - timedelta(days=60)))
        payments: tuple[DirectPayment, ...] = ()
        if arrangement in (BudgetArrangement.DIRECT_PAYMENT, BudgetArrangement.COMBINATION):
            consent = requested + timedelta(days=draw(st.integers(0, 30)))
            payments = (DirectPayment(
                provision_ids=provision_ids[:1],
                recipient=draw(st.sampled_from(["parent", "young_person", "nominee"])),
                consent_given_on=consent,
                first_payment_on=consent + timedelta(days=draw(st.integers(0, 28))),
            ),)
        return PersonalBudget(requested_on=requested, arrangement=arrangement,
                              provision_ids=provision_ids, direct_payments=payments)

    return build()


@st.composite
def ehc_plans(draw: st.DrawFn, status: str | None = None) -> Any:
    """Valid ``EHCPlan`` values whose sections agree: outcomes in
    section E each served by provision in F-H, a setting named in a final plan
    and not in a first draft, a personal budget over provision the plan holds.

    Args:
        status: ``"draft"`` or ``"final"`` (default: either).

    ```python
    >>> from hypothesis import find
    >>> plan = find(ehc_plans(status="final"), lambda p: True)
    >>> plan.section_i.names_a_setting
    True

    ```
    """
    from sendflow.plan import EHCPlan, Outcome, PlanStatus, SpecialEducationalNeeds

    kind = PlanStatus(status) if status is not None else draw(st.sampled_from(list(PlanStatus)))
    amendment = draw(st.booleans()) if kind is PlanStatus.DRAFT else False
    n = draw(st.integers(1, 3))
    outcome_ids = tuple(f"E{i + 1}" for i in range(n))
    outcomes = tuple(
        Outcome(id=oid, description=draw(st.sampled_from(
            ["Communicates needs to familiar adults", "Moves safely around school",
             "Reads simple sentences", "Manages transitions between lessons"])))
        for oid in outcome_ids
    )
    section_f = tuple(draw(_provision(f"F{i + 1}", (oid,))) for i, oid in enumerate(outcome_ids))
    first_draft = kind is PlanStatus.DRAFT and not amendment
    placement = draw(_placements(final=kind is PlanStatus.FINAL, first_draft=first_draft))
    on = draw(st.dates(EARLIEST, LATEST))
    budget = draw(_opt(_budgets(tuple(p.id for p in section_f))))
    profile = draw(needs(on=on))
    return EHCPlan(
        status=kind, issued_on=on, amendment=amendment,
        section_b=SpecialEducationalNeeds(needs=profile),
        section_e=outcomes, section_f=section_f, section_i=placement, section_j=budget,
    )
