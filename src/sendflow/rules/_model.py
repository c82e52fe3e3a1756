"""The shape of a statutory rule: a cited, effective-dated time limit."""

from __future__ import annotations

from calendar import monthrange
from datetime import date, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

from pydantic import Field, model_validator

from sendflow import calendar as cal
from sendflow._base import SendflowModel
from sendflow.errors import CalendarError, RuleDataError

if TYPE_CHECKING:
    from sendflow.calendar import BankHolidayCalendar

__all__ = [
    "Citation",
    "CitationKind",
    "Counting",
    "EventMatch",
    "ExceptionGround",
    "GroundRule",
    "LegalStatus",
    "Period",
    "PeriodUnit",
    "Rule",
    "RuleClock",
    "YearlySpan",
]


class CitationKind(StrEnum):
    """What kind of source a citation points at."""

    ACT = "act"
    REGULATIONS = "regulations"
    RULES = "rules"
    CODE_OF_PRACTICE = "code_of_practice"
    GUIDANCE = "guidance"
    CASE_LAW = "case_law"


class LegalStatus(StrEnum):
    """How binding a rule is.

    ``statute``: a time limit in an Act, regulations or tribunal rules.
    ``guidance``: the SEND Code of Practice or DfE guidance (a "should").
    ``case_law``: a court's reading of the regulations.
    ``derived``: not a legal limit, but a planning date computed from one.
    """

    STATUTE = "statute"
    GUIDANCE = "guidance"
    CASE_LAW = "case_law"
    DERIVED = "derived"


class Citation(SendflowModel):
    """Where the law says it: an instrument, a provision and a URL."""

    title: str = Field(min_length=1, description="The instrument, e.g. 'SEND Regulations 2014'.")
    href: str = Field(pattern=r"^https://", description="A URL that reaches the provision.")
    provision: str = Field(min_length=1, description="As the instrument writes it: 'reg. 13(2)'.")
    kind: CitationKind = CitationKind.REGULATIONS
    note: str | None = None

    def __str__(self) -> str:
        return f"{self.title} {self.provision}"


class ExceptionGround(StrEnum):
    """Grounds on which the regulations let a time limit fall away.

    The first four are the public contract's names; the rest cover grounds
    that only some regulations list.
    """

    SCHOOL_CLOSURE = "school_closure"
    """Regs 5(4)(a), 10(4)(a), 27(3)(a): the LA asked a school or post-16
    institution for advice around a closure of at least 4 weeks."""
    EARLY_YEARS_CLOSURE = "early_years_closure"
    """Regs 5(4)(b), 10(4)(b), 27(3)(b): the same for an early years provider."""
    EXCEPTIONAL_PERSONAL_CIRCUMSTANCES = "exceptional_personal_circumstances"
    """Exceptional personal circumstances of the child, parent or young person."""
    EXCEPTIONAL_CIRCUMSTANCES = "exceptional_circumstances"
    """Reg 8(2)(a): exceptional circumstances (not only personal ones), advice only."""
    ABSENT_FROM_AREA = "absent_from_area"
    """Absence from the LA's area for a continuous period (4 weeks, or 2 under regs 44-45)."""
    MISSED_APPOINTMENT = "missed_appointment"
    """Reg 8(2)(c): the child or young person missed an appointment (advice only)."""
    CORONAVIRUS = "coronavirus"
    """SI 2020/471: a reason relating to coronavirus, 1 May to 25 September 2020."""


class GroundRule(SendflowModel):
    """One ground a rule accepts, with any minimum duration it needs."""

    ground: ExceptionGround
    min_weeks: int | None = Field(default=None, ge=1)
    provision: str | None = None


class PeriodUnit(StrEnum):
    """The unit a period is counted in."""

    DAYS = "days"
    WEEKS = "weeks"
    MONTHS = "months"
    WORKING_DAYS = "working_days"


class Counting(StrEnum):
    """How the law's wording turns a period into a last compliant day.

    ``within``: "within N weeks of X" — X is not counted; due on X + N units.
    ``beginning_with``: "N days beginning with X" — X is day 1.
    ``before_fixed_date``: "before 15 February in the calendar year of X".
    ``at_least_before``: "at least N weeks before X" — due N units before X.
    ``immediately``: due on the day of X.
    """

    WITHIN = "within"
    BEGINNING_WITH = "beginning_with"
    BEFORE_FIXED_DATE = "before_fixed_date"
    AT_LEAST_BEFORE = "at_least_before"
    IMMEDIATELY = "immediately"


