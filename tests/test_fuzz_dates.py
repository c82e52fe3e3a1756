"""Extreme dates through every public function and method that takes a date.

Issue 17: dates at the ends of the calendar (0001-01-01, 9999-12-31 and near them)
must give a result or a sendflow error (``SendflowError`` or pydantic's
``ValidationError``), never Python's ``OverflowError``, ``ValueError`` or
``KeyError``. The public surface is enumerated from ``sendflow.__all__`` and the
``__all__`` of every public module, so a new date-taking function fails
:func:`test_every_date_taking_function_is_called` until it is added to ``CALLS``.
"""

from __future__ import annotations

import importlib
import inspect
import re
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, find, settings
from hypothesis.errors import NoSuchExample, Unsatisfiable
from pydantic import ValidationError

import sendflow
from sendflow import SendflowError, calendar, rules

MODULES = [
    "sendflow", "sendflow.calendar", "sendflow.rules", "sendflow.identifiers",
    "sendflow.recording", "sendflow.distributed", "sendflow.export", "sendflow.export.ical",
    "sendflow.export.law", "sendflow.export.diagrams", "sendflow.upcoming", "sendflow.worklist",
    "sendflow.compliance", "sendflow.planning", "sendflow.lifecycle", "sendflow.appeals",
    "sendflow.synth", "sendflow.workflows", "sendflow.case", "sendflow.people", "sendflow.plan",
    "sendflow.needs", "sendflow.support", "sendflow.partners", "sendflow.sen2",
    "sendflow.tabular", "sendflow.testing", "sendflow.testing.strategies",
]
EXTREME = [date.min, date(1, 1, 2), date(1, 3, 1), date(9999, 10, 25), date(9999, 12, 1),
           date(9999, 12, 30), date.max]
_DATE = re.compile(r"\bdate\b")


def _dated(fn: Any) -> bool:
    try:
        sig = inspect.signature(fn)
    except (TypeError, ValueError):
        return False
    return any(_DATE.search(str(p.annotation)) for p in sig.parameters.values())


def public_date_callables() -> Iterator[str]:
    """``module.name`` (or ``module.Class.method``) of every public callable with a
    parameter annotated with ``date``, each once, under the first module exporting it."""
    seen: set[int] = set()
    for name in MODULES:
        module = importlib.import_module(name)
        for attr in getattr(module, "__all__", ()):
            obj = getattr(module, attr)
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if inspect.isfunction(obj) and _dated(obj):
                yield f"{name}.{attr}"
            elif inspect.isclass(obj) and obj.__module__.startswith("sendflow"):
                for method in dir(obj):
                    raw = inspect.getattr_static(obj, method)
                    fn = raw.__func__ if isinstance(raw, (classmethod, staticmethod)) else raw
                    if (not method.startswith("_") and inspect.isfunction(fn)
                            and fn.__module__.startswith("sendflow") and _dated(fn)):
                        yield f"{name}.{attr}.{method}"


def _case(on: date) -> sendflow.Case:
    return sendflow.Case.model_validate(
        {"events": [{"type": "request_received", "on": on, "made_by": "parent"}]})


def _plan_case(on: date) -> sendflow.Case:
    return sendflow.Case.model_validate({"events": [{"type": "final_plan_issued", "on": on}]})


def _child(d: date) -> sendflow.ChildOrYoungPerson:
    return sendflow.ChildOrYoungPerson(date_of_birth=d)


def _draw(strategy: Any) -> Any:
    """One example of a hypothesis strategy, drawn as a test would (no warning)."""
    try:
        return find(strategy, lambda _: True, settings=settings(
            max_examples=3, database=None, phases=(Phase.generate,),
            suppress_health_check=list(HealthCheck)))
    except (NoSuchExample, Unsatisfiable):
        return None


def _strategies() -> Any:
    from sendflow.testing import strategies

    return strategies


def _machine_report(d: date, method: str) -> Any:
    from sendflow.testing import CaseMachine

    machine = CaseMachine()
    try:
        return getattr(machine, method)(d)
    finally:
        machine.teardown()


