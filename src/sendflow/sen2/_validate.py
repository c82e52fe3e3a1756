"""Validate a SEN2 return: every rule, every record, every failure with its location.

The rules are data (``sen2/data/validation.toml``: code, module, severity,
message, guide item); each has a check function here registered under its
code. :func:`validate` never stops at the first failure. Locations are paths
such as ``Person[3].Requests[0].Assessment[0]``; messages never contain the
offending value (no identifiers, names or dates of birth).

Three kinds of check:

- per record (SF01xx-SF06xx, SF0700-SF0704): one module record at a time;
- across records (SF0705-SF0707): the same person twice, a (person, request)
  key twice, a plan active under two requests of one person; the location
  is the later record;
- a case :func:`~sendflow.sen2.build_return` could not write (SF0708, from
  ``ret.refused``): the location is the case's position and the item
  (``Case[4].Person.Surname``), never the value;
- comparisons (SF0710, SF0711), run only when asked: with last year's return
  (``previous=``) and with the LA's own figures (``figures=``); the location
  names the figure (``Statistics.requests``, ``Figures.plans_issued``).
"""

from __future__ import annotations

import csv
import io
import re
import tomllib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal

from sendflow.calendar import before_in_year
from sendflow.errors import InvalidArgument, RuleDataError, RuleNotFound
from sendflow.identifiers import is_valid_uln, is_valid_upn
from sendflow.rules._model import Citation
from sendflow.rules._registry import nearest_version
from sendflow.sen2._model import (
    ActivePlan,
    Assessment,
    NamedPlan,
    Person,
    PlacementDetail,
    PlanDetail,
    Request,
    SEN2Error,
    SEN2Return,
    _Module,
    census_date,
    code_set,
    item_in_collection,
    item_mandatory,
)

__all__ = [
    "READINGS",
    "RULES",
    "ValidationFailure",
    "ValidationReading",
    "ValidationReport",
    "ValidationRule",
    "phase_transfer_deadlines",
    "read_figures",
    "validate",
]

Severity = Literal["error", "query"]


@dataclass(frozen=True)
class ValidationRule:
    """One validation rule as data."""

    code: str
    module: str
    severity: Severity
    message: str
    item: str
    dfe_rule: str | None = None
    #: False when the rule rests on a reading of the guide sendflow could not verify
    #: (``note`` then names the reading and its source).
    verified: bool = True
    note: str | None = None
    #: The law the rule rests on, where it checks a condition the law gives (statute,
    #: regulations or Code of Practice, as each citation's ``kind`` says).
    citations: tuple[Citation, ...] = ()
    #: The named reading the rule follows where the guide or the law is open (an ``id``
    #: of ``[[reading]]`` in validation.toml, with its choices and evidence).
    reading: str | None = None


@dataclass(frozen=True)
class ValidationReading:
    """A named choice a validation rule makes where the SEN2 guide is silent or open:
    what sendflow does (``chosen``), the other reading, and the evidence found."""

    id: str
    question: str
    chosen: str
    alternative: str
    evidence: str
    verified: bool = False


@dataclass(frozen=True)
class ValidationFailure:
    """One rule failing on one record."""

    code: str
    severity: Severity
    message: str
    location: str

    def __str__(self) -> str:
        return f"{self.location}: [{self.code}] {self.message}"


@dataclass(frozen=True)
class ValidationReport:
    """Every failure found in a return."""

    failures: tuple[ValidationFailure, ...]

    @property
    def errors(self) -> tuple[ValidationFailure, ...]:
        """Failures that must be fixed."""
        return tuple(f for f in self.failures if f.severity == "error")

    @property
    def queries(self) -> tuple[ValidationFailure, ...]:
        """Failures DfE will ask about (to be explained, not necessarily fixed)."""
        return tuple(f for f in self.failures if f.severity == "query")

    @property
    def ok(self) -> bool:
        """True when there are no errors (queries allowed)."""
        return not self.errors

    def codes(self) -> set[str]:
        """The codes of the rules that failed."""
        return {f.code for f in self.failures}

    def __str__(self) -> str:
        if not self.failures:
            return "no failures"
        return "\n".join(str(f) for f in self.failures)


_DATA = "validation.toml"


