"""The engine: :func:`evaluate` and :func:`evaluate_many`, one loop for every path.

A case is evaluated by :func:`_run`: the plan for its event types
(:mod:`sendflow.compliance._plan`) names the rule segments its events can
start; the standard ones run together in one pass
(:mod:`sendflow.compliance._standard`), each other one through its evaluator
(:mod:`sendflow.compliance.evaluators`), then the findings hooks. A case that
needs a closer look — a record opened part-way, events after ``as_of``, a
refusal reversed, a limited recording — goes the adjusted way
(:func:`_evaluate_adjusted`, with :mod:`sendflow._caseview`), which calls the
same :func:`_run`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import date
from types import MappingProxyType
from typing import Any, cast

from sendflow import _caseview
from sendflow.case import Case
from sendflow.compliance import _plan
from sendflow.compliance._build import (
    NO_PRIVATE,
    _new_object,
    _set_values,
    new_report,
    private_store,
)
from sendflow.compliance._context import EvaluationContext, Evaluator, new_context
from sendflow.compliance._plan import _PLANS, Plan, plan, plans_for, select, selection
from sendflow.compliance._report import (
    ComplianceReport,
    Deadline,
    Finding,
    Status,
    deadline_order,
    format_date,
)
from sendflow.compliance._standard import standard, standard_many
from sendflow.compliance.evaluators import EVALUATORS
from sendflow.errors import CalendarError, InvalidArgument, RuleNotFound, SendflowError
from sendflow.rules import LegalStatus
from sendflow.rules._readings import default_readings, resolve_readings
from sendflow.rules._registry import history
from sendflow.workflows import BaseEvent, ExceptionRecorded

__all__ = ["evaluate", "evaluate_many", "states_of"]


def states_of(case: Case) -> dict[str, str]:
    """The case's region states, read from its private store when it has one."""
    states = private_store(case).get("_states")
    return states if states is not None else case._current()


#: The evaluator table last given to evaluate and the whole table it makes.
_LAST_TABLE: tuple[object, Mapping[str, Evaluator]] = (None, EVALUATORS)


def _table(evaluators: Mapping[str, Evaluator] | None) -> Mapping[str, Evaluator]:
    """:data:`EVALUATORS` with the entries of ``evaluators`` in place of its own."""
    global _LAST_TABLE
    if evaluators is None:
        return EVALUATORS
    last = _LAST_TABLE
    if evaluators is last[0] or evaluators is last[1]:  # (evaluate_many passes the whole)
        return last[1]
    unknown = sorted(set(evaluators) - set(EVALUATORS))
    if unknown:
        raise InvalidArgument(f"evaluators: no evaluator is named {unknown[0]!r}")
    table = {**EVALUATORS, **evaluators}
    _LAST_TABLE = (evaluators, table)  # one object: read whole, even across threads
    return table


def _out_of_range(what: str) -> CalendarError:
    return CalendarError(f"{what}: a date falls outside the dates the calendar supports")


def _run(
    case: Case,
    events: tuple[BaseEvent, ...],
    types: frozenset[str],
    main_states: list[str] | None,
    as_of: date,
    holidays: Any,
    selected: frozenset[str] | None,
    findings: bool,
    readings: Mapping[str, str],
    table: Mapping[str, Evaluator],
) -> tuple[list[Deadline], list[Finding], tuple[str, ...] | None]:
    """The engine's pass over ``events`` (the case's own, or a view of them): the
    deadlines, sorted, the findings, and the selection as the report records it.

    The adjusted way's entry (:func:`_evaluate_adjusted`, :func:`_reconsider`):
    the plan for the case, then :func:`_execute`, which every path comes to.
    """
    planned = _PLANS.get((types, selected, findings)) or plan(types, selected, findings)
    if planned.idle:  # nothing can start or be found
        return [], [], planned.chosen
    deadlines, found = _execute(planned, case, events, types, main_states, as_of, holidays,
                                readings, table)
    return deadlines, found, planned.chosen


