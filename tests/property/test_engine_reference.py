"""The optimised evaluators agree with the plain reference ones (tests/reference).

Checked on generated histories of every workflow (with and without a child and
exceptions), on the golden cases' event logs and on a synthetic caseload.
"""

from __future__ import annotations

import io
import json
import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.reference import engine as reference

from sendflow import Case, evaluate
from sendflow.compliance._compiled import compile_rule
from sendflow.compliance._context import EvaluationContext
from sendflow.compliance._report import deadline_order
from sendflow.compliance._standard import before_anchor
from sendflow.compliance.evaluators import assessment, ceasing, review
from sendflow.rules._registry import all_rules
from sendflow.synth import write_jsonl
from sendflow.testing import strategies as s
from sendflow.workflows import TABLES

AS_OF = date(2026, 6, 1)


#: The evaluators replaced by the reference ones (evaluate's ``evaluators=``): the
#: plain standard evaluator, and the plain paths beside the lifecycle fast paths.
REFERENCE = {
    "standard": reference.standard,
    "before_anchor": before_anchor,
    "review_annual": review.review_annual,
    "review_early_years": review.review_early_years,
    "ceasing_age_25": ceasing.ceasing_age_25,
}


def _rows(
    case: Case,
    as_of: date,
    evaluators: dict[str, Any] | None = None,
    readings: dict[str, str] | None = None,
) -> list[tuple[Any, ...]]:
    report = evaluate(case, as_of=as_of, evaluators=evaluators, readings=readings)
    return [
        (d.rule_id, d.key, d.started_on, d.due, d.met_on, d.status, d.exception, d.note)
        for d in report.deadlines
    ] + [("finding", f.code, f.event_index) for f in report.findings]


def assert_same(case: Case, as_of: date, readings: dict[str, str] | None = None) -> None:
    fast = _rows(case, as_of, readings=readings)
    slow = _rows(case, as_of, REFERENCE, readings)
    assert fast == slow
    # and the very same models, field for field (private state included)
    assert evaluate(case, as_of=as_of, readings=readings) == evaluate(
        case, as_of=as_of, evaluators=REFERENCE, readings=readings)


#: The other choice of each reading the fast paths read (review.completed_by decides
#: what completes a review; notice.at_least how a notice is counted back).
OTHER_READINGS = {"review.completed_by": "meeting", "notice.at_least": "clear_days"}


def histories() -> st.SearchStrategy[Case]:
    return st.sampled_from(sorted(TABLES)).flatmap(
        lambda wf: s.case_histories(wf, child=st.none() | s.children())  # type: ignore[arg-type]
    )


@settings(max_examples=300)
@given(histories(), st.dates(date(2014, 9, 1), date(2031, 12, 31)))
def test_agrees_with_reference_on_generated_histories(case: Case, as_of: date) -> None:
    assert_same(case, as_of)


@settings(max_examples=100)
@given(
    s.children(),
    st.dates(date(2014, 9, 1), date(2030, 12, 31)),
    st.lists(st.sampled_from(["amended_plan_issued", "review_invitations_sent"]), max_size=2),
    st.dates(date(2014, 9, 1), date(2031, 12, 31)),
)
def test_lifecycle_fast_paths_agree_on_a_plan_alone(child: Any, issued: date, later: list[str],
                                                   as_of: date) -> None:
    # The fast paths' shape: a plan issued, then only events that cannot meet or move
    # its reviews; a child of any age (born before, on or after the plan's date).
    case = Case.model_validate({
        "child": child.model_dump(),
        "events": [{"type": "final_plan_issued", "on": issued.isoformat()}]
        + [{"type": t, "on": issued.isoformat()} for t in later],
    })
    assert_same(case, as_of)


@settings(max_examples=150)
@given(histories(), st.dates(date(2014, 9, 1), date(2031, 12, 31)))
def test_agrees_with_reference_under_the_other_readings(case: Case, as_of: date) -> None:
    assert_same(case, as_of, OTHER_READINGS)


#: The standard rules' ids: a selection of them compiles its own group (fewer rules
#: in each switch, other rules' events passed over), which the pass must read alike.
STANDARD_RULES = sorted({
    seg.history.id
    for hist in all_rules()
    for seg in compile_rule(hist).segments
    if seg.evaluator == "standard"
})


@settings(max_examples=200)
@given(histories(), st.dates(date(2014, 9, 1), date(2031, 12, 31)),
       st.lists(st.sampled_from(STANDARD_RULES), min_size=1, max_size=4, unique=True),
       st.booleans())