_DAYS, _WEEKS = PeriodUnit.DAYS, PeriodUnit.WEEKS
_WORKING_DAYS = PeriodUnit.WORKING_DAYS
_WITHIN, _BEGINNING_WITH = Counting.WITHIN, Counting.BEGINNING_WITH
_AT_LEAST_BEFORE, _IMMEDIATELY = Counting.AT_LEAST_BEFORE, Counting.IMMEDIATELY
_BEFORE_FIXED_DATE = Counting.BEFORE_FIXED_DATE
#: The day a fixed offset is measured from (see Period._offset): any Monday will do
#: for arithmetic that does not depend on the date it starts from.
_REFERENCE_DAY = date(2001, 1, 1)


class Period(SendflowModel):
    """A period of time and how the law counts it."""

    amount: int = Field(default=0, ge=0)
    unit: PeriodUnit = PeriodUnit.DAYS
    counting: Counting = Counting.WITHIN
    fixed_month: int | None = Field(default=None, ge=1, le=12)
    fixed_day: int | None = Field(default=None, ge=1, le=31)

    @model_validator(mode="after")
    def _check_shape(self) -> Period:
        fixed = self.counting is Counting.BEFORE_FIXED_DATE
        if fixed != (self.fixed_month is not None and self.fixed_day is not None):
            raise ValueError("fixed_month and fixed_day go with counting 'before_fixed_date' only")
        if not fixed and self.counting is not Counting.IMMEDIATELY and self.amount == 0:
            raise ValueError("a period needs an amount greater than zero")
        return self

    def due(self, start: date, *, holidays: BankHolidayCalendar | None = None) -> date:
        """The last compliant day of this period for a clock started on ``start``.

        ```python
        >>> Period(amount=20, unit="weeks").due(date(2026, 1, 5))
        datetime.date(2026, 5, 25)
        >>> Period(amount=15, counting="beginning_with").due(date(2026, 3, 10))
        datetime.date(2026, 3, 24)

        ```
        """
        try:
            return self._due(start, holidays)
        except OverflowError:
            raise CalendarError(
                "a due date falls outside the dates the calendar supports"
            ) from None

    def _offset(self) -> timedelta | None:
        """The fixed distance from a clock's start to its due date, for periods
        counted in days or weeks (or immediately); None when it depends on the
        start (months, working days, a fixed date in the year).

        Measured with the calendar's own arithmetic (:meth:`_due` from a reference
        day), so the engine's precomputed offsets change whenever the calendar does.
        """
        if self.counting is _IMMEDIATELY or (
            self.counting is not _BEFORE_FIXED_DATE and self.unit in (_DAYS, _WEEKS)
        ):
            return self._due(_REFERENCE_DAY, None) - _REFERENCE_DAY
        return None

    def _due(self, start: date, holidays: BankHolidayCalendar | None) -> date:
        """Each wording of the law mapped to the one calendar function that counts it."""
        # Plain comparisons against module-level members: looking an enum member
        # up on its class is slow.
        counting, unit, n = self.counting, self.unit, self.amount
        if counting is _IMMEDIATELY:
            return start
        if counting is _BEFORE_FIXED_DATE:
            assert self.fixed_month is not None
            assert self.fixed_day is not None
            return cal.before_in_year(start, self.fixed_month, self.fixed_day)
        if counting is _AT_LEAST_BEFORE:
            n = -n
        elif counting is _BEGINNING_WITH:
            if unit is _DAYS:
                return cal.period_beginning_with(start, n)
            if unit is _WEEKS:
                return cal.weeks_beginning_with(start, n)
            if unit is _WORKING_DAYS:
                return cal.working_days_beginning_with(start, n, holidays=holidays)
            return cal.months_beginning_with(start, n)
        if unit is _DAYS:
            return cal.add_days(start, n)
        if unit is _WEEKS:
            return cal.add_weeks(start, n)
        if unit is _WORKING_DAYS:
            return cal.add_working_days(start, n, holidays=holidays)
        return cal.add_months(start, n)

    def describe(self) -> str:
        """The period in words, e.g. 'within 20 weeks'.

        ```python
        >>> Period(amount=15, counting="beginning_with").describe()
        '15 days beginning with'

        ```
        """
        unit = self.unit.value.replace("_", " ")
        if self.amount == 1:
            unit = unit.rstrip("s")
        amount = f"{self.amount} {unit}"
        match self.counting:
            case Counting.WITHIN:
                return f"within {amount}"
            case Counting.BEGINNING_WITH:
                return f"{amount} beginning with"
            case Counting.AT_LEAST_BEFORE:
                return f"at least {amount} before"
            case Counting.IMMEDIATELY:
                return "immediately"
            case Counting.BEFORE_FIXED_DATE:
                assert self.fixed_month is not None
                assert self.fixed_day is not None
                fixed = date(2000, self.fixed_month, self.fixed_day).strftime("%-d %B")
                return f"before {fixed} in the calendar year of"
        raise AssertionError(self.counting)  # pragma: no cover