@cache
def _data() -> tuple[dict[str, ValidationRule], dict[str, ValidationReading]]:
    """validation.toml's rules and readings, each join checked: an unknown key, a broken
    citation or a rule naming a reading that is not there is an error naming the file and
    the key."""
    text = resources.files("sendflow.sen2").joinpath(f"data/{_DATA}").read_text(
        encoding="utf-8")
    return _parse(text)


def _parse(text: str) -> tuple[dict[str, ValidationRule], dict[str, ValidationReading]]:
    from pydantic import ValidationError

    data = tomllib.loads(text)
    readings: dict[str, ValidationReading] = {}
    for n, raw in enumerate(data.get("reading", [])):
        try:
            reading = ValidationReading(**raw)
        except TypeError:
            raise RuleDataError(_DATA, f"reading[{n}]", "unknown or missing key") from None
        if reading.id in readings:
            raise RuleDataError(_DATA, f"reading[{n}].id", "repeats an earlier reading")
        readings[reading.id] = reading
    rules: dict[str, ValidationRule] = {}
    for n, raw in enumerate(data["rule"]):
        where = f"rule[{n}]"
        try:
            cites = tuple(Citation.model_validate(c) for c in raw.pop("citations", ()))
            rule = ValidationRule(**raw, citations=cites)
        except ValidationError:
            raise RuleDataError(_DATA, f"{where}.citations", "not a valid citation") from None
        except TypeError:
            raise RuleDataError(_DATA, where, "unknown or missing key") from None
        if rule.reading is not None and rule.reading not in readings:
            raise RuleDataError(_DATA, f"{where}.reading", "no [[reading]] with that id")
        if rule.code in rules:
            raise RuleDataError(_DATA, f"{where}.code", "repeats an earlier rule")
        rules[rule.code] = rule
    used = {r.reading for r in rules.values()}
    for n, reading_id in enumerate(readings):
        if reading_id not in used:
            raise RuleDataError(_DATA, f"reading[{n}].id", "no rule follows this reading")
    return rules, readings


def _rules() -> dict[str, ValidationRule]:
    return _data()[0]


@dataclass
class _Ctx:
    year: int
    census: date
    start: date
    end: date
    request: Request | None = None
    assessment: Assessment | None = None


Check = Callable[[_Ctx, Any], bool]
_CHECKS: dict[str, tuple[type[Any] | tuple[type[Any], ...], Check]] = {}


def _check(code: str, on: type[Any] | tuple[type[Any], ...]) -> Callable[[Check], Check]:
    def deco(fn: Check) -> Check:
        _CHECKS[code] = (on, fn)
        return fn

    return deco


def _codes(name: str, year: int) -> set[str]:
    return set(code_set(name, year))


# ----------------------------------------------------------------------- person
@_check("SF0100", Person)
def _birth_missing(ctx: _Ctx, p: Person) -> bool:
    return p.birth_date is None


@_check("SF0101", Person)
def _birth_after_census(ctx: _Ctx, p: Person) -> bool:
    return p.birth_date is not None and p.birth_date >= ctx.census


@_check("SF0102", Person)
def _too_old(ctx: _Ctx, p: Person) -> bool:
    if p.birth_date is None:
        return False
    b, s = p.birth_date, ctx.start
    age = s.year - b.year - ((s.month, s.day) < (b.month, b.day))
    return age >= _outer_limit(b)


@_check("SF0103", Person)
def _bad_upn(ctx: _Ctx, p: Person) -> bool:
    return p.upn is not None and not is_valid_upn(p.upn)


@_check("SF0104", Person)
def _bad_uln(ctx: _Ctx, p: Person) -> bool:
    return p.uln is not None and not is_valid_uln(p.uln)


@_check("SF0105", Person)
def _no_identifier(ctx: _Ctx, p: Person) -> bool:
    return p.upn is None and p.uln is None and p.upn_unknown is None


@_check("SF0106", Person)
def _bad_upn_unknown(ctx: _Ctx, p: Person) -> bool:
    if p.upn_unknown is None:
        return False
    return p.upn_unknown not in _codes("UPNunknown", ctx.year) or (
        p.upn is not None or p.uln is not None)


@_check("SF0107", Person)
def _bad_sex(ctx: _Ctx, p: Person) -> bool:
    if ctx.year <= 2023:
        return p.gender_current is not None and p.gender_current not in _codes(
            "GenderCurrent", ctx.year)
    return p.sex is not None and p.sex not in _codes("Sex", ctx.year)