def _execute(
    planned: Plan,
    case: Case,
    events: tuple[BaseEvent, ...],
    types: frozenset[str],
    main_states: list[str] | None,
    as_of: date,
    holidays: Any,
    readings: Mapping[str, str],
    table: Mapping[str, Evaluator],
) -> tuple[list[Deadline], list[Finding]]:
    """What ``planned`` (not idle) finds over ``events``: the deadlines, sorted, and the
    findings.

    Every path of :func:`evaluate` comes here. Date arithmetic that runs past
    what Python's dates hold (year 9999), in an evaluator or a findings hook,
    is a :class:`~sendflow.CalendarError` naming the rule, never a foreign error.
    """
    deadlines: list[Deadline] = []
    found: list[Finding] = []
    # (every field, in EvaluationContext's order: this runs for every case)
    ctx = new_context(
        events,
        as_of,
        holidays,
        tuple([e for e in events if isinstance(e, ExceptionRecorded)])
        if "exception_recorded" in types
        else (),
        found,
        case,
        main_states,
        types,
        readings,
    )
    # (the built-in evaluators: the plan's lean list leaves out those that find
    # nothing for these types; a replaced evaluator always runs)
    others = planned.lean if table is EVALUATORS else planned.others
    if planned.group.hists:
        if table is EVALUATORS or table["standard"] is standard:
            # The standard rules together, in one pass (a new list, the case's own).
            deadlines = standard_many(planned.group, ctx)
        else:  # "standard" replaced for this call: every segment one by one
            others = planned.segments
    for segment in others:
        try:
            deadlines.extend(table[segment.evaluator](segment.history, ctx))
        except SendflowError:
            raise
        except (OverflowError, ValueError):
            raise _out_of_range(f"rule {segment.history.id!r}") from None
    if len(deadlines) == 2:
        deadlines = _two_in_order(deadlines)
    elif len(deadlines) > 1:
        # (by deadline_order in Python, no longer first by an attrgetter compared
        # in C: a None due date or key meeting a value raised TypeError and sorted again,
        # which cost more than the Python key saves; the order is the same, as
        # every comparison the C key answers, deadline_order answers alike)
        deadlines.sort(key=deadline_order)
    try:
        for hook in planned.hooks:
            found.extend(hook(ctx))
    except SendflowError:
        raise
    except (OverflowError, ValueError):
        raise _out_of_range("findings") from None
    return deadlines, found


def _two_in_order(deadlines: list[Deadline]) -> list[Deadline]:
    """Two deadlines in a report's order: ``sorted(deadlines, key=deadline_order)``.

    Two rules on a case with a request give exactly two. The sort this replaces
    (by due date, rule id and key compared in C, sorted again by
    :func:`~sendflow.compliance._report.deadline_order` when a None met a value)
    cost about 5,000 instructions for two, most of it that TypeError; a sort by
    deadline_order calls it twice. Two due dates that differ decide it here;
    otherwise the two are ordered by deadline_order, as the sort orders them (a
    stable sort of two swaps them only when the second comes strictly first).
    tests/unit/test_engine_fixed_cost.py holds it equal to the plain sort.
    """
    first, second = deadlines
    a, b = first.due, second.due
    if a is not None and b is not None:
        if a < b:
            return deadlines
        if b < a:
            return [second, first]
    return [second, first] if deadline_order(second) < deadline_order(first) else deadlines