def _tally_lines(d: date) -> list[str]:
    return [_case(d).model_dump_json(), _plan_case(d).model_dump_json()]


def _holiday_table(d: date) -> calendar.HolidayTable:
    first, last = min(d, date(2026, 1, 1)), max(d, date(2026, 1, 1))
    return calendar.HolidayTable([d], first, last, source="test")


def _period(unit: str, counting: str = "within", **more: Any) -> Any:
    return rules.Period.model_validate({"amount": 2, "unit": unit, "counting": counting, **more})


_upcoming = importlib.import_module("sendflow.upcoming")
_worklist = importlib.import_module("sendflow.worklist")


def _engine_context(d: date) -> Any:
    from sendflow.compliance import EvaluationContext

    return EvaluationContext(events=_case(d).events, as_of=d)


_RULE = "assessment.final_plan"

#: How each public date-taking callable is called with one extreme date ``d``.
_CHRISTMAS = rules.YearlySpan(first_month=12, first_day=25, last_month=1, last_day=1)
CALLS: dict[str, Callable[[date], Any]] = {
    "sendflow.ChildOrYoungPerson.age_on": lambda d: _child(d).age_on(d),
    "sendflow.ChildOrYoungPerson.decision_maker":
        lambda d: _child(date(2010, 1, 1)).decision_maker(d),
    "sendflow.ChildOrYoungPerson.is_child": lambda d: _child(d).is_child(date.max),
    "sendflow.ChildOrYoungPerson.is_over_compulsory_school_age":
        lambda d: _child(d).is_over_compulsory_school_age(d),
    "sendflow.ChildOrYoungPerson.is_young_person": lambda d: _child(d).is_young_person(date.max),
    "sendflow.ChildOrYoungPerson.national_curriculum_year":
        lambda d: _child(d).national_curriculum_year(d),
    "sendflow.ChildOrYoungPerson.phase_on": lambda d: _child(date(2010, 1, 1)).phase_on(d),
    "sendflow.ChildOrYoungPerson.year_group_label": lambda d: _child(d).year_group_label(d),
    "sendflow.ExceptionRecorded.duration_days": lambda d: sendflow.ExceptionRecorded(
        on=d, ground="school_closure").duration_days(date.max if d.year > 5000 else d),
    "sendflow.NeedsProfile.check_codes": lambda d: sendflow.NeedsProfile(
        needs=(sendflow.Need(type="SPLD", rank="primary"),)).check_codes(d, "sen2"),
    "sendflow.Rule.is_in_force": lambda d: rules.get(_RULE, on=date(2026, 1, 1)).is_in_force(d),
    "sendflow.SupportRecord.meets_parent_meeting_guidance":
        lambda d: sendflow.SupportRecord().meets_parent_meeting_guidance(d, d),
    "sendflow.SupportRecord.parent_meetings_between":
        lambda d: sendflow.SupportRecord().parent_meetings_between(date.min, d),
    "sendflow.appeal_deadline": lambda d: sendflow.appeal_deadline(d, d),
    "sendflow.evaluate": lambda d: sendflow.evaluate(_case(d), as_of=d),
    "sendflow.evaluate_many": lambda d: list(sendflow.evaluate_many(
        [_case(d), _plan_case(d)], as_of=d)),
    "sendflow.explain_appeal_deadline": lambda d: sendflow.explain_appeal_deadline(d).explain(),
    "sendflow.phase_transfer_due": lambda d: [sendflow.phase_transfer_due(k, d)
                                              for k in sendflow.TransferKind],
    "sendflow.plan_latest_end": lambda d: (sendflow.plan_latest_end(d),
                                           sendflow.plan_latest_end(date(2000, 1, 1),
                                                                    course_end=d)),
    "sendflow.plan_timeline": lambda d: sendflow.plan_timeline(request_received=d).to_text(),
    "sendflow.upcoming": lambda d: sendflow.upcoming([_case(d), _plan_case(d)], (d, d), as_of=d),
    "sendflow.worklist": lambda d: sendflow.worklist([_case(d), _plan_case(d)], as_of=d),
    "sendflow.calendar.BankHolidayCalendar.covers": lambda d: calendar.ENGLAND_AND_WALES.covers(d),
    "sendflow.calendar.BankHolidayCalendar.is_holiday":
        lambda d: calendar.ENGLAND_AND_WALES.is_holiday(d),
    "sendflow.calendar.EnglandAndWalesBankHolidays.covers":
        lambda d: calendar.EnglandAndWalesBankHolidays().covers(d),
    "sendflow.calendar.EnglandAndWalesBankHolidays.is_holiday":
        lambda d: calendar.EnglandAndWalesBankHolidays().is_holiday(d),
    "sendflow.calendar.HolidayTable.covers": lambda d: _holiday_table(d).covers(d),
    "sendflow.calendar.HolidayTable.is_holiday": lambda d: _holiday_table(d).is_holiday(d),
    "sendflow.calendar.HolidaysPackageCalendar.covers":
        lambda d: calendar.HolidaysPackageCalendar().covers(d),
    "sendflow.calendar.HolidaysPackageCalendar.is_holiday":
        lambda d: calendar.HolidaysPackageCalendar().is_holiday(d),
    "sendflow.calendar.academic_year": lambda d: calendar.academic_year(d),
    "sendflow.calendar.add_days": lambda d: (calendar.add_days(d, 1), calendar.add_days(d, -1)),
    "sendflow.calendar.add_months": lambda d: (calendar.add_months(d, 1),
                                               calendar.add_months(d, -1)),
    "sendflow.calendar.add_weeks": lambda d: (calendar.add_weeks(d, 1), calendar.add_weeks(d, -1)),
    "sendflow.calendar.add_working_days": lambda d: (calendar.add_working_days(d, 1),
                                                     calendar.add_working_days(d, -1)),
    "sendflow.calendar.age_on": lambda d: (calendar.age_on(d, date.max),
                                           calendar.age_on(date.min, d)),
    "sendflow.calendar.before_in_year": lambda d: calendar.before_in_year(d, 2, 15),
    "sendflow.calendar.birthday_in_year": lambda d: (calendar.birthday_in_year(d, 9999),
                                                     calendar.birthday_in_year(d, 1)),
    "sendflow.calendar.compulsory_school_age_end": lambda d: calendar.compulsory_school_age_end(d),
    "sendflow.calendar.is_bank_holiday": lambda d: calendar.is_bank_holiday(d),
    "sendflow.calendar.is_working_day": lambda d: calendar.is_working_day(d),
    "sendflow.calendar.months_beginning_with": lambda d: calendar.months_beginning_with(d, 1),
    "sendflow.calendar.national_curriculum_year": lambda d: (
        calendar.national_curriculum_year(d, d.year), calendar.national_curriculum_year(d, 9999)),
    "sendflow.calendar.next_working_day": lambda d: calendar.next_working_day(d),
    "sendflow.calendar.period_beginning_with": lambda d: calendar.period_beginning_with(d, 2),
    "sendflow.calendar.previous_working_day": lambda d: calendar.previous_working_day(d),
    "sendflow.calendar.weeks_beginning_with": lambda d: calendar.weeks_beginning_with(d, 1),
    "sendflow.calendar.working_days_beginning_with":
        lambda d: calendar.working_days_beginning_with(d, 2),
    "sendflow.calendar.working_days_between": lambda d: (
        calendar.working_days_between(d, d + timedelta(days=0)),
        calendar.working_days_between(date(2026, 1, 1), d)),
    "sendflow.rules.Period.due": lambda d: [
        _period(u).due(d) for u in ("days", "weeks", "months", "working_days")
    ] + [_period("weeks", "at_least_before").due(d),
         _period("days", "beginning_with").due(d),
         _period("days", "before_fixed_date", fixed_month=2, fixed_day=15).due(d)],
    "sendflow.rules.RuleHistory.on": lambda d: rules.history(_RULE).on(d),
    "sendflow.rules.YearlySpan.contains": lambda d: _CHRISTMAS.contains(d),
    "sendflow.rules.YearlySpan.last_day_for": lambda d: _CHRISTMAS.last_day_for(d),
    "sendflow.rules.get": lambda d: rules.get(_RULE, on=d),
    "sendflow.rules.in_force": lambda d: rules.in_force(on=d),
    "sendflow.identifiers.LACodeEntry.in_force":
        lambda d: sendflow.identifiers.la_code_entry("801").in_force(d),
    "sendflow.identifiers.is_valid_la_code": lambda d: sendflow.identifiers.is_valid_la_code(
        "801", on=d),
    "sendflow.identifiers.la_codes": lambda d: sendflow.identifiers.la_codes(on=d),
    "sendflow.identifiers.validate_la_code": lambda d: sendflow.identifiers.validate_la_code(
        "801", on=d),
    "sendflow.distributed.status_counts": None,  # type: ignore[dict-item]  # set below
    "sendflow.distributed.tally_cases": lambda d: sendflow.distributed.tally_cases(
        [_case(d), _plan_case(d)], as_of=[d, date(2026, 1, 1)]),
    "sendflow.distributed.tally_partition": lambda d: sendflow.distributed.tally_partition(
        _tally_lines(d), as_of=d),
    "sendflow.export.ical.sequence_of": lambda d: sendflow.export.ical.sequence_of(d),
    "sendflow.export.ical.to_ics": lambda d: sendflow.export.ical.to_ics(
        sendflow.export.ical.upcoming_events(
            sendflow.upcoming([_case(d), _plan_case(d)], (date.min, date.max), as_of=d),
            reminders=sendflow.export.ical.parse_reminders("30d,1d")),
        name="n", as_of=d),
    "sendflow.upcoming.case_dates": lambda d: _upcoming.case_dates(
        _plan_case(d), (date.min, date.max), as_of=d),
    "sendflow.upcoming.is_open": lambda d: _upcoming.is_open(sendflow.Status.MET, d),
    "sendflow.worklist.case_work": lambda d: _worklist.case_work(_plan_case(d), as_of=d),
    "sendflow.compliance.EvaluationContext.exception_for": lambda d: _engine_context(
        d).exception_for(rules.get(_RULE, on=date(2026, 1, 1)), d, d),
    "sendflow.compliance.EvaluationContext.make": lambda d: _engine_context(d).make(
        rules.get(_RULE, on=date(2026, 1, 1)), due=d, started_on=d, start_event=None,
        met_on=d).explain(),
    "sendflow.compliance.format_date": lambda d: sendflow.compliance.format_date(d),
    "sendflow.appeals.in_rule_12_closed_period":
        lambda d: sendflow.appeals.in_rule_12_closed_period(d),
    "sendflow.synth.synthesise": lambda d: list(sendflow.synth.synthesise(3, seed=1, as_of=d)),
    "sendflow.plan.DirectPayment.may_be_paid": lambda d: sendflow.plan.DirectPayment(
        provision_ids=("p1",), recipient="parent", consent_given_on=d).may_be_paid(d),
    "sendflow.needs.NeedTypeInfo.in_force": lambda d: [
        t.in_force(d) for t in sendflow.needs.need_types(date(2026, 1, 1))],
    "sendflow.needs.need_types": lambda d: sendflow.needs.need_types(d),
    "sendflow.support.SupportCycle.is_review_overdue": lambda d: sendflow.support.SupportCycle(
        assessed_on=d, plan_agreed_on=d, review_due_on=d).is_review_overdue(d),
    "sendflow.partners.AdviceContribution.is_received":
        lambda d: sendflow.partners.AdviceContribution(
            kind="educational", from_role="senco", requested_on=d).is_received(d),
    "sendflow.partners.ConsentToShare.covers": lambda d: sendflow.partners.ConsentToShare(
        given_by="parent", given_on=d, partners=("senco",), scope="advice").covers("senco", d),
    "sendflow.partners.ConsentToShare.is_in_force": lambda d: sendflow.partners.ConsentToShare(
        given_by="parent", given_on=d, partners=("senco",), scope="advice").is_in_force(d),
    "sendflow.testing.CaseMachine.expected_deadlines":
        lambda d: _machine_report(d, "expected_deadlines"),
    "sendflow.testing.CaseMachine.report": lambda d: _machine_report(d, "report"),
    "sendflow.testing.CaseMachine.system_deadlines":
        lambda d: _machine_report(d, "system_deadlines"),
    "sendflow.testing.strategies.case_histories": lambda d: _draw(
        _strategies().case_histories(as_of=d, max_events=3)),
    "sendflow.testing.strategies.children": lambda d: _draw(_strategies().children(on=d)),
    "sendflow.testing.strategies.dates_of_birth": lambda d: _draw(
        _strategies().dates_of_birth(on=d)),
    "sendflow.testing.strategies.events": lambda d: _draw(
        _strategies().events("request_received", on=d)),
    "sendflow.testing.strategies.la_codes": lambda d: _draw(_strategies().la_codes(on=d)),
    "sendflow.testing.strategies.needs": lambda d: _draw(_strategies().needs(on=d)),
    "sendflow.sen2.phase_transfer_deadlines": lambda d: sendflow.sen2.phase_transfer_deadlines(d),
}