@_check("SF0108", Person)
def _bad_ethnicity(ctx: _Ctx, p: Person) -> bool:
    return p.ethnicity is not None and p.ethnicity not in _codes("Ethnicity", ctx.year)


def _items_out_of_year(obj: _Module, year: int) -> bool:
    name = type(obj).__name__
    return any(
        getattr(obj, i.field) is not None and not item_in_collection(name, i.xml, year)
        for i in obj.ITEMS
    )


@_check("SF0109", (Person, Request, ActivePlan, PlacementDetail))
def _item_not_in_year(ctx: _Ctx, obj: _Module) -> bool:
    return _items_out_of_year(obj, ctx.year)


# ---------------------------------------------------------------------- request
@_check("SF0200", Request)
def _received_missing(ctx: _Ctx, r: Request) -> bool:
    return r.received_date is None and r.request_outcome != "H"


@_check("SF0201", Request)
def _bad_request_outcome(ctx: _Ctx, r: Request) -> bool:
    return r.request_outcome not in _codes("RequestOutcome", ctx.year)


@_check("SF0202", Request)
def _request_date_missing(ctx: _Ctx, r: Request) -> bool:
    return r.request_outcome in ("Y", "N") and r.request_outcome_date is None


@_check("SF0203", Request)
def _request_date_not_blank(ctx: _Ctx, r: Request) -> bool:
    return r.request_outcome in ("A", "W", "H") and r.request_outcome_date is not None


@_check("SF0204", Request)
def _request_date_order(ctx: _Ctx, r: Request) -> bool:
    d = r.request_outcome_date
    if d is None:
        return False
    return d > ctx.census or (r.received_date is not None and d < r.received_date)


@_check("SF0205", Request)
def _assessment_without_yes(ctx: _Ctx, r: Request) -> bool:
    return bool(r.assessment) and r.request_outcome not in ("Y", "H")


def _coded(value: str | None, code_set_name: str, module: str, ctx: _Ctx) -> bool:
    """Whether an item that is given, in a year that has it, holds a code of its set.

    (An item given in a year without it is rule SF0109's failure, not this one's.)
    """
    return (
        value is None
        or not item_in_collection(module, code_set_name, ctx.year)
        or value in _codes(code_set_name, ctx.year)
    )


@_check("SF0206", Request)
def _bad_request_source(ctx: _Ctx, r: Request) -> bool:
    return not _coded(r.request_source, "RequestSource", "Request", ctx)


@_check("SF0207", Request)
def _request_source_missing(ctx: _Ctx, r: Request) -> bool:
    """RequestSource is mandatory from its ``mandatory_from`` year (2026), except on a
    historical request (RequestOutcome H): sendflow's reading, UNVERIFIED (validation.toml)."""
    return (r.request_source is None and r.request_outcome != "H"
            and item_mandatory("Request", "RequestSource", ctx.year))


# ------------------------------------------------------------------- assessment
@_check("SF0300", Assessment)
def _bad_assessment_outcome(ctx: _Ctx, a: Assessment) -> bool:
    return a.assessment_outcome not in _codes("AssessmentOutcome", ctx.year)


@_check("SF0301", Assessment)
def _assessment_date_missing(ctx: _Ctx, a: Assessment) -> bool:
    return a.assessment_outcome == "N" and a.assessment_outcome_date is None


@_check("SF0302", Assessment)
def _assessment_date_not_blank(ctx: _Ctx, a: Assessment) -> bool:
    return a.assessment_outcome in ("A", "W") and a.assessment_outcome_date is not None


@_check("SF0303", Assessment)
def _week20_missing(ctx: _Ctx, a: Assessment) -> bool:
    d = a.assessment_outcome_date
    return (a.assessment_outcome == "Y" and d is not None and ctx.start <= d <= ctx.end
            and a.week20 is None)


@_check("SF0304", Assessment)
def _assessment_date_order(ctx: _Ctx, a: Assessment) -> bool:
    d = a.assessment_outcome_date
    if d is None:
        return False
    received = ctx.request.received_date if ctx.request is not None else None
    return d > ctx.census or (received is not None and d < received)


# ------------------------------------------------------------------- named plan
@_check("SF0400", NamedPlan)
def _plan_without_yes(ctx: _Ctx, p: NamedPlan) -> bool:
    return ctx.assessment is None or ctx.assessment.assessment_outcome not in ("Y", "H")


