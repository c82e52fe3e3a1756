"""Unit tests for sendflow.upcoming (caseload planning, issue 5)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sendflow import Case
from sendflow._cli import main
from sendflow.upcoming import case_dates, upcoming

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


# --------------------------------------------------------------- issue 18 point 2
ASSESSING = {"reference": "C-3", "events": [
    {"type": "request_received", "on": "2026-01-05", "made_by": "parent"},
    {"type": "assessment_decision", "on": "2026-02-20", "outcome": "assess"},
    {"type": "advice_requested", "on": "2026-02-23", "adviser": "psychological"},
    {"type": "advice_requested", "on": "2026-02-23", "adviser": "medical"},
    {"type": "advice_received", "on": "2026-03-10", "adviser": "medical"}]}


def test_upcoming_without_as_of_warns_and_judges_at_the_window_start() -> None:
    # No hidden clock, and the window's start is not "today": the call the design
    # promises (upcoming(cases, between=...)) still works for now, with a warning.
    from sendflow.errors import InvalidArgument

    case = Case.model_validate(
        {"events": [{"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}
    )
    window = (date(2026, 2, 1), date(2026, 3, 1))
    with pytest.warns(DeprecationWarning, match="pass as_of"):
        old = upcoming([case], between=window)
    # the decision, due Mon 16 Feb 2026 (6 weeks from 5 Jan), as of 1 Feb: pending
    assert old == upcoming([case], between=window, as_of=date(2026, 2, 1))
    assert [(u.rule_id, u.status) for u in old if u.rule_id == "assessment.decision"] == [
        ("assessment.decision", "pending")
    ]
    with pytest.raises(InvalidArgument, match="between must be two dates"):
        upcoming([], between=date(2026, 1, 1))  # type: ignore[arg-type]
    with pytest.raises(InvalidArgument, match="give as_of"):
        case_dates(case, window, as_of=None)  # type: ignore[arg-type]


def test_open_only_leaves_out_dates_met_late() -> None:
    # As of Mon 20 Apr 2026: the decision (due Mon 16 Feb, 6 weeks from 5 Jan,
    # reg. 5(1)) was made late on 20 Feb: missed, so not open. The medical advice
    # arrived on 10 Mar (met); the psychological advice, due Mon 6 Apr (reg. 8),
    # has not: overdue. The final plan (20 weeks: Mon 25 May, reg. 13(2)) and
    # the no-plan notice (16 weeks: Mon 27 Apr, reg. 10(1)) are pending.
    case = Case.model_validate(ASSESSING)
    window = (date(2026, 1, 1), date(2026, 6, 30))
    every = upcoming([case], between=window, as_of=date(2026, 4, 20))
    assert [(u.rule_id, u.key, u.status.value) for u in every] == [
        ("assessment.decision", None, "missed"),
        ("assessment.advice", "medical", "met"),
        ("assessment.advice", "psychological", "overdue"),
        ("assessment.no_plan_notice", None, "pending"),
        ("assessment.final_plan", None, "pending"),
    ]
    open_ = upcoming([case], between=window, as_of=date(2026, 4, 20), open_only=True)
    assert [(u.rule_id, u.due) for u in open_] == [
        ("assessment.advice", date(2026, 4, 6)),
        ("assessment.no_plan_notice", date(2026, 4, 27)),
        ("assessment.final_plan", date(2026, 5, 25)),
    ]
    assert upcoming([case], between=window, as_of=date(2026, 4, 20), include_met=False) == open_


def test_cli_open_only_and_as_of(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps(ASSESSING) + "\n", encoding="utf-8")
    argv = ["upcoming", str(path), "--from", "2026-01-01", "--to", "2026-06-30",
            "--as-of", "2026-04-20", "--format", "json"]
    assert main([*argv, "--open-only"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["rule_id"], r["status"]) for r in rows] == [
        ("assessment.advice", "overdue"), ("assessment.no_plan_notice", "pending"),
        ("assessment.final_plan", "pending")]
    assert main([*argv, "--rules", "assessment.advice"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(r["key"], r["status"]) for r in rows] == [("medical", "met"),
                                                       ("psychological", "overdue")]


def test_cli_as_of_defaults_to_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # The request of 5 Jan 2026 has had no decision: as of any day after Mon
    # 16 Feb 2026 (today, for the command) the decision is overdue, never pending.
    path = tmp_path / "cases.jsonl"
    path.write_text(json.dumps({"events": [
        {"type": "request_received", "on": "2026-01-05", "made_by": "parent"}]}) + "\n")
    assert main(["upcoming", str(path), "--from", "2026-02-01", "--to", "2026-02-28",
                 "--rules", "assessment.decision", "--format", "json"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert row["status"] == "overdue"


def test_cli_bad_case_is_one_bad_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "cases.jsonl"
    path.write_text("\n".join([json.dumps(CASES[0]), "{not json", json.dumps(CASES[1])]) + "\n")
    code = main(["upcoming", str(path), "--from", "2026-01-01", "--to", "2026-03-31",
                 "--as-of", "2026-01-01", "--format", "json"])
    captured = capsys.readouterr()
    assert code == 1
    assert "line 2: invalid case" in captured.err
    assert [json.loads(line)["line"] for line in captured.out.splitlines()] == [1, 3, 1]


def test_upcoming_reads_each_case_once() -> None:
    # A generator is consumed once, one case at a time (the CLI relies on this
    # to keep only the dates in the window, not the caseload).
    seen: list[int] = []

    def cases():  # type: ignore[no-untyped-def]
        for i, c in enumerate(CASES):
            seen.append(i)
            yield Case.model_validate(c)

    items = upcoming(cases(), between=(date(2026, 1, 1), date(2026, 3, 31)),
                     as_of=date(2026, 1, 1))
    assert seen == [0, 1] and len(items) == 3


def test_cli_does_not_hold_the_caseload(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    # Issue 17: the command held every case (1.5 GB at 200,000 cases). Each case
    # read is now released once its dates are taken: when the command reaches a
    # case, no earlier case is still alive.
    import gc
    import sys
    import weakref

    module = sys.modules["sendflow.upcoming"]  # the attribute is the function
    from sendflow.synth import write_jsonl

    path = tmp_path / "cases.jsonl"
    with path.open("w", encoding="utf-8") as fh:
        write_jsonl(20, fh, seed=5, year=2025)
    seen: list[weakref.ref[Case]] = []
    alive_before: list[int] = []
    real = module.case_dates

    def spy(case: Case, *args: object, **kwargs: object) -> list[object]:
        gc.collect(0)  # cases hold no cycles: reference counting frees them
        alive_before.append(sum(1 for r in seen if r() is not None))
        seen.append(weakref.ref(case))
        return real(case, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(module, "case_dates", spy)
    assert main(["upcoming", str(path), "--from", "2025-01-01", "--to", "2025-12-31",
                 "--as-of", "2025-12-31", "--format", "json"]) == 0
    assert len(seen) == 20 and capsys.readouterr().out
    assert max(alive_before) <= 1  # at most the case just before, still being released
