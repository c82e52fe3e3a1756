"""The rule data carries the weight: change a number in it and a golden result moves.

For every rule with a custom evaluator, each number its data holds (the ``period``,
each named sub-period in ``periods``, each age in ``ages`` and each
span of days in ``spans``) is changed in turn in a
COPY of the registry (the shipped one is never touched), the engine is compiled afresh
against the copy, and every golden case is evaluated again. Some golden result of that
rule must move (a due date, a status, the day it was met, the arithmetic explained in
its note, or a finding filed under it). A number still hard-coded in Python, or a
limb no golden case exercises, fails here.

A second test shows the calendar is the only home of date arithmetic: the engine's
precomputed offsets come from :mod:`sendflow.calendar`, so a change to
``calendar.add_weeks`` reaches a compliance due date.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from tests.reference.golden import jsonable

import sendflow.calendar._arithmetic as arithmetic
import sendflow.rules._model as model
from sendflow import Case, evaluate
from sendflow.compliance._plan import clear_caches
from sendflow.rules import Period, Rule, YearlySpan
from sendflow.rules import _registry as registry
from sendflow.rules._model import Counting
from sendflow.rules._registry import RuleHistory

HERE = Path(__file__).parent
FILES = sorted(HERE.rglob("*.toml"))

#: Custom rules whose outcome no number of their own decides, and why. Each reason is
#: checked below, so an entry cannot hide a rule that has quietly stopped working.
NO_DUE_DATE = {
    # CFA s. 44 / reg. 44(2)(g): an order to continue the plan sets no time limit.
    "tribunal_order.continue": "a continuing duty: reported without a due date",
}
#: Custom rules whose period is, by the law, another rule's: perturb that one instead.
#: (A rule whose data says so with ``period_of`` is found from its data: see _source.)
BORROWED = {
    # Reg. 42(2): an appealable agreement is carried out within the matching order's period.
    "disagreement.agreement_appealable": "tribunal_order.assess_final",
}


def _source(rule_id: str) -> str:
    """The rule whose numbers decide ``rule_id``'s results: its ``period_of`` (the law's
    one home for them), an entry of BORROWED, or the rule itself."""
    lenders = {v.period_of for v in registry.history(rule_id).versions if v.period_of}
    if lenders:
        (lender,) = lenders
        return lender
    return BORROWED.get(rule_id, rule_id)


def _golden() -> list[tuple[str, Case, date, Any, Any]]:
    out = []
    for path in FILES:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        payload: dict[str, Any] = {"events": jsonable(data["events"])}
        if "child" in data:
            payload["child"] = jsonable(data["child"])
        if "responsible_la" in data:
            payload["responsible_la"] = data["responsible_la"]
        name = str(path.relative_to(HERE))
        out.append((name, Case.model_validate(payload), data["as_of"],
                    data.get("recorded"), data.get("readings")))
    return out


GOLDEN = _golden()


def _outcomes(rule_id: str) -> dict[str, tuple[Any, ...]]:
    """Per golden case, everything the report says under ``rule_id``."""
    out: dict[str, tuple[Any, ...]] = {}
    for name, case, as_of, recorded, readings in GOLDEN:
        report = evaluate(case, as_of=as_of, recorded=recorded, readings=readings)
        deadlines = tuple(
            (d.key, d.due, d.status, d.met_on, d.note)
            for d in report.deadlines
            if d.rule_id == rule_id
        )
        findings = tuple(f.code for f in report.findings if f.rule_id == rule_id)
        if deadlines or findings:
            out[name] = (deadlines, findings)
    return out


def _fresh_engine() -> None:
    """Drop everything the engine compiled, so the next evaluation reads the registry
    (and the calendar) again."""
    clear_caches()


@pytest.fixture
def copied_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, RuleHistory]]:
    """A copy of the shipped registry that the test may change; restored afterwards."""
    shipped = registry._registry()
    copy = dict(shipped)
    monkeypatch.setattr(registry, "_registry", lambda: copy)
    _fresh_engine()
    yield copy
    monkeypatch.undo()
    _fresh_engine()
    assert registry._registry() is shipped


def _changed(period: Period) -> Period:
    """The same period, one unit longer (a fixed date one day earlier)."""
    if period.counting is Counting.BEFORE_FIXED_DATE:
        assert period.fixed_day is not None
        day = period.fixed_day - 1 if period.fixed_day > 1 else period.fixed_day + 1
        return period.model_copy(update={"fixed_day": day})
    if period.counting is Counting.IMMEDIATELY:
        return Period(amount=1, unit="days", counting="within")
    return period.model_copy(update={"amount": period.amount + 1})


def _changed_span(span: YearlySpan) -> YearlySpan:
    """The same span, ending a week later."""
    last = date(2001, span.last_month, span.last_day) + timedelta(days=7)
    return span.model_copy(update={"last_month": last.month, "last_day": last.day})


def _perturbed(version: Rule, target: str) -> Rule:
    if target == "period":
        return version.model_copy(update={"period": _changed(version.period)})
    kind, _, name = target.partition(".")
    if kind == "periods":
        periods = {**version.periods, name: _changed(version.periods[name])}
        return version.model_copy(update={"periods": periods})
    if kind == "spans":
        spans = {**version.spans, name: _changed_span(version.spans[name])}
        return version.model_copy(update={"spans": spans})
    ages = {**version.ages, name: version.ages[name] + 1}
    return version.model_copy(update={"ages": ages})


def _custom_rules() -> list[RuleHistory]:
    return [h for h in registry.all_rules()
            if any(v.evaluator != "standard" for v in h.versions)
            and h.versions[-1].legal_status != "derived"]


def _targets() -> list[tuple[str, str]]:
    out = []
    for hist in _custom_rules():
        if hist.id in NO_DUE_DATE:
            continue
        source = registry.history(_source(hist.id))
        names = {"period"}
        for v in source.versions:
            names |= {f"periods.{n}" for n in v.periods} | {f"ages.{n}" for n in v.ages}
            names |= {f"spans.{n}" for n in v.spans}
        out.extend((hist.id, name) for name in sorted(names))
    # The standard rule whose period a findings check also reads (reg. 13(1)(a)).
    out.append(("assessment.draft_representations", "period"))
    return out


def test_every_custom_rule_is_covered() -> None:
    covered = {rule_id for rule_id, _ in _targets()} | set(NO_DUE_DATE)
    assert {h.id for h in _custom_rules()} <= covered
    assert len(covered) >= 20


@pytest.mark.parametrize(("rule_id", "target"), _targets())
def test_a_changed_number_moves_a_golden_result(
    rule_id: str, target: str, copied_registry: dict[str, RuleHistory]
) -> None:
    source_id = _source(rule_id)
    before = _outcomes(rule_id)
    assert before, f"no golden case reaches {rule_id}"
    hist = copied_registry[source_id]
    kind, _, name = target.partition(".")
    versions = tuple(
        _perturbed(v, target) if kind == "period" or name in getattr(v, kind) else v
        for v in hist.versions
    )
    copied_registry[source_id] = RuleHistory(id=hist.id, versions=versions)
    _fresh_engine()
    after = _outcomes(rule_id)
    moved = sorted(name for name in before.keys() | after.keys()
                   if before.get(name) != after.get(name))
    assert moved, f"changing {source_id} {target} moved no golden result of {rule_id}"


@pytest.mark.parametrize("rule_id", sorted(NO_DUE_DATE))
def test_rules_without_a_number_report_no_due_date(rule_id: str) -> None:
    outcomes = _outcomes(rule_id)
    assert outcomes, f"no golden case reaches {rule_id}"
    for deadlines, _findings in outcomes.values():
        assert deadlines and all(due is None for _key, due, *_ in deadlines), rule_id


def test_the_shipped_registry_is_untouched() -> None:
    """Run after the perturbations (file order): the shipped data is as loaded."""
    fresh: dict[str, RuleHistory] = {}
    folder = Path(registry.__file__).parent / "data"
    for path in sorted(folder.glob("*.toml")):
        for item in registry.load_file(path.name, path.read_text(encoding="utf-8")):
            fresh[item.id] = item
    assert {k: v.versions for k, v in registry._registry().items()} == {
        k: v.versions for k, v in fresh.items()
    }


def test_a_change_to_the_calendar_reaches_compliance_due_dates(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The engine's precomputed offsets come from calendar.add_weeks: change the
    calendar (here, one day longer per period), compile afresh, and the 20-week
    final-plan due date moves with it."""
    case = Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    )
    as_of = date(2026, 3, 1)

    def due() -> date | None:
        return evaluate(case, as_of=as_of, rules=["assessment.final_plan"]).deadline(
            "assessment.final_plan"
        ).due

    assert due() == date(2026, 5, 25)
    real = arithmetic.add_weeks

    def longer(d: date, n: int) -> date:
        return real(d, n) + timedelta(days=1)

    monkeypatch.setattr(model.cal, "add_weeks", longer)
    _fresh_engine()
    try:
        assert due() == date(2026, 5, 26)
    finally:
        monkeypatch.undo()
        _fresh_engine()
    assert due() == date(2026, 5, 25)