@_check("SF0401", NamedPlan)
def _cease_pair(ctx: _Ctx, p: NamedPlan) -> bool:
    return (p.cease_date is None) != (p.cease_reason is None)


@_check("SF0402", NamedPlan)
def _cease_before_start(ctx: _Ctx, p: NamedPlan) -> bool:
    return p.cease_date is not None and p.start_date is not None and p.cease_date < p.start_date


@_check("SF0403", NamedPlan)
def _bad_cease_reason(ctx: _Ctx, p: NamedPlan) -> bool:
    return p.cease_reason is not None and p.cease_reason not in _codes("CeaseReason", ctx.year)


@_check("SF0404", NamedPlan)
def _cease_other(ctx: _Ctx, p: NamedPlan) -> bool:
    return p.cease_reason == "9"


@_check("SF0405", NamedPlan)
def _bad_plan_res(ctx: _Ctx, p: NamedPlan) -> bool:
    return not _coded(p.plan_res, "PlanRes", "NamedPlan", ctx)


# --------------------------------------------------------------------- settings
_SETTINGS = (PlanDetail, PlacementDetail)
_URN = re.compile(r"[0-9]{6}")
_UKPRN = re.compile(r"[0-9]{8}")


@_check("SF0500", _SETTINGS)
def _one_setting(ctx: _Ctx, s: PlanDetail) -> bool:
    return sum(v is not None for v in (s.urn, s.ukprn, s.sen_setting)) != 1


@_check("SF0501", _SETTINGS)
def _bad_urn(ctx: _Ctx, s: PlanDetail) -> bool:
    return s.urn is not None and not _URN.fullmatch(s.urn)


@_check("SF0502", _SETTINGS)
def _bad_ukprn(ctx: _Ctx, s: PlanDetail) -> bool:
    return s.ukprn is not None and not _UKPRN.fullmatch(s.ukprn)


@_check("SF0503", _SETTINGS)
def _bad_sen_setting(ctx: _Ctx, s: PlanDetail) -> bool:
    if s.sen_setting is None:
        return False
    allowed = _codes("SENsetting", ctx.year)
    if isinstance(s, PlacementDetail) and ctx.year <= 2023:
        allowed.discard("OTH")  # OTH allowed on placements from 2024 (sen2.md s. 7)
    return s.sen_setting not in allowed


@_check("SF0504", _SETTINGS)
def _bad_rank(ctx: _Ctx, s: PlanDetail) -> bool:
    return s.placement_rank not in (1, 2)


@_check("SF0505", PlacementDetail)
def _leaving_before_entry(ctx: _Ctx, s: PlacementDetail) -> bool:
    return (s.leaving_date is not None and s.entry_date is not None
            and s.leaving_date < s.entry_date)


@_check("SF0506", _SETTINGS)
def _setting_query(ctx: _Ctx, s: PlanDetail) -> bool:
    return s.sen_setting in ("OTH", "NIEO")


@_check("SF0507", PlanDetail)
def _named_setting_not_placed(ctx: _Ctx, s: PlanDetail) -> bool:
    """The plan names a URN that none of the active plan's placements has."""
    r = ctx.request
    if s.urn is None or r is None or not r.active_plans or not r.active_plans[0].placements:
        return False
    return s.urn not in {pl.urn for pl in r.active_plans[0].placements}


# ---------------------------------------------------------------------- needs
@_check("SF0600", ActivePlan)
def _need_ranks(ctx: _Ctx, a: ActivePlan) -> bool:
    ranks = [n.sen_type_rank for n in a.needs]
    return ranks.count(1) != 1 or ranks.count(2) > 1 or any(r not in (1, 2) for r in ranks)


@_check("SF0601", ActivePlan)
def _need_repeated(ctx: _Ctx, a: ActivePlan) -> bool:
    types = [n.sen_type for n in a.needs]
    return len(types) != len(set(types))


@_check("SF0602", ActivePlan)
def _bad_need_code(ctx: _Ctx, a: ActivePlan) -> bool:
    allowed = _codes("SENtype", ctx.year)
    return any(n.sen_type not in allowed for n in a.needs)


@_check("SF0603", ActivePlan)
def _bad_review_outcome(ctx: _Ctx, a: ActivePlan) -> bool:
    return not _coded(a.review_outcome, "ReviewOutcome", "ActivePlan", ctx)


