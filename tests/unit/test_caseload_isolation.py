"""Issue 17 point 2: one case that cannot be evaluated never stops a caseload;
evaluate_many reports it as invalid (no deadlines, a reason without data)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest

from sendflow import Case, ComplianceReport, evaluate, evaluate_many
from sendflow.compliance import _plan
from sendflow.compliance._context import Hook
from sendflow.compliance._plan import clear_caches
from sendflow.compliance.evaluators import EVALUATORS

AS_OF = date(2026, 3, 1)
SECRET = "Quinteroxa"


def _case(on: str, reference: str | None = None) -> Case:
    return Case.model_validate({
        "reference": reference,
        "events": [{"type": "request_received", "on": on, "made_by": "parent"}],
        "child": {"date_of_birth": "2015-03-04", "given_name": SECRET},
    })


@pytest.fixture
def failing_hook(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    def hook(ctx: Any) -> list[Any]:
        if any(e.on.year == 2025 for e in ctx.events):
            raise ZeroDivisionError(SECRET)  # a fault that happens to quote data
        return []

    # (evaluators are injected through evaluate's evaluators=; a findings hook
    # has no such parameter, so the table the plans read is replaced here.)
    monkeypatch.setattr(_plan, "FINDINGS", (*_plan.FINDINGS, Hook(hook)))
    clear_caches()
    yield
    monkeypatch.undo()
    clear_caches()


def _assert_isolated(
    reports: list[ComplianceReport], cases: list[Any], bad: int, as_of: date = AS_OF
) -> None:
    assert len(reports) == len(cases)
    for i, (report, case) in enumerate(zip(reports, cases, strict=True)):
        if i == bad:
            assert report.invalid and report.deadlines == () and SECRET not in report.invalid
            assert SECRET not in report.explain() + report.model_dump_json()
            again = ComplianceReport.model_validate_json(report.model_dump_json())
            assert again.invalid == report.invalid
        else:
            assert report == evaluate(case, as_of=as_of) and report.invalid is None


def test_a_date_beyond_the_calendar_is_one_invalid_case() -> None:
    cases = [_case("2026-01-05", "a"), _case("9999-10-01", "b"), _case("2026-01-06", "c")]
    late = date(9999, 12, 31)
    reports = list(evaluate_many(cases, as_of=late))
    _assert_isolated(reports, cases, bad=1, as_of=late)
    assert reports[1].reference == "b" and reports[1].state == "awaiting_decision"
    assert "calendar" in (reports[1].invalid or "")


def test_a_failing_findings_hook_is_one_invalid_case(failing_hook: None) -> None:
    cases = [_case("2026-01-05"), _case("2025-12-01"), _case("2026-01-06")]
    reports = list(evaluate_many(iter(cases), as_of=AS_OF))
    assert reports[1].invalid == "could not be evaluated (ZeroDivisionError)"
    assert len(reports) == 3 and reports[0].invalid is None and reports[2].invalid is None


def test_a_failing_evaluator_is_one_invalid_case() -> None:
    def broken(hist: Any, ctx: Any) -> Any:
        if any(e.on.year == 2025 for e in ctx.events):
            raise KeyError(SECRET)
        return original(hist, ctx)

    original = EVALUATORS["standard"]  # every assessment rule goes through it
    cases = [_case("2026-01-05"), _case("2025-12-01"), _case("2026-01-06")]
    reports = list(evaluate_many(cases, as_of=AS_OF, evaluators={"standard": broken}))
    assert reports[1].invalid == "could not be evaluated (KeyError)"
    assert [r.invalid for r in reports[::2]] == [None, None] and reports[0].deadlines


def test_something_that_is_not_a_case_is_one_invalid_case() -> None:
    cases: list[Any] = [_case("2026-01-05"), {"events": []}, _case("2026-01-06")]
    reports = list(evaluate_many(cases, as_of=AS_OF))
    _assert_isolated(reports, cases, bad=1)
    assert reports[1].state == "" and reports[1].reference is None