def test_each_version_names_its_own_evaluator(copied_registry: dict[str, RuleHistory]) -> None:
    """Evaluator choice is per version, as OpenFisca dates its formulas: a later version
    of transfer.phase judged by the standard evaluator (one period for every kind of
    transfer) leaves earlier transfers to phase_transfer's limbs."""

    def due(transfer: str) -> date | None:
        case = Case.model_validate({"events": [
            {"type": "final_plan_issued", "on": "2025-03-20"},
            {"type": "phase_transfer_scheduled", "on": "2026-09-01", "transfer_date": transfer,
             "kind": "secondary_to_post16"},
        ]})
        report = evaluate(case, as_of=date(2026, 10, 1), rules=["transfer.phase"])
        return report.deadline("transfer.phase").due

    assert (due("2027-09-01"), due("2028-09-01")) == (date(2027, 3, 30), date(2028, 3, 30))
    hist = copied_registry["transfer.phase"]
    (only,) = hist.versions
    earlier = only.model_copy(update={"effective_to": date(2027, 12, 31)})
    later = only.model_copy(update={"effective_from": date(2028, 1, 1), "evaluator": "standard"})
    copied_registry["transfer.phase"] = RuleHistory(id=hist.id, versions=(earlier, later))
    _fresh_engine()
    # The 2027 transfer keeps reg 18(1)(a)'s 31 March; the 2028 one takes the period.
    assert (due("2027-09-01"), due("2028-09-01")) == (date(2027, 3, 30), date(2028, 2, 14))