class YearlySpan(SendflowModel):
    """The same days every year, from one day to another, running over the new year
    when the last day comes earlier in the calendar (25 December to 1 January).

    ```python
    >>> christmas = YearlySpan(first_month=12, first_day=25, last_month=1, last_day=1)
    >>> christmas.contains(date(2026, 12, 31)), christmas.last_day_for(date(2026, 12, 31))
    (True, datetime.date(2027, 1, 1))
    >>> christmas.describe()
    '25 December to 1 January'

    ```
    """

    first_month: int = Field(ge=1, le=12)
    first_day: int = Field(ge=1, le=31)
    last_month: int = Field(ge=1, le=12)
    last_day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _check_days(self) -> YearlySpan:
        for month, day in ((self.first_month, self.first_day), (self.last_month, self.last_day)):
            try:
                date(2000, month, day)  # a leap year: 29 February is a day of some years
            except ValueError:
                raise ValueError(f"{day} is not a day of month {month}") from None
        return self

    def _wraps(self) -> bool:
        return (self.last_month, self.last_day) < (self.first_month, self.first_day)

    def contains(self, d: date) -> bool:
        """Whether ``d`` is one of the span's days."""
        day = (d.month, d.day)
        first, last = (self.first_month, self.first_day), (self.last_month, self.last_day)
        if self._wraps():
            return day >= first or day <= last
        return first <= day <= last

    def last_day_for(self, d: date) -> date:
        """The span's last day in the run of days that holds ``d`` (a day it contains)."""
        year = d.year + 1 if self._wraps() and (d.month, d.day) >= (
            self.first_month, self.first_day
        ) else d.year
        if year > date.max.year:
            raise CalendarError("the span ends after the dates the calendar supports")
        return date(year, self.last_month, self.last_day)

    def describe(self) -> str:
        """'25 December to 1 January', or 'August' for a whole month."""
        first = date(2000, self.first_month, self.first_day)
        last = date(2000, self.last_month, self.last_day)
        whole_month = (
            self.first_month == self.last_month
            and self.first_day == 1
            and self.last_day == monthrange(2000, self.last_month)[1]
        )
        if whole_month:
            return first.strftime("%B")
        return f"{first:%-d %B} to {last:%-d %B}"


class EventMatch(SendflowModel):
    """Matches events by ``type`` and, optionally, exact field values."""

    event: str = Field(min_length=1)
    where: dict[str, str | bool | int | date] = Field(
        default_factory=dict,
        description="Field values the event must have (a date for a date field, e.g. "
        "transfer_date = 2015-09-01).",
    )

    def __hash__(self) -> int:
        return hash((self.event, tuple(sorted(self.where.items()))))


class RuleClock(SendflowModel):
    """Which events start a rule's clock, satisfy it, or take the case off its path."""

    starts: tuple[EventMatch, ...] = ()
    met_by: tuple[EventMatch, ...] = ()
    closed_by: tuple[EventMatch, ...] = ()
    per: str | None = Field(
        default=None, description="An event field that keys separate instances (e.g. adviser)."
    )
    start_field: str | None = Field(
        default=None, description="An event field holding the start date instead of 'on'."
    )
    while_in: tuple[str, ...] = Field(
        default=(),
        description="Main-line states in which a start event counts (empty: any state).",
    )


