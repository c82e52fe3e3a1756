"""``evaluate(..., rules=..., findings=...)``: a report limited to chosen rules."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendflow import Case, InvalidArgument, RuleNotFound, evaluate, evaluate_many
from sendflow.testing import strategies as s
from sendflow.workflows import TABLES

AS_OF = date(2026, 6, 1)
ASSESSMENT = (
    "assessment.advice",
    "assessment.decision",
    "assessment.draft_representations",
    "assessment.final_plan",
    "assessment.no_plan_notice",
)


def _request() -> Case:
    # Request Mon 5 Jan 2026, never decided: decision due 16 Feb (6 weeks, reg. 4(1)),
    # final plan due 25 May (20 weeks, reg. 13(2)), no-plan notice due 27 Apr (16 weeks).
    return Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    )


def test_one_rule_by_id() -> None:
    report = evaluate(_request(), as_of=AS_OF, rules=["assessment.final_plan"])
    assert [(d.rule_id, d.due, d.status) for d in report.deadlines] == [
        ("assessment.final_plan", date(2026, 5, 25), "overdue")
    ]
    assert report.rules == ("assessment.final_plan",)


def test_a_prefix_picks_the_family_and_a_single_string_is_one_name() -> None:
    report = evaluate(_request(), as_of=AS_OF, rules="assessment")
    assert report.rules is not None and set(report.rules) >= set(ASSESSMENT)
    assert all(r.startswith("assessment.") for r in report.rules)
    assert [d.rule_id for d in report.deadlines] == [
        "assessment.decision", "assessment.no_plan_notice", "assessment.final_plan"
    ]


def test_every_rule_by_default() -> None:
    report = evaluate(_request(), as_of=AS_OF)
    assert report.rules is None
    assert report.deadline("assessment.decision").due == date(2026, 2, 16)


def test_unknown_names_and_bad_entries_are_refused() -> None:
    with pytest.raises(RuleNotFound, match=r"'assessment\.nonsense'"):
        evaluate(_request(), as_of=AS_OF, rules=["assessment.nonsense"])
    with pytest.raises(RuleNotFound):
        evaluate(_request(), as_of=AS_OF, rules=["assess"])  # a prefix is a whole id part
    with pytest.raises(InvalidArgument, match="rules: each entry"):
        evaluate(_request(), as_of=AS_OF, rules=[42])  # type: ignore[list-item]
    for bad in ((["assessment"],), 7, [{"a": 1}]):
        with pytest.raises(InvalidArgument, match="rules: give rule ids"):
            evaluate(_request(), as_of=AS_OF, rules=bad)  # type: ignore[arg-type]


def test_a_selection_given_as_a_tuple_is_remembered_and_still_right() -> None:
    names = ("assessment.decision",)
    for _ in range(2):  # the second call finds the tuple itself in the cache
        report = evaluate(_request(), as_of=AS_OF, rules=names)
        assert [d.rule_id for d in report.deadlines] == ["assessment.decision"]


def test_alternating_selections_and_a_list_changed_in_place_are_each_honoured() -> None:
    # evaluate remembers the last tuple it was given; other tuples, and lists
    # (which can change between calls), are looked up afresh.
    decision, final = ("assessment.decision",), ("assessment.final_plan",)
    for names, expected in [(decision, "assessment.decision"), (final, "assessment.final_plan"),
                            (decision, "assessment.decision")]:
        report = evaluate(_request(), as_of=AS_OF, rules=names)
        assert [d.rule_id for d in report.deadlines] == [expected]
    chosen = ["assessment.decision"]
    assert [d.rule_id for d in evaluate(_request(), as_of=AS_OF, rules=chosen).deadlines] == [
        "assessment.decision"
    ]
    chosen[0] = "assessment.final_plan"
    assert [d.rule_id for d in evaluate(_request(), as_of=AS_OF, rules=chosen).deadlines] == [
        "assessment.final_plan"
    ]


def test_a_limited_report_will_not_answer_for_a_rule_it_did_not_evaluate() -> None:
    report = evaluate(_request(), as_of=AS_OF, rules=["assessment.final_plan"])
    with pytest.raises(InvalidArgument, match="not evaluated"):
        report.deadline("assessment.decision")
    with pytest.raises(RuleNotFound):
        report.deadline("no.such.rule")
    assert report.deadline("assessment.final_plan").due == date(2026, 5, 25)


def test_findings_can_be_left_out() -> None:
    # A draft plan issued with no advice requested is a finding (reg. 6 advice missing).
    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-02", "outcome": "assess"},
        {"type": "draft_plan_issued", "on": "2026-04-01"},
    ]})
    assert evaluate(case, as_of=AS_OF).findings
    assert evaluate(case, as_of=AS_OF, findings=False).findings == ()


def test_evaluate_many_passes_the_selection_on() -> None:
    reports = list(evaluate_many(iter([_request(), _request()]), as_of=AS_OF,
                                 rules=["assessment.decision"], findings=False))
    assert [[d.rule_id for d in r.deadlines] for r in reports] == [["assessment.decision"]] * 2
    with pytest.raises(RuleNotFound):
        next(evaluate_many(iter([_request()]), as_of=AS_OF, rules=["nope"]))


@settings(max_examples=150)
@given(
    st.sampled_from(sorted(TABLES)).flatmap(
        lambda wf: s.case_histories(wf, child=st.none() | s.children())  # type: ignore[arg-type]
    ),
    st.dates(date(2015, 1, 1), date(2031, 12, 31)),
    st.sets(st.sampled_from([*ASSESSMENT, "review", "appeal", "transfer"]), min_size=1),
)
def test_a_selection_is_the_full_report_filtered(case: Case, as_of: date, names: set[str]) -> None:
    full = evaluate(case, as_of=as_of)
    part = evaluate(case, as_of=as_of, rules=names, findings=False)
    assert part.rules is not None
    picked = set(part.rules)
    assert all(any(r == n or r.startswith(n + ".") for n in names) for r in picked)
    assert part.deadlines == tuple(d for d in full.deadlines if d.rule_id in picked)
    assert (part.state, part.states) == (full.state, full.states)
