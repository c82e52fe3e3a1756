"""The engine's structure: the evaluator table, one loop for every path, per-version rules.

Evaluators are injected through ``evaluate(..., evaluators=...)``, never by
changing the table; a registry loaded afresh (a test's copy) is compiled afresh
after ``clear_caches``; a rule whose versions differ in their clock judges each
case by the version in force for it.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from sendflow import Case, evaluate, evaluate_many
from sendflow.compliance import EvaluationContext
from sendflow.compliance._plan import clear_caches
from sendflow.compliance.evaluators import EVALUATORS
from sendflow.errors import CalendarError, InvalidArgument
from sendflow.rules import LegalStatus, Rule
from sendflow.rules import _registry as registry
from sendflow.rules._registry import RuleHistory

NO_PLAN = [
    {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
    {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"},
    {"type": "no_plan_notice_sent", "on": "2026-04-28"},
]


def _case(events: list[dict[str, Any]]) -> Case:
    return Case.model_validate({"events": events})


def test_the_table_is_read_only() -> None:
    with pytest.raises(TypeError):
        EVALUATORS["standard"] = EVALUATORS["before_anchor"]  # type: ignore[index]


def test_an_unknown_evaluator_name_is_refused() -> None:
    with pytest.raises(InvalidArgument, match="nope"):
        evaluate(_case(NO_PLAN), as_of=date(2026, 5, 1),
                 evaluators={"nope": EVALUATORS["standard"]})
    with pytest.raises(InvalidArgument, match="nope"):
        list(evaluate_many([], as_of=date(2026, 5, 1),
                           evaluators={"nope": EVALUATORS["standard"]}))


def test_an_injected_evaluator_serves_that_call_only() -> None:
    case = _case(NO_PLAN)
    calls: list[str] = []

    def silent(hist: RuleHistory, ctx: EvaluationContext) -> list[Any]:
        calls.append(hist.id)
        return []

    ids = {d.rule_id for d in evaluate(case, as_of=date(2026, 5, 1),
                                       evaluators={"special_school_stay": silent}).deadlines}
    assert calls == ["assessment.special_school_stay"]
    assert "assessment.special_school_stay" not in ids
    again = {d.rule_id for d in evaluate(case, as_of=date(2026, 5, 1)).deadlines}
    assert "assessment.special_school_stay" in again
    many = list(evaluate_many([case, case], as_of=date(2026, 5, 1),
                              evaluators={"special_school_stay": silent}))
    assert len(calls) == 3 and len(many) == 2


def _overflowing(hist: RuleHistory, ctx: EvaluationContext) -> list[Any]:
    return [date.max + (date.max - date.min)]  # raises OverflowError


@pytest.mark.parametrize("recorded", [None, "ALL"], ids=["fast", "adjusted"])
def test_an_evaluator_past_year_9999_is_a_calendar_error_on_every_path(
    recorded: str | None,
) -> None:
    # recorded= sends the case the adjusted way; both ways share one loop.
    with pytest.raises(CalendarError, match=r"assessment\.special_school_stay"):
        evaluate(_case(NO_PLAN), as_of=date(2026, 5, 1), recorded=recorded,
                 evaluators={"special_school_stay": _overflowing})


@pytest.mark.parametrize("recorded", [None, "ALL"], ids=["fast", "adjusted"])
def test_a_findings_date_past_year_9999_is_a_calendar_error_on_every_path(
    recorded: str | None,
) -> None:
    # The representation window of a draft served on 20 Dec 9999 ends in year 10000;
    # the findings hook that checks it must not leak OverflowError (review finding).
    case = _case([
        {"type": "request_received", "on": "9999-01-04", "made_by": "parent"},
        {"type": "assessment_decision", "on": "9999-02-01", "outcome": "assess"},
        {"type": "draft_plan_issued", "on": "9999-12-20"},
        {"type": "final_plan_issued", "on": "9999-12-31"},
    ])
    with pytest.raises(CalendarError):
        evaluate(case, as_of=date(9999, 12, 31), rules=["assessment.decision"],
                 recorded=recorded)


# ---------------------------------------------------------------- a copied registry
@pytest.fixture
def copied_registry(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, RuleHistory]]:
    """A copy of the registry the test may change; the engine compiles it afresh."""
    table = dict(registry._registry())
    monkeypatch.setattr(registry, "_registry", lambda: table)
    clear_caches()
    yield table
    monkeypatch.undo()
    clear_caches()


def _with_versions(hist: RuleHistory, *versions: Rule) -> RuleHistory:
    return RuleHistory(id=hist.id, versions=versions)


def test_a_registry_loaded_afresh_is_compiled_afresh(
    copied_registry: dict[str, RuleHistory],
) -> None:
    case = _case(NO_PLAN[:1])
    assert evaluate(case, as_of=date(2026, 1, 6)).deadline("assessment.decision").due == date(
        2026, 2, 16
    )
    hist = copied_registry["assessment.decision"]
    seven = [v.model_copy(update={"period": v.period.model_copy(update={"amount": 7})})
             for v in hist.versions]
    copied_registry["assessment.decision"] = _with_versions(hist, *seven)
    clear_caches()
    assert evaluate(case, as_of=date(2026, 1, 6)).deadline("assessment.decision").due == date(
        2026, 2, 23
    )


def test_each_case_is_judged_by_the_clock_of_the_version_in_force(
    copied_registry: dict[str, RuleHistory],
) -> None:
    # A made-up 2027 version of assessment.decision whose clock a withdrawal no
    # longer closes: a request in 2026 is judged by the old clock, one in 2027 by
    # the new one. Before issue 15 the engine read the latest version's clock only.
    hist = copied_registry["assessment.decision"]
    last = hist.versions[-1]
    old = last.model_copy(update={"effective_to": date(2026, 12, 31)})
    new_clock = last.clock.model_copy(update={"closed_by": ()})
    new = last.model_copy(update={"effective_from": date(2027, 1, 1), "clock": new_clock})
    copied_registry["assessment.decision"] = _with_versions(hist, *hist.versions[:-1], old, new)
    clear_caches()

    def withdrawn(year: int) -> Case:
        return _case([
            {"type": "request_received", "on": f"{year}-01-05", "made_by": "parent"},
            {"type": "request_withdrawn", "on": f"{year}-01-20"},
        ])

    before = evaluate(withdrawn(2026), as_of=date(2026, 6, 1)).deadline("assessment.decision")
    after = evaluate(withdrawn(2027), as_of=date(2027, 6, 1)).deadline("assessment.decision")
    assert before.status == "not_applicable"  # closed by the withdrawal (the old clock)
    assert after.status == "overdue" and after.rule is new  # the new clock ignores it
    assert before.rule is old


def test_the_reference_oracle_reads_versions_as_the_engine_does(
    copied_registry: dict[str, RuleHistory],
) -> None:
    # The per-version clock above, through the plain oracle too: both agree.
    from tests.reference import engine as reference

    hist = copied_registry["assessment.decision"]
    last = hist.versions[-1]
    old = last.model_copy(update={"effective_to": date(2026, 12, 31)})
    new = last.model_copy(update={"effective_from": date(2027, 1, 1),
                                  "clock": last.clock.model_copy(update={"closed_by": ()})})
    copied_registry["assessment.decision"] = _with_versions(hist, *hist.versions[:-1], old, new)
    clear_caches()
    case = _case([
        {"type": "request_received", "on": "2026-12-20", "made_by": "parent"},
        {"type": "request_withdrawn", "on": "2026-12-28"},
        {"type": "request_received", "on": "2027-01-05", "made_by": "parent"},
        {"type": "request_withdrawn", "on": "2027-01-20"},
    ])

    def rows(evaluators: Any) -> list[tuple[Any, ...]]:
        report = evaluate(case, as_of=date(2027, 6, 1), evaluators=evaluators)
        return [(d.rule_id, d.started_on, d.due, d.status) for d in report.deadlines]

    fast, slow = rows(None), rows({"standard": reference.standard})
    assert fast == slow
    assert ("assessment.decision", date(2027, 1, 5), date(2027, 2, 16), "overdue") in fast


def _split_at_2027(table: dict[str, RuleHistory], rule_id: str, **later: Any) -> Rule:
    """Give ``rule_id`` a made-up version from 2027 with ``later``'s values; return it."""
    hist = table[rule_id]
    last = hist.versions[-1]
    old = last.model_copy(update={"effective_to": date(2026, 12, 31)})
    new = last.model_copy(update={"effective_from": date(2027, 1, 1), **later})
    table[rule_id] = _with_versions(hist, *hist.versions[:-1], old, new)
    clear_caches()
    return new