Actor = Literal[
    "local_authority",
    "advice_giver",
    "health_body",
    "parent_or_young_person",
    "setting",
    "mediation_adviser",
    "old_local_authority",
    "new_local_authority",
    "tribunal",
]


class Rule(SendflowModel):
    """One version of a statutory (or guidance) time limit, as in force on a date.

    ``sendflow.rules.get(rule_id, on=...)`` returns the version in force.
    """

    id: str = Field(pattern=r"^[a-z0-9_]+(\.[a-z0-9_]+)+$")
    title: str
    duty: str = Field(description="The obligation in plain English.")
    actor: Actor
    process: str
    clock: RuleClock
    period: Period
    periods: dict[str, Period] = Field(
        default_factory=dict,
        description="Named sub-periods (limbs) for a rule with more than one, e.g. reg. 18's "
        "'secondary_to_post16'; a custom evaluator reads each by name (:meth:`limb`).",
    )
    ages: dict[str, int] = Field(
        default_factory=dict,
        description="Named ages in years the rule turns on, e.g. reg. 46's 25.",
    )
    spans: dict[str, YearlySpan] = Field(
        default_factory=dict,
        description="Named days of every year the rule treats apart, e.g. HESC r. 12(3)(a)'s "
        "25 December to 1 January and August.",
    )
    period_of: str | None = Field(
        default=None,
        description="The rule whose numbers these are, by the law (``ceasing.appeal_window`` "
        "counts ``appeal.deadline``'s limit): its ``period``, ``periods`` and ``spans`` are that "
        "rule's, filled in when the registry loads, and the evaluator reads that rule.",
    )
    exceptions: tuple[GroundRule, ...] = ()
    citations: tuple[Citation, ...] = Field(min_length=1)
    legal_status: LegalStatus
    effective_from: date
    effective_to: date | None = None
    evaluator: str = "standard"
    lapses: bool = Field(
        default=False,
        description="A right that lapses unused (not a duty that falls overdue).",
    )
    notes: str | None = None

    def __hash__(self) -> int:
        # ``periods`` and ``ages`` are dicts; a version is known by its rule and first day.
        return hash((self.id, self.effective_from))

    @property
    def is_statutory(self) -> bool:
        """Whether the rule is a hard legal limit rather than guidance."""
        return self.legal_status in (LegalStatus.STATUTE, LegalStatus.CASE_LAW)

    @property
    def starts_clock(self) -> tuple[str, ...]:
        """Event types that start this rule's clock."""
        return tuple(dict.fromkeys(m.event for m in self.clock.starts))

    @property
    def satisfied_by(self) -> tuple[str, ...]:
        """Event types that satisfy this rule."""
        return tuple(dict.fromkeys(m.event for m in self.clock.met_by))

    @property
    def disapplied_by(self) -> tuple[ExceptionGround, ...]:
        """Exception grounds that can disapply this rule."""
        return tuple(g.ground for g in self.exceptions)

    def limb(self, name: str) -> Period:
        """The named sub-period ``name`` of :attr:`periods`.

        Raises:
            RuleDataError: the rule data has no sub-period of that name (a custom
                evaluator and its rule's data disagree).
        """
        try:
            return self.periods[name]
        except KeyError:
            raise RuleDataError(
                f"rule {self.id}", f"periods.{name}", "no such named period"
            ) from None

    def age(self, name: str) -> int:
        """The named age ``name`` of :attr:`ages` (:class:`RuleDataError` if absent)."""
        try:
            return self.ages[name]
        except KeyError:
            raise RuleDataError(f"rule {self.id}", f"ages.{name}", "no such named age") from None

    def is_in_force(self, on: date) -> bool:
        """Whether this version is in force on ``on``."""
        return self.effective_from <= on and (self.effective_to is None or on <= self.effective_to)

    def citation_text(self) -> str:
        """The citations joined for display, e.g. 'SEND Regulations 2014 reg. 13(2)'."""
        return "; ".join(str(c) for c in self.citations)