def evaluate(
    case: Case,
    *,
    as_of: date,
    holidays: Any = None,
    rules: Iterable[str] | None = None,
    findings: bool = True,
    recorded: str | Iterable[str] | None = None,
    readings: Mapping[str, str] | None = None,
    evaluators: Mapping[str, Evaluator] | None = None,
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
        evaluators: replace evaluators of the table
            :data:`sendflow.compliance.evaluators.EVALUATORS` by name, for this
            call only (a test's oracle, an experiment); the rule data still
            choose which evaluator each rule uses. An unknown name raises
            :class:`~sendflow.InvalidArgument`.

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
        chosen_readings = _DEFAULTS[0] or _remember_defaults()  # default_readings()
    elif readings is _LAST_READINGS[0]:  # resolved already (evaluate_many passes it on)
        chosen_readings = _LAST_READINGS[1]
    else:
        chosen_readings = resolve_readings(readings)
    table = EVALUATORS if evaluators is None else _table(evaluators)
    events = case.events
    # The case's private store, read through its slot (private_store, written out:
    # this runs for every case). A replayed case holds all four keys; one built
    # around pydantic may hold none (or no store), read with their defaults.
    private: Any = case.__pydantic_private__
    try:
        types = private["_types"]
        last_on = private["_last_on"]
        adjust = private["_adjust"]
        states = private["_states"]
    except (KeyError, TypeError):
        private = private or NO_PRIVATE
        types = private.get("_types")
        last_on = private.get("_last_on")
        adjust = private.get("_adjust", True)
        states = private.get("_states")
    if types is None:
        types = case._event_types()
    # The adjusted way (sendflow._caseview) only for a case that needs it: a
    # record opened part-way, an event after as_of, a refusal reversed or a
    # limited recording; the checks are cheap.
    if events and (
        recorded is not None
        or last_on is None
        or last_on > as_of
        or adjust
        or ("exception_recorded" in types and _retro_after(events, as_of))
    ):
        return _evaluate_adjusted(case, as_of, holidays, rules, findings, recorded,
                                  chosen_readings, table)
    # The common path: _run, _no_silent_clock and _build_report written out, with
    # less done per case. A plan that runs nothing (no segment its types can
    # start, no findings hook) is idle: no evaluation context, no deadline lists
    # and no sort, each of which would be empty. The report's values are the
    # plan's template (Plan.report: every field in order, the rules and the
    # constants filled in) copied, with the case's five set; the states and
    # readings are still copied, so each report has dicts of its own. The rule
    # selection (the tuple evaluate_many passes every time), the default readings
    # and new_report are written out too.
    # tests/unit/test_engine_fixed_cost.py holds these reports equal to the plain
    # path's, field for field and as JSON, on generated histories and golden cases.
    memo = _plan._LAST_PLANS  # (the rules and findings given last, their plans)
    if rules is memo[0] and findings is memo[1]:
        selected = memo[2]
        plans = memo[3]
    else:
        selected, plans = plans_for(rules, findings)
    planned = plans.get(types) or plan(types, selected, findings)
    if states is None:
        states = case._current()
    main = states["main"]
    values = planned.report.copy()
    if not planned.idle:
        deadlines, found = _execute(planned, case, events, types, None, as_of, holidays,
                                    chosen_readings, table)
        if main in _EXPECTED_CLOCKS:
            deadlines = _no_silent_clock(case, deadlines, as_of, selected)
        values["deadlines"] = tuple(deadlines)
        values["findings"] = tuple(found)
    elif main in _EXPECTED_CLOCKS:
        values["deadlines"] = tuple(_no_silent_clock(case, [], as_of, selected))
    values["reference"] = case.reference
    values["as_of"] = as_of
    values["state"] = main
    values["states"] = states.copy()
    # (chosen_readings is always a resolved proxy of a plain dict: default_readings,
    # resolve_readings; the defaults' dict is copied as it is, another proxy's
    # copy() copies its dict in C, see _readings_copy)
    values["readings"] = (
        _DEFAULTS[1].copy() if chosen_readings is _DEFAULTS[0]
        else chosen_readings.copy() if type(chosen_readings) is MappingProxyType
        else _readings_copy(chosen_readings))
    report: ComplianceReport = _new_object(ComplianceReport)
    _set_values(report, values)  # (new_report, written out)
    return report


#: :func:`~sendflow.rules.default_readings` (which is the same object for good: the
#: readings data are read once) and a plain dict equal to it, which a report's
#: readings copy in C without going through the read-only proxy; (None, {}) until
#: the first evaluation (:func:`_remember_defaults`).
_DEFAULTS: tuple[Mapping[str, str] | None, dict[str, str]] = (None, {})


def _remember_defaults() -> Mapping[str, str]:
    """:func:`~sendflow.rules.default_readings`, remembered in :data:`_DEFAULTS`."""
    global _DEFAULTS
    defaults = default_readings()
    _DEFAULTS = (defaults, dict(defaults))  # one object: read whole, even across threads
    return defaults


_EXPECTED_CLOCKS = _caseview.EXPECTED_CLOCKS


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
    # Built from values that are valid by construction (sendflow.compliance._build).
    return new_report(
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
            "readings": _readings_copy(default_readings() if readings is None else readings),
            "invalid": None,
        }
    )


def _readings_copy(readings: Mapping[str, str]) -> dict[str, str]:
    """The report's own copy of ``readings`` (a plain dict equal to ``dict(readings)``).

    The resolved readings (:func:`~sendflow.rules.default_readings`,
    :func:`~sendflow.rules.resolve_readings`) are read-only proxies of a dict;
    ``dict(proxy)`` goes the generic mapping way (its keys, then each value
    looked up through the proxy), about 2,800 instructions a report, where the
    proxy's ``copy()`` copies the dict beneath it in C. Anything else, or a
    proxy of something not a dict, is copied with ``dict()`` as before.
    tests/unit/test_engine_fixed_cost.py holds the two equal.
    """
    if type(readings) is MappingProxyType:
        copied = readings.copy()
        if type(copied) is dict:
            return copied
    return dict(readings)


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
    if rule.legal_status is LegalStatus.DERIVED:
        return None  # a planning date then, not a compliance deadline
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
        if latest is not None and (
            out[latest].status is not Status.NOT_APPLICABLE or out[latest].note
        ):
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
    readings: Mapping[str, str],
    table: Mapping[str, Evaluator],
) -> ComplianceReport:
    """:func:`evaluate` for a case that needs sendflow._caseview (see evaluate)."""
    from sendflow import recording

    selected = selection(rules)
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
                                        as_of, holidays, selected, findings, readings, table)
        deadlines, found = _caseview.settle_opened(
            deadlines, found, opening, len(synth),
            lambda rule_id, note: _note_deadline(rule_id, note, as_of, opening.on, selected),
        )
    else:
        deadlines, found, chosen = _run(case, events, case._event_types(), None, as_of,
                                        holidays, selected, findings, readings, table)
    pairs = _caseview.reconsidered(case) if events else []
    if pairs:
        deadlines = _reconsider(case, pairs, deadlines, as_of, holidays, selected, readings,
                                table)
    if events and states_of(case)["main"] in _caseview.EXPECTED_CLOCKS:
        deadlines = _no_silent_clock(case, deadlines, as_of, selected)
    if kept_types is not None:
        deadlines = _caseview.mark_not_recorded(deadlines, kept)
    if len(deadlines) > 1:
        deadlines.sort(key=deadline_order)
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
    readings: Mapping[str, str],
    table: Mapping[str, Evaluator],
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
                       frozenset(wanted), False, readings, table)
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