# ------------------------------------------------------------------ numbers beside the rules
# The numbers that are not a rule's own period, limb, age or span, each moved in turn:
# the reg. 2(1) table of transfer kinds by National Curriculum year, the age past which
# no plan can be maintained (a date finding), and the periods the DfE's figures are
# measured against. Each must move a result, so code that ignored the data fails here.


def _kinds_grid() -> dict[tuple[int, int, bool], object]:
    from sendflow.lifecycle import transfer_kind_for

    return {(a, b, m): transfer_kind_for(a, b, middle_school=m)
            for a in range(-4, 18) for b in range(-4, 18) for m in (False, True)}


def _bound_targets() -> list[tuple[int, str, str]]:
    table = registry.transfer_kinds()
    return [(i, side, bound) for i, row in enumerate(table.row)
            for side in ("from_year", "to_year") for bound in ("min", "max")
            if getattr(getattr(row, side), bound) is not None]


def test_every_transfer_kind_row_has_a_bound_to_move() -> None:
    rows = {i for i, _, _ in _bound_targets()}
    assert rows == set(range(len(registry.transfer_kinds().row)))


@pytest.mark.parametrize(("index", "side", "bound"), _bound_targets())
def test_a_changed_transfer_year_moves_transfer_kind_for(
    index: int, side: str, bound: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _kinds_grid()
    table = registry.transfer_kinds()
    row = table.row[index]
    years = getattr(row, side)
    value = getattr(years, bound)
    moved = []
    for step in (-1, 1):  # one year either way: at least one must change some answer
        changed = row.model_copy(update={side: years.model_copy(update={bound: value + step})})
        rows = (*table.row[:index], changed, *table.row[index + 1:])
        monkeypatch.setattr(registry, "transfer_kinds",
                            lambda rows=rows: table.model_copy(update={"row": rows}))
        moved.append(_kinds_grid() != before)
        monkeypatch.undo()
    assert any(moved), f"row {index} ({row.kind}) {side}.{bound} moved nothing"


def test_a_changed_outer_age_moves_the_date_finding_and_sen2_checks(
    copied_registry: dict[str, RuleHistory],
) -> None:
    # Born 1 May 2000: the 26th birthday is 1 May 2026; an event the next day is after it.
    # (The later event, after as_of, takes the case the way that files date findings.)
    case = Case.model_validate({
        "child": {"date_of_birth": "2000-05-01"},
        "events": [{"type": "request_received", "on": "2026-05-02", "made_by": "young_person"},
                   {"type": "assessment_decision", "on": "2026-06-05", "outcome": "assess"}],
    })

    def codes() -> set[str]:
        report = evaluate(case, as_of=date(2026, 6, 1))
        return {f.code for f in report.findings}

    # SEN2 checks on a return: born 1 Jan 1999, 26 when the 2025 activity period starts
    # (SF0102: plans end before the 26th birthday) and 27 on the census (SF0704).
    from sendflow.sen2 import Header, Person, SEN2Return, validate

    ret = SEN2Return(header=Header(year=2026, reference_date=date(2026, 1, 15), lea="201"),
                     persons=(Person(person_id="P0", birth_date=date(1999, 1, 1)),))

    def checks() -> set[str]:
        return set(validate(ret).codes()) & {"SF0102", "SF0704"}

    assert "event_after_26th_birthday" in codes()
    assert checks() == {"SF0102", "SF0704"}
    hist = copied_registry["ceasing.age_25"]
    copied_registry["ceasing.age_25"] = RuleHistory(id=hist.id, versions=tuple(
        _perturbed(v, "ages.outer_limit") for v in hist.versions))
    _fresh_engine()
    assert "event_after_26th_birthday" not in codes()
    assert checks() == {"SF0704"}  # 26 at the start is now allowed; 27 on the census is not


def _boundary_return() -> Any:
    """Records each one day past a period its figure is measured against (hand-worked:
    received Mon 6 Jan 2025; decided 18 Feb, day 43 (6 weeks + 1 day); issued 27 May,
    day 141 (20 weeks + 1 day); received 4 Nov 2024, issued 4 Nov 2025, day 365
    (52 weeks + 1 day); meeting 3 Mar 2025, decision 1 Apr, day 29 (4 weeks + 1 day);
    plan made 1 Sep 2023, last reviewed 15 Sep 2024: inside the 12 months before the
    1 Sep 2025 anniversary, outside 13 months before the 26 months' one)."""
    from sendflow.sen2 import (
        ActivePlan,
        Assessment,
        Header,
        NamedPlan,
        Person,
        Request,
        SEN2Return,
    )

    d = date.fromisoformat
    late = Request(
        received_date=d("2025-01-06"), request_outcome="Y", request_outcome_date=d("2025-02-18"),
        assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=d("2025-05-27"),
                               week20=False,
                               named_plan=(NamedPlan(start_date=d("2025-05-27")),)),))
    slow = Request(
        received_date=d("2024-11-04"), request_outcome="H",
        assessment=(Assessment(assessment_outcome="Y", assessment_outcome_date=d("2025-11-04"),
                               week20=False,
                               named_plan=(NamedPlan(start_date=d("2025-11-04")),)),))

    def historic(start: str, active: ActivePlan) -> Request:
        return Request(request_outcome="H", active_plans=(active,), assessment=(
            Assessment(assessment_outcome="H",
                       named_plan=(NamedPlan(start_date=d(start)),)),))

    reviewed = historic("2020-03-01", ActivePlan(review_meeting=d("2025-03-03"),
                                                 last_review=d("2025-04-01"),
                                                 review_outcome="M"))
    before_year = historic("2023-09-01", ActivePlan(last_review=d("2024-09-15")))
    requests = (late, slow, reviewed, before_year)
    return SEN2Return(
        header=Header(year=2026, reference_date=d("2026-01-15"), lea="201"),
        persons=tuple(Person(person_id=f"P{i}", requests=(r,)) for i, r in enumerate(requests)))


