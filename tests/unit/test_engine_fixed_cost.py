"""The engine's fixed cost per case: its fast paths equal the plain ones.

``_readings_copy`` (sendflow.compliance._engine) copies a resolved readings
proxy with the proxy's ``copy()`` instead of ``dict(proxy)``; these tests hold
it equal to the plain ``dict()`` copy, and hold every report to its own dict.
``evaluate``'s common path (an idle plan skipped, the report built from the
plan's template) is held equal to the plain path, ``_evaluate_adjusted``.
"""

from __future__ import annotations

import json
import tomllib
from collections import OrderedDict
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sendflow import Case, ComplianceReport, evaluate
from sendflow.compliance import EvaluationContext
from sendflow.compliance._engine import _readings_copy
from sendflow.compliance._report import Deadline
from sendflow.rules import default_readings, readings, resolve_readings
from sendflow.testing import strategies as s
from sendflow.workflows import TABLES

_CHOICES = st.fixed_dictionaries(
    {},
    optional={r.id: st.sampled_from(r.choice_ids) for r in readings().values()},
)


#: A generated history of any workflow (with or without a child), and a report date.
_HISTORIES = st.sampled_from(sorted(TABLES)).flatmap(
    lambda wf: s.case_histories(wf, child=st.none() | s.children()))  # type: ignore[arg-type]
_DATES = st.dates(date(2014, 9, 1), date(2031, 12, 31))


@given(_CHOICES)
def test_readings_copy_equals_dict_copy(given_choices: dict[str, str]) -> None:
    resolved = resolve_readings(given_choices)
    copied = _readings_copy(resolved)
    assert type(copied) is dict
    assert copied == dict(resolved)
    assert list(copied) == list(dict(resolved))  # the same order too
    copied["review.completed_by"] = "changed"
    assert resolved == resolve_readings(given_choices)  # the source is untouched


def test_readings_copy_of_other_mappings_is_the_plain_copy() -> None:
    plain = {"notice.at_least": "clear_days"}
    ordered = OrderedDict(plain)
    for mapping in (plain, ordered, MappingProxyType(ordered), MappingProxyType(plain)):
        copied = _readings_copy(mapping)
        assert type(copied) is dict
        assert copied == plain
        assert copied is not plain


def test_each_report_has_its_own_readings_dict() -> None:
    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    first = evaluate(case, as_of=date(2026, 3, 1))
    second = evaluate(case, as_of=date(2026, 3, 1))
    assert first.readings == dict(default_readings())
    assert first.readings is not second.readings
    first.readings["notice.at_least"] = "changed"
    assert second.readings == dict(default_readings())
    assert dict(default_readings())["notice.at_least"] != "changed"


