"""Evaluators and findings for ceasing a plan (``rules/data/ceasing.toml``).

``ceasing_appeal_window``  CFA s. 45(4): no cessation while an appeal is possible
                           or pending
``ceasing_age_25``         CFA s. 46, reg. 46: the latest end of a plan

Finding: ``ceased_before_appeal_window_closed`` (s. 45(4)). ``ceasing_age_25`` runs
through a fast path; the plain function is the reference
(tests/property/test_engine_reference.py holds them equal).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import NamedTuple

from sendflow import calendar
from sendflow.appeals import _appeal_arithmetic
from sendflow.compliance._context import EvaluationContext, Evaluator, Hook
from sendflow.compliance._report import Deadline, Finding, Status
from sendflow.compliance.evaluators._common import _fmt, _is, _version
from sendflow.compliance.evaluators._made import remember
from sendflow.errors import RuleDataError
from sendflow.lifecycle import _latest_end, _year_end
from sendflow.rules import Period, Rule
from sendflow.rules._registry import RuleHistory, history
from sendflow.workflows.review import CourseRecorded

__all__ = ["EVALUATORS", "FINDINGS", "READS", "NotBeforeDeadline"]


class NotBeforeDeadline(Deadline):
    """A prohibition's date: the plan may not cease before ``due`` (CFA s. 45(4)).

    ``met`` means the plan was not ceased before ``due``; ``missed`` means it was, or
    that it ceased although the appeal against ceasing succeeded.
    """

    appeal_succeeded: bool = False

    def _status_sentence(self) -> str:
        due, ceased = self.due, self.met_on
        if due is None:
            return super()._status_sentence()
        if self.appeal_succeeded and ceased is not None:
            return (f"Status: breached — the plan ceased on {_fmt(ceased)} although the "
                    "appeal against ceasing succeeded.")
        if self.appeal_succeeded:
            return "Status: not applicable — the appeal succeeded and the plan continues."
        if self.status is Status.MISSED and ceased is not None:
            return (f"Status: breached — the plan ceased on {_fmt(ceased)}, before "
                    f"{_fmt(due)}, the first day it could lawfully cease.")
        if self.status is Status.MET and ceased is not None:
            return (f"Status: met — the plan ceased on {_fmt(ceased)}, on or after "
                    f"{_fmt(due)}.")
        if self.status is Status.MET:
            return (f"Status: met — the plan was still maintained when the protected period "
                    f"ended; it may cease from {_fmt(due)}.")
        if self.status is Status.PENDING:
            return (f"Status: pending — keep maintaining the plan; the earliest it may cease "
                    f"is {_fmt(due)} (as of {_fmt(self.as_of)}).")
        return super()._status_sentence()


def _appeal_limit(rule: Rule, sent: date) -> Rule:
    """The rule whose numbers count the window (``period_of``: ``appeal.deadline``), in
    the version in force when the notice was sent; ``rule`` itself if it names none."""
    if rule.period_of is None:
        return rule
    # The loader checked that the lender is in force for the whole of this version.
    lender = history(rule.period_of).on(sent)
    if lender is None:  # pragma: no cover - refused when the registry loads
        raise RuleDataError(f"rule {rule.id}", "period_of", "not in force on that day")
    return lender


class _Episode(NamedTuple):
    """One decision to cease: the position (index) of the event that began it, and the day the
    appeal window runs from (the notice of appeal rights, when one followed)."""

    position: int
    sent: date


def ceasing_appeal_window(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """CFA s. 45(4): no cessation until the appeal window has closed with no appeal,
    or an appeal has been finally decided or withdrawn."""
    out: list[Deadline] = []
    events = ctx.events
    episodes: list[_Episode] = []
    for i, e in enumerate(events):
        if e.type == "cease_notice_sent":
            episodes.append(_Episode(i, e.on))
        elif _is(e, "appeal_rights_notified", decision="cease"):
            sent = e.start_date
            between = events[episodes[-1].position + 1:i] if episodes else ()
            if episodes and not any(
                x.type in ("plan_ceased", "cease_notice_sent") for x in between
            ):
                episodes[-1] = episodes[-1]._replace(sent=sent)
            else:
                episodes.append(_Episode(i, sent))
    for n, (i, sent) in enumerate(episodes):
        end_index = episodes[n + 1].position if n + 1 < len(episodes) else len(events)
        later = events[i + 1:end_index]
        rule = _version(hist, sent)
        if rule is None:
            continue
        certificate: date | None = None
        lodged: date | None = None
        resolved: date | None = None
        ceased: date | None = None
        withdrawn_cease = False
        kept = False  # the appeal succeeded: the plan must continue (regs 44(2)(g)-(h), 45(6A))
        for x in later:
            if x.type == "mediation_certificate_issued":
                certificate = x.on
            elif x.type == "appeal_lodged" and lodged is None:
                lodged = x.on
            elif x.type in ("appeal_decided", "tribunal_order", "appeal_withdrawn",
                            "appeal_conceded") and lodged is not None and resolved is None:
                resolved = x.on
                kept = (
                    _is(x, "tribunal_order", kind="continue")
                    or _is(x, "tribunal_order", kind="continue_and_amend")
                    or _is(x, "appeal_conceded", kind="cease")
                    or _is(x, "appeal_decided", outcome="upheld")
                )
            elif x.type == "plan_ceased":
                ceased = x.on
                break
            elif _is(x, "review_decision", outcome="maintain") or x.type == "amended_plan_issued":
                withdrawn_cease = True
                break
        window_end = _appeal_arithmetic(
            sent, certificate, holidays=ctx.holidays, rule=_appeal_limit(rule, sent)
        ).deadline
        how = "the appeal deadline"
        earliest = calendar.add_days(window_end, 1)
        note = (f"Cease notice sent {_fmt(sent)}; {how} is {_fmt(window_end)}, so the plan "
                f"may cease from {_fmt(earliest)} if no appeal is brought.")
        appeal_pending = lodged is not None and resolved is None
        if kept:
            note += (
                " The appeal succeeded: the decision to cease fell away and the plan must "
                "continue (SEND Regulations 2014 regs 44(2)(g)-(h), 45(6A))."
            )
        elif lodged is not None:
            if resolved is not None:
                earliest = max(resolved, sent)
                note += f" An appeal was brought and ended on {_fmt(resolved)}."
            else:
                note += " An appeal was brought: the plan continues until it is decided."
        base = ctx.make(rule, due=earliest, started_on=sent, start_event="cease_notice_sent",
                        met_on=None, closed=withdrawn_cease, history=hist, note=note)
        if kept:
            # Any later cessation without a fresh decision to cease is unlawful.
            status = Status.MISSED if ceased is not None else Status.NOT_APPLICABLE
        elif withdrawn_cease:
            status = Status.NOT_APPLICABLE
        elif ceased is not None:
            early = ceased < earliest or (appeal_pending and ceased >= lodged)  # type: ignore[operator]
            status = Status.MISSED if early else Status.MET
        elif appeal_pending or ctx.as_of < earliest:
            status = Status.PENDING
        else:
            status = Status.MET
        data = base.model_dump()
        data.update(status=status, met_on=ceased, exception=base.exception, appeal_succeeded=kept)
        d = NotBeforeDeadline(**data)
        d._rule = base.rule
        out.append(d)
    return out


#: Notes of ceasing.age_25 by due date and age (a 31 July: the cache holds no personal data).
_AGE_25_NOTES: dict[tuple[date, int], str] = {}


#: Further education latest ends by rule version, the year of the birthday the rule names
#: and whether that birthday falls after the year's fixed end: a year and a flag, never a
#: date of birth. Cleared by sendflow.compliance._plan.clear_caches (it derives from rule data).
_FE_ENDS: dict[tuple[str, date, int, bool], date] = {}


def clear() -> None:
    """Forget the cached further education ends and finished one-step deadlines (a
    registry loaded afresh, a calendar changed under test)."""
    _FE_ENDS.clear()
    _FE_BY_BIRTH.clear()
    _AGE_25_MADE.clear()


def _further_education_end(rule: Rule, dob: date) -> date:
    """``_latest_end(rule, dob, "further_education", None)``, looked up by year and flag.

    When the limb is a fixed date in the year, the latest end depends on the birthday only
    through its year and whether it falls after that year's end (sendflow.lifecycle
    ._latest_end), so only those are kept; it skips the second year end and the period's
    ``due``. Any other limb takes the plain path. tests/unit/test_ceasing_fast.py holds it
    equal to ``_latest_end`` over every day of birth in a span of years.
    """
    year_end = rule.limb("further_education")
    if year_end.fixed_month is None or year_end.fixed_day is None:
        return _latest_end(rule, dob, "further_education", None)
    turns_on = calendar.birthday_in_year(dob, dob.year + rule.age("turns"))
    after = _year_end(year_end, turns_on) < turns_on
    key = (rule.id, rule.effective_from, turns_on.year, after)
    due = _FE_ENDS.get(key)
    if due is None:
        due = _latest_end(rule, dob, "further_education", None)
        if len(_FE_ENDS) < 1_000:
            _FE_ENDS[key] = due
    return due


class _LatestEnd(NamedTuple):
    """The latest end of a plan under reg. 46, and the note that explains it."""

    due: date
    note: str


def _age_25(
    rule: Rule, dob: date, setting: str = "further_education", course_end: date | None = None
) -> _LatestEnd:
    """The latest end of a plan (reg. 46(1)(a)-(c)) by ``rule``'s data, and its note."""
    turns = rule.age("turns")
    if setting != "further_education":
        due = _latest_end(rule, dob, setting, course_end)  # type: ignore[arg-type]
        what = "apprenticeship" if setting == "apprenticeship" else "course or training"
        limb = "(b)" if setting == "apprenticeship" else "(c)"
        # Never say which limb gave the date: with the rule it could give away the birthday.
        if course_end is None:
            note = (f"For an {what} whose end is not recorded, the outer limit: the academic "
                    f"year ends at the latest on {_fmt(due)} (reg. 46(1){limb}). Record the "
                    "scheduled end with course_recorded.")
        else:
            note = (f"For an {what} scheduled to end on {_fmt(course_end)}, the academic year "
                    f"in which the young person turns {turns} ends on {_fmt(due)}: the end of "
                    f"the {what}, or earlier if the outer limit comes first (reg. "
                    f"46(1){limb}).")
        return _LatestEnd(due, note)
    due = _further_education_end(rule, dob)
    cached = _AGE_25_NOTES.get((due, turns))
    if cached is not None:
        return _LatestEnd(due, cached)
    # Never name the birthday itself: with the rule it would give away the date of birth.
    note = (f"The academic year in which the young person turns {turns} ends on "
            f"{_fmt(due)}: the latest end for a further education college (reg. "
            "46(1)(a)). For an apprenticeship or another course, record it with "
            "course_recorded (reg. 46(1)(b)-(c)).")
    if len(_AGE_25_NOTES) < 1_000:
        _AGE_25_NOTES[(due, turns)] = note
    return _LatestEnd(due, note)