def _figures() -> tuple[object, ...]:
    from sendflow.sen2 import statistics, timeliness

    ret = _boundary_return()
    return (statistics(ret).total.as_dict(), timeliness(ret, year=2025).as_dict())


def _measured() -> list[str]:
    from sendflow.sen2._periods import MEASURED

    return sorted(MEASURED)


@pytest.mark.parametrize("name", _measured())
def test_a_changed_statistics_period_moves_a_figure(
    name: str, copied_registry: dict[str, RuleHistory], monkeypatch: pytest.MonkeyPatch
) -> None:
    import dataclasses

    from sendflow.sen2 import _periods

    before = _figures()
    measured = _periods.period(name)
    if measured.rule is not None:  # the rule's period: changed in the copied registry
        hist = copied_registry[measured.rule]
        copied_registry[measured.rule] = RuleHistory(id=hist.id, versions=tuple(
            _perturbed(v, "period") for v in hist.versions))
    else:  # the DfE's own weeks, in a copy of the loaded periods
        assert measured.weeks is not None
        table = {**_periods._periods(),
                 name: dataclasses.replace(measured, weeks=measured.weeks + 1)}
        monkeypatch.setattr(_periods, "_periods", lambda: table)
    assert _figures() != before, f"changing period {name} moved no figure"