def _request(year: int) -> Case:
    return _case([{"type": "request_received", "on": f"{year}-01-05", "made_by": "parent"}])


def test_a_version_s_own_lapses_judges_the_cases_it_is_in_force_for(
    copied_registry: dict[str, RuleHistory],
) -> None:
    # A made-up 2027 version turns the duty to decide into a right that lapses: a 2027
    # request past its due date is not applicable; a 2026 one is still overdue.
    _split_at_2027(copied_registry, "assessment.decision", lapses=True)
    before = evaluate(_request(2026), as_of=date(2026, 6, 1)).deadline("assessment.decision")
    after = evaluate(_request(2027), as_of=date(2027, 6, 1)).deadline("assessment.decision")
    assert (before.status, after.status) == ("overdue", "not_applicable")


def test_a_version_s_own_legal_status_judges_the_cases_it_is_in_force_for(
    copied_registry: dict[str, RuleHistory],
) -> None:
    # From 2027 (made up) the time limit is guidance, and a derived planning date
    # from 2028: each case's deadline carries its version's status, and a derived
    # version is not a compliance deadline at all.
    _split_at_2027(copied_registry, "assessment.decision", legal_status=LegalStatus.GUIDANCE)
    hist = copied_registry["assessment.decision"]
    guidance = hist.versions[-1]
    derived = guidance.model_copy(update={"effective_from": date(2028, 1, 1),
                                          "legal_status": LegalStatus.DERIVED})
    copied_registry["assessment.decision"] = _with_versions(
        hist, *hist.versions[:-1],
        guidance.model_copy(update={"effective_to": date(2027, 12, 31)}), derived)
    clear_caches()
    statuses = [
        [d.legal_status for d in evaluate(_request(y), as_of=date(y, 6, 1)).deadlines
         if d.rule_id == "assessment.decision"]
        for y in (2026, 2027, 2028)
    ]
    assert statuses == [["statute"], ["guidance"], []]