def test_agrees_with_reference_on_a_selection_of_rules(case: Case, as_of: date,
                                                       rules: list[str], findings: bool
                                                       ) -> None:
    fast = evaluate(case, as_of=as_of, rules=rules, findings=findings)
    slow = evaluate(case, as_of=as_of, rules=rules, findings=findings, evaluators=REFERENCE)
    assert fast == slow
    assert [d.rule_id for d in fast.deadlines] == [d.rule_id for d in slow.deadlines]


def test_agrees_with_reference_on_two_rules_of_a_synthetic_caseload() -> None:
    # bench_national's two-rule pipeline: the decision and the final plan alone.
    out = io.StringIO()
    write_jsonl(1000, out, seed=11)
    two = ("assessment.decision", "assessment.final_plan")
    for line in out.getvalue().splitlines():
        case = Case.model_validate_json(line)
        for as_of in (date(2026, 1, 15), date(2019, 3, 1)):
            fast = evaluate(case, as_of=as_of, rules=two, findings=False)
            assert fast == evaluate(case, as_of=as_of, rules=two, findings=False,
                                    evaluators=REFERENCE)


def test_agrees_with_reference_on_a_synthetic_caseload() -> None:
    out = io.StringIO()
    write_jsonl(3000, out, seed=7)
    for n, line in enumerate(out.getvalue().splitlines()):
        case = Case.model_validate_json(line)
        assert_same(case, date(2026, 1, 15))
        if n % 5 == 0:  # a fifth of them under the other readings, and on other dates
            assert_same(case, date(2026, 1, 15), OTHER_READINGS)
            assert_same(case, date(2019, 3, 1 + n % 28))


def assert_same_findings(case: Case) -> None:
    """The assessment findings hook finds what the plain ``isinstance`` reading finds."""
    ctx = EvaluationContext(case.events, AS_OF, case=case)
    found = assessment._assessment_findings(ctx)
    assert found == reference.assessment_findings(ctx)


@settings(max_examples=300)
@given(s.case_histories("assessment", child=st.none() | s.children()))
def test_assessment_findings_agree_with_reference(case: Case) -> None:
    assert_same_findings(case)


GOLDEN = sorted((Path(__file__).resolve().parents[1] / "golden").rglob("*.toml"))


@pytest.mark.parametrize("path", GOLDEN, ids=[p.stem for p in GOLDEN])
def test_agrees_with_reference_on_golden_cases(path: Path) -> None:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    payload = {k: data[k] for k in ("events", "child", "responsible_la") if k in data}
    case = Case.model_validate(json.loads(json.dumps(payload, default=str)))
    assert_same(case, data["as_of"])
    assert_same_findings(case)


def test_golden_cases_reach_every_assessment_finding() -> None:
    # So the comparison above meets both findings the hook can make.
    codes = set()
    for path in GOLDEN:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        payload = {k: data[k] for k in ("events", "child", "responsible_la") if k in data}
        case = Case.model_validate(json.loads(json.dumps(payload, default=str)))
        ctx = EvaluationContext(case.events, AS_OF, case=case)
        codes |= {f.code for f in assessment._assessment_findings(ctx)}
    assert codes == {"required_advice_not_sought", "final_before_representation_period_ended"}


def _in_reference_order(deadlines: tuple[Any, ...]) -> bool:
    # sorted() is stable, so this holds exactly when the deadlines are already in
    # deadline_order, ties left as they came.
    return list(deadlines) == sorted(deadlines, key=deadline_order)


@given(histories())
@settings(max_examples=150, deadline=None)
def test_deadlines_come_in_due_rule_key_order(case: Case) -> None:
    # evaluate sorts in C while every compared value is set and falls back to
    # deadline_order otherwise; either way the order is deadline_order's.
    assert _in_reference_order(evaluate(case, as_of=AS_OF).deadlines)


def test_deadlines_without_a_due_date_sort_last() -> None:
    # A transfer into an apprenticeship has no due date (the C comparison meets
    # None and the fallback orders it as if due on date.max).
    case = Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2026-01-10"},
        {"type": "phase_transfer_scheduled", "on": "2026-09-01", "transfer_date": "2027-09-01",
         "kind": "into_apprenticeship"},
    ]})
    # As of a day after both events (as_of is a point in time: later events are not seen).
    deadlines = evaluate(case, as_of=date(2026, 10, 1)).deadlines
    assert len(deadlines) > 1 and deadlines[-1].due is None
    assert all(d.due is not None for d in deadlines[:-1])
    assert _in_reference_order(deadlines)