def evaluate_many(
    cases: Iterable[Case],
    *,
    as_of: date | Iterable[date],
    holidays: Any = None,
    rules: Iterable[str] | None = None,
    findings: bool = True,
    recorded: str | Iterable[str] | None = None,
    readings: Mapping[str, str] | None = None,
    evaluators: Mapping[str, Evaluator] | None = None,
) -> Iterator[ComplianceReport]:
    """Evaluate cases one at a time, lazily (constant memory for a stream).

    The arguments are :func:`evaluate`'s. One report per case (per case and
    date, with several dates), in order. A case that cannot be evaluated (a date
    beyond the calendar's range, something that is not a :class:`Case`, a fault
    in an evaluator or findings hook) never stops the caseload: its report has
    no deadlines and says why in ``invalid``, as the ``check`` command reports
    such a line. Wrong arguments (an unknown rule, profile, reading or
    evaluator) raise before the first case.

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
    selected = None if rules is None else tuple(select(rules))  # fail before the first case
    if recorded is not None:
        from sendflow import recording

        kept = recording.resolve(recorded)  # fail before the first case too
        recorded = None if kept == recording.ALL else kept
    chosen = None if readings is None else resolve_readings(readings)  # likewise
    table = None if evaluators is None else _table(evaluators)  # likewise
    if chosen is not None:
        global _LAST_READINGS
        _LAST_READINGS = (chosen, chosen)  # one object: read whole, even across threads
    for case in cases:
        for on in dates:
            try:
                report = evaluate(case, as_of=on, holidays=holidays, rules=selected,
                                  findings=findings, recorded=recorded, readings=chosen,
                                  evaluators=table)
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
