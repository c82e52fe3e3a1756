"""Unit tests for sendflow.upcoming (caseload planning, issue 5)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sendflow import Case
from sendflow._cli import main
from sendflow.upcoming import upcoming

CASES = [
    {"reference": "C-1", "events": [
        {"type": "final_plan_issued", "on": "2025-03-20"},
        {"type": "phase_transfer_scheduled", "on": "2025-10-01", "transfer_date": "2026-09-01",
         "kind": "primary_to_secondary"}]},
    {"reference": "C-2", "events": [
        {"type": "final_plan_issued", "on": "2024-02-29"},
        {"type": "review_meeting_held", "on": "2025-02-20"},
        {"type": "review_decision", "on": "2025-02-20", "outcome": "maintain"}]},
]


def test_upcoming_lists_dates_in_window_sorted_with_citations() -> None:
    cases = [Case.model_validate(c) for c in CASES]
    items = upcoming(cases, between=(date(2026, 1, 1), date(2026, 3, 31)), as_of=date(2026, 1, 1))
    # reg 18(1)(b): 14 Feb 2026; s. 44(1): 12 months beginning with the review decided
    # 20 Feb 2025 -> 19 Feb 2026;
    # s. 44(1): 12 months beginning 20 Mar 2025 -> 19 Mar 2026
    assert [(u.due, u.reference, u.rule_id) for u in items] == [
        (date(2026, 2, 14), "C-1", "transfer.phase"),
        (date(2026, 2, 19), "C-2", "review.annual"),
        (date(2026, 3, 19), "C-1", "review.annual"),
    ]
    assert items[0].citations[0].provision.startswith("reg. 18")


def test_upcoming_rejects_a_backwards_window() -> None:
    with pytest.raises(ValueError, match="start is after its end"):
        upcoming([], between=(date(2026, 2, 1), date(2026, 1, 1)))


@pytest.mark.parametrize("fmt", ["text", "json", "csv", "ics"])
def test_cliupcoming(tmp_path: Path, fmt: str, capsysbinary: pytest.CaptureFixture[bytes]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join(json.dumps(c) for c in CASES) + "\n", encoding="utf-8")
    code = main(["upcoming", str(path), "--from", "2026-01-01", "--to", "2026-03-31",
                 "--format", fmt])
    out = capsysbinary.readouterr().out.decode()
    assert code == 0
    assert ("transfer.phase" in out) or ("Review and amend" in out)
    if fmt == "json":
        rows = [json.loads(line) for line in out.splitlines()]
        assert [r["due"] for r in rows] == ["2026-02-14", "2026-02-19", "2026-03-19"]
        assert rows[0]["line"] == 1


def test_upcoming_passes_recorded_and_rules_to_evaluate() -> None:
    # A request of Mon 5 Jan 2026: the decision is due within 6 weeks, Mon 16 Feb
    # (SEND Regulations 2014 reg. 5(1)). As of 1 Mar nothing is recorded, so it is
    # overdue; a system that does not record decisions cannot show it overdue.
    case = Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    )
    window = (date(2026, 2, 1), date(2026, 2, 28))
    plain = upcoming([case], between=window, as_of=date(2026, 3, 1),
                      rules=["assessment.decision"])
    assert [(u.rule_id, u.due, u.status) for u in plain] == [
        ("assessment.decision", date(2026, 2, 16), "overdue")]
    unrecorded = upcoming([case], between=window, as_of=date(2026, 3, 1),
                           rules=["assessment.decision"], recorded=["request_received"])
    assert [u.status for u in unrecorded] == ["not_recorded"]


def test_upcoming_cli_recorded_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    cases = tmp_path / "cases.jsonl"
    cases.write_text(json.dumps({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}) + "\n")
    argv = ["upcoming", str(cases), "--from", "2026-02-01", "--to", "2026-02-28",
            "--as-of", "2026-03-01", "--rules", "assessment.decision", "--format", "json"]
    assert main([*argv, "--recorded", "request_received"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["status"] for r in rows] == ["not_recorded"]
    assert main([*argv, "--recorded", "no_such_event"]) == 2
