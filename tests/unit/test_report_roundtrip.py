"""Issue 17 point 5: a ComplianceReport read back from its JSON keeps everything
explain() needs: the rule version (with any period the case fixed) and the
fields of special kinds of deadline (a plan's ceasing: appeal_succeeded)."""

from __future__ import annotations

import importlib.util
import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError
from tests.reference.golden import jsonable

from sendflow import Case, ComplianceReport, evaluate
from sendflow.testing.strategies import case_histories

GOLDEN = Path(__file__).parents[1] / "golden"
_spec = importlib.util.spec_from_file_location("_golden", GOLDEN / "test_golden.py")
assert _spec is not None and _spec.loader is not None
_golden = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_golden)
FILES = sorted(GOLDEN.rglob("*.toml"))


def _report(path: Path) -> ComplianceReport:
    data = _golden._load(path)
    payload: dict[str, Any] = {"events": jsonable(data["events"])}
    for key in ("child", "responsible_la"):
        if key in data:
            payload[key] = jsonable(data[key])
    return evaluate(Case.model_validate(payload), as_of=data["as_of"],
                    recorded=data.get("recorded"), readings=data.get("readings"))


def _version(rule: Any) -> Any:
    """What a reloaded deadline keeps of its rule (see Deadline.rule)."""
    if rule is None:
        return None
    return (rule.id, rule.effective_from, rule.period, rule.lapses, rule.legal_status)


def assert_round_trip(report: ComplianceReport) -> None:
    again = ComplianceReport.model_validate_json(report.model_dump_json())
    assert again.explain() == report.explain()
    assert [_version(d.rule) for d in again.deadlines] == [
        _version(d.rule) for d in report.deadlines]
    assert [type(d) for d in again.deadlines] == [type(d) for d in report.deadlines]
    assert again.model_dump() == report.model_dump()
    # and from the Python form too, as a web framework or a queue hands it back
    plain = ComplianceReport.model_validate(json.loads(report.model_dump_json()))
    assert plain.explain() == report.explain()


@pytest.mark.parametrize("path", FILES, ids=[str(p.relative_to(GOLDEN)) for p in FILES])
def test_every_golden_report_survives_json(path: Path) -> None:
    assert_round_trip(_report(path))


def test_the_ceasing_kind_and_a_fixed_period_are_kept() -> None:
    report = _report(GOLDEN / "ceasing" / "plan_continues_after_successful_appeal.toml")
    kept = [d for d in report.deadlines if getattr(d, "appeal_succeeded", False)]
    assert kept, "the golden case has a successful appeal against ceasing"
    again = ComplianceReport.model_validate_json(report.model_dump_json())
    assert [d for d in again.deadlines if getattr(d, "appeal_succeeded", False)] == kept
    transfer = _report(GOLDEN / "transfer" / "transfer_secondary_to_post16.toml")
    fixed = [d for d in transfer.deadlines if d.period is not None]
    assert fixed and all(d.rule is not None and d.rule.period == d.period for d in fixed)
    assert_round_trip(transfer)


def test_a_report_with_an_unknown_field_or_version_is_refused_or_plain() -> None:
    report = _report(GOLDEN / "ceasing" / "ceasing_window_open.toml")
    data = json.loads(report.model_dump_json())
    data["deadlines"][0]["Quinteroxa"] = 1
    with pytest.raises(ValidationError) as info:
        ComplianceReport.model_validate(data)
    assert "Quinteroxa" not in str(info.value) + info.value.json()
    data["deadlines"][0].pop("Quinteroxa")
    data["deadlines"][0]["rule_version"] = "1900-01-01"  # no such version: no rule
    assert ComplianceReport.model_validate(data).deadlines[0].rule is None


@given(case=st.sampled_from(["assessment", "review", "disagreement"]).flatmap(
    lambda w: case_histories(w)))
def test_generated_reports_survive_json(case: Case) -> None:
    as_of = max((e.on for e in case.events), default=date(2026, 1, 5))
    assert_round_trip(evaluate(case, as_of=as_of))