@_check("SF0604", ActivePlan)
def _outcome_without_meeting(ctx: _Ctx, a: ActivePlan) -> bool:
    return a.review_outcome is not None and a.review_meeting is None


@_check("SF0605", ActivePlan)
def _meeting_without_outcome(ctx: _Ctx, a: ActivePlan) -> bool:
    """ReviewOutcome is mandatory from its ``mandatory_from`` year (2025) when a
    ReviewMeeting is given (the reverse, an outcome without a meeting, is SF0604)."""
    return (a.review_meeting is not None and a.review_outcome is None
            and item_mandatory("ActivePlan", "ReviewOutcome", ctx.year))


# ------------------------------------------------ the review's draft, phase transfers
@_check("SF0606", ActivePlan)
def _draft_before_meeting(ctx: _Ctx, a: ActivePlan) -> bool:
    return (a.review_draft is not None and a.review_meeting is not None
            and a.review_draft < a.review_meeting)


@_check("SF0607", ActivePlan)
def _draft_after_final(ctx: _Ctx, a: ActivePlan) -> bool:
    """The draft follows the phase transfer's final plan though its review's meeting does
    not (a meeting after the final plan is a later review, whose draft may follow it)."""
    final = a.phase_transfer_final_date
    if a.review_draft is None or final is None:
        return False
    return a.review_draft > final and (a.review_meeting is None or a.review_meeting <= final)


#: The rule whose dates a PhaseTransferDueDate must be (rules/data/transfer.toml), and its
#: named period for a move from secondary school to a post-16 institution.
_PHASE_RULE, _POST16 = "transfer.phase", "secondary_to_post16"


def phase_transfer_deadlines(due: date) -> frozenset[date]:
    """The dates SF0608 accepts as a PhaseTransferDueDate in ``due``'s year: for each of
    reg. 18's fixed dates (15 February; 31 March into post-16, read from the rule data
    of ``transfer.phase`` in force on ``due``), the day itself ("by", the Code's word)
    and the day before ("before", the regulation's word and sendflow's compliance
    reading). Empty when no version of the rule is in force on ``due``.

    ```python
    >>> sorted(d.isoformat() for d in phase_transfer_deadlines(date(2026, 2, 14)))
    ['2026-02-14', '2026-02-15', '2026-03-30', '2026-03-31']

    ```
    """
    from sendflow import rules

    try:
        rule = rules.get(_PHASE_RULE, on=due)
    except RuleNotFound:
        return frozenset()
    out: set[date] = set()
    for period in (rule.period, rule.limb(_POST16)):
        if period.fixed_month is None or period.fixed_day is None:
            raise RuleDataError("transfer.toml", f"rule {_PHASE_RULE}",
                                "reg. 18's periods must be fixed dates")
        day_before = before_in_year(due, period.fixed_month, period.fixed_day)
        out |= {day_before, date(due.year, period.fixed_month, period.fixed_day)}
    return frozenset(out)


@_check("SF0608", ActivePlan)
def _due_not_a_deadline(ctx: _Ctx, a: ActivePlan) -> bool:
    due = a.phase_transfer_due_date
    return due is not None and due not in phase_transfer_deadlines(due)


@_check("SF0609", ActivePlan)
def _final_after_due(ctx: _Ctx, a: ActivePlan) -> bool:
    due, final = a.phase_transfer_due_date, a.phase_transfer_final_date
    return due is not None and final is not None and final > due


@_check("SF0610", ActivePlan)
def _final_without_due(ctx: _Ctx, a: ActivePlan) -> bool:
    return a.phase_transfer_final_date is not None and a.phase_transfer_due_date is None


# ------------------------------------------------------------ pre-submission
def _plan_of(r: Request | None) -> NamedPlan | None:
    if r is None:
        return None
    return next((p for a in r.assessment for p in a.named_plan), None)


def _active_on_census(ctx: _Ctx, r: Request) -> bool:
    """Whether ``r`` has a plan active on the census date (an ActivePlans record, not ceased)."""
    if not r.active_plans:
        return False
    plan = _plan_of(r)
    return plan is None or plan.cease_date is None or plan.cease_date > ctx.census


def _no_named_plan(ctx: _Ctx, a: ActivePlan, transferred: bool) -> bool:
    r = ctx.request
    return (r is not None and _active_on_census(ctx, r) and _plan_of(r) is None
            and (a.transfer_la is not None) == transferred)