def test_only_evaluators_that_read_a_clock_may_have_one_per_version() -> None:
    # Every name in CLOCKED is an evaluator; the rest know their events in code, and the
    # loader refuses a version's own clock under one of them (tests/data/invalid/
    # own_clock_under_custom_evaluator.toml), so none is accepted and ignored.
    from sendflow.compliance.evaluators import CLOCKED, START_FIELDS

    assert set(CLOCKED) <= set(EVALUATORS)
    # The clock-blind evaluators that count from an event field name it, and their rules'
    # data say the same field (the loader holds them to it).
    assert set(START_FIELDS) <= set(EVALUATORS) - set(CLOCKED)
    assert registry.history("appeal.deadline").versions[-1].clock.start_field == "sent_on"
    assert {"standard", "before_anchor", "mediation_contact"} <= set(CLOCKED)
    assert "review_annual" not in CLOCKED and "special_school_stay" not in CLOCKED
    for hist in registry.all_rules():
        for v in hist.versions:
            if v.evaluator not in CLOCKED:
                same = {w.clock for w in hist.versions if w.evaluator == v.evaluator}
                assert len(same) == 1, hist.id


def test_the_law_page_shows_where_a_version_differs(
    copied_registry: dict[str, RuleHistory],
) -> None:
    # The page prints the latest version's clock and status; an earlier version with
    # its own must say so, or the published law would hide it.
    from sendflow.export.law import rules_markdown

    _split_at_2027(copied_registry, "assessment.decision", lapses=True,
                   legal_status=LegalStatus.GUIDANCE)
    page = rules_markdown()
    section = page[page.index("### `assessment.decision`"):]
    section = section[: section.index("\n### ")]
    assert section.count("This version has") == len(
        copied_registry["assessment.decision"].versions) - 1
    assert "status statute; a duty, not a right that lapses" in section


