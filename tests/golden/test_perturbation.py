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
BORROWED = {
    # Reg. 42(2): an appealable agreement is carried out within the matching order's period.
    "disagreement.agreement_appealable": "tribunal_order.assess_final",
}


def _jsonable(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def _golden() -> list[tuple[str, Case, date, Any, Any]]:
    out = []
    for path in FILES:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
        payload: dict[str, Any] = {"events": _jsonable(data["events"])}
        if "child" in data:
            payload["child"] = _jsonable(data["child"])
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
        source = registry.history(BORROWED.get(hist.id, hist.id))
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
    source_id = BORROWED.get(rule_id, rule_id)
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