def _no_placement(ctx: _Ctx, a: ActivePlan, transferred: bool) -> bool:
    r = ctx.request
    return (r is not None and _active_on_census(ctx, r) and not a.placements
            and (a.transfer_la is not None) == transferred)


@_check("SF0700", ActivePlan)
def _no_named_plan_here(ctx: _Ctx, a: ActivePlan) -> bool:
    return _no_named_plan(ctx, a, transferred=False)


@_check("SF0701", ActivePlan)
def _no_named_plan_transferred(ctx: _Ctx, a: ActivePlan) -> bool:
    return _no_named_plan(ctx, a, transferred=True)


@_check("SF0702", ActivePlan)
def _no_placement_here(ctx: _Ctx, a: ActivePlan) -> bool:
    return _no_placement(ctx, a, transferred=False)


@_check("SF0703", ActivePlan)
def _no_placement_transferred(ctx: _Ctx, a: ActivePlan) -> bool:
    return _no_placement(ctx, a, transferred=True)


def _age_on(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def _outer_limit(born: date) -> int:
    """The age from which no plan can be maintained: ``ceasing.age_25``'s
    ``ages.outer_limit`` (26: a plan ends at the latest the day before the 26th birthday,
    reg. 46(1)(b)-(c); CFA 2014 s. 83(2) makes a young person one under 25), so the SEND
    age range is birth to one year below it."""
    return nearest_version("ceasing.age_25", born).age("outer_limit")


@_check("SF0704", Person)
def _outside_send_age(ctx: _Ctx, p: Person) -> bool:
    b = p.birth_date
    return b is not None and (
        b > ctx.census or not 0 <= _age_on(b, ctx.census) < _outer_limit(b)
    )


#: Checks over the whole return (records compared with each other): code -> a function
#: giving the location of each record that fails.
ReturnCheck = Callable[[_Ctx, SEN2Return], Iterator[str]]
_RETURN_CHECKS: dict[str, ReturnCheck] = {}


def _return_check(code: str) -> Callable[[ReturnCheck], ReturnCheck]:
    def deco(fn: ReturnCheck) -> ReturnCheck:
        _RETURN_CHECKS[code] = fn
        return fn

    return deco


#: Person items SF0110 checks (PersonBirthDate is SF0100's): each where item_mandatory says
#: the year requires it (sen2/data/collections.toml, `mandatory_from`).
_PERSON_MANDATORY = ("Surname", "Forename", "GenderCurrent", "Sex", "Ethnicity")


@_return_check("SF0110")
def _person_item_missing(ctx: _Ctx, ret: SEN2Return) -> Iterator[str]:
    fields = {i.xml: i.field for i in Person.ITEMS}
    wanted = [(x, fields[x]) for x in _PERSON_MANDATORY
              if item_mandatory("Person", x, ctx.year)
              and item_in_collection("Person", x, ctx.year)]
    for i, p in enumerate(ret.persons):
        for xml, field in wanted:
            if getattr(p, field) is None:
                yield f"Person[{i}].{xml}"


@_return_check("SF0705")
def _person_repeated(ctx: _Ctx, ret: SEN2Return) -> Iterator[str]:
    seen: set[tuple[str, str]] = set()
    for i, p in enumerate(ret.persons):
        keys = {("id", p.person_id)}
        keys |= {(k, v) for k, v in (("upn", p.upn), ("uln", p.uln)) if v}
        if keys & seen:
            yield f"Person[{i}]"
        seen |= keys


@_return_check("SF0706")
def _request_key_repeated(ctx: _Ctx, ret: SEN2Return) -> Iterator[str]:
    for i, p in enumerate(ret.persons):
        seen: set[date] = set()
        for j, r in enumerate(p.requests):
            if r.received_date is None:
                continue
            if r.received_date in seen:
                yield f"Person[{i}].Requests[{j}]"
            seen.add(r.received_date)


@_return_check("SF0707")
def _plans_under_several_requests(ctx: _Ctx, ret: SEN2Return) -> Iterator[str]:
    for i, p in enumerate(ret.persons):
        active = [j for j, r in enumerate(p.requests) if _active_on_census(ctx, r)]
        for j in active[1:]:
            yield f"Person[{i}].Requests[{j}]"


@_return_check("SF0708")
def _case_left_out(ctx: _Ctx, ret: SEN2Return) -> Iterator[str]:
    # build_return keeps the rest of the return when one case cannot be written (a name
    # over 100 characters...) and lists it in ``ret.refused``; without this rule a
    # return that passes validate could still be missing that child.
    for r in ret.refused:
        yield f"Case[{r.case_index}].{r.item}"


# ---------------------------------------------------------------- comparisons
#: The counts compared with last year's return: every count figure of
#: :data:`sendflow.sen2.FIGURES` except the sums of weeks behind the averages.
def _compared_counts() -> tuple[str, ...]:
    from sendflow.sen2._statistics import FIGURES

    return tuple(f.name for f in FIGURES if f.kind == "count"
                 and not f.name.startswith("weeks_to_issue"))


def _compare_previous(ret: SEN2Return, previous: SEN2Return, threshold: float,
                      min_count: int) -> Iterator[str]:
    from sendflow.sen2._statistics import statistics

    if previous.year != ret.year - 1:
        raise InvalidArgument("validate: previous must be the return of the collection "
                              "year before this one")
    now, before = statistics(ret), statistics(previous)
    for name in _compared_counts():
        a, b = before[name] or 0, now[name] or 0
        if max(a, b) < min_count or a == b:
            continue
        if a == 0 or abs(b - a) / a > threshold:
            yield f"Statistics.{name}"


def read_figures(source: str | Path | Mapping[str, float]) -> dict[str, tuple[float, float]]:
    """The LA's own figures to compare a return with: figure name -> (value, tolerance).

    ``source`` is a mapping (figure name to value, tolerance 0) or the path of a
    CSV file with a header row ``figure,value`` and an optional third column
    ``tolerance`` (how far the return's figure may differ, in the figure's own
    units; blank = 0). Each figure is a name in :data:`sendflow.sen2.FIGURES`.

    Raises:
        SEN2Error: the file cannot be read, lacks the header, or a row names an
            unknown figure, repeats one, or has a value that is not a number;
            the message names the file and the row, never a value.

    ```python
    >>> read_figures({"requests": 120})
    {'requests': (120.0, 0.0)}

    ```
    """
    from sendflow.sen2._statistics import FIGURES

    names = {f.name for f in FIGURES}
    if isinstance(source, Mapping):
        out: dict[str, tuple[float, float]] = {}
        for name, value in source.items():
            if name not in names:
                raise SEN2Error("figures: a key is not a figure name (see sen2.FIGURES)")
            try:
                out[name] = (float(value), 0.0)
            except (TypeError, ValueError):
                raise SEN2Error(f"figures: {name}: the value is not a number") from None
        return out
    path = Path(source)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        raise SEN2Error(f"{path.name}: the figures file cannot be read") from None
    rows = list(csv.reader(io.StringIO(text)))
    if not rows or [c.strip().lower() for c in rows[0][:2]] != ["figure", "value"]:
        raise SEN2Error(f"{path.name}: row 1: the header must be figure,value[,tolerance]")
    out = {}
    for n, row in enumerate(rows[1:], start=2):
        if not any(c.strip() for c in row):
            continue
        name = row[0].strip()
        if name not in names:
            raise SEN2Error(f"{path.name}: row {n}: not a figure name (see sen2.FIGURES)")
        if name in out:
            raise SEN2Error(f"{path.name}: row {n}: {name} is given twice")
        try:
            value = float(row[1])
            tolerance = float(row[2]) if len(row) > 2 and row[2].strip() else 0.0
        except (IndexError, ValueError):
            raise SEN2Error(f"{path.name}: row {n}: value or tolerance is not a number") from None
        if tolerance < 0:
            raise SEN2Error(f"{path.name}: row {n}: tolerance is negative")
        out[name] = (value, tolerance)
    return out


def _compare_figures(ret: SEN2Return, figures: Mapping[str, tuple[float, float]]) -> Iterator[str]:
    from sendflow.sen2._statistics import statistics

    stats = statistics(ret)
    for name, (value, tolerance) in figures.items():
        got = stats[name]
        if got is None or abs(got - value) > tolerance:
            yield f"Figures.{name}"


# ------------------------------------------------------------------------ walk
def _walk(ret: SEN2Return) -> Iterator[tuple[_Module, str, Request | None, Assessment | None]]:
    for i, person in enumerate(ret.persons):
        where = f"Person[{i}]"
        yield person, where, None, None
        for j, req in enumerate(person.requests):
            rw = f"{where}.Requests[{j}]"
            yield req, rw, req, None
            for k, a in enumerate(req.assessment):
                aw = f"{rw}.Assessment[{k}]"
                yield a, aw, req, None
                for m, plan in enumerate(a.named_plan):
                    pw = f"{aw}.NamedPlan[{m}]"
                    yield plan, pw, req, a
                    for n, s in enumerate(plan.plan_detail):
                        yield s, f"{pw}.PlanDetail[{n}]", req, a
            for k, act in enumerate(req.active_plans):
                acw = f"{rw}.ActivePlans[{k}]"
                yield act, acw, req, None
                for n, pl in enumerate(act.placements):
                    yield pl, f"{acw}.PlacementDetail[{n}]", req, None


def validate(
    ret: SEN2Return,
    *,
    previous: SEN2Return | None = None,
    threshold: float = 0.25,
    min_count: int = 10,
    figures: str | Path | Mapping[str, float] | None = None,
) -> ValidationReport:
    """Check ``ret`` against every rule; report every failure with its location.

    Args:
        ret: the return to check.
        previous: last year's return: every count of :data:`~sendflow.sen2.FIGURES`
            that moved by more than ``threshold`` (a fraction: 0.25 = 25 %) is
            reported (rule SF0710, location ``Statistics.<figure>``), unless both
            years' counts are below ``min_count``.
        threshold: see ``previous``.
        min_count: see ``previous``.
        figures: the LA's own figures (a CSV file or a mapping, see
            :func:`read_figures`): each that differs from the return's by more
            than its tolerance is reported (rule SF0711, ``Figures.<figure>``).

    Raises:
        InvalidArgument: ``previous`` is not the year before's return, or
            ``threshold`` or ``min_count`` is negative.
        SEN2Error: the figures file cannot be read (see :func:`read_figures`).

    ```python
    >>> from datetime import date
    >>> from sendflow.sen2 import Header, Person, SEN2Return
    >>> r = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"),
    ...                persons=(Person(person_id="1"),))
    >>> for f in validate(r).failures: print(f)
    Person[0]: [SF0100] PersonBirthDate is missing
    Person[0]: [SF0105] One of UPN, UniqueLearnerNumber or UPNunknown must be given
    Person[0].Surname: [SF0110] A mandatory person item is missing
    Person[0].Forename: [SF0110] A mandatory person item is missing
    Person[0].Sex: [SF0110] A mandatory person item is missing
    Person[0].Ethnicity: [SF0110] A mandatory person item is missing
    >>> validate(r, figures={"requests": 3}).failures[-1].location
    'Figures.requests'

    ```
    """
    if threshold < 0 or min_count < 0:
        raise InvalidArgument("validate: threshold and min_count must not be negative")
    wanted = read_figures(figures) if figures is not None else None
    year = ret.year
    ctx = _Ctx(year=year, census=census_date(year), start=date(year - 1, 1, 1),
               end=date(year - 1, 12, 31))
    rules = _rules()
    checks = [(rules[code], on, fn) for code, (on, fn) in sorted(_CHECKS.items())]
    failures: list[ValidationFailure] = []

    def fail(code: str, where: str) -> None:
        rule = rules[code]
        failures.append(ValidationFailure(rule.code, rule.severity, rule.message, where))

    for obj, where, request, assessment in _walk(ret):
        ctx.request, ctx.assessment = request, assessment
        for rule, on, fn in checks:
            if isinstance(obj, on) and fn(ctx, obj):
                fail(rule.code, where)
    for code, check in sorted(_RETURN_CHECKS.items()):
        for where in check(ctx, ret):
            fail(code, where)
    if previous is not None:
        for where in _compare_previous(ret, previous, threshold, min_count):
            fail("SF0710", where)
    if wanted is not None:
        for where in _compare_figures(ret, wanted):
            fail("SF0711", where)
    return ValidationReport(tuple(failures))


#: Rules checked by validate's ``previous`` and ``figures`` (no per-record function).
_COMPARISONS = frozenset({"SF0710", "SF0711"})


def _all_rules() -> tuple[ValidationRule, ...]:
    return tuple(_rules().values())


#: Every validation rule, as data (code, module, severity, message, guide item).
RULES: tuple[ValidationRule, ...] = _all_rules()

#: The named readings validation rules follow (``ValidationRule.reading``), by id.
READINGS: Mapping[str, ValidationReading] = _data()[1]