def ceasing_age_25(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """CFA s. 46, reg. 46: the plan may run to the end of the academic year in which the
    young person turns the age the rule's data gives (``ages.turns``)."""
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    dob = child.date_of_birth
    first_plan = next(
        (e.on for e in ctx.events if e.type in ("final_plan_issued", "plan_transferred")), None
    )
    if first_plan is None:
        return []
    # The version in force when the plan was first held (the nearest, outside every span).
    rule = _version(hist, first_plan) or (
        hist.versions[0] if first_plan < hist.versions[0].effective_from else hist.versions[-1]
    )
    # (the type first: an isinstance miss on a pydantic model costs about 1k instructions)
    course = next((e for e in reversed(ctx.events)
                   if e.type == "course_recorded" and isinstance(e, CourseRecorded)), None)
    if course is None:
        due, note = _age_25(rule, dob)
    else:
        due, note = _age_25(rule, dob, course.setting, course.course_end)
    ceased = next((e.on for e in ctx.events if e.type == "plan_ceased"), None)
    return [ctx.make(rule, due=due, started_on=None, start_event="25th_birthday", met_on=ceased,
                     history=hist, note=note)]


#: The event types ceasing_age_25 reads besides the plan's first issue or transfer:
#: without them the plan ends at the further education limit and has not ceased.
_AGE_25_REACTS = frozenset({"course_recorded", "plan_ceased"})


def _ceasing_age_25_fast(hist: RuleHistory, ctx: EvaluationContext) -> list[Deadline]:
    """ceasing_age_25 in one scan for a case with no course recorded and no cessation."""
    types = ctx.event_types
    if not types or not types.isdisjoint(_AGE_25_REACTS):
        return ceasing_age_25(hist, ctx)
    case = ctx.case
    child = case.child if case is not None else None
    if child is None:
        return []
    for e in ctx.events:
        if e.type == "final_plan_issued" or e.type == "plan_transferred":
            first_plan = e.on
            break
    else:
        return []
    versions = hist.versions
    if len(versions) == 1:  # hist.on's answer, or the nearest: the one version either way
        rule = versions[0]
    else:
        rule = hist.on(first_plan) or (
            versions[0] if first_plan < versions[0].effective_from else versions[-1]
        )
    if ctx.holidays is not None or ctx.exceptions:
        due, note = _age_25(rule, child.date_of_birth)
        return [ctx.make(rule, due=due, started_on=None, start_event="25th_birthday",
                         met_on=None, history=hist, note=note)]
    return [_age_25_made(hist, ctx, rule, child.date_of_birth)]


#: The further education latest end by day of birth, one table per rule version: a bare
#: date to a bare date (the table's key is the date of birth alone; the version is the
#: table's, checked by identity). Emptied when full and by :func:`clear`.
_FE_BY_BIRTH: dict[tuple[str, date], _BirthTable] = {}
_FE_BY_BIRTH_SIZE = 20_000


class _BirthTable(NamedTuple):
    """One rule version's latest ends by day of birth, and what a new one needs."""

    rule: Rule
    ends: dict[date, date]
    turns: int
    #: The version's ``further_education`` limb, when a fixed date in the year (else None).
    limb: Period | None
    #: That limb's year end by calendar year (it depends on the year alone).
    year_ends: dict[int, date]


#: ceasing.age_25's one-step deadlines, finished, by rule version, latest end and the
#: report's date (bare dates: the latest end is a 31 July, as :data:`_AGE_25_NOTES`
#: keeps). An entry serves only the very version it was made from.
_AGE_25_MADE: dict[tuple[str, date, date, date], tuple[object, Deadline]] = {}


def _birth_table(rule: Rule) -> _BirthTable:
    """A new, empty :class:`_BirthTable` for ``rule``."""
    limb = rule.limb("further_education")
    fixed = limb.fixed_month is not None and limb.fixed_day is not None
    return _BirthTable(rule, {}, rule.age("turns"), limb if fixed else None, {})


def _end_for_birth(table: _BirthTable, dob: date) -> date:
    """:func:`_further_education_end` for a day of birth not met before, with the version's
    limb, age and year ends read once a version (:class:`_BirthTable`) rather than once
    a plan: the birthday (:func:`calendar.birthday_in_year`) and whether it falls after
    its year's end (:func:`sendflow.lifecycle._year_end`, a fixed date in the year, so the
    same for every day of that year) pick the entry of :data:`_FE_ENDS`; anything else
    takes :func:`_further_education_end` itself."""
    rule, limb = table.rule, table.limb
    if limb is None:
        return _further_education_end(rule, dob)
    turns_on = calendar.birthday_in_year(dob, dob.year + table.turns)
    year = turns_on.year
    year_end = table.year_ends.get(year)
    if year_end is None:
        year_end = table.year_ends[year] = _year_end(limb, turns_on)
    due = _FE_ENDS.get((rule.id, rule.effective_from, year, year_end < turns_on))
    return _further_education_end(rule, dob) if due is None else due


def _age_25_made(hist: RuleHistory, ctx: EvaluationContext, rule: Rule, dob: date) -> Deadline:
    """The fast path's deadline for a plan held from ``rule`` with no course recorded and
    no cessation, under the default holiday table and with no exception recorded.

    Skips :func:`_further_education_end`'s birthday and year end for a day of birth met
    before (:data:`_FE_BY_BIRTH`; :func:`_end_for_birth` for one not), and building the
    deadline for a latest end and report date met before (:data:`_AGE_25_MADE`: the
    deadline is then the same frozen value, whoever the plan is for).
    tests/unit/test_lifecycle_made.py holds it equal to :func:`ceasing_age_25`, cold and
    warm, over every day of birth in a span of years.
    """
    version = (rule.id, rule.effective_from)
    table = _FE_BY_BIRTH.get(version)
    if table is None or table.rule is not rule:
        table = _FE_BY_BIRTH[version] = _birth_table(rule)
    ends = table.ends
    due = ends.get(dob)
    if due is None:
        due = _end_for_birth(table, dob)
        if len(ends) >= _FE_BY_BIRTH_SIZE:
            ends.clear()
        ends[dob] = due
    key = (rule.id, rule.effective_from, due, ctx.as_of)
    hit = _AGE_25_MADE.get(key)
    if hit is not None and hit[0] is rule:
        return hit[1]
    _, note = _age_25(rule, dob)
    made = ctx.make(rule, due=due, started_on=None, start_event="25th_birthday", met_on=None,
                    history=hist, note=note)
    remember(_AGE_25_MADE, key, rule, made)
    return made


def _ceasing_findings(ctx: EvaluationContext) -> list[Finding]:
    from sendflow.rules._registry import history

    hist = history("ceasing.appeal_window")
    out: list[Finding] = []
    for d in ceasing_appeal_window(hist, ctx):
        if d.status is Status.MISSED and d.met_on is not None and not getattr(
            d, "appeal_succeeded", False
        ):
            index = next((i for i, e in enumerate(ctx.events)
                          if e.type == "plan_ceased" and e.on == d.met_on), None)
            out.append(Finding(
                code="ceased_before_appeal_window_closed",
                message=("plan ceased while an appeal against the decision to cease was still "
                         "possible or pending (Children and Families Act 2014 s. 45(4))"),
                rule_id="ceasing.appeal_window",
                event_index=index,
                on=d.met_on,
            ))
    return out


#: The evaluators this module implements, by the name rule data gives them
#: (``evaluator = ...``); sendflow.compliance.evaluators gathers them.
EVALUATORS: Mapping[str, Evaluator] = {
    "ceasing_appeal_window": ceasing_appeal_window,
    "ceasing_age_25": _ceasing_age_25_fast,
}
#: What each evaluator reads from its rule's data besides ``period``: the named
#: periods, ages and spans a version must have, and may have no others of.
READS: Mapping[str, frozenset[str]] = {
    "ceasing_appeal_window": frozenset(
        {"periods.after_certificate", "spans.christmas", "spans.august"}
    ),
    "ceasing_age_25": frozenset({"periods.further_education", "ages.turns", "ages.outer_limit"}),
}
#: Its findings hooks, each with the event types without which it finds nothing.
FINDINGS: tuple[Hook, ...] = (
    Hook(_ceasing_findings, frozenset({"cease_notice_sent", "appeal_rights_notified"})),
)
