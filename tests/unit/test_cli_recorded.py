"""`sendflow check --recorded PROFILE|TYPES` (issue 14 point 4)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sendflow._cli import main

REQUEST = {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}
DECIDED = {"type": "assessment_decision", "on": "2026-02-10", "outcome": "assess"}
ADVICE = {"type": "advice_requested", "on": "2026-02-11", "adviser": "educational"}


def _file(tmp_path: Path) -> Path:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": [REQUEST, DECIDED, ADVICE]}) + "\n", encoding="utf-8")
    return path


def test_check_recorded_profile(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", str(_file(tmp_path)), "--as-of", "2026-06-01"]
    assert main([*args, "--format", "json", "--recorded", "minimal"]) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[0])["report"]
    status = {d["rule_id"]: d["status"] for d in report["deadlines"]}
    assert status["assessment.advice"] == "not_recorded"
    assert status["assessment.final_plan"] == "overdue"
    assert "advice_requested" not in report["recorded"]
    assert main([*args, "--recorded", "minimal"]) == 0
    text = capsys.readouterr().out
    assert "assessment.advice[educational]" not in text  # no longer reported overdue
    assert "not_recorded" in text  # the summary's column


def test_check_recorded_types_and_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = ["check", str(_file(tmp_path)), "--as-of", "2026-06-01", "--format", "json"]
    assert main([*args, "--recorded", "request_received,assessment_decision",
                 "--rules", "assessment.decision,assessment.advice"]) == 0
    report = json.loads(capsys.readouterr().out.splitlines()[0])["report"]
    assert {d["rule_id"]: d["status"] for d in report["deadlines"]} == {
        "assessment.decision": "met", "assessment.advice": "not_recorded"}


def test_check_recorded_unknown_type_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["check", str(_file(tmp_path)), "--as-of", "2026-06-01"]
    assert main([*args, "--recorded", "request_recieved"]) == 2
    err = capsys.readouterr().err
    assert "--recorded" in err and "recieved" not in err