def test_the_law_page_shows_a_version_s_own_notes(
    copied_registry: dict[str, RuleHistory],
) -> None:
    from sendflow.export.law import rules_markdown

    _split_at_2027(copied_registry, "assessment.decision", notes="Made up for 2027.")
    page = rules_markdown()
    section = page[page.index("### `assessment.decision`"):]
    section = section[: section.index("\n### ")]
    assert "*Notes:* Made up for 2027." in section  # the latest version's, as before
    older = [line for line in section.splitlines() if "to 2026-12-31" in line]
    assert older and "its own notes: " in older[0]


def test_the_law_page_shows_a_version_s_own_period_and_duty() -> None:
    # Reg. 45 as made (1 Sep 2014 - 22 Mar 2015) gave 4 weeks to go ahead with the
    # assessment after an unopposed appeal; the page prints the latest version's 2 weeks,
    # so the version as made must say it had its own period and duty.
    from sendflow.export.law import rules_markdown

    page = rules_markdown()
    section = page[page.index("### `unopposed.assess_notify`"):]
    section = section[: section.index("\n### ")]
    (as_made,) = [line for line in section.splitlines() if line.startswith("- **2014-09-01")]
    assert "This version has its own period (within 4 weeks); its own duty: Under " in as_made
    later = [line for line in section.splitlines() if line.startswith("- **20")][1:]
    assert later and not any("This version has" in line for line in later)


def test_an_evaluator_module_imports_first_without_a_cycle() -> None:
    # No registration on import, no import cycle: an evaluator module may be imported
    # first in a fresh interpreter, and importing loads no rule data.
    import subprocess
    import sys

    for module in ("review", "transfer", "la_transfer", "ceasing", "_common"):
        code = (f"import sendflow.compliance.evaluators.{module}, "
                "sendflow.rules._registry as r; print(r._registry.cache_info().currsize)")
        out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                             check=True)
        assert out.stdout.strip() == "0", module


def test_spans_of_finds_the_version_hist_on_finds() -> None:
    # The fast paths' written-out RuleHistory.on: the first span holding a day is that
    # day's version, with its parts; a history compiled from elsewhere has no spans.
    from sendflow.compliance._compiled import compile_rule, parts_for, spans_of

    days = [date(2014, 8, 31), date(2014, 9, 1), date(2015, 3, 22), date(2015, 3, 23),
            date(2020, 5, 1), date(2020, 9, 26), date(2026, 1, 15), date(9999, 12, 31)]
    checked = 0
    for hist in registry.all_rules():
        for segment in compile_rule(hist).segments:
            spans = spans_of(segment.history)
            assert spans is not None
            firsts = [v.effective_from for v in segment.history.versions]
            for day in days + firsts:
                found = next((s for s in spans if s[0] <= day <= s[1]), None)
                rule = segment.history.on(day)
                if rule is None:
                    assert found is None
                else:
                    assert found is not None and found[2].rule is rule
                    assert found[2] is parts_for(rule)
                    checked += 1
    assert checked > 100
    one = registry.history("review.annual")
    assert spans_of(RuleHistory(id=one.id, versions=one.versions)) is None