def _status_counts(d: date, tmp: Any) -> Any:
    path = tmp / "cases.jsonl"
    path.write_text("\n".join(_tally_lines(d)) + "\n", encoding="utf-8")
    return sendflow.distributed.status_counts(str(path), as_of=d, scheduler="synchronous")


#: Year-taking functions: the same ends of the calendar, as years.
YEAR_CALLS: dict[str, Callable[[int], Any]] = {
    "sendflow.calendar.academic_year_end": lambda y: calendar.academic_year_end(y),
    "sendflow.calendar.academic_year_start": lambda y: calendar.academic_year_start(y),
    "sendflow.calendar.bank_holidays": lambda y: calendar.bank_holidays(y),
    "sendflow.calendar.last_friday_in_june": lambda y: calendar.last_friday_in_june(y),
    "sendflow.calendar.nc_year_label": lambda y: calendar.nc_year_label(y),
    "sendflow.sen2.census_date": lambda y: sendflow.sen2.census_date(y),
    "sendflow.sen2.collection": lambda y: sendflow.sen2.collection(y),
    "sendflow.synth.synthesise": lambda y: list(sendflow.synth.synthesise(2, seed=1, year=y)),
}
YEARS = [0, 1, 2, 9998, 9999, 10_000]


def test_every_date_taking_function_is_called() -> None:
    found = set(public_date_callables())
    assert sorted(found - set(CALLS)) == [], "add these to CALLS"
    assert sorted(set(CALLS) - found) == [], "no longer public or no longer take a date"


def _only_library_errors(call: Callable[[], Any]) -> None:
    message = "no error"
    try:
        call()
    except (SendflowError, ValidationError) as exc:  # the contract: a library error
        message = str(exc)
    assert message.strip(), "a library error says what is wrong"


@pytest.mark.parametrize("name", sorted(CALLS))
def test_extreme_dates_give_a_result_or_a_library_error(name: str, tmp_path: Any) -> None:
    call = CALLS[name]
    for d in EXTREME:
        if name == "sendflow.distributed.status_counts":
            if d in (date.min, date(9999, 12, 1), date.max):  # each run starts Dask: the ends
                _only_library_errors(lambda d=d: _status_counts(d, tmp_path))
        else:
            _only_library_errors(lambda d=d: call(d))


@pytest.mark.parametrize("name", sorted(YEAR_CALLS))
def test_extreme_years_give_a_result_or_a_library_error(name: str) -> None:
    for year in YEARS:
        _only_library_errors(lambda y=year: YEAR_CALLS[name](y))