def test_the_common_path_builds_the_report_build_report_builds() -> None:
    # evaluate writes _build_report's values out on its common path; the two
    # must build the same report, with dicts of the report's own.
    from sendflow.compliance._build import private_store
    from sendflow.compliance._engine import _build_report

    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
        {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"}]})
    assert private_store(case).get("_adjust") is False  # the common path, not the adjusted one
    as_of = date(2026, 3, 1)
    for rules in (None, ("assessment.final_plan",)):
        report = evaluate(case, as_of=as_of, rules=rules)
        built = _build_report(case, as_of, list(report.deadlines), list(report.findings),
                              report.rules)
        assert report == built
        assert report.model_dump() == built.model_dump()
        assert report.states is not private_store(case)["_states"]
        assert report.readings == dict(default_readings())


# --- the common path's report against the plain path's ---------------------
#
# evaluate's common path (a case that needs no adjusting) skips an idle plan's
# work and builds its report from the plan's template (Plan.report); the plain
# path is _run, then _no_silent_clock, then _build_report (what evaluate did
# before). The two must agree field for field, as JSON, and with dicts of the
# report's own.

#: The selections checked: every rule, the benchmark's two, and one no stock plan starts.
_SELECTIONS = (None, ("assessment.decision", "assessment.final_plan"), ("review",))


def _assert_common_equals_plain(case: Case, as_of: date) -> None:
    from sendflow._caseview import EXPECTED_CLOCKS
    from sendflow.compliance._build import private_store
    from sendflow.compliance._engine import _build_report, _no_silent_clock, _run, states_of
    from sendflow.compliance._plan import selection
    from sendflow.compliance.evaluators import EVALUATORS

    private = private_store(case)
    for rules in _SELECTIONS:
        selected = selection(rules)
        for findings in (True, False):
            fast = evaluate(case, as_of=as_of, rules=rules, findings=findings)
            deadlines, found, chosen = _run(case, case.events, case._event_types(), None,
                                            as_of, None, selected, findings,
                                            default_readings(), EVALUATORS)
            if states_of(case)["main"] in EXPECTED_CLOCKS:
                deadlines = _no_silent_clock(case, deadlines, as_of, selected)
            plain = _build_report(case, as_of, deadlines, found, chosen)
            assert fast == plain
            assert fast.model_dump() == plain.model_dump()
            assert fast.model_dump_json() == plain.model_dump_json()
            assert list(fast.model_dump()) == list(plain.model_dump())  # field order
            assert fast.states is not private.get("_states")
            assert fast.readings is not plain.readings
            assert type(fast.readings) is dict and type(fast.states) is dict


def _common(case: Case, as_of: date) -> bool:
    from sendflow.compliance._build import private_store

    private = private_store(case)
    last_on = private.get("_last_on")
    return bool(case.events) and last_on is not None and last_on <= as_of and (
        private.get("_adjust") is False) and "exception_recorded" not in case._event_types()


def test_an_idle_plan_gives_the_plain_report() -> None:
    # A one-event stock plan: no assessment rule can start, so the two-rule plan
    # is idle; the full plan is not.
    case = Case.model_validate({"reference": "REF-1", "events": [
        {"type": "final_plan_issued", "on": "2015-04-18"}]})
    as_of = date(2026, 1, 15)
    assert _common(case, as_of)
    report = evaluate(case, as_of=as_of, rules=_SELECTIONS[1], findings=False)
    assert report.deadlines == () and report.findings == ()
    assert report.rules == _SELECTIONS[1] and report.reference == "REF-1"
    _assert_common_equals_plain(case, as_of)


def test_an_idle_plan_in_a_state_whose_clocks_must_run_says_why() -> None:
    # awaiting_decision expects the decision clock: with a selection that no
    # event of the case can start, the common path still adds the note.
    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    _assert_common_equals_plain(case, date(2026, 3, 1))
    report = evaluate(case, as_of=date(2026, 3, 1), rules=("assessment.decision",))
    assert [d.rule_id for d in report.deadlines] == ["assessment.decision"]


def test_plans_are_idle_exactly_when_they_run_nothing() -> None:
    from sendflow.compliance._plan import _PLANS

    evaluate(Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2015-04-18"}]}), as_of=date(2026, 1, 15))
    assert _PLANS
    for planned in _PLANS.values():
        assert planned.idle is (not planned.segments and not planned.hooks)
        assert list(planned.report) == list(ComplianceReport.model_fields)
        assert planned.report["rules"] == planned.chosen


def test_plans_by_types_hold_the_plans_of_the_plan_cache() -> None:
    from sendflow.compliance import _plan
    from sendflow.compliance._plan import _BY_SELECTION, _PLANS

    evaluate(Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2015-04-18"}]}), as_of=date(2026, 1, 15),
        rules=("assessment.decision",), findings=False)
    assert _BY_SELECTION
    for (types, selected, findings), planned in _PLANS.items():
        assert _BY_SELECTION[(selected, bool(findings))][types] is planned
    # Emptied (as past its bound, which forgets the plans given last too) while
    # _PLANS still holds the plans: the next evaluation holds its plan by types again.
    _BY_SELECTION.clear()
    _plan._LAST_PLANS = (_plan._NOT_GIVEN, _plan._NOT_GIVEN, None, {})
    evaluate(Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2015-04-18"}]}), as_of=date(2026, 1, 15),
        rules=("assessment.decision",), findings=False)
    assert any(_BY_SELECTION.values())
    for plans in _BY_SELECTION.values():
        for planned in plans.values():
            assert any(p is planned for p in _PLANS.values())


def test_the_remembered_plans_follow_what_is_given() -> None:
    # evaluate remembers the plans for the rules object and findings flag given
    # last: a list changed in place, a findings flag that is not a bool, and a
    # registry's caches cleared must each still give the plain path's report.
    from sendflow.compliance._plan import clear_caches

    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    as_of = date(2026, 3, 1)
    rules = ["assessment.decision"]
    first = evaluate(case, as_of=as_of, rules=rules, findings=False)
    rules[0] = "assessment.final_plan"
    second = evaluate(case, as_of=as_of, rules=rules, findings=False)
    assert [d.rule_id for d in first.deadlines] == ["assessment.decision"]
    assert [d.rule_id for d in second.deadlines] == ["assessment.final_plan"]
    assert second.rules == ("assessment.final_plan",)
    picked = ("assessment.decision",)
    with_findings = evaluate(case, as_of=as_of, rules=picked, findings=1)  # type: ignore[arg-type]
    assert with_findings == evaluate(case, as_of=as_of, rules=picked, findings=True)
    without = evaluate(case, as_of=as_of, rules=picked, findings=0)  # type: ignore[arg-type]
    assert without == evaluate(case, as_of=as_of, rules=picked, findings=False)
    clear_caches()
    assert evaluate(case, as_of=as_of, rules=picked, findings=False) == without
    _assert_common_equals_plain(case, as_of)


def test_a_case_without_its_private_keys_gives_the_plain_report() -> None:
    # A case whose private store lacks the replay's keys (built around pydantic)
    # is read with their defaults: the adjusted way, as before.
    case = Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2015-04-18"}]})
    as_of = date(2026, 1, 15)
    plain = evaluate(case, as_of=as_of, rules=("assessment.decision",), findings=False)
    bare = case.model_copy()
    object.__setattr__(bare, "__pydantic_private__", {})
    assert evaluate(bare, as_of=as_of, rules=("assessment.decision",), findings=False) == plain
    object.__setattr__(bare, "__pydantic_private__", None)
    assert evaluate(bare, as_of=as_of, rules=("assessment.decision",), findings=False) == plain


@settings(max_examples=150, deadline=None)
@given(_HISTORIES, _DATES)
def test_the_common_path_equals_the_plain_path_on_generated_histories(
    case: Case, as_of: date
) -> None:
    if _common(case, as_of):
        _assert_common_equals_plain(case, as_of)


def _golden(path: Path) -> tuple[Case, date]:
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    payload = {k: data[k] for k in ("events", "child", "responsible_la") if k in data}
    return Case.model_validate(json.loads(json.dumps(payload, default=str))), data["as_of"]


#: The golden cases that take the common path (the others go the adjusted way).
_GOLDEN = [p for p in sorted((Path(__file__).resolve().parents[1] / "golden").rglob("*.toml"))
           if _common(*_golden(p))]


def test_most_golden_cases_take_the_common_path() -> None:
    assert len(_GOLDEN) >= 80  # of 118 when written


@pytest.mark.parametrize("path", _GOLDEN, ids=[p.stem for p in _GOLDEN])
def test_the_common_path_equals_the_plain_path_on_golden_cases(path: Path) -> None:
    _assert_common_equals_plain(*_golden(path))


# --- a plan's lean list against every segment --------------------------------
#
# With the built-in evaluators a plan runs its lean list: its segments less those
# whose evaluator finds nothing for the plan's event types (review.NEEDS). Any
# replaced table runs every segment: the same reports, the plain way.


def _every_segment(case: Case, as_of: date) -> None:
    from sendflow.compliance.evaluators import EVALUATORS

    for rules in (None, ("review",)):
        lean = evaluate(case, as_of=as_of, rules=rules)
        # a table of the very same evaluators, but not the built-in table itself
        plain = evaluate(case, as_of=as_of, rules=rules, evaluators=dict(EVALUATORS))
        assert lean == plain
        assert lean.model_dump_json() == plain.model_dump_json()


def test_a_plan_never_reassessed_leaves_out_review_after_reassessment() -> None:
    from sendflow.compliance._plan import plan
    from sendflow.compliance.evaluators import review

    never = plan(frozenset({"final_plan_issued", "review_meeting_held"}), None, True)
    assert "review_after_reassessment" in [s.evaluator for s in never.others]
    assert "review_after_reassessment" not in [s.evaluator for s in never.lean]
    assert never.lean == tuple(s for s in never.others if s.evaluator not in review.NEEDS)
    again = plan(frozenset({"final_plan_issued", "reassessment_decision"}), None, True)
    assert again.lean == again.others
    # a replaced evaluator still runs on a plan never re-assessed
    calls: list[str] = []

    def spy(hist: object, ctx: object) -> list[Any]:
        calls.append("ran")
        return []

    case = Case.model_validate({"events": [{"type": "final_plan_issued", "on": "2024-03-01"}]})
    evaluate(case, as_of=date(2026, 1, 15), evaluators={"review_after_reassessment": spy})
    assert calls == ["ran"]
    _every_segment(case, date(2026, 1, 15))


def test_what_a_lean_plan_leaves_out_finds_nothing() -> None:
    # Each evaluator review.NEEDS names returns nothing for a case without the types.
    from sendflow.compliance._plan import _rules_by_start
    from sendflow.compliance.evaluators import EVALUATORS, review

    case = Case.model_validate({"events": [
        {"type": "final_plan_issued", "on": "2023-03-01"},
        {"type": "review_meeting_held", "on": "2024-02-01"},
        {"type": "review_decision", "on": "2024-02-20", "outcome": "maintain"},
    ]})
    ctx = EvaluationContext(case.events, date(2026, 1, 15), case=case,
                            event_types=case._event_types())
    ran = 0
    for segments in _rules_by_start().values():
        for segment in segments:
            if segment.evaluator in review.NEEDS:
                assert review.NEEDS[segment.evaluator].isdisjoint(ctx.event_types)
                assert EVALUATORS[segment.evaluator](segment.history, ctx) == []
                ran += 1
    assert ran > 0


@settings(max_examples=100, deadline=None)
@given(_HISTORIES, _DATES)
def test_a_lean_plan_gives_the_plain_report_on_generated_histories(
    case: Case, as_of: date
) -> None:
    _every_segment(case, as_of)


@pytest.mark.parametrize("path", _GOLDEN, ids=[p.stem for p in _GOLDEN])
def test_a_lean_plan_gives_the_plain_report_on_golden_cases(path: Path) -> None:
    _every_segment(*_golden(path))


_DUES = st.none() | st.dates(date(2025, 1, 1), date(2025, 1, 4))
#: A deadline as (due, rule id, key): few values, so ties and Nones meet often.
_DRAWN = st.tuples(_DUES, st.sampled_from(["assessment.decision", "assessment.final_plan"]),
                   st.none() | st.sampled_from(["a", "b"]))


def _drawn_deadlines(drawn: list[tuple[date | None, str, str | None]]) -> list[Deadline]:
    """Validated deadlines of the drawn (due, rule id, key)."""
    return [
        Deadline.model_validate({"rule_id": rule_id, "title": "t", "due": due, "key": key,
                                 "status": "pending" if due else "not_applicable",
                                 "legal_status": "statute", "citations": (),
                                 "as_of": date(2025, 1, 1)})
        for due, rule_id, key in drawn]


@given(st.lists(_DRAWN, min_size=2, max_size=2))
def test_two_deadlines_are_ordered_as_the_plain_sort_orders_them(
    drawn: list[tuple[date | None, str, str | None]]
) -> None:
    from sendflow.compliance._engine import _two_in_order
    from sendflow.compliance._report import deadline_order

    deadlines = _drawn_deadlines(drawn)
    ordered = _two_in_order(list(deadlines))
    plain = sorted(deadlines, key=deadline_order)
    assert [id(d) for d in ordered] == [id(d) for d in plain]


def test_a_context_made_field_by_field_is_the_class_s_own() -> None:
    import dataclasses

    from sendflow.compliance._context import new_context

    case = Case.model_validate({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]})
    values = (case.events, date(2026, 3, 1), None, (), [], case, ["x"],
              frozenset({"request_received"}), default_readings())
    made = new_context(*values)
    own = EvaluationContext(*values)
    assert made == own
    assert repr(made) == repr(own)
    for f in dataclasses.fields(EvaluationContext):
        assert getattr(made, f.name) is getattr(own, f.name)
    assert made.main_state_after(0) == "x"


@given(st.lists(_DRAWN, max_size=7))
def test_deadline_order_orders_as_the_c_key_did_where_it_could(
    drawn: list[tuple[date | None, str, str | None]]
) -> None:
    # The engine sorts by deadline_order alone; it used to sort by an attrgetter of
    # (due, rule_id, key), compared in C, and by deadline_order when that raised.
    from operator import attrgetter

    from sendflow.compliance._report import deadline_order

    deadlines = _drawn_deadlines(drawn)
    try:
        before = sorted(deadlines, key=attrgetter("due", "rule_id", "key"))
    except TypeError:
        before = sorted(deadlines, key=deadline_order)
    assert [id(d) for d in sorted(deadlines, key=deadline_order)] == [id(d) for d in before]
